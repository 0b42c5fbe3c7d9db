//! What every format's normalizer produces, and the pieces that formats share: field
//! attributes, yes/no flags, owners from team members, SLA properties.

use super::model::{attr, Attr, Entity, Item, ItemKind, FIELD_NAMES};
use std::sync::Arc;

use crate::builtin::BuiltinRule;
use crate::document::{Document, NodeId, NodeKind, Text};
use crate::source::Span;

/// A document in canonical terms: the contract's own attributes and its fields, tables, ports
/// and servers, plus problems noticed on the way (an unresolvable `$ref`, content the reader
/// does not read).
#[derive(Debug, Default)]
pub(crate) struct Canonical {
    pub top: Entity,
    pub items: Vec<Item>,
    pub issues: Vec<Issue>,
}

/// A problem found while reading a contract, reported as a finding of a built-in rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    pub rule: BuiltinRule,
    pub span: Span,
    pub message: String,
    /// The text under the underline.
    pub label: &'static str,
    /// A specific hint (else the rule's general help is shown).
    pub help: Option<String>,
    /// A key the standard does not allow there (`[conformance] allow-unknown-keys` drops it).
    pub unknown_key: bool,
    /// The key of the entry a conformance issue is about (to leave out a problem that a
    /// reader's own issue already reports at that key).
    pub about: Option<Span>,
}

impl Issue {
    pub fn new(rule: BuiltinRule, span: Span, message: String, label: &'static str) -> Self {
        Self {
            rule,
            span,
            message,
            label,
            help: None,
            unknown_key: false,
            about: None,
        }
    }

    /// Marks a conformance issue as being about a key the standard does not allow there.
    #[must_use]
    pub fn unknown_key(mut self) -> Self {
        self.unknown_key = true;
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: String) -> Self {
        self.help = Some(help);
        self
    }
}

/// Reads the canonical attributes of a field from its mapping, whatever the format calls them:
/// `type` (`logicalType`, `data_type`, `dataType`), `physical_type`, `description`, `required`
/// (or the inverse of `isNullable`), `unique`, `primary_key`, `pii`, `classification`, `tags`,
/// `critical`, and `encrypted` / `masked` (see [`flag`]). One pass over the field's keys; when a
/// field spells one attribute twice, the first spelling in the lists above wins.
pub(crate) fn field_attributes(doc: &mut Document, map: NodeId, entity: &mut Entity) {
    let mut plain: [Option<(u8, Attr)>; 10] = [None; 10];
    let mut encrypted: [Option<Attr>; 2] = [None; 2];
    let mut encryption_implied: [Option<Attr>; 2] = [None; 2];
    let mut masked: [Option<Attr>; 3] = [None; 3];
    let mut nullable = None;
    let mut custom = None;
    for entry in doc.entries(map) {
        let found = Attr {
            node: entry.value,
            span: entry.span(),
        };
        let (slot, rank) = match doc.text(&entry.key) {
            "type" => (0, 0),
            "logicalType" => (0, 1),
            "data_type" => (0, 2),
            "dataType" => (0, 3),
            "physicalType" => (1, 0),
            "physical_type" => (1, 1),
            "description" => (2, 0),
            "required" => (3, 0),
            "unique" => (4, 0),
            "isUnique" => (4, 1),
            "primary_key" => (5, 0),
            "primaryKey" => (5, 1),
            "isPrimaryKey" => (5, 2),
            "isPrimary" => (5, 3),
            "primary" => (5, 4),
            "pii" => (6, 0),
            "classification" => (7, 0),
            "tags" => (8, 0),
            "criticalDataElement" => (9, 0),
            "criticalDataElementStatus" => (9, 1),
            "critical" => (9, 2),
            other => {
                let (list, index): (&mut [Option<Attr>], usize) = match other {
                    "encrypted" => (&mut encrypted, 0),
                    "encryption" => (&mut encrypted, 1),
                    "encryptedName" => (&mut encryption_implied, 0),
                    "encryptedColumnName" => (&mut encryption_implied, 1),
                    "masked" => (&mut masked, 0),
                    "masking" => (&mut masked, 1),
                    "mask" => (&mut masked, 2),
                    "isNullable" => {
                        nullable = Some(found);
                        continue;
                    }
                    "customProperties" => {
                        custom = Some(entry.value);
                        continue;
                    }
                    _ => continue,
                };
                if let Some(slot) = list.get_mut(index) {
                    *slot = Some(found);
                }
                continue;
            }
        };
        if let Some(best) = plain.get_mut(slot) {
            if best.is_none_or(|(r, _)| rank < r) {
                *best = Some((rank, found));
            }
        }
    }
    // The slots above are `FIELD_NAMES` after `name`, in order.
    for (name, found) in FIELD_NAMES.iter().skip(1).zip(plain) {
        entity.set(name, found.map(|(_, a)| a));
    }
    if entity.get("required").is_none() {
        if let Some(nullable) = nullable {
            if let NodeKind::Bool(b) = doc.node(nullable.node).kind {
                let node = doc.push(nullable.span, NodeKind::Bool(!b));
                entity.set(
                    "required",
                    Some(Attr {
                        node,
                        span: nullable.span,
                    }),
                );
            }
        }
    }
    // `encryptedName: email_enc` names the encrypted column: a non-empty name says yes.
    let implied = encryption_implied.into_iter().flatten().find(|a| {
        doc.str(a.node)
            .is_some_and(|name| !name.trim().is_empty() && !says_no(doc, a.node))
    });
    let [encrypted_flag, encryption] = encrypted;
    let encrypted = flag(doc, encrypted_flag, encryption, implied);
    entity.set("encrypted", encrypted);
    let [masked_flag, masking, mask] = masked;
    let masked = flag(doc, masked_flag, masking.or(mask), None);
    entity.set("masked", masked);
    if let Some(custom) = custom {
        custom_properties(doc, custom, entity);
    }
}

/// ODCS/ODPS `customProperties: [{property: pii, value: true}]`: a property named like a
/// canonical yes/no attribute sets it.
fn custom_properties(doc: &Document, list: NodeId, entity: &mut Entity) {
    for &item in doc.items(list) {
        let name = doc.get(item, "property").and_then(|p| doc.str(p));
        let canonical = match name.map(str::to_ascii_lowercase).as_deref() {
            Some("pii") => "pii",
            Some("encrypted") => "encrypted",
            Some("masked") => "masked",
            Some("classification") => "classification",
            _ => continue,
        };
        entity.set(canonical, attr(doc, item, "value"));
    }
}

/// A yes/no attribute that formats spell in several ways. Only an explicit yes counts, the
/// same rule wherever the flag is written:
/// - `key: ...` (`encrypted`, `masked`) is yes only for `true` or the words `true`/`yes`/`on`
///   (see [`Document::is_yes`]); `"not encrypted"`, `[true]`, `1` or `"n"` are no;
/// - `method: {..}` (`encryption: {algorithm: aes}`, `masking: {..}`) is yes when the mapping
///   names a method (`algorithm`, `method`, `type`...) and is not disabled; an `enabled` key,
///   when present, decides;
/// - `method: "AES256"` is yes when the text names a method rather than its absence
///   (`disabled`, `none`, `not encrypted`...);
/// - else an `implied` attribute (`encryptedName: email_enc`) means yes.
pub(crate) fn flag(
    doc: &mut Document,
    key: Option<Attr>,
    method: Option<Attr>,
    implied: Option<Attr>,
) -> Option<Attr> {
    if let Some(found) = key {
        if doc.is_map(found.node) || doc.is_seq(found.node) {
            // `encrypted: {algorithm: aes}` is a method written under the flag's name.
            if doc.is_map(found.node) {
                return Some(method_flag(doc, found));
            }
            return Some(synthetic(doc, found.span, NodeKind::Bool(false)));
        }
        return Some(found);
    }
    if let Some(found) = method {
        return Some(method_flag(doc, found));
    }
    implied.map(|implied| synthetic(doc, implied.span, NodeKind::Bool(true)))
}

/// Keys of an encryption or masking mapping that name how it is done.
const METHOD_KEYS: &[&str] = &[
    "algorithm",
    "method",
    "type",
    "scheme",
    "cipher",
    "kms",
    "kmsKeyId",
    "keyId",
    "key",
    "keyRef",
    "provider",
    "mode",
    "strategy",
    "function",
    "policy",
];

/// The yes/no an encryption or masking method (a mapping or a text) stands for.
fn method_flag(doc: &mut Document, found: Attr) -> Attr {
    let yes = match &doc.node(found.node).kind {
        NodeKind::Map(_) => match attr(doc, found.node, "enabled") {
            Some(enabled) => return enabled,
            None => METHOD_KEYS.iter().any(|key| {
                doc.get(found.node, key)
                    .is_some_and(|v| doc.is_present(v) && !says_no(doc, v) && !doc.is_map(v))
            }),
        },
        NodeKind::Str(_) => !says_no(doc, found.node),
        NodeKind::Bool(b) => *b,
        _ => false,
    };
    synthetic(doc, found.span, NodeKind::Bool(yes))
}

/// `encryption: disabled`, `masking: none`, `"not encrypted"`: a value that names the absence
/// of the feature (or that is no value at all).
fn says_no(doc: &Document, node: NodeId) -> bool {
    let Some(text) = doc.scalar_text(node) else {
        return false;
    };
    let lower = text.trim().to_lowercase();
    if [
        "",
        "false",
        "no",
        "n",
        "off",
        "none",
        "null",
        "nil",
        "0",
        "disabled",
        "unencrypted",
        "plaintext",
        "plain",
        "cleartext",
        "clear",
        "unmasked",
        "n/a",
        "na",
        "-",
    ]
    .contains(&lower.as_str())
    {
        return true;
    }
    // "not encrypted", "no encryption", "without masking", "non-encrypted".
    lower.split(|c: char| !c.is_alphanumeric()).any(|word| {
        matches!(
            word,
            "not"
                | "no"
                | "non"
                | "without"
                | "none"
                | "disabled"
                | "unencrypted"
                | "unmasked"
                | "plaintext"
        )
    })
}

/// A node the canonical model derives from the file, pointing at the text that implies it.
pub(crate) fn synthetic(doc: &mut Document, span: Span, kind: NodeKind) -> Attr {
    Attr {
        node: doc.push(span, kind),
        span,
    }
}

/// A derived string value (`"4 d"` from ODCS `value: 4` + `unit: d`).
pub(crate) fn synthetic_text(doc: &mut Document, span: Span, text: String) -> Attr {
    synthetic(doc, span, NodeKind::Str(Text::Owned(text)))
}

/// The member of a team list whose `role` says owner (`Owner`, `Data Product Owner`...),
/// preferring current members (no `dateOut`): its `username`, `email`, `name` or `id`.
pub(crate) fn owner_of_members(doc: &Document, members: NodeId) -> Option<Attr> {
    let owners: Vec<NodeId> = doc
        .items(members)
        .iter()
        .copied()
        .filter(|&member| {
            doc.get(member, "role")
                .and_then(|r| doc.str(r))
                .is_some_and(|role| role.to_ascii_lowercase().contains("owner"))
        })
        .collect();
    let current = owners
        .iter()
        .copied()
        .find(|&m| doc.get(m, "dateOut").is_none_or(|d| !doc.is_present(d)));
    let member = current.or_else(|| owners.first().copied())?;
    ["username", "email", "name", "id"]
        .iter()
        .find_map(|key| attr(doc, member, key))
}

/// The owner of an ODCS/ODPS `team`: a list of members (3.0) or an object with `members` (3.1).
/// Without a member whose role says owner, the team object's own `name` owns the contract.
pub(crate) fn team_owner(doc: &Document, team: NodeId) -> Option<Attr> {
    if doc.is_seq(team) {
        return owner_of_members(doc, team);
    }
    doc.get(team, "members")
        .and_then(|members| owner_of_members(doc, members))
        .or_else(|| attr(doc, team, "name"))
}

/// The `property` names of ODCS `slaProperties[]` (compared ignoring case) and the SLA name
/// each gives.
pub(crate) const SLA_PROPERTIES: &[(&str, &str)] = &[
    ("availability", "sla.availability"),
    ("generalAvailabilityPercentage", "sla.availability"),
    ("freshness", "sla.freshness"),
    ("latency", "sla.latency"),
    ("retention", "sla.retention"),
    ("frequency", "sla.frequency"),
];

/// ODCS `slaProperties`: a canonical name read from another one's property when its own is
/// absent (`sla.freshness` from the `latency` item).
pub(crate) const SLA_FALLBACK: (&str, &str) = ("sla.freshness", "sla.latency");

/// ODCS-style `slaProperties: [{property, value, unit}]` → `sla.<property>` for availability,
/// freshness, latency, retention and frequency. The value keeps its span; with a unit, the
/// canonical value is the text `"<value> <unit>"` spanning `value: ...`.
pub(crate) fn sla_properties(doc: &mut Document, list: NodeId, top: &mut Entity) {
    let items: Vec<NodeId> = doc.items(list).to_vec();
    for item in items {
        let Some(property) = doc.get(item, "property").and_then(|p| doc.str(p)) else {
            continue;
        };
        let Some(&(_, canonical)) = SLA_PROPERTIES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(property))
        else {
            continue;
        };
        if top.get(canonical).is_some() {
            continue;
        }
        let Some(value) = attr(doc, item, "value") else {
            continue;
        };
        let unit = doc
            .get(item, "unit")
            .and_then(|u| doc.scalar_text(u))
            .map(std::borrow::Cow::into_owned);
        let attr = match (unit, doc.scalar_text(value.node)) {
            // `value: "95%"` with `unit: "%"` already carries its unit.
            (Some(unit), Some(number))
                if !unit.trim().is_empty() && !number.trim().ends_with(unit.trim()) =>
            {
                let text = format!("{} {}", number.trim(), unit.trim());
                synthetic_text(doc, value.span, text)
            }
            _ => value,
        };
        top.set(canonical, Some(attr));
    }
    // ODCS names freshness `latency` (the age of the data when it is available): without a
    // `freshness` property, `sla.freshness` reads it.
    let (name, fallback) = SLA_FALLBACK;
    if top.get(name).is_none() {
        let latency = top.get(fallback);
        top.set(name, latency);
    }
}

/// A format's mapping table: each canonical name from the first of its paths (dotted, from
/// `from`) that is present.
pub(crate) fn map_canonical(
    doc: &Document,
    entity: &mut Entity,
    from: NodeId,
    table: &[(&'static str, &[&str])],
) {
    for (canonical, paths) in table {
        for path in *paths {
            entity.set(canonical, super::model::raw_path(doc, from, path));
        }
    }
}

/// The first key/value of a mapping: where to point at an item that has no name.
pub(crate) fn first_line(doc: &Document, map: NodeId) -> Span {
    doc.entries(map)
        .first()
        .map_or_else(|| doc.span(map), super::super::document::Entry::span)
}

/// An item read from a mapping that names itself under one of `name_keys` (`name`, `column`).
pub(crate) fn named_item(
    doc: &Document,
    kind: ItemKind,
    map: NodeId,
    name_keys: &[&str],
    prefix: &str,
    table: Option<&Arc<str>>,
) -> Item {
    let name_attr = name_keys.iter().find_map(|key| attr(doc, map, key));
    let name = name_attr.and_then(|a| doc.scalar_text(a.node));
    let anchor = name_attr
        .map(|a| doc.span(a.node))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| first_line(doc, map));
    let mut entity = Entity::new(doc.is_map(map).then_some(map));
    entity.set(
        "name",
        name_attr.map(|a| Attr {
            node: a.node,
            span: doc.span(a.node),
        }),
    );
    Item::new(
        kind,
        prefix,
        name.as_deref(),
        table.cloned(),
        anchor,
        entity,
    )
}

/// An item named by its mapping key (`models: {orders: {...}}`, DCS `fields: {email: {...}}`).
pub(crate) fn keyed_item(
    doc: &mut Document,
    kind: ItemKind,
    key: &Text,
    key_span: Span,
    value: NodeId,
    prefix: &str,
    table: Option<&Arc<str>>,
) -> Item {
    // The key's text, not its source: `"email": ...` in JSON is named `email`.
    let name_node = doc.push(key_span, NodeKind::Str(key.clone()));
    let mut entity = Entity::new(doc.is_map(value).then_some(value));
    entity.set(
        "name",
        Some(Attr {
            node: name_node,
            span: key_span,
        }),
    );
    let name = doc.text(key).to_owned();
    Item::new(kind, prefix, Some(&name), table.cloned(), key_span, entity)
}

/// The entries of a mapping as `(key, key span, value)` triples, so the document can be
/// extended while they are walked (a key verbatim in the source is just a span).
pub(crate) fn entries_of(doc: &Document, map: NodeId) -> Vec<(Text, Span, NodeId)> {
    doc.entries(map)
        .iter()
        .map(|e| (e.key.clone(), e.key_span, e.value))
        .collect()
}

/// Ports/servers from a list of mappings.
pub(crate) fn listed_items(
    doc: &Document,
    list: NodeId,
    kind: ItemKind,
    name_keys: &[&str],
    out: &mut Vec<Item>,
) {
    for &item in doc.items(list) {
        if doc.is_map(item) {
            let mut found = named_item(doc, kind, item, name_keys, "", None);
            for key in [
                "type",
                "description",
                "environment",
                "format",
                "location",
                "version",
            ] {
                found.entity.set(key, attr(doc, item, key));
            }
            out.push(found);
        }
    }
}
