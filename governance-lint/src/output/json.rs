//! JSON output: one object with a summary, every file seen, every finding, and the problems
//! that stopped the run. `docs/json-report.schema.json` describes exactly this; a test checks
//! the output against it.

use std::io::{self, Write};

use governance_core::PolicySet;
use serde::Serialize;

use super::{Run, Summary};
use crate::problem::Problem;

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    summary: JsonSummary,
    files: Vec<JsonFile<'a>>,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    linted: usize,
    skipped: usize,
    failed: usize,
    contracts: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    status: &'static str,
    format: Option<&'static str>,
    domain: Option<&'a str>,
    contracts: usize,
    fields: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    file: &'a str,
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

pub fn render(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    let reports = run.reports;
    let s = Summary::of(reports);
    let report = Report {
        version: SCHEMA_VERSION,
        summary: JsonSummary {
            files: s.files,
            linted: s.linted,
            skipped: s.skipped,
            failed: s.failed,
            contracts: s.contracts,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            suppressed: s.suppressed,
        },
        files: reports
            .iter()
            .map(|r| JsonFile {
                file: r.source.name(),
                status: r.status.as_str(),
                format: r.format.map(|f| f.as_str()),
                domain: r.domain.as_deref(),
                contracts: r.contracts,
                fields: r.fields,
            })
            .collect(),
        findings: reports
            .iter()
            .flat_map(|r| &r.findings)
            .map(|f| {
                let location = f.location();
                JsonFinding {
                    rule: f.rule(),
                    severity: f.severity().as_str(),
                    file: f.file().name(),
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
                        line: f.file().position(w.span.start()).line,
                    }),
                }
            })
            .collect(),
        errors: run.problems.iter().map(JsonError::of).collect(),
    };
    super::write_json(out, &report)
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    severity: &'static str,
    description: Option<&'a str>,
    help: Option<&'a str>,
    enabled: bool,
    mandatory: bool,
    file: &'a str,
    line: usize,
}

pub fn rules(out: &mut dyn Write, policies: &PolicySet) -> io::Result<()> {
    let rules: Vec<JsonRule<'_>> = policies
        .rules()
        .map(|r| JsonRule {
            id: r.id(),
            severity: r.severity().as_str(),
            description: r.description(),
            help: r.help(),
            enabled: r.enabled(),
            mandatory: r.mandatory(),
            file: r.file().name(),
            line: r.position().line,
        })
        .collect();
    super::write_json(out, &rules)
}
