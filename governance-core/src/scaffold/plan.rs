//! The active rules, read into what a new contract must say: a [`Plan`] of top-level values,
//! service levels and fields, each with the `TODO` a person must look at.

use super::NewContract;
use crate::policy::ast::{
    Bound, Collection, Comparison, Condition, Filter, Literal, Matcher, Predicate, Rule, Statement,
    Subject,
};
use crate::policy::quantity::Quantity;
use crate::policy::scope::scope_matches;
use crate::policy::PolicySet;

/// A value of the plan and the comment written after it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Bool(bool),
    /// A list of texts (`tags`).
    List(Vec<String>),
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// A dotted path (`owner`, `x-team.slack`) or, for a field, an attribute.
    pub path: String,
    pub value: Value,
    pub todo: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub name: String,
    pub pii: bool,
    pub attrs: Vec<Entry>,
    pub todo: Option<String>,
}

impl Field {
    fn set(&mut self, path: &str, value: Value, todo: Option<String>) {
        match self.attrs.iter_mut().find(|e| e.path == path) {
            Some(entry) => {
                entry.value = value;
                entry.todo = todo.or(entry.todo.take());
            }
            None => self.attrs.push(Entry {
                path: path.to_owned(),
                value,
                todo,
            }),
        }
    }

    fn get(&self, path: &str) -> Option<&Value> {
        self.attrs.iter().find(|e| e.path == path).map(|e| &e.value)
    }
}

/// What the new contract says.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Top-level values, SLA values included (`sla.availability`).
    pub top: Vec<Entry>,
    pub fields: Vec<Field>,
    /// How many rules apply.
    pub rules: usize,
}

impl Plan {
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.top.iter().find(|e| e.path == path).map(|e| &e.value)
    }

    fn text(&self, path: &str) -> Option<&str> {
        match self.get(path) {
            Some(Value::Text(text)) => Some(text),
            _ => None,
        }
    }

    fn set(&mut self, path: &str, value: Value, todo: Option<String>) {
        match self.top.iter_mut().find(|e| e.path == path) {
            Some(entry) => {
                entry.value = value;
                entry.todo = todo.or(entry.todo.take());
            }
            None => self.top.push(Entry {
                path: path.to_owned(),
                value,
                todo,
            }),
        }
    }

    fn remove(&mut self, path: &str) {
        self.top
            .retain(|e| e.path != path && !e.path.starts_with(&format!("{path}.")));
    }
}

fn todo(text: &str) -> Option<String> {
    Some(format!("TODO: {text}"))
}

/// The default skeleton: the article's keys, a service level, an id and a personal-data
/// example field, encrypted.
fn skeleton(request: &NewContract) -> Plan {
    let text = |t: &str| Value::Text(t.to_owned());
    let owner = request
        .owner
        .clone()
        .unwrap_or_else(|| format!("{}-team@company.com", slug(&request.domain, '-')));
    let owner_todo = request
        .owner
        .is_none()
        .then(|| "the owning team's address".to_owned())
        .and_then(|t| todo(&t));
    let top = vec![
        Entry {
            path: "data_product".to_owned(),
            value: text(&request.name),
            todo: None,
        },
        Entry {
            path: "domain".to_owned(),
            value: text(&request.domain),
            todo: None,
        },
        Entry {
            path: "owner".to_owned(),
            value: Value::Text(owner),
            todo: owner_todo,
        },
        Entry {
            path: "schema_version".to_owned(),
            value: text("0.1.0"),
            todo: None,
        },
        Entry {
            path: "status".to_owned(),
            value: text("draft"),
            todo: todo("`active` once consumers may rely on it"),
        },
        Entry {
            path: "description".to_owned(),
            value: text("TODO: what this data product holds and who it is for"),
            todo: None,
        },
        Entry {
            path: "sla.availability".to_owned(),
            value: text("99.9%"),
            todo: todo("what the platform can promise"),
        },
        Entry {
            path: "sla.freshness".to_owned(),
            value: text("1 hour"),
            todo: todo("how old the data may be"),
        },
    ];
    let fields = vec![
        Field {
            name: "id".to_owned(),
            pii: false,
            attrs: vec![
                Entry {
                    path: "type".to_owned(),
                    value: text("string"),
                    todo: None,
                },
                Entry {
                    path: "required".to_owned(),
                    value: Value::Bool(true),
                    todo: None,
                },
                Entry {
                    path: "primary_key".to_owned(),
                    value: Value::Bool(true),
                    todo: None,
                },
            ],
            todo: todo("the fields of the data product, starting with its key"),
        },
        Field {
            name: "email".to_owned(),
            pii: true,
            attrs: vec![
                Entry {
                    path: "type".to_owned(),
                    value: text("string"),
                    todo: None,
                },
                Entry {
                    path: "pii".to_owned(),
                    value: Value::Bool(true),
                    todo: None,
                },
                Entry {
                    path: "encrypted".to_owned(),
                    value: Value::Bool(true),
                    todo: None,
                },
            ],
            todo: todo("an example of personal data, encrypted: keep it encrypted, or remove it"),
        },
    ];
    Plan {
        top,
        fields,
        rules: 0,
    }
}

/// `Shipment Tracking` → `shipment_tracking` (with `_`) or `shipment-tracking` (with `-`).
pub(crate) fn slug(text: &str, separator: char) -> String {
    let mut out = String::new();
    let mut last_lower = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && last_lower && !out.ends_with(separator) {
                out.push(separator);
            }
            out.extend(c.to_lowercase());
            last_lower = c.is_lowercase() || c.is_ascii_digit();
        } else if !out.is_empty() && !out.ends_with(separator) {
            out.push(separator);
            last_lower = false;
        }
    }
    out.trim_end_matches(separator).to_owned()
}

/// The plan for `request` under the rules of `policies` that apply to its domain.
pub(crate) fn plan(policies: &PolicySet, request: &NewContract) -> Plan {
    let mut plan = skeleton(request);
    let (rules, _) = policies.parts();
    let active: Vec<&Rule> = rules
        .iter()
        .filter(|r| r.enabled && scope_matches(&r.scope, Some(&request.domain)))
        .collect();
    plan.rules = active.len();
    let mut bounds: Vec<(String, bool, Bound)> = Vec::new();
    // Twice: a field one rule adds gets the attributes an earlier rule asks of every field.
    for _ in 0..2 {
        bounds.clear();
        for rule in &active {
            for statement in &rule.statements {
                if statement
                    .when
                    .as_ref()
                    .is_some_and(|when| !may_hold(&plan, when))
                {
                    continue;
                }
                apply(&mut plan, statement, &mut bounds);
            }
        }
    }
    // The strictest bounds: the largest `at least`, then the smallest `at most`.
    let mut paths: Vec<&str> = bounds.iter().map(|(p, _, _)| p.as_str()).collect();
    paths.dedup();
    let paths: Vec<String> = paths.into_iter().map(str::to_owned).collect();
    for path in paths {
        let current = plan.text(&path).and_then(Quantity::parse);
        let lower = bounds
            .iter()
            .filter(|(p, at_least, _)| *p == path && *at_least)
            .max_by(|a, b| a.2.quantity.value().total_cmp(&b.2.quantity.value()));
        let upper = bounds
            .iter()
            .filter(|(p, at_least, _)| *p == path && !*at_least)
            .min_by(|a, b| a.2.quantity.value().total_cmp(&b.2.quantity.value()));
        let kind_matches = |q: Option<Quantity>, bound: &Bound| {
            q.is_some_and(|q| q.as_kind_of(bound.quantity).is_some())
        };
        let mut value = current.filter(|q| {
            lower.is_none_or(|l| kind_matches(Some(*q), &l.2))
                && upper.is_none_or(|u| kind_matches(Some(*q), &u.2))
        });
        let mut written = value.and(plan.text(&path).map(str::to_owned));
        if let Some((_, _, low)) = lower {
            if value.is_none_or(|v| v.value() < low.quantity.value()) {
                value = Some(low.quantity);
                written = Some(low.written.clone());
            }
        }
        if let Some((_, _, high)) = upper {
            if value.is_none_or(|v| v.value() > high.quantity.value()) {
                written = Some(high.written.clone());
            }
        }
        if let Some(written) = written {
            let note = match (lower, upper) {
                (Some(l), Some(u)) => format!(
                    "the policies ask for at least {} and at most {}",
                    l.2.written, u.2.written
                ),
                (Some(l), None) => format!("the policies ask for at least {}", l.2.written),
                (None, Some(u)) => format!("the policies ask for at most {}", u.2.written),
                (None, None) => String::new(),
            };
            plan.set(&path, Value::Text(written), todo(&note));
        }
    }
    plan
}

/// Whether a `when` condition may hold for the new contract: a comparison of a value the
/// plan has is decided; anything else may hold (and the statement is followed).
fn may_hold(plan: &Plan, condition: &Condition) -> bool {
    match condition {
        Condition::Compare(path, Comparison::Is(Literal::Str(want))) => plan
            .text(&path.text)
            .is_none_or(|have| have.eq_ignore_ascii_case(want)),
        Condition::Compare(path, Comparison::IsIn(list)) => {
            plan.text(&path.text).is_none_or(|have| {
                list.iter()
                    .any(|l| matches!(l, Literal::Str(s) if s.eq_ignore_ascii_case(have)))
            })
        }
        Condition::And(a, b) => may_hold(plan, a) && may_hold(plan, b),
        _ => true,
    }
}

/// A value for a key the policies ask for.
fn default_for(path: &str, plan: &Plan) -> (Value, Option<String>) {
    let name = plan.text("data_product").unwrap_or("product").to_owned();
    let last = path.rsplit('.').next().unwrap_or(path);
    match last {
        "version" | "schema_version" => (Value::Text("0.1.0".to_owned()), None),
        "status" => (Value::Text("draft".to_owned()), None),
        "tags" => (
            Value::List(vec!["TODO".to_owned()]),
            todo("the product's tags"),
        ),
        "name" | "data_product" => (Value::Text(name), None),
        "id" => (Value::Text(slug(&name, '-')), todo("a stable id")),
        "owner" | "email" | "contact" => (
            Value::Text(format!(
                "{}-team@company.com",
                slug(plan.text("domain").unwrap_or("data"), '-')
            )),
            todo("the right address"),
        ),
        _ => (Value::Text("TODO".to_owned()), todo(&format!("`{path}`"))),
    }
}

fn literal_value(literal: &Literal) -> Value {
    match literal {
        Literal::Bool(b) => Value::Bool(*b),
        other => Value::Text(other.to_string()),
    }
}

/// A value that matches `matcher`, from candidates made of what the plan knows.
fn matching_value(plan: &Plan, path: &str, matcher: &Matcher) -> Option<String> {
    let current = plan.text(path).unwrap_or("").to_owned();
    let name = plan.text("data_product").unwrap_or("product");
    let domain = plan.text("domain").unwrap_or("data");
    let candidates = [
        current.clone(),
        slug(&current, '_'),
        slug(&current, '-'),
        current.to_ascii_lowercase(),
        format!("{}-team@company.com", slug(domain, '-')),
        slug(name, '_'),
        slug(name, '-'),
        "0.1.0".to_owned(),
        "1.0.0".to_owned(),
    ];
    candidates
        .into_iter()
        .filter(|c| !c.is_empty())
        .find(|c| matcher.is_match(c))
}

/// Whether a field of the plan passes a statement's filters (a filter it cannot decide, such
/// as `where`, counts as passing: the statement is followed).
fn passes(field: &Field, filters: &[Filter]) -> bool {
    filters.iter().all(|filter| match filter {
        Filter::Named(names) => names.iter().any(|n| n.eq_ignore_ascii_case(&field.name)),
        Filter::Matching(globs) => globs
            .iter()
            .any(|g| g.is_match(field.name.to_ascii_lowercase())),
        Filter::Tagged(tags) => tags
            .iter()
            .any(|t| t.eq_ignore_ascii_case("pii") && field.pii),
        Filter::Classified(classes) => match field.get("classification") {
            Some(Value::Text(c)) => classes.iter().any(|k| k.eq_ignore_ascii_case(c)),
            _ => false,
        },
        Filter::InTable(_) | Filter::Where(_) => true,
    })
}

fn apply(plan: &mut Plan, statement: &Statement, bounds: &mut Vec<(String, bool, Bound)>) {
    let negated = statement.negated;
    match &statement.subject {
        Subject::Contract => {
            if let (Predicate::Have(paths), false) = (&statement.predicate, negated) {
                for path in paths {
                    ensure(plan, &path.text);
                }
            }
        }
        Subject::Path(path) => {
            let path = path.text.as_str();
            match (&statement.predicate, negated) {
                (Predicate::Exist, false) => ensure(plan, path),
                (Predicate::Exist, true) => plan.remove(path),
                (Predicate::Have(paths), false) => {
                    for below in paths {
                        ensure(plan, &format!("{path}.{}", below.text));
                    }
                }
                (Predicate::Be(attr), no) => {
                    plan.set(&format!("{path}.{}", attr.text), Value::Bool(!no), None);
                }
                (Predicate::AtLeast(bound), false) => {
                    bounds.push((path.to_owned(), true, bound.clone()));
                }
                (Predicate::AtMost(bound), false) => {
                    bounds.push((path.to_owned(), false, bound.clone()));
                }
                (Predicate::OneOf(list) | Predicate::HaveIn(_, list), false) => {
                    let allowed = plan.text(path).is_some_and(|have| {
                        list.iter()
                            .any(|l| l.to_string().eq_ignore_ascii_case(have))
                    });
                    if !allowed {
                        if let Some(first) = list.first() {
                            plan.set(
                                path,
                                literal_value(first),
                                todo("one of the allowed values"),
                            );
                        }
                    }
                }
                (Predicate::Match(matcher), false)
                    if plan.get(path).is_some()
                        && !plan.text(path).is_some_and(|v| matcher.is_match(v)) =>
                {
                    if let Some(value) = matching_value(plan, path, matcher) {
                        plan.set(path, Value::Text(value), None);
                    }
                }
                _ => {}
            }
        }
        Subject::Collection(Collection::Fields, filters) => {
            apply_to_fields(plan, filters, &statement.predicate, negated);
        }
        // Other collections, and version numbers (change rules, which compare two versions
        // and never apply to a new contract): the engine's check decides.
        Subject::Collection(..) | Subject::Version(..) => {}
    }
}

fn apply_to_fields(plan: &mut Plan, filters: &[Filter], predicate: &Predicate, negated: bool) {
    match (predicate, negated) {
        (Predicate::Exist, false) => {
            let named = filters.iter().find_map(|f| match f {
                Filter::Named(names) => names.first().cloned(),
                _ => None,
            });
            if let Some(name) = named {
                if !plan.fields.iter().any(|f| passes(f, filters)) {
                    plan.fields.push(Field {
                        name,
                        pii: false,
                        attrs: vec![Entry {
                            path: "type".to_owned(),
                            value: Value::Text("string".to_owned()),
                            todo: None,
                        }],
                        todo: todo("the policies ask for this field"),
                    });
                }
            }
        }
        (Predicate::Exist, true) => plan.fields.retain(|f| !passes(f, filters)),
        (Predicate::Be(attr), no) => {
            for field in plan.fields.iter_mut().filter(|f| passes(f, filters)) {
                field.set(&attr.text, Value::Bool(!no), None);
            }
        }
        (Predicate::Have(paths), false) => {
            for field in plan.fields.iter_mut().filter(|f| passes(f, filters)) {
                for path in paths {
                    if field.get(&path.text).is_none() {
                        let (value, note) = match path.text.as_str() {
                            "description" => (
                                Value::Text(format!("TODO: what `{}` holds", field.name)),
                                None,
                            ),
                            "classification" => (
                                Value::Text(
                                    if field.pii { "restricted" } else { "internal" }.to_owned(),
                                ),
                                todo("the classification"),
                            ),
                            "required" | "unique" | "primary_key" => (Value::Bool(false), None),
                            other => (Value::Text("TODO".to_owned()), todo(&format!("`{other}`"))),
                        };
                        field.set(&path.text, value, note);
                    }
                }
            }
        }
        (Predicate::HaveIn(path, list), false) => {
            for field in plan.fields.iter_mut().filter(|f| passes(f, filters)) {
                if let Some(first) = list.first() {
                    field.set(
                        &path.text,
                        literal_value(first),
                        todo("one of the allowed values"),
                    );
                }
            }
        }
        (Predicate::HaveType { types, .. }, false) => {
            for field in plan.fields.iter_mut().filter(|f| passes(f, filters)) {
                let ok = matches!(field.get("type"), Some(Value::Text(t)) if types.iter().any(|w| w.eq_ignore_ascii_case(t)));
                if !ok {
                    if let Some(first) = types.first() {
                        field.set("type", Value::Text(first.clone()), None);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Sets `path` to a value when the plan has none.
fn ensure(plan: &mut Plan, path: &str) {
    if plan.get(path).is_none() {
        let (value, note) = default_for(path, plan);
        plan.set(path, value, note);
    }
}
