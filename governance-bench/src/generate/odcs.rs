//! The Open Data Contract Standard v3 shape: `apiVersion: v3.0.2`, `kind: DataContract`, `team`
//! members with roles, `schema:` as a list of tables whose columns are `properties:` (nested for
//! object columns), `classification` / `encryptedName` / `tags` on columns, and `slaProperties`.

use super::model::{Contract, Field, Kind};
use super::text::Lines;

/// The contract as ODCS v3 YAML.
pub(crate) fn yaml(contract: &Contract) -> String {
    let mut out = Lines::default();
    out.line(0, format_args!("apiVersion: v3.0.2"));
    out.line(0, format_args!("kind: DataContract"));
    out.line(0, format_args!("id: {}", contract.id));
    out.line(0, format_args!("name: {}", contract.product));
    if let Some(version) = &contract.version {
        out.line(0, format_args!("version: {version}"));
    }
    out.line(0, format_args!("status: {}", contract.status));
    out.line(0, format_args!("domain: {}", contract.domain));
    out.line(0, format_args!("dataProduct: {}", contract.product));
    out.line(0, format_args!("description:"));
    out.line(2, format_args!("purpose: {}", contract.description));
    if !contract.tags.is_empty() {
        out.line(0, format_args!("tags: [{}]", contract.tags.join(", ")));
    }
    out.line(0, format_args!("team:"));
    for member in &contract.team {
        out.line(2, format_args!("- username: {}", member.username));
        out.line(4, format_args!("role: {}", member.role));
    }
    out.line(0, format_args!("schema:"));
    for table in &contract.tables {
        out.line(2, format_args!("- name: {}", table.name));
        out.line(
            4,
            format_args!("physicalName: {}.{}", contract.domain, table.name),
        );
        out.line(4, format_args!("physicalType: table"));
        out.line(4, format_args!("description: {}", table.description));
        out.line(4, format_args!("properties:"));
        for field in &table.fields {
            property(&mut out, 6, field);
        }
    }
    if !contract.ports.is_empty() {
        out.line(0, format_args!("servers:"));
        for port in &contract.ports {
            out.line(2, format_args!("- server: {}", port.name));
            if let Some(kind) = port.kind {
                out.line(4, format_args!("type: {}", server_type(kind)));
            }
            out.line(4, format_args!("environment: prod"));
            out.line(4, format_args!("location: {}", port.location));
        }
    }
    let mut sla = Vec::new();
    if let Some(availability) = contract.availability {
        sla.push((
            "availability",
            availability.trim_end_matches('%'),
            "percent",
        ));
    }
    if let Some(freshness) = contract.freshness {
        let (value, unit) = duration(freshness);
        sla.push(("freshness", value, unit));
    }
    if !sla.is_empty() {
        out.line(0, format_args!("slaProperties:"));
        for (property, value, unit) in sla {
            out.line(2, format_args!("- property: {property}"));
            out.line(4, format_args!("value: {value}"));
            out.line(4, format_args!("unit: {unit}"));
        }
    }
    out.finish()
}

/// One column, as an item of a `properties:` list at `indent`.
fn property(out: &mut Lines, indent: usize, field: &Field) {
    let inner = indent + 2;
    out.line(indent, format_args!("- name: {}", field.name));
    let (logical, physical) = types(field.kind);
    out.line(inner, format_args!("logicalType: {logical}"));
    if field.physical_type {
        out.line(inner, format_args!("physicalType: {physical}"));
    }
    if field.required {
        out.line(inner, format_args!("required: true"));
    }
    if let Some(description) = &field.description {
        out.line(inner, format_args!("description: {description}"));
    }
    if let Some(classification) = field.classification {
        out.line(inner, format_args!("classification: {classification}"));
    }
    if field.encrypted == Some(true) {
        out.line(inner, format_args!("encryptedName: {}_enc", field.name));
    }
    if !field.tags.is_empty() {
        out.line(inner, format_args!("tags: [{}]", field.tags.join(", ")));
    }
    if !field.children.is_empty() {
        out.line(inner, format_args!("properties:"));
        for child in &field.children {
            property(out, inner + 2, child);
        }
    }
}

/// ODCS v3.0.2 logical type and a typical physical type.
fn types(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::String => ("string", "varchar(255)"),
        Kind::Integer => ("integer", "int"),
        Kind::Long => ("integer", "bigint"),
        Kind::Double => ("number", "double"),
        Kind::Decimal => ("number", "decimal(18,2)"),
        Kind::Date => ("date", "date"),
        // v3.0.2 has no `timestamp` logical type: a timestamp is a `date` with a physical type.
        Kind::Timestamp => ("date", "timestamp"),
        Kind::Boolean => ("boolean", "boolean"),
        Kind::Object => ("object", "struct"),
    }
}

fn server_type(port_kind: &str) -> &'static str {
    match port_kind {
        "kafka_topic" => "kafka",
        "s3_bucket" => "s3",
        "bigquery_table" => "bigquery",
        _ => "snowflake",
    }
}

/// A seed freshness (`15 minutes`, `PT1H`) as an ODCS value and unit.
fn duration(freshness: &str) -> (&str, &'static str) {
    if let Some(minutes) = freshness
        .strip_prefix("PT")
        .and_then(|rest| rest.strip_suffix('M'))
    {
        return (minutes, "m");
    }
    if let Some(hours) = freshness
        .strip_prefix("PT")
        .and_then(|rest| rest.strip_suffix('H'))
    {
        return (hours, "h");
    }
    let (value, unit) = freshness.split_once(' ').unwrap_or((freshness, "d"));
    let unit = if unit.starts_with("minute") {
        "m"
    } else if unit.starts_with("hour") {
        "h"
    } else {
        "d"
    };
    (value, unit)
}
