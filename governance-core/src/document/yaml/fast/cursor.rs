//! A position in the text, with the character classes and skips of YAML's lexical layer:
//! blanks, comments, line breaks (`\n`, `\r\n` and a lone `\r`, as saphyr counts them).
//!
//! Every byte the fast reader looks at is ASCII; the bytes of a multi-byte character (all
//! 0x80 or above) are never mistaken for one, so they pass through scalars and comments
//! untouched and every offset stays on a character boundary.

/// The bytes of the text and where the reader is.
pub(super) struct Cursor<'a> {
    pub(super) text: &'a str,
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
    /// Where the line holding `pos` starts (after the byte order mark on the first line, which
    /// saphyr does not count as a column).
    pub(super) line_start: usize,
}

/// Space or tab.
pub(super) fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// `\n` or `\r`.
pub(super) fn is_break(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// The flow indicators `,[]{}`, which end a plain scalar inside `[...]` and `{...}`.
pub(super) fn is_flow(byte: u8) -> bool {
    matches!(byte, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'a> Cursor<'a> {
    pub(super) fn new(text: &'a str, start: usize) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: start,
            line_start: start,
        }
    }

    /// The byte at `pos`, `None` at the end of the text.
    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The byte `n` after `pos`.
    pub(super) fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    /// Whether `pos` is at a line break or at the end of the text.
    pub(super) fn at_breakz(&self) -> bool {
        self.peek().is_none_or(is_break)
    }

    /// Whether the byte `n` after `pos` is a blank, a break or the end of the text: what must
    /// follow `-`, `:` and `---` for them to be indicators.
    pub(super) fn blank_or_breakz_at(&self, n: usize) -> bool {
        self.peek_at(n).is_none_or(|b| is_blank(b) || is_break(b))
    }

    /// The column of `pos`. Only asked where the line holds ASCII before `pos` (indentation,
    /// `- `), so bytes and saphyr's characters agree.
    pub(super) fn column(&self) -> usize {
        self.pos - self.line_start
    }

    /// Skips spaces and tabs; returns how many.
    pub(super) fn skip_blanks(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Skips a comment's text up to (not over) the line break.
    pub(super) fn skip_comment(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        self.pos += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
    }

    /// saphyr's `skip_ws_to_eol` after a closing quote or bracket: blanks, then a comment if
    /// blanks came before it. `None` for a `#` right after the token (saphyr rejects it).
    pub(super) fn skip_ws_to_eol(&mut self) -> Option<()> {
        let blanks = self.skip_blanks();
        if self.peek() == Some(b'#') {
            if blanks == 0 {
                return None;
            }
            self.skip_comment();
        }
        Some(())
    }

    /// Steps over the line break at `pos` (`\r\n` counts as one), to the start of the next
    /// line. Does nothing at the end of the text.
    pub(super) fn skip_break(&mut self) {
        match self.peek() {
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            Some(b'\n') => self.pos += 1,
            _ => return,
        }
        self.line_start = self.pos;
    }
}
