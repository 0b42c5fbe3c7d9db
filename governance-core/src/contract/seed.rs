//! The seed shapes (the data-mesh article's contracts) → canonical model.
//!
//! ```yaml
//! data_product: customer_360        # or `name`, or `id`
//! domain: sales
//! owner: team@company.com
//! schema_version: "1.0"              # or `version`
//! schema:                            # a mapping name → type, or a list of {name, type, ...}
//!   customer_id: string
//! sla: {freshness: 1 hour, availability: 99.9%}   # or sla: "99.9%", or sla_availability
//! output_ports: [{name: x, type: kafka_topic}]    # or a single `output_port` mapping
//! ```

use super::model::{attr, Attr, Entity, Item, ItemKind};
use super::normalize::{entries_of, field_attributes, keyed_item, named_item, Canonical, Issue};
use super::resolve::has_extension;
use super::resolve::Refs;
use super::schema_file::{self, Within};
use crate::builtin::BuiltinRule;
use crate::document::{Document, NodeId};

/// Each canonical name from the first of these top-level keys that is present (the mapping
/// table `governance_core::read_from` and docs/formats.md show).
pub(crate) const CONTRACT: &[(&str, &[&str])] = &[
    ("data_product", &["data_product", "name", "id"]),
    ("name", &["name", "data_product", "id"]),
    ("id", &["id", "data_product", "name"]),
    ("schema_version", &["schema_version", "version"]),
    ("version", &["version", "schema_version"]),
    ("sla.availability", &["sla_availability"]),
    ("sla.freshness", &["sla_freshness"]),
    ("sla.latency", &["sla_latency"]),
    ("sla.retention", &["sla_retention"]),
    ("fields", &["schema"]),
];

/// The keys of an `sla:` mapping, after [`CONTRACT`]'s flat `sla_*` keys.
pub(crate) const SLA: &[(&str, &str)] = &[
    ("sla.availability", "availability"),
    ("sla.freshness", "freshness"),
    ("sla.latency", "latency"),
    ("sla.retention", "retention"),
];

/// The keys that hold ports, and the canonical path each sets (its items are output or input
/// ports accordingly).
pub(crate) const PORTS: &[(&str, &str)] = &[
    ("output_ports", "output_ports"),
    ("input_ports", "input_ports"),
    ("output_ports", "output_port"),
    ("input_ports", "input_port"),
];

pub(crate) fn normalize(doc: &mut Document, root: NodeId, refs: &mut Refs<'_>) -> Canonical {
    let mut top = Entity::new(Some(root));
    for (canonical, keys) in CONTRACT {
        for key in *keys {
            top.set(canonical, attr(doc, root, key));
        }
    }
    if let Some(sla) = doc.get(root, "sla") {
        if doc.is_map(sla) {
            for (canonical, key) in SLA {
                top.set(canonical, attr(doc, sla, key));
            }
        } else if doc.scalar_text(sla).is_some() {
            // `sla: "99.9%"` states the availability.
            top.set("sla.availability", attr(doc, root, "sla"));
        }
    }

    let mut items = Vec::new();
    let mut issues = Vec::new();
    if let Some(schema) = attr(doc, root, "schema") {
        if !schema_reference(doc, schema, refs, &mut items, &mut issues) {
            fields(doc, schema.node, "", &mut items);
        }
    }
    for &(canonical, key) in PORTS {
        let kind = if canonical == "output_ports" {
            ItemKind::OutputPort
        } else {
            ItemKind::InputPort
        };
        if let Some(ports) = doc.get(root, key) {
            top.set(canonical, attr(doc, root, key));
            let ports: Vec<NodeId> = if doc.is_seq(ports) {
                doc.items(ports).to_vec()
            } else {
                vec![ports]
            };
            for port in ports {
                items.push(port_item(doc, port, kind));
                if let Some(schema) = doc
                    .is_map(port)
                    .then(|| attr(doc, port, "schema"))
                    .flatten()
                {
                    schema_reference(doc, schema, refs, &mut items, &mut issues);
                }
            }
        }
    }
    Canonical { top, items, issues }
}

/// A `schema:` that names a schema file (`product_views.proto`, `orders.avsc`, a JSON Schema
/// `.json`/`.yaml`): its records become tables with their fields. Whether it named one.
fn schema_reference(
    doc: &mut Document,
    schema: Attr,
    refs: &mut Refs<'_>,
    items: &mut Vec<Item>,
    issues: &mut Vec<Issue>,
) -> bool {
    let Some(target) = doc.str(schema.node).map(|t| t.trim().to_owned()) else {
        return false;
    };
    let is_file = ["proto", "avsc", "json", "yaml", "yml"]
        .iter()
        .any(|ext| has_extension(&target, ext));
    if !is_file || target.contains(char::is_whitespace) {
        return false;
    }
    if let Some(followed) = refs.follow(doc, schema, &target, issues) {
        if schema_file::is_schema(doc, followed) {
            schema_file::fields(doc, followed, Within::Own, &target, items);
        } else {
            issues.push(
                Issue::new(
                    BuiltinRule::UnreadContent,
                    schema.span,
                    format!("`{target}` is not a schema the linter reads (a `.proto` file, an Avro `.avsc` or a JSON Schema with `properties`): its fields are not linted"),
                    "not a schema",
                )
                .with_help("name a Protobuf, Avro or JSON Schema file".to_owned()),
            );
        }
    }
    true
}

/// Fields of a seed `schema:` (or of a nested `fields:`): a mapping of name → type (or name →
/// attributes), or a list of mappings with a `name`.
fn fields(doc: &mut Document, schema: NodeId, prefix: &str, items: &mut Vec<Item>) {
    if doc.is_map(schema) {
        for (name, key_span, value) in entries_of(doc, schema) {
            let mut item = keyed_item(doc, ItemKind::Field, &name, key_span, value, prefix, None);
            if doc.is_map(value) {
                field_attributes(doc, value, &mut item.entity);
            } else if doc.scalar_text(value).is_some() {
                // `email: string`: the value is the type.
                item.entity.set(
                    "type",
                    Some(Attr {
                        node: value,
                        span: doc.span(value),
                    }),
                );
            }
            let path = item.path.clone();
            items.push(item);
            if let Some(nested) = doc.get(value, "fields") {
                fields(doc, nested, &path, items);
            }
        }
    } else if doc.is_seq(schema) {
        let list: Vec<NodeId> = doc.maps_in(schema);
        for field in list {
            let mut item = named_item(doc, ItemKind::Field, field, &["name"], prefix, None);
            field_attributes(doc, field, &mut item.entity);
            let path = item.path.clone();
            items.push(item);
            if let Some(nested) = doc.get(field, "fields") {
                fields(doc, nested, &path, items);
            }
        }
    }
}

fn port_item(doc: &Document, port: NodeId, kind: ItemKind) -> Item {
    if doc.is_map(port) {
        let mut item = named_item(doc, kind, port, &["name"], "", None);
        for key in ["type", "description", "schema", "format", "location"] {
            item.entity.set(key, attr(doc, port, key));
        }
        item
    } else {
        // A port given by name only: `- clickstream-raw`.
        let name = doc.scalar_text(port);
        let mut entity = Entity::new(None);
        entity.set(
            "name",
            Some(Attr {
                node: port,
                span: doc.span(port),
            }),
        );
        Item::new(kind, "", name.as_deref(), None, doc.span(port), entity)
    }
}
