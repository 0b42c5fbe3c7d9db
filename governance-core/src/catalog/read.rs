//! Reading a contract's canonical model into the catalog's terms: the same attributes the
//! policies see, with the same yes/no rules (`must be encrypted`, `tagged pii`). The ODCS
//! writer reads contracts through these helpers too, so that the catalog and the export agree.

use std::collections::HashSet;

use super::model::{Direction, Port, Product, ProductField, Server, Sla, SlaValue, Table};
use crate::contract::{Contract, Entity, Item, ItemKind};
use crate::document::NodeKind;
use crate::policy::quantity::Quantity;
use crate::source::{SourceFile, Span};

/// The text of a canonical attribute (or raw key) of `entity`, when it is a scalar; trimmed,
/// and `None` when empty.
pub(crate) fn text(contract: &Contract, entity: &Entity, name: &str) -> Option<String> {
    let found = entity.lookup(&contract.doc, name)?;
    let text = contract.doc.scalar_text(found.node)?;
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A yes/no attribute: `None` when absent, else whether it is an explicit yes (the rule of
/// `must be ATTRIBUTE`).
pub(crate) fn flag(contract: &Contract, entity: &Entity, name: &str) -> Option<bool> {
    let found = entity.lookup(&contract.doc, name)?;
    Some(contract.doc.is_yes(found.node))
}

/// The tags of `entity`: a list of scalars, or one comma-separated text.
pub(crate) fn tags(contract: &Contract, entity: &Entity) -> Vec<String> {
    let doc = &contract.doc;
    let Some(found) = entity.lookup(doc, "tags") else {
        return Vec::new();
    };
    let mut out: Vec<String> = if doc.is_seq(found.node) {
        doc.items(found.node)
            .iter()
            .filter_map(|&item| doc.scalar_text(item))
            .map(|t| t.trim().to_owned())
            .collect()
    } else {
        doc.scalar_text(found.node)
            .map(|t| t.split(',').map(|s| s.trim().to_owned()).collect())
            .unwrap_or_default()
    };
    out.retain(|t| !t.is_empty());
    out
}

/// The 1-based line of `span`.
pub(crate) fn line(source: &SourceFile, span: Span) -> usize {
    source.position(span.start()).line
}

/// The text of the line holding byte `offset`, without its line break, cut to 200 characters.
pub(crate) fn line_text(source: &SourceFile, offset: usize) -> String {
    let text = source.text();
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let (before, after) = text.split_at(offset);
    let start = before.rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let end = after
        .find(['\n', '\r'])
        .map_or(text.len(), |at| offset + at);
    let line = text
        .get(start..end)
        .unwrap_or("")
        .trim_start_matches('\u{feff}');
    line.chars().take(200).collect()
}

/// Whether a field is personal data, as `fields tagged pii` decides.
pub(crate) fn is_pii(contract: &Contract, item: &Item) -> bool {
    crate::eval::is_tagged(&contract.doc, &item.entity, "pii")
}

/// A service level as written, and as a number with its unit.
pub(crate) fn sla_value(contract: &Contract, name: &str) -> Option<SlaValue> {
    let found = contract.top.lookup(&contract.doc, name)?;
    let text = contract.doc.scalar_text(found.node)?.trim().to_owned();
    if text.is_empty() {
        return None;
    }
    let (value, unit, seconds) = quantity(&text, name == "sla.availability");
    Some(SlaValue {
        text,
        value,
        unit,
        seconds,
        line: line(contract.source(), found.span),
    })
}

/// `99.9%` → (99.9, `%`); `1 hour` → (1, `h`, 3600 s); `PT30M` → (30, `min`); `daily` →
/// nothing. A plain number is a percentage where one is expected (`availability: 99.9`).
pub(crate) fn quantity(text: &str, percentage: bool) -> (Option<f64>, Option<String>, Option<f64>) {
    match Quantity::parse(text) {
        Some(Quantity::Percent(p)) => (Some(p), Some("%".to_owned()), None),
        Some(Quantity::Number(n)) if percentage => (Some(n), Some("%".to_owned()), None),
        Some(Quantity::Number(n)) => (Some(n), None, None),
        Some(Quantity::Duration(seconds)) => {
            let (value, unit) = duration_parts(text, seconds);
            (Some(value), Some(unit.to_owned()), Some(seconds))
        }
        None => (None, None, None),
    }
}

/// A duration as a number and a short unit: the unit as written (`2 hours` → 2 `h`), else (an
/// ISO 8601 duration) the largest unit that divides it.
fn duration_parts(text: &str, seconds: f64) -> (f64, &'static str) {
    let written = text
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-')
        .trim();
    let number: Option<f64> = text
        .trim()
        .get(..text.trim().len() - written.len())
        .and_then(|n| n.trim().parse().ok());
    if let (Some(number), Some(unit)) = (number, short_unit(written)) {
        return (number, unit);
    }
    for (unit, size) in [
        ("y", 31_536_000.0),
        ("d", 86_400.0),
        ("h", 3_600.0),
        ("min", 60.0),
        ("s", 1.0),
    ] {
        let count = seconds / size;
        if seconds != 0.0 && count.fract() == 0.0 {
            return (count, unit);
        }
    }
    (seconds * 1000.0, "ms")
}

/// The short name of a duration unit as a contract may write it.
fn short_unit(unit: &str) -> Option<&'static str> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "ms" | "millisecond" | "milliseconds" => "ms",
        "s" | "sec" | "secs" | "second" | "seconds" => "s",
        "m" | "min" | "mins" | "minute" | "minutes" => "min",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "d" | "day" | "days" => "d",
        "w" | "week" | "weeks" => "w",
        "month" | "months" => "month",
        "y" | "yr" | "yrs" | "year" | "years" => "y",
        _ => return None,
    })
}

/// The path of the field `item` is nested in, if one of `seen` (paths of earlier fields).
pub(crate) fn parent_path(item: &Item, seen: &HashSet<&str>) -> Option<String> {
    let name = item.name()?;
    let prefix = item.path.strip_suffix(name)?.strip_suffix('.')?;
    seen.contains(prefix).then(|| prefix.to_owned())
}

/// The contract's own attributes and its items, as a [`Product`] without compliance (added by
/// the caller).
pub(crate) fn product(contract: &Contract, key: String, document: usize) -> Product {
    let top = &contract.top;
    let source = contract.source();
    let mut product = Product {
        key,
        id: text(contract, top, "id"),
        name: text(contract, top, "name"),
        data_product: text(contract, top, "data_product"),
        domain: text(contract, top, "domain"),
        owner: text(contract, top, "owner"),
        standard: contract.format(),
        version: text(contract, top, "version"),
        schema_version: text(contract, top, "schema_version"),
        status: text(contract, top, "status"),
        description: text(contract, top, "description"),
        tags: tags(contract, top),
        file: source.name().to_owned(),
        document,
        line: line(source, contract.doc.span(contract.root())),
        tables: Vec::new(),
        fields: Vec::new(),
        sla: Sla {
            availability: sla_value(contract, "sla.availability"),
            freshness: sla_value(contract, "sla.freshness"),
            latency: sla_value(contract, "sla.latency"),
            retention: sla_value(contract, "sla.retention"),
            frequency: sla_value(contract, "sla.frequency"),
        },
        ports: Vec::new(),
        servers: Vec::new(),
        compliance: super::model::Compliance::default(),
        waivers: Vec::new(),
    };
    let mut seen: HashSet<&str> = HashSet::new();
    for item in &contract.items {
        let entity = &item.entity;
        let at = line(source, item.anchor);
        match item.kind {
            ItemKind::Field => {
                product.fields.push(ProductField {
                    path: item.path.clone(),
                    name: item.name().map(str::to_owned),
                    table: item.table.as_deref().map(str::to_owned),
                    parent: parent_path(item, &seen),
                    type_name: text(contract, entity, "type"),
                    physical_type: text(contract, entity, "physical_type"),
                    description: text(contract, entity, "description"),
                    required: flag(contract, entity, "required"),
                    unique: flag(contract, entity, "unique"),
                    primary_key: flag(contract, entity, "primary_key"),
                    critical: flag(contract, entity, "critical"),
                    classification: text(contract, entity, "classification"),
                    pii: is_pii(contract, item),
                    encrypted: flag(contract, entity, "encrypted"),
                    masked: flag(contract, entity, "masked"),
                    tags: tags(contract, entity),
                    line: at,
                });
                if !item.path.is_empty() {
                    seen.insert(&item.path);
                }
            }
            ItemKind::Table => product.tables.push(Table {
                name: item.name().map(str::to_owned),
                description: text(contract, entity, "description"),
                physical_name: text(contract, entity, "physicalName"),
                physical_type: text(contract, entity, "physicalType")
                    .or_else(|| text(contract, entity, "type")),
                tags: tags(contract, entity),
                line: at,
            }),
            ItemKind::InputPort | ItemKind::OutputPort | ItemKind::OtherPort => {
                product.ports.push(port(contract, item, at));
            }
            ItemKind::Server => product.servers.push(Server {
                name: item.name().map(str::to_owned),
                type_name: text(contract, entity, "type"),
                environment: text(contract, entity, "environment"),
                description: text(contract, entity, "description"),
                format: text(contract, entity, "format"),
                location: text(contract, entity, "location"),
                line: at,
            }),
        }
    }
    product
}

/// The first of `keys` the item has, as text.
fn first_text(contract: &Contract, entity: &Entity, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| text(contract, entity, key))
}

fn port(contract: &Contract, item: &Item, line: usize) -> Port {
    let entity = &item.entity;
    Port {
        name: item.name().map(str::to_owned),
        direction: match item.kind {
            ItemKind::InputPort => Direction::Input,
            ItemKind::OutputPort => Direction::Output,
            _ => Direction::Other,
        },
        type_name: text(contract, entity, "type"),
        description: text(contract, entity, "description"),
        server: first_text(contract, entity, &["server", "serverId"]),
        location: text(contract, entity, "location"),
        format: text(contract, entity, "format"),
        version: text(contract, entity, "version"),
        contract: first_text(
            contract,
            entity,
            &["contractId", "contract", "contract_id", "dataContractId"],
        ),
        schema: schema_reference(contract, entity),
        line,
    }
}

/// A port's schema: a `schema` text (`product_views.proto`), else a `$ref`.
fn schema_reference(contract: &Contract, entity: &Entity) -> Option<String> {
    let doc = &contract.doc;
    ["schema", "$ref"].iter().find_map(|key| {
        let found = entity.lookup(doc, key)?;
        match doc.node(found.node).kind {
            NodeKind::Str(_) => text(contract, entity, key),
            _ => None,
        }
    })
}
