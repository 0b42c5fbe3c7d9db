//! Rendering reports: one file per output format. Every renderer takes the same [`Run`], and
//! every machine format stays a valid document when the run stopped on problems.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use governance_core::{FileReport, FileStatus, PolicySet, Severity, Skip};

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
    /// What the run used: every format names it.
    pub context: &'a Context,
}

/// What a run used, named in every output so that nobody has to guess which policies ran:
/// the policies, the configuration file, strict mode, and the date waivers were judged by
/// when it is not today's.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The policies, when they could be loaded.
    pub policies: Option<crate::policies::PoliciesUsed>,
    /// The configuration file, as named in messages.
    pub config: Option<String>,
    /// The date waivers are judged by and what set it (`--today`, `GOVERNANCE_LINT_TODAY`),
    /// when it is not the system's date.
    pub today: Option<(governance_core::Date, &'static str)>,
    /// Whether `--strict` (or `strict = true`) is on.
    pub strict: bool,
}

impl Context {
    /// The lines every human-facing output ends with: the policies and configuration used,
    /// strict mode, and a moved date.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut used = Vec::new();
        if let Some(policies) = &self.policies {
            used.push(format!("policies: {}", policies.describe()));
        }
        used.push(format!(
            "configuration: {}",
            self.config
                .as_deref()
                .unwrap_or("none (no governance.toml)")
        ));
        if self.strict {
            used.push("strict".to_owned());
        }
        lines.push(used.join("; "));
        if let Some((date, by)) = self.today {
            lines.push(format!(
                "note: waivers are judged as of {date} (set by {by}), not today's date"
            ));
        }
        lines
    }
}

/// Totals over a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub linted: usize,
    pub skipped: usize,
    /// Files that look like contracts but match no standard (a `not-recognised` finding each).
    pub unrecognised: usize,
    pub failed: usize,
    /// Skipped files by reason, in the order the reasons first appeared.
    pub skips: Vec<(Skip, usize)>,
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
        match report.status() {
            FileStatus::Linted => self.linted += 1,
            FileStatus::Skipped => {
                self.skipped += 1;
                let fallback = Skip::NOT_A_CONTRACT;
                let skip = report.skip().unwrap_or(&fallback);
                match self.skips.iter_mut().find(|(s, _)| s.code() == skip.code()) {
                    Some((_, count)) => *count += 1,
                    None => self.skips.push((skip.clone(), 1)),
                }
            }
            FileStatus::Unrecognised => self.unrecognised += 1,
            _ => self.failed += 1,
        }
        self.contracts += report.contracts();
        for finding in report.findings() {
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

pub use crate::text::{is_unsafe_char, plural, printable, printable_line};

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
