//! A text dump of the documents a YAML text loads into, to compare the fast YAML reader with
//! saphyr's in the differential tests and the fuzz target. Not part of the library's API.

use std::fmt::Write as _;
use std::sync::Arc;

use super::{yaml, Document, Limits, LoadError, LoadIssue, NodeKind};
use crate::source::SourceFile;

/// Which YAML reader loads the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlReader {
    /// The fast reader alone.
    Fast,
    /// saphyr alone.
    Saphyr,
    /// What the engine does: the fast reader, or saphyr when the fast reader gives up.
    Auto,
}

/// Loads `text` as YAML with `reader` and dumps every document: each node in arena order with
/// its span and kind (strings as their text, collections with their children, entries with
/// key, key span, value and value span), the root, and the load issues. `None` when
/// [`YamlReader::Fast`] leaves the text to saphyr.
///
/// Two loads give the same dump exactly when they give the same trees. Whether a string is
/// lent from the source or decoded does not show: that is how it is stored, not what it is.
#[must_use]
pub fn dump_yaml(
    text: &str,
    limits: Limits,
    reader: YamlReader,
) -> Option<Result<String, LoadError>> {
    let source = Arc::new(SourceFile::new("dump.yaml", text));
    let loaded = match reader {
        YamlReader::Fast => Ok(yaml::load_fast(&source, limits)?),
        YamlReader::Saphyr => yaml::load_saphyr(&source, limits),
        YamlReader::Auto => yaml::load(&source, limits),
    };
    Some(loaded.map(|documents| dump(&documents)))
}

fn dump(documents: &[Document]) -> String {
    let mut out = String::new();
    for (index, doc) in documents.iter().enumerate() {
        let _ = writeln!(out, "document {index}: root #{}", doc.root.0);
        for (id, node) in doc.nodes.iter().enumerate() {
            let span = node.span;
            let _ = write!(out, "  #{id} {}..{} ", span.start(), span.end());
            match &node.kind {
                NodeKind::Null => out.push_str("null"),
                NodeKind::Bool(b) => {
                    let _ = write!(out, "bool {b}");
                }
                NodeKind::Int(i) => {
                    let _ = write!(out, "int {i}");
                }
                NodeKind::Float(f) => {
                    let _ = write!(out, "float {f:?}");
                }
                NodeKind::Str(text) => {
                    let _ = write!(out, "str {:?}", doc.text(text));
                }
                NodeKind::Seq(range) => {
                    out.push_str("seq [");
                    for item in range.slice(&doc.links) {
                        let _ = write!(out, " #{}", item.0);
                    }
                    out.push_str(" ]");
                }
                NodeKind::Map(range) => {
                    out.push_str("map {");
                    for entry in range.slice(&doc.entries) {
                        let _ = write!(
                            out,
                            "\n      {:?} {}..{} => #{} {}..{}",
                            doc.text(&entry.key),
                            entry.key_span.start(),
                            entry.key_span.end(),
                            entry.value.0,
                            entry.value_span.start(),
                            entry.value_span.end()
                        );
                    }
                    out.push_str(" }");
                }
            }
            out.push('\n');
        }
        for issue in &doc.issues {
            match issue {
                LoadIssue::DuplicateKey { key, first, second } => {
                    let _ = writeln!(
                        out,
                        "  duplicate key {key:?} {}..{} and {}..{}",
                        first.start(),
                        first.end(),
                        second.start(),
                        second.end()
                    );
                }
            }
        }
    }
    out
}
