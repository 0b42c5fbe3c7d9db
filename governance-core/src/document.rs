//! The spanned document tree that YAML and JSON files load into.
//!
//! Nodes live in an arena ([`Document::nodes`]) and refer to each other by [`NodeId`], so that a
//! YAML alias is a second reference to the same node (never a copy), and so that the canonical
//! model can point at raw nodes without borrowing. Every node and every map key keeps its byte
//! [`Span`]; strings that appear verbatim in the file are stored as spans, not copies.

mod error;
mod inspect;
mod json;
mod yaml;

use std::sync::Arc;

use crate::source::{SourceFile, Span};

pub use error::LoadError;
pub(crate) use error::LoadIssue;
pub use inspect::{dump_yaml, YamlReader};

/// Limits that keep a hostile file from exhausting time or memory while loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Deepest nesting of sequences and mappings accepted.
    pub max_depth: usize,
    /// Most nodes a document may hold once YAML aliases are counted as expanded (a "billion
    /// laughs" file is rejected here, in milliseconds and bounded memory). Clamped to what a
    /// node id can hold ([`Limits::MAX_NODES`]), so a larger setting never wraps around.
    pub max_nodes: u64,
    /// Longest string (key or value) accepted, in bytes.
    pub max_string_bytes: usize,
    /// Most YAML documents (`---`) in one file.
    pub max_documents: usize,
}

impl Limits {
    /// The largest `max_nodes` that takes effect: node ids are 32-bit, and the canonical model
    /// adds a few nodes per field after loading, so a quarter of the id space is kept free.
    pub const MAX_NODES: u64 = (u32::MAX / 4 * 3) as u64;

    /// `max_nodes`, clamped to [`Limits::MAX_NODES`].
    #[must_use]
    pub fn node_limit(&self) -> u64 {
        self.max_nodes.min(Self::MAX_NODES)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 128,
            max_nodes: 1_000_000,
            max_string_bytes: 1024 * 1024,
            max_documents: 1_000,
        }
    }
}

/// Index of a node in its [`Document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct NodeId(u32);

/// A string value: either a verbatim slice of the source, or decoded text (escapes, folding).
#[derive(Debug, Clone)]
pub(crate) enum Text {
    Source(Span),
    Owned(String),
}

impl Text {
    /// The text, reading a span from `source`.
    pub fn as_str<'a>(&'a self, source: &'a SourceFile) -> &'a str {
        match self {
            Text::Source(span) => source.slice(*span),
            Text::Owned(s) => s,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Text::Source(span) => span.len(),
            Text::Owned(s) => s.len(),
        }
    }
}

/// One node of the tree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// The source text the node came from (for a synthetic node, the text that implies it).
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Text),
    /// Items, as a range of [`Document::links`].
    Seq(Range),
    /// Entries, as a range of [`Document::entries`].
    Map(Range),
}

/// A run of a document's `links` or `entries` arena: children are stored contiguously, so a
/// document costs a few allocations however many collections it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Range {
    pub start: u32,
    pub len: u32,
}

impl Range {
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    fn slice<T>(self, all: &[T]) -> &[T] {
        let start = self.start as usize;
        all.get(start..start + self.len as usize).unwrap_or(&[])
    }
}

/// A key/value pair of a mapping.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: Text,
    pub key_span: Span,
    pub value: NodeId,
    /// Where the value is written: the node itself, or the `*alias` that refers to it.
    pub value_span: Span,
}

impl Entry {
    /// `key: value` as written (just the key when the value is empty).
    pub fn span(&self) -> Span {
        if self.value_span.is_empty() {
            self.key_span
        } else {
            self.key_span.join(self.value_span)
        }
    }
}

/// One YAML document (or one JSON file): an arena of nodes with a root, and the documents of
/// the files it refers to grafted in (see [`Document::graft`]).
#[derive(Debug)]
pub(crate) struct Document {
    source: Arc<SourceFile>,
    /// The files grafted in, in order: the spans of their nodes are offset by `base`, past the
    /// end of the file before them, so that a span names its file.
    parts: Vec<Part>,
    nodes: Vec<Node>,
    /// The items of every sequence, each sequence a contiguous run.
    links: Vec<NodeId>,
    /// The entries of every mapping, each mapping a contiguous run.
    entries: Vec<Entry>,
    root: NodeId,
    /// Problems found while loading that do not stop the file from being linted.
    pub issues: Vec<LoadIssue>,
    /// The file lies where `dbt_project.yml` enforces model contracts (`+contract:
    /// {enforced: true}` for its folder): what the file says of itself is not all there is.
    pub dbt_project_enforced: bool,
}

/// A file grafted into a document: its spans start at `base`.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub base: usize,
    pub source: Arc<SourceFile>,
}

/// Which parser reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Yaml,
    Json,
}

impl Syntax {
    /// `.json` files are strict JSON; everything else is YAML (a superset of JSON).
    pub fn for_name(name: &str) -> Self {
        let lower = name.rsplit('.').next().unwrap_or("");
        if lower.eq_ignore_ascii_case("json") {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// Loads every document of `source`: one for JSON, one per `---` document for YAML.
pub(crate) fn load(
    source: &Arc<SourceFile>,
    syntax: Syntax,
    limits: Limits,
) -> Result<Vec<Document>, LoadError> {
    match syntax {
        Syntax::Yaml => yaml::load(source, limits),
        Syntax::Json => json::load(source, limits).map(|doc| vec![doc]),
    }
}

impl Document {
    pub fn source(&self) -> &Arc<SourceFile> {
        &self.source
    }

    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The same document with `root` as its root: an inline contract inside a test file keeps
    /// the positions of the file it is written in.
    pub fn rooted_at(&self, root: NodeId) -> Document {
        Document {
            source: self.source.clone(),
            parts: self.parts.clone(),
            nodes: self.nodes.clone(),
            links: self.links.clone(),
            entries: self.entries.clone(),
            root,
            issues: Vec::new(),
            dbt_project_enforced: self.dbt_project_enforced,
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        // Ids are only ever created by `push` on this document, so the index is in range; the
        // fallback keeps a foreign id from panicking.
        static MISSING: Node = Node {
            span: Span::empty_const(),
            kind: NodeKind::Null,
        };
        self.nodes.get(id.0 as usize).unwrap_or(&MISSING)
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    /// Adds a node that the canonical model derives from the file (e.g. `encrypted = true`
    /// implied by an ODCS `encryptedName`), spanning the text that implies it.
    pub fn push(&mut self, span: Span, kind: NodeKind) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        self.nodes.push(Node { span, kind });
        id
    }

    pub fn text<'a>(&'a self, text: &'a Text) -> &'a str {
        match text {
            Text::Source(span) => self.slice(*span),
            Text::Owned(s) => s,
        }
    }

    /// The text of `span`, in whichever file of the document it lies.
    pub fn slice(&self, span: Span) -> &str {
        if self.parts.is_empty() {
            return self.source.slice(span);
        }
        let (source, local, _) = self.locate(span);
        source.slice(local)
    }

    /// The file `span` lies in, the span within it, and the file's ordinal (0 for the document's
    /// own file, then the grafted files in order).
    pub fn locate(&self, span: Span) -> (&Arc<SourceFile>, Span, u32) {
        let found = self
            .parts
            .iter()
            .enumerate()
            .rev()
            .find(|(_, part)| span.start() >= part.base);
        match found {
            Some((index, part)) => (
                &part.source,
                Span::new(
                    span.start() - part.base,
                    span.end().saturating_sub(part.base),
                ),
                u32::try_from(index + 1).unwrap_or(u32::MAX),
            ),
            None => (&self.source, span, 0),
        }
    }

    /// How many nodes the document holds, grafted files included.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Copies `other` (a file the document refers to) into this document and returns the id
    /// of its root here. Its spans keep pointing into its own file (see [`Document::locate`]);
    /// its load issues (duplicate keys) become this document's.
    pub fn graft(&mut self, other: Document) -> NodeId {
        let last_end = self
            .parts
            .last()
            .map_or(self.source.text().len(), |p| p.base + p.source.text().len());
        // One byte apart, so that an empty span at the end of a file is not the next file's.
        let base = last_end + 1;
        let node_offset = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        let link_offset = u32::try_from(self.links.len()).unwrap_or(u32::MAX);
        let entry_offset = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        let shift = |span: Span| Span::new(span.start() + base, span.end() + base);
        let shift_text = |text: Text| match text {
            Text::Source(span) => Text::Source(shift(span)),
            owned @ Text::Owned(_) => owned,
        };
        let moved = |id: NodeId| NodeId(id.0.saturating_add(node_offset));
        // The other document's own grafts come along, one part each.
        let mut parts = vec![Part {
            base,
            source: other.source.clone(),
        }];
        for part in &other.parts {
            parts.push(Part {
                base: base + part.base,
                source: part.source.clone(),
            });
        }
        for node in other.nodes {
            let kind = match node.kind {
                NodeKind::Str(text) => NodeKind::Str(shift_text(text)),
                NodeKind::Seq(range) => NodeKind::Seq(Range {
                    start: range.start.saturating_add(link_offset),
                    len: range.len,
                }),
                NodeKind::Map(range) => NodeKind::Map(Range {
                    start: range.start.saturating_add(entry_offset),
                    len: range.len,
                }),
                other => other,
            };
            self.nodes.push(Node {
                span: shift(node.span),
                kind,
            });
        }
        self.links.extend(other.links.into_iter().map(moved));
        self.entries
            .extend(other.entries.into_iter().map(|entry| Entry {
                key: shift_text(entry.key),
                key_span: shift(entry.key_span),
                value: moved(entry.value),
                value_span: shift(entry.value_span),
            }));
        self.issues
            .extend(other.issues.into_iter().map(|issue| match issue {
                LoadIssue::DuplicateKey { key, first, second } => LoadIssue::DuplicateKey {
                    key,
                    first: shift(first),
                    second: shift(second),
                },
            }));
        self.parts.extend(parts);
        moved(other.root)
    }

    /// The string value of a node, if it is a string.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).kind {
            NodeKind::Str(text) => Some(self.text(text)),
            _ => None,
        }
    }

    /// A scalar as text: strings as they are, numbers and booleans as written in the file.
    pub fn scalar_text(&self, id: NodeId) -> Option<std::borrow::Cow<'_, str>> {
        let node = self.node(id);
        match &node.kind {
            NodeKind::Str(text) => Some(self.text(text).into()),
            NodeKind::Int(_) | NodeKind::Float(_) | NodeKind::Bool(_) => {
                let written = self.slice(node.span);
                if written.is_empty() {
                    Some(match node.kind {
                        NodeKind::Int(i) => i.to_string().into(),
                        NodeKind::Float(f) => f.to_string().into(),
                        NodeKind::Bool(b) => b.to_string().into(),
                        _ => "".into(),
                    })
                } else {
                    Some(written.trim_matches('"').into())
                }
            }
            NodeKind::Null | NodeKind::Seq(_) | NodeKind::Map(_) => None,
        }
    }

    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match self.node(id).kind {
            NodeKind::Map(range) => range.slice(&self.entries),
            _ => &[],
        }
    }

    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.node(id).kind {
            NodeKind::Seq(range) => range.slice(&self.links),
            _ => &[],
        }
    }

    /// The items of sequence `id` that are mappings (the tables, fields and ports of a list),
    /// collected so that the document can be extended while they are walked.
    pub fn maps_in(&self, id: NodeId) -> Vec<NodeId> {
        self.items(id)
            .iter()
            .copied()
            .filter(|&item| self.is_map(item))
            .collect()
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.node(id).kind, NodeKind::Map(_))
    }

    pub fn is_seq(&self, id: NodeId) -> bool {
        matches!(self.node(id).kind, NodeKind::Seq(_))
    }

    /// The entry of mapping `id` whose key is `key` (exactly).
    pub fn entry(&self, id: NodeId, key: &str) -> Option<&Entry> {
        // Lengths first: most keys differ in length, and that needs no slicing.
        self.entries(id)
            .iter()
            .find(|entry| entry.key.len() == key.len() && self.text(&entry.key) == key)
    }

    /// The value under `key` in mapping `id`.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entry(id, key).map(|entry| entry.value)
    }

    /// A scalar present and not empty, a non-empty collection: what `must have` asks for.
    pub fn is_present(&self, id: NodeId) -> bool {
        match &self.node(id).kind {
            NodeKind::Null => false,
            NodeKind::Str(text) => !self.text(text).trim().is_empty(),
            NodeKind::Seq(range) | NodeKind::Map(range) => !range.is_empty(),
            NodeKind::Bool(_) | NodeKind::Int(_) | NodeKind::Float(_) => true,
        }
    }

    /// Whether a value is an explicit yes: YAML `true`, or the text `true`, `yes` or `on` in any
    /// case. This is what `must be ATTRIBUTE` asks: `encrypted: "not encrypted"`, `[true]`,
    /// `1` or `"n"` are not a yes.
    pub fn is_yes(&self, id: NodeId) -> bool {
        match &self.node(id).kind {
            NodeKind::Bool(b) => *b,
            NodeKind::Str(text) => is_yes_word(self.text(text)),
            _ => false,
        }
    }

    /// Whether a value is anything but an explicit no, for attributes where a doubtful value
    /// must count as yes to fail closed (`pii: "unsure"` selects the field for PII rules):
    /// `true`, a non-zero number, a non-empty collection, or any string except `false`, `no`,
    /// `off`, `0`, `none` and `""`.
    pub fn is_truthy(&self, id: NodeId) -> bool {
        match &self.node(id).kind {
            NodeKind::Null => false,
            NodeKind::Bool(b) => *b,
            NodeKind::Int(i) => *i != 0,
            NodeKind::Float(f) => *f != 0.0 && !f.is_nan(),
            NodeKind::Str(text) => {
                let s = self.text(text).trim();
                !(s.is_empty()
                    || ["false", "no", "off", "0", "none"]
                        .iter()
                        .any(|word| s.eq_ignore_ascii_case(word)))
            }
            NodeKind::Seq(range) | NodeKind::Map(range) => !range.is_empty(),
        }
    }
}

/// `true`, `yes` or `on`, in any case.
pub(crate) fn is_yes_word(text: &str) -> bool {
    let text = text.trim();
    ["true", "yes", "on"]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word))
}

/// Resolves a plain (unquoted) YAML scalar with the YAML 1.2 core schema.
pub(crate) fn resolve_plain(text: &str) -> Option<NodeKind> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(NodeKind::Null),
        "true" | "True" | "TRUE" => return Some(NodeKind::Bool(true)),
        "false" | "False" | "FALSE" => return Some(NodeKind::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(NodeKind::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(NodeKind::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(NodeKind::Float(f64::NAN)),
        _ => {}
    }
    let first = text.as_bytes().first().copied()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(NodeKind::Int);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(NodeKind::Int);
    }
    parse_number(text)
}

/// Parses a decimal number as written in JSON or YAML (no `inf`/`nan` words).
pub(crate) fn parse_number(text: &str) -> Option<NodeKind> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty()
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        || !digits.bytes().any(|b| b.is_ascii_digit())
    {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Some(NodeKind::Int(i));
        }
    }
    text.parse::<f64>().ok().map(NodeKind::Float)
}

/// The arenas a loader fills: nodes, and the contiguous children of collections. Children
/// are gathered on scratch stacks while their collection is open and moved into the arena
/// when it closes.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    pub nodes: Vec<Node>,
    pub links: Vec<NodeId>,
    pub entries: Vec<Entry>,
    pub issues: Vec<LoadIssue>,
}

impl Arena {
    /// An arena sized for a text of `bytes` bytes.
    pub fn for_text(bytes: usize) -> Self {
        // Sized from the contracts of the benchmark corpus: about one node per 8 bytes of
        // YAML (the normalizers add a few), one entry per 16, one item per 64.
        Self {
            nodes: Vec::with_capacity(bytes / 8 + 16),
            links: Vec::with_capacity(bytes / 64 + 8),
            entries: Vec::with_capacity(bytes / 16 + 8),
            issues: Vec::new(),
        }
    }

    pub fn push(&mut self, span: Span, kind: NodeKind) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        self.nodes.push(Node { span, kind });
        id
    }

    /// Moves `items` (the sequence's scratch) into the arena.
    pub fn seq(&mut self, items: &[NodeId]) -> NodeKind {
        let start = u32::try_from(self.links.len()).unwrap_or(u32::MAX);
        self.links.extend_from_slice(items);
        NodeKind::Seq(Range {
            start,
            len: u32::try_from(items.len()).unwrap_or(u32::MAX),
        })
    }

    /// Moves a mapping's entries into the arena: duplicate keys reported (the last one wins,
    /// as in most YAML and JSON readers), then YAML merge keys (`<<`) applied: explicit keys
    /// win over merged ones, earlier merges over later ones.
    pub fn map(&mut self, source: &SourceFile, written: &[Entry], merges: &[NodeId]) -> NodeKind {
        let start = self.entries.len();
        let duplicates = duplicate_pairs(source, written);
        if duplicates.is_empty() {
            self.entries.extend_from_slice(written);
        } else {
            let mut keep = vec![true; written.len()];
            for (first, second) in duplicates {
                if let (Some(a), Some(b), Some(flag)) =
                    (written.get(first), written.get(second), keep.get_mut(first))
                {
                    *flag = false;
                    self.issues.push(LoadIssue::DuplicateKey {
                        key: key_text(source, &b.key).to_owned(),
                        first: a.key_span,
                        second: b.key_span,
                    });
                }
            }
            self.entries.extend(
                written
                    .iter()
                    .zip(keep)
                    .filter(|(_, keep)| *keep)
                    .map(|(entry, _)| entry.clone()),
            );
        }
        for &merge in merges {
            let sources: Vec<NodeId> =
                match self.nodes.get(merge.0 as usize).map(|n| n.kind.clone()) {
                    Some(NodeKind::Map(_)) => vec![merge],
                    Some(NodeKind::Seq(range)) => range.slice(&self.links).to_vec(),
                    _ => Vec::new(),
                };
            for source_map in sources {
                let Some(NodeKind::Map(range)) = self
                    .nodes
                    .get(source_map.0 as usize)
                    .map(|n| n.kind.clone())
                else {
                    continue;
                };
                for index in range.start as usize..(range.start + range.len) as usize {
                    let Some(entry) = self.entries.get(index).cloned() else {
                        continue;
                    };
                    let key = key_text(source, &entry.key);
                    let present = self
                        .entries
                        .get(start..)
                        .unwrap_or(&[])
                        .iter()
                        .any(|e| key_text(source, &e.key) == key);
                    if !present {
                        self.entries.push(entry);
                    }
                }
            }
        }
        NodeKind::Map(Range {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(self.entries.len() - start).unwrap_or(u32::MAX),
        })
    }

    pub fn into_document(self, source: Arc<SourceFile>, root: NodeId) -> Document {
        Document {
            source,
            parts: Vec::new(),
            nodes: self.nodes,
            links: self.links,
            entries: self.entries,
            root,
            issues: self.issues,
            dbt_project_enforced: false,
        }
    }
}

fn key_text<'a>(source: &'a SourceFile, text: &'a Text) -> &'a str {
    text.as_str(source)
}

/// Pairs `(earlier, later)` of entries with the same key, each later entry paired with the
/// entry it overrides. Small maps are compared pairwise without allocating.
fn duplicate_pairs(source: &SourceFile, entries: &[Entry]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    if entries.len() <= 16 {
        for (later, entry) in entries.iter().enumerate() {
            let key = key_text(source, &entry.key);
            if let Some(earlier) = entries
                .get(..later)
                .and_then(|before| before.iter().rposition(|e| key_text(source, &e.key) == key))
            {
                pairs.push((earlier, later));
            }
        }
    } else {
        let mut seen: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(entries.len());
        for (later, entry) in entries.iter().enumerate() {
            if let Some(earlier) = seen.insert(key_text(source, &entry.key), later) {
                pairs.push((earlier, later));
            }
        }
    }
    pairs
}
