//! Schema files a contract names for a port or table: Protobuf (`.proto`), Avro (`.avsc`) and
//! JSON Schema. Their fields become the contract's fields, so that naming and PII rules apply
//! to them, at their positions in the schema file.
//!
//! - **Protobuf**: parsed with `protox-parse`; each message is a record whose fields are
//!   `name` and `type` (the type as written), nested messages included. A field whose type is
//!   a message of the file has that message's fields below it.
//! - **Avro**: `{"type": "record", "name", "fields": [{"name", "type", "doc"}]}`; a field's
//!   record type (inline, in a union, an array's `items`, a map's `values`, or a named type of
//!   the file) has its fields below it. `doc` is the field's description.
//! - **JSON Schema**: `properties` (nested through `properties`, `items` and local `$ref`s to
//!   `#/definitions/..` or `#/$defs/..`); a name in its parent's `required` list is required.
//!
//! The records that no other record uses are the schema's tables.

use std::sync::Arc;

use super::model::{attr, raw_path, Attr, Item, ItemKind};
use super::normalize::{entries_of, field_attributes, keyed_item, named_item};
use super::resolve::{FileKind, Followed};
use crate::document::{Arena, Document, Entry, NodeId, NodeKind, Text};
use crate::source::{SourceFile, Span};

/// Deepest nesting of records followed (a recursive type stops here).
const MAX_DEPTH: usize = 16;

/// Where the fields of a schema file go.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Within<'a> {
    /// Into this table (a DPDS table whose definition is the file).
    Table(&'a Arc<str>),
    /// Each record of the file is a table of its own (a port's `schema:`).
    Own,
}

/// Whether a YAML/JSON file is a JSON Schema (it has `properties` or `$schema`).
pub(crate) fn is_json_schema(doc: &Document, root: NodeId) -> bool {
    doc.is_map(root)
        && (doc.get(root, "properties").is_some() || doc.get(root, "$schema").is_some())
}

/// Whether a file (a `.proto`, a `.avsc`, a JSON Schema) is a schema this module reads.
pub(crate) fn is_schema(doc: &Document, followed: Followed) -> bool {
    match followed.kind {
        FileKind::Proto | FileKind::Avro => true,
        FileKind::Data => is_json_schema(doc, followed.root),
    }
}

/// The tables and fields of a schema file, added to `items`. Returns how many fields.
pub(crate) fn fields(
    doc: &mut Document,
    followed: Followed,
    within: Within<'_>,
    fallback_name: &str,
    items: &mut Vec<Item>,
) -> usize {
    let before = items.len();
    match followed.kind {
        FileKind::Proto | FileKind::Avro => {
            let records = records(doc, followed);
            let roots = roots(doc, &records, followed);
            let several = roots.len() > 1;
            for record in roots {
                let (prefix, table) = table_for(doc, record, within, several, items, |doc| {
                    attr(doc, record, "name")
                });
                let mut stack = vec![record];
                record_fields(doc, record, &prefix, &table, &records, &mut stack, items);
            }
        }
        FileKind::Data => {
            let root = followed.root;
            let title = attr(doc, root, "title");
            let name = title
                .and_then(|t| doc.scalar_text(t.node).map(std::borrow::Cow::into_owned))
                .unwrap_or_else(|| fallback_name.to_owned());
            let (prefix, table) = match within {
                Within::Table(table) => (table.to_string(), Arc::clone(table)),
                Within::Own => {
                    let mut item = named_item(doc, ItemKind::Table, root, &["title"], "", None);
                    if title.is_none() {
                        item = Item::new(
                            ItemKind::Table,
                            "",
                            Some(&name),
                            None,
                            item.anchor,
                            item.entity,
                        );
                    }
                    items.push(item);
                    (name.clone(), Arc::from(name.as_str()))
                }
            };
            json_properties(doc, root, root, &prefix, &table, 0, items);
        }
    }
    items
        .get(before..)
        .unwrap_or(&[])
        .iter()
        .filter(|item| item.kind == ItemKind::Field)
        .count()
}

/// The table a root record's fields go into, and their path prefix.
fn table_for(
    doc: &Document,
    record: NodeId,
    within: Within<'_>,
    several: bool,
    items: &mut Vec<Item>,
    name: impl Fn(&Document) -> Option<Attr>,
) -> (String, Arc<str>) {
    let record_name = name(doc)
        .and_then(|a| doc.scalar_text(a.node).map(std::borrow::Cow::into_owned))
        .unwrap_or_default();
    match within {
        Within::Table(table) if several => (format!("{table}.{record_name}"), Arc::clone(table)),
        Within::Table(table) => (table.to_string(), Arc::clone(table)),
        Within::Own => {
            items.push(named_item(
                doc,
                ItemKind::Table,
                record,
                &["name"],
                "",
                None,
            ));
            (record_name.clone(), Arc::from(record_name.as_str()))
        }
    }
}

/// Every record of the file, by its simple name.
fn records(doc: &Document, followed: Followed) -> Vec<(String, NodeId)> {
    let mut out = Vec::new();
    match followed.kind {
        FileKind::Proto => {
            if let Some(list) = doc.get(followed.root, "records") {
                for &record in doc.items(list) {
                    if let Some(name) = doc.get(record, "name").and_then(|n| doc.str(n)) {
                        out.push((name.to_owned(), record));
                    }
                }
            }
        }
        _ => avro_records(doc, followed.root, 0, &mut out),
    }
    out
}

/// Avro records anywhere in the file (named types may be used before or after).
fn avro_records(doc: &Document, node: NodeId, depth: usize, out: &mut Vec<(String, NodeId)>) {
    if depth > 64 {
        return;
    }
    if doc.is_map(node) {
        let is_record = doc
            .get(node, "type")
            .and_then(|t| doc.str(t))
            .is_some_and(|t| t == "record" || t == "error");
        if is_record {
            if let Some(name) = doc.get(node, "name").and_then(|n| doc.str(n)) {
                let simple = name.rsplit('.').next().unwrap_or(name);
                out.push((simple.to_owned(), node));
            }
        }
        for entry in doc.entries(node) {
            avro_records(doc, entry.value, depth + 1, out);
        }
    } else {
        for &item in doc.items(node) {
            avro_records(doc, item, depth + 1, out);
        }
    }
}

/// The records used by no other record's field: the tables. For Protobuf, top-level messages
/// only; for Avro, the file's root (a record, or the records of a union).
fn roots(doc: &Document, records: &[(String, NodeId)], followed: Followed) -> Vec<NodeId> {
    let root = followed.root;
    let candidates: Vec<NodeId> = if followed.kind == FileKind::Proto {
        records
            .iter()
            .filter(|(_, record)| doc.get(*record, "top").is_some())
            .map(|(_, record)| *record)
            .collect()
    } else if doc.is_seq(root) {
        doc.items(root)
            .iter()
            .copied()
            .filter(|&item| records.iter().any(|(_, r)| *r == item))
            .collect()
    } else if records.iter().any(|(_, r)| *r == root) {
        vec![root]
    } else {
        Vec::new()
    };
    let used: Vec<NodeId> = records
        .iter()
        .flat_map(|(_, record)| {
            doc.get(*record, "fields")
                .map(|list| doc.items(list).to_vec())
                .unwrap_or_default()
        })
        .filter_map(|field| {
            doc.get(field, "type")
                .and_then(|t| record_of(doc, t, records, 0))
        })
        .collect();
    let roots: Vec<NodeId> = candidates
        .iter()
        .copied()
        .filter(|c| !used.contains(c))
        .collect();
    // Every record used by another (a cycle): all of them are tables.
    if roots.is_empty() {
        candidates
    } else {
        roots
    }
}

/// The record a field's type names or holds, if any.
fn record_of(
    doc: &Document,
    ty: NodeId,
    records: &[(String, NodeId)],
    depth: usize,
) -> Option<NodeId> {
    if depth > 8 {
        return None;
    }
    match &doc.node(ty).kind {
        NodeKind::Map(_) => {
            if doc.get(ty, "fields").is_some() {
                return Some(ty);
            }
            ["items", "values", "type"]
                .iter()
                .filter_map(|key| doc.get(ty, key))
                .find_map(|inner| record_of(doc, inner, records, depth + 1))
        }
        NodeKind::Seq(_) => doc
            .items(ty)
            .iter()
            .find_map(|&member| record_of(doc, member, records, depth + 1)),
        NodeKind::Str(_) => {
            let name = doc.str(ty)?.trim();
            let simple = name.rsplit('.').next().unwrap_or(name);
            records
                .iter()
                .find(|(n, _)| n == simple)
                .map(|(_, record)| *record)
        }
        _ => None,
    }
}

/// The fields of a record (Protobuf message or Avro record), nested records below them.
fn record_fields(
    doc: &mut Document,
    record: NodeId,
    prefix: &str,
    table: &Arc<str>,
    records: &[(String, NodeId)],
    stack: &mut Vec<NodeId>,
    items: &mut Vec<Item>,
) {
    let Some(list) = doc.get(record, "fields") else {
        return;
    };
    for field in doc.maps_in(list) {
        let mut item = named_item(doc, ItemKind::Field, field, &["name"], prefix, Some(table));
        field_attributes(doc, field, &mut item.entity);
        // Avro's `doc` is the field's description.
        item.entity.set("description", attr(doc, field, "doc"));
        let path = item.path.clone();
        items.push(item);
        let inner = doc
            .get(field, "type")
            .and_then(|t| record_of(doc, t, records, 0));
        if let Some(inner) = inner {
            if stack.len() < MAX_DEPTH && !stack.contains(&inner) {
                stack.push(inner);
                record_fields(doc, inner, &path, table, records, stack, items);
                stack.pop();
            }
        }
    }
}

/// JSON Schema `properties` of `schema` (and of its `items`), nested properties below them.
fn json_properties(
    doc: &mut Document,
    root: NodeId,
    schema: NodeId,
    prefix: &str,
    table: &Arc<str>,
    depth: usize,
    items: &mut Vec<Item>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = local_ref(doc, root, schema).unwrap_or(schema);
    if let Some(inner) = doc.get(schema, "items") {
        if doc.is_map(inner) {
            json_properties(doc, root, inner, prefix, table, depth + 1, items);
        }
    }
    let Some(properties) = doc.get(schema, "properties") else {
        return;
    };
    let required: Vec<NodeId> = doc
        .get(schema, "required")
        .map(|list| doc.items(list).to_vec())
        .unwrap_or_default();
    for (name, key_span, value) in entries_of(doc, properties) {
        let mut item = keyed_item(
            doc,
            ItemKind::Field,
            &name,
            key_span,
            value,
            prefix,
            Some(table),
        );
        field_attributes(doc, value, &mut item.entity);
        let target = local_ref(doc, root, value);
        if let Some(target) = target {
            field_attributes(doc, target, &mut item.entity);
            item.entity.fallback = Some(target);
        }
        let field_name = doc.text(&name).to_owned();
        if let Some(&listed) = required
            .iter()
            .find(|&&r| doc.str(r).is_some_and(|r| r == field_name))
        {
            item.entity.set(
                "required",
                Some(Attr {
                    node: listed,
                    span: doc.span(listed),
                }),
            );
        }
        let path = item.path.clone();
        items.push(item);
        if doc.is_map(value) {
            json_properties(doc, root, value, &path, table, depth + 1, items);
        }
    }
}

/// The target of a local `$ref` (`#/definitions/x`, `#/$defs/x`) in a JSON Schema.
fn local_ref(doc: &Document, root: NodeId, schema: NodeId) -> Option<NodeId> {
    let reference = doc.get(schema, "$ref").and_then(|r| doc.str(r))?;
    let local = reference.trim().strip_prefix("#/")?;
    raw_path(doc, root, &local.replace('/', "."))
        .map(|found| found.node)
        .filter(|&node| doc.is_map(node))
}

/// A `.proto` file as a document: `{records: [{name, fields: [{name, type, label}], top}]}`,
/// every value spanning its text in the file (messages nested in messages included, `top`
/// only on the file's top-level messages).
///
/// # Errors
/// What the Protobuf parser says, and the line.
pub(crate) fn proto(source: &Arc<SourceFile>) -> Result<Document, (String, usize)> {
    let text = source.text();
    let file = protox_parse::parse(source.name(), text).map_err(|error| {
        let line = error
            .span()
            .map_or(1, |span| source.position(span.start).line);
        // The first line of the parser's message (it may add a help of its own).
        let message = error.to_string();
        let message = message.lines().next().unwrap_or("").to_owned();
        (message, line)
    })?;
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let spans: Vec<(Vec<i32>, Span)> = file
        .source_code_info
        .as_ref()
        .map(|info| {
            info.location
                .iter()
                .filter_map(|l| Some((l.path.clone(), to_span(&lines, &l.span)?)))
                .collect()
        })
        .unwrap_or_default();
    let span_of = |path: &[i32]| {
        spans
            .iter()
            .find(|(p, _)| p.as_slice() == path)
            .map(|(_, s)| *s)
    };
    let mut arena = Arena::for_text(text.len());
    let mut records = Vec::new();
    for (index, message) in file.message_type.iter().enumerate() {
        let path = vec![4, i32::try_from(index).unwrap_or(i32::MAX)];
        proto_message(
            &mut arena,
            source,
            message,
            &path,
            true,
            &span_of,
            &mut records,
        );
    }
    let whole = Span::new(0, text.len());
    let list = arena.seq(&records);
    let list = arena.push(whole, list);
    let root_entries = [entry("records", whole, list, whole)];
    let root = arena.map(source, &root_entries, &[]);
    let root = arena.push(whole, root);
    Ok(arena.into_document(Arc::clone(source), root))
}

/// A descriptor span `[line, column, end column]` or `[line, column, end line, end column]`
/// (0-based, columns in bytes) as byte offsets.
fn to_span(lines: &[usize], span: &[i32]) -> Option<Span> {
    let at = |line: i32, column: i32| -> Option<usize> {
        let start = *lines.get(usize::try_from(line).ok()?)?;
        Some(start + usize::try_from(column).ok()?)
    };
    match *span {
        [line, column, end] => Some(Span::new(at(line, column)?, at(line, end)?)),
        [line, column, end_line, end] => Some(Span::new(at(line, column)?, at(end_line, end)?)),
        _ => None,
    }
}

fn entry(key: &'static str, key_span: Span, value: NodeId, value_span: Span) -> Entry {
    Entry {
        key: Text::Owned(key.to_owned()),
        key_span,
        value,
        value_span,
    }
}

/// One message (and, after it, its nested messages) as records.
fn proto_message(
    arena: &mut Arena,
    source: &SourceFile,
    message: &prost_types::DescriptorProto,
    path: &[i32],
    top: bool,
    span_of: &dyn Fn(&[i32]) -> Option<Span>,
    records: &mut Vec<NodeId>,
) {
    let whole = span_of(path).unwrap_or_default();
    let at = |suffix: &[i32]| {
        let mut full = path.to_vec();
        full.extend_from_slice(suffix);
        span_of(&full)
    };
    let mut entries = Vec::new();
    let name_span = at(&[1]).unwrap_or(whole);
    let name = arena.push(name_span, NodeKind::Str(Text::Source(name_span)));
    entries.push(entry("name", name_span, name, name_span));
    let mut fields = Vec::new();
    for index in 0..message.field.len() {
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        let field_span = at(&[2, index]).unwrap_or(whole);
        let mut field_entries = Vec::new();
        let name_span = at(&[2, index, 1]).unwrap_or(field_span);
        let name = arena.push(name_span, NodeKind::Str(Text::Source(name_span)));
        field_entries.push(entry("name", name_span, name, name_span));
        // The type as written: a message or enum name (6), else a scalar type (5).
        let type_span = at(&[2, index, 6]).or_else(|| at(&[2, index, 5]));
        if let Some(type_span) = type_span {
            let ty = arena.push(type_span, NodeKind::Str(Text::Source(type_span)));
            field_entries.push(entry("type", type_span, ty, type_span));
        }
        if let Some(label_span) = at(&[2, index, 4]) {
            let label = arena.push(label_span, NodeKind::Str(Text::Source(label_span)));
            field_entries.push(entry("label", label_span, label, label_span));
        }
        let map = arena.map(source, &field_entries, &[]);
        fields.push(arena.push(field_span, map));
    }
    let list = arena.seq(&fields);
    let list = arena.push(whole, list);
    entries.push(entry("fields", whole, list, Span::empty(whole.start())));
    if top {
        let yes = arena.push(Span::empty(whole.start()), NodeKind::Bool(true));
        entries.push(entry("top", whole, yes, Span::empty(whole.start())));
    }
    let map = arena.map(source, &entries, &[]);
    records.push(arena.push(whole, map));
    for (index, nested) in message.nested_type.iter().enumerate() {
        let mut inner = path.to_vec();
        inner.extend_from_slice(&[3, i32::try_from(index).unwrap_or(i32::MAX)]);
        proto_message(arena, source, nested, &inner, false, span_of, records);
    }
}
