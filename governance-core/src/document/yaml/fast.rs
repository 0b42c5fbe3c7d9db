//! The fast YAML reader: the block and flow forms data contracts are written in, read straight
//! from the bytes, with every scalar lent from the source instead of copied.
//!
//! saphyr's scanner builds a `String` for every scalar and counts positions in characters;
//! most contracts use a small part of YAML, and this reader handles exactly that part:
//!
//! - block mappings and sequences (`key: value`, `- item`, `- key: value` items, a sequence
//!   at its key's indentation), nested by indentation with spaces;
//! - plain, single-quoted and double-quoted scalars that end on their line (with `''` and
//!   backslash escapes), resolved with the YAML 1.2 core schema like saphyr's;
//! - flow sequences and mappings on one line (`[a, b]`, `{k: v}`, `{"k":1}`), nested;
//! - comments, empty values, `---` between documents, a byte order mark, `\r\n` and `\r`
//!   line ends, tabs in blank lines, comments and quoted text.
//!
//! It describes the document to the same [`Builder`] as saphyr's events do, with the spans
//! saphyr would report, so the tree (nodes, spans, duplicate keys, limits) is the same.
//! **Everything else makes it give up** and return `None`, and saphyr reads the file from the
//! start: block scalars (`|`, `>`), scalars over several lines, anchors, aliases, merge keys,
//! tags, `?` keys, directives, `...`, tabs in indentation, a key 1,000 bytes long, any limit
//! reached, and anything that is not valid YAML. Errors are therefore always saphyr's own,
//! at saphyr's position, and giving up costs only the time spent so far.

mod cursor;
mod scalar;

use std::sync::Arc;

use super::super::{resolve_plain, Document, Limits, NodeKind, Text};
use super::builder::Builder;
use crate::source::{SourceFile, Span};
use cursor::Cursor;
use scalar::{Context, Scalar};

/// Deepest nesting this reader follows (its recursion is bounded; saphyr takes deeper files).
const MAX_DEPTH: usize = 64;

/// Longest key, from its first byte to its `:`: saphyr stops waiting for the `:` of a key
/// 1,024 characters after its start, and a character is at least a byte.
const MAX_KEY: usize = 1000;

/// What the next line that is not blank or a comment holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Content starting at this column; the cursor is on its first character.
    Content(usize),
    /// `---` at column 0: the start of the next document; the cursor is on its first dash.
    DocumentStart,
    /// The end of the text.
    End,
}

/// Reads every document of `source`, or `None` to let saphyr read the file.
pub(super) fn load(source: &Arc<SourceFile>, limits: Limits) -> Option<Vec<Document>> {
    let text = source.text();
    let start = source.bom_len();
    let bytes = text.as_bytes();
    // NUL ends saphyr's input ("found unprintable character"), and a byte order mark past the
    // start is an error or sits between documents: both for saphyr.
    if memchr::memchr(0, bytes).is_some()
        || memchr::memmem::find(bytes.get(start..)?, "\u{feff}".as_bytes()).is_some()
    {
        return None;
    }
    Reader {
        cursor: Cursor::new(text, start),
        source,
        limits,
        builder: Builder::new(source.clone(), limits),
        line: Line::End,
        depth: 0,
    }
    .stream()
}

struct Reader<'a> {
    cursor: Cursor<'a>,
    source: &'a Arc<SourceFile>,
    limits: Limits,
    /// The current document's.
    builder: Builder,
    /// The line the cursor is on, once [`Reader::next_line`] found it.
    line: Line,
    /// Collections open.
    depth: usize,
}

impl Reader<'_> {
    fn stream(mut self) -> Option<Vec<Document>> {
        let mut documents = Vec::new();
        self.next_line()?;
        if self.line == Line::End {
            return Some(documents);
        }
        loop {
            if documents.len() >= self.limits.max_documents {
                return None;
            }
            let explicit = self.line == Line::DocumentStart;
            if explicit {
                // `---`, then nothing but a comment on its line.
                self.cursor.pos += 3;
                self.cursor.skip_ws_to_eol()?;
                self.end_line()?;
            }
            match self.line {
                Line::Content(column) => self.block_node(column)?,
                // An empty document: saphyr's empty scalar sits on the next `---`, or at the
                // end of the text.
                Line::DocumentStart if explicit => {
                    let at = self.cursor.pos;
                    self.null(Span::new(at, at + 3))?;
                }
                Line::End if explicit => self.null(Span::empty(self.cursor.bytes.len()))?,
                Line::DocumentStart | Line::End => return None,
            }
            // After the root node: only the next document or the end.
            if let Line::Content(_) = self.line {
                return None;
            }
            if self.line == Line::End {
                documents.push(self.builder.finish()?);
                return Some(documents);
            }
            let next = Builder::new(self.source.clone(), self.limits);
            documents.push(std::mem::replace(&mut self.builder, next).finish()?);
        }
    }

    /// From the start of a line, skips blank and comment-only lines, and says what the next
    /// line holds.
    fn next_line(&mut self) -> Option<()> {
        let cursor = &mut self.cursor;
        loop {
            cursor.line_start = cursor.pos;
            let mut tab = false;
            while let Some(byte @ (b' ' | b'\t')) = cursor.peek() {
                tab |= byte == b'\t';
                cursor.pos += 1;
            }
            match cursor.peek() {
                None => {
                    self.line = Line::End;
                    return Some(());
                }
                Some(b'\r' | b'\n') => cursor.skip_break(),
                Some(b'#') => {
                    cursor.skip_comment();
                    cursor.skip_break();
                }
                Some(byte) => {
                    // A tab in the indentation of content: saphyr's rules depend on the
                    // block around it.
                    if tab {
                        return None;
                    }
                    let column = cursor.column();
                    let rest = cursor.bytes.get(cursor.pos..).unwrap_or(&[]);
                    if column == 0 && cursor.blank_or_breakz_at(3) {
                        if rest.starts_with(b"---") {
                            self.line = Line::DocumentStart;
                            return Some(());
                        }
                        if rest.starts_with(b"...") {
                            return None;
                        }
                    }
                    if column == 0 && byte == b'%' {
                        return None;
                    }
                    self.line = Line::Content(column);
                    return Some(());
                }
            }
        }
    }

    /// At a line break (or the end): steps to the next line with content.
    fn end_line(&mut self) -> Option<()> {
        if !self.cursor.at_breakz() {
            return None;
        }
        self.cursor.skip_break();
        self.next_line()
    }

    /// After a node's text: the rest of the line must be blanks and a comment.
    fn finish_line(&mut self) -> Option<()> {
        if self.cursor.skip_blanks() > 0 && self.cursor.peek() == Some(b'#') {
            self.cursor.skip_comment();
        }
        self.end_line()
    }

    /// `- ` (or a `-` ending its line) at the cursor: a sequence entry.
    fn at_entry(&self) -> bool {
        self.cursor.peek() == Some(b'-') && self.cursor.blank_or_breakz_at(1)
    }

    /// After a key: blanks, then `:` followed by a blank or the end of the line. Leaves the
    /// cursor after the `:` (or where it was, if there is none).
    fn value_indicator(&mut self) -> bool {
        let before = self.cursor.pos;
        self.cursor.skip_blanks();
        if self.cursor.peek() == Some(b':') && self.cursor.blank_or_breakz_at(1) {
            self.cursor.pos += 1;
            true
        } else {
            self.cursor.pos = before;
            false
        }
    }

    /// The node at the cursor, the first content of its line, at `column`.
    fn block_node(&mut self, column: usize) -> Option<()> {
        if self.at_entry() {
            return self.block_seq(column, false);
        }
        self.line_node(column)
    }

    /// A node that starts here and is not a block sequence: a mapping whose first key is here
    /// (at `column`), or a scalar or flow collection that ends the line.
    fn line_node(&mut self, column: usize) -> Option<()> {
        if matches!(self.cursor.peek(), Some(b'[' | b'{')) {
            // A flow collection; one used as a key (`[a]: b`) stops at `finish_line`.
            self.flow_node(0)?;
            return self.finish_line();
        }
        let scalar = self.cursor.scalar(Context::Block)?;
        if self.value_indicator() {
            return self.block_map(column, scalar);
        }
        self.value(scalar)?;
        self.finish_line()
    }

    /// A block mapping at `column`, whose first key has been read (the cursor is after its
    /// `:`).
    fn block_map(&mut self, column: usize, first: Scalar) -> Option<()> {
        self.open()?;
        // saphyr's mapping starts, empty, where its first key does.
        self.builder
            .open_map(Span::empty(first.span.start()), 0)
            .ok()?;
        let mut key = first;
        loop {
            let colon = self.cursor.pos - 1;
            self.key(key, colon)?;
            self.map_value(column, colon)?;
            match self.line {
                Line::Content(next) if next == column => {
                    // Another key; a `- ` here would be an error, `[a]: b` a complex key.
                    if self.at_entry() {
                        return None;
                    }
                    key = self.cursor.scalar(Context::Block)?;
                    if !self.value_indicator() {
                        return None;
                    }
                }
                // More indented: a scalar going on to the next line, or an error.
                Line::Content(next) if next > column => return None,
                _ => break,
            }
        }
        self.close(Span::empty(self.cursor.pos));
        Some(())
    }

    /// The value after the `:` at `colon` of a key of the mapping at `column`: on the same
    /// line, on the lines below (more indented, or a sequence at the key's own indentation),
    /// or empty.
    fn map_value(&mut self, column: usize, colon: usize) -> Option<()> {
        // saphyr checks what follows a tab after `:`.
        if self.cursor.peek() == Some(b'\t') {
            return None;
        }
        if self.cursor.skip_blanks() > 0 && self.cursor.peek() == Some(b'#') {
            self.cursor.skip_comment();
        }
        if self.cursor.at_breakz() {
            self.end_line()?;
            return match self.line {
                Line::Content(next) if next > column => self.block_node(next),
                Line::Content(next) if next == column && self.at_entry() => {
                    self.block_seq(column, true)
                }
                // saphyr's empty scalar sits on the `:`.
                _ => self.null(Span::empty(colon)),
            };
        }
        // `key: - a` is an error; `key: a: b` stops at `finish_line`.
        if self.at_entry() {
            return None;
        }
        if matches!(self.cursor.peek(), Some(b'[' | b'{')) {
            self.flow_node(0)?;
        } else {
            let scalar = self.cursor.scalar(Context::Block)?;
            self.value(scalar)?;
        }
        self.finish_line()
    }

    /// A block sequence at `column`; the cursor is on the first `-`. `indentless`: the value
    /// of a key at the same indentation (`key:` then `- a` below it), which ends at the next
    /// key.
    fn block_seq(&mut self, column: usize, indentless: bool) -> Option<()> {
        self.open()?;
        let mut first = true;
        loop {
            let dash = self.cursor.pos;
            self.cursor.pos += 1;
            while self.cursor.peek() == Some(b' ') {
                self.cursor.pos += 1;
            }
            // A tab after `-`: saphyr's rules depend on what follows.
            if self.cursor.peek() == Some(b'\t') {
                return None;
            }
            if self.cursor.peek() == Some(b'#') {
                self.cursor.skip_comment();
            }
            // saphyr's entry token sits after the blanks and comment.
            let entry = self.cursor.pos;
            if first {
                // An indentless sequence starts at its first entry's token, others at the `-`.
                let start = if indentless { entry } else { dash };
                self.builder.open_seq(Span::empty(start), 0).ok()?;
                first = false;
            }
            if self.cursor.at_breakz() {
                self.end_line()?;
                match self.line {
                    Line::Content(next) if next > column => self.block_node(next)?,
                    _ => self.null(Span::empty(entry))?,
                }
            } else {
                // `- - a`: left to saphyr.
                if self.at_entry() {
                    return None;
                }
                let at = self.cursor.column();
                self.line_node(at)?;
            }
            match self.line {
                Line::Content(next) if next == column && self.at_entry() => {}
                // The parent mapping's next key.
                Line::Content(next) if next == column && indentless => break,
                Line::Content(next) if next >= column => return None,
                _ => break,
            }
        }
        self.close(Span::empty(self.cursor.pos));
        Some(())
    }

    /// A flow node inside a flow collection (or one starting at `nesting` 0): `[...]`, `{...}`
    /// or a scalar, all on this line.
    fn flow_node(&mut self, nesting: usize) -> Option<()> {
        match self.cursor.peek()? {
            b'[' => self.flow_seq(nesting),
            b'{' => self.flow_map(nesting),
            _ => {
                let scalar = self.cursor.scalar(Context::Flow)?;
                self.value(scalar)
            }
        }
    }

    /// `[a, b]`, ending on this line.
    fn flow_seq(&mut self, nesting: usize) -> Option<()> {
        self.open()?;
        let start = self.flow_open()?;
        self.builder.open_seq(start, 0).ok()?;
        let mut first = true;
        loop {
            if self.cursor.peek() == Some(b']') {
                break;
            }
            if !first {
                if self.cursor.peek() != Some(b',') {
                    return None;
                }
                self.cursor.pos += 1;
                self.flow_blanks()?;
                // A trailing comma.
                if self.cursor.peek() == Some(b']') {
                    break;
                }
            }
            self.flow_node(nesting + 1)?;
            self.flow_blanks()?;
            // `[a: b]`: a mapping inside a sequence, left to saphyr.
            if self.cursor.peek() == Some(b':') {
                return None;
            }
            first = false;
        }
        self.flow_close(nesting, None)
    }

    /// `{a: 1, "b": 2}`, ending on this line, every key with a value.
    fn flow_map(&mut self, nesting: usize) -> Option<()> {
        self.open()?;
        let start = self.flow_open()?;
        self.builder.open_map(start, 0).ok()?;
        let mut first = true;
        let mut trailing = None;
        loop {
            if self.cursor.peek() == Some(b'}') {
                break;
            }
            if !first {
                if self.cursor.peek() != Some(b',') {
                    return None;
                }
                let comma = self.cursor.pos;
                self.cursor.pos += 1;
                self.flow_blanks()?;
                if self.cursor.peek() == Some(b'}') {
                    // A trailing comma: saphyr's end event then carries the comma's token
                    // (the `,` and the blanks after it), not the `}`'s.
                    trailing = Some(Span::new(comma, self.cursor.pos));
                    break;
                }
            }
            let key = self.cursor.scalar(Context::Flow)?;
            if key.plain {
                self.cursor.skip_blanks();
            }
            if self.cursor.peek() != Some(b':') {
                return None;
            }
            // `: ` after any key; after a quoted key also `:` right before the value, as in
            // JSON (`{"a":1}`). Not `:` before a tab, and not an empty value.
            match self.cursor.peek_at(1) {
                Some(b' ') => {}
                Some(b'\t' | b'\r' | b'\n' | b',' | b']' | b'}') | None => return None,
                Some(_) if key.plain => return None,
                Some(_) => {}
            }
            let colon = self.cursor.pos;
            self.cursor.pos += 1;
            self.key(key, colon)?;
            self.flow_blanks()?;
            if matches!(self.cursor.peek(), Some(b',' | b'}')) {
                return None;
            }
            self.flow_node(nesting + 1)?;
            self.flow_blanks()?;
            first = false;
        }
        self.flow_close(nesting, trailing)
    }

    /// Steps over `[` or `{` and the blanks after it: saphyr's token for it, which must not
    /// end the line (a flow collection over several lines is left to saphyr).
    fn flow_open(&mut self) -> Option<Span> {
        let start = self.cursor.pos;
        self.cursor.pos += 1;
        self.flow_blanks()?;
        Some(Span::new(start, self.cursor.pos))
    }

    /// Blanks inside a flow collection, which must go on on this line: a comment or the end of
    /// the line here means it goes on below.
    fn flow_blanks(&mut self) -> Option<()> {
        self.cursor.skip_blanks();
        match self.cursor.peek() {
            None | Some(b'#' | b'\r' | b'\n') => None,
            Some(_) => Some(()),
        }
    }

    /// Steps over `]` or `}` and closes the collection. saphyr's token for it runs over the
    /// blanks after it, and for the outermost one over a comment too; `end` replaces that
    /// token as the end event's span.
    fn flow_close(&mut self, nesting: usize, end: Option<Span>) -> Option<()> {
        let start = self.cursor.pos;
        self.cursor.pos += 1;
        if nesting == 0 {
            self.cursor.skip_ws_to_eol()?;
        } else {
            self.cursor.skip_blanks();
            if self.cursor.peek() == Some(b'#') {
                return None;
            }
        }
        self.close(end.unwrap_or(Span::new(start, self.cursor.pos)));
        Some(())
    }

    fn open(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn close(&mut self, end: Span) {
        self.depth -= 1;
        self.builder.close(end);
    }

    /// A key whose `:` is at `colon`. A plain `<<` (a merge key) and a very long key are left
    /// to saphyr.
    fn key(&mut self, key: Scalar, colon: usize) -> Option<()> {
        if colon - key.span.start() > MAX_KEY
            || (key.plain && self.cursor.slice(key.span.start(), key.span.end())? == "<<")
        {
            return None;
        }
        self.builder.scalar(key.text, None, key.span).ok()
    }

    /// A scalar value (or sequence item, or root).
    fn value(&mut self, scalar: Scalar) -> Option<()> {
        let kind = if scalar.plain {
            resolve_plain(self.cursor.slice(scalar.span.start(), scalar.span.end())?)
        } else {
            None
        };
        self.builder.scalar(scalar.text, kind, scalar.span).ok()
    }

    /// An empty value, which YAML reads as null.
    fn null(&mut self, span: Span) -> Option<()> {
        self.builder
            .scalar(
                Text::Source(Span::empty(span.start())),
                Some(NodeKind::Null),
                span,
            )
            .ok()
    }
}
