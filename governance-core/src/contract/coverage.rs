//! What a reader did not read: the checks that keep a contract from passing because its
//! fields sit where (or in a shape that) the reader of its standard does not look.
//!
//! After a normalizer has read a document, every key that holds tables or fields (`schema`,
//! `models`, `fields`, `properties`, `columns`... in any spelling) is compared with the
//! standard's [`Layout`]: a key the reader does not read, or reads in another shape, is an
//! `unread-content` error naming the key and where the standard keeps fields; a field without
//! a name is `unnamed-field`; a schema from which no field was read is a `no-fields` warning.

use super::model::{Item, ItemKind};
use super::normalize::Issue;
use super::standard::{Shape, Standard};
use crate::builtin::BuiltinRule;
use crate::document::{Document, NodeId, NodeKind};

/// Top-level keys that hold tables or fields in some standard (compared in lowercase, without
/// `_` and `-`, so that `Schema`, `SCHEMA` and `data_set` are caught too).
const TOP_LIKE: &[&str] = &[
    "schema",
    "schemas",
    "models",
    "model",
    "dataset",
    "datasets",
    "columns",
    "fields",
    "properties",
    "tables",
    "entities",
];

/// Keys only a field has: a table carrying one (and no fields of its own) is a field written
/// where the reader expects a table (`- name: email` + `encrypted: false` under an ODCS
/// `schema`).
const FIELD_ONLY: &[&str] = &[
    "encrypted",
    "encryption",
    "encryptedName",
    "encryptedColumnName",
    "pii",
    "masked",
    "masking",
    "required",
    "unique",
    "isNullable",
    "isUnique",
    "primaryKey",
    "classification",
    "data_type",
    "dataType",
    "criticalDataElement",
    "logicalTypeOptions",
    "column",
];

/// Keys of a table or field that hold (nested) fields in some standard.
const NESTED_LIKE: &[&str] = &["fields", "properties", "columns", "items"];

fn folded(key: &str) -> String {
    folded_chars(key).collect()
}

fn folded_chars(key: &str) -> impl Iterator<Item = char> + '_ {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
}

/// `folded(key) == target`, without building the folded key: this runs for every key of every
/// field.
fn folds_to(key: &str, target: &str) -> bool {
    // Almost every key is ASCII: then folding is `to_ascii_lowercase`, byte for byte.
    if key.is_ascii() {
        return key.len() == target.len()
            && key
                .bytes()
                .zip(target.bytes())
                .all(|(k, t)| k.to_ascii_lowercase() == t);
    }
    folded_chars(key).eq(target.chars())
}

/// Whether `key`, folded, is one of `list`.
fn folds_into(key: &str, list: &[&str]) -> bool {
    list.iter().any(|target| folds_to(key, target))
}

/// Appends an issue for everything `standard`'s reader left unread in `doc`.
pub(crate) fn check(
    doc: &Document,
    root: NodeId,
    standard: &Standard,
    items: &[Item],
    issues: &mut Vec<Issue>,
) {
    let reader = standard.format.as_str();
    let layout = &standard.layout;
    let before = issues.len();
    let mut schema_key = None;
    for entry in doc.entries(root) {
        let key = doc.text(&entry.key);
        let read = layout.top.iter().find(|(k, _)| *k == key);
        if read.is_none() && !folds_into(key, TOP_LIKE) {
            continue;
        }
        let value = entry.value;
        match read {
            Some((_, shape)) if shape.accepts(doc, value) => {
                schema_key = schema_key.or(Some(entry));
                entries_not_read(doc, value, key, reader, layout.hint, issues);
            }
            Some((_, shape)) => {
                if let Some(count) = content(doc, value) {
                    issues.push(Issue::new(
                        BuiltinRule::UnreadContent,
                        entry.key_span,
                        format!(
                            "`{key}` is {} ({count}), which the {reader} reader does not read: it reads {} here; {}",
                            noun(doc, value),
                            shape.noun(),
                            layout.hint
                        ),
                        "not read",
                    ));
                }
            }
            None => {
                // A value (`dataset: crm`) names something; only a collection holds fields.
                let collection = doc.is_seq(value) || doc.is_map(value);
                if let Some(count) = content(doc, value).filter(|_| collection) {
                    let near = layout
                        .top
                        .iter()
                        .map(|(k, _)| *k)
                        .find(|k| folded(k) == folded(key) || close(k, key));
                    let issue = Issue::new(
                        BuiltinRule::UnreadContent,
                        entry.key_span,
                        format!(
                            "`{key}` holds {count} that the {reader} reader does not read; {}",
                            layout.hint
                        ),
                        "not read",
                    );
                    let embedded = standard.format == super::Format::Dcs
                        && key == "schema"
                        && doc.get(value, "specification").is_some();
                    issues.push(match near {
                        Some(near) => issue.with_help(format!(
                            "did you mean `{near}`? Keys are case-sensitive"
                        )),
                        None if embedded => issue.with_help(
                            "DCS 0.9 embeds the schema as text under `schema.specification`, which is not read; describe the models under `models`, as DCS 0.9.2 and later do".to_owned(),
                        ),
                        None => issue,
                    });
                }
            }
        }
    }
    for item in items {
        // An item read from a file the contract refers to (a `.proto` message, an Avro
        // record) was read by that file's own reader, not by the standard's layout.
        if doc.locate(item.anchor).2 != 0 {
            continue;
        }
        let Some(map) = item.entity.raw.filter(|&m| doc.is_map(m)) else {
            continue;
        };
        match item.kind {
            ItemKind::Table => {
                let name = item.describe(0);
                nested(doc, map, &name, layout.table, reader, layout.hint, issues);
                let has_fields = layout.table.iter().any(|(key, shape)| {
                    doc.get(map, key)
                        .is_some_and(|v| shape.accepts(doc, v) && doc.is_present(v))
                });
                let field_key = doc
                    .entries(map)
                    .iter()
                    .map(|e| doc.text(&e.key))
                    .find(|k| FIELD_ONLY.contains(k));
                if let (false, Some(key)) = (has_fields, field_key) {
                    issues.push(Issue::new(
                        BuiltinRule::UnreadContent,
                        item.anchor,
                        format!(
                            "{name} looks like a field (it has `{key}`), but the {reader} reader reads it as a table, so its field attributes are not checked; {}",
                            layout.hint
                        ),
                        "read as a table",
                    ));
                }
            }
            ItemKind::Field => {
                let name = item.describe(0);
                nested(doc, map, &name, layout.nested, reader, layout.hint, issues);
            }
            _ => {}
        }
    }
    let top_level_unread = issues.len() > before;
    let mut fields = 0;
    for item in items.iter().filter(|item| item.kind == ItemKind::Field) {
        fields += 1;
        if item.name().is_some() {
            continue;
        }
        let issue = Issue::new(
            BuiltinRule::UnnamedField,
            item.anchor,
            "a field without a name: rules that select fields by name (`fields named email`) cannot see it"
                .to_owned(),
            "no name",
        );
        issues.push(match item.entity.raw.and_then(|m| single_key(doc, m)) {
            Some(key) => issue.with_help(format!(
                "it looks like `{key}: ...`; write `- name: {key}` and the field's attributes below it"
            )),
            None => issue.with_help("give the field a `name`".to_owned()),
        });
    }
    if fields == 0 && !top_level_unread {
        if let Some(entry) = schema_key {
            let key = doc.text(&entry.key);
            let message = if doc.is_present(entry.value) {
                format!("no field was read from `{key}`: rules about fields check nothing in this contract")
            } else {
                format!("`{key}` is empty: rules about fields check nothing in this contract")
            };
            issues.push(Issue::new(
                BuiltinRule::NoFields,
                entry.key_span,
                message,
                "no fields",
            ));
        }
    }
}

/// The entries of a list the reader reads that are not mappings (`schema: [email, phone]`):
/// a reader of fields reads mappings.
fn entries_not_read(
    doc: &Document,
    list: NodeId,
    key: &str,
    reader: &str,
    hint: &str,
    issues: &mut Vec<Issue>,
) {
    for (index, &item) in doc.items(list).iter().enumerate() {
        if doc.is_map(item) || !doc.is_present(item) {
            continue;
        }
        issues.push(Issue::new(
            BuiltinRule::UnreadContent,
            doc.span(item),
            format!(
                "entry #{} of `{key}` is {}, which the {reader} reader does not read as a field; {hint}",
                index + 1,
                noun(doc, item)
            ),
            "not read",
        ));
    }
}

/// The keys of a table or field that hold fields its reader does not read.
fn nested(
    doc: &Document,
    map: NodeId,
    owner: &str,
    reads: &[(&'static str, Shape)],
    reader: &str,
    hint: &str,
    issues: &mut Vec<Issue>,
) {
    for entry in doc.entries(map) {
        let key = doc.text(&entry.key);
        let read = reads.iter().find(|(k, _)| *k == key);
        if read.is_none() && !folds_into(key, NESTED_LIKE) {
            continue;
        }
        let value = entry.value;
        match read {
            Some((_, shape)) if shape.accepts(doc, value) => {
                if doc.is_seq(value) {
                    entries_not_read(doc, value, key, reader, hint, issues);
                } else if key == "items" || key == "keys" || key == "values" {
                    // An array's element or a map's key/value is not a field itself; what it
                    // nests is read with the same rules.
                    let inner = format!("{owner} `{key}`");
                    nested(doc, value, &inner, reads, reader, hint, issues);
                }
            }
            _ => {
                let Some(count) = fields_in(doc, key, value) else {
                    continue;
                };
                issues.push(Issue::new(
                    BuiltinRule::UnreadContent,
                    entry.key_span,
                    format!(
                        "{owner} nests {count} under `{key}`, which the {reader} reader does not read; {hint}"
                    ),
                    "not read",
                ));
            }
        }
    }
}

/// "3 entries" when `value` holds something to read (a non-empty collection or a value).
fn content(doc: &Document, value: NodeId) -> Option<String> {
    let count = match &doc.node(value).kind {
        NodeKind::Seq(range) | NodeKind::Map(range) => range.len as usize,
        NodeKind::Null => 0,
        _ => usize::from(doc.is_present(value)),
    };
    match count {
        0 => None,
        1 => Some("1 entry".to_owned()),
        n => Some(format!("{n} entries")),
    }
}

/// "2 fields" when a nested key's value describes fields: a list holding mappings, a non-empty
/// mapping, or (for `items`) a mapping that itself nests fields.
fn fields_in(doc: &Document, key: &str, value: NodeId) -> Option<String> {
    let count = if doc.is_seq(value) {
        doc.items(value).iter().filter(|&&i| doc.is_map(i)).count()
    } else if doc.is_map(value) && folds_to(key, "items") {
        let nests = doc.entries(value).iter().any(|e| {
            folds_into(doc.text(&e.key), NESTED_LIKE)
                && fields_in(doc, doc.text(&e.key), e.value).is_some()
        });
        usize::from(nests)
    } else if doc.is_map(value) {
        doc.entries(value).len()
    } else {
        0
    };
    match (count, folds_to(key, "items")) {
        (0, _) => None,
        (_, true) => Some("fields".to_owned()),
        (1, false) => Some("1 field".to_owned()),
        (n, false) => Some(format!("{n} fields")),
    }
}

/// "a list", "a mapping", "a value".
fn noun(doc: &Document, node: NodeId) -> &'static str {
    match doc.node(node).kind {
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
        _ => "a value",
    }
}

/// A spelling a small edit away (`shema`, `scheme`).
fn close(a: &str, b: &str) -> bool {
    let (a, b) = (folded(a), folded(b));
    strsim::damerau_levenshtein(&a, &b) <= (a.chars().count() / 4).max(1)
}

/// The one key of a mapping written as `- email: {...}`, the shape of a name → attributes
/// entry in a list.
fn single_key(doc: &Document, map: NodeId) -> Option<String> {
    match doc.entries(map) {
        [only] => Some(doc.text(&only.key).to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::folds_to;

    #[test]
    fn ascii_and_other_keys_fold_alike() {
        assert!(folds_to("Schema", "schema"));
        assert!(folds_to("SCHEMA", "schema"));
        assert!(!folds_to("schemas", "schema"));
        assert!(!folds_to("schem", "schema"));
        assert!(folds_to("Ünit", "ünit"));
        // The Kelvin sign folds to an ASCII `k`, as `char::to_lowercase` says.
        assert!(folds_to("\u{212a}ind", "kind"));
        assert!(!folds_to("Ünit", "unit"));
    }
}
