//! YAML → [`Document`], from `saphyr-parser` events.
//!
//! saphyr reports positions in characters; [`CharToByte`] turns them into byte offsets with a
//! cursor that moves only as far as the events do, so the conversion is linear in the file.

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::{resolve_plain, Arena, Document, Entry, Limits, LoadError, NodeId, NodeKind, Text};
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
                    current.event(other, span, text)?;
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

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        /// Where its items begin on the item scratch stack.
        first: usize,
        weight: u64,
    },
    Map {
        start: Span,
        anchor: usize,
        /// Where its entries begin on the entry scratch stack.
        first: usize,
        /// Values of `<<` merge keys (rare: no allocation until one appears).
        merges: Vec<NodeId>,
        pending_key: Option<(Text, Span, bool)>,
        weight: u64,
        end: usize,
    },
}

struct Builder {
    source: Arc<SourceFile>,
    limits: Limits,
    arena: Arena,
    /// Expanded size of every node, so that an alias costs what its copy would.
    weights: Vec<u64>,
    total_weight: u64,
    anchors: HashMap<usize, NodeId>,
    stack: Vec<Frame>,
    /// Items of the open sequences, innermost last.
    items: Vec<NodeId>,
    /// Entries of the open mappings, innermost last.
    entries: Vec<Entry>,
    root: Option<NodeId>,
}

impl Builder {
    fn new(source: Arc<SourceFile>, limits: Limits) -> Self {
        let bytes = source.text().len();
        Self {
            arena: Arena::for_text(bytes),
            weights: Vec::with_capacity(bytes / 12 + 8),
            source,
            limits,
            total_weight: 0,
            anchors: HashMap::new(),
            stack: Vec::with_capacity(16),
            items: Vec::with_capacity(32),
            entries: Vec::with_capacity(64),
            root: None,
        }
    }

    fn finish(self) -> Option<Document> {
        let root = self.root?;
        Some(self.arena.into_document(self.source, root))
    }

    fn event(&mut self, event: Event<'_>, span: Span, text: &str) -> Result<(), LoadError> {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                if value.len() > self.limits.max_string_bytes {
                    return Err(LoadError::TooLong {
                        length: value.len(),
                        limit: self.limits.max_string_bytes,
                        span,
                    });
                }
                // `&a key` and `!!str key`: the properties are not part of the scalar.
                let span = if anchor > 0 || tag.is_some() {
                    without_properties(text, span)
                } else {
                    span
                };
                if self.expects_key() {
                    // A key is its resolved scalar, anchored or not; only a plain `<<` is a
                    // merge key (a quoted "<<" is an ordinary key, as in YAML 1.2).
                    let merge = style == ScalarStyle::Plain && value == "<<";
                    let key = stored_text(value, text, span);
                    if anchor > 0 {
                        // An anchored key can be aliased later, as a key or as a value.
                        let node = NodeKind::Str(key.clone());
                        self.charge(1, span)?;
                        let id = self.push_node(span, node);
                        self.anchors.insert(anchor, id);
                    }
                    return self.set_key(key, span, merge);
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
                self.charge(1, span)?;
                let id = self.push_node(span, kind);
                if anchor > 0 {
                    self.anchors.insert(anchor, id);
                }
                self.attach(id, span, 1);
                Ok(())
            }
            Event::SequenceStart(anchor, _) => {
                let first = self.items.len();
                self.open(Frame::Seq {
                    start: span,
                    anchor,
                    first,
                    weight: 1,
                })
            }
            Event::MappingStart(anchor, _) => {
                let first = self.entries.len();
                self.open(Frame::Map {
                    start: span,
                    anchor,
                    first,
                    merges: Vec::new(),
                    pending_key: None,
                    weight: 1,
                    end: span.end(),
                })
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.close(span);
                Ok(())
            }
            Event::Alias(anchor) => match self.anchors.get(&anchor).copied() {
                Some(id) => {
                    let weight = self.weights.get(id.0 as usize).copied().unwrap_or(1);
                    self.charge(weight, span)?;
                    self.attach(id, span, weight);
                    Ok(())
                }
                None => Err(LoadError::Syntax {
                    message: "alias to an unknown anchor".to_owned(),
                    span,
                }),
            },
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    fn open(&mut self, frame: Frame) -> Result<(), LoadError> {
        if self.stack.len() >= self.limits.max_depth {
            let span = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(LoadError::TooDeep {
                limit: self.limits.max_depth,
                span,
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end_mark: Span) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (id, weight, anchor, span) = match frame {
            Frame::Seq {
                start,
                anchor,
                first,
                weight,
            } => {
                let items = self.items.get(first..).unwrap_or(&[]);
                let end = items
                    .last()
                    .map_or(end_mark.end(), |last| self.span_of(*last).end())
                    .max(flow_end(start, end_mark, self.source.text()));
                let span = Span::new(start.start(), end);
                let kind = self.arena.seq(items);
                self.items.truncate(first);
                (self.push_node(span, kind), weight, anchor, span)
            }
            Frame::Map {
                start,
                anchor,
                first,
                merges,
                weight,
                end,
                ..
            } => {
                let end = end.max(flow_end(start, end_mark, self.source.text()));
                let span = Span::new(start.start(), end);
                let written = self.entries.get(first..).unwrap_or(&[]);
                let kind = self.arena.map(&self.source, written, &merges);
                self.entries.truncate(first);
                (self.push_node(span, kind), weight, anchor, span)
            }
        };
        if let Some(slot) = self.weights.get_mut(id.0 as usize) {
            *slot = weight;
        }
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        self.attach(id, span, weight);
    }

    fn span_of(&self, id: NodeId) -> Span {
        self.arena
            .nodes
            .get(id.0 as usize)
            .map_or(Span::empty(0), |n| n.span)
    }

    fn charge(&mut self, weight: u64, span: Span) -> Result<(), LoadError> {
        self.total_weight = self.total_weight.saturating_add(weight);
        if self.total_weight > self.limits.node_limit() {
            return Err(LoadError::TooManyNodes {
                limit: self.limits.node_limit(),
                span,
            });
        }
        Ok(())
    }

    fn push_node(&mut self, span: Span, kind: NodeKind) -> NodeId {
        self.weights.push(1);
        self.arena.push(span, kind)
    }

    /// Whether the next node completes a key (the parent is a mapping waiting for one).
    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                pending_key: None,
                ..
            })
        )
    }

    fn set_key(&mut self, key: Text, span: Span, merge: bool) -> Result<(), LoadError> {
        if let Some(Frame::Map { pending_key, .. }) = self.stack.last_mut() {
            *pending_key = Some((key, span, merge));
        }
        Ok(())
    }

    /// Hangs a finished node on its parent: a sequence item, a mapping key, or a mapping value.
    /// `span` is where it is written (the `*alias` for an alias).
    fn attach(&mut self, id: NodeId, span: Span, weight: u64) {
        let node_end = self.span_of(id).end();
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(id);
                }
            }
            Some(Frame::Seq { weight: w, .. }) => {
                self.items.push(id);
                *w = w.saturating_add(weight);
            }
            Some(Frame::Map {
                merges,
                pending_key,
                weight: w,
                end,
                ..
            }) => {
                *w = w.saturating_add(weight);
                match pending_key.take() {
                    None => {
                        // A key that is itself a node: an alias (`*k : false`) is the scalar
                        // it refers to; a collection used as a key is its source text.
                        let key = match self.arena.nodes.get(id.0 as usize).map(|n| &n.kind) {
                            Some(NodeKind::Str(text)) => text.clone(),
                            Some(
                                NodeKind::Null
                                | NodeKind::Bool(_)
                                | NodeKind::Int(_)
                                | NodeKind::Float(_),
                            ) => {
                                let written =
                                    self.arena.nodes.get(id.0 as usize).map_or(span, |n| n.span);
                                Text::Source(written)
                            }
                            _ => Text::Owned(self.source.slice(span).into()),
                        };
                        *pending_key = Some((key, span, false));
                    }
                    Some((_, _, true)) => merges.push(id),
                    Some((key, key_span, false)) => {
                        *end = (*end).max(node_end).max(key_span.end());
                        self.entries.push(Entry {
                            key,
                            key_span,
                            value: id,
                            value_span: span,
                        });
                    }
                }
            }
        }
    }
}

/// For flow collections (`[a, b]`, `{a: 1}`) the end event's mark sits on the closing bracket;
/// include it. Block collections end where their last child ends.
fn flow_end(start: Span, end_mark: Span, text: &str) -> usize {
    let opens_flow = text
        .get(start.start()..start.end())
        .is_some_and(|opening| opening.contains(['[', '{']));
    if opens_flow {
        end_mark.end()
    } else {
        start.end()
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
