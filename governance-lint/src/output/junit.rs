//! JUnit XML output, for the test report views of GitLab, Jenkins and Azure DevOps.
//!
//! - One `<testsuite>` per contract file (linted, unrecognised or unreadable), named by its
//!   path; then a `governance-lint` suite with the run's properties (policies, configuration,
//!   strict mode, a moved date) and one skipped test case per skipped file, with its reason.
//! - One `<testcase>` per rule evaluated on the file (policy order), then one per other id that
//!   a finding carries (`parse-error`, `duplicate-key`...). Only findings at or above
//!   `--fail-on` fail a test case: a rule with such findings has one `<failure>` (`type` is the
//!   most severe one's severity, `message` the first one's message and how many more, the text
//!   lists each as `file:line:column`). Its findings below `--fail-on` are listed the same way
//!   in the test case's `<system-out>`, which does not fail it; with `--fail-on never` nothing
//!   fails. So the report passes exactly when the run does. Waived findings are left out.
//! - Problems that stop the run make one `governance-lint` suite with an `<error>` per problem.
//! - All text from contracts and policies is escaped; characters XML 1.0 cannot hold (most
//!   control characters) become U+FFFD.

use std::fmt::Write as _;
use std::io::{self, Write};

use governance_core::{FileReport, FileStatus, Finding, Severity};

use super::spool::Spool;
use super::{Context, Renderer, Setup, Summary};
use crate::problem::Problem;

/// The JUnit renderer: it streams. Each file's suite is rendered on the worker thread that
/// linted it and spooled in path order (in memory up to 1 MiB, then in a temporary file,
/// [`Spool`]), and so are the skipped files' test cases; the root element, which carries the
/// run's totals (test cases and failures) that many report viewers read, is written at the
/// end, followed by the spooled suites: the same bytes as a document written at once.
pub struct Junit<'a> {
    setup: Setup<'a>,
}

impl<'a> Junit<'a> {
    pub fn new(setup: &Setup<'a>) -> Self {
        Self { setup: *setup }
    }
}

/// What a worker thread makes of one file.
pub enum Prepared {
    /// A contract file (linted, unrecognised or unreadable): its `<testsuite>`, its test
    /// cases and its failed ones.
    Suite {
        xml: String,
        tests: usize,
        failures: usize,
    },
    /// A skipped file: its skipped `<testcase>` in the `governance-lint` suite.
    Skipped(String),
}

/// The document so far.
pub struct Stream {
    /// The files' suites, in path order.
    suites: Spool,
    /// Their test cases and failed test cases.
    tests: usize,
    failures: usize,
    /// The skipped files' test cases, in path order, and how many.
    skipped: Spool,
    skipped_count: usize,
}

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

impl Renderer for Junit<'_> {
    type Prepared = Prepared;
    type State = Stream;

    fn prepare(&self, report: &mut FileReport) -> Prepared {
        let mut xml = String::new();
        if report.status() == FileStatus::Skipped {
            skipped_case(&mut xml, report);
            return Prepared::Skipped(xml);
        }
        let suite = Suite::of(report, self.setup.fail_on);
        suite.write(&mut xml);
        let prepared = Prepared::Suite {
            xml,
            tests: suite.cases.len(),
            failures: suite.failures(),
        };
        // The report waits for the files before it: without its file's text.
        report.detach();
        prepared
    }

    fn begin(&self, _out: &mut dyn Write, _files: usize) -> io::Result<Stream> {
        Ok(Stream {
            suites: Spool::default(),
            tests: 0,
            failures: 0,
            skipped: Spool::default(),
            skipped_count: 0,
        })
    }

    fn file(
        &self,
        stream: &mut Stream,
        _out: &mut dyn Write,
        _report: FileReport,
        prepared: Prepared,
    ) -> io::Result<()> {
        match prepared {
            Prepared::Suite {
                xml,
                tests,
                failures,
            } => {
                stream.tests += tests;
                stream.failures += failures;
                stream.suites.write_all(xml.as_bytes())
            }
            Prepared::Skipped(xml) => {
                stream.skipped_count += 1;
                stream.skipped.write_all(xml.as_bytes())
            }
        }
    }

    fn end(
        &self,
        stream: Stream,
        out: &mut dyn Write,
        _summary: &Summary,
        problems: &[Problem],
    ) -> io::Result<()> {
        let errors = problems.len();
        writeln!(
            out,
            "{DECLARATION}<testsuites name=\"governance-lint\" tests=\"{}\" failures=\"{}\" errors=\"{errors}\">",
            stream.tests + stream.skipped_count + errors,
            stream.failures
        )?;
        stream.suites.copy_to(out)?;
        out.write_all(run_suite(self.setup.context, stream.skipped_count, errors).as_bytes())?;
        stream.skipped.copy_to(out)?;
        let mut xml = String::new();
        for problem in problems {
            problem_case(&mut xml, problem);
        }
        out.write_all(xml.as_bytes())?;
        out.write_all(b"  </testsuite>\n</testsuites>\n")
    }

    fn stopped(&self, out: &mut dyn Write, problems: &[Problem]) -> io::Result<()> {
        let mut xml = String::from(DECLARATION);
        let count = problems.len();
        let _ = writeln!(
            xml,
            "<testsuites name=\"governance-lint\" tests=\"{count}\" failures=\"0\" errors=\"{count}\">"
        );
        let _ = writeln!(
            xml,
            "  <testsuite name=\"governance-lint\" tests=\"{count}\" failures=\"0\" errors=\"{count}\" skipped=\"0\">"
        );
        for problem in problems {
            problem_case(&mut xml, problem);
        }
        xml.push_str("  </testsuite>\n</testsuites>\n");
        out.write_all(xml.as_bytes())
    }
}

/// A problem that stopped the run, as an errored test case.
fn problem_case(xml: &mut String, problem: &Problem) {
    let mut text = String::new();
    if let Some(at) = &problem.location {
        let _ = write!(text, "{}:{}:{}: ", at.file, at.start.line, at.start.column);
    }
    text.push_str(&problem.message);
    if let Some(help) = &problem.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    let _ = writeln!(
        xml,
        "    <testcase name=\"{code}\" classname=\"governance-lint\">\n      <error type=\"{code}\" message=\"{message}\">{text}</error>\n    </testcase>",
        code = attribute(&problem.code),
        message = attribute(&problem.message),
        text = content(&text),
    );
}

/// The run itself, up to its test cases: what it used (policies, configuration, strict mode,
/// a moved date) as properties. Every skipped file follows as a skipped test case with its
/// reason, so that a test report shows what was not linted.
fn run_suite(context: &Context, skipped: usize, errors: usize) -> String {
    let mut xml = String::new();
    let tests = skipped + errors;
    let _ = writeln!(
        xml,
        "  <testsuite name=\"governance-lint\" tests=\"{tests}\" failures=\"0\" errors=\"{errors}\" skipped=\"{skipped}\">"
    );
    xml.push_str("    <properties>\n");
    let mut property = |name: &str, value: &str| {
        let _ = writeln!(
            xml,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attribute(value)
        );
    };
    if let Some(policies) = &context.policies {
        property("policies", &policies.describe());
    }
    property("configuration", context.config.as_deref().unwrap_or("none"));
    property("strict", if context.strict { "true" } else { "false" });
    if let Some((date, by)) = context.today {
        property("waivers-judged-as-of", &format!("{date} (set by {by})"));
    }
    xml.push_str("    </properties>\n");
    xml
}

/// A skipped file, as a skipped test case with its reason.
fn skipped_case(xml: &mut String, report: &FileReport) {
    let file = attribute(report.source().name());
    let reason = report
        .skip()
        .map_or("not a data contract", |skip| skip.reason());
    let _ = writeln!(
        xml,
        "    <testcase name=\"{file}\" classname=\"skipped\" file=\"{file}\">\n      <skipped message=\"{}\"/>\n    </testcase>",
        attribute(reason)
    );
}

/// One file.
struct Suite<'a> {
    report: &'a FileReport,
    /// The lowest severity that fails the run; `None` for `--fail-on never`.
    fail_on: Option<Severity>,
    /// Rule id and its findings, in order.
    cases: Vec<(&'a str, Vec<&'a Finding>)>,
}

impl<'a> Suite<'a> {
    fn of(report: &'a FileReport, fail_on: Option<Severity>) -> Self {
        let mut cases: Vec<(&str, Vec<&Finding>)> =
            report.rules().iter().map(|r| (&**r, Vec::new())).collect();
        // A waived finding is an accepted exception, not a failure.
        for finding in report
            .findings()
            .iter()
            .filter(|f| f.suppression().is_none())
        {
            match cases.iter_mut().find(|(rule, _)| *rule == finding.rule()) {
                Some((_, findings)) => findings.push(finding),
                None => cases.push((finding.rule(), vec![finding])),
            }
        }
        Self {
            report,
            fail_on,
            cases,
        }
    }

    /// Whether a finding is at or above `--fail-on`.
    fn fails(&self, finding: &Finding) -> bool {
        self.fail_on
            .is_some_and(|threshold| finding.severity() >= threshold)
    }

    /// The test cases with a failure: those with a finding at or above `--fail-on`.
    fn failures(&self) -> usize {
        self.cases
            .iter()
            .filter(|(_, findings)| findings.iter().any(|f| self.fails(f)))
            .count()
    }

    fn write(&self, xml: &mut String) {
        let file = attribute(self.report.source().name());
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            self.cases.len(),
            self.failures()
        );
        for (rule, findings) in &self.cases {
            let rule = attribute(rule);
            let open =
                format!("    <testcase name=\"{rule}\" classname=\"{file}\" file=\"{file}\"");
            if findings.is_empty() {
                let _ = writeln!(xml, "{open}/>");
                continue;
            }
            let (failing, passing): (Vec<&Finding>, Vec<&Finding>) =
                findings.iter().copied().partition(|f| self.fails(f));
            let _ = writeln!(xml, "{open}>");
            if let Some(first) = failing.first() {
                let severity = failing
                    .iter()
                    .map(|f| f.severity())
                    .max()
                    .unwrap_or(first.severity());
                let message = match failing.len() {
                    1 => first.message().to_owned(),
                    n => format!("{} (and {} more)", first.message(), n - 1),
                };
                let _ = writeln!(
                    xml,
                    "      <failure type=\"{severity}\" message=\"{}\">{}</failure>",
                    attribute(&message),
                    content(&listing(&failing))
                );
            }
            if !passing.is_empty() {
                let _ = writeln!(
                    xml,
                    "      <system-out>{}</system-out>",
                    content(&listing(&passing))
                );
            }
            let _ = writeln!(xml, "    </testcase>");
        }
        xml.push_str("  </testsuite>\n");
    }
}

/// Each finding as `file:line:column: severity: message`, and its help on the next line.
fn listing(findings: &[&Finding]) -> String {
    let mut text = String::new();
    for finding in findings {
        let at = finding.location().start;
        let _ = writeln!(
            text,
            "{}:{}:{}: {}: {}",
            finding.file().name(),
            at.line,
            at.column,
            finding.severity(),
            finding.message()
        );
        if let Some(previous) = finding.previous() {
            let was = previous.location().start;
            let _ = writeln!(
                text,
                "  before: {}:{}:{}",
                previous.file(),
                was.line,
                was.column
            );
        }
        if let Some(help) = finding.help() {
            let _ = writeln!(text, "  help: {help}");
        }
    }
    text
}

/// Whether XML 1.0 can hold `c` at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for an attribute value in double quotes; line breaks and tabs become character
/// references so that attribute normalisation keeps them.
fn attribute(text: &str) -> String {
    escape(text, true)
}

/// Escapes text for element content.
fn content(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_every_character_xml_can_hold() {
        assert_eq!(
            attribute("a<b>&\"c'\n\r\t"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#13;&#9;"
        );
        assert_eq!(content("x\u{1}y\n]]>"), "x\u{FFFD}y\n]]&gt;");
    }
}
