//! Writing generated files: indented lines (YAML, policies) and a small JSON printer.

use std::fmt::{self, Write as _};

/// A text built line by line, each line indented by a number of spaces.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    text: String,
}

impl Lines {
    /// Appends `args` on a line of its own, after `indent` spaces.
    pub(crate) fn line(&mut self, indent: usize, args: fmt::Arguments<'_>) {
        self.text.extend(std::iter::repeat_n(' ', indent));
        // Writing into a `String` cannot fail.
        let _ = self.text.write_fmt(args);
        self.text.push('\n');
    }

    /// The text written so far.
    pub(crate) fn finish(self) -> String {
        self.text
    }
}

/// A JSON value, printed with two-space indentation like a hand-written file.
#[derive(Debug, Clone)]
pub(crate) enum Json {
    Str(String),
    Bool(bool),
    Array(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
    /// An object whose keys are data (a mapping-shaped schema).
    Map(Vec<(String, Json)>),
}

impl Json {
    /// A JSON string.
    pub(crate) fn str(text: impl Into<String>) -> Self {
        Json::Str(text.into())
    }

    /// The pretty-printed document, ending with a newline.
    pub(crate) fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Str(text) => quote(out, text),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Array(items) => {
                // Arrays of strings stay on one line, as people write them.
                if items.iter().all(|item| matches!(item, Json::Str(_))) {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        item.write(out, depth);
                    }
                    out.push(']');
                } else {
                    block(out, depth, '[', ']', items.iter().map(|item| (None, item)));
                }
            }
            Json::Object(entries) => block(
                out,
                depth,
                '{',
                '}',
                entries.iter().map(|(key, value)| (Some(*key), value)),
            ),
            Json::Map(entries) => block(
                out,
                depth,
                '{',
                '}',
                entries
                    .iter()
                    .map(|(key, value)| (Some(key.as_str()), value)),
            ),
        }
    }
}

fn block<'a>(
    out: &mut String,
    depth: usize,
    open: char,
    close: char,
    items: impl ExactSizeIterator<Item = (Option<&'a str>, &'a Json)>,
) {
    if items.len() == 0 {
        out.push(open);
        out.push(close);
        return;
    }
    out.push(open);
    let count = items.len();
    for (i, (key, value)) in items.enumerate() {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', 2 * (depth + 1)));
        if let Some(key) = key {
            quote(out, key);
            out.push_str(": ");
        }
        value.write(out, depth + 1);
        if i + 1 < count {
            out.push(',');
        }
    }
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', 2 * depth));
    out.push(close);
}

fn quote(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_nested_json() {
        let value = Json::Object(vec![
            ("name", Json::str("a \"b\"")),
            ("tags", Json::Array(vec![Json::str("x"), Json::str("y")])),
            ("empty", Json::Array(Vec::new())),
            (
                "schema",
                Json::Map(vec![("id".to_owned(), Json::Bool(true))]),
            ),
        ]);
        assert_eq!(
            value.pretty(),
            "{\n  \"name\": \"a \\\"b\\\"\",\n  \"tags\": [\"x\", \"y\"],\n  \"empty\": [],\n  \"schema\": {\n    \"id\": true\n  }\n}\n"
        );
    }
}
