//! Evaluation: every statement of every rule against one contract, producing findings.
//!
//! The semantics, in short (the reference is docs/policy-language.md):
//! - a collection subject yields one finding per offending item; `must exist` without `not`
//!   yields one finding when no item matches;
//! - a value predicate (`match`, `be at least`, `be one of`, `have type`) on an absent value is
//!   not evaluated: `must have` and `must exist` are how presence is required;
//! - `be ATTRIBUTE` on an item that lacks the attribute fails.
//!
//! Change rules (their statements compare two versions: `must not be removed`, `must not lose
//! encrypted`, `previous status is ...`) are evaluated only on a pair of versions
//! ([`evaluate_pair`], see `change.rs`); the others only on one contract ([`evaluate`]).

mod change;
pub(crate) mod pair;
pub(crate) mod types;
pub(crate) mod values;

use std::sync::Arc;

use crate::contract::model::is_list_valued;
use crate::contract::{Attr, Contract, Entity, Item, ItemKind};
use crate::document::{NodeId, NodeKind};
use crate::finding::Finding;
use crate::policy::ast::{
    Bound, Collection, Comparison, Condition, Filter, Literal, Matcher, Path, Predicate,
    Quantifier, Raise, Rule, Statement, Subject,
};
use crate::policy::quantity::Quantity;
use crate::policy::scope::{contract_domain, scope_matches};
use crate::source::Span;
pub(crate) use change::{evaluate_pair, Versions};
use values::{equals, exists, quantity as quantity_of, same_text, shown};

/// Evaluates `rules` against `contract`, appending findings to `out`.
pub(crate) fn evaluate(
    rules: &[Rule],
    raises: &[Raise],
    contract: &Contract,
    out: &mut Vec<Finding>,
) {
    let domain = contract_domain(contract);
    let domain = domain.as_deref();
    for rule in rules {
        // Change rules compare two versions: `breaking` evaluates them, never `check`.
        if rule.change || !rule.enabled || !scope_matches(&rule.scope, domain) {
            continue;
        }
        let severity = severity_of(rule, raises, domain);
        for statement in &rule.statements {
            let mut eval = Evaluation::new(rule, severity, contract, &mut *out);
            eval.statement(statement);
        }
    }
}

/// The rule's severity for a contract of `domain`: `raise RULE to S` in a pack that applies to
/// it makes the rule stricter.
fn severity_of(rule: &Rule, raises: &[Raise], domain: Option<&str>) -> crate::finding::Severity {
    raises
        .iter()
        .filter(|r| *r.rule == *rule.id && scope_matches(&r.scope, domain))
        .map(|r| r.severity)
        .fold(rule.severity, Ord::max)
}

struct Evaluation<'a> {
    rule: &'a Rule,
    /// The rule's severity for this contract (after `raise`).
    severity: crate::finding::Severity,
    /// What the finding being made is about (`orders.email`, `sla.availability`), for waivers.
    target: Option<&'a str>,
    contract: &'a Contract,
    out: &'a mut Vec<Finding>,
    /// On a pair of versions: the previous one, and which item is which.
    versions: Option<&'a Versions<'a>>,
    /// The contract was deleted: `contract` is its previous version.
    deleted: bool,
    /// How many findings the breaking (schema, interface) change rules made on the pair, for
    /// `contract breaks`.
    breaks: usize,
    /// The attribute the finding being made is about (a change rule's), for changelogs.
    attribute: Option<String>,
}

/// What a predicate is applied to: the contract, a value at a path, or an item (`index` is its
/// position in the subject's collection).
#[derive(Clone, Copy)]
enum Target<'a> {
    Contract,
    Value { path: &'a Path, attr: Attr },
    Item { item: &'a Item, index: usize },
}

/// Where a condition reads its paths: an entity of one contract, and the same thing in the
/// previous version when there is one (for `previous PATH` and `PATH changed`).
#[derive(Clone, Copy)]
struct Place<'p> {
    contract: &'p Contract,
    entity: &'p Entity,
    previous: Option<(&'p Contract, &'p Entity)>,
}

/// An item a filter is tested on, in its contract, with its previous version when known.
#[derive(Clone, Copy)]
struct ItemAt<'p> {
    contract: &'p Contract,
    item: &'p Item,
    previous: Option<(&'p Contract, &'p Item)>,
}

impl<'p> ItemAt<'p> {
    fn place(self) -> Place<'p> {
        Place {
            contract: self.contract,
            entity: &self.item.entity,
            previous: self.previous.map(|(c, i)| (c, &i.entity)),
        }
    }
}

impl<'a> Evaluation<'a> {
    fn new(
        rule: &'a Rule,
        severity: crate::finding::Severity,
        contract: &'a Contract,
        out: &'a mut Vec<Finding>,
    ) -> Self {
        Self {
            rule,
            severity,
            target: None,
            contract,
            out,
            versions: None,
            deleted: false,
            breaks: 0,
            attribute: None,
        }
    }

    /// The contract's top level as conditions read it.
    fn top_place(&self) -> Place<'a> {
        Place {
            contract: self.contract,
            entity: &self.contract.top,
            previous: self.versions.map(|v| (v.previous, &v.previous.top)),
        }
    }

    /// The item at position `at` of the (current) contract, with its previous version.
    fn item_at(&self, at: usize, item: &'a Item) -> ItemAt<'a> {
        ItemAt {
            contract: self.contract,
            item,
            previous: self.versions.and_then(|v| v.counterpart(at)),
        }
    }

    fn doc(&self) -> &'a crate::document::Document {
        &self.contract.doc
    }

    fn report(&mut self, span: Span, message: String, label: &str) {
        let (file, span, part) = self.contract.doc.locate(span);
        let mut finding = Finding::new(
            self.rule.id.clone(),
            self.severity,
            message,
            Arc::clone(file),
            span,
        )
        .with_label(label);
        finding.part = part;
        finding.target = self.target.map(str::to_owned);
        finding.mandatory = self.rule.mandatory;
        if let Some(help) = &self.rule.help {
            // `{target}` in a rule's help names what this finding is about, so that one help
            // fits every statement of the rule.
            finding = match self.target {
                Some(target) if help.contains("{target}") => {
                    finding.with_help(help.replace("{target}", target))
                }
                _ => finding.with_help(help.clone()),
            };
        }
        self.out.push(finding);
    }

    /// Where a missing top-level key is reported: the start of the document.
    fn document_start(&self) -> Span {
        Span::empty(self.doc().span(self.contract.root()).start())
    }

    fn statement(&mut self, statement: &'a Statement) {
        if let Some(when) = &statement.when {
            if !self.condition(self.top_place(), when) {
                return;
            }
        }
        match &statement.subject {
            Subject::Contract => {
                self.target = None;
                self.predicate(Target::Contract, statement);
            }
            Subject::Path(path) => match self.contract.top.lookup(self.doc(), &path.text) {
                Some(attr) if exists(self.doc(), attr.node) => {
                    self.target = Some(&path.text);
                    self.predicate(Target::Value { path, attr }, statement);
                }
                _ => {
                    self.target = Some(&path.text);
                    self.absent_path(path, statement);
                }
            },
            Subject::Collection(collection, filters) => {
                let candidates = self.candidates(*collection, filters);
                let mut matching = candidates
                    .into_iter()
                    .filter(|&(_, at, item)| {
                        let place = self.item_at(at, item);
                        filters.iter().all(|f| self.filter(place, f))
                    })
                    .peekable();
                if matches!(statement.predicate, Predicate::Exist) && !statement.negated {
                    if matching.peek().is_none() {
                        let what = subject_text(self.rule, statement);
                        self.report(
                            self.document_start(),
                            format!("the contract has no {what}"),
                            "expected here",
                        );
                    }
                    return;
                }
                let matching: Vec<(usize, usize, &'a Item)> = matching.collect();
                for (index, _, item) in matching {
                    self.target = Some(&item.path);
                    self.predicate(Target::Item { item, index }, statement);
                }
            }
            // A version number is a change subject: never evaluated on one contract.
            Subject::Version(..) => {}
        }
    }

    /// The items of a collection of the (current) contract, each with its position in the
    /// collection and in the contract: for `named` filters, looked up by name instead of
    /// testing every item.
    fn candidates(
        &self,
        collection: Collection,
        filters: &[Filter],
    ) -> Vec<(usize, usize, &'a Item)> {
        let contract = self.contract;
        let in_it = |item: &Item| in_collection(collection, item.kind);
        match filters.first() {
            Some(Filter::Named(names)) => {
                let mut at: Vec<u32> = Vec::new();
                for name in names {
                    contract.items_named(name, &mut at);
                }
                at.sort_unstable();
                at.dedup();
                at.into_iter()
                    .filter_map(|i| Some((i as usize, contract.items.get(i as usize)?)))
                    .filter(|(_, item)| in_it(item))
                    .enumerate()
                    .map(|(index, (at, item))| (index, at, item))
                    .collect()
            }
            _ => contract
                .items
                .iter()
                .enumerate()
                .filter(|(_, item)| in_it(item))
                .enumerate()
                .map(|(index, (at, item))| (index, at, item))
                .collect(),
        }
    }

    /// A path subject whose value is absent: only `must exist` (and `must have`) say anything.
    fn absent_path(&mut self, path: &Path, statement: &Statement) {
        // `owner:` with nothing after it: say so where it is written.
        if let Some(empty) = self.contract.top.lookup(self.doc(), &path.text) {
            if matches!(statement.predicate, Predicate::Exist | Predicate::Have(_))
                && !statement.negated
            {
                self.report(empty.span, format!("`{}` is empty", path.text), "empty");
            }
            return;
        }
        match (&statement.predicate, statement.negated) {
            (Predicate::Exist, false) => self.report(
                self.document_start(),
                format!("`{}` is missing", path.text),
                "missing",
            ),
            (Predicate::Have(_), false) => self.report(
                self.document_start(),
                format!("`{}` is missing", path.text),
                "missing",
            ),
            _ => {}
        }
    }

    fn predicate(&mut self, target: Target<'a>, statement: &'a Statement) {
        let negated = statement.negated;
        match &statement.predicate {
            Predicate::Exist => self.exist(target, negated),
            Predicate::Have(paths) => {
                for path in paths {
                    self.have(target, path, negated);
                }
            }
            Predicate::Be(attribute) => self.be(target, attribute, negated),
            Predicate::HaveIn(attribute, literals) => {
                self.have_in(target, attribute, literals, negated);
            }
            Predicate::HaveType { types, list, .. } => {
                self.have_type(target, types, *list, negated);
            }
            Predicate::Match(matcher) => self.matches(target, matcher, negated),
            Predicate::AtLeast(bound) => self.compare(target, bound, true, negated),
            Predicate::AtMost(bound) => self.compare(target, bound, false, negated),
            Predicate::OneOf(literals) => self.one_of(target, literals, negated),
            // Change predicates compare two versions: `change.rs` evaluates them.
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

    /// `must not exist`: the target itself is the finding.
    fn exist(&mut self, target: Target<'a>, negated: bool) {
        if !negated {
            return;
        }
        let span = match target {
            Target::Contract => return,
            Target::Value { attr, .. } => attr.span,
            Target::Item { item, .. } => item.anchor,
        };
        self.report(
            span,
            format!("{} must not exist", what(target)),
            "not allowed",
        );
    }

    /// The values a value predicate tests, each with the span to report: one scalar; each
    /// item of a list where the name holds a list (`tags`, a raw path); nothing when absent.
    /// A collection where one value is expected is reported as such, and tests nothing.
    fn values(&mut self, target: Target<'a>, expected: &str) -> Vec<(NodeId, Span)> {
        let Some((node, span)) = self.value_of(target) else {
            return Vec::new();
        };
        let doc = self.doc();
        let list_valued = match target {
            Target::Value { path, .. } => is_list_valued(&path.text),
            Target::Contract | Target::Item { .. } => false,
        };
        let collection = match &doc.node(node).kind {
            NodeKind::Null => return Vec::new(),
            NodeKind::Seq(_) if list_valued => {
                let items = doc.items(node);
                if let Some(&bad) = items.iter().find(|&&i| doc.scalar_text(i).is_none()) {
                    let noun = kind_noun(doc, bad);
                    let what = value_what(target);
                    self.report(
                        doc.span(bad),
                        format!("an item of {what} is {noun}, not {expected}"),
                        &format!("not {expected}"),
                    );
                    return Vec::new();
                }
                return items.iter().map(|&i| (i, doc.span(i))).collect();
            }
            NodeKind::Seq(_) | NodeKind::Map(_) => kind_noun(doc, node),
            _ => return vec![(node, span)],
        };
        let what = value_what(target);
        self.report(
            span,
            format!("{what} is {collection}, not {expected}"),
            &format!("not {expected}"),
        );
        Vec::new()
    }

    fn have_type(&mut self, target: Target<'a>, types: &[String], list: bool, negated: bool) {
        let Some(entity) = self.entity_of(target) else {
            return;
        };
        let Some(found) = entity.lookup(self.doc(), "type") else {
            return;
        };
        let doc = self.doc();
        let actual = match &doc.node(found.node).kind {
            NodeKind::Null => return,
            NodeKind::Seq(_) | NodeKind::Map(_) => {
                let noun = kind_noun(doc, found.node);
                self.report(
                    found.span,
                    format!(
                        "{} has a `type` that is {noun}, not a type name",
                        what(target)
                    ),
                    "not a type name",
                );
                return;
            }
            _ => match doc.scalar_text(found.node) {
                Some(actual) => actual,
                None => return,
            },
        };
        let allowed = types.iter().any(|t| same_text(&actual, t));
        if allowed == negated {
            let what = what(target);
            let message = if negated {
                format!("{what} has type `{actual}`, which is not allowed")
            } else if list {
                format!(
                    "{what} has type `{actual}`, expected one of {}",
                    quoted_list(types)
                )
            } else {
                format!(
                    "{what} has type `{actual}`, expected {}",
                    quoted_list(types)
                )
            };
            let label = if negated {
                "type not allowed"
            } else {
                "wrong type"
            };
            self.report(found.span, message, label);
        }
    }

    fn matches(&mut self, target: Target<'a>, matcher: &Matcher, negated: bool) {
        let expected = match matcher {
            Matcher::Format(format) => format.describe,
            Matcher::Regex { .. } => "text",
        };
        for (node, span) in self.values(target, expected) {
            let Some(text) = self.doc().scalar_text(node) else {
                continue;
            };
            if matcher.is_match(&text) != negated {
                continue;
            }
            let what = value_what(target);
            let shown_value = shown(self.doc(), node);
            let (message, label) = match (matcher, negated) {
                (Matcher::Format(format), false) => (
                    format!(
                        "{what} is `{shown_value}`, which is not {}",
                        format.describe
                    ),
                    format!("not {}", format.describe),
                ),
                (Matcher::Format(format), true) => (
                    format!(
                        "{what} is `{shown_value}`, which must not be {}",
                        format.describe
                    ),
                    format!("is {}", format.describe),
                ),
                (Matcher::Regex { source, .. }, false) => (
                    format!("{what} is `{shown_value}`, which does not match `{source}`"),
                    "does not match".to_owned(),
                ),
                (Matcher::Regex { source, .. }, true) => (
                    format!("{what} is `{shown_value}`, which must not match `{source}`"),
                    "matches".to_owned(),
                ),
            };
            self.report(span, message, &label);
        }
    }

    fn one_of(&mut self, target: Target<'a>, literals: &[Literal], negated: bool) {
        for (node, span) in self.values(target, "one value") {
            let found = literals.iter().any(|l| equals(self.doc(), node, l));
            if found != negated {
                continue;
            }
            let what = value_what(target);
            let value = shown(self.doc(), node);
            let options: Vec<String> = literals.iter().map(ToString::to_string).collect();
            let message = if negated {
                format!("{what} is `{value}`, which is not allowed")
            } else {
                format!(
                    "{what} is `{value}`, expected one of {}",
                    quoted_list(&options)
                )
            };
            let label = if negated {
                "not allowed"
            } else {
                "not one of the allowed values"
            };
            self.report(span, message, label);
        }
    }

    /// The entity a target stands for.
    fn entity_of(&self, target: Target<'a>) -> Option<&'a Entity> {
        match target {
            Target::Contract => Some(&self.contract.top),
            Target::Item { item, .. } => Some(&item.entity),
            Target::Value { .. } => None,
        }
    }

    /// The value a value predicate tests: the value at a path, or an item's name.
    fn value_of(&self, target: Target<'a>) -> Option<(NodeId, Span)> {
        match target {
            Target::Contract => None,
            Target::Value { attr, .. } => Some((attr.node, attr.span)),
            Target::Item { item, .. } => {
                let name = item.entity.get("name")?;
                Some((name.node, name.span))
            }
        }
    }

    /// The attribute `path` of a target (the contract's top-level key, a key below a path, an
    /// item's attribute), and where to point when it is missing.
    fn attribute(&self, target: Target<'a>, path: &Path) -> (Option<Attr>, Span) {
        match target {
            Target::Contract => (
                self.contract.top.lookup(self.doc(), &path.text),
                self.document_start(),
            ),
            Target::Value { path: parent, attr } => (
                self.contract
                    .top
                    .lookup(self.doc(), &format!("{}.{}", parent.text, path.text)),
                attr.span,
            ),
            Target::Item { item, .. } => (item.entity.lookup(self.doc(), &path.text), item.anchor),
        }
    }

    /// `have classification in [confidential, restricted]`: the attribute is there and is one
    /// of the values (for a list, one of its items is); `must not have ... in`: it is none of
    /// them.
    fn have_in(&mut self, target: Target<'a>, path: &'a Path, literals: &[Literal], negated: bool) {
        if matches!(target, Target::Contract) {
            self.target = Some(&path.text);
        }
        let (found, anchor) = self.attribute(target, path);
        let doc = self.doc();
        let options: Vec<String> = literals.iter().map(ToString::to_string).collect();
        let allowed = quoted_list(&options);
        let what = what(target);
        let Some(attr) = found.filter(|f| exists(doc, f.node)) else {
            if !negated {
                self.report(
                    found.map_or(anchor, |f| f.span),
                    format!("{what} has no `{}`; expected one of {allowed}", path.text),
                    "missing",
                );
            }
            return;
        };
        if doc.is_map(attr.node) {
            self.report(
                attr.span,
                format!(
                    "{what} has a `{}` that is a mapping, not one value",
                    path.text
                ),
                "not one value",
            );
            return;
        }
        let found_one = literals.iter().any(|l| equals(doc, attr.node, l));
        if found_one == negated {
            let value = shown(doc, attr.node);
            let (message, label) = if negated {
                (
                    format!("{what} has {} `{value}`, which is not allowed", path.text),
                    "not allowed",
                )
            } else {
                (
                    format!(
                        "{what} has {} `{value}`, expected one of {allowed}",
                        path.text
                    ),
                    "not one of the allowed values",
                )
            };
            self.report(attr.span, message, label);
        }
    }

    fn have(&mut self, target: Target<'a>, path: &'a Path, negated: bool) {
        if matches!(target, Target::Contract) {
            // `contract must have owner`: a waiver names the missing key.
            self.target = Some(&path.text);
        }
        let (found, anchor) = self.attribute(target, path);
        let present = found.filter(|f| self.doc().is_present(f.node));
        match (present, negated) {
            (None, false) => {
                let what = what(target);
                let span = found.map_or(anchor, |f| f.span);
                let message = if found.is_some() {
                    format!("{what} has an empty `{}`", path.text)
                } else {
                    format!("{what} has no `{}`", path.text)
                };
                self.report(span, message, "missing");
            }
            (Some(attr), true) => {
                self.report(
                    attr.span,
                    format!("{} must not have `{}`", what(target), path.text),
                    "not allowed",
                );
            }
            _ => {}
        }
    }

    fn be(&mut self, target: Target<'a>, attribute: &Path, negated: bool) {
        let (found, anchor) = self.attribute(target, attribute);
        let truthy = found.is_some_and(|f| self.doc().is_yes(f.node));
        if truthy == negated {
            let what = what(target);
            let span = found.map_or(anchor, |f| f.span);
            if negated {
                self.report(
                    span,
                    format!("{what} must not be {}", attribute.text),
                    &format!("is {}", attribute.text),
                );
            } else {
                self.report(
                    span,
                    format!("{what} is not {}", attribute.text),
                    &format!("not {}", attribute.text),
                );
            }
        }
    }

    fn compare(&mut self, target: Target<'a>, bound: &Bound, at_least: bool, negated: bool) {
        for (node, span) in self.values(target, bound.quantity.kind_name()) {
            self.compare_one(target, node, span, bound, at_least, negated);
        }
    }

    fn compare_one(
        &mut self,
        target: Target<'a>,
        node: NodeId,
        span: Span,
        bound: &Bound,
        at_least: bool,
        negated: bool,
    ) {
        let written = &bound.written;
        let bound = bound.quantity;
        let doc = self.doc();
        let Some(raw) = doc.scalar_text(node) else {
            return;
        };
        let Some(actual) = quantity_of(doc, node) else {
            let what = value_what(target);
            self.report(
                span,
                format!("{what} is `{raw}`, which is not {}", bound.kind_name()),
                &format!("expected {}", bound.kind_name()),
            );
            return;
        };
        let Some(value) = actual.as_kind_of(bound) else {
            let what = value_what(target);
            let example = match bound {
                Quantity::Duration(_) => " such as `1 hour`",
                Quantity::Percent(_) => " such as `99.9%`",
                Quantity::Number(_) => "",
            };
            self.report(
                span,
                format!(
                    "{what} is `{raw}`, {}; expected {}{example}",
                    actual.kind_name(),
                    bound.kind_name()
                ),
                "wrong unit",
            );
            return;
        };
        let ok = if at_least {
            value >= bound.value()
        } else {
            value <= bound.value()
        };
        if ok == negated {
            let what = value_what(target);
            let (relation, label) = match (at_least, negated) {
                (true, false) => ("below the minimum of", format!("below {written}")),
                (false, false) => ("above the maximum of", format!("above {written}")),
                (true, true) => ("but must be below", format!("at least {written}")),
                (false, true) => ("but must be above", format!("at most {written}")),
            };
            // Both sides in the bound's unit, keeping what the contract says.
            let converted = actual
                .in_unit_of(written)
                .filter(|_| !Quantity::same_unit(&raw, written))
                .map_or_else(String::new, |shown| format!(" ({shown})"));
            self.report(
                span,
                format!("{what} is `{raw}`{converted}, {relation} {written}"),
                &label,
            );
        }
    }

    fn filter(&self, at: ItemAt<'_>, filter: &Filter) -> bool {
        let doc = &at.contract.doc;
        let item = at.item;
        match filter {
            Filter::Named(names) => item.name().is_some_and(|name| {
                // Most names are plain ASCII: compare lengths first, then bytes ignoring case.
                if name.is_ascii() && name.trim().len() == name.len() {
                    names
                        .iter()
                        .any(|n| n.len() == name.len() && n.eq_ignore_ascii_case(name))
                } else {
                    names.iter().any(|n| same_text(name, n))
                }
            }),
            Filter::Matching(globs) => item
                .name()
                .is_some_and(|name| globs.iter().any(|g| g.is_match(name))),
            Filter::Tagged(tags) => tags.iter().any(|tag| is_tagged(doc, &item.entity, tag)),
            Filter::Classified(classes) => item
                .entity
                .lookup(doc, "classification")
                .and_then(|c| doc.scalar_text(c.node))
                .is_some_and(|c| classes.iter().any(|class| same_text(&c, class))),
            Filter::InTable(tables) => item
                .table
                .as_deref()
                .is_some_and(|t| tables.iter().any(|name| same_text(t, name))),
            Filter::Where(condition) => self.condition(at.place(), condition),
        }
    }

    fn condition(&self, at: Place<'_>, condition: &Condition) -> bool {
        match condition {
            Condition::Not(inner) => !self.condition(at, inner),
            Condition::And(a, b) => self.condition(at, a) && self.condition(at, b),
            Condition::Or(a, b) => self.condition(at, a) || self.condition(at, b),
            Condition::Quantified(quantifier, collection, filters) => {
                let mut total = 0;
                let mut passing = 0;
                let current = std::ptr::eq(at.contract, self.contract);
                for (index, item) in at.contract.items.iter().enumerate() {
                    if !in_collection(*collection, item.kind) {
                        continue;
                    }
                    total += 1;
                    let previous = if current {
                        self.versions.and_then(|v| v.counterpart(index))
                    } else {
                        None
                    };
                    let place = ItemAt {
                        contract: at.contract,
                        item,
                        previous,
                    };
                    if filters.iter().all(|filter| self.filter(place, filter)) {
                        passing += 1;
                    }
                }
                match quantifier {
                    Quantifier::Any => passing > 0,
                    Quantifier::No => passing == 0,
                    Quantifier::All => total > 0 && passing == total,
                }
            }
            Condition::Compare(path, comparison) => {
                compare(&at.contract.doc, at.entity, path, comparison)
            }
            Condition::Previous(path, comparison) => match at.previous {
                Some((contract, entity)) => compare(&contract.doc, entity, path, comparison),
                None => compare(&at.contract.doc, &Entity::default(), path, comparison),
            },
            Condition::Changed(part, path, op) => self.moved(at, *part, path, *op),
            Condition::ContractChanged => self.versions.is_some_and(Versions::changed),
            Condition::ContractBreaks => self.breaks > 0,
        }
    }
}

/// `PATH is VALUE` and the other comparisons, on `entity` of the document `doc`.
fn compare(
    doc: &crate::document::Document,
    entity: &Entity,
    path: &Path,
    comparison: &Comparison,
) -> bool {
    let found = entity
        .lookup(doc, &path.text)
        .filter(|f| exists(doc, f.node));
    // `format is "odcs"` matches both `odcs-v3` and `odcs-v2`.
    let family = path.text == "format";
    let equal = |f: Attr, literal: &Literal| {
        equals(doc, f.node, literal)
            || (family
                && matches!(literal, Literal::Str(s) if doc
                    .str(f.node)
                    .is_some_and(|v| v.starts_with(&format!("{}-", s.to_ascii_lowercase())))))
    };
    match comparison {
        Comparison::Exists => found.is_some(),
        // `is null`: absent or written as null (both are "no value").
        Comparison::Is(Literal::Null) => found.is_none(),
        Comparison::IsNot(Literal::Null) => found.is_some(),
        Comparison::Is(literal) => found.is_some_and(|f| equal(f, literal)),
        Comparison::IsNot(literal) => !found.is_some_and(|f| equal(f, literal)),
        Comparison::IsIn(list) => found.is_some_and(|f| list.iter().any(|l| equal(f, l))),
        Comparison::IsNotIn(list) => !found.is_some_and(|f| list.iter().any(|l| equal(f, l))),
        Comparison::Matches(matcher) => found
            .and_then(|f| doc.scalar_text(f.node))
            .is_some_and(|text| matcher.is_match(&text)),
    }
}

/// "a list", "a mapping".
fn kind_noun(doc: &crate::document::Document, node: NodeId) -> &'static str {
    match doc.node(node).kind {
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
        _ => "a value",
    }
}

/// How a finding names what a target stands for: "the contract", "`owner`", "field `email`".
/// Only called when there is a finding to report.
fn what(target: Target<'_>) -> String {
    match target {
        Target::Contract => "the contract".to_owned(),
        Target::Value { path, .. } => format!("`{}`", path.text),
        Target::Item { item, index, .. } => item.describe(index),
    }
}

/// How a finding names the value a value predicate tested.
fn value_what(target: Target<'_>) -> String {
    match target {
        Target::Item { item, index, .. } => format!("the name of {}", item.describe(index)),
        other => what(other),
    }
}

/// `tagged T` holds when the item's `tags` contain `T`, when its classification is `T`, or, for
/// `T = pii`, when it has `pii: true`.
pub(crate) fn is_tagged(doc: &crate::document::Document, entity: &Entity, tag: &str) -> bool {
    let literal = crate::policy::ast::Literal::Str(tag.to_owned());
    let in_tags = entity.lookup(doc, "tags").is_some_and(|tags| {
        if doc.is_seq(tags.node) {
            equals(doc, tags.node, &literal)
        } else {
            doc.str(tags.node)
                .is_some_and(|s| s.split(',').any(|t| same_text(t, tag)))
        }
    });
    in_tags
        || entity
            .lookup(doc, "classification")
            .is_some_and(|c| equals(doc, c.node, &literal))
        || (same_text(tag, "pii")
            && entity
                .lookup(doc, "pii")
                .is_some_and(|p| doc.is_truthy(p.node)))
}

fn in_collection(collection: Collection, kind: ItemKind) -> bool {
    matches!(
        (collection, kind),
        (Collection::Fields, ItemKind::Field)
            | (Collection::OutputPorts, ItemKind::OutputPort)
            | (Collection::InputPorts, ItemKind::InputPort)
            | (
                Collection::Ports,
                ItemKind::OutputPort | ItemKind::InputPort | ItemKind::OtherPort
            )
            | (Collection::Tables, ItemKind::Table)
            | (Collection::Servers, ItemKind::Server)
    )
}

/// The subject as written in the policy, in the singular (`field named email`), for "the
/// contract has no ...".
fn subject_text(rule: &Rule, statement: &Statement) -> String {
    let written = rule.source.slice(statement.subject_span);
    let joined = written.split_whitespace().collect::<Vec<_>>().join(" ");
    for (plural, singular) in [
        ("output ports", "output port"),
        ("input ports", "input port"),
        ("fields", "field"),
        ("ports", "port"),
        ("tables", "table"),
        ("models", "model"),
        ("servers", "server"),
    ] {
        if let Some(rest) = joined.strip_prefix(plural) {
            return format!("{singular}{rest}");
        }
    }
    joined
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
