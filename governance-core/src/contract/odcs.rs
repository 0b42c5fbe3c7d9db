//! Open Data Contract Standard (Bitol ODCS) v3 and v2 → canonical model.
//!
//! v3: `id`, `name`, `domain`, `dataProduct`, `version`, `status`, `team` (a list of members in
//! 3.0, an object with `members` in 3.1: the owner is the member whose role says owner),
//! `schema[]` tables with `properties[]` fields (nested through `properties[]` and
//! `items.properties[]`), `slaProperties[]`, `servers[]`.
//! v2: `uuid`, `datasetName`, `quantumName`, `datasetDomain`, `stakeholders[]`, `dataset[]`
//! tables with `columns[]` (`column`, `isNullable`, `encryptedColumnName`...). ODCS 2.2 examples
//! may be a bare list of datasets.

use std::sync::Arc;

use super::model::{attr, Entity, Item, ItemKind};
use super::normalize::{
    field_attributes, listed_items, map_canonical, named_item, owner_of_members, sla_properties,
    team_owner, Canonical,
};
use super::resolve::Refs;
use crate::document::{Document, NodeId};

/// ODCS v3: each canonical name from the first of these paths that is present.
pub(crate) const V3_CONTRACT: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("name", &["name", "dataProduct", "id"]),
    ("data_product", &["dataProduct", "name", "id"]),
    ("domain", &["domain"]),
    ("version", &["version"]),
    ("schema_version", &["version"]),
    ("status", &["status"]),
    ("description", &["description.purpose", "description"]),
    ("tags", &["tags"]),
    ("fields", &["schema"]),
];

pub(crate) fn normalize_v3(doc: &mut Document, root: NodeId, _refs: &mut Refs<'_>) -> Canonical {
    let mut top = Entity::new(Some(root));
    map_canonical(doc, &mut top, root, V3_CONTRACT);
    if let Some(team) = doc.get(root, "team") {
        top.set("owner", team_owner(doc, team));
    }
    if let Some(list) = doc.get(root, "slaProperties") {
        sla_properties(doc, list, &mut top);
    }
    let mut items = Vec::new();
    if let Some(schema) = doc.get(root, "schema") {
        tables(
            doc,
            schema,
            &["name", "physicalName"],
            &["properties"],
            &mut items,
        );
    }
    if let Some(servers) = doc.get(root, "servers") {
        listed_items(
            doc,
            servers,
            ItemKind::Server,
            &["server", "name"],
            &mut items,
        );
    }
    Canonical {
        top,
        items,
        issues: Vec::new(),
    }
}

/// ODCS v2: each canonical name from the first of these paths that is present.
pub(crate) const V2_CONTRACT: &[(&str, &[&str])] = &[
    ("id", &["uuid", "id"]),
    ("name", &["datasetName", "quantumName", "uuid"]),
    ("data_product", &["quantumName", "datasetName", "uuid"]),
    ("domain", &["datasetDomain", "domain"]),
    ("version", &["version"]),
    ("schema_version", &["version"]),
    ("status", &["status"]),
    ("description", &["description.purpose", "description"]),
    ("tags", &["tags"]),
    ("fields", &["dataset"]),
];

pub(crate) fn normalize_v2(doc: &mut Document, root: NodeId, _refs: &mut Refs<'_>) -> Canonical {
    let mut top = Entity::new(Some(root));
    let mut items = Vec::new();
    if doc.is_seq(root) {
        // A bare list of datasets (ODCS 2.2 fragments).
        tables(
            doc,
            root,
            &["table", "name", "physicalName"],
            &["columns"],
            &mut items,
        );
        return Canonical {
            top,
            items,
            issues: Vec::new(),
        };
    }
    map_canonical(doc, &mut top, root, V2_CONTRACT);
    if let Some(stakeholders) = doc.get(root, "stakeholders") {
        top.set("owner", owner_of_members(doc, stakeholders));
    }
    if let Some(list) = doc.get(root, "slaProperties") {
        sla_properties(doc, list, &mut top);
    }
    if let Some(dataset) = doc.get(root, "dataset") {
        tables(
            doc,
            dataset,
            &["table", "name", "physicalName"],
            &["columns"],
            &mut items,
        );
    }
    Canonical {
        top,
        items,
        issues: Vec::new(),
    }
}

/// Tables from a list, each with its fields under one of `field_keys`.
fn tables(
    doc: &mut Document,
    list: NodeId,
    name_keys: &[&str],
    field_keys: &[&str],
    items: &mut Vec<Item>,
) {
    let tables: Vec<NodeId> = doc.maps_in(list);
    for table in tables {
        let mut item = named_item(doc, ItemKind::Table, table, name_keys, "", None);
        for key in [
            "description",
            "tags",
            "physicalName",
            "physicalType",
            "type",
        ] {
            item.entity.set(key, attr(doc, table, key));
        }
        let table_name = item.name().map_or_else(|| Arc::<str>::from(""), Arc::from);
        items.push(item);
        for key in field_keys {
            if let Some(fields) = doc.get(table, key) {
                properties(doc, fields, &table_name, &table_name, items);
            }
        }
    }
}

/// Fields of a `properties[]` / `columns[]` list, with their nested fields: an object's
/// `properties[]` (or v2.3 draft `columns[]`), an array's `items.properties[]` (the `items`
/// themselves are not a field).
fn properties(
    doc: &mut Document,
    list: NodeId,
    prefix: &str,
    table: &Arc<str>,
    items: &mut Vec<Item>,
) {
    let fields: Vec<NodeId> = doc.maps_in(list);
    for field in fields {
        let mut item = named_item(
            doc,
            ItemKind::Field,
            field,
            &["name", "column"],
            prefix,
            Some(table),
        );
        field_attributes(doc, field, &mut item.entity);
        let path = item.path.clone();
        items.push(item);
        for key in ["properties", "columns"] {
            if let Some(nested) = doc.get(field, key) {
                properties(doc, nested, &path, table, items);
            }
        }
        element_fields(doc, field, &path, table, items);
    }
}

/// The fields inside what a field holds without being one itself: an array's `items` (at any
/// depth of `items`) and, from ODCS 3.2, a map's `map.key` and `map.value` (a map of objects:
/// the value's `properties[]` are fields of the map, so `fields tagged pii` sees them).
fn element_fields(
    doc: &mut Document,
    field: NodeId,
    path: &str,
    table: &Arc<str>,
    items: &mut Vec<Item>,
) {
    let mut array = doc.get(field, "items");
    // Arrays of arrays: descend through every `items` level.
    while let Some(inner) = array {
        if let Some(nested) = doc.get(inner, "properties") {
            properties(doc, nested, path, table, items);
        }
        if doc.get(inner, "map").is_some() {
            element_fields(doc, inner, path, table, items);
        }
        array = doc.get(inner, "items");
    }
    if let Some(map) = doc.get(field, "map") {
        for part in ["key", "value"] {
            if let Some(element) = doc.get(map, part).filter(|&e| doc.is_map(e)) {
                if let Some(nested) = doc.get(element, "properties") {
                    properties(doc, nested, path, table, items);
                }
                element_fields(doc, element, path, table, items);
            }
        }
    }
}
