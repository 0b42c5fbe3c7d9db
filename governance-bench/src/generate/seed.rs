//! The seed shapes (see `fixtures/`): `data_product` / `domain` / `owner` / `schema_version`, an
//! `sla:` mapping, `output_ports`, and `schema:` as a list of `{name, type, ...}` or as a mapping
//! of name to type; in YAML, or in JSON.

use super::model::{Contract, Field};
use super::text::{Json, Lines};

/// How the seed shape writes `schema:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemaForm {
    /// `schema:` as a list of `{name, type, ...attributes}`.
    List,
    /// `schema:` as a mapping of name to type (or to a mapping of attributes).
    Map,
}

/// The contract as seed-shape YAML.
pub(crate) fn yaml(contract: &Contract, form: SchemaForm) -> String {
    let mut out = Lines::default();
    out.line(
        0,
        format_args!(
            "# Data contract of `{}` ({} domain).",
            contract.product, contract.domain
        ),
    );
    out.line(0, format_args!("data_product: {}", contract.product));
    out.line(0, format_args!("domain: {}", contract.domain));
    out.line(0, format_args!("owner: {}", contract.owner));
    if let Some(version) = &contract.version {
        out.line(0, format_args!("schema_version: \"{version}\""));
    }
    out.line(0, format_args!("description: {}", contract.description));
    if !contract.tags.is_empty() {
        out.line(0, format_args!("tags: [{}]", contract.tags.join(", ")));
    }
    if contract.availability.is_some() || contract.freshness.is_some() {
        out.line(0, format_args!("sla:"));
        if let Some(availability) = contract.availability {
            out.line(2, format_args!("availability: {availability}"));
        }
        if let Some(freshness) = contract.freshness {
            out.line(2, format_args!("freshness: {freshness}"));
        }
    }
    out.line(0, format_args!("schema:"));
    for field in contract.tables.iter().flat_map(|table| &table.fields) {
        match form {
            SchemaForm::List => list_field(&mut out, field),
            SchemaForm::Map => map_field(&mut out, field),
        }
    }
    if !contract.ports.is_empty() {
        out.line(0, format_args!("output_ports:"));
        for port in &contract.ports {
            out.line(2, format_args!("- name: {}", port.name));
            if let Some(kind) = port.kind {
                out.line(4, format_args!("type: {kind}"));
            }
            out.line(4, format_args!("location: {}", port.location));
        }
    }
    out.finish()
}

fn list_field(out: &mut Lines, field: &Field) {
    out.line(2, format_args!("- name: {}", field.name));
    out.line(4, format_args!("type: {}", field.kind.seed_name()));
    attributes(out, 4, field);
}

fn map_field(out: &mut Lines, field: &Field) {
    if has_attributes(field) {
        out.line(2, format_args!("{}:", field.name));
        out.line(4, format_args!("type: {}", field.kind.seed_name()));
        attributes(out, 4, field);
    } else {
        out.line(
            2,
            format_args!("{}: {}", field.name, field.kind.seed_name()),
        );
    }
}

fn has_attributes(field: &Field) -> bool {
    field.description.is_some()
        || field.pii
        || field.encrypted.is_some()
        || field.masked
        || !field.tags.is_empty()
}

fn attributes(out: &mut Lines, indent: usize, field: &Field) {
    if let Some(description) = &field.description {
        out.line(indent, format_args!("description: {description}"));
    }
    if field.required {
        out.line(indent, format_args!("required: true"));
    }
    if field.pii {
        out.line(indent, format_args!("pii: true"));
    }
    if let Some(encrypted) = field.encrypted {
        out.line(indent, format_args!("encrypted: {encrypted}"));
    }
    if field.masked {
        out.line(indent, format_args!("masked: true"));
    }
    if !field.tags.is_empty() {
        out.line(indent, format_args!("tags: [{}]", field.tags.join(", ")));
    }
}

/// The contract as seed-shape JSON (like `fixtures/good/orders.json`).
pub(crate) fn json(contract: &Contract, form: SchemaForm) -> String {
    let mut root = vec![
        ("data_product", Json::str(&contract.product)),
        ("domain", Json::str(contract.domain)),
        ("owner", Json::str(&contract.owner)),
    ];
    if let Some(version) = &contract.version {
        root.push(("schema_version", Json::str(version)));
    }
    root.push(("description", Json::str(&contract.description)));
    if !contract.tags.is_empty() {
        root.push(("tags", strings(&contract.tags)));
    }
    let mut sla = Vec::new();
    if let Some(availability) = contract.availability {
        sla.push(("availability", Json::str(availability)));
    }
    if let Some(freshness) = contract.freshness {
        sla.push(("freshness", Json::str(freshness)));
    }
    if !sla.is_empty() {
        root.push(("sla", Json::Object(sla)));
    }
    let fields = contract.tables.iter().flat_map(|table| &table.fields);
    let schema = match form {
        SchemaForm::List => Json::Array(
            fields
                .map(|field| {
                    let mut entries = vec![("name", Json::str(field.name))];
                    entries.extend(json_attributes(field));
                    Json::Object(entries)
                })
                .collect(),
        ),
        SchemaForm::Map => Json::Map(
            fields
                .map(|field| {
                    let value = if has_attributes(field) {
                        Json::Object(json_attributes(field))
                    } else {
                        Json::str(field.kind.seed_name())
                    };
                    (field.name.to_owned(), value)
                })
                .collect(),
        ),
    };
    root.push(("schema", schema));
    if !contract.ports.is_empty() {
        let ports = contract
            .ports
            .iter()
            .map(|port| {
                let mut entries = vec![("name", Json::str(&port.name))];
                if let Some(kind) = port.kind {
                    entries.push(("type", Json::str(kind)));
                }
                entries.push(("location", Json::str(&port.location)));
                Json::Object(entries)
            })
            .collect();
        root.push(("output_ports", Json::Array(ports)));
    }
    Json::Object(root).pretty()
}

fn json_attributes(field: &Field) -> Vec<(&'static str, Json)> {
    let mut entries = vec![("type", Json::str(field.kind.seed_name()))];
    if let Some(description) = &field.description {
        entries.push(("description", Json::str(description)));
    }
    if field.required {
        entries.push(("required", Json::Bool(true)));
    }
    if field.pii {
        entries.push(("pii", Json::Bool(true)));
    }
    if let Some(encrypted) = field.encrypted {
        entries.push(("encrypted", Json::Bool(encrypted)));
    }
    if field.masked {
        entries.push(("masked", Json::Bool(true)));
    }
    if !field.tags.is_empty() {
        entries.push(("tags", strings(&field.tags)));
    }
    entries
}

fn strings(items: &[&str]) -> Json {
    Json::Array(items.iter().map(|item| Json::str(*item)).collect())
}
