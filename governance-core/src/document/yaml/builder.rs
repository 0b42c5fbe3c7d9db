//! The tree builder both YAML readers feed: nodes, collections, keys, anchors, limits.
//!
//! The saphyr reader ([`super::saphyr`]) and the fast reader ([`super::fast`]) describe a
//! document the same way, as saphyr's events would (a scalar, the start or end of a collection,
//! an alias, each with its byte span), and this one builder turns that description into a
//! [`Document`]. Sharing it is what makes the two readers build the same tree: spans of
//! collections and entries, duplicate keys, merge keys and every limit are decided here, once.

use std::collections::HashMap;
use std::sync::Arc;

use super::super::{Arena, Document, Entry, Limits, LoadError, NodeId, NodeKind, Text};
use crate::source::{SourceFile, Span};

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

/// Builds one YAML document from saphyr-style events.
pub(super) struct Builder {
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
    pub(super) fn new(source: Arc<SourceFile>, limits: Limits) -> Self {
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

    /// The document, once its root node is complete (`None` for a document without one).
    pub(super) fn finish(self) -> Option<Document> {
        let root = self.root?;
        Some(self.arena.into_document(self.source, root))
    }

    /// Fails when a scalar of `length` bytes is over [`Limits::max_string_bytes`].
    pub(super) fn check_length(&self, length: usize, span: Span) -> Result<(), LoadError> {
        if length > self.limits.max_string_bytes {
            return Err(LoadError::TooLong {
                length,
                limit: self.limits.max_string_bytes,
                span,
            });
        }
        Ok(())
    }

    /// A scalar that completes a key: `merge` for a plain `<<`; an anchored key (`anchor > 0`)
    /// also becomes a node, so that it can be aliased later as a key or as a value.
    pub(super) fn key(
        &mut self,
        key: Text,
        span: Span,
        merge: bool,
        anchor: usize,
    ) -> Result<(), LoadError> {
        if anchor > 0 {
            let node = NodeKind::Str(key.clone());
            self.charge(1, span)?;
            let id = self.push_node(span, node);
            self.anchors.insert(anchor, id);
        }
        if let Some(Frame::Map { pending_key, .. }) = self.stack.last_mut() {
            *pending_key = Some((key, span, merge));
        }
        Ok(())
    }

    /// A scalar node: a value, a sequence item or the root.
    pub(super) fn value(
        &mut self,
        kind: NodeKind,
        span: Span,
        anchor: usize,
    ) -> Result<(), LoadError> {
        self.charge(1, span)?;
        let id = self.push_node(span, kind);
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        self.attach(id, span, 1);
        Ok(())
    }

    /// A scalar the fast reader found: a key when the parent mapping waits for one, else a
    /// value. Plain scalars resolve with the core schema (`kind` is `None` for a string).
    pub(super) fn scalar(
        &mut self,
        text: Text,
        kind: Option<NodeKind>,
        span: Span,
    ) -> Result<(), LoadError> {
        self.check_length(text.len(), span)?;
        if self.expects_key() {
            return self.key(text, span, false, 0);
        }
        let kind = kind.unwrap_or(NodeKind::Str(text));
        self.value(kind, span, 0)
    }

    /// `span` is the start event's: where the collection begins.
    pub(super) fn open_seq(&mut self, span: Span, anchor: usize) -> Result<(), LoadError> {
        let first = self.items.len();
        self.open(Frame::Seq {
            start: span,
            anchor,
            first,
            weight: 1,
        })
    }

    /// `span` is the start event's: where the collection begins.
    pub(super) fn open_map(&mut self, span: Span, anchor: usize) -> Result<(), LoadError> {
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

    /// An alias to the node anchored as `anchor`.
    pub(super) fn alias(&mut self, anchor: usize, span: Span) -> Result<(), LoadError> {
        match self.anchors.get(&anchor).copied() {
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

    /// Closes the innermost collection; `end_mark` is the end event's span (for a flow
    /// collection, its closing bracket).
    pub(super) fn close(&mut self, end_mark: Span) {
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
    pub(super) fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                pending_key: None,
                ..
            })
        )
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
