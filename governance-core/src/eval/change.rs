//! Change rules: statements evaluated on two versions of a contract, the previous one and the
//! current one (`governance-lint breaking`).
//!
//! - Items are paired by path (fields, tables) or name (ports, servers) ([`Pairing`]).
//! - A removed thing is reported at its parent in the current file (the enclosing field or
//!   table, else the `schema:` key), a changed one at its current value; every finding carries
//!   where the thing was in the previous version ([`crate::finding::Previous`]).
//! - Filters of a collection subject hold when they hold on the item in either version (a
//!   field that loses its `pii` tag and its encryption in one change is still a PII field).
//! - Findings of `schema` and `interface` rules are announced (`info`) when the major version
//!   increased, unless the rule is mandatory; otherwise their message says what to do.

use std::cell::OnceCell;
use std::sync::Arc;

use super::pair::{compare_values, differ, entities_alike, same, version_numbers, Pairing, Side};
use super::types::{self, Verdict};
use super::{is_tagged, severity_of, Evaluation, Place};
use crate::contract::{Contract, Entity, Item, ItemKind};
use crate::finding::{Finding, Previous, Severity};
use crate::policy::ast::{
    Category, ChangeOp, Collection, Condition, Held, Path, Predicate, Raise, Rule, SemverPart,
    Statement, Subject,
};
use crate::policy::scope::{contract_domain, scope_matches};
use crate::source::Span;
use crate::text::same_text;

/// Two versions of a contract: the previous one, which item is which, and what the pair says
/// as a whole.
pub(crate) struct Versions<'a> {
    pub previous: &'a Contract,
    pub current: &'a Contract,
    pub pairing: Pairing,
    /// Whether the canonical models differ (computed when a rule asks `contract changed`).
    changed_once: OnceCell<bool>,
    /// For each current item, whether it and its previous version are written alike (see
    /// [`entities_alike`]), computed when a rule first asks.
    alike_once: OnceCell<Vec<bool>>,
    /// The versions, when the major version increased (`1.4.0` → `2.0.0`).
    pub announced: Option<(String, String)>,
}

impl<'a> Versions<'a> {
    pub fn new(previous: &'a Contract, current: &'a Contract) -> Self {
        let pairing = Pairing::of(previous, current);
        let version = |contract: &Contract| {
            ["version", "schema_version"]
                .iter()
                .find_map(|name| contract.top.lookup(&contract.doc, name))
                .and_then(|attr| contract.doc.scalar_text(attr.node))
                .map(std::borrow::Cow::into_owned)
        };
        let announced = match (version(previous), version(current)) {
            (Some(old), Some(new)) => {
                let major = |text: &str| version_numbers(text).and_then(|n| n.first().copied());
                match (major(&old), major(&new)) {
                    (Some(a), Some(b)) if b > a => Some((old, new)),
                    _ => None,
                }
            }
            _ => None,
        };
        Self {
            previous,
            current,
            pairing,
            changed_once: OnceCell::new(),
            alike_once: OnceCell::new(),
            announced,
        }
    }

    /// Whether anything canonical changed between the versions.
    pub fn changed(&self) -> bool {
        *self
            .changed_once
            .get_or_init(|| differ(self.previous, self.current, &self.pairing))
    }

    /// Whether the current item at position `at` is written exactly as its previous version:
    /// then no negated change predicate holds on it.
    pub fn alike(&self, at: usize) -> bool {
        let alike = self.alike_once.get_or_init(|| {
            (0..self.current.items.len())
                .map(|at| {
                    let (Some(item), Some((_, old))) =
                        (self.current.items.get(at), self.counterpart(at))
                    else {
                        return false;
                    };
                    entities_alike(
                        &self.previous.doc,
                        &old.entity,
                        &self.current.doc,
                        &item.entity,
                    )
                })
                .collect()
        });
        alike.get(at).copied().unwrap_or(false)
    }

    /// The previous version of the current item at position `at`.
    pub fn counterpart(&self, at: usize) -> Option<(&'a Contract, &'a Item)> {
        let before = self.pairing.counterpart.get(at).copied().flatten()?;
        Some((self.previous, self.previous.items.get(before)?))
    }
}

/// Evaluates the change rules of `rules` on a pair of versions of one contract: both
/// (compared), or only the previous one (the contract was deleted: only `contract must not be
/// removed` applies). A new contract has nothing to compare.
pub(crate) fn evaluate_pair(
    rules: &[Rule],
    raises: &[Raise],
    previous: Option<&Contract>,
    current: Option<&Contract>,
    out: &mut Vec<Finding>,
) {
    match (previous, current) {
        (Some(previous), Some(current)) => {
            let versions = Versions::new(previous, current);
            let domain = contract_domain(current);
            let domain = domain.as_deref();
            let mut breaks = 0;
            // `contract breaks` asks what the other rules found: those statements come last.
            for last in [false, true] {
                for rule in rules {
                    if !rule.change || !rule.enabled || !scope_matches(&rule.scope, domain) {
                        continue;
                    }
                    let severity = severity_of(rule, raises, domain);
                    for statement in &rule.statements {
                        let asks = statement.when.as_ref().is_some_and(Condition::asks_breaks);
                        if asks != last {
                            continue;
                        }
                        let before = out.len();
                        let mut eval = Evaluation::new(rule, severity, current, &mut *out);
                        eval.versions = Some(&versions);
                        eval.breaks = breaks;
                        eval.change_statement(statement);
                        if rule.category.is_some_and(Category::breaks_consumers) {
                            breaks += out.len() - before;
                        }
                    }
                }
            }
        }
        (Some(previous), None) => {
            let domain = contract_domain(previous);
            let domain = domain.as_deref();
            for rule in rules {
                if !rule.change || !rule.enabled || !scope_matches(&rule.scope, domain) {
                    continue;
                }
                let severity = severity_of(rule, raises, domain);
                for statement in &rule.statements {
                    let mut eval = Evaluation::new(rule, severity, previous, &mut *out);
                    eval.deleted = true;
                    eval.change_statement(statement);
                }
            }
        }
        _ => {}
    }
}

/// What the finding of a change predicate is about, on the current side.
struct About<'s> {
    /// "field `orders.email`", "`sla.availability`", "the contract" (written only for a
    /// finding: most comparisons find nothing).
    what: What<'s>,
    /// The attribute named in the message (`type`), or `None` when the subject is the value.
    attribute: Option<&'s str>,
    /// Whether the message names the attribute after `what` ("field `email` `type`"); else
    /// the attribute's path alone is `what` (`sla.availability`).
    name_attribute: bool,
    /// Where to point when the value is not there.
    anchor: Span,
    /// Where the thing was in the previous version, when the value is not there.
    previous_anchor: Option<Span>,
}

/// What a finding is about, as its message names it.
enum What<'s> {
    /// Already written.
    Text(String),
    /// Item `index` of its kind: "field `orders.email`".
    Item(&'s crate::contract::Item, usize),
}

impl What<'_> {
    fn text(&self) -> String {
        match self {
            What::Text(text) => text.clone(),
            What::Item(item, index) => item.describe(*index),
        }
    }
}

impl<'a> Evaluation<'a> {
    /// A statement of a change rule on the pair.
    pub(super) fn change_statement(&mut self, statement: &'a Statement) {
        let empty = Entity::default();
        let when_place = if self.deleted {
            // The contract is gone: only `previous PATH` reads anything.
            Place {
                contract: self.contract,
                entity: &empty,
                previous: Some((self.contract, &self.contract.top)),
            }
        } else {
            self.top_place()
        };
        if let Some(when) = &statement.when {
            if !self.condition(when_place, when) {
                return;
            }
        }
        if self.deleted {
            if matches!(statement.subject, Subject::Contract)
                && matches!(statement.predicate, Predicate::Removed)
            {
                self.contract_removed(statement);
            }
            return;
        }
        let is_change =
            statement.predicate.is_change() || matches!(statement.subject, Subject::Version(..));
        if !is_change {
            // A plain statement of a change rule checks the current version (its `when` is
            // read again there, on the same pair).
            self.statement(statement);
            return;
        }
        let Some(versions) = self.versions else {
            return;
        };
        match &statement.subject {
            Subject::Contract => {
                self.target = None;
                let about = About {
                    what: What::Text("the contract".to_owned()),
                    attribute: None,
                    name_attribute: true,
                    anchor: self.document_start(),
                    previous_anchor: Some(Span::empty(
                        versions.previous.doc.span(versions.previous.root()).start(),
                    )),
                };
                match &statement.predicate {
                    // Whole contracts are compared by `contract changed`; removal is deletion.
                    Predicate::Change(None) => {
                        if versions.changed() != statement.negated {
                            let message = if statement.negated {
                                "the contract changed".to_owned()
                            } else {
                                "the contract did not change".to_owned()
                            };
                            self.report_change(
                                about.anchor,
                                message,
                                "changed",
                                about.previous_anchor,
                            );
                        }
                    }
                    Predicate::Removed | Predicate::Added => {}
                    predicate => self.entity_change(
                        (versions.previous, &versions.previous.top),
                        &self.contract.top,
                        about,
                        predicate,
                        statement.negated,
                    ),
                }
            }
            Subject::Path(path) => self.path_change(versions, path, None, statement),
            Subject::Version(part, path) => {
                self.path_change(versions, path, Some(*part), statement);
            }
            Subject::Collection(collection, filters) => {
                self.collection_change(versions, *collection, filters, statement);
            }
        }
    }

    /// `contract must not be removed` on a deleted contract.
    fn contract_removed(&mut self, statement: &Statement) {
        if !statement.negated {
            return;
        }
        let doc = &self.contract.doc;
        let first = doc
            .entries(self.contract.root())
            .first()
            .map_or_else(|| self.document_start(), crate::document::Entry::span);
        let name = self
            .contract
            .get("id")
            .map_or_else(String::new, |(id, _)| format!(" `{id}`"));
        self.target = None;
        let message = format!("the contract{name} was deleted");
        // The file is gone: the finding points at the previous version, which is also where
        // it was.
        self.report_change(first, message, "deleted", Some(first));
    }

    /// A change predicate on a path of the contract (`sla.availability must not decrease`),
    /// or on one number of its version (`major version must increase`).
    fn path_change(
        &mut self,
        versions: &Versions<'a>,
        path: &'a Path,
        part: Option<SemverPart>,
        statement: &Statement,
    ) {
        self.target = Some(&path.text);
        let before = Side::of(&versions.previous.doc, &versions.previous.top, &path.text);
        let after = Side::of(&self.contract.doc, &self.contract.top, &path.text);
        let what = match part {
            Some(part) => format!("the {} version of `{}`", part.as_str(), path.text),
            None => format!("`{}`", path.text),
        };
        let anchor = after
            .attr
            .map_or_else(|| self.path_parent(&path.text), |a| a.span);
        let previous_anchor = before.attr.map(|a| a.span);
        if let Some(part) = part {
            self.version_change(
                before,
                after,
                part,
                &what,
                anchor,
                previous_anchor,
                statement,
            );
            return;
        }
        match &statement.predicate {
            Predicate::Removed => {
                if statement.negated && before.node().is_some() && after.node().is_none() {
                    let was = before.shown().unwrap_or_default();
                    self.report_change(
                        anchor,
                        format!("{what} was removed (it was `{was}`)"),
                        "removed",
                        previous_anchor,
                    );
                }
            }
            Predicate::Added => {
                if statement.negated && before.node().is_none() && after.node().is_some() {
                    let now = after.shown().unwrap_or_default();
                    self.report_change(
                        anchor,
                        format!("{what} was added (`{now}`)"),
                        "added",
                        previous_anchor,
                    );
                }
            }
            Predicate::Change(Some(_))
            | Predicate::Increase(Some(_), _)
            | Predicate::Decrease(Some(_), _)
            | Predicate::Lose(_)
            | Predicate::Gain(_)
            | Predicate::Narrow(_) => {
                // `sla must not lose availability`: the attribute below the path, named whole.
                let joined = joined_predicate(path, &statement.predicate);
                let about = About {
                    what: What::Text(String::new()),
                    attribute: None,
                    name_attribute: false,
                    anchor: self.document_start(),
                    previous_anchor: None,
                };
                self.entity_change(
                    (versions.previous, &versions.previous.top),
                    &self.contract.top,
                    about,
                    &joined,
                    statement.negated,
                );
            }
            predicate => {
                let about = About {
                    what: What::Text(what),
                    attribute: None,
                    name_attribute: false,
                    anchor,
                    previous_anchor,
                };
                self.value_change(before, after, &about, predicate, statement.negated);
            }
        }
    }

    /// `major version must increase`, `minor version must not change`...
    #[allow(clippy::too_many_arguments)]
    fn version_change(
        &mut self,
        before: Side<'_>,
        after: Side<'_>,
        part: SemverPart,
        what: &str,
        anchor: Span,
        previous_anchor: Option<Span>,
        statement: &Statement,
    ) {
        let (Some(old), Some(new)) = (before.shown(), after.shown()) else {
            return;
        };
        let number =
            |text: &str| version_numbers(text).map(|n| n.get(part.index()).copied().unwrap_or(0));
        let (Some(a), Some(b)) = (number(&old), number(&new)) else {
            return;
        };
        let negated = statement.negated;
        let (moved, verb) = match &statement.predicate {
            Predicate::Increase(None, None) => (b > a, "increase"),
            Predicate::Decrease(None, None) => (b < a, "decrease"),
            Predicate::Change(None) => (b != a, "change"),
            _ => return,
        };
        if moved == negated {
            let message = if negated {
                format!("{what} {verb}d (`{old}` → `{new}`)")
            } else {
                format!("{what} did not {verb} (`{old}` → `{new}`)")
            };
            self.report_change(anchor, message, &format!("not {verb}d"), previous_anchor);
        }
    }

    /// A change predicate on the items of a collection.
    fn collection_change(
        &mut self,
        versions: &Versions<'a>,
        collection: Collection,
        filters: &[crate::policy::ast::Filter],
        statement: &'a Statement,
    ) {
        let previous = versions.previous;
        match &statement.predicate {
            Predicate::Removed => {
                if !statement.negated {
                    return;
                }
                // The fields of a removed table are the table's removal: one finding (and one
                // waiver) for it, not one per field.
                let removed_tables: Vec<&str> = versions
                    .pairing
                    .removed
                    .iter()
                    .filter_map(|&at| previous.items.get(at))
                    .filter(|item| item.kind == ItemKind::Table)
                    .map(|item| item.path.as_str())
                    .collect();
                let mut index = 0;
                for &before in &versions.pairing.removed {
                    let Some(item) = previous.items.get(before) else {
                        continue;
                    };
                    if !super::in_collection(collection, item.kind) {
                        continue;
                    }
                    if item.kind == ItemKind::Field
                        && item
                            .table
                            .as_deref()
                            .is_some_and(|table| removed_tables.iter().any(|t| same_text(t, table)))
                    {
                        continue;
                    }
                    index += 1;
                    let place = super::ItemAt {
                        contract: previous,
                        item,
                        previous: Some((previous, item)),
                    };
                    if !filters.iter().all(|f| self.filter(place, f)) {
                        continue;
                    }
                    self.target = Some(&item.path);
                    let what = item.describe(index - 1);
                    let hint = self.rename_hint(versions, item);
                    let anchor = self.removed_anchor(item);
                    self.report_change(
                        anchor,
                        format!("{what} was removed{hint}"),
                        "removed",
                        Some(item.anchor),
                    );
                }
            }
            predicate => {
                let candidates = self.candidates(collection, filters);
                for (index, at, item) in candidates {
                    let Some((old_contract, old)) = versions.counterpart(at) else {
                        if matches!(predicate, Predicate::Added) && statement.negated {
                            let place = self.item_at(at, item);
                            if filters.iter().all(|f| self.filter(place, f)) {
                                self.target = Some(&item.path);
                                let what = item.describe(index);
                                self.report_change(
                                    item.anchor,
                                    format!("{what} was added"),
                                    "added",
                                    None,
                                );
                            }
                        }
                        continue;
                    };
                    if matches!(predicate, Predicate::Added | Predicate::Removed) {
                        continue;
                    }
                    // Written alike in both versions: nothing of it changed.
                    if statement.negated && versions.alike(at) {
                        continue;
                    }
                    // In either version.
                    let now = self.item_at(at, item);
                    let then = super::ItemAt {
                        contract: old_contract,
                        item: old,
                        previous: Some((old_contract, old)),
                    };
                    let passes = filters.iter().all(|f| self.filter(now, f))
                        || filters.iter().all(|f| self.filter(then, f));
                    if !passes {
                        continue;
                    }
                    self.target = Some(&item.path);
                    let about = About {
                        what: What::Item(item, index),
                        attribute: None,
                        name_attribute: true,
                        anchor: item.anchor,
                        previous_anchor: Some(old.anchor),
                    };
                    self.entity_change(
                        (old_contract, &old.entity),
                        &item.entity,
                        about,
                        predicate,
                        statement.negated,
                    );
                }
            }
        }
    }

    /// A change predicate about an attribute of an entity (`fields must not lose encrypted`,
    /// `contract must not change owner`), or about an entity's tag.
    fn entity_change<'p>(
        &mut self,
        (old_contract, old): (&Contract, &Entity),
        new: &Entity,
        mut about: About<'p>,
        predicate: &'p Predicate,
        negated: bool,
    ) {
        let attribute = match predicate {
            Predicate::Change(Some(path))
            | Predicate::Increase(Some(path), _)
            | Predicate::Decrease(Some(path), _)
            | Predicate::Narrow(path)
            | Predicate::Lose(Held::Attr(path))
            | Predicate::Gain(Held::Attr(path)) => path,
            Predicate::Lose(Held::Tag(tag)) | Predicate::Gain(Held::Tag(tag)) => {
                if !negated {
                    return;
                }
                let lose = matches!(predicate, Predicate::Lose(_));
                let was = is_tagged(&old_contract.doc, old, tag);
                let is = is_tagged(&self.contract.doc, new, tag);
                if (lose && was && !is) || (!lose && !was && is) {
                    let (verb, label) = if lose {
                        ("is no longer tagged", "no longer tagged")
                    } else {
                        ("is now tagged", "now tagged")
                    };
                    let message = format!("{} {verb} `{tag}`", about.what.text());
                    // The key that said so (or says so now), on each side.
                    let (side, side_doc) = if lose {
                        (old, &old_contract.doc)
                    } else {
                        (new, &self.contract.doc)
                    };
                    let evidence = ["pii", "tags", "classification"].iter().find(|key| {
                        let literal = crate::policy::ast::Literal::Str((*tag).clone());
                        side.lookup(side_doc, key).is_some_and(|a| {
                            (**key == "pii" && side_doc.is_truthy(a.node))
                                || super::values::equals(side_doc, a.node, &literal)
                                || side_doc
                                    .str(a.node)
                                    .is_some_and(|s| s.split(',').any(|t| same_text(t, tag)))
                        })
                    });
                    let anchor = evidence
                        .and_then(|key| new.lookup(&self.contract.doc, key))
                        .map_or(about.anchor, |a| a.span);
                    let before = evidence
                        .and_then(|key| old.lookup(&old_contract.doc, key))
                        .map(|a| a.span)
                        .or(about.previous_anchor);
                    self.attribute = evidence.map(|key| (*key).to_owned());
                    self.report_change(anchor, message, label, before);
                }
                return;
            }
            _ => return,
        };
        let before = Side::of(&old_contract.doc, old, &attribute.text);
        let after = Side::of(&self.contract.doc, new, &attribute.text);
        about.attribute = Some(&attribute.text);
        if !about.name_attribute {
            about.what = What::Text(format!("`{}`", attribute.text));
            if after.attr.is_none() {
                about.anchor = self.path_parent(&attribute.text);
            }
        }
        if let Some(attr) = after.attr {
            about.anchor = attr.span;
        }
        if let Some(attr) = before.attr {
            about.previous_anchor = Some(attr.span);
        }
        self.value_change(before, after, &about, predicate, negated);
    }

    /// The comparison of one value in its two versions, and the finding when it fails.
    fn value_change(
        &mut self,
        before: Side<'_>,
        after: Side<'_>,
        about: &About<'_>,
        predicate: &Predicate,
        negated: bool,
    ) {
        // The words of a message, written only when there is a finding.
        let what = || about.what.text();
        // "field `email` `type`", "`sla.availability`".
        let named = || match about.attribute {
            Some(attribute) if about.name_attribute => format!("{} `{attribute}`", what()),
            _ => what(),
        };
        let old = || before.shown().map(|v| format!("`{v}`"));
        let new = || after.shown().map(|v| format!("`{v}`"));
        let old_text = || old().unwrap_or_else(|| "no value".to_owned());
        let new_text = || new().unwrap_or_else(|| "no value".to_owned());
        if let Some(attribute) = about.attribute {
            self.attribute = Some(attribute.to_owned());
        }
        let (anchor, previous) = (about.anchor, about.previous_anchor);
        match predicate {
            Predicate::Change(_) => {
                if before.node().is_none() && after.node().is_none() {
                    return;
                }
                let changed = !same(before, after);
                if changed == negated {
                    let (named, old_text, new_text) = (named(), old_text(), new_text());
                    let message = if negated {
                        format!("{named} changed from {old_text} to {new_text}")
                    } else {
                        format!("{named} did not change (still {new_text})")
                    };
                    let label = if negated { "changed" } else { "unchanged" };
                    self.report_change(anchor, message, label, previous);
                }
            }
            Predicate::Increase(_, order) | Predicate::Decrease(_, order) => {
                let Some(ordering) = compare_values(before, after, order.as_deref()) else {
                    return;
                };
                let up = matches!(predicate, Predicate::Increase(..));
                let moved = if up {
                    ordering == std::cmp::Ordering::Less
                } else {
                    ordering == std::cmp::Ordering::Greater
                };
                if moved == negated {
                    let (named, old_text, new_text) = (named(), old_text(), new_text());
                    let verb = match (up, order.is_some()) {
                        (true, false) => "increased",
                        (false, false) => "decreased",
                        (true, true) => "went up",
                        (false, true) => "went down",
                    };
                    let message = if negated {
                        format!("{named} {verb} from {old_text} to {new_text}")
                    } else {
                        let want = if up { "increase" } else { "decrease" };
                        format!("{named} did not {want} ({old_text} → {new_text})")
                    };
                    let label = if negated {
                        verb.to_owned()
                    } else {
                        "unchanged".to_owned()
                    };
                    self.report_change(anchor, message, &label, previous);
                }
            }
            Predicate::Lose(Held::Attr(path)) | Predicate::Gain(Held::Attr(path)) => {
                if !negated {
                    return;
                }
                let lose = matches!(predicate, Predicate::Lose(_));
                // A list loses (or gains) items: `enum` values.
                if let (Some(x), Some(y)) = (before.node(), after.node()) {
                    if before.doc.is_seq(x) && after.doc.is_seq(y) {
                        let (from, to) = if lose {
                            (before, after)
                        } else {
                            (after, before)
                        };
                        let (Some(from_node), Some(to_node)) = (from.node(), to.node()) else {
                            return;
                        };
                        let missing: Vec<String> = from
                            .doc
                            .items(from_node)
                            .iter()
                            .filter(|&&item| {
                                !to.doc.items(to_node).iter().any(|&other| {
                                    super::pair::same_value(from.doc, item, to.doc, other)
                                })
                            })
                            .map(|&item| format!("`{}`", super::values::shown(from.doc, item)))
                            .collect();
                        if !missing.is_empty() {
                            let what = what();
                            let verb = if lose { "lost" } else { "gained" };
                            let values = if missing.len() == 1 {
                                "value"
                            } else {
                                "values"
                            };
                            let message = if about.name_attribute {
                                format!(
                                    "{what} {verb} `{}` {values} {}",
                                    path.text,
                                    missing.join(", ")
                                )
                            } else {
                                format!("{what} {verb} {values} {}", missing.join(", "))
                            };
                            self.report_change(anchor, message, verb, previous);
                        }
                        return;
                    }
                }
                let (was, is) = (before.holds(&path.text), after.holds(&path.text));
                if (lose && was && !is) || (!lose && !was && is) {
                    let what = what();
                    let verb = if lose { "lost" } else { "gained" };
                    let now = new().unwrap_or_else(|| "absent".to_owned());
                    let then = old().unwrap_or_else(|| "absent".to_owned());
                    let message = if about.name_attribute {
                        format!("{what} {verb} `{}` (it was {then}, now {now})", path.text)
                    } else {
                        format!("{what} was {verb} (it was {then}, now {now})")
                    };
                    self.report_change(anchor, message, verb, previous);
                }
            }
            Predicate::Narrow(path) => {
                if !negated {
                    return;
                }
                let (Some(old_type), Some(new_type)) = (before.shown(), after.shown()) else {
                    return;
                };
                let why = match types::compare(&old_type, &new_type) {
                    Verdict::Same | Verdict::Widened => return,
                    Verdict::Narrowed => "narrowing breaks consumers",
                    Verdict::KindChanged => "a change of kind breaks consumers",
                };
                let attribute = if path.text == "type" {
                    "type".to_owned()
                } else {
                    format!("`{}`", path.text)
                };
                let what = what();
                let message =
                    format!("{what} changed {attribute} from `{old_type}` to `{new_type}` ({why})");
                self.report_change(anchor, message, "narrowed", previous);
            }
            _ => {}
        }
    }

    /// `moved` conditions: `PATH changed`, `PATH increased`, `major version increased`.
    pub(super) fn moved(
        &self,
        at: Place<'_>,
        part: Option<SemverPart>,
        path: &Path,
        op: ChangeOp,
    ) -> bool {
        let Some((old_contract, old)) = at.previous else {
            return false;
        };
        if std::ptr::eq(old, at.entity) {
            // The previous version itself: nothing moved.
            return false;
        }
        let before = Side::of(&old_contract.doc, old, &path.text);
        let after = Side::of(&at.contract.doc, at.entity, &path.text);
        if let Some(part) = part {
            let number = |side: Side<'_>| {
                side.shown()
                    .and_then(|text| version_numbers(&text))
                    .map(|n| n.get(part.index()).copied().unwrap_or(0))
            };
            let (Some(a), Some(b)) = (number(before), number(after)) else {
                return false;
            };
            return match op {
                ChangeOp::Changed => a != b,
                ChangeOp::Increased => b > a,
                ChangeOp::Decreased => b < a,
            };
        }
        match op {
            ChangeOp::Changed => !same(before, after),
            ChangeOp::Increased => {
                compare_values(before, after, None) == Some(std::cmp::Ordering::Less)
            }
            ChangeOp::Decreased => {
                compare_values(before, after, None) == Some(std::cmp::Ordering::Greater)
            }
        }
    }

    /// A finding of a change rule: the rule's category decides what its message adds, and
    /// whether a major version bump announces it.
    fn report_change(&mut self, span: Span, message: String, label: &str, previous: Option<Span>) {
        let category = self.rule.category;
        let breaking = category.is_some_and(Category::breaks_consumers);
        let announced = self.versions.and_then(|v| v.announced.as_ref());
        let mut severity = self.severity;
        let message = match (breaking, announced) {
            // A deleted contract: its rule's help says how to retire it.
            (true, _) if self.deleted => message,
            (true, Some((old, new))) if !self.rule.mandatory => {
                severity = Severity::Info;
                format!("{message} (announced by the major version bump `{old}` → `{new}`)")
            }
            (true, Some(_)) => format!(
                "{message}; the rule is mandatory: neither the major version bump nor a waiver allows it"
            ),
            (true, None) if self.rule.mandatory => {
                format!("{message}; the rule is mandatory: no waiver allows it")
            }
            (true, _) => format!("{message}; bump the major version or add a waiver"),
            (false, _) => match category {
                Some(Category::Governance | Category::Sla) => {
                    format!("{message}; this weakens a guarantee: add a waiver if it is intended")
                }
                _ => message,
            },
        };
        let before = self.out.len();
        let kept = self.severity;
        self.severity = severity;
        self.report(span, message, label);
        self.severity = kept;
        let versions = self.versions;
        let attribute = self.attribute.take();
        if let Some(finding) = self.out.get_mut(before) {
            finding.attribute = attribute;
            if let Some(previous) = previous {
                let source = match versions {
                    Some(v) => Arc::clone(v.previous.source()),
                    None => Arc::clone(self.contract.source()),
                };
                finding.previous = Some(Box::new(Previous::new(source, previous, "before")));
            }
        }
    }

    /// Where to point for a path the current version lacks: the nearest enclosing key that is
    /// there (`sla:`), else the start of the document.
    fn path_parent(&self, path: &str) -> Span {
        let doc = &self.contract.doc;
        let root = self.contract.root();
        let mut prefix = path;
        while let Some((parent, _)) = prefix.rsplit_once('.') {
            if let Some(entry) = doc.entry(root, parent) {
                return entry.key_span;
            }
            prefix = parent;
        }
        if path.starts_with("sla.") {
            for key in ["slaProperties", "servicelevels"] {
                if let Some(entry) = doc.entry(root, key) {
                    return entry.key_span;
                }
            }
        }
        self.document_start()
    }

    /// Where to point for an item the current version lacks: its nearest enclosing field or
    /// table that is still there, else the key that holds such items (`schema:`, `servers:`),
    /// else the start of the document.
    fn removed_anchor(&self, removed: &Item) -> Span {
        let items = &self.contract.items;
        let mut path = removed.path.as_str();
        while let Some((parent, _)) = path.rsplit_once('.') {
            if let Some(found) = items.iter().find(|i| {
                matches!(i.kind, ItemKind::Field | ItemKind::Table)
                    && i.path.eq_ignore_ascii_case(parent)
            }) {
                return found.anchor;
            }
            path = parent;
        }
        if let Some(table) = removed.table.as_deref().filter(|t| !t.is_empty()) {
            if let Some(found) = items
                .iter()
                .find(|i| i.kind == ItemKind::Table && i.path.eq_ignore_ascii_case(table))
            {
                return found.anchor;
            }
        }
        let doc = &self.contract.doc;
        let root = self.contract.root();
        let keys: &[&str] = match removed.kind {
            ItemKind::Field | ItemKind::Table => &["schema", "models", "dataset", "columns"],
            ItemKind::Server => &["servers"],
            ItemKind::OutputPort => &["output_ports", "output_port", "outputPorts"],
            ItemKind::InputPort => &["input_ports", "input_port", "inputPorts"],
            ItemKind::OtherPort => &[],
        };
        for key in keys {
            if let Some(entry) = doc.entry(root, key) {
                return entry.key_span;
            }
        }
        // Where the canonical model found the fields (`fields`), by its key.
        if matches!(removed.kind, ItemKind::Field | ItemKind::Table) {
            if let Some(fields) = self.contract.top.get("fields") {
                return Span::new(fields.span.start(), fields.span.start());
            }
        }
        self.document_start()
    }

    /// ` (if it was renamed to `x`, ...)` when an item of the same kind and type was added
    /// beside the removed one.
    fn rename_hint(&self, versions: &Versions<'_>, removed: &Item) -> String {
        let parent = |path: &str| path.rsplit_once('.').map(|(p, _)| p.to_lowercase());
        let old_type = Side::of(&versions.previous.doc, &removed.entity, "type").shown();
        let added = self.contract.items.iter().enumerate().find(|(at, item)| {
            item.kind == removed.kind
                && versions
                    .pairing
                    .counterpart
                    .get(*at)
                    .copied()
                    .flatten()
                    .is_none()
                && parent(&item.path) == parent(&removed.path)
                && Side::of(&self.contract.doc, &item.entity, "type").shown() == old_type
        });
        match added.and_then(|(_, item)| item.name()) {
            Some(name) => format!(
                " (if it was renamed to `{name}`, consumers still see a removal and an addition)"
            ),
            None => String::new(),
        }
    }
}

/// `sla must not lose availability` is `sla.availability` compared as a value.
fn joined_predicate(parent: &Path, predicate: &Predicate) -> Predicate {
    let join = |path: &Path| Path {
        text: format!("{}.{}", parent.text, path.text),
        span: path.span,
        quoted: path.quoted || parent.quoted,
    };
    match predicate {
        Predicate::Change(Some(p)) => Predicate::Change(Some(join(p))),
        Predicate::Increase(Some(p), order) => Predicate::Increase(Some(join(p)), order.clone()),
        Predicate::Decrease(Some(p), order) => Predicate::Decrease(Some(join(p)), order.clone()),
        Predicate::Narrow(p) => Predicate::Narrow(join(p)),
        Predicate::Lose(Held::Attr(p)) => Predicate::Lose(Held::Attr(join(p))),
        Predicate::Gain(Held::Attr(p)) => Predicate::Gain(Held::Attr(join(p))),
        other => other.clone(),
    }
}
