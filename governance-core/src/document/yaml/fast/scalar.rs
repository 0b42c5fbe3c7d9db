//! Scalars on one line: plain, single-quoted and double-quoted, with the spans saphyr gives
//! them. Anything else (a scalar that goes on to the next line, an unknown escape, a quote left
//! open) returns `None`, and the file goes to saphyr.

use super::cursor::{is_blank, is_break, is_flow, Cursor};
use crate::document::Text;
use crate::source::Span;

/// Whether `byte` may end a word of a plain scalar: a blank, a break or `:`, and inside
/// `[...]` and `{...}` the flow indicators `,[]{}` too.
fn may_end_word(byte: u8, flow: bool) -> bool {
    match byte {
        b' ' | b'\t' | b'\n' | b'\r' | b':' => true,
        b',' | b'[' | b']' | b'{' | b'}' => flow,
        _ => false,
    }
}

/// A scalar as read: where saphyr's token for it is, and its text.
pub(super) struct Scalar {
    /// saphyr's token span. For a quoted scalar it runs past the closing quote over the blanks
    /// and comment that follow on the line, as saphyr's does.
    pub(super) span: Span,
    /// The text: a slice of the source, or the decoded text when it had escapes.
    pub(super) text: Text,
    /// Plain scalars resolve with the core schema (`true`, `12`, `~`...); quoted ones are strings.
    pub(super) plain: bool,
}

/// Where a scalar sits, which changes what ends a plain one: inside `[...]` and `{...}` the
/// flow indicators `,[]{}` do too.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    Block,
    Flow,
}

impl Cursor<'_> {
    /// The scalar at `pos`, which must start a node (after indentation, `- `, `key: ` or a flow
    /// indicator). `None` for what the fast reader leaves to saphyr: node properties (`&`,
    /// `!`), aliases, block scalars, `?` and `:` at the start, and the characters saphyr
    /// rejects there.
    pub(super) fn scalar(&mut self, context: Context) -> Option<Scalar> {
        match self.peek()? {
            b'\'' => self.quoted(b'\'', context),
            b'"' => self.quoted(b'"', context),
            b'-' => {
                // `- ` is a sequence entry (not allowed here), and inside flow `-` before a
                // flow indicator is an error.
                let next = self.peek_at(1);
                if self.blank_or_breakz_at(1) || next.is_some_and(is_flow) {
                    return None;
                }
                self.plain(context)
            }
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'%' | b'@' | b'`' | b' ' | b'\t' | b'\r' | b'\n' => None,
            _ => self.plain(context),
        }
    }

    /// A plain scalar that ends on its line: words separated by blanks, up to a comment, the
    /// end of the line, `: ` (a key), and inside flow a flow indicator. Its span covers the
    /// words only; `pos` ends just after the last word.
    fn plain(&mut self, context: Context) -> Option<Scalar> {
        let start = self.pos;
        let flow = context == Context::Flow;
        let mut end;
        loop {
            // A word: up to a blank, a break, `:` and (in flow) a flow indicator; a `:` not
            // followed by a blank, a break or (in flow) an indicator is part of the word.
            while let Some(byte) = self.peek() {
                if may_end_word(byte, flow) {
                    if byte != b':' {
                        break;
                    }
                    let next = self.peek_at(1);
                    if next.is_none_or(|b| is_blank(b) || is_break(b) || (flow && is_flow(b))) {
                        break;
                    }
                }
                self.pos += 1;
            }
            end = self.pos;
            if self.skip_blanks() == 0 {
                break;
            }
            // After blanks: a comment, the end of the line, `: `, or (in flow) an indicator
            // end the scalar; anything else is its next word.
            match self.peek() {
                None | Some(b'#' | b'\r' | b'\n') => break,
                Some(b':') if self.blank_or_breakz_at(1) => break,
                Some(b':') if flow && self.peek_at(1).is_some_and(is_flow) => break,
                Some(byte) if flow && is_flow(byte) => break,
                // saphyr: "plain scalar cannot start with '-' followed by ,[]{}".
                Some(b'-') if flow && self.peek_at(1).is_some_and(is_flow) => return None,
                Some(_) => {}
            }
        }
        self.pos = end;
        if end == start {
            return None;
        }
        Some(Scalar {
            span: Span::new(start, end),
            text: Text::Source(Span::new(start, end)),
            plain: true,
        })
    }

    /// A quoted scalar closed on its line. `pos` ends after the blanks and comment that follow
    /// the closing quote, where saphyr's token ends.
    fn quoted(&mut self, quote: u8, context: Context) -> Option<Scalar> {
        let start = self.pos;
        self.pos += 1;
        let content = self.pos;
        // Only allocated for escapes (`''`, `\n`, `\u00e9`...): most quoted scalars are a
        // slice of the source.
        let mut decoded: Option<String> = None;
        let mut copied = content;
        loop {
            let byte = self.peek()?;
            if is_break(byte) {
                return None;
            }
            if byte == quote {
                if quote == b'\'' && self.peek_at(1) == Some(b'\'') {
                    let out = decoded.get_or_insert_with(String::new);
                    out.push_str(self.slice(copied, self.pos)?);
                    out.push('\'');
                    self.pos += 2;
                    copied = self.pos;
                    continue;
                }
                break;
            }
            if quote == b'"' && byte == b'\\' {
                let out = decoded.get_or_insert_with(String::new);
                out.push_str(self.slice(copied, self.pos)?);
                let (ch, length) = self.escape()?;
                out.push(ch);
                self.pos += length;
                copied = self.pos;
                continue;
            }
            self.pos += 1;
        }
        let content_end = self.pos;
        self.pos += 1;
        self.skip_ws_to_eol()?;
        // saphyr: "invalid trailing content after double-quoted scalar".
        match self.peek() {
            None | Some(b'\r' | b'\n' | b':') => {}
            Some(b',' | b']' | b'}') if context == Context::Flow => {}
            Some(_) => return None,
        }
        let text = match decoded {
            Some(mut out) => {
                out.push_str(self.slice(copied, content_end)?);
                Text::Owned(out)
            }
            None => Text::Source(Span::new(content, content_end)),
        };
        Some(Scalar {
            span: Span::new(start, self.pos),
            text,
            plain: false,
        })
    }

    /// The escape sequence at `pos` (a `\`): the character and how many bytes it takes. `None`
    /// for an escaped line break (the scalar goes on) and for what saphyr rejects.
    fn escape(&self) -> Option<(char, usize)> {
        let simple = match self.peek_at(1)? {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' | b'\t' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' => return self.hex_escape(2),
            b'u' => return self.hex_escape(4),
            b'U' => return self.hex_escape(8),
            _ => return None,
        };
        Some((simple, 2))
    }

    /// `\x41`, `\u00e9`, `\U0001F4E6`: `digits` hexadecimal digits naming a character.
    fn hex_escape(&self, digits: usize) -> Option<(char, usize)> {
        let hex = self.bytes.get(self.pos + 2..self.pos + 2 + digits)?;
        let mut value: u32 = 0;
        for &byte in hex {
            let digit = char::from(byte).to_digit(16)?;
            value = (value << 4) | digit;
        }
        Some((char::from_u32(value)?, 2 + digits))
    }

    /// The source text between two offsets.
    pub(super) fn slice(&self, start: usize, end: usize) -> Option<&str> {
        self.text.get(start..end)
    }
}
