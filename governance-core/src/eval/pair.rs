//! Two versions of a contract side by side: which item of one is which item of the other, how
//! values compare across the two documents, and the canonical differences (the changelog of
//! `governance-lint diff`, and what `contract changed` asks).
//!
//! Items are paired by stable keys: tables and fields by their dotted path, ports and servers
//! by name, each within its kind; a field whose path differs only by its table (a seed contract
//! rewritten as ODCS, which adds the table) is paired by the rest of its path when that is
//! unique on both sides. Names compare ignoring case.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::contract::model::{CONTRACT_NAMES, FIELD_NAMES, ITEM_NAMES};
use crate::contract::{Attr, Contract, Entity, Item, ItemKind};
use crate::document::{Document, NodeId, NodeKind};
use crate::text::same_text;

use super::values::{quantity, shown};

/// Which item of the current version is which item of the previous one.
#[derive(Debug, Default)]
pub(crate) struct Pairing {
    /// For each current item (by position), its previous version.
    pub counterpart: Vec<Option<usize>>,
    /// Previous items with no current version, in document order.
    pub removed: Vec<usize>,
}

impl Pairing {
    pub fn of(previous: &Contract, current: &Contract) -> Pairing {
        let mut counterpart = vec![None; current.items.len()];
        let mut taken = vec![false; previous.items.len()];
        // The previous items by key, each key's items chained in document order: the first one
        // not yet taken is the head.
        let mut head: HashMap<Key<'_>, Option<usize>> =
            HashMap::with_capacity(previous.items.len());
        let mut next: Vec<Option<usize>> = vec![None; previous.items.len()];
        for (at, item) in previous.items.iter().enumerate().rev() {
            if !item.path.is_empty() {
                let later = head.insert(key(item), Some(at)).flatten();
                if let Some(slot) = next.get_mut(at) {
                    *slot = later;
                }
            }
        }
        for (at, item) in current.items.iter().enumerate() {
            if item.path.is_empty() {
                continue;
            }
            let Some(first) = head.get_mut(&key(item)) else {
                continue;
            };
            if let Some(found) = *first {
                *first = next.get(found).copied().flatten();
                if let (Some(slot), Some(flag)) = (counterpart.get_mut(at), taken.get_mut(found)) {
                    *slot = Some(found);
                    *flag = true;
                }
            }
        }
        // Fields whose paths differ only by their table: matched by the rest, when unique.
        let short = |item: &Item| -> Option<(ItemKind, String)> {
            if item.kind != ItemKind::Field || item.path.is_empty() {
                return None;
            }
            let path = item.path.trim().to_lowercase();
            let rest = match item.table.as_deref() {
                Some(table) if !table.is_empty() => path
                    .strip_prefix(&format!("{}.", table.to_lowercase()))
                    .map(str::to_owned)
                    .unwrap_or(path),
                _ => path,
            };
            Some((item.kind, rest))
        };
        let mut previous_short: HashMap<(ItemKind, String), Vec<usize>> = HashMap::new();
        for (at, item) in previous.items.iter().enumerate() {
            if !taken.get(at).copied().unwrap_or(true) {
                if let Some(k) = short(item) {
                    previous_short.entry(k).or_default().push(at);
                }
            }
        }
        let mut current_short: HashMap<(ItemKind, String), Vec<usize>> = HashMap::new();
        for (at, item) in current.items.iter().enumerate() {
            if counterpart.get(at).copied().flatten().is_none() {
                if let Some(k) = short(item) {
                    current_short.entry(k).or_default().push(at);
                }
            }
        }
        for (k, list) in &current_short {
            if let (Some(&[cur]), Some(&[prev])) = (
                Some(list.as_slice()),
                previous_short.get(k).map(Vec::as_slice),
            ) {
                if let (Some(slot), Some(flag)) = (counterpart.get_mut(cur), taken.get_mut(prev)) {
                    *slot = Some(prev);
                    *flag = true;
                }
            }
        }
        // Unnamed items of a kind, in order.
        let mut unnamed: HashMap<ItemKind, Vec<usize>> = HashMap::new();
        for (at, item) in previous.items.iter().enumerate() {
            if item.path.is_empty() {
                unnamed.entry(item.kind).or_default().push(at);
            }
        }
        for (at, item) in current.items.iter().enumerate() {
            if item.path.is_empty() {
                if let Some(list) = unnamed.get_mut(&item.kind) {
                    if !list.is_empty() {
                        let found = list.remove(0);
                        if let (Some(slot), Some(flag)) =
                            (counterpart.get_mut(at), taken.get_mut(found))
                        {
                            *slot = Some(found);
                            *flag = true;
                        }
                    }
                }
            }
        }
        let removed = taken
            .iter()
            .enumerate()
            .filter(|(_, taken)| !**taken)
            .map(|(at, _)| at)
            .collect();
        Pairing {
            counterpart,
            removed,
        }
    }
}

/// A value on one side: the document and the attribute, when there is one (a `null` is none).
#[derive(Clone, Copy)]
pub(crate) struct Side<'a> {
    pub doc: &'a Document,
    pub attr: Option<Attr>,
}

impl<'a> Side<'a> {
    pub fn of(doc: &'a Document, entity: &Entity, path: &str) -> Side<'a> {
        let attr = entity
            .lookup(doc, path)
            .filter(|a| !matches!(doc.node(a.node).kind, NodeKind::Null));
        Side { doc, attr }
    }

    pub fn node(&self) -> Option<NodeId> {
        self.attr.map(|a| a.node)
    }

    /// The value as a message quotes it.
    pub fn shown(&self) -> Option<String> {
        self.node().map(|node| shown(self.doc, node))
    }

    /// Whether attribute `name` "holds" here (for `lose` and `gain`): a yes/no attribute
    /// (`encrypted`, `required`...) when it is an explicit yes, as `must be` asks; any other
    /// when it is present and not empty.
    pub fn holds(&self, name: &str) -> bool {
        self.node().is_some_and(|node| {
            if YES_NO.contains(&name) {
                self.doc.is_yes(node)
            } else {
                self.doc.is_present(node)
            }
        })
    }
}

/// The attributes that are yes or no.
const YES_NO: &[&str] = &[
    "encrypted",
    "masked",
    "pii",
    "required",
    "unique",
    "primary_key",
    "critical",
    "nullable",
    "isNullable",
    "isUnique",
    "isPrimaryKey",
];

/// What items are paired by: their kind and [`folded`] path.
type Key<'a> = (ItemKind, Cow<'a, str>);

fn key(item: &Item) -> Key<'_> {
    (item.kind, folded(&item.path))
}

/// A path as items are paired by it: trimmed and lowercased, without a copy when it already
/// is.
fn folded(path: &str) -> Cow<'_, str> {
    let path = path.trim();
    if path.is_ascii() && !path.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(path.to_lowercase())
    }
}

/// How many nodes [`written_alike`] visits before it gives up (answers `false`): aliases may
/// share one subtree many times over.
const ALIKE_BUDGET: u32 = 4096;

/// Whether two entities (each in its own document) are written exactly alike: the same
/// canonical attributes in the same order, and the same raw and fallback mappings, each with
/// the same kinds, keys in the same order and scalars with the same text. Every lookup then
/// reads the same value on both sides, so no negated change predicate can hold on the pair:
/// a sufficient condition, cheap to test, that spares evaluating each change rule on the
/// fields a change left alone. `false` means only "not known to be alike".
pub(crate) fn entities_alike(a_doc: &Document, a: &Entity, b_doc: &Document, b: &Entity) -> bool {
    let mut budget = ALIKE_BUDGET;
    let nodes = |x: Option<NodeId>, y: Option<NodeId>, budget: &mut u32| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => written_alike(a_doc, x, b_doc, y, budget),
        _ => false,
    };
    a.canonical_only == b.canonical_only
        && a.attrs.len() == b.attrs.len()
        && a.attrs
            .iter()
            .zip(&b.attrs)
            .all(|((m, x), (n, y))| m == n && nodes(Some(x.node), Some(y.node), &mut budget))
        && nodes(a.raw, b.raw, &mut budget)
        && nodes(a.fallback, b.fallback, &mut budget)
}

/// Whether two subtrees are written alike (see [`entities_alike`]), visiting at most `budget`
/// nodes.
fn written_alike(
    a_doc: &Document,
    a: NodeId,
    b_doc: &Document,
    b: NodeId,
    budget: &mut u32,
) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match (&a_doc.node(a).kind, &b_doc.node(b).kind) {
        (NodeKind::Null, NodeKind::Null) => true,
        (NodeKind::Seq(_), NodeKind::Seq(_)) => {
            let (left, right) = (a_doc.items(a), b_doc.items(b));
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(&x, &y)| written_alike(a_doc, x, b_doc, y, budget))
        }
        (NodeKind::Map(_), NodeKind::Map(_)) => {
            let (left, right) = (a_doc.entries(a), b_doc.entries(b));
            left.len() == right.len()
                && left.iter().zip(right).all(|(x, y)| {
                    a_doc.text(&x.key) == b_doc.text(&y.key)
                        && written_alike(a_doc, x.value, b_doc, y.value, budget)
                })
        }
        (NodeKind::Str(x), NodeKind::Str(y)) => a_doc.text(x) == b_doc.text(y),
        (NodeKind::Bool(_), NodeKind::Bool(_))
        | (NodeKind::Int(_), NodeKind::Int(_))
        | (NodeKind::Float(_), NodeKind::Float(_)) => a_doc
            .scalar_text(a)
            .is_some_and(|x| b_doc.scalar_text(b).is_some_and(|y| x == y)),
        _ => false,
    }
}

/// Whether two values (each in its own document) are the same: text ignoring case and
/// surrounding space, numbers and quantities by value (`1 hour` is `60 minutes`), lists as
/// sets of their items, mappings key by key.
#[allow(clippy::many_single_char_names)]
pub(crate) fn same_value(a_doc: &Document, a: NodeId, b_doc: &Document, b: NodeId) -> bool {
    match (&a_doc.node(a).kind, &b_doc.node(b).kind) {
        (NodeKind::Null, NodeKind::Null) => true,
        (NodeKind::Seq(_), NodeKind::Seq(_)) => {
            let (left, right) = (a_doc.items(a), b_doc.items(b));
            left.len() == right.len()
                && left
                    .iter()
                    .all(|&x| right.iter().any(|&y| same_value(a_doc, x, b_doc, y)))
                && right
                    .iter()
                    .all(|&y| left.iter().any(|&x| same_value(a_doc, x, b_doc, y)))
        }
        (NodeKind::Map(_), NodeKind::Map(_)) => {
            let (left, right) = (a_doc.entries(a), b_doc.entries(b));
            left.len() == right.len()
                && left.iter().all(|entry| {
                    b_doc
                        .get(b, a_doc.text(&entry.key))
                        .is_some_and(|other| same_value(a_doc, entry.value, b_doc, other))
                })
        }
        (NodeKind::Seq(_) | NodeKind::Map(_), _) | (_, NodeKind::Seq(_) | NodeKind::Map(_)) => {
            false
        }
        _ => {
            let (Some(x), Some(y)) = (a_doc.scalar_text(a), b_doc.scalar_text(b)) else {
                return matches!(
                    (&a_doc.node(a).kind, &b_doc.node(b).kind),
                    (NodeKind::Null, NodeKind::Null)
                );
            };
            if same_text(&x, &y) {
                return true;
            }
            match (quantity(a_doc, a), quantity(b_doc, b)) {
                (Some(p), Some(q)) => p.as_kind_of(q).is_some_and(|v| v == q.value()),
                _ => false,
            }
        }
    }
}

/// Whether two sides hold the same value (both absent counts as the same).
pub(crate) fn same(a: Side<'_>, b: Side<'_>) -> bool {
    match (a.node(), b.node()) {
        (None, None) => true,
        (Some(x), Some(y)) => same_value(a.doc, x, b.doc, y),
        _ => false,
    }
}

/// Reads a version (`1.4.2`, `v2`, `2.0.0-rc.1`) as its numbers; `None` when it does not start
/// with one.
pub(crate) fn version_numbers(text: &str) -> Option<Vec<u64>> {
    let text = text.trim();
    let text = text
        .strip_prefix(['v', 'V'])
        .unwrap_or(text)
        .split(['-', '+', ' '])
        .next()
        .unwrap_or("");
    let numbers: Option<Vec<u64>> = text.split('.').map(|n| n.parse().ok()).collect();
    numbers.filter(|n| !n.is_empty())
}

/// How two values order: quantities of one kind by value, versions number by number, or by
/// their positions in `order` (lowest first). `None` when they cannot be compared.
#[allow(clippy::many_single_char_names)]
pub(crate) fn compare_values(
    a: Side<'_>,
    b: Side<'_>,
    order: Option<&[crate::policy::ast::Literal]>,
) -> Option<std::cmp::Ordering> {
    let (x, y) = (a.node()?, b.node()?);
    if let Some(order) = order {
        let rank = |doc: &Document, node: NodeId| {
            order
                .iter()
                .position(|literal| super::values::equals(doc, node, literal))
        };
        return Some(rank(a.doc, x)?.cmp(&rank(b.doc, y)?));
    }
    if let (Some(p), Some(q)) = (quantity(a.doc, x), quantity(b.doc, y)) {
        if let Some(v) = p.as_kind_of(q) {
            return v.partial_cmp(&q.value());
        }
        return None;
    }
    let (Some(p), Some(q)) = (a.doc.scalar_text(x), b.doc.scalar_text(y)) else {
        return None;
    };
    Some(compare_versions(
        &version_numbers(&p)?,
        &version_numbers(&q)?,
    ))
}

/// Versions compared number by number, a missing number counting as 0 (`2` is `2.0.0`).
pub(crate) fn compare_versions(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let length = a.len().max(b.len());
    for index in 0..length {
        let (x, y) = (
            a.get(index).copied().unwrap_or(0),
            b.get(index).copied().unwrap_or(0),
        );
        match x.cmp(&y) {
            std::cmp::Ordering::Equal => {}
            other => return other,
        }
    }
    std::cmp::Ordering::Equal
}

/// The raw keys of a field that a changelog compares besides its canonical attributes: the
/// constraints the built-in change rules read.
pub(crate) const CONSTRAINT_KEYS: &[&str] = &[
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "nullable",
    "logicalTypeOptions.minimum",
    "logicalTypeOptions.maximum",
    "logicalTypeOptions.exclusiveMinimum",
    "logicalTypeOptions.exclusiveMaximum",
    "logicalTypeOptions.minLength",
    "logicalTypeOptions.maxLength",
    "logicalTypeOptions.pattern",
];

/// Canonical attributes of the contract a changelog does not list: the collections (their
/// items are compared one by one) and the standard it is written in.
const NOT_COMPARED: &[&str] = &["format", "fields", "output_ports", "input_ports"];

/// One difference between two versions of a contract, in canonical terms.
#[derive(Debug, Clone)]
pub(crate) struct Difference {
    pub kind: DifferenceKind,
    /// The item it is about (its position in its version), `None` for the contract itself.
    pub current: Option<usize>,
    pub previous: Option<usize>,
    /// The attribute, for a changed value (`None` for an added or removed item).
    pub attribute: Option<String>,
    pub old: Option<Attr>,
    pub new: Option<Attr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DifferenceKind {
    Added,
    Removed,
    Changed,
}

/// Every canonical difference between `previous` and `current`, in document order of the
/// current version (removed items after the item or contract they were part of).
pub(crate) fn differences(
    previous: &Contract,
    current: &Contract,
    pairing: &Pairing,
) -> Vec<Difference> {
    collect_differences(previous, current, pairing, false)
}

/// Whether the two versions differ canonically at all: [`differences`] that stops at the first
/// one (`contract changed` asks only that).
pub(crate) fn differ(previous: &Contract, current: &Contract, pairing: &Pairing) -> bool {
    !pairing.removed.is_empty()
        || pairing.counterpart.iter().any(Option::is_none)
        || !collect_differences(previous, current, pairing, true).is_empty()
}

/// The differences in document order; with `first_only`, at most the first one.
fn collect_differences(
    previous: &Contract,
    current: &Contract,
    pairing: &Pairing,
    first_only: bool,
) -> Vec<Difference> {
    let mut out = Vec::new();
    // `version` before `schema_version`: a key read as both is shown as the version.
    let mut top: Vec<&str> = CONTRACT_NAMES.to_vec();
    if let (Some(v), Some(s)) = (
        top.iter().position(|n| *n == "version"),
        top.iter().position(|n| *n == "schema_version"),
    ) {
        top.swap(v, s);
    }
    attributes(
        previous,
        &previous.top,
        current,
        &current.top,
        &top,
        NOT_COMPARED,
        None,
        &mut out,
    );
    for (at, item) in current.items.iter().enumerate() {
        if first_only && !out.is_empty() {
            return out;
        }
        match pairing.counterpart.get(at).copied().flatten() {
            None => out.push(Difference {
                kind: DifferenceKind::Added,
                current: Some(at),
                previous: None,
                attribute: None,
                old: None,
                new: None,
            }),
            Some(before) => {
                let Some(old) = previous.items.get(before) else {
                    continue;
                };
                let extra: Vec<&str> = if item.kind == ItemKind::Field {
                    FIELD_NAMES.iter().chain(CONSTRAINT_KEYS).copied().collect()
                } else {
                    ITEM_NAMES.to_vec()
                };
                attributes(
                    previous,
                    &old.entity,
                    current,
                    &item.entity,
                    &extra,
                    &["name"],
                    Some((at, before)),
                    &mut out,
                );
            }
        }
    }
    for &before in &pairing.removed {
        out.push(Difference {
            kind: DifferenceKind::Removed,
            current: None,
            previous: Some(before),
            attribute: None,
            old: None,
            new: None,
        });
    }
    out
}

/// The differences of one entity: its canonical `names` (read as policies read them, from
/// the canonical attributes or the raw document) and any other canonical attribute it has.
#[allow(clippy::too_many_arguments)]
fn attributes(
    previous: &Contract,
    old: &Entity,
    current: &Contract,
    new: &Entity,
    names_first: &[&str],
    skip: &[&str],
    items: Option<(usize, usize)>,
    out: &mut Vec<Difference>,
) {
    let mut names: Vec<&str> = Vec::new();
    let present = old.attrs.iter().chain(&new.attrs).map(|(name, _)| *name);
    for name in names_first.iter().copied().chain(present) {
        if !names.contains(&name) && !skip.contains(&name) {
            names.push(name);
        }
    }
    // One key read as several canonical names (a seed `data_product` is also `name` and
    // `id`) is one change.
    let mut seen: Vec<(Option<NodeId>, Option<NodeId>)> = Vec::new();
    for name in names {
        let before = Side::of(&previous.doc, old, name);
        let after = Side::of(&current.doc, new, name);
        if same(before, after) {
            continue;
        }
        let nodes = (before.node(), after.node());
        if seen.contains(&nodes) {
            continue;
        }
        seen.push(nodes);
        out.push(Difference {
            kind: match nodes {
                (None, _) => DifferenceKind::Added,
                (_, None) => DifferenceKind::Removed,
                _ => DifferenceKind::Changed,
            },
            current: items.map(|(at, _)| at),
            previous: items.map(|(_, before)| before),
            attribute: Some(name.to_owned()),
            old: before.attr,
            new: after.attr,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_number_by_number() {
        assert_eq!(version_numbers("v1.4.2-rc.1"), Some(vec![1, 4, 2]));
        assert_eq!(version_numbers("draft"), None);
        assert_eq!(
            compare_versions(&[1, 10], &[1, 9, 3]),
            std::cmp::Ordering::Greater
        );
        assert_eq!(
            compare_versions(&[2], &[2, 0, 0]),
            std::cmp::Ordering::Equal
        );
    }
}
