//! YAML → [`Document`], from `saphyr-parser` events: the reader of every YAML file the fast
//! reader ([`super::fast`]) leaves alone, and the reference it is tested against.
//!
//! saphyr reports positions in characters; [`CharToByte`] turns them into byte offsets with a
//! cursor that moves only as far as the events do, so the conversion is linear in the file.

use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::super::{resolve_plain, Document, Limits, LoadError, NodeKind, Text};
use super::builder::Builder;
use crate::source::{SourceFile, Span};

pub(super) fn load(source: &Arc<SourceFile>, limits: Limits) -> Result<Vec<Document>, LoadError> {
    let text = source.text();
    let mut positions = CharToByte::new(text);
    let mut documents = Vec::new();
    let mut builder: Option<Builder> = None;
    for event in Parser::new_from_str(text) {
        let (event, marks) = match event {
            Ok(pair) => pair,
            Err(error) => {
                let offset = positions.byte(error.marker().index());
                return Err(LoadError::Syntax {
                    message: clean_message(error.info()),
                    span: Span::empty(offset),
                });
            }
        };
        let span = Span::new(
            positions.byte(marks.start.index()),
            positions.byte(marks.end.index()),
        );
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                if documents.len() >= limits.max_documents {
                    return Err(LoadError::TooManyDocuments {
                        limit: limits.max_documents,
                        span,
                    });
                }
                builder = Some(Builder::new(source.clone(), limits));
            }
            Event::DocumentEnd => {
                if let Some(done) = builder.take() {
                    if let Some(document) = done.finish() {
                        documents.push(document);
                    }
                }
            }
            other => {
                if let Some(current) = builder.as_mut() {
                    feed(current, other, span, text)?;
                }
            }
        }
    }
    Ok(documents)
}

/// saphyr messages read "while parsing a block mapping, did not find expected key"; keep them
/// lowercase and without a final period, as all our messages are.
fn clean_message(info: &str) -> String {
    info.trim().trim_end_matches('.').to_owned()
}

/// Hands one node event to the builder.
fn feed(builder: &mut Builder, event: Event<'_>, span: Span, text: &str) -> Result<(), LoadError> {
    match event {
        Event::Scalar(value, style, anchor, tag) => {
            builder.check_length(value.len(), span)?;
            // `&a key` and `!!str key`: the properties are not part of the scalar.
            let span = if anchor > 0 || tag.is_some() {
                without_properties(text, span)
            } else {
                span
            };
            if builder.expects_key() {
                // A key is its resolved scalar, anchored or not; only a plain `<<` is a
                // merge key (a quoted "<<" is an ordinary key, as in YAML 1.2).
                let merge = style == ScalarStyle::Plain && value == "<<";
                let key = stored_text(value, text, span);
                return builder.key(key, span, merge, anchor);
            }
            let kind = scalar_kind(&value, style, tag.as_deref().map(|t| t.suffix.as_str()));
            let stored = stored_text(value, text, span);
            let kind = kind.unwrap_or(NodeKind::Str(stored));
            // A block scalar's end mark sits at the next token: keep only its text.
            let span = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                let written = text.get(span.start()..span.end()).unwrap_or("");
                Span::new(span.start(), span.start() + written.trim_end().len())
            } else {
                span
            };
            builder.value(kind, span, anchor)
        }
        Event::SequenceStart(anchor, _) => builder.open_seq(span, anchor),
        Event::MappingStart(anchor, _) => builder.open_map(span, anchor),
        Event::SequenceEnd | Event::MappingEnd => {
            builder.close(span);
            Ok(())
        }
        Event::Alias(anchor) => builder.alias(anchor, span),
        Event::StreamStart
        | Event::StreamEnd
        | Event::DocumentStart(_)
        | Event::DocumentEnd
        | Event::Nothing => Ok(()),
    }
}

/// The span of a scalar without its node properties: saphyr's mark of `&anchor !tag value`
/// starts at the `&`.
fn without_properties(text: &str, span: Span) -> Span {
    let written = text.get(span.start()..span.end()).unwrap_or("");
    let mut rest = written;
    while rest.starts_with(['&', '!']) {
        match rest.find([' ', '\t', '\n', '\r']) {
            Some(end) => rest = rest.get(end..).unwrap_or("").trim_start(),
            None => return span,
        }
    }
    Span::new(span.end() - rest.len(), span.end())
}

/// The node kind of a scalar: quoted scalars and `!!str` are strings; plain scalars resolve with
/// the core schema. `None` means "a string".
fn scalar_kind(value: &str, style: ScalarStyle, tag: Option<&str>) -> Option<NodeKind> {
    match tag {
        Some("str") => return None,
        Some("int" | "float" | "bool" | "null") => return resolve_plain(value),
        _ => {}
    }
    if style == ScalarStyle::Plain {
        resolve_plain(value)
    } else {
        None
    }
}

/// A scalar's text: a span of the source when it is written there verbatim (plain, or
/// between quotes without escapes: the common case), else the decoded text, kept as saphyr
/// built it (no copy).
fn stored_text(value: std::borrow::Cow<'_, str>, text: &str, span: Span) -> Text {
    let written = text.get(span.start()..span.end()).unwrap_or("");
    if written == value {
        return Text::Source(span);
    }
    let inner = written
        .get(1..written.len().saturating_sub(1))
        .filter(|_| written.len() >= 2);
    if inner.is_some_and(|inner| inner == value) {
        return Text::Source(Span::new(span.start() + 1, span.end() - 1));
    }
    Text::Owned(value.into_owned())
}

/// Converts saphyr's character indexes to byte offsets.
struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> CharToByte<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        while self.chars < char_index {
            match self
                .text
                .get(self.bytes..)
                .and_then(|rest| rest.chars().next())
            {
                Some(c) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => return self.bytes,
            }
        }
        while self.chars > char_index {
            match self
                .text
                .get(..self.bytes)
                .and_then(|before| before.chars().next_back())
            {
                Some(c) => {
                    self.bytes -= c.len_utf8();
                    self.chars -= 1;
                }
                None => return 0,
            }
        }
        self.bytes
    }
}
