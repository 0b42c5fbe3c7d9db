//! Problems that stop a run before anything is linted (exit code 2): invalid policies, a bad
//! `governance.toml`, a bad glob, a `--changed-since` that git cannot answer.
//!
//! Each keeps its miette diagnostic, rendered with the offending source on stderr for people,
//! and a flat copy (code, message, help, file and position) that the machine formats put in
//! their document, so that a JSON, SARIF or JUnit consumer gets a valid file that says why.

use std::fmt;

use governance_core::Position;
use miette::{Diagnostic, GraphicalReportHandler, SourceCode, SourceSpan};

/// Where a problem is, when it is in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemLocation {
    /// The file as named in messages.
    pub file: String,
    /// The first character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}

/// One problem that stops the run.
pub struct Problem {
    diagnostic: Box<dyn Diagnostic + Send + Sync>,
    /// A stable code: `policy::syntax`, `config::unknown_key`, `usage::changed_since`...
    pub code: String,
    /// What is wrong, one line.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// Where, when it is in a file.
    pub location: Option<ProblemLocation>,
}

impl fmt::Debug for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Problem")
            .field("code", &self.code)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl Problem {
    /// A problem from any miette diagnostic (its first label gives the location).
    pub fn new(diagnostic: impl Diagnostic + Send + Sync + 'static) -> Self {
        let code = diagnostic
            .code()
            .map_or_else(|| "error".to_owned(), |c| c.to_string());
        let message = diagnostic.to_string();
        let help = diagnostic.help().map(|h| h.to_string());
        let location = diagnostic.source_code().and_then(|source| {
            let label = diagnostic.labels()?.next()?;
            locate(source, label.offset(), label.offset() + label.len())
        });
        Self {
            diagnostic: Box::new(diagnostic),
            code,
            message,
            help,
            location,
        }
    }

    /// A problem with no file behind it (`usage::bad_glob`...).
    pub fn plain(code: &'static str, message: impl Into<String>, help: Option<String>) -> Self {
        Self::new(Plain {
            code,
            message: message.into(),
            help,
        })
    }

    /// Appends the miette rendering (source snippet, underline, help) to `out`.
    pub fn render(&self, handler: &GraphicalReportHandler, out: &mut String) {
        if handler.render_report(out, &*self.diagnostic).is_err() {
            out.push_str(&format!("error: {}\n", self.message));
        }
    }
}

/// A diagnostic made of text only.
#[derive(Debug)]
struct Plain {
    code: &'static str,
    message: String,
    help: Option<String>,
}

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Plain {}

impl Diagnostic for Plain {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

/// The file name and positions of `start..end` in `source`, through miette's `SourceCode`
/// (the diagnostic does not say what concrete type its source is).
fn locate(source: &dyn SourceCode, start: usize, end: usize) -> Option<ProblemLocation> {
    let (file, start) = position(source, start)?;
    let end = position(source, end).map_or(start, |(_, end)| end);
    Some(ProblemLocation {
        file: file?,
        start,
        end,
    })
}

/// Line and column (in characters) of byte `offset`, and the source's name. Computed from the
/// text before `offset`, with the engine's rules (`\r\n`, `\n` and a lone `\r` end a line; a
/// byte order mark is not a column), since miette counts columns in bytes.
fn position(source: &dyn SourceCode, offset: usize) -> Option<(Option<String>, Position)> {
    let before = source
        .read_span(&SourceSpan::new(0.into(), offset), 0, 0)
        .ok()?;
    let text = String::from_utf8_lossy(before.data().get(..offset)?);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let breaks =
        text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    let last_line = text.rsplit(['\n', '\r']).next().unwrap_or("");
    Some((
        before.name().map(str::to_owned),
        Position {
            line: breaks + 1,
            column: last_line.chars().count() + 1,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_error_is_located_in_characters() {
        let text = "# é comment\nrule a {\n  severity fatal\n  owner must exist\n}\n";
        let errors = governance_core::PolicySet::parse("p.policy", text).err();
        let problem = errors.and_then(|e| e.into_iter().next()).map(Problem::new);
        let location = problem.and_then(|p| p.location);
        assert_eq!(
            location,
            Some(ProblemLocation {
                file: "p.policy".to_owned(),
                start: Position {
                    line: 3,
                    column: 12
                },
                end: Position {
                    line: 3,
                    column: 17
                },
            })
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = std::sync::Arc::new(governance_core::SourceFile::new(
            "g.toml",
            "a = 1\n\"é\" = 2\n",
        ));
        let problem = Problem::new(crate::config::ConfigError::UnknownKey {
            key: "é".to_owned(),
            section: "`g.toml`".to_owned(),
            span: governance_core::Span::new(6, 10),
            help: String::new(),
            src,
        });
        let at = problem.location.map(|l| (l.start, l.end));
        assert_eq!(
            at,
            Some((
                Position { line: 2, column: 1 },
                Position { line: 2, column: 4 }
            ))
        );
    }

    #[test]
    fn a_plain_problem_has_no_location() {
        let problem = Problem::plain("usage::bad_glob", "invalid glob `[`", None);
        assert_eq!(
            (problem.code.as_str(), problem.location),
            ("usage::bad_glob", None)
        );
    }
}
