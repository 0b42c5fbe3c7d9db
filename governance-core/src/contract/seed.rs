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

use super::model::{attr, entry_span, Attr, Entity, Item, ItemKind};
use super::normalize::{field_attributes, Canonical};
use crate::document::{Document, NodeId, NodeKind};

pub(crate) fn normalize(doc: &mut Document, root: NodeId) -> Canonical {
    let mut top = Entity::new(Some(root));
    for (canonical, keys) in [
        ("data_product", &["data_product", "name", "id"][..]),
        ("name", &["name", "data_product", "id"]),
        ("id", &["id", "data_product", "name"]),
        ("schema_version", &["schema_version", "version"]),
        ("version", &["version", "schema_version"]),
        ("sla.availability", &["sla_availability"]),
        ("sla.freshness", &["sla_freshness"]),
        ("sla.latency", &["sla_latency"]),
        ("sla.retention", &["sla_retention"]),
        ("fields", &["schema"]),
    ] {
        for key in keys {
            top.set(canonical, attr(doc, root, key));
        }
    }
    if let Some(sla) = doc.get(root, "sla") {
        if doc.is_map(sla) {
            for (canonical, key) in [
                ("sla.availability", "availability"),
                ("sla.freshness", "freshness"),
                ("sla.latency", "latency"),
                ("sla.retention", "retention"),
            ] {
                top.set(canonical, attr(doc, sla, key));
            }
        } else if doc.scalar_text(sla).is_some() {
            // `sla: "99.9%"` states the availability.
            top.set("sla.availability", attr(doc, root, "sla"));
        }
    }

    let mut items = Vec::new();
    if let Some(schema) = doc.get(root, "schema") {
        fields(doc, schema, "", &mut items);
    }
    for (key, kind) in [
        ("output_ports", ItemKind::OutputPort),
        ("input_ports", ItemKind::InputPort),
        ("output_port", ItemKind::OutputPort),
        ("input_port", ItemKind::InputPort),
    ] {
        if let Some(ports) = doc.get(root, key) {
            top.set(
                if kind == ItemKind::OutputPort {
                    "output_ports"
                } else {
                    "input_ports"
                },
                attr(doc, root, key),
            );
            if doc.is_seq(ports) {
                for &port in doc.items(ports) {
                    items.push(port_item(doc, port, kind));
                }
            } else {
                items.push(port_item(doc, ports, kind));
            }
        }
    }
    Canonical { top, items }
}

/// Fields of a seed `schema:` (or of a nested `fields:`): a mapping of name → type (or name →
/// attributes), or a list of mappings with a `name`.
fn fields(doc: &mut Document, schema: NodeId, prefix: &str, items: &mut Vec<Item>) {
    let path_of = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    if doc.is_map(schema) {
        let entries: Vec<_> = doc
            .entries(schema)
            .iter()
            .map(|e| (doc.text(&e.key).to_owned(), e.key_span, e.value))
            .collect();
        for (name, key_span, value) in entries {
            let name_node = doc.push(
                key_span,
                NodeKind::Str(crate::document::Text::Source(key_span)),
            );
            let mut entity = Entity::new(doc.is_map(value).then_some(value));
            entity.set(
                "name",
                Some(Attr {
                    node: name_node,
                    span: key_span,
                }),
            );
            if doc.is_map(value) {
                field_attributes(doc, value, &mut entity);
            } else if doc.scalar_text(value).is_some() {
                // `email: string`: the value is the type.
                entity.set(
                    "type",
                    Some(Attr {
                        node: value,
                        span: doc.span(value),
                    }),
                );
            }
            let path = path_of(&name);
            let nested = doc
                .is_map(value)
                .then(|| doc.get(value, "fields"))
                .flatten();
            items.push(Item {
                kind: ItemKind::Field,
                name: Some(name),
                path: path.clone(),
                table: None,
                anchor: key_span,
                entity,
            });
            if let Some(nested) = nested {
                fields(doc, nested, &path, items);
            }
        }
    } else if doc.is_seq(schema) {
        let list: Vec<NodeId> = doc.items(schema).to_vec();
        for field in list {
            if !doc.is_map(field) {
                continue;
            }
            let name_attr = attr(doc, field, "name");
            let name = name_attr.and_then(|a| doc.scalar_text(a.node).map(|s| s.into_owned()));
            let anchor = name_attr
                .map(|a| doc.span(a.node))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| first_line(doc, field));
            let mut entity = Entity::new(Some(field));
            entity.set(
                "name",
                name_attr.map(|a| Attr {
                    node: a.node,
                    span: doc.span(a.node),
                }),
            );
            field_attributes(doc, field, &mut entity);
            let path = name.as_deref().map(path_of).unwrap_or_default();
            let nested = doc.get(field, "fields");
            items.push(Item {
                kind: ItemKind::Field,
                name,
                path: path.clone(),
                table: None,
                anchor,
                entity,
            });
            if let Some(nested) = nested {
                fields(doc, nested, &path, items);
            }
        }
    }
}

fn port_item(doc: &Document, port: NodeId, kind: ItemKind) -> Item {
    if doc.is_map(port) {
        let name_attr = attr(doc, port, "name");
        let name = name_attr.and_then(|a| doc.scalar_text(a.node).map(|s| s.into_owned()));
        let mut entity = Entity::new(Some(port));
        entity.set("name", name_attr);
        for key in ["type", "description", "schema", "format", "location"] {
            entity.set(key, attr(doc, port, key));
        }
        Item {
            kind,
            path: name.clone().unwrap_or_default(),
            name,
            table: None,
            anchor: name_attr
                .map(|a| doc.span(a.node))
                .unwrap_or_else(|| first_line(doc, port)),
            entity,
        }
    } else {
        // A port given by name only: `- clickstream-raw`.
        let name = doc.scalar_text(port).map(|s| s.into_owned());
        let mut entity = Entity::new(None);
        entity.set(
            "name",
            Some(Attr {
                node: port,
                span: doc.span(port),
            }),
        );
        Item {
            kind,
            path: name.clone().unwrap_or_default(),
            name,
            table: None,
            anchor: doc.span(port),
            entity,
        }
    }
}

/// The first key/value of a mapping: where to point at an item that has no name.
pub(crate) fn first_line(doc: &Document, map: NodeId) -> crate::source::Span {
    doc.entries(map)
        .first()
        .map(|e| entry_span(doc, e.key_span, e.value))
        .unwrap_or_else(|| doc.span(map))
}
