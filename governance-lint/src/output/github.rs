//! GitHub Actions output: one workflow command per finding, which GitHub shows as an annotation
//! on the file and line (`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE`),
//! then one plain summary line; and, when `GITHUB_STEP_SUMMARY` is set, a Markdown summary of
//! the run (per rule and per domain) appended to that file.
//!
//! Text is escaped as GitHub's toolkit (`@actions/core`, `escapeData` and `escapeProperty`)
//! does, so nothing a contract says (a field named `x::error::y`, a description with newlines)
//! can end the command early or start another; and the other control characters and the
//! bidirectional controls are percent-encoded, so that none reaches the CI log raw.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;

use governance_core::{FileReport, FileStatus, Severity};

use super::{human, plural, Context, Locator, Renderer, Setup, Summary};
use crate::problem::Problem;

/// The command for a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message: `%`, `\r`, `\n` as the toolkit does (`%25`, `%0D`, `%0A`), and
/// every other control character (ESC, BEL, FF, tab, C1 controls...) and bidirectional control
/// percent-encoded byte by byte (`%1B`, `%E2%80%AE`), so that none reaches the log raw. The
/// runner decodes only the toolkit's escapes, so the others show as written, and a `%` of the
/// text is always `%25`: the escaping stays unambiguous.
pub fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// Escapes a command's property value: as [`escape_data`], plus `:` and `,` (`%3A`, `%2C`).
pub fn escape_property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if super::is_unsafe_char(c) => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Where an annotation points.
struct Place<'a> {
    file: &'a str,
    start: (usize, usize),
    end: (usize, usize),
}

fn write_command(
    out: &mut dyn Write,
    severity: Severity,
    place: Option<Place<'_>>,
    title: &str,
    message: &str,
    help: Option<&str>,
) -> io::Result<()> {
    let mut properties = Vec::new();
    if let Some(place) = place {
        properties.push(format!("file={}", escape_property(place.file)));
        properties.push(format!("line={}", place.start.0));
        properties.push(format!("col={}", place.start.1));
        properties.push(format!("endLine={}", place.end.0));
        properties.push(format!("endColumn={}", place.end.1));
    }
    properties.push(format!("title={}", escape_property(title)));
    let text = match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message.to_owned(),
    };
    writeln!(
        out,
        "::{} {}::{}",
        command(severity),
        properties.join(","),
        escape_data(&text)
    )
}

/// The GitHub renderer: it streams. Each file's annotations are made on its worker thread (from
/// the report detached from its file's text) and written in path order; the tallies of the step summary (per rule, per domain) are kept
/// as the files go, and the step summary is appended to `$GITHUB_STEP_SUMMARY` at the end.
pub struct Github<'a> {
    locator: Locator,
    context: &'a Context,
    /// `$GITHUB_STEP_SUMMARY`, when it is set.
    step_summary: Option<PathBuf>,
}

impl<'a> Github<'a> {
    pub fn new(setup: &Setup<'a>) -> Self {
        Self {
            locator: Locator::of(setup.cwd),
            context: setup.context,
            step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
        }
    }

    /// Appends `write`'s Markdown to the step summary file, when there is one; a failure to
    /// write it is a warning, not a failed run.
    fn append_step_summary(&self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        let Some(path) = &self.step_summary else {
            return;
        };
        let written = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|file| {
                let mut file = io::BufWriter::new(file);
                write(&mut file)?;
                file.flush()
            });
        if let Err(error) = written {
            let _ = writeln!(
                io::stderr(),
                "warning: cannot write the step summary to `{}`: {error}",
                path.display()
            );
        }
    }
}

impl Renderer for Github<'_> {
    /// The file's annotations, one workflow command per finding (waived ones left out).
    type Prepared = Vec<u8>;
    type State = Tallies;

    fn prepare(&self, report: &mut FileReport) -> Vec<u8> {
        // Only the tallies need the report after this: its file's text can go now, and the
        // annotations read the positions the detached findings keep.
        report.detach();
        let mut text = Vec::new();
        for finding in report
            .findings()
            .iter()
            .filter(|f| f.suppression().is_none())
        {
            // The file the finding is in: the contract's, or a file it refers to. A deleted
            // file (`breaking`) is named `REF:path`: it is annotated at its path.
            let shown = finding.file().name();
            let shown = match &self.context.against {
                Some(against) => against.split(shown).0,
                None => shown,
            };
            let relative = self.locator.relative(shown);
            let file = relative.as_deref().unwrap_or(shown);
            let at = finding.location();
            let place = Place {
                file,
                start: (at.start.line, at.start.column),
                end: (at.end.line, at.end.column),
            };
            // A change finding says where the thing was before.
            let message = match finding.previous() {
                Some(previous) => {
                    let was = previous.location().start;
                    format!(
                        "{}\nbefore: {}:{}:{}",
                        finding.message(),
                        previous.file(),
                        was.line,
                        was.column
                    )
                }
                None => finding.message().to_owned(),
            };
            // Writing to a `Vec` cannot fail.
            let _ = write_command(
                &mut text,
                finding.severity(),
                Some(place),
                finding.rule(),
                &message,
                finding.help(),
            );
        }
        text
    }

    fn begin(&self, _out: &mut dyn Write, _files: usize) -> io::Result<Tallies> {
        Ok(Tallies::default())
    }

    fn file(
        &self,
        tallies: &mut Tallies,
        out: &mut dyn Write,
        report: FileReport,
        annotations: Vec<u8>,
    ) -> io::Result<()> {
        let relative = self.locator.relative(report.source().name());
        let file = relative.as_deref().unwrap_or(report.source().name());
        tallies.add(&report, file);
        out.write_all(&annotations)
    }

    /// The step summary; then a moved date as an annotation, what the run used, the summary
    /// line.
    fn end(
        &self,
        tallies: Tallies,
        out: &mut dyn Write,
        summary: &Summary,
        problems: &[Problem],
    ) -> io::Result<()> {
        self.append_step_summary(|file| step_summary(file, summary, self.context, &tallies));
        if !problems.is_empty() {
            let headline = format!(
                "{} after the files were compared; the report is incomplete",
                plural(problems.len(), "problem")
            );
            self.append_step_summary(|file| problems_summary(file, &headline, problems));
            self.annotate(out, problems)?;
        }
        // The date waivers were judged by, when moved, is an annotation: a reviewer must see it.
        if let Some((date, by)) = self.context.today {
            let message =
                format!("waivers are judged as of {date} (set by {by}), not today's date");
            write_command(out, Severity::Info, None, "governance-lint", &message, None)?;
        }
        for line in self.context.lines().iter().take(1) {
            writeln!(out, "{line}")?;
        }
        writeln!(out, "{}", human::summary_line(summary))
    }

    /// An error annotation per problem and one line; the step summary lists the problems.
    fn stopped(&self, out: &mut dyn Write, problems: &[Problem]) -> io::Result<()> {
        let headline = stopped_line(problems);
        self.append_step_summary(|file| problems_summary(file, &headline, problems));
        self.annotate(out, problems)?;
        writeln!(out, "{headline}")
    }
}

impl Github<'_> {
    /// An error annotation per problem.
    fn annotate(&self, out: &mut dyn Write, problems: &[Problem]) -> io::Result<()> {
        for problem in problems {
            let shown = problem.location.as_ref().map(|at| Place {
                file: &at.file,
                start: (at.start.line, at.start.column),
                end: (at.end.line, at.end.column),
            });
            let relative = shown.as_ref().and_then(|p| self.locator.relative(p.file));
            let place = shown.map(|p| Place {
                file: relative.as_deref().unwrap_or(p.file),
                ..p
            });
            let help = problem.help.as_deref();
            write_command(
                out,
                Severity::Error,
                place,
                &problem.code,
                &problem.message,
                help,
            )?;
        }
        Ok(())
    }
}

fn stopped_line(problems: &[Problem]) -> String {
    format!(
        "{} stopped the run; nothing was linted",
        plural(problems.len(), "problem")
    )
}

/// The Markdown appended to `GITHUB_STEP_SUMMARY` when problems stopped the run: `headline`,
/// then a table of them.
fn problems_summary(out: &mut dyn Write, headline: &str, problems: &[Problem]) -> io::Result<()> {
    writeln!(out, "### governance-lint\n")?;
    writeln!(out, "**{headline}**\n")?;
    writeln!(out, "| problem | where | message |")?;
    writeln!(out, "| --- | --- | --- |")?;
    for problem in problems {
        let place = problem.location.as_ref().map_or_else(String::new, |at| {
            format!("{}:{}:{}", at.file, at.start.line, at.start.column)
        });
        writeln!(
            out,
            "| {} | {} | {} |",
            cell(&problem.code),
            cell(&place),
            cell(&problem.message)
        )?;
    }
    writeln!(out)
}

/// The Markdown appended to `GITHUB_STEP_SUMMARY`: the totals, a table per rule, a table per
/// domain.
fn step_summary(
    out: &mut dyn Write,
    summary: &Summary,
    context: &Context,
    tallies: &Tallies,
) -> io::Result<()> {
    // `check` and `breaking` may both write to one step's summary: say which is which.
    let title = if context.against.is_some() {
        "### governance-lint breaking"
    } else {
        "### governance-lint"
    };
    writeln!(out, "{title}\n")?;
    writeln!(out, "**{}**\n", human::summary_line(summary))?;
    for line in context.lines() {
        writeln!(out, "{}\n", cell(&line))?;
    }
    if let Some(line) = human::skipped_line(summary) {
        writeln!(out, "{}\n", cell(&line))?;
    }
    let rules = tallies.by_rule();
    if !rules.is_empty() {
        writeln!(out, "| rule | severity | findings | files |")?;
        writeln!(out, "| --- | --- | ---: | ---: |")?;
        for (rule, tally) in &rules {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(rule),
                tally.severity,
                tally.findings,
                tally.files
            )?;
        }
        writeln!(out)?;
    }
    if !tallies.listed.is_empty() {
        writeln!(out, "| where | severity | rule | message |")?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for row in &tallies.listed {
            writeln!(out, "{row}")?;
        }
        writeln!(out)?;
        let more = tallies.findings - tallies.listed.len();
        if more > 0 {
            writeln!(
                out,
                "_… and {} not listed here: every finding is an annotation in the log, and in the `json` and `sarif` reports._\n",
                plural(more, "more finding")
            )?;
        }
    }
    if !tallies.domains.is_empty() {
        writeln!(out, "| domain | contracts | errors | warnings | infos |")?;
        writeln!(out, "| --- | ---: | ---: | ---: | ---: |")?;
        for tally in tallies.domains.values() {
            let name = tally
                .name
                .as_deref()
                .map_or_else(|| "_none_".to_owned(), cell);
            writeln!(
                out,
                "| {name} | {} | {} | {} | {} |",
                tally.contracts,
                tally.findings.errors,
                tally.findings.warnings,
                tally.findings.infos
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// How many findings the step summary lists one by one (GitHub shows at most 10 error and 10
/// warning annotations per step, so the summary is where the others are seen).
const LISTED: usize = 50;

/// The step summary's tables, counted file by file (waived findings left out).
#[derive(Default)]
pub struct Tallies {
    /// The first [`LISTED`] findings, in path order, as table rows.
    listed: Vec<String>,
    /// Every finding (waived ones left out).
    findings: usize,
    rules: BTreeMap<String, RuleTally>,
    /// By domain name ignoring case (as policy scopes compare domains); the contracts without
    /// a domain, and the files that could not be read, last.
    domains: BTreeMap<(bool, Option<String>), DomainTally>,
}

struct RuleTally {
    severity: Severity,
    findings: usize,
    files: usize,
}

#[derive(Default)]
struct DomainTally {
    /// The domain as first spelled; `None` for contracts without one.
    name: Option<String>,
    contracts: usize,
    findings: Summary,
}

impl Tallies {
    fn add(&mut self, report: &FileReport, file: &str) {
        let mut seen: Vec<&str> = Vec::new();
        for finding in report
            .findings()
            .iter()
            .filter(|f| f.suppression().is_none())
        {
            self.findings += 1;
            if self.listed.len() < LISTED {
                let at = finding.location().start;
                self.listed.push(format!(
                    "| {} | {} | {} | {} |",
                    cell(&format!("{file}:{}:{}", at.line, at.column)),
                    finding.severity(),
                    cell(finding.rule()),
                    cell(finding.message())
                ));
            }
            let tally = match self.rules.get_mut(finding.rule()) {
                Some(tally) => tally,
                None => self
                    .rules
                    .entry(finding.rule().to_owned())
                    .or_insert(RuleTally {
                        severity: finding.severity(),
                        findings: 0,
                        files: 0,
                    }),
            };
            tally.severity = tally.severity.max(finding.severity());
            tally.findings += 1;
            if !seen.contains(&finding.rule()) {
                seen.push(finding.rule());
                tally.files += 1;
            }
        }
        if report.status() == FileStatus::Skipped {
            return;
        }
        let domain = report.domain();
        let key = (domain.is_none(), domain.map(str::to_lowercase));
        let tally = self.domains.entry(key).or_insert_with(|| DomainTally {
            name: domain.map(str::to_owned),
            ..DomainTally::default()
        });
        tally.contracts += report.contracts();
        for finding in report
            .findings()
            .iter()
            .filter(|f| f.suppression().is_none())
        {
            tally.findings.add(finding.severity());
        }
    }

    /// Rules with findings, the most severe and most frequent first.
    fn by_rule(&self) -> Vec<(&str, &RuleTally)> {
        let mut rows: Vec<(&str, &RuleTally)> = self
            .rules
            .iter()
            .map(|(rule, tally)| (rule.as_str(), tally))
            .collect();
        rows.sort_by(|(a, x), (b, y)| {
            (y.severity, y.findings)
                .cmp(&(x.severity, x.findings))
                .then_with(|| a.cmp(b))
        });
        rows
    }
}

/// Text made safe for a Markdown table cell: one line (control and bidirectional characters
/// become spaces), and the characters that Markdown or HTML would read as markup escaped with
/// a backslash.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if super::is_unsafe_char(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% a\r\nb::c,d"), "50%25 a%0D%0Ab::c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn no_control_or_bidi_character_reaches_the_log() {
        let hostile = "a\u{1b}[31m\u{7}\u{c}\t\u{7f}\u{9b}\u{202e}\u{2067}\u{200e}b";
        let escaped = "a%1B[31m%07%0C%09%7F%C2%9B%E2%80%AE%E2%81%A7%E2%80%8Eb";
        assert_eq!(escape_data(hostile), escaped);
        assert_eq!(escape_property(hostile), escaped);
        assert_eq!(
            escape_property("dir\n\u{1b}x,y:z.yaml"),
            "dir%0A%1Bx%2Cy%3Az.yaml"
        );
        // Already-escaped-looking text stays unambiguous.
        assert_eq!(escape_data("%1B"), "%251B");
    }

    #[test]
    fn a_cell_is_one_line_without_markup() {
        assert_eq!(cell("a|b\n<i>`x`"), "a\\|b \\<i\\>\\`x\\`");
        assert_eq!(cell("sales\u{202e}\u{1b}[2Jx"), "sales  \\[2Jx");
    }
}
