//! Data Contract Specification (datacontract.com, 0.9–1.2) → canonical model.
//!
//! `id`, `info.{title,version,status,owner,description}`, `models.<model>.fields.<field>`
//! (maps keyed by name, nested through `fields`, and through `items`, `keys` and `values`,
//! which are not fields themselves), `$ref: '#/definitions/<d>'` resolved (the field inherits
//! type, pii, classification, tags...), and so is `$ref: 'other.yaml#/definitions/<d>'` in
//! another file of the repository; `servicelevels.*`, `servers.<name>`.

use std::sync::Arc;

use super::model::{attr, raw_path, Entity, ItemKind};
use super::normalize::{entries_of, field_attributes, keyed_item, map_canonical, Canonical, Issue};
use super::resolve::split_reference;
use super::resolve::Refs;
use crate::builtin::BuiltinRule;
use crate::document::{Document, NodeId};

/// Each canonical name from the first of these paths that is present.
pub(crate) const CONTRACT: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("name", &["info.title", "id"]),
    ("data_product", &["info.dataProduct", "info.title", "id"]),
    ("domain", &["info.domain", "domain", "info.x-domain"]),
    ("owner", &["info.owner", "info.contact.email"]),
    ("version", &["info.version"]),
    ("schema_version", &["info.version"]),
    ("status", &["info.status"]),
    ("description", &["info.description"]),
    ("tags", &["tags"]),
    ("fields", &["models"]),
];

/// `servicelevels`: each SLA name from one path.
pub(crate) const SLA: &[(&str, &str)] = &[
    ("sla.availability", "servicelevels.availability.percentage"),
    ("sla.retention", "servicelevels.retention.period"),
    ("sla.latency", "servicelevels.latency.threshold"),
    ("sla.freshness", "servicelevels.freshness.threshold"),
    ("sla.frequency", "servicelevels.frequency.interval"),
];

pub(crate) fn normalize(doc: &mut Document, root: NodeId, refs: &mut Refs<'_>) -> Canonical {
    let mut top = Entity::new(Some(root));
    map_canonical(doc, &mut top, root, CONTRACT);
    for (canonical, path) in SLA {
        top.set(canonical, raw_path(doc, root, path));
    }
    let mut canonical = Canonical {
        top,
        items: Vec::new(),
        issues: Vec::new(),
    };
    if let Some(servers) = doc.get(root, "servers") {
        for (name, key_span, server) in entries_of(doc, servers) {
            let mut item = keyed_item(doc, ItemKind::Server, &name, key_span, server, "", None);
            for key in ["type", "environment", "description", "format", "location"] {
                item.entity.set(key, attr(doc, server, key));
            }
            canonical.items.push(item);
        }
    }
    if let Some(models) = doc.get(root, "models") {
        for (name, key_span, model) in entries_of(doc, models) {
            let mut item = keyed_item(doc, ItemKind::Table, &name, key_span, model, "", None);
            for key in ["description", "type", "tags"] {
                item.entity.set(key, attr(doc, model, key));
            }
            let table: Arc<str> = Arc::from(doc.text(&name));
            canonical.items.push(item);
            if let Some(fields) = doc.get(model, "fields") {
                fields_of(doc, root, refs, fields, &table, &table, &mut canonical);
            }
        }
    }
    canonical
}

fn fields_of(
    doc: &mut Document,
    root: NodeId,
    refs: &mut Refs<'_>,
    fields: NodeId,
    prefix: &str,
    table: &Arc<str>,
    out: &mut Canonical,
) {
    for (name, key_span, field) in entries_of(doc, fields) {
        let mut item = keyed_item(
            doc,
            ItemKind::Field,
            &name,
            key_span,
            field,
            prefix,
            Some(table),
        );
        field_attributes(doc, field, &mut item.entity);
        if let Some(definition) = resolve_ref(doc, root, field, refs, out) {
            // The field's own keys win; the definition fills in the rest.
            field_attributes(doc, definition, &mut item.entity);
            if item.entity.raw.is_some() {
                item.entity.fallback = Some(definition);
            }
        }
        let path = item.path.clone();
        out.items.push(item);
        nested(doc, root, refs, field, &path, table, out);
    }
}

/// Nested fields: `fields`, and the fields inside `items`, `keys` and `values` (which describe an
/// array's elements or a map's keys/values, and are not fields themselves).
fn nested(
    doc: &mut Document,
    root: NodeId,
    refs: &mut Refs<'_>,
    field: NodeId,
    path: &str,
    table: &Arc<str>,
    out: &mut Canonical,
) {
    if let Some(inner) = doc.get(field, "fields") {
        fields_of(doc, root, refs, inner, path, table, out);
    }
    for key in ["items", "keys", "values"] {
        if let Some(element) = doc.get(field, key) {
            if doc.is_map(element) {
                nested(doc, root, refs, element, path, table, out);
            }
        }
    }
}

/// The definition a field's `$ref` points at: `#/definitions/<name>` in this file, or
/// `<file>#/<path>` in another file of the repository (read through the resolver). A URL is
/// never fetched; a reference that cannot be followed is reported at it.
fn resolve_ref(
    doc: &mut Document,
    root: NodeId,
    field: NodeId,
    refs: &mut Refs<'_>,
    out: &mut Canonical,
) -> Option<NodeId> {
    let reference = attr(doc, field, "$ref")?;
    let target = doc.str(reference.node)?.trim().to_owned();
    let (file, fragment) = split_reference(&target);
    let (from, place) = if file.is_empty() {
        (root, "this file".to_owned())
    } else {
        let followed = refs.follow(doc, reference, file, &mut out.issues)?;
        (followed.root, format!("`{file}`"))
    };
    let path = fragment
        .unwrap_or("")
        .trim_start_matches('/')
        .replace('/', ".");
    let found = if path.is_empty() {
        Some(from)
    } else {
        raw_path(doc, from, &path).map(|found| found.node)
    };
    match found {
        Some(node) if doc.is_map(node) => Some(node),
        _ => {
            out.issues.push(Issue::new(
                BuiltinRule::UnresolvedRef,
                reference.span,
                format!("reference `{target}` points at nothing in {place}"),
                "no such definition",
            ));
            None
        }
    }
}
