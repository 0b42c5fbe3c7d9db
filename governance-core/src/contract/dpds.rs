//! Open Data Mesh Data Product Descriptor (DPDS 1.0) → canonical model.
//!
//! `info.{fullyQualifiedName,name,version,domain,owner.id}`, ports in
//! `interfaceComponents.{inputPorts,outputPorts,discoveryPorts,observabilityPorts,controlPorts}`,
//! and, where an output port defines its API inline with the datastoreapi specification, the
//! tables of `promises.api.definition.schema.tables[]` with their `definition.columns[]`.
//! Ports given as `{"$ref": "ports/x.json"}` are separate files and are not followed.

use std::sync::Arc;

use super::model::{attr, raw_path, Entity, ItemKind};
use super::normalize::{field_attributes, map_canonical, named_item, Canonical};
use crate::document::{Document, NodeId};

/// Each canonical name from the first of these paths that is present.
pub(crate) const CONTRACT: &[(&str, &[&str])] = &[
    ("id", &["info.fullyQualifiedName", "info.id"]),
    ("name", &["info.name", "info.displayName"]),
    ("data_product", &["info.name", "info.fullyQualifiedName"]),
    ("domain", &["info.domain"]),
    ("owner", &["info.owner.id", "info.owner.name"]),
    ("version", &["info.version"]),
    ("schema_version", &["info.version"]),
    ("description", &["info.description"]),
    ("tags", &["tags"]),
];

pub(crate) fn normalize(doc: &mut Document, root: NodeId) -> Canonical {
    let mut top = Entity::new(Some(root));
    map_canonical(doc, &mut top, root, CONTRACT);
    let mut items = Vec::new();
    if let Some(interfaces) = doc.get(root, "interfaceComponents") {
        for (key, kind) in [
            ("inputPorts", ItemKind::InputPort),
            ("outputPorts", ItemKind::OutputPort),
            ("discoveryPorts", ItemKind::OtherPort),
            ("observabilityPorts", ItemKind::OtherPort),
            ("controlPorts", ItemKind::OtherPort),
        ] {
            let Some(list) = doc.get(interfaces, key) else {
                continue;
            };
            if kind == ItemKind::OutputPort {
                top.set("output_ports", attr(doc, interfaces, key));
            } else if kind == ItemKind::InputPort {
                top.set("input_ports", attr(doc, interfaces, key));
            }
            let ports: Vec<NodeId> = doc.maps_in(list);
            for port in ports {
                let mut item = named_item(
                    doc,
                    kind,
                    port,
                    &["name", "fullyQualifiedName", "$ref"],
                    "",
                    None,
                );
                for key in ["description", "version", "tags"] {
                    item.entity.set(key, attr(doc, port, key));
                }
                item.entity
                    .set("type", raw_path(doc, port, "promises.platform"));
                items.push(item);
                if let Some(tables) = raw_path(doc, port, "promises.api.definition.schema.tables") {
                    datastore_tables(doc, tables.node, &mut items);
                }
            }
        }
    }
    Canonical {
        top,
        items,
        issues: Vec::new(),
    }
}

/// datastoreapi `tables[]`: `{name, definition: {columns: [{name, dataType, ...}]}}`.
fn datastore_tables(doc: &mut Document, list: NodeId, items: &mut Vec<super::model::Item>) {
    let tables: Vec<NodeId> = doc.maps_in(list);
    for table in tables {
        let item = named_item(doc, ItemKind::Table, table, &["name"], "", None);
        let table_name = item.name().map_or_else(|| Arc::<str>::from(""), Arc::from);
        items.push(item);
        let Some(columns) = raw_path(doc, table, "definition.columns") else {
            continue;
        };
        let columns: Vec<NodeId> = doc.maps_in(columns.node);
        for column in columns {
            let mut field = named_item(
                doc,
                ItemKind::Field,
                column,
                &["name"],
                &table_name,
                Some(&table_name),
            );
            field_attributes(doc, column, &mut field.entity);
            items.push(field);
        }
    }
}
