//! Rendering reports: one file per output format, each a [`Renderer`], and the one driver
//! ([`report`]) that lints the files and hands each report to the renderer of the chosen
//! format. Every machine format stays a valid document when the run stopped on problems.
//!
//! A new output format touches three files: its name in `OutputFormat` (`args.rs`), one arm
//! of the `match` in [`report`], and its renderer, `output/<format>.rs`.

pub mod changelog;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod spool;

use std::io::{self, Write};
use std::path::Path;

use governance_core::{FileReport, FileStatus, PolicySet, Severity, Skip};

use crate::args::OutputFormat;
use crate::console::Style;
use crate::problem::Problem;
use crate::run;

/// One output format.
///
/// The driver calls [`Renderer::prepare`] on the worker thread that linted a file, then, on
/// one thread and in path order, [`Renderer::begin`], [`Renderer::file`] for every file and
/// [`Renderer::end`]; or only [`Renderer::stopped`] when problems stopped the run before
/// anything was linted. Every format streams: each file is rendered on its worker thread in
/// `prepare` and written as it comes, so that memory does not grow with the repository. What
/// its document needs only at the end (totals, the skipped files) the renderer keeps in its
/// [`Renderer::State`], and what must come after that it writes to a [`spool::Spool`] (in
/// memory up to 1 MiB, then in a temporary file) and copies out at the end.
pub trait Renderer: Sync {
    /// What a worker thread makes of one report: rendered text, serialised JSON, or nothing.
    type Prepared: Send;
    /// What the renderer keeps from one file to the next: totals, spools.
    type State;

    /// Called on the worker thread that linted `report`, in parallel with the other files:
    /// renders or serialises what it can, and [`FileReport::detach`]es a report that the
    /// renderer will keep.
    fn prepare(&self, report: &mut FileReport) -> Self::Prepared;

    /// Before the first file; `files` will come (a renderer that keeps them can reserve).
    fn begin(&self, out: &mut dyn Write, files: usize) -> io::Result<Self::State>;

    /// One file, in path order, with what [`Renderer::prepare`] made of it.
    fn file(
        &self,
        state: &mut Self::State,
        out: &mut dyn Write,
        report: FileReport,
        prepared: Self::Prepared,
    ) -> io::Result<()>;

    /// After the last file, with the run's totals and the problems that stopped the run after
    /// the files were linted (git failing to read the rest of a base, say): a machine format
    /// says the run failed, as [`Renderer::stopped`] does; human output leaves them to stderr.
    fn end(
        &self,
        state: Self::State,
        out: &mut dyn Write,
        summary: &Summary,
        problems: &[Problem],
    ) -> io::Result<()>;

    /// The whole output of a run that `problems` stopped before anything was linted: a
    /// machine format writes a valid document that says why; human output writes nothing
    /// (the problems are shown on stderr, whatever the format).
    fn stopped(&self, out: &mut dyn Write, problems: &[Problem]) -> io::Result<()>;
}

/// What a renderer knows of the run before any file is linted.
#[derive(Clone, Copy)]
pub struct Setup<'a> {
    /// The directory the run is in: file names are shown relative to it.
    pub cwd: &'a Path,
    /// The rules, when they could be loaded.
    pub policies: Option<&'a PolicySet>,
    /// What the run used: every format names it.
    pub context: &'a Context,
    /// The lowest severity that fails the run (`--fail-on`); `None` for `never`. JUnit marks
    /// only the findings at or above it as failures.
    pub fail_on: Option<Severity>,
    /// How text for people looks on standard output.
    pub style: Style,
    /// `--verbose`.
    pub verbose: bool,
}

/// What to report: the files to lint, or the problems that stopped the run.
pub enum Input<'a> {
    /// Lint these, in this order; then ask `late` whether something stopped the run after all
    /// (the files were linted, but the run cannot be trusted: exit code 2).
    Lint {
        job: run::Job<'a>,
        work: &'a [run::Work],
        late: &'a dyn Fn() -> Vec<Problem>,
    },
    /// Nothing is linted.
    Stopped(&'a [Problem]),
}

/// Lints the files of `input` (if any) and writes the report in `format` to `out`. Returns
/// the run's totals and the first write error. A failed write does not stop the run: every
/// file is still linted and counted (the exit code depends on all of them), and the rest of
/// the output goes nowhere.
pub fn report(
    format: OutputFormat,
    setup: &Setup<'_>,
    input: Input<'_>,
    out: &mut dyn Write,
) -> (Summary, io::Result<()>) {
    match format {
        OutputFormat::Human => drive(&human::Human::new(setup), input, out),
        OutputFormat::Json => drive(&json::Json::new(setup), input, out),
        OutputFormat::Github => drive(&github::Github::new(setup), input, out),
        OutputFormat::Sarif => drive(&sarif::Sarif::new(setup), input, out),
        OutputFormat::Junit => drive(&junit::Junit::new(setup), input, out),
    }
}

/// The one loop of every format: each report, prepared on its worker thread, goes to the
/// renderer in path order.
fn drive<R: Renderer>(
    renderer: &R,
    input: Input<'_>,
    out: &mut dyn Write,
) -> (Summary, io::Result<()>) {
    let mut out = Guard { out, error: None };
    let mut summary = Summary::default();
    match input {
        Input::Stopped(problems) => {
            let written = renderer.stopped(&mut out, problems);
            out.keep(written);
        }
        Input::Lint { job, work, late } => {
            let begun = renderer.begin(&mut out, work.len());
            let mut state = match begun {
                Ok(state) => Some(state),
                Err(error) => {
                    out.keep(Err(error));
                    None
                }
            };
            run::lint_in_order(
                job,
                work,
                |report| renderer.prepare(report),
                |report, prepared| {
                    summary.add_report(&report);
                    if let Some(state) = state.as_mut() {
                        let written = renderer.file(state, &mut out, report, prepared);
                        out.keep(written);
                    }
                },
            );
            let problems = late();
            if let Some(state) = state {
                let written = renderer.end(state, &mut out, &summary, &problems);
                out.keep(written);
            }
        }
    }
    (summary, out.error.map_or(Ok(()), Err))
}

/// The output as a renderer sees it: once a write fails, the error is kept and every later
/// write goes nowhere, so that the renderer still sees every file and ends (GitHub's step
/// summary counts the whole run, whatever became of standard output).
struct Guard<'o> {
    out: &'o mut dyn Write,
    /// The first error.
    error: Option<io::Error>,
}

impl Guard<'_> {
    /// Keeps the first error.
    fn keep(&mut self, written: io::Result<()>) {
        if let (Err(error), None) = (written, &self.error) {
            self.error = Some(error);
        }
    }
}

impl Write for Guard<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Ok(buf.len());
        }
        match self.out.write(buf) {
            Err(error) if error.kind() != io::ErrorKind::Interrupted => {
                self.error = Some(error);
                Ok(buf.len())
            }
            written => written,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.error.is_none() {
            let flushed = self.out.flush();
            self.keep(flushed);
        }
        Ok(())
    }
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
    /// For `breaking`: what the contracts were compared with.
    pub against: Option<Against>,
}

/// What `breaking` compared the contracts with, and with which rules.
#[derive(Debug, Clone, Default)]
pub struct Against {
    /// `git ref `main``, `directory `old/``.
    pub base: String,
    /// `main:` for a git ref: previous versions are named `main:path`.
    pub git_prefix: Option<String>,
    /// The change rules switched on, and how many of them are built in.
    pub rules: usize,
    pub builtin: usize,
    /// Selected files that did not change, so were not compared.
    pub unchanged: usize,
}

impl Against {
    pub fn of(base: &crate::against::Base, policies: &PolicySet, unchanged: usize) -> Self {
        let on = || policies.rules().filter(|r| r.is_change() && r.enabled());
        Self {
            base: base.describe(),
            git_prefix: base.git_prefix(),
            rules: on().count(),
            builtin: on().filter(|r| r.is_builtin()).count(),
            unchanged,
        }
    }

    /// `compared with git ref `main`: 23 change rules (21 built-in); 4 unchanged files not
    /// compared`.
    pub fn describe(&self) -> String {
        let mut line = format!(
            "compared with {}: {} ({} built-in)",
            self.base,
            plural(self.rules, "change rule"),
            self.builtin
        );
        if self.unchanged > 0 {
            line.push_str(&format!(
                "; {} not compared",
                plural(self.unchanged, "unchanged file")
            ));
        }
        line
    }

    /// The path of a previous version inside the repository, and the ref it is at, when it is
    /// named `REF:path`; else the name as it is.
    pub fn split<'n>(&self, previous: &'n str) -> (&'n str, Option<&'n str>) {
        match &self.git_prefix {
            Some(prefix) => match previous.strip_prefix(prefix.as_str()) {
                Some(path) => (path, previous.get(..prefix.len().saturating_sub(1))),
                None => (previous, None),
            },
            None => (previous, None),
        }
    }
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
        if let Some(against) = &self.against {
            lines.push(against.describe());
        }
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
    /// Findings of `mandatory` rules (never suppressed): they fail a run whatever the
    /// configuration's `fail-on` says.
    pub mandatory: usize,
    /// `breaking`: files compared with their previous version, new ones, deleted ones.
    pub compared: usize,
    pub new: usize,
    pub deleted: usize,
}

impl Summary {
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
        match report.comparison() {
            Some(governance_core::Comparison::New) => self.new += 1,
            Some(governance_core::Comparison::Deleted) => self.deleted += 1,
            Some(_) => self.compared += 1,
            None => {}
        }
        self.contracts += report.contracts();
        for finding in report.findings() {
            if finding.suppression().is_some() {
                self.suppressed += 1;
            } else {
                self.add(finding.severity());
                self.mandatory += usize::from(finding.mandatory());
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
    /// For a run in `cwd`: relative to the repository `cwd` is in (or to `cwd` outside one).
    pub fn of(cwd: &std::path::Path) -> Self {
        Self::new(cwd, &crate::paths::repository_root(cwd))
    }

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

    /// Accepts `room` bytes, then fails as a closed pipe does.
    struct Closing {
        written: Vec<u8>,
        room: usize,
    }

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.written.len() + buf.len() > self.room {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn after_a_failed_write_the_output_goes_nowhere_and_the_first_error_is_kept() {
        let mut closing = Closing {
            written: Vec::new(),
            room: 4,
        };
        let mut guard = Guard {
            out: &mut closing,
            error: None,
        };
        assert!(guard.write_all(b"abc").is_ok());
        assert!(guard.write_all(b"def").is_ok());
        assert!(guard.write_all(b"g").is_ok());
        guard.keep(Err(io::Error::other("later")));
        assert!(guard.flush().is_ok());
        let kind = guard.error.as_ref().map(io::Error::kind);
        assert_eq!(kind, Some(io::ErrorKind::BrokenPipe));
        assert_eq!(closing.written, b"abc");
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
