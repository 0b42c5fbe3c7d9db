//! Human output: miette's annotated snippets, then a one-line summary.

use std::io::{self, Write};

use governance_core::{FileReport, FileStatus, PolicySet};
use miette::{GraphicalReportHandler, GraphicalTheme};

use super::{plural, Summary};
use crate::problem::Problem;

pub struct Options {
    /// ANSI colours (never when piped or `NO_COLOR` is set, unless asked).
    pub color: bool,
    /// Wrap width for messages.
    pub width: usize,
    pub verbose: bool,
}

/// miette's graphical handler with an explicit theme and no hyperlinks (no escapes at all when
/// colours are off).
fn handler(options: &Options) -> GraphicalReportHandler {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(options.width)
        .with_context_lines(1)
}

/// Problems that stopped the run, each with its source underlined, then one line that says
/// nothing was linted.
pub fn problems(out: &mut dyn Write, problems: &[Problem], options: &Options) -> io::Result<()> {
    let handler = handler(options);
    let mut text = String::new();
    for problem in problems {
        problem.render(&handler, &mut text);
    }
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

pub fn render(out: &mut dyn Write, reports: &[FileReport], options: &Options) -> io::Result<()> {
    let handler = handler(options);
    if options.verbose {
        for report in reports {
            let detail = match (report.status, report.format) {
                (FileStatus::Linted, Some(format)) => {
                    format!("read as {format}, {} fields", report.fields)
                }
                (FileStatus::Skipped, _) => report.note.unwrap_or("not a data contract").to_owned(),
                (FileStatus::Failed, _) => "could not be read".to_owned(),
                (FileStatus::Linted, None) => String::new(),
            };
            writeln!(
                out,
                "{:<7} {}  ({detail})",
                report.status.as_str(),
                report.source.name()
            )?;
        }
        if !reports.is_empty() {
            writeln!(out)?;
        }
    }
    let mut rendered = String::new();
    for report in reports {
        for finding in &report.findings {
            rendered.clear();
            if handler.render_report(&mut rendered, finding).is_err() {
                rendered = format!("{}: {}\n", finding.rule(), finding.message());
            }
            out.write_all(rendered.as_bytes())?;
        }
    }
    let summary = Summary::of(reports);
    writeln!(out, "{}", summary_line(&summary))
}

pub fn summary_line(summary: &Summary) -> String {
    let mut files = vec![format!("{} linted", summary.linted)];
    if summary.skipped > 0 {
        files.push(format!("{} skipped", summary.skipped));
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
    format!(
        "{head} in {} ({}: {})",
        plural(summary.contracts, "contract"),
        plural(summary.files, "file"),
        files.join(", ")
    )
}

/// `governance-lint rules`: one line per rule.
/// `off` for a rule switched off by configuration.
pub fn rules(out: &mut dyn Write, policies: &PolicySet) -> io::Result<()> {
    let width = policies.rules().map(|r| r.id().len()).max().unwrap_or(0);
    for rule in policies.rules() {
        let line = format!(
            "{:<width$}  {:<7}  {}",
            rule.id(),
            if rule.enabled() {
                rule.severity().as_str()
            } else {
                "off"
            },
            rule.description().unwrap_or("")
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "{}", plural(policies.len(), "rule"))
}
