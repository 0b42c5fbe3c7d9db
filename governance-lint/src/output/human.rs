//! Human output: miette's annotated snippets, then a one-line summary.

use std::io::{self, Write};

use std::sync::Arc;

use governance_core::{Comparison, FileReport, FileStatus, Finding, PolicySet, SourceFile};

use super::{is_unsafe_char, plural, printable, printable_line, Context, Renderer, Setup, Summary};
use crate::console::Style;
use crate::problem::Problem;
use crate::text::scope_cell;

/// How human output looks.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Colours and width.
    pub style: Style,
    pub verbose: bool,
}

/// The human renderer: each file's findings rendered on its worker thread and written at
/// once (streaming: only the totals are kept), then what was skipped, what the run used and
/// the summary line.
pub struct Human<'a> {
    options: Options,
    context: &'a Context,
}

impl<'a> Human<'a> {
    pub fn new(setup: &Setup<'a>) -> Self {
        Self {
            options: Options {
                style: setup.style,
                verbose: setup.verbose,
            },
            context: setup.context,
        }
    }
}

impl Renderer for Human<'_> {
    type Prepared = String;
    type State = ();

    fn prepare(&self, report: &mut FileReport) -> String {
        render_file(report, &self.options)
    }

    fn begin(&self, _out: &mut dyn Write, _files: usize) -> io::Result<()> {
        Ok(())
    }

    fn file(
        &self,
        _state: &mut (),
        out: &mut dyn Write,
        _report: FileReport,
        text: String,
    ) -> io::Result<()> {
        out.write_all(text.as_bytes())
    }

    fn end(
        &self,
        _state: (),
        out: &mut dyn Write,
        summary: &Summary,
        _problems: &[Problem],
    ) -> io::Result<()> {
        write_summary(out, summary, self.context)
    }

    /// Nothing on standard output: the problems are on stderr ([`problems`]).
    fn stopped(&self, _out: &mut dyn Write, _problems: &[Problem]) -> io::Result<()> {
        Ok(())
    }
}

/// Problems that stopped the run, each with its source underlined, then one line that says
/// nothing was linted.
pub fn problems(out: &mut dyn Write, problems: &[Problem], style: Style) -> io::Result<()> {
    let mut text = rendered(problems, style);
    let kind = if problems.iter().all(|p| p.code.starts_with("policy::")) {
        "in the policies"
    } else if problems.iter().all(|p| p.code.starts_with("config::")) {
        "in the configuration"
    } else {
        "before linting"
    };
    text.push_str(&format!(
        "error: {} {kind}; nothing was linted\n",
        plural(problems.len(), "problem")
    ));
    out.write_all(text.as_bytes())
}

/// Problems that stopped the run after the files were linted (git failing part way through a
/// base), then one line that says the report is incomplete.
pub fn late_problems(out: &mut dyn Write, problems: &[Problem], style: Style) -> io::Result<()> {
    let mut text = rendered(problems, style);
    text.push_str(&format!(
        "error: {} after the files were compared; the report is incomplete\n",
        plural(problems.len(), "problem")
    ));
    out.write_all(text.as_bytes())
}

fn rendered(problems: &[Problem], style: Style) -> String {
    let handler = style.handler();
    let mut text = String::new();
    for problem in problems {
        problem.render(&handler, &mut text);
    }
    text
}

/// Everything a person sees for one file: with `--verbose`, a line saying how it was read
/// and its suppressed findings; always, each finding with its source underlined. Called on
/// the worker threads, so that rendering runs in parallel with linting.
///
/// Linear in the file and its findings: the file is made safe to show once (not once per
/// finding), and each snippet is read through the file's line table.
pub fn render_file(report: &FileReport, options: &Options) -> String {
    let handler = options.style.handler();
    let mut out = String::new();
    if options.verbose {
        let detail = match (report.status(), report.format()) {
            (FileStatus::Linted, Some(format)) => match report.comparison() {
                Some(Comparison::Compared { previous }) => format!(
                    "with {}, read as {format}, {} fields",
                    printable_line(previous),
                    report.fields()
                ),
                Some(Comparison::BaselineUnreadable { previous, reason }) => format!(
                    "{} does not load ({}): nothing compared",
                    printable_line(previous),
                    printable_line(reason)
                ),
                Some(Comparison::New) => "new: nothing to compare".to_owned(),
                Some(Comparison::Deleted) => "deleted".to_owned(),
                _ => format!("read as {format}, {} fields", report.fields()),
            },
            (FileStatus::Skipped, _) => report
                .skip()
                .map_or("not a data contract", |skip| skip.reason())
                .to_owned(),
            (FileStatus::Unrecognised, _) => "not recognised as any standard".to_owned(),
            (FileStatus::Failed, _) => "could not be read".to_owned(),
            _ => String::new(),
        };
        let status = match report.comparison() {
            Some(Comparison::New) => "new",
            Some(Comparison::Deleted) => "deleted",
            Some(_) => "compared",
            None => report.status().as_str(),
        };
        out.push_str(&format!(
            "{status:<7} {}  ({detail})\n",
            printable_line(report.source().name())
        ));
    }
    // The file as shown, made when the first finding needs it; findings normally all share
    // their report's file, but one that points elsewhere gets its own.
    let mut safe: Option<SafeFile> = None;
    for finding in report.findings() {
        if let Some(waiver) = finding.suppression() {
            // An accepted exception: one line with --verbose, else only counted.
            if options.verbose {
                let at = finding.location().start;
                out.push_str(&format!(
                    "suppressed {}:{}:{} {}: {} (waived until {}: {})\n",
                    printable_line(finding.file().name()),
                    at.line,
                    at.column,
                    finding.rule(),
                    printable_line(finding.message()),
                    waiver.expires,
                    printable_line(&waiver.reason)
                ));
            }
            continue;
        }
        if !matches!(&safe, Some(file) if Arc::ptr_eq(&file.original, finding.source())) {
            safe = None;
        }
        let file = safe.get_or_insert_with(|| SafeFile::new(finding.source()));
        let shown = Shown::new(finding, file.shown());
        let before = out.len();
        if handler.render_report(&mut out, &shown).is_err() {
            out.truncate(before);
            out.push_str(&format!(
                "{}: {}\n",
                finding.rule(),
                printable_line(finding.message())
            ));
        }
        // A blank line between findings: each reads as its own block.
        out.push('\n');
    }
    out
}

/// The end of a run: what was skipped and why, which policies and configuration were used,
/// a moved date, and the summary line.
pub fn write_summary(out: &mut dyn Write, summary: &Summary, context: &Context) -> io::Result<()> {
    if let Some(line) = skipped_line(summary) {
        writeln!(out, "{line}")?;
    }
    for line in context.lines() {
        writeln!(out, "{}", crate::output::printable(&line))?;
    }
    writeln!(out, "{}", summary_line(summary))
}

pub fn summary_line(summary: &Summary) -> String {
    let compared = summary.compared + summary.new + summary.deleted;
    let mut files = if compared > 0 {
        let mut parts = vec![format!("{} compared", summary.compared)];
        if summary.new > 0 {
            parts.push(format!("{} new", summary.new));
        }
        if summary.deleted > 0 {
            parts.push(format!("{} deleted", summary.deleted));
        }
        let other = summary.linted - compared.min(summary.linted);
        if other > 0 {
            parts.push(format!("{other} linted"));
        }
        parts
    } else {
        vec![format!("{} linted", summary.linted)]
    };
    if summary.skipped > 0 {
        files.push(format!("{} skipped", summary.skipped));
    }
    if summary.unrecognised > 0 {
        files.push(format!("{} not recognised", summary.unrecognised));
    }
    if summary.failed > 0 {
        files.push(format!("{} failed", summary.failed));
    }
    let findings = summary.errors + summary.warnings + summary.infos;
    let head = if findings == 0 {
        "no problems found".to_owned()
    } else {
        let mut parts = Vec::new();
        if summary.errors > 0 {
            parts.push(plural(summary.errors, "error"));
        }
        if summary.warnings > 0 {
            parts.push(plural(summary.warnings, "warning"));
        }
        if summary.infos > 0 {
            parts.push(plural(summary.infos, "info"));
        }
        parts.join(", ")
    };
    let waived = if summary.suppressed > 0 {
        format!(", {} suppressed by waivers", summary.suppressed)
    } else {
        String::new()
    };
    format!(
        "{head}{waived} in {} ({}: {})",
        plural(summary.contracts, "contract"),
        plural(summary.files, "file"),
        files.join(", ")
    )
}

/// What the skipped files were, by reason: `skipped: 1 GitHub Actions workflow, 2 empty files`.
/// `None` when nothing was skipped.
pub fn skipped_line(summary: &Summary) -> Option<String> {
    if summary.skips.is_empty() {
        return None;
    }
    let parts: Vec<String> = summary
        .skips
        .iter()
        .map(|(skip, count)| format!("{count} {}", skip.noun(*count)))
        .collect();
    Some(format!(
        "skipped: {} (`--verbose` lists them)",
        parts.join(", ")
    ))
}

/// `governance-lint rules`: one line per rule.
/// `off` for a rule switched off by configuration.
pub fn rules(out: &mut dyn Write, policies: &PolicySet) -> io::Result<()> {
    let scopes: Vec<String> = policies.rules().map(|r| scope_cell(r.scope())).collect();
    let width = policies.rules().map(|r| r.id().len()).max().unwrap_or(0);
    let scope_width = scopes.iter().map(String::len).max().unwrap_or(0);
    for (rule, scope) in policies.rules().zip(&scopes) {
        let severity = if rule.enabled() {
            rule.severity().as_str()
        } else {
            "off"
        };
        let line = format!(
            "{:<width$}  {severity:<7}  {scope:<scope_width$}  {}",
            rule.id(),
            printable_line(rule.description().unwrap_or(""))
        );
        writeln!(out, "{}", line.trim_end())?;
        for raise in policies.raises_of(rule.id()) {
            writeln!(
                out,
                "{:width$}  raised to {} for {} (by {})",
                "",
                raise.severity,
                scope_cell(&raise.scope),
                printable_line(&raise.at)
            )?;
        }
    }
    writeln!(out, "{}", plural(policies.len(), "rule"))
}

/// A file as shown to a person: its name fully escaped (no line break, control or
/// bidirectional character), and its text with every character a terminal would act on
/// replaced by a visible one of the same UTF-8 length, so that spans still fit. Made once per
/// file.
#[derive(Debug)]
struct SafeFile {
    original: Arc<SourceFile>,
    /// `None` when neither the name nor the text has anything to replace.
    copy: Option<SourceFile>,
}

impl SafeFile {
    fn new(original: &Arc<SourceFile>) -> Self {
        let name = original.name();
        let safe_name = printable_line(name);
        let copy = match same_length_safe(original.text()) {
            Some(text) => Some(SourceFile::new(safe_name, text)),
            None if safe_name != name => Some(SourceFile::new(safe_name, original.text())),
            None => None,
        };
        Self {
            original: Arc::clone(original),
            copy,
        }
    }

    fn shown(&self) -> &SourceFile {
        self.copy.as_ref().unwrap_or(&self.original)
    }
}

/// A finding as shown to a person: text from the contract (the message, the source snippet,
/// the file name) with control characters made visible, so that a contract cannot send escape
/// sequences to the terminal, rewrite a line with `\r`, or reorder text with bidirectional
/// overrides.
#[derive(Debug)]
struct Shown<'a> {
    finding: &'a Finding,
    message: String,
    help: Option<String>,
    /// The finding's file made safe ([`SafeFile`]); `None` when its snippet is too large to
    /// show, and then the message says where the finding is.
    source: Option<&'a SourceFile>,
    /// For a change finding: the previous version, shown after it.
    previous: Option<PreviousShown>,
}

/// The previous version of a change finding's subject, as shown to a person: its file made
/// safe, and the text underlined when the snippet is small enough.
#[derive(Debug)]
struct PreviousShown {
    message: String,
    file: SafeFile,
    span: governance_core::Span,
    label: String,
    fits: bool,
}

impl PreviousShown {
    fn new(previous: &governance_core::Previous) -> Self {
        let file = SafeFile::new(previous.source());
        let span = miette::SourceSpan::from(previous.span());
        let fits = !previous.source().text().is_empty()
            && miette::SourceCode::read_span(file.shown(), &span, 1, 1)
                .is_ok_and(|contents| contents.data().len() <= MAX_SNIPPET_BYTES);
        let at = previous.location().start;
        let message = if fits {
            format!("before, in {}", printable_line(previous.file()))
        } else {
            format!(
                "before, at {}:{}:{}",
                printable_line(previous.file()),
                at.line,
                at.column
            )
        };
        Self {
            message,
            file,
            span: previous.span(),
            label: previous.label().to_owned(),
            fits,
        }
    }
}

impl std::fmt::Display for PreviousShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PreviousShown {}

impl miette::Diagnostic for PreviousShown {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.fits
            .then_some(self.file.shown() as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.fits.then(|| {
            Box::new(std::iter::once(miette::LabeledSpan::new_with_span(
                Some(self.label.clone()),
                self.span,
            ))) as Box<dyn Iterator<Item = miette::LabeledSpan>>
        })
    }
}

/// The most of a file that one finding's snippet shows (its lines and one line of context on
/// each side). A larger snippet, such as the single line of a minified JSON file or a span over
/// hundreds of lines, is not shown, only its `file:line:column`: miette would print it whole
/// for every finding (output quadratic in the findings of the file) and it cannot draw an
/// underline past column 65,535 at all.
const MAX_SNIPPET_BYTES: usize = 8 * 1024;

impl<'a> Shown<'a> {
    fn new(finding: &'a Finding, source: &'a SourceFile) -> Self {
        let message = printable_line(finding.message());
        let help = finding.help().map(printable);
        let span = miette::SourceSpan::from(finding.span());
        let snippet = miette::SourceCode::read_span(source, &span, 1, 1)
            .map_or(0, |contents| contents.data().len());
        let previous = finding.previous().map(PreviousShown::new);
        if snippet <= MAX_SNIPPET_BYTES {
            return Self {
                finding,
                message,
                help,
                source: Some(source),
                previous,
            };
        }
        let at = finding.location().start;
        Self {
            finding,
            message: format!(
                "{message}\nat {}:{}:{} (the snippet would be {snippet} bytes long: not shown)",
                source.name(),
                at.line,
                at.column
            ),
            help,
            source: None,
            previous,
        }
    }
}

/// `text` with every character a terminal would act on replaced by a visible one of the same
/// UTF-8 length (`?` for C0 controls and DEL, `¿` for C1 controls, `\u{fffd}` for
/// bidirectional controls), and a lone `\r` by `\n`: a lone `\r` ends a line for the line
/// table (and for YAML), so the snippet shows the lines that the `file:line:column` header
/// and every other output count. `None` when there is nothing to replace.
fn same_length_safe(text: &str) -> Option<String> {
    let mut chars = text.chars().peekable();
    let mut found = false;
    let mut out = String::with_capacity(text.len());
    while let Some(c) = chars.next() {
        let replacement = match c {
            '\n' | '\t' => None,
            '\r' if chars.peek() == Some(&'\n') => None,
            '\r' => Some('\n'),
            c if is_unsafe_char(c) => Some(match c.len_utf8() {
                1 => '?',
                2 => '\u{bf}',
                _ => '\u{fffd}',
            }),
            _ => None,
        };
        match replacement {
            Some(replacement) => {
                found = true;
                out.push(replacement);
            }
            None => out.push(c),
        }
    }
    found.then_some(out)
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.finding.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.finding)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.map(|source| source as &dyn miette::SourceCode)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        let previous = self.previous.as_ref()?;
        Some(Box::new(std::iter::once(
            previous as &dyn miette::Diagnostic,
        )))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.source?;
        let labels = self.finding.labels()?;
        // Label texts come from the engine and the policies, not from contracts; escaped all
        // the same, so that nothing the handler prints is raw.
        Some(Box::new(labels.map(|label| {
            let text = label.label().map(printable_line);
            if label.primary() {
                miette::LabeledSpan::new_primary_with_span(text, *label.inner())
            } else {
                miette::LabeledSpan::new_with_span(text, *label.inner())
            }
        })))
    }
}

#[cfg(test)]
mod shown_tests {
    use super::same_length_safe;

    #[test]
    fn unsafe_characters_keep_their_byte_length() {
        let text = "a: \u{1b}[31mred\r\nb: x\ry\u{85}\u{202e}z\u{7f}\u{61c}\n";
        let safe = same_length_safe(text).unwrap_or_default();
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe, "a: ?[31mred\r\nb: x\ny\u{bf}\u{fffd}z?\u{bf}\n");
        assert_eq!(same_length_safe("plain\r\ntext\n"), None);
    }
}
