//! Positions as the protocol counts them, and edits of an open document.
//!
//! The engine speaks in byte spans (and counts columns in Unicode code points); LSP positions
//! are a zero-based line and a count of **UTF-16 code units** into that line. A character
//! outside the Basic Multilingual Plane (`😀`) is one column for the engine and two units for
//! the protocol; `é` is two bytes and one unit. Every conversion goes through the byte offset,
//! on the document's own text, so it never guesses. Lines end at `\n`, `\r\n` or a lone `\r`,
//! as in the protocol and in the engine; a byte order mark, when the client sends one, is a
//! character of the first line like any other.

use lsp_types::{Position, Range};

/// Where each line of a text starts, in bytes.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            match byte {
                b'\n' => starts.push(at + 1),
                b'\r' if bytes.get(at + 1) == Some(&b'\n') => {
                    starts.push(at + 2);
                    at += 1;
                }
                b'\r' => starts.push(at + 1),
                _ => {}
            }
            at += 1;
        }
        Self {
            starts,
            len: text.len(),
        }
    }

    /// The bytes of line `line` without its line break (empty past the end).
    fn line<'t>(&self, text: &'t str, line: usize) -> (usize, &'t str) {
        let Some(&start) = self.starts.get(line) else {
            return (self.len, "");
        };
        let end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let content = text.get(start..end).unwrap_or("");
        let content = content
            .strip_suffix("\r\n")
            .or_else(|| content.strip_suffix('\n'))
            .or_else(|| content.strip_suffix('\r'))
            .unwrap_or(content);
        (start, content)
    }

    /// The protocol position of byte `offset` (clamped to the text, snapped back to a
    /// character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let (start, content) = self.line(text, line);
        // An offset inside a `\r\n` counts as the end of the line.
        let upto = (offset - start.min(offset)).min(content.len());
        let units: usize = content
            .get(..upto)
            .map_or(0, |prefix| prefix.chars().map(char::len_utf16).sum());
        Position::new(to_u32(line), to_u32(units))
    }

    /// The byte offset of a protocol position. A character past the end of its line means
    /// the line's end, a line past the last means the end of the text (as the protocol
    /// says), and a position inside a surrogate pair snaps back to the character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let (start, content) = self.line(text, line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, c) in content.char_indices() {
            if units + c.len_utf16() > wanted {
                return start + at;
            }
            units += c.len_utf16();
        }
        start + content.len()
    }

    /// The protocol range of a byte span.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// The byte offset of an engine position (1-based line, column in code points, the byte
    /// order mark not counted on the first line), as `RuleInfo::position` gives it.
    pub fn offset_of_engine(&self, text: &str, line: usize, column: usize) -> usize {
        let (start, content) = self.line(text, line.saturating_sub(1));
        let content_start = if start == 0 && content.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let skip = column.saturating_sub(1);
        content
            .get(content_start..)
            .and_then(|rest| rest.char_indices().nth(skip).map(|(at, _)| at))
            .map_or(start + content.len(), |at| start + content_start + at)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An open document: its text, the version the client gave, and its line index.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub version: i32,
    pub lines: LineIndex,
}

impl Document {
    pub fn new(text: String, version: i32) -> Self {
        let lines = LineIndex::new(&text);
        Self {
            text,
            version,
            lines,
        }
    }

    /// Applies one change: a range replaced by text, or (without a range) the whole text.
    pub fn apply(&mut self, range: Option<Range>, new_text: &str) {
        match range {
            None => self.text = new_text.to_owned(),
            Some(range) => {
                let start = self.lines.offset(&self.text, range.start);
                let end = self.lines.offset(&self.text, range.end).max(start);
                self.text.replace_range(start..end, new_text);
            }
        }
        self.lines = LineIndex::new(&self.text);
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        self.lines.range(&self.text, start, end)
    }

    pub fn offset(&self, position: Position) -> usize {
        self.lines.offset(&self.text, position)
    }
}

/// The word at byte `offset`: letters, digits, `_`, `-` and `.` (rule ids, dotted canonical
/// names), with its byte span.
pub fn word_at(text: &str, offset: usize) -> Option<(usize, usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(at, _)| at);
    let after = text.get(offset..)?;
    let end = offset
        + after
            .char_indices()
            .find(|(_, c)| !is_word(*c))
            .map_or(after.len(), |(at, _)| at);
    let word = text.get(start..end)?.trim_matches('.');
    if word.is_empty() {
        return None;
    }
    let start = start + text.get(start..end)?.find(word)?;
    Some((start, start + word.len(), word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn columns_count_utf16_units() {
        // `é` is 2 bytes and 1 unit; `😀` is 4 bytes and 2 units; `中` is 3 bytes, 1 unit.
        let text = "a: é😀中x\nb: y\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), pos(0, 7));
        assert_eq!(index.offset(text, pos(0, 7)), x);
        let b = text.find('b').unwrap();
        assert_eq!(index.position(text, b), pos(1, 0));
        // Inside the surrogate pair: snaps back to the emoji.
        let emoji = text.find('😀').unwrap();
        assert_eq!(index.offset(text, pos(0, 5)), emoji);
        assert_eq!(index.offset(text, pos(0, 4)), emoji);
        // Past the line's end: the end of the line; past the last line: the end.
        assert_eq!(index.offset(text, pos(0, 99)), text.find('\n').unwrap());
        assert_eq!(index.offset(text, pos(9, 0)), text.len());
    }

    #[test]
    fn every_line_ending() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, text.find('b').unwrap()), pos(1, 0));
        assert_eq!(index.position(text, text.find('c').unwrap()), pos(2, 0));
        assert_eq!(index.position(text, text.find('d').unwrap()), pos(3, 0));
        // The `\n` of a `\r\n` is the end of the first line.
        assert_eq!(index.position(text, 2), pos(0, 1));
    }

    #[test]
    fn round_trips_on_every_boundary() {
        let text = "\u{feff}k: ü\r\n  - 𝄞 é\rlast 😀";
        let index = LineIndex::new(text);
        for (at, _) in text.char_indices() {
            let p = index.position(text, at);
            let back = index.offset(text, p);
            let is_break = matches!(text.as_bytes().get(at), Some(b'\r' | b'\n'));
            if !is_break {
                assert_eq!(back, at, "offset {at} → {p:?}");
            }
        }
    }

    #[test]
    fn engine_positions_skip_the_bom() {
        let text = "\u{feff}rule a { }\nrule bé { }";
        let index = LineIndex::new(text);
        assert_eq!(index.offset_of_engine(text, 1, 6), text.find('a').unwrap());
        assert_eq!(index.offset_of_engine(text, 2, 6), text.find("bé").unwrap());
    }

    #[test]
    fn edits_apply_in_utf16() {
        let mut doc = Document::new("owner: 😀 x\n".to_owned(), 1);
        // Replace `x` (after the emoji: character 10) with `y@z`.
        doc.apply(Some(Range::new(pos(0, 10), pos(0, 11))), "y@z");
        assert_eq!(doc.text, "owner: 😀 y@z\n");
        doc.apply(None, "all new");
        assert_eq!(doc.text, "all new");
    }

    #[test]
    fn words() {
        let text = "raise pii-encrypted to error; sla.availability must";
        let at = text.find("encrypted").unwrap();
        assert_eq!(word_at(text, at).map(|w| w.2), Some("pii-encrypted"));
        let at = text.find("avail").unwrap();
        assert_eq!(word_at(text, at).map(|w| w.2), Some("sla.availability"));
        assert_eq!(word_at(text, text.find(';').unwrap() + 1), None);
    }
}
