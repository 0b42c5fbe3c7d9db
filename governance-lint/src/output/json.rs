//! JSON output: one object with a summary, every file seen, and every finding.
//! The schema is documented in docs/json-report.md.

use std::io::{self, Write};

use governance_core::{FileReport, PolicySet};
use serde::Serialize;

use super::Summary;

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    summary: JsonSummary,
    files: Vec<JsonFile<'a>>,
    findings: Vec<JsonFinding<'a>>,
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
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    status: &'static str,
    format: Option<&'static str>,
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
}

pub fn render(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
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
        },
        files: reports
            .iter()
            .map(|r| JsonFile {
                file: r.source.name(),
                status: r.status.as_str(),
                format: r.format.map(|f| f.as_str()),
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
                }
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    severity: &'static str,
    description: Option<&'a str>,
    help: Option<&'a str>,
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
            file: r.file().name(),
            line: r.position().line,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rules).map_err(io::Error::other)?;
    writeln!(out)
}
