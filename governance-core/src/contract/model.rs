//! The canonical model: what every contract format is normalized into.
//!
//! An [`Entity`] (the contract itself, a table, a field, a port, a server) is a set of canonical
//! attributes (`owner`, `type`, `encrypted`...) each pointing at the node of the document that
//! provides it, plus the raw mapping it came from, so that any other path still reads the file.

use std::sync::Arc;

use crate::document::{Document, NodeId};
use crate::source::Span;

/// A canonical attribute's value: the node that holds it and the span to report, which covers
/// `key: value` when the value has a key of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attr {
    pub node: NodeId,
    pub span: Span,
}

/// The contract, a table, a field, a port or a server, in canonical terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entity {
    /// The mapping it was read from: paths that are not canonical names are looked up here.
    pub raw: Option<NodeId>,
    /// A second mapping to read raw paths from when `raw` lacks them (a DCS field's `$ref`
    /// definition).
    pub fallback: Option<NodeId>,
    pub attrs: Vec<(&'static str, Attr)>,
    /// Canonical names that must not fall back to the raw document (a dbt file's `version: 2`
    /// is the file format's version, not the contract's).
    pub canonical_only: &'static [&'static str],
}

impl Entity {
    pub fn new(raw: Option<NodeId>) -> Self {
        Self {
            raw,
            fallback: None,
            // Most entities have a handful of attributes: one allocation.
            attrs: Vec::with_capacity(8),
            canonical_only: &[],
        }
    }

    /// Sets canonical attribute `key` unless an earlier source already set it.
    pub fn set(&mut self, key: &'static str, attr: Option<Attr>) {
        if let Some(attr) = attr {
            if self.get(key).is_none() {
                self.attrs.push((key, attr));
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<Attr> {
        self.attrs
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, attr)| *attr)
    }

    /// A canonical attribute, else the raw path below the entity's mapping.
    pub fn lookup(&self, doc: &Document, path: &str) -> Option<Attr> {
        if let Some(found) = self.get(path) {
            return Some(found);
        }
        if self.canonical_only.contains(&path) {
            return None;
        }
        self.raw
            .and_then(|raw| raw_path(doc, raw, path))
            .or_else(|| self.fallback.and_then(|more| raw_path(doc, more, path)))
    }
}

/// What kind of thing a collection item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ItemKind {
    Field,
    InputPort,
    OutputPort,
    /// DPDS discovery/observability/control ports, ODPS management ports.
    OtherPort,
    Table,
    Server,
}

impl ItemKind {
    /// How findings name it: "field `email`".
    pub fn noun(self) -> &'static str {
        match self {
            ItemKind::Field => "field",
            ItemKind::InputPort => "input port",
            ItemKind::OutputPort => "output port",
            ItemKind::OtherPort => "port",
            ItemKind::Table => "table",
            ItemKind::Server => "server",
        }
    }
}

/// A field, port, table or server of a contract.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub kind: ItemKind,
    /// The dotted path from its table (`orders.customer.email`), or the name for ports; empty
    /// for an item without a name. Its last `name_len` bytes are the item's own name.
    pub path: String,
    name_len: Option<usize>,
    /// The table or model a field belongs to (shared by its fields).
    pub table: Option<Arc<str>>,
    /// Where to point when the item itself is at fault: its name, else its first line.
    pub anchor: Span,
    pub entity: Entity,
}

impl Item {
    /// An item named `name` (if it has one) below `prefix`.
    pub fn new(
        kind: ItemKind,
        prefix: &str,
        name: Option<&str>,
        table: Option<Arc<str>>,
        anchor: Span,
        entity: Entity,
    ) -> Self {
        let path = match name {
            Some(name) if prefix.is_empty() => name.to_owned(),
            Some(name) => {
                let mut path = String::with_capacity(prefix.len() + 1 + name.len());
                path.push_str(prefix);
                path.push('.');
                path.push_str(name);
                path
            }
            None => String::new(),
        };
        Self {
            kind,
            name_len: name.map(str::len),
            path,
            table,
            anchor,
            entity,
        }
    }

    /// The item's own name (`email`), if it has one.
    pub fn name(&self) -> Option<&str> {
        let len = self.name_len?;
        self.path.get(self.path.len().saturating_sub(len)..)
    }

    /// "field `orders.email`", "output port `events`", "output port #2".
    pub fn describe(&self, index: usize) -> String {
        if self.path.is_empty() {
            format!("{} #{}", self.kind.noun(), index + 1)
        } else {
            format!("{} `{}`", self.kind.noun(), self.path)
        }
    }
}

/// The attribute under `key` of mapping `map`.
pub(crate) fn attr(doc: &Document, map: NodeId, key: &str) -> Option<Attr> {
    doc.entry(map, key).map(|entry| Attr {
        node: entry.value,
        span: entry.span(),
    })
}

/// Follows a dotted path through mappings (and numeric indexes through sequences). A key that
/// itself contains dots (`x-team.slack` as one key) is found too.
pub(crate) fn raw_path(doc: &Document, from: NodeId, path: &str) -> Option<Attr> {
    if !path.contains('.') && doc.is_map(from) {
        // The common case: one key.
        return attr(doc, from, path);
    }
    walk(doc, from, path, None)
}

/// Follows the dotted `path` (the rest of one, below `node`) without allocating: each prefix
/// of it up to a dot is a key to try, the longest first, so that `a.b` as one key wins over
/// `a` → `b`.
fn walk(doc: &Document, node: NodeId, path: &str, found: Option<Attr>) -> Option<Attr> {
    if path.is_empty() {
        return found;
    }
    if doc.is_map(node) {
        let ends = std::iter::once(path.len()).chain(path.rmatch_indices('.').map(|(at, _)| at));
        for end in ends {
            let (Some(key), rest) = (path.get(..end), path.get(end + 1..).unwrap_or("")) else {
                continue;
            };
            if let Some(hit) = attr(doc, node, key) {
                if let Some(result) = walk(doc, hit.node, rest, Some(hit)) {
                    return Some(result);
                }
            }
        }
        None
    } else if doc.is_seq(node) {
        let (first, rest) = path.split_once('.').unwrap_or((path, ""));
        let index: usize = first.parse().ok()?;
        let item = *doc.items(node).get(index)?;
        let hit = Attr {
            node: item,
            span: doc.span(item),
        };
        walk(doc, item, rest, Some(hit))
    } else {
        None
    }
}

/// The canonical names of a contract (besides them, any dotted path reads the raw document).
pub(crate) const CONTRACT_NAMES: &[&str] = &[
    "data_product",
    "domain",
    "owner",
    "schema_version",
    "version",
    "name",
    "id",
    "status",
    "description",
    "tags",
    "format",
    "fields",
    "output_ports",
    "input_ports",
    "sla.availability",
    "sla.freshness",
    "sla.latency",
    "sla.retention",
    "sla.frequency",
];

/// The canonical attributes of a field.
pub(crate) const FIELD_NAMES: &[&str] = &[
    "name",
    "type",
    "physical_type",
    "description",
    "required",
    "unique",
    "primary_key",
    "pii",
    "classification",
    "tags",
    "critical",
    "encrypted",
    "masked",
];

/// The canonical attributes of ports, tables and servers.
pub(crate) const ITEM_NAMES: &[&str] = &[
    "name",
    "type",
    "description",
    "tags",
    "environment",
    "format",
    "location",
    "version",
    "schema",
    "physicalName",
    "physicalType",
];

/// Whether a path holds a list by nature (`tags`, the collections), so that a value predicate
/// tests each item; any other canonical name holds one value. A raw path (not a canonical
/// name) may hold either.
pub(crate) fn is_list_valued(path: &str) -> bool {
    matches!(path, "tags" | "fields" | "output_ports" | "input_ports")
        || !(CONTRACT_NAMES.contains(&path) || FIELD_NAMES.contains(&path))
}

/// What kind of quantity a canonical SLA value holds.
pub(crate) fn quantity_kind(name: &str) -> Option<&'static str> {
    match name {
        "sla.availability" => Some("a percentage"),
        "sla.freshness" | "sla.latency" | "sla.retention" | "sla.frequency" => Some("a duration"),
        _ => None,
    }
}

/// Keys the formats use that are not canonical names but are common and legitimate in paths:
/// a path starting with one of them is not reported as a custom name.
pub(crate) const KNOWN_RAW_KEYS: &[&str] = &[
    // Field and port spellings the normalizers read.
    "encryption",
    "masking",
    "mask",
    "logicalType",
    "physicalType",
    "physicalName",
    "data_type",
    "dataType",
    "isNullable",
    "isUnique",
    "isPrimaryKey",
    "primaryKey",
    "criticalDataElement",
    "encryptedName",
    "encryptedColumnName",
    "format",
    "title",
    "pattern",
    "examples",
    "constraints",
    "meta",
    "config",
    "quality",
    "customProperties",
    "$ref",
    // Top-level structures of the standards.
    "sla",
    "schema",
    "info",
    "team",
    "servers",
    "models",
    "dataset",
    "servicelevels",
    "slaProperties",
    "terms",
    "links",
    "apiVersion",
    "kind",
    "dataContractSpecification",
    "dataProductDescriptor",
    "interfaceComponents",
    "quantumName",
    "datasetName",
    "datasetDomain",
    "dataProduct",
    "uuid",
    "stakeholders",
    "price",
    "support",
    "roles",
    "x-governance",
    "output_port",
    "input_port",
];
