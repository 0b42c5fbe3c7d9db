//! Static checks of policies against the canonical model, before any contract is read.
//!
//! Errors (they stop a run): a path or attribute that is a small edit away from a canonical
//! name (`encryptd`, `ownr`) — such a typo can make a `must not` rule pass silently — and a
//! quantity of the wrong kind (`sla.availability must be at least 1 hour`).
//! Warnings (doubtful, reported by `check-policies`): a name far from every canonical name (it
//! may be a custom key), a regex that can never match, a `when` that is always false, two rules
//! that say the same thing.

use std::sync::Arc;

use miette::Diagnostic;

use super::ast::{
    Collection, Comparison, Condition, Filter, Held, Literal, Matcher, Path, Predicate, Rule,
    Statement, Subject,
};
use super::error::{PolicyError, PolicyErrorKind};
use super::quantity::Quantity;
use crate::contract::model::{
    quantity_kind, CONTRACT_NAMES, FIELD_NAMES, ITEM_NAMES, KNOWN_RAW_KEYS,
};
use crate::contract::Format;
use crate::source::{SourceFile, Span};
use crate::suggest::closest;

/// A doubtful thing in a policy: worth a look, not an error.
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(severity(Warning))]
#[non_exhaustive]
pub struct PolicyWarning {
    /// What is doubtful.
    pub message: String,
    /// A short code (`policy::custom_name`).
    #[diagnostic(code)]
    pub code: &'static str,
    /// Where.
    #[label("{label}")]
    pub span: Span,
    /// Text under the underline.
    pub label: String,
    /// A hint.
    #[help]
    pub help: Option<String>,
    /// The policy file.
    #[source_code]
    pub src: Arc<SourceFile>,
}

#[derive(Default)]
pub(crate) struct Checked {
    pub errors: Vec<PolicyError>,
    pub warnings: Vec<PolicyWarning>,
    /// Custom names the set declares (`custom names ...`, `custom-names` in governance.toml):
    /// raw paths used on purpose, not worth a warning.
    custom: Vec<String>,
}

/// Checks `rules` (all of a set, so that duplicates across files are seen); `custom` are the
/// declared custom names.
pub(crate) fn check(rules: &[Rule], custom: &[String]) -> Checked {
    let mut out = Checked {
        custom: custom.to_vec(),
        ..Checked::default()
    };
    for rule in rules {
        for statement in &rule.statements {
            statement_checks(rule, statement, &mut out);
        }
    }
    identical_rules(rules, &mut out);
    out
}

/// Which names are canonical where a path is used.
#[derive(Clone, Copy)]
enum Scope {
    Contract,
    Field,
    Item,
}

impl Scope {
    fn names(self) -> &'static [&'static str] {
        match self {
            Scope::Contract => CONTRACT_NAMES,
            Scope::Field => FIELD_NAMES,
            Scope::Item => ITEM_NAMES,
        }
    }
}

fn statement_checks(rule: &Rule, statement: &Statement, out: &mut Checked) {
    if let Some(when) = &statement.when {
        condition_paths(rule, when, Scope::Contract, out);
        always_false(rule, when, out);
    }
    let (scope, value_path) = match &statement.subject {
        Subject::Contract => (Scope::Contract, None),
        Subject::Path(path) => {
            name_check(rule, path, Scope::Contract, out);
            (Scope::Contract, Some(path))
        }
        Subject::Collection(collection, filters) => {
            let scope = if *collection == Collection::Fields {
                Scope::Field
            } else {
                Scope::Item
            };
            for filter in filters {
                if let Filter::Where(condition) = filter {
                    condition_paths(rule, condition, scope, out);
                }
            }
            (scope, None)
        }
        Subject::Version(_, path) => {
            name_check(rule, path, Scope::Contract, out);
            if !matches!(
                statement.predicate,
                Predicate::Change(None)
                    | Predicate::Increase(None, None)
                    | Predicate::Decrease(None, None)
            ) {
                invalid_change(
                    rule,
                    statement.predicate_span,
                    "a version number (`major version`) is compared between versions only",
                    "write `major version must increase`, `must not decrease` or `must change`",
                    out,
                );
            }
            (Scope::Contract, Some(path))
        }
    };
    if statement.predicate.is_change() {
        change_checks(rule, statement, scope, value_path, out);
        return;
    }
    match &statement.predicate {
        Predicate::Be(attribute) | Predicate::HaveIn(attribute, _) => match value_path {
            Some(_) => {}
            None => name_check(rule, attribute, scope, out),
        },
        Predicate::Have(paths) => {
            for path in paths {
                match value_path {
                    None => name_check(rule, path, scope, out),
                    // `sla must have availabilty` looks up `sla.availabilty`.
                    Some(parent) => {
                        let joined = Path {
                            text: format!("{}.{}", parent.text, path.text),
                            span: path.span,
                            quoted: path.quoted || parent.quoted,
                        };
                        name_check(rule, &joined, Scope::Contract, out);
                    }
                }
            }
        }
        Predicate::AtLeast(bound) | Predicate::AtMost(bound) => {
            if let Some(path) = value_path {
                quantity_check(rule, path, bound.quantity, statement.predicate_span, out);
            }
        }
        Predicate::Match(Matcher::Regex { regex, source }) => {
            never_matches(rule, regex.as_str(), source, statement.predicate_span, out);
        }
        Predicate::HaveType { .. }
        | Predicate::Match(_)
        | Predicate::OneOf(_)
        | Predicate::Exist => {}
        Predicate::Removed
        | Predicate::Added
        | Predicate::Change(_)
        | Predicate::Lose(_)
        | Predicate::Gain(_)
        | Predicate::Increase(..)
        | Predicate::Decrease(..)
        | Predicate::Narrow(_) => {}
    }
}

fn invalid_change(rule: &Rule, span: Span, message: &str, help: &str, out: &mut Checked) {
    out.errors.push(PolicyError::new(
        PolicyErrorKind::InvalidChange {
            message: message.to_owned(),
            help: Some(help.to_owned()),
        },
        rule.source.clone(),
        span,
    ));
}

/// The static checks of a change predicate: its attribute names, a form that only reads one
/// way (`must not be removed`), and what `narrow` can compare.
fn change_checks(
    rule: &Rule,
    statement: &Statement,
    scope: Scope,
    value_path: Option<&Path>,
    out: &mut Checked,
) {
    let span = statement.predicate_span;
    let predicate = &statement.predicate;
    let collection = matches!(statement.subject, Subject::Collection(..));
    // `lose`, `gain`, `narrow`, `be removed`, `be added` say what must not happen.
    let only_negated = match predicate {
        Predicate::Removed => Some("must not be removed"),
        Predicate::Added => Some("must not be added"),
        Predicate::Lose(_) => Some("must not lose ..."),
        Predicate::Gain(_) => Some("must not gain ..."),
        Predicate::Narrow(_) => Some("must not narrow type"),
        _ => None,
    };
    if let (Some(form), false) = (only_negated, statement.negated) {
        invalid_change(
            rule,
            span,
            "this change predicate is only meaningful with `must not`",
            &format!("write `{form}`"),
            out,
        );
    }
    let attribute = match predicate {
        Predicate::Change(attribute)
        | Predicate::Increase(attribute, _)
        | Predicate::Decrease(attribute, _) => attribute.as_ref(),
        Predicate::Lose(Held::Attr(path)) | Predicate::Gain(Held::Attr(path)) => Some(path),
        Predicate::Narrow(path) => {
            if !collection {
                invalid_change(
                    rule,
                    span,
                    "`narrow` compares the types of fields",
                    "write `fields must not narrow type` (or `physical_type`)",
                    out,
                );
            } else if !matches!(path.text.as_str(), "type" | "physical_type") {
                invalid_change(
                    rule,
                    path.span,
                    &format!("`narrow` compares types, not `{}`", path.text),
                    "write `narrow type` or `narrow physical_type`; to compare other values use `change`, `increase` or `decrease`",
                    out,
                );
                return;
            }
            Some(path)
        }
        _ => None,
    };
    if collection
        && attribute.is_none()
        && matches!(
            predicate,
            Predicate::Change(_) | Predicate::Increase(..) | Predicate::Decrease(..)
        )
    {
        invalid_change(
            rule,
            span,
            "say which attribute of each item is compared",
            "write for example `fields must not change type` or `fields must not increase minLength`",
            out,
        );
    }
    if matches!(statement.subject, Subject::Contract)
        && attribute.is_none()
        && matches!(predicate, Predicate::Increase(..) | Predicate::Decrease(..))
    {
        invalid_change(
            rule,
            span,
            "say which value of the contract is compared",
            "write for example `sla.availability must not decrease`",
            out,
        );
    }
    if let Some(attribute) = attribute {
        match value_path {
            None => name_check(rule, attribute, scope, out),
            Some(parent) => {
                let joined = Path {
                    text: format!("{}.{}", parent.text, attribute.text),
                    span: attribute.span,
                    quoted: attribute.quoted || parent.quoted,
                };
                name_check(rule, &joined, Scope::Contract, out);
            }
        }
    }
}

/// `ownr` near `owner` is an error; `x-team.slack`, far from everything, is a custom key.
fn name_check(rule: &Rule, path: &Path, scope: Scope, out: &mut Checked) {
    let names = scope.names();
    if names.contains(&path.text.as_str()) || path.quoted {
        return;
    }
    let subject = match scope {
        Scope::Contract => "path",
        Scope::Field | Scope::Item => "attribute",
    };
    // Only a near-miss spelling of a canonical name is an error (`sla.availabilty`); a name
    // with another number of segments (`retention` beside `sla.retention`) is a valid raw
    // path, at most worth a warning.
    let segments = |text: &str| text.split('.').count();
    let near = closest(&path.text, names.iter().copied());
    let same_shape = near.filter(|near| segments(near) == segments(&path.text));
    match same_shape {
        Some(near) => out.errors.push(PolicyError::new(
 PolicyErrorKind::UnknownName {
            kind: subject,
            name: path.text.clone(),
            help: format!(
                "did you mean `{near}`? A misspelt name is never found, which can make a rule pass silently"
            ),
        },
 rule.source.clone(),
 path.span,
)),
        None if near.is_none()
            && KNOWN_RAW_KEYS.contains(&path.text.split('.').next().unwrap_or("")) => {}
        // Declared on purpose: `x-hr` covers `x-hr.legal-basis` too.
        None if out.custom.iter().any(|declared| {
            path.text == *declared || path.text.starts_with(&format!("{declared}."))
        }) => {}
        None => {
            let sharing = near.or_else(|| {
                names.iter().copied().find(|name| {
                    name.split('.')
                        .any(|part| path.text.split('.').any(|own| own == part))
                })
            });
            let help = match sharing {
                Some(canonical) => format!(
                    "it is looked up as written in each contract; did you mean the canonical `{canonical}`?"
                ),
                None => format!(
                    "it is looked up as written in each contract; canonical {subject}s are {}",
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            out.warnings.push(PolicyWarning {
                message: format!("`{}` is not a canonical {subject}", path.text),
                code: "policy::custom_name",
                span: path.span,
                label: "read from the raw document".to_owned(),
                help: Some(help),
                src: rule.source.clone(),
            });
        }
    }
}

fn condition_paths(rule: &Rule, condition: &Condition, scope: Scope, out: &mut Checked) {
    match condition {
        Condition::Not(inner) => condition_paths(rule, inner, scope, out),
        Condition::Quantified(_, collection, filters) => {
            // The filters read the items of the collection.
            let scope = if *collection == Collection::Fields {
                Scope::Field
            } else {
                Scope::Item
            };
            for filter in filters {
                if let Filter::Where(condition) = filter {
                    condition_paths(rule, condition, scope, out);
                }
            }
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            condition_paths(rule, a, scope, out);
            condition_paths(rule, b, scope, out);
        }
        Condition::ContractChanged | Condition::ContractBreaks => {}
        Condition::Changed(_, path, _) => name_check(rule, path, scope, out),
        Condition::Compare(path, comparison) | Condition::Previous(path, comparison) => {
            name_check(rule, path, scope, out);
            if let Comparison::Is(Literal::Quantity(q)) | Comparison::IsNot(Literal::Quantity(q)) =
                comparison
            {
                quantity_check(rule, path, *q, path.span, out);
            }
        }
    }
}

/// `sla.availability must be at least 1 hour`: the kinds can never compare.
fn quantity_check(rule: &Rule, path: &Path, bound: Quantity, span: Span, out: &mut Checked) {
    let Some(expected) = quantity_kind(&path.text) else {
        return;
    };
    let given = bound.kind_name();
    // A plain number is read as percentage points against a percentage; against a duration
    // it has no unit at all.
    let plain_ok = matches!(bound, Quantity::Number(_)) && expected == "a percentage";
    if given != expected && !plain_ok {
        out.errors.push(PolicyError::new(
            PolicyErrorKind::WrongQuantity {
                path: path.text.clone(),
                expected,
                given,
            },
            rule.source.clone(),
            span,
        ));
    }
}

/// A regex whose language is empty, or holds only the empty string, never matches a value.
fn never_matches(rule: &Rule, pattern: &str, shown: &str, span: Span, out: &mut Checked) {
    let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
        return;
    };
    let properties = hir.properties();
    let reason = match (properties.minimum_len(), properties.maximum_len()) {
        (None, _) => Some("it can never match anything"),
        (_, Some(0)) => Some("it only matches an empty value"),
        _ => None,
    };
    if let Some(reason) = reason {
        out.warnings.push(PolicyWarning {
            message: format!("`{shown}` never matches a name or value: {reason}"),
            code: "policy::regex_never_matches",
            span,
            label: "never matches".to_owned(),
            help: None,
            src: rule.source.clone(),
        });
    }
}

/// `when format is "odcs-v4"`, `when domain is "a" and domain is "b"`.
fn always_false(rule: &Rule, condition: &Condition, out: &mut Checked) {
    let mut warn = |span: Span, message: String| {
        out.warnings.push(PolicyWarning {
            message,
            code: "policy::always_false",
            span,
            label: "never true".to_owned(),
            help: Some("the statement is never evaluated".to_owned()),
            src: rule.source.clone(),
        });
    };
    if let Condition::Compare(path, Comparison::Is(Literal::Str(value))) = condition {
        let value = value.to_ascii_lowercase();
        let known = Format::ALL
            .iter()
            .any(|f| f.as_str() == value || f.as_str().starts_with(&format!("{value}-")));
        if path.text == "format" && !known {
            warn(path.span, format!("no contract has format `{value}`"));
        }
    }
    if let Condition::And(a, b) = condition {
        if let (
            Condition::Compare(p1, Comparison::Is(Literal::Str(v1))),
            Condition::Compare(p2, Comparison::Is(Literal::Str(v2))),
        ) = (a.as_ref(), b.as_ref())
        {
            if p1.text == p2.text && !v1.eq_ignore_ascii_case(v2) {
                warn(
                    p2.span,
                    format!("`{}` cannot be both `{v1}` and `{v2}`", p1.text),
                );
            }
        }
    }
}

/// Two rules whose statements are the same, word for word.
fn identical_rules(rules: &[Rule], out: &mut Checked) {
    // Each rule's statements normalised once, then looked up: linear in the number of rules.
    let mut seen: std::collections::HashMap<(Vec<String>, &[String]), &Rule> =
        std::collections::HashMap::with_capacity(rules.len());
    for rule in rules {
        let body: Vec<String> = rule
            .statements
            .iter()
            .map(|s| {
                rule.source
                    .slice(s.span)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if body.is_empty() {
            continue;
        }
        match seen.entry((body, rule.scope.as_slice())) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(rule);
            }
            std::collections::hash_map::Entry::Occupied(first) => {
                let earlier = *first.get();
                let at = earlier.source.at(earlier.id_span.start());
                out.warnings.push(PolicyWarning {
                    message: format!("rule `{}` says the same as rule `{}`", rule.id, earlier.id),
                    code: "policy::identical_rules",
                    span: rule.id_span,
                    label: "same statements".to_owned(),
                    help: Some(format!("`{}` is at {at}; keep one of them", earlier.id)),
                    src: rule.source.clone(),
                });
            }
        }
    }
}
