//! Strict JSON → [`Document`], from `jsonc-parser`'s AST with every leniency switched off.

use std::sync::Arc;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use super::{parse_number, Arena, Document, Entry, Limits, LoadError, NodeId, NodeKind, Text};
use crate::source::{SourceFile, Span};

pub(super) fn load(source: &Arc<SourceFile>, limits: Limits) -> Result<Document, LoadError> {
    let full = source.text();
    let base = source.bom_len();
    let text = full.get(base..).unwrap_or("");
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &collect, &options).map_err(|error| {
        let range = error.range();
        LoadError::Syntax {
            message: lowercase_first(&error.kind().to_string()),
            span: Span::new(base + range.start, base + range.end),
        }
    })?;
    let Some(value) = parsed.value else {
        return Err(LoadError::Syntax {
            message: "the file holds no JSON value".to_owned(),
            span: Span::empty(base),
        });
    };
    let mut builder = Builder {
        source: source.clone(),
        base,
        limits,
        arena: Arena::for_text(text.len()),
    };
    let root = builder.value(&value, 0)?;
    Ok(builder.arena.into_document(source.clone(), root))
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect::<String>(),
        None => String::new(),
    }
}

struct Builder {
    source: Arc<SourceFile>,
    base: usize,
    limits: Limits,
    arena: Arena,
}

impl Builder {
    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        Span::new(self.base + range.start, self.base + range.end)
    }

    fn push(&mut self, span: Span, kind: NodeKind) -> Result<NodeId, LoadError> {
        if self.arena.nodes.len() as u64 >= self.limits.node_limit() {
            return Err(LoadError::TooManyNodes {
                limit: self.limits.node_limit(),
                span,
            });
        }
        Ok(self.arena.push(span, kind))
    }

    /// A string (key or value) longer than `max_string_bytes` stops the file.
    fn check_length(
        &self,
        value: &str,
        range: jsonc_parser::common::Range,
    ) -> Result<(), LoadError> {
        if value.len() > self.limits.max_string_bytes {
            return Err(LoadError::TooLong {
                length: value.len(),
                limit: self.limits.max_string_bytes,
                span: self.span(range),
            });
        }
        Ok(())
    }

    /// A string literal's text: a span of the source between the quotes when it has no escapes.
    fn string(&self, value: &str, range: jsonc_parser::common::Range) -> Text {
        let inner = Span::new(
            self.base + range.start + 1,
            self.base + range.end.saturating_sub(1),
        );
        if self.source.slice(inner) == value {
            Text::Source(inner)
        } else {
            Text::Owned(value.into())
        }
    }

    fn value(&mut self, value: &Value<'_>, depth: usize) -> Result<NodeId, LoadError> {
        match value {
            Value::NullKeyword(null) => self.push(self.span(null.range), NodeKind::Null),
            Value::BooleanLit(b) => self.push(self.span(b.range), NodeKind::Bool(b.value)),
            Value::NumberLit(n) => {
                let span = self.span(n.range);
                let kind = parse_number(n.value).ok_or_else(|| LoadError::Syntax {
                    message: format!("`{}` is not a number", n.value),
                    span,
                })?;
                self.push(span, kind)
            }
            Value::StringLit(s) => {
                self.check_length(&s.value, s.range)?;
                let text = self.string(&s.value, s.range);
                self.push(self.span(s.range), NodeKind::Str(text))
            }
            Value::Array(array) => {
                let span = self.span(array.range);
                self.check_depth(depth, span)?;
                let mut items = Vec::with_capacity(array.elements.len());
                for element in &array.elements {
                    items.push(self.value(element, depth + 1)?);
                }
                let kind = self.arena.seq(&items);
                self.push(span, kind)
            }
            Value::Object(object) => {
                let span = self.span(object.range);
                self.check_depth(depth, span)?;
                let mut entries = Vec::with_capacity(object.properties.len());
                for property in &object.properties {
                    let (key, key_span) = match &property.name {
                        ObjectPropName::String(s) => {
                            self.check_length(&s.value, s.range)?;
                            (self.string(&s.value, s.range), self.span(s.range))
                        }
                        ObjectPropName::Word(w) => {
                            (Text::Owned(w.value.into()), self.span(w.range))
                        }
                    };
                    let value = self.value(&property.value, depth + 1)?;
                    entries.push(Entry {
                        key,
                        key_span,
                        value,
                        value_span: self
                            .arena
                            .nodes
                            .get(value.0 as usize)
                            .map_or(key_span, |n| n.span),
                    });
                }
                let kind = self.arena.map(&self.source, &entries, &[]);
                self.push(span, kind)
            }
        }
    }

    fn check_depth(&self, depth: usize, span: Span) -> Result<(), LoadError> {
        if depth >= self.limits.max_depth {
            return Err(LoadError::TooDeep {
                limit: self.limits.max_depth,
                span,
            });
        }
        Ok(())
    }
}
