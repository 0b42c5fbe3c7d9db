//! JSON output: one object with a summary, every file seen, every finding, and the problems
//! that stopped the run. `docs/json-report.schema.json` describes exactly this; a test checks
//! the output against it.

use std::io::{self, Write};

use governance_core::{FileReport, PolicySet};
use serde::Serialize;

use super::spool::Spool;
use super::{Context, Renderer, Setup, Summary};
use crate::problem::Problem;

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    linted: usize,
    skipped: usize,
    unrecognised: usize,
    failed: usize,
    contracts: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    /// `breaking`: files compared with their previous version, new and deleted ones.
    #[serde(skip_serializing_if = "is_zero")]
    compared: usize,
    #[serde(skip_serializing_if = "is_zero")]
    new: usize,
    #[serde(skip_serializing_if = "is_zero")]
    deleted: usize,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    status: &'static str,
    format: Option<&'static str>,
    domain: Option<&'a str>,
    contracts: usize,
    fields: usize,
    /// Why a skipped file is not linted.
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<JsonSkip<'a>>,
    /// `breaking`: what the file was compared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    compared: Option<JsonCompared<'a>>,
}

#[derive(Serialize)]
struct JsonCompared<'a> {
    /// `compared`, `new`, `deleted` or `baseline-unreadable`.
    status: &'static str,
    /// The previous version's name (`main:contracts/orders.yaml`).
    previous: Option<&'a str>,
    /// Why the previous version could not be compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl<'a> JsonCompared<'a> {
    fn of(comparison: &'a governance_core::Comparison) -> Self {
        use governance_core::Comparison as C;
        let (status, previous, reason) = match comparison {
            C::Compared { previous } => ("compared", Some(previous.as_str()), None),
            C::New => ("new", None, None),
            C::Deleted => ("deleted", None, None),
            C::BaselineUnreadable { previous, reason } => (
                "baseline-unreadable",
                Some(previous.as_str()),
                Some(reason.as_str()),
            ),
            _ => ("compared", None, None),
        };
        Self {
            status,
            previous,
            reason,
        }
    }
}

#[derive(Serialize)]
struct JsonSkip<'a> {
    reason: &'static str,
    message: &'a str,
}

/// What the run used.
#[derive(Serialize)]
struct JsonContext<'a> {
    policies: Option<JsonPolicies<'a>>,
    configuration: Option<&'a str>,
    strict: bool,
    /// The date waivers were judged by, when `--today` or `GOVERNANCE_LINT_TODAY` set it.
    today: Option<JsonToday>,
    /// `breaking`: what the contracts were compared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    against: Option<JsonAgainst<'a>>,
}

#[derive(Serialize)]
struct JsonAgainst<'a> {
    base: &'a str,
    change_rules: usize,
    built_in: usize,
    unchanged: usize,
}

#[derive(Serialize)]
struct JsonPolicies<'a> {
    source: &'static str,
    paths: &'a [String],
    rules: usize,
    enabled: usize,
    domain_packs: &'a [String],
    /// The packs fetched from git, with their commit and content hash.
    packs: &'a [crate::packs::Locked],
}

#[derive(Serialize)]
struct JsonToday {
    date: String,
    set_by: &'static str,
}

impl<'a> JsonContext<'a> {
    fn of(context: &'a Context) -> Self {
        Self {
            policies: context.policies.as_ref().map(|p| JsonPolicies {
                source: if p.built_in { "built-in" } else { "files" },
                paths: &p.paths,
                rules: p.rules,
                enabled: p.enabled,
                domain_packs: &p.domain_packs,
                packs: &p.packs,
            }),
            configuration: context.config.as_deref(),
            strict: context.strict,
            today: context.today.map(|(date, by)| JsonToday {
                date: date.to_string(),
                set_by: by,
            }),
            against: context.against.as_ref().map(|a| JsonAgainst {
                base: &a.base,
                change_rules: a.rules,
                built_in: a.builtin,
                unchanged: a.unchanged,
            }),
        }
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    file: &'a str,
    /// What the finding is about: a field path, a port, a contract path.
    target: Option<&'a str>,
    /// The contract's domain.
    domain: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    /// Whether a valid waiver suppresses it (then it does not count against `--fail-on`).
    suppressed: bool,
    /// The waiver that suppresses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<JsonWaiver<'a>>,
    /// A change finding: where the thing was in the previous version.
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<JsonPrevious<'a>>,
}

#[derive(Serialize)]
struct JsonPrevious<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    snippet: &'a str,
}

#[derive(Serialize)]
struct JsonWaiver<'a> {
    reason: &'a str,
    owner: Option<&'a str>,
    expires: String,
    line: usize,
}

#[derive(Serialize)]
struct JsonError<'a> {
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
}

impl<'a> JsonError<'a> {
    fn of(problem: &'a Problem) -> Self {
        let at = problem.location.as_ref();
        Self {
            code: &problem.code,
            message: &problem.message,
            help: problem.help.as_deref(),
            file: at.map(|l| l.file.as_str()),
            line: at.map(|l| l.start.line),
            column: at.map(|l| l.start.column),
            end_line: at.map(|l| l.end.line),
            end_column: at.map(|l| l.end.column),
        }
    }
}

/// The JSON renderer: it streams. Each file's findings are serialised on its worker thread and
/// written in path order; the short `files` entries are spooled until the end, where they come
/// with the totals, what the run used and the errors ([`Stream`]).
pub struct Json<'a> {
    context: &'a Context,
}

impl<'a> Json<'a> {
    pub fn new(setup: &Setup<'a>) -> Self {
        Self {
            context: setup.context,
        }
    }
}

impl Renderer for Json<'_> {
    type Prepared = Prepared;
    type State = Stream;

    fn prepare(&self, report: &mut FileReport) -> Prepared {
        prepare(report)
    }

    fn begin(&self, out: &mut dyn Write, _files: usize) -> io::Result<Stream> {
        Stream::begin(out)
    }

    fn file(
        &self,
        stream: &mut Stream,
        out: &mut dyn Write,
        _report: FileReport,
        prepared: Prepared,
    ) -> io::Result<()> {
        stream.file(out, &prepared)
    }

    fn end(
        &self,
        stream: Stream,
        out: &mut dyn Write,
        summary: &Summary,
        problems: &[Problem],
    ) -> io::Result<()> {
        stream.end(out, summary, problems, self.context)
    }

    /// The document with no file and no finding, and the problems as `errors`.
    fn stopped(&self, out: &mut dyn Write, problems: &[Problem]) -> io::Result<()> {
        Stream::begin(out)?.end(out, &Summary::default(), problems, self.context)
    }
}

/// One file's part of the document, as JSON text: its findings and its `files` entry. Made on
/// the worker thread that linted it, so that serialising runs in parallel.
pub struct Prepared {
    findings: Vec<String>,
    file: String,
}

pub fn prepare(report: &FileReport) -> Prepared {
    let findings = report
        .findings()
        .iter()
        .map(|f| {
            let location = f.location();
            pretty_at(
                &JsonFinding {
                    rule: f.rule(),
                    severity: f.severity().as_str(),
                    file: f.file().name(),
                    target: f.target(),
                    domain: report.domain(),
                    line: location.start.line,
                    column: location.start.column,
                    end_line: location.end.line,
                    end_column: location.end.column,
                    message: f.message(),
                    help: f.help(),
                    suppressed: f.suppression().is_some(),
                    waiver: f.suppression().map(|w| JsonWaiver {
                        reason: &w.reason,
                        owner: w.owner.as_deref(),
                        expires: w.expires.to_string(),
                        line: w.line,
                    }),
                    previous: f.previous().map(|p| {
                        let at = p.location();
                        JsonPrevious {
                            file: p.file(),
                            line: at.start.line,
                            column: at.start.column,
                            end_line: at.end.line,
                            end_column: at.end.column,
                            snippet: p.snippet(),
                        }
                    }),
                },
                2,
            )
        })
        .collect();
    // One line per file: these entries are spooled until the end of the run.
    let file = format!(
        "    {}",
        serde_json::to_string(&JsonFile {
            file: report.source().name(),
            status: report.status().as_str(),
            format: report.format().map(|f| f.as_str()),
            domain: report.domain(),
            contracts: report.contracts(),
            fields: report.fields(),
            skipped: report.skip().map(|skip| JsonSkip {
                reason: skip.code(),
                message: skip.reason(),
            }),
            compared: report.comparison().map(JsonCompared::of),
        })
        .unwrap_or_default()
    );
    Prepared { findings, file }
}

/// `value` as pretty JSON, indented to sit `depth` levels deep (its first line too: trim it to
/// put the value after a key). The same bytes as in a document pretty-printed as a whole.
pub(super) fn pretty_at(value: &impl Serialize, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let indent = "  ".repeat(depth);
    let mut out = String::with_capacity(text.len() + 16 * depth);
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&indent);
        out.push_str(line);
    }
    out
}

/// The document written as files are linted: the findings stream out, the `files` entries
/// (a line each) are spooled (in memory up to 1 MiB, then in a temporary file) until the end,
/// where they are written with the summary and the errors. Memory stays flat however many
/// files there are.
pub struct Stream {
    files: Spool,
    findings: usize,
}

impl Stream {
    pub fn begin(out: &mut dyn Write) -> io::Result<Self> {
        write!(
            out,
            "{{\n  \"version\": {SCHEMA_VERSION},\n  \"findings\": ["
        )?;
        Ok(Self {
            files: Spool::default(),
            findings: 0,
        })
    }

    /// Writes one file's findings and keeps its `files` entry.
    pub fn file(&mut self, out: &mut dyn Write, prepared: &Prepared) -> io::Result<()> {
        for finding in &prepared.findings {
            out.write_all(if self.findings == 0 { b"\n" } else { b",\n" })?;
            out.write_all(finding.as_bytes())?;
            self.findings += 1;
        }
        let separator: &[u8] = if self.files.is_empty() { b"\n" } else { b",\n" };
        self.files.write_all(separator)?;
        self.files.write_all(prepared.file.as_bytes())
    }

    /// Writes the `files` entries, the totals, what the run used and the errors.
    pub fn end(
        self,
        out: &mut dyn Write,
        summary: &Summary,
        problems: &[Problem],
        context: &Context,
    ) -> io::Result<()> {
        let close = |written: bool| if written { "\n  ]" } else { "]" };
        write!(out, "{},\n  \"files\": [", close(self.findings > 0))?;
        let any_file = !self.files.is_empty();
        self.files.copy_to(out)?;
        let s = summary;
        let summary = pretty_at(
            &JsonSummary {
                files: s.files,
                linted: s.linted,
                skipped: s.skipped,
                unrecognised: s.unrecognised,
                failed: s.failed,
                contracts: s.contracts,
                errors: s.errors,
                warnings: s.warnings,
                infos: s.infos,
                suppressed: s.suppressed,
                compared: s.compared,
                new: s.new,
                deleted: s.deleted,
            },
            1,
        );
        let errors: Vec<JsonError<'_>> = problems.iter().map(JsonError::of).collect();
        let errors = pretty_at(&errors, 1);
        let used = pretty_at(&JsonContext::of(context), 1);
        writeln!(
            out,
            "{},\n  \"summary\": {},\n  \"run\": {},\n  \"errors\": {}\n}}",
            close(any_file),
            summary.trim_start(),
            used.trim_start(),
            errors.trim_start()
        )
    }
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    severity: &'static str,
    description: Option<&'a str>,
    help: Option<&'a str>,
    docs: Option<&'a str>,
    enabled: bool,
    mandatory: bool,
    /// The domains it applies to; empty: every contract.
    domains: &'a [String],
    /// The domain pack (`domains/<domain>/`) it comes from, if any.
    domain_pack: Option<&'a str>,
    file: &'a str,
    line: usize,
    raises: Vec<JsonRaise>,
}

/// A `raise` line that applies to a rule.
#[derive(Serialize)]
struct JsonRaise {
    severity: &'static str,
    /// The domains it applies to; empty: every contract.
    domains: Vec<String>,
    /// `file:line:column` of the `raise` line.
    at: String,
}

pub fn rules(out: &mut dyn Write, policies: &PolicySet) -> io::Result<()> {
    let rules: Vec<JsonRule<'_>> = policies
        .rules()
        .map(|r| JsonRule {
            id: r.id(),
            severity: r.severity().as_str(),
            description: r.description(),
            help: r.help(),
            docs: r.docs(),
            enabled: r.enabled(),
            mandatory: r.mandatory(),
            domains: r.scope(),
            domain_pack: r.domain_pack(),
            file: r.file().name(),
            line: r.position().line,
            raises: policies
                .raises_of(r.id())
                .into_iter()
                .map(|raise| JsonRaise {
                    severity: raise.severity.as_str(),
                    domains: raise.scope,
                    at: raise.at,
                })
                .collect(),
        })
        .collect();
    super::write_json(out, &rules)
}
