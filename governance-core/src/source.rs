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
    /// Points of the long lines with their column, so that a column far into a line is not
    /// counted from the line's start every time.
    checkpoints: OnceLock<Vec<Checkpoint>>,
}

/// A byte offset (on a character boundary) in a line longer than [`CHECKPOINT_BYTES`], and
/// how many characters of its line come before it.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    offset: usize,
    chars: usize,
}

/// How far apart the checkpoints of a long line are: a column costs at most this many bytes
/// of counting, however long the line (a minified JSON file is one line).
const CHECKPOINT_BYTES: usize = 4096;

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("len", &self.text.len())
            .finish_non_exhaustive()
    }
}

impl SourceFile {
    /// A source file named `name` (usually its path as the user gave or walked it).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            checkpoints: OnceLock::new(),
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

    /// Where the columns of a line start: its first byte, or past the byte order mark on the
    /// first line (for offsets past it).
    fn column_start(&self, line_start: usize, offset: usize) -> usize {
        if line_start == 0 {
            offset.min(self.bom_len())
        } else {
            line_start
        }
    }

    fn checkpoints(&self) -> &[Checkpoint] {
        self.checkpoints.get_or_init(|| {
            let starts = self.line_starts();
            let mut points = Vec::new();
            for (index, &start) in starts.iter().enumerate() {
                let end = starts.get(index + 1).copied().unwrap_or(self.text.len());
                if end.saturating_sub(start) <= CHECKPOINT_BYTES {
                    continue;
                }
                let from = self.column_start(start, end);
                let Some(line) = self.text.get(from..end) else {
                    continue;
                };
                let mut next = from + CHECKPOINT_BYTES;
                for (chars, (at, _)) in line.char_indices().enumerate() {
                    if from + at >= next {
                        points.push(Checkpoint {
                            offset: from + at,
                            chars,
                        });
                        next = from + at + CHECKPOINT_BYTES;
                    }
                }
            }
            points
        })
    }

    /// The line and column of byte `offset` (clamped to the text, snapped back to a character
    /// boundary). O(log lines), plus counting at most 4 KiB of a long line.
    #[must_use]
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let index = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let line_start = self.column_start(starts.get(index).copied().unwrap_or(0), offset);
        let (mut from, mut before) = (line_start, 0);
        if offset - line_start > CHECKPOINT_BYTES {
            let points = self.checkpoints();
            let after = points.partition_point(|p| p.offset <= offset);
            if let Some(point) = after.checked_sub(1).and_then(|i| points.get(i)) {
                // Checkpoints of earlier lines lie before this line's start.
                if point.offset >= line_start {
                    (from, before) = (point.offset, point.chars);
                }
            }
        }
        let column = before
            + self
                .text
                .get(from..offset)
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

impl SourceFile {
    /// The byte range of the snippet that miette shows for `start..start + len` with
    /// `before` and `after` context lines, and how many line ends come before its end: what
    /// `miette`'s own `str` implementation computes by scanning the text from its start,
    /// found here with the line table in O(log lines). `None` when the span starts past the
    /// end.
    fn context(
        &self,
        start: usize,
        len: usize,
        before: usize,
        after: usize,
    ) -> Option<(usize, usize, usize)> {
        let bytes = self.text.as_bytes();
        let starts = self.line_starts();
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
        // The last byte of the span (the byte before an empty one), as miette counts it; a
        // `\r\n` counts as one character there.
        let mut last = start.saturating_add(len).saturating_sub(1);
        if last > bytes.len() {
            return None;
        }
        if bytes.get(last) == Some(&b'\r') && bytes.get(last + 1) == Some(&b'\n') {
            last += 1;
        }
        let first = if before == 0 {
            start
        } else {
            starts
                .get(line_of(start).saturating_sub(before))
                .copied()
                .unwrap_or(0)
        };
        let end = if after == 0 {
            last + 1
        } else {
            // The line ends after the span's last byte: the first closes the span's line,
            // each further one a line of context.
            starts
                .get(line_of(last + 1).saturating_add(after).saturating_add(1))
                .copied()
                .unwrap_or(bytes.len())
        };
        let end = end.min(bytes.len());
        if first > end {
            return None;
        }
        let line_ends = starts.partition_point(|&s| s <= end).saturating_sub(1);
        Some((first, end, line_ends))
    }
}

impl miette::SourceCode for SourceFile {
    /// Reads the snippet through the line table, in O(log lines + the lines shown) wherever
    /// the span is in the file: miette's `str` implementation scans from the start of the text,
    /// which made rendering every finding of a large file quadratic. The snippets are the same
    /// as miette's.
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (first, end, line_ends) = self
            .context(
                span.offset(),
                span.len(),
                context_lines_before,
                context_lines_after,
            )
            .ok_or(miette::MietteError::OutOfBounds)?;
        let data = self
            .text
            .as_bytes()
            .get(first..end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        // miette counts columns in bytes; report ours (characters, byte order mark not
        // counted) so that the `file:line:column` header agrees with every other output.
        let at = self.position(first);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (first, end - first).into(),
            at.line.saturating_sub(1),
            at.column.saturating_sub(1),
            line_ends,
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

    /// Columns far into long lines (found through the checkpoints) are the characters counted
    /// from the line's start, with multi-byte characters, tabs, a byte order mark and line
    /// ends of every kind.
    #[test]
    fn columns_of_long_lines_are_counted_characters() {
        let mut text = String::from("\u{feff}");
        for i in 0..3000 {
            text.push_str(["é", "a", "\t", "日本", "b"][i % 5]);
        }
        text.push_str("\r\nshort\r");
        for i in 0..5000 {
            text.push_str(["x", "€", "y"][i % 3]);
        }
        text.push('\n');
        let file = SourceFile::new("t", text.as_str());
        let mut line = 1;
        let mut column = 1;
        let mut previous = None;
        for (offset, c) in text.char_indices() {
            if offset > 0 {
                assert_eq!(
                    file.position(offset),
                    Position { line, column },
                    "at {offset}"
                );
                // Inside a character: snapped back to its start.
                assert_eq!(
                    file.position(offset - 1).line,
                    previous.map_or(1, |(l, _)| l)
                );
            }
            previous = Some((line, column));
            match c {
                '\u{feff}' if offset == 0 => {}
                '\n' => (line, column) = (line + 1, 1),
                '\r' if !text.get(offset + 1..).is_some_and(|r| r.starts_with('\n')) => {
                    (line, column) = (line + 1, 1);
                }
                _ => column += 1,
            }
        }
        assert!(!file.checkpoints().is_empty());
    }

    /// The snippets read through the line table are miette's own, for every span (empty,
    /// inside a `\r\n`, one byte past the end) of every short text made of the characters
    /// that matter. (miette's own scan panics on a span that starts past the end; ours says
    /// `OutOfBounds`.)
    #[test]
    fn read_span_agrees_with_miettes_scan() {
        use miette::SourceCode;
        let pieces = ["a", "é", "\n", "\r", "\r\n", "\u{feff}"];
        let mut texts = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for text in &frontier {
                for piece in pieces {
                    next.push(format!("{text}{piece}"));
                }
            }
            texts.extend(next.iter().cloned());
            frontier = next;
        }
        let mut compared = 0;
        for text in &texts {
            let file = SourceFile::new("t", text.as_str());
            for start in 0..=text.len() {
                for len in 0..=text.len() + 1 - start {
                    let span = miette::SourceSpan::new(start.into(), len);
                    for before in 0..3 {
                        for after in 0..3 {
                            let theirs = text.as_str().read_span(&span, before, after);
                            let ours = file.read_span(&span, before, after);
                            match (theirs, ours) {
                                (Ok(theirs), Ok(ours)) => {
                                    let case = format!("{text:?} {start}+{len} {before}/{after}");
                                    assert_eq!(ours.data(), theirs.data(), "{case}");
                                    assert_eq!(ours.span(), theirs.span(), "{case}");
                                    assert_eq!(ours.line(), theirs.line(), "{case}");
                                    assert_eq!(ours.line_count(), theirs.line_count(), "{case}");
                                    assert_eq!(ours.name(), Some("t"));
                                    let at = file.position(ours.span().offset());
                                    assert_eq!(ours.column() + 1, at.column, "{case}");
                                    compared += 1;
                                }
                                (theirs, ours) => assert_eq!(
                                    theirs.is_ok(),
                                    ours.is_ok(),
                                    "{text:?} {start}+{len} {before}/{after}"
                                ),
                            }
                        }
                    }
                }
            }
        }
        assert!(compared > 100_000, "{compared}");
        let file = SourceFile::new("t", "ab\n");
        let past = miette::SourceSpan::new(9.into(), 2);
        assert!(file.read_span(&past, 1, 1).is_err());
        assert!(file
            .read_span(
                &miette::SourceSpan::new(usize::MAX.into(), usize::MAX),
                0,
                usize::MAX
            )
            .is_err());
    }
}
