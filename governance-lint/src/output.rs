//! Rendering reports: one file per output format. Every renderer takes the same [`Run`], and
//! every machine format stays a valid document when the run stopped on problems.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use governance_core::{FileReport, FileStatus, PolicySet, Severity};

use crate::problem::Problem;

/// What a run produced.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    /// One report per file, in path order (empty when the run stopped).
    pub reports: &'a [FileReport],
    /// The rules, when they could be loaded.
    pub policies: Option<&'a PolicySet>,
    /// Problems that stopped the run (then nothing was linted).
    pub problems: &'a [Problem],
    /// The lowest severity that fails the run (`--fail-on`); `None` for `never`. JUnit marks
    /// only the findings at or above it as failures.
    pub fail_on: Option<Severity>,
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub linted: usize,
    pub skipped: usize,
    pub failed: usize,
    pub contracts: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings a valid waiver suppresses: reported, never counted against `--fail-on`.
    pub suppressed: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Summary::default();
        for report in reports {
            summary.add_report(report);
        }
        summary
    }

    /// Counts one file and its findings.
    pub fn add_report(&mut self, report: &FileReport) {
        self.files += 1;
        match report.status {
            FileStatus::Linted => self.linted += 1,
            FileStatus::Skipped => self.skipped += 1,
            FileStatus::Failed => self.failed += 1,
        }
        self.contracts += report.contracts;
        for finding in &report.findings {
            if finding.suppression().is_some() {
                self.suppressed += 1;
            } else {
                self.add(finding.severity());
            }
        }
    }

    /// Counts one finding.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    /// How many findings are at `threshold` or above.
    pub fn at_least(&self, threshold: Severity) -> usize {
        match threshold {
            Severity::Error => self.errors,
            Severity::Warning => self.errors + self.warnings,
            Severity::Info => self.errors + self.warnings + self.infos,
        }
    }
}

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

/// `1 error`, `2 errors`.
pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// Turns file names as shown (relative to the current directory, or absolute) into paths
/// relative to the repository root, as GitHub annotations and SARIF want them.
#[derive(Debug, Clone)]
pub struct Locator {
    cwd: std::path::PathBuf,
    root: std::path::PathBuf,
}

impl Locator {
    /// `cwd` and `root` absolute; `root` is the repository root (or `cwd` outside a repository).
    pub fn new(cwd: &std::path::Path, root: &std::path::Path) -> Self {
        Self {
            cwd: cwd.to_path_buf(),
            root: root.to_path_buf(),
        }
    }

    /// The path of `shown` below the repository root, with forward slashes; `None` when it is
    /// outside the root.
    pub fn relative(&self, shown: &str) -> Option<String> {
        let absolute = crate::discover::normalize(&self.cwd.join(shown));
        let relative = absolute.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// The absolute path of `shown`, with forward slashes.
    pub fn absolute(&self, shown: &str) -> String {
        crate::discover::normalize(&self.cwd.join(shown))
            .to_string_lossy()
            .replace('\\', "/")
    }
}

/// Writes `value` as pretty JSON and a newline, keeping the kind of an I/O error (so that a
/// broken pipe is still recognised as one).
pub fn write_json(
    out: &mut dyn std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|error| {
        match error.io_error_kind() {
            Some(kind) => std::io::Error::new(kind, error),
            None => std::io::Error::other(error),
        }
    })?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn paths_are_made_relative_to_the_repository_root() {
        let locator = Locator::new(Path::new("/repo/sub"), Path::new("/repo"));
        assert_eq!(
            locator.relative("a/b.yaml").as_deref(),
            Some("sub/a/b.yaml")
        );
        assert_eq!(locator.relative("../c.yaml").as_deref(), Some("c.yaml"));
        assert_eq!(locator.relative("/repo/d.yaml").as_deref(), Some("d.yaml"));
        assert_eq!(locator.relative("/elsewhere/e.yaml"), None);
        assert_eq!(locator.absolute("../c.yaml"), "/repo/c.yaml");
    }

    #[test]
    fn printable_text_has_no_control_and_no_bidi_character() {
        let hostile = "a\u{1b}[31m\u{7}\u{c}\u{7f}\u{85}\u{202e}\u{2066}\u{200f}\u{61c}\r\tb\nc";
        assert_eq!(
            printable(hostile),
            "a\\u{1b}[31m\\u{7}\\u{c}\\u{7f}\\u{85}\\u{202e}\\u{2066}\\u{200f}\\u{61c}\\r\tb\nc"
        );
        assert_eq!(
            printable_line(hostile),
            "a\\u{1b}[31m\\u{7}\\u{c}\\u{7f}\\u{85}\\u{202e}\\u{2066}\\u{200f}\\u{61c}\\r\\tb\\nc"
        );
        for text in [printable(hostile), printable_line(hostile)] {
            assert!(!text
                .chars()
                .any(|c| is_unsafe_char(c) && c != '\n' && c != '\t'));
        }
        assert_eq!(printable_line("odd,name%.yaml é"), "odd,name%.yaml é");
    }
}
