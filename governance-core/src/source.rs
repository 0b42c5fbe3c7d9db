//! Source files and positions.
//!
//! Everything downstream of loading speaks in byte [`Span`]s into a [`SourceFile`]; lines and
//! columns are computed only when a finding is reported or rendered.

use std::fmt;
use std::sync::OnceLock;

/// A half-open byte range `start..end` into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// A span from byte `start` (inclusive) to byte `end` (exclusive).
    ///
    /// ```
    /// # use governance_core::Span;
    /// let span = Span::new(4, 9);
    /// assert_eq!((span.start(), span.end(), span.len()), (4, 9, 5));
    /// ```
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start,
            end: end.max(start),
        }
    }

    pub(crate) const fn empty_const() -> Self {
        Self { start: 0, end: 0 }
    }

    /// An empty span at `offset`.
    #[must_use]
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// The first byte of the span.
    #[must_use]
    pub fn start(self) -> usize {
        self.start
    }

    /// The byte just past the span.
    #[must_use]
    pub fn end(self) -> usize {
        self.end
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// A 1-based line and column. Columns count Unicode characters (code points); a tab is one
/// column, a UTF-8 byte order mark is not counted, and `\r\n`, `\n` and a lone `\r` all end a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number, starting at 1, in characters.
    pub column: usize,
}

/// Where a span starts and ends in line/column terms. `end` is exclusive: it is the position of
/// the character just after the span (as in SARIF and LSP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The first character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A place in a named file: `orders.yaml:12:5` when shown.
///
/// ```
/// # use governance_core::SourceFile;
/// let file = SourceFile::new("orders.yaml", "a: 1\nowner: x\n");
/// assert_eq!(file.at(5).to_string(), "orders.yaml:2:1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceRef {
    /// The file's name.
    pub file: String,
    /// The line and column.
    pub position: Position,
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.position)
    }
}

/// A UTF-8 byte order mark: not content, and not a column.
const BOM: char = '\u{feff}';

/// A named text: a contract or policy file as read from disk (or given by an embedding tool).
///
/// ```
/// # use governance_core::SourceFile;
/// let file = SourceFile::new("orders.yaml", "a: 1\r\nowner: x\r\n");
/// let at = file.position(file.text().find("owner").unwrap_or(0));
/// assert_eq!((at.line, at.column), (2, 1));
/// ```
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: OnceLock<Vec<usize>>,
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("len", &self.text.len())
            .finish()
    }
}

impl SourceFile {
    /// A source file named `name` (usually its path as the user gave or walked it).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    /// The name given when the file was created.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The full text, including a byte order mark if the file had one.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many bytes of byte order mark the text starts with (0 or 3): the first line starts
    /// after it, and no column counts it.
    #[must_use]
    pub fn bom_len(&self) -> usize {
        if self.text.starts_with(BOM) {
            BOM.len_utf8()
        } else {
            0
        }
    }

    /// The empty span where the content starts: after a byte order mark.
    #[must_use]
    pub fn start(&self) -> Span {
        Span::empty(self.bom_len())
    }

    /// The text of `span`, or `""` if the span does not lie on character boundaries.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
            starts.push(0);
            let mut after_cr = None;
            for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes.get(at) == Some(&b'\n') && after_cr == Some(at) {
                    // The `\n` of a `\r\n`: the line already ended at the `\r`.
                    if let Some(last) = starts.last_mut() {
                        *last = at + 1;
                    }
                    continue;
                }
                starts.push(at + 1);
                after_cr = (bytes.get(at) == Some(&b'\r')).then_some(at + 1);
            }
            starts
        })
    }

    /// The line and column of byte `offset` (clamped to the text, snapped back to a character
    /// boundary).
    #[must_use]
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let index = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let mut line_start = starts.get(index).copied().unwrap_or(0);
        if line_start == 0 {
            line_start = offset.min(self.bom_len());
        }
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        Position {
            line: index + 1,
            column: column + 1,
        }
    }

    /// Where byte `offset` is, as a [`SourceRef`] (`name:line:column`).
    #[must_use]
    pub fn at(&self, offset: usize) -> SourceRef {
        SourceRef {
            file: self.name.clone(),
            position: self.position(offset),
        }
    }

    /// The start and end positions of `span`.
    #[must_use]
    pub fn location(&self, span: Span) -> Location {
        Location {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // miette counts columns in bytes; report ours (characters, byte order mark not
        // counted) so that the `file:line:column` header agrees with every other output.
        let at = self.position(inner.span().offset());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            at.line.saturating_sub(1),
            at.column.saturating_sub(1),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_handle_crlf_lone_cr_bom_and_multibyte() {
        let file = SourceFile::new("t", "\u{feff}a: é\r\nb: 1\rc:\t2\n");
        let text = file.text();
        let at = |needle: &str| file.position(text.find(needle).unwrap_or(usize::MAX));
        assert_eq!(at("a"), Position { line: 1, column: 1 });
        assert_eq!(at("é"), Position { line: 1, column: 4 });
        assert_eq!(at("b"), Position { line: 2, column: 1 });
        assert_eq!(at("c"), Position { line: 3, column: 1 });
        assert_eq!(at("2"), Position { line: 3, column: 4 });
    }

    #[test]
    fn offsets_inside_a_character_snap_back() {
        let file = SourceFile::new("t", "é");
        assert_eq!(file.position(1), Position { line: 1, column: 1 });
        assert_eq!(file.position(99), Position { line: 1, column: 2 });
    }
}
