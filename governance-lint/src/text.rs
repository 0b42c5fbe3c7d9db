//! Text for people: contract text made safe for a terminal or a CI log, and counted nouns.

/// Whether `c` is a bidirectional control (Unicode's `Bidi_Control`: U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069), which reorders the text around it on screen.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether a terminal or a log viewer acts on `c` instead of showing it: a C0 control
/// (U+0000–U+001F, with tab, line feed and carriage return), DEL, a C1 control
/// (U+0080–U+009F) or a bidirectional control.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Text from a contract or a policy that may span lines by design (a rule's help), made safe
/// for a terminal: every control character but line feed and tab, and every bidirectional
/// control, is shown escaped (`\u{1b}`, `\r`), so that the text cannot send escape sequences,
/// rewrite a line with `\r` or reorder what is shown.
pub fn printable(text: &str) -> String {
    escaped(text, |c| c != '\n' && c != '\t' && is_unsafe_char(c))
}

/// Text that must stay on one line, made safe for a terminal: a file name, a finding's
/// message, a waiver's reason. As [`printable`], and line feeds and tabs are escaped too, so
/// that a file or field name cannot start a line that looks like another finding.
pub fn printable_line(text: &str) -> String {
    escaped(text, is_unsafe_char)
}

fn escaped(text: &str, escape: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a line into words for wrapping, keeping each `code span` whole (a line never breaks
/// in the middle of `owner: team@company.com` or of a command to run) and never splitting at
/// hyphens (`governance-lint` stays one word).
pub fn code_aware_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            ' ' if !in_code => {
                // A word ends after its run of spaces.
                let mut end = at + 1;
                while let Some(&(next, ' ')) = chars.peek() {
                    end = next + 1;
                    chars.next();
                }
                if let Some(word) = line.get(start..end) {
                    words.push(textwrap::core::Word::from(word));
                }
                start = end;
            }
            _ => {}
        }
    }
    if let Some(rest) = line.get(start..).filter(|rest| !rest.is_empty()) {
        words.push(textwrap::core::Word::from(rest));
    }
    Box::new(words.into_iter())
}

/// `1 error`, `2 errors`.
pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// A list of domains for a sentence: `` `sales` ``, `` `sales`, `logistics` ``.
pub fn domain_list(domains: &[String]) -> String {
    domains
        .iter()
        .map(|d| format!("`{}`", printable_line(d)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which contracts a rule or a `raise` applies to, for a table cell: `every contract`,
/// `domain sales`, `domains sales, logistics`.
pub fn scope_cell(domains: &[String]) -> String {
    match domains {
        [] => "every contract".to_owned(),
        [one] => format!("domain {}", printable_line(one)),
        many => format!(
            "domains {}",
            many.iter()
                .map(|d| printable_line(d))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
