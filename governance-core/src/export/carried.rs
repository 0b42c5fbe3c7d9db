//! What an export leaves behind, so that it is reported and never lost in silence:
//!
//! - [`uncarried_values`]: every value written in the source that the export does not
//!   carry: a key outside the canonical model (`x-team.slack`, a `quality` section, a team
//!   member who is not the owner...). The export writes what the canonical model knows, the
//!   servers as written, the ports and the waivers; any other value with content is listed.
//! - [`changed_on_reading`]: the export read back with the ODCS reader, compared with the
//!   original in the canonical terms the policies and the catalog see (names, owner, SLA,
//!   every field's attributes, tables, servers). A value that does not come back the same is
//!   listed: a type ODCS has no logical type for, a server type ODCS does not know, or a
//!   defect of the writer, which this check keeps from passing unnoticed.

use std::collections::HashMap;

use super::odcs::{logical_type, team_of, MEMBER_KEYS, TEAM_KEYS};
use crate::catalog::read;
use crate::catalog::{Product, ProductField, SlaValue};
use crate::contract::model::{CONTRACT_NAMES, FIELD_NAMES, ITEM_NAMES};
use crate::contract::{Contract, Entity, Format, ItemKind};
use crate::document::{Document, Entry, NodeId, NodeKind};
use crate::source::Span;

/// A value of the source that the export does not carry, or that reads back differently.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotCarried {
    /// What: "`x-team.slack` is not carried", "field `geo`: type `geography` ...".
    pub what: String,
    /// The line of the source where the value is written (1-based).
    pub line: usize,
}

/// Canonical collections: their attribute spans cover whole sections, not values.
const COLLECTIONS: &[&str] = &["fields", "output_ports", "input_ports", "format"];

/// The keys a port is read from (see the catalog's port reader).
const PORT_KEYS: &[&str] = &[
    "name",
    "type",
    "description",
    "server",
    "serverId",
    "location",
    "format",
    "version",
    "contractId",
    "contract",
    "contract_id",
    "dataContractId",
    "schema",
    "$ref",
];

/// Keys that say which standard a document follows: the export says it its own way.
const MARKERS: &[&str] = &[
    "apiVersion",
    "kind",
    "dataContractSpecification",
    "dataProductDescriptor",
];

/// Keys that go with a carried sibling: an SLA property's name and unit, a customProperty's
/// name, the owner's role.
const COMPANIONS: &[&str] = &["property", "unit", "role"];

/// The spans the export carries, for a containment test in O(log n).
struct Carried {
    /// Sorted by start.
    spans: Vec<Span>,
    /// The largest end among `spans[..=i]`.
    max_end: Vec<usize>,
}

impl Carried {
    fn new(mut spans: Vec<Span>) -> Self {
        spans.retain(|s| !s.is_empty());
        spans.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end())));
        let mut max_end = Vec::with_capacity(spans.len());
        let mut end = 0;
        for span in &spans {
            end = end.max(span.end());
            max_end.push(end);
        }
        Self { spans, max_end }
    }

    /// Whether some carried span covers `span`.
    fn covers(&self, span: Span) -> bool {
        let before = self.spans.partition_point(|s| s.start() <= span.start());
        before > 0
            && self
                .max_end
                .get(before - 1)
                .is_some_and(|&end| end >= span.end())
    }
}

/// Every value of `contract`'s document with content that the ODCS export does not carry.
/// `copied`: the spans of the source the writer copied as they are.
pub(crate) fn uncarried_values(contract: &Contract, copied: Vec<Span>) -> Vec<NotCarried> {
    let doc = &contract.doc;
    // The canonical values, set by the reader or read from the raw document by name.
    // The canonical values, set by the reader or read from the raw document by name. Only
    // what the export writes counts: a scalar, or the list of `tags`; a mapping (an ODCS
    // `description` without `purpose`) is written by no canonical name. A yes/no read from a
    // mapping or a list (`encryption: {algorithm: aes}`) is written as the yes/no only: the
    // mapping's own values are not carried.
    let read = |entity: &Entity, names: &[&str], spans: &mut Vec<Span>| {
        let mut attrs: Vec<(&str, crate::contract::Attr)> = entity
            .attrs
            .iter()
            .filter(|(name, _)| !COLLECTIONS.contains(name))
            .map(|(name, attr)| (*name, *attr))
            .collect();
        for name in names.iter().filter(|name| !COLLECTIONS.contains(name)) {
            attrs.extend(entity.lookup(doc, name).map(|attr| (*name, attr)));
        }
        for (name, attr) in attrs {
            let written = match &doc.node(attr.node).kind {
                NodeKind::Map(_) => false,
                NodeKind::Seq(_) => name == "tags",
                _ => true,
            };
            if !written {
                continue;
            }
            let from_collection = entity.raw.and_then(|raw| {
                doc.entries(raw)
                    .iter()
                    .find(|e| e.span() == attr.span && (doc.is_map(e.value) || doc.is_seq(e.value)))
            });
            match from_collection {
                Some(entry) if name != "tags" => spans.push(entry.key_span),
                _ => spans.push(attr.span),
            }
        }
    };
    let mut spans = copied;
    read(&contract.top, CONTRACT_NAMES, &mut spans);
    for item in &contract.items {
        spans.push(item.anchor);
        let names = if item.kind == ItemKind::Field {
            FIELD_NAMES
        } else {
            ITEM_NAMES
        };
        read(&item.entity, names, &mut spans);
        let raw = item.entity.raw;
        match item.kind {
            // The servers are written as they are (connection keys the ODCS server type does
            // not allow go under its customProperties).
            ItemKind::Server => spans.extend(raw.map(|raw| doc.span(raw))),
            ItemKind::InputPort | ItemKind::OutputPort | ItemKind::OtherPort => {
                // The port reader takes texts only.
                for key in PORT_KEYS {
                    spans.extend(
                        raw.and_then(|raw| doc.entry(raw, key))
                            .filter(|e| !doc.is_map(e.value) && !doc.is_seq(e.value))
                            .map(Entry::span),
                    );
                }
            }
            ItemKind::Field | ItemKind::Table => {}
        }
    }
    // The team's name and description, and its members.
    let (team, members) = team_of(contract);
    for key in TEAM_KEYS {
        spans.extend(team.and_then(|t| doc.entry(t, key)).map(Entry::span));
    }
    for member in members {
        for key in MEMBER_KEYS {
            spans.extend(doc.entry(member, key).map(Entry::span));
        }
    }
    // The waivers are written under the `x-governance` custom property: the name of one the
    // source has is carried with them.
    if let Some(custom) = doc.get(contract.root(), "customProperties") {
        for &item in doc.items(custom) {
            let name = doc.get(item, "property").and_then(|p| doc.str(p));
            if matches!(name, Some("x-governance" | "waivers")) {
                spans.extend(doc.entry(item, "property").map(Entry::span));
            }
        }
    }
    for list in contract.waiver_lists() {
        spans.push(doc.span(list));
    }
    let carried = Carried::new(spans);
    let mut out = Vec::new();
    let root = contract.root();
    let mut walk = Walk {
        doc,
        carried: &carried,
        out: &mut out,
    };
    for entry in doc.entries(root) {
        let key = doc.text(&entry.key);
        let marker =
            MARKERS.contains(&key) || (contract.format() == Format::Dbt && key == "version");
        if !marker {
            walk.value(entry.value, entry.value_span, key, 0);
        }
    }
    if doc.is_seq(root) {
        walk.value(root, doc.span(root), "", 0);
    }
    out
}

struct Walk<'a> {
    doc: &'a Document,
    carried: &'a Carried,
    out: &'a mut Vec<NotCarried>,
}

impl Walk<'_> {
    fn value(&mut self, node: NodeId, span: Span, path: &str, depth: usize) {
        let doc = self.doc;
        if depth > 64 || self.carried.covers(span) {
            return;
        }
        match &doc.node(node).kind {
            NodeKind::Map(_) => {
                let entries = doc.entries(node);
                let any_carried = entries
                    .iter()
                    .any(|e| self.carried.covers(e.value_span) || self.carried.covers(e.span()));
                for entry in entries {
                    let key = doc.text(&entry.key);
                    if any_carried && COMPANIONS.contains(&key) {
                        continue;
                    }
                    if self.carried.covers(entry.span()) {
                        continue;
                    }
                    let below = if path.is_empty() {
                        key.to_owned()
                    } else {
                        format!("{path}.{key}")
                    };
                    self.value(entry.value, entry.value_span, &below, depth + 1);
                }
            }
            NodeKind::Seq(_) => {
                for (index, &item) in doc.items(node).iter().enumerate() {
                    self.value(item, doc.span(item), &format!("{path}.{index}"), depth + 1);
                }
            }
            NodeKind::Null => {}
            NodeKind::Str(text) if doc.text(text).trim().is_empty() => {}
            _ => {
                let line = doc.source().position(span.start()).line;
                self.out.push(NotCarried {
                    what: format!("`{}` is not carried", path.trim_start_matches('.')),
                    line,
                });
            }
        }
    }
}

/// The canonical values of the export `back` (read with the ODCS reader) that differ from
/// those of `original`.
pub(crate) fn changed_on_reading(original: &Contract, back: &Contract) -> Vec<NotCarried> {
    let was = read::product(original, String::new(), 1);
    let now = read::product(back, String::new(), 1);
    let mut out = Vec::new();
    let top_line = was.line;
    let mut differ = |what: &str, old: &Option<String>, new: &Option<String>| {
        if old != new {
            out.push(NotCarried {
                what: format!(
                    "`{what}` is {} in the export, {} in the source",
                    shown(new.as_deref()),
                    shown(old.as_deref())
                ),
                line: top_line,
            });
        }
    };
    differ("name", &was.name, &now.name);
    differ("data_product", &was.data_product, &now.data_product);
    differ("domain", &was.domain, &now.domain);
    differ("owner", &was.owner, &now.owner);
    differ("description", &was.description, &now.description);
    if was.version.is_some() {
        differ("version", &was.version, &now.version);
    }
    if was.status.is_some() {
        differ("status", &was.status, &now.status);
    }
    if was.id.is_some() {
        differ("id", &was.id, &now.id);
    }
    if was.tags != now.tags {
        out.push(NotCarried {
            what: format!(
                "`tags` are [{}] in the export, [{}] in the source",
                now.tags.join(", "),
                was.tags.join(", ")
            ),
            line: top_line,
        });
    }
    for (name, old, new) in [
        ("availability", &was.sla.availability, &now.sla.availability),
        ("freshness", &was.sla.freshness, &now.sla.freshness),
        ("latency", &was.sla.latency, &now.sla.latency),
        ("retention", &was.sla.retention, &now.sla.retention),
        ("frequency", &was.sla.frequency, &now.sla.frequency),
    ] {
        if !same_sla(old.as_ref(), new.as_ref()) {
            out.push(NotCarried {
                what: format!(
                    "`sla.{name}` is {} in the export, {} in the source",
                    shown(new.as_ref().map(|v| v.text.as_str())),
                    shown(old.as_ref().map(|v| v.text.as_str()))
                ),
                line: old.as_ref().map_or(top_line, |v| v.line),
            });
        }
    }
    fields(&was, &now, &mut out);
    servers(&was, &now, &mut out);
    out
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "absent".to_owned(), |v| format!("`{v}`"))
}

fn same_sla(old: Option<&SlaValue>, new: Option<&SlaValue>) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(old), Some(new)) => match (old.seconds, new.seconds) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            _ => {
                old.text == new.text
                    || (old.value.is_some() && old.value == new.value && old.unit == new.unit)
            }
        },
        _ => false,
    }
}

/// A field's path below its table: the export puts table-less fields in a table of their own.
fn relative(field: &ProductField) -> &str {
    field
        .table
        .as_deref()
        .filter(|t| !t.is_empty())
        .and_then(|t| field.path.strip_prefix(t))
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or(&field.path)
}

fn fields(was: &Product, now: &Product, out: &mut Vec<NotCarried>) {
    // Tables the export added for table-less fields are not the source's.
    let mut back: HashMap<(Option<&str>, &str), Vec<&ProductField>> = HashMap::new();
    let own_tables: Vec<Option<&str>> = was.tables.iter().map(|t| t.name.as_deref()).collect();
    for field in &now.fields {
        let table = field
            .table
            .as_deref()
            .filter(|t| own_tables.contains(&Some(*t)));
        back.entry((table, relative(field)))
            .or_default()
            .push(field);
    }
    let mut taken: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    for field in &was.fields {
        let table = field
            .table
            .as_deref()
            .filter(|t| own_tables.contains(&Some(*t)));
        let key = (table, relative(field));
        let index = taken.entry(key).or_default();
        let found = back.get(&key).and_then(|list| list.get(*index)).copied();
        *index += 1;
        let name = if field.path.is_empty() {
            "a field without a name".to_owned()
        } else {
            format!("field `{}`", field.path)
        };
        let Some(new) = found else {
            out.push(NotCarried {
                what: format!("{name} is not in the export"),
                line: field.line,
            });
            continue;
        };
        let opt = |v: &Option<String>| shown(v.as_deref());
        let flag = |v: Option<bool>| v.map_or_else(|| "absent".to_owned(), |b| format!("`{b}`"));
        // The type: its ODCS logical type, the written type kept as the physical type.
        let expected_type = field
            .type_name
            .as_deref()
            .map(|t| logical_type(t).map_or_else(|| t.to_owned(), str::to_owned));
        let no_logical = field
            .type_name
            .as_deref()
            .is_some_and(|t| logical_type(t).is_none());
        if no_logical && new.type_name.is_none() {
            out.push(NotCarried {
                what: format!(
                    "{name}: type {} has no ODCS logical type: written as `physicalType` only",
                    opt(&field.type_name)
                ),
                line: field.line,
            });
        }
        let mut differ = |attr: &str, old: String, new: String| {
            if old != new {
                out.push(NotCarried {
                    what: format!("{name}: `{attr}` is {new} in the export, {old} in the source"),
                    line: field.line,
                });
            }
        };
        if !(no_logical && new.type_name.is_none()) {
            differ("type", opt(&expected_type), opt(&new.type_name));
        }
        let physical = field
            .physical_type
            .clone()
            .or_else(|| field.type_name.clone())
            .filter(|t| Some(t.to_ascii_lowercase()) != expected_type);
        if physical.is_some() {
            differ("physical_type", opt(&physical), opt(&new.physical_type));
        }
        differ(
            "description",
            opt(&field.description),
            opt(&new.description),
        );
        differ("required", flag(field.required), flag(new.required));
        differ("unique", flag(field.unique), flag(new.unique));
        differ(
            "primary_key",
            flag(field.primary_key),
            flag(new.primary_key),
        );
        differ("critical", flag(field.critical), flag(new.critical));
        differ(
            "classification",
            opt(&field.classification),
            opt(&new.classification),
        );
        differ("pii", format!("`{}`", field.pii), format!("`{}`", new.pii));
        differ("encrypted", flag(field.encrypted), flag(new.encrypted));
        differ("masked", flag(field.masked), flag(new.masked));
        differ(
            "tags",
            format!("[{}]", field.tags.join(", ")),
            format!("[{}]", new.tags.join(", ")),
        );
    }
    for table in &was.tables {
        if !now.tables.iter().any(|t| t.name == table.name) {
            out.push(NotCarried {
                what: format!(
                    "table {} is not in the export",
                    shown(table.name.as_deref())
                ),
                line: table.line,
            });
        }
    }
}

/// A server type ODCS does not know becomes `custom`, its type under `customProperties`.
fn servers(was: &Product, now: &Product, out: &mut Vec<NotCarried>) {
    for (old, new) in was.servers.iter().zip(now.servers.iter()) {
        if old.type_name.as_deref().map(str::to_ascii_lowercase)
            != new.type_name.as_deref().map(str::to_ascii_lowercase)
        {
            out.push(NotCarried {
                what: format!(
                    "server {}: type {} is written as {} (the written type under its `customProperties`)",
                    shown(old.name.as_deref()),
                    shown(old.type_name.as_deref()),
                    shown(new.type_name.as_deref())
                ),
                line: old.line,
            });
        }
    }
    if was.servers.len() != now.servers.len() {
        out.push(NotCarried {
            what: format!(
                "{} servers in the export, {} in the source",
                now.servers.len(),
                was.servers.len()
            ),
            line: was.line,
        });
    }
}
