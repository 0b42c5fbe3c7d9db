//! Open Data Mesh Data Product Descriptor (DPDS 1.0) → canonical model.
//!
//! `info.{fullyQualifiedName,name,version,domain,owner.id}`, ports in
//! `interfaceComponents.{inputPorts,outputPorts,discoveryPorts,observabilityPorts,controlPorts}`,
//! and, where an output port defines its API inline with the datastoreapi specification, the
//! tables of `promises.api.definition.schema.tables[]` with their `definition.columns[]`.
//! Ports given as `{"$ref": "ports/x.json"}` are read from that file (keys written inline win),
//! and so are API definitions and table definitions given by `$ref` (a datastoreapi file, a
//! table file with `columns[]`, or a `.proto`, `.avsc` or JSON Schema file), at their
//! positions in their own files. A reference that cannot be followed is a finding at it.

use std::sync::Arc;

use super::model::{attr, raw_path, Entity, ItemKind};
use super::normalize::{field_attributes, map_canonical, named_item, Canonical, Issue};
use super::resolve::split_reference;
use super::resolve::Refs;
use super::schema_file::{self, Within};
use crate::builtin::BuiltinRule;
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

pub(crate) fn normalize(doc: &mut Document, root: NodeId, refs: &mut Refs<'_>) -> Canonical {
    let mut top = Entity::new(Some(root));
    map_canonical(doc, &mut top, root, CONTRACT);
    let mut items = Vec::new();
    let mut issues = Vec::new();
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
                // `{"$ref": "ports/x.json"}`: the port is that file; keys written inline win.
                let file = follow_ref(doc, port, refs, &mut issues);
                let named = match file {
                    Some(file) if !has_name(doc, port) => file,
                    _ => port,
                };
                let mut item = named_item(
                    doc,
                    kind,
                    named,
                    &["name", "fullyQualifiedName", "$ref"],
                    "",
                    None,
                );
                item.entity.raw = Some(port);
                item.entity.fallback = file;
                for key in ["description", "version", "tags"] {
                    item.entity.set(key, attr(doc, port, key));
                    if let Some(file) = file {
                        item.entity.set(key, attr(doc, file, key));
                    }
                }
                let sources: Vec<NodeId> = std::iter::once(port).chain(file).collect();
                for &from in &sources {
                    item.entity
                        .set("type", raw_path(doc, from, "promises.platform"));
                }
                items.push(item);
                let definition = sources
                    .iter()
                    .find_map(|&from| raw_path(doc, from, "promises.api.definition"));
                if let Some(definition) = definition {
                    api_definition(doc, definition.node, refs, &mut items, &mut issues);
                }
            }
        }
    }
    Canonical { top, items, issues }
}

/// Whether a port written inline names itself.
fn has_name(doc: &Document, port: NodeId) -> bool {
    ["name", "fullyQualifiedName"]
        .iter()
        .any(|key| doc.get(port, key).is_some())
}

/// The file a mapping's `$ref` names (with its `#/fragment`, if any), read and grafted in.
/// A local `#...` reference is not a file: `None`, nothing reported.
fn follow_ref(
    doc: &mut Document,
    map: NodeId,
    refs: &mut Refs<'_>,
    issues: &mut Vec<Issue>,
) -> Option<NodeId> {
    let reference = attr(doc, map, "$ref")?;
    let target = doc.str(reference.node)?.trim().to_owned();
    let (file, fragment) = split_reference(&target);
    if file.is_empty() {
        return None;
    }
    let followed = refs.follow(doc, reference, file, issues)?;
    match fragment
        .map(|f| f.trim_start_matches('/'))
        .filter(|f| !f.is_empty())
    {
        None => Some(followed.root),
        Some(path) => {
            let found = raw_path(doc, followed.root, &path.replace('/', "."));
            if found.is_none() {
                issues.push(Issue::new(
                    BuiltinRule::UnresolvedRef,
                    reference.span,
                    format!("reference `{target}` points at nothing in `{file}`"),
                    "no such definition",
                ));
            }
            found.map(|f| f.node)
        }
    }
}

/// A port's `promises.api.definition`: a datastoreapi definition inline or in the file its
/// `$ref` names (its `schema.tables[]`), or a schema file (`.proto`, `.avsc`, JSON Schema)
/// whose records are the port's tables.
fn api_definition(
    doc: &mut Document,
    definition: NodeId,
    refs: &mut Refs<'_>,
    items: &mut Vec<super::model::Item>,
    issues: &mut Vec<Issue>,
) {
    let mut sources = vec![definition];
    if let Some(reference) = attr(doc, definition, "$ref") {
        let target = doc.str(reference.node).unwrap_or("").trim().to_owned();
        let (file, _) = split_reference(&target);
        if !file.is_empty() {
            if let Some(followed) = refs.follow(doc, reference, file, issues) {
                if schema_file::is_schema(doc, followed) {
                    schema_file::fields(doc, followed, Within::Own, &target, items);
                    return;
                }
                sources.push(followed.root);
            }
        }
    }
    if let Some(tables) = sources
        .iter()
        .find_map(|&from| raw_path(doc, from, "schema.tables"))
    {
        datastore_tables(doc, tables.node, refs, items, issues);
    }
}

/// datastoreapi `tables[]`: `{name, definition: {columns: [{name, dataType, ...}]}}`, the
/// definition inline or in the file its `$ref` names (a table file with `columns[]`, or a
/// `.proto`, `.avsc` or JSON Schema file).
fn datastore_tables(
    doc: &mut Document,
    list: NodeId,
    refs: &mut Refs<'_>,
    items: &mut Vec<super::model::Item>,
    issues: &mut Vec<Issue>,
) {
    let tables: Vec<NodeId> = doc.maps_in(list);
    for table in tables {
        let item = named_item(doc, ItemKind::Table, table, &["name"], "", None);
        let table_name = item.name().map_or_else(|| Arc::<str>::from(""), Arc::from);
        items.push(item);
        let Some(definition) = doc.get(table, "definition") else {
            continue;
        };
        let mut columns = raw_path(doc, definition, "columns").map(|c| c.node);
        if columns.is_none() {
            if let Some(reference) = attr(doc, definition, "$ref") {
                let target = doc.str(reference.node).unwrap_or("").trim().to_owned();
                let (file, _) = split_reference(&target);
                if let Some(followed) = refs.follow(doc, reference, file, issues) {
                    if schema_file::is_schema(doc, followed) {
                        schema_file::fields(
                            doc,
                            followed,
                            Within::Table(&table_name),
                            &target,
                            items,
                        );
                        continue;
                    }
                    columns = doc.get(followed.root, "columns");
                    if columns.is_none() {
                        issues.push(Issue::new(
                            BuiltinRule::UnreadContent,
                            reference.span,
                            format!("`{target}`, the definition of table `{table_name}`, holds no `columns`, Protobuf messages, Avro records or JSON Schema properties: no field of the table is linted"),
                            "no columns read",
                        ).with_help("a datastoreapi table definition lists its `columns[]`; or name a `.proto`, `.avsc` or JSON Schema file".to_owned()));
                    }
                }
            }
        }
        let Some(columns) = columns else {
            continue;
        };
        let columns: Vec<NodeId> = doc.maps_in(columns);
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
