//! A small YAML writer: block style, two-space indents, comments after a key, and strings
//! quoted whenever a YAML 1.1 or 1.2 reader could take them for anything but that string
//! (`yes`, `1.0`, `2027-03-31`, `: `, a leading `-`...). Double-quoted strings use JSON's
//! escapes, which YAML shares, so any text survives.

use std::fmt::Write as _;

use crate::document::{Document, NodeId, NodeKind};

/// A YAML value to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<Entry>),
}

/// A key, its value, and an optional comment written after it (`# TODO: ...`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub value: Yaml,
    pub comment: Option<String>,
}

impl Yaml {
    /// A string.
    pub fn str(text: impl Into<String>) -> Yaml {
        Yaml::Str(text.into())
    }

    /// An empty mapping, to push entries into.
    pub fn map() -> Yaml {
        Yaml::Map(Vec::new())
    }

    /// Adds `key: value` to a mapping (nothing for another value).
    pub fn push(&mut self, key: &str, value: Yaml) {
        self.push_commented(key, value, None);
    }

    /// Adds `key: value  # comment` to a mapping.
    pub fn push_commented(&mut self, key: &str, value: Yaml, comment: Option<String>) {
        if let Yaml::Map(entries) = self {
            entries.push(Entry {
                key: key.to_owned(),
                value,
                comment,
            });
        }
    }

    /// Adds `key: value` when there is a value.
    pub fn push_some(&mut self, key: &str, value: Option<Yaml>) {
        if let Some(value) = value {
            self.push(key, value);
        }
    }

    /// The value under `key` of a mapping.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Yaml> {
        match self {
            Yaml::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key == key)
                .map(|e| &mut e.value),
            _ => None,
        }
    }

    /// A document node as a value, as written (aliases expanded; at most 64 levels deep).
    pub fn of_node(doc: &Document, node: NodeId) -> Yaml {
        Self::of_node_at(doc, node, 0)
    }

    fn of_node_at(doc: &Document, node: NodeId, depth: usize) -> Yaml {
        if depth > 64 {
            return Yaml::Null;
        }
        match &doc.node(node).kind {
            NodeKind::Null => Yaml::Null,
            NodeKind::Bool(b) => Yaml::Bool(*b),
            NodeKind::Int(i) => Yaml::Int(*i),
            NodeKind::Float(f) => Yaml::Float(*f),
            NodeKind::Str(text) => Yaml::Str(doc.text(text).to_owned()),
            NodeKind::Seq(_) => Yaml::Seq(
                doc.items(node)
                    .iter()
                    .map(|&item| Self::of_node_at(doc, item, depth + 1))
                    .collect(),
            ),
            NodeKind::Map(_) => Yaml::Map(
                doc.entries(node)
                    .iter()
                    .map(|entry| Entry {
                        key: doc.text(&entry.key).to_owned(),
                        value: Self::of_node_at(doc, entry.value, depth + 1),
                        comment: None,
                    })
                    .collect(),
            ),
        }
    }

    /// The value as a YAML document, with `header` lines as comments above it.
    pub fn to_document(&self, header: &[&str]) -> String {
        let mut out = String::new();
        for line in header {
            if line.is_empty() {
                out.push_str("#\n");
            } else {
                let _ = writeln!(out, "# {line}");
            }
        }
        match self {
            Yaml::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
            Yaml::Seq(items) if !items.is_empty() => write_seq(&mut out, items, 0),
            scalar => {
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
        out
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push(' ');
    }
}

fn comment(out: &mut String, comment: Option<&String>) {
    if let Some(comment) = comment {
        out.push_str("  # ");
        // A comment ends at the line's end: no line break inside it.
        out.extend(
            comment
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c }),
        );
    }
}

fn write_map(out: &mut String, entries: &[Entry], level: usize) {
    for (index, entry) in entries.iter().enumerate() {
        if index > 0 {
            indent(out, level);
        }
        write_entry(out, entry, level);
    }
}

/// One `key: value` whose key starts at the current position (after an indent or `- `).
fn write_entry(out: &mut String, entry: &Entry, level: usize) {
    out.push_str(&scalar_text(&entry.key));
    out.push(':');
    match &entry.value {
        Yaml::Map(entries) if !entries.is_empty() => {
            comment(out, entry.comment.as_ref());
            out.push('\n');
            indent(out, level + 2);
            write_map(out, entries, level + 2);
        }
        Yaml::Seq(items) if !items.is_empty() => {
            comment(out, entry.comment.as_ref());
            out.push('\n');
            indent(out, level + 2);
            write_seq(out, items, level + 2);
        }
        value => {
            out.push(' ');
            out.push_str(&inline(value));
            comment(out, entry.comment.as_ref());
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Yaml], level: usize) {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Yaml::Map(entries) if !entries.is_empty() => write_map(out, entries, level + 2),
            Yaml::Seq(inner) if !inner.is_empty() => write_seq(out, inner, level + 2),
            value => {
                out.push_str(&inline(value));
                out.push('\n');
            }
        }
    }
}

/// A value on one line: a scalar, or an empty collection.
fn inline(value: &Yaml) -> String {
    match value {
        Yaml::Null => "null".to_owned(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(f) if f.is_nan() => ".nan".to_owned(),
        Yaml::Float(f) if f.is_infinite() && *f > 0.0 => ".inf".to_owned(),
        Yaml::Float(f) if f.is_infinite() => "-.inf".to_owned(),
        Yaml::Float(f) => {
            let text = f.to_string();
            // `1e20` is a string to some readers: write such numbers in full.
            if text.contains('e') {
                format!("{f:.1}")
            } else {
                text
            }
        }
        Yaml::Str(text) => scalar_text(text),
        Yaml::Seq(_) => "[]".to_owned(),
        Yaml::Map(_) => "{}".to_owned(),
    }
}

/// A string as a plain scalar when every YAML reader reads it back as that string, else
/// double-quoted.
pub(crate) fn scalar_text(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

/// Words some YAML reader (1.1 or 1.2) takes for a boolean or a null.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
];

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text
        || RESERVED.iter().any(|w| w.eq_ignore_ascii_case(text))
        || !(first.is_alphabetic() || first == '_' || first == '/')
        || text.ends_with(':')
        || text.contains(": ")
        || text.contains(" #")
        || text.contains('\t')
    {
        return false;
    }
    // Letters, digits and a few punctuation marks that mean nothing in a plain scalar; any
    // other character is quoted rather than reasoned about.
    text.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '_' | '-' | '.' | '/' | '@' | '+' | '(' | ')' | '=' | ':' | ';' | '$' | '^'
            )
    }) && !text.starts_with(".inf")
        && !text.starts_with(".nan")
}

/// A double-quoted YAML string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Controls, and the characters YAML would read as line breaks or a byte order mark.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_could_be_read_as_something_else_are_quoted() {
        for (text, written) in [
            ("orders", "orders"),
            ("customer 360", "customer 360"),
            ("team@company.com", "team@company.com"),
            ("yes", "\"yes\""),
            ("No", "\"No\""),
            ("1.0", "\"1.0\""),
            ("2027-03-31", "\"2027-03-31\""),
            ("-x", "\"-x\""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("", "\"\""),
            (" padded", "\" padded\""),
            ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""),
            ("*alias", "\"*alias\""),
            ("é-ß", "é-ß"),
            ("null", "\"null\""),
            ("%", "\"%\""),
        ] {
            assert_eq!(scalar_text(text), written, "{text:?}");
        }
    }

    #[test]
    fn nested_mappings_and_lists_are_indented() {
        let mut table = Yaml::map();
        table.push("name", Yaml::str("orders"));
        let mut field = Yaml::map();
        field.push("name", Yaml::str("email"));
        field.push("tags", Yaml::Seq(vec![Yaml::str("pii")]));
        table.push("properties", Yaml::Seq(vec![field]));
        let mut root = Yaml::map();
        root.push_commented("id", Yaml::str("x"), Some("TODO: pick one".to_owned()));
        root.push("schema", Yaml::Seq(vec![table]));
        root.push("empty", Yaml::Seq(Vec::new()));
        root.push("ratio", Yaml::Float(99.5));
        assert_eq!(
            root.to_document(&["header"]),
            "# header\nid: x  # TODO: pick one\nschema:\n  - name: orders\n    properties:\n      - name: email\n        tags:\n          - pii\nempty: []\nratio: 99.5\n"
        );
    }
}
