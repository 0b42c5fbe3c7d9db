//! The changelog of `governance-lint diff`: every change of every compared contract, with old
//! → new values and the change rules that flag it, for people (`human`), machines (`json`) and
//! pull-request comments (`markdown`).

use std::io::{self, Write};

use governance_core::{Change, ChangeKind, ContractDiff, DiffStatus, Finding, Severity};
use serde::Serialize;

use super::github::cell;
use super::{plural, printable_line};

/// Every compared file's changes.
pub struct Changelog {
    /// What was compared with (`git ref `main``).
    pub against: String,
    pub files: Vec<FileChanges>,
    /// Selected files that did not change.
    pub unchanged: usize,
}

/// One file's changes.
pub struct FileChanges {
    /// The path as shown (of the deleted file, when it was deleted).
    pub file: String,
    /// The previous version's name (`main:contracts/orders.yaml`).
    pub previous: Option<String>,
    pub new: bool,
    pub deleted: bool,
    /// Why it could not be compared.
    pub error: Option<String>,
    pub contracts: Vec<ContractDiff>,
}

/// The totals of a changelog.
#[derive(Default, Serialize)]
struct Totals {
    files: usize,
    contracts_changed: usize,
    contracts_added: usize,
    contracts_removed: usize,
    changes: usize,
    flagged: usize,
    unchanged_files: usize,
}

impl Changelog {
    fn totals(&self) -> Totals {
        let mut totals = Totals {
            files: self.files.len(),
            unchanged_files: self.unchanged,
            ..Totals::default()
        };
        for contract in self.files.iter().flat_map(|f| &f.contracts) {
            match contract.status {
                DiffStatus::Changed => totals.contracts_changed += 1,
                DiffStatus::Added => totals.contracts_added += 1,
                DiffStatus::Removed => totals.contracts_removed += 1,
                _ => {}
            }
            totals.changes += contract.changes.len();
            totals.flagged += contract
                .changes
                .iter()
                .filter(|c| c.breaking.iter().any(|(_, _, waived)| !waived))
                .count();
        }
        totals
    }

    fn summary(&self) -> String {
        let totals = self.totals();
        let mut contracts = Vec::new();
        if totals.contracts_changed > 0 {
            contracts.push(format!(
                "{} changed",
                plural(totals.contracts_changed, "contract")
            ));
        }
        if totals.contracts_added > 0 {
            contracts.push(format!("{} added", totals.contracts_added));
        }
        if totals.contracts_removed > 0 {
            contracts.push(format!("{} removed", totals.contracts_removed));
        }
        let head = if contracts.is_empty() {
            "no contract changed".to_owned()
        } else {
            contracts.join(", ")
        };
        let mut line = format!(
            "{head}: {}, {} flagged by change rules",
            plural(totals.changes, "change"),
            totals.flagged
        );
        if totals.unchanged_files > 0 {
            line.push_str(&format!(
                "; {} not shown",
                plural(totals.unchanged_files, "unchanged file")
            ));
        }
        line
    }
}

fn symbol(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        _ => "~",
    }
}

/// "field `orders.email` `type`: `string` → `integer`".
fn described(change: &Change) -> String {
    let mut text = change.subject.clone();
    if let Some(attribute) = &change.attribute {
        text.push_str(&format!(" `{attribute}`"));
    }
    match (&change.old, &change.new, change.kind) {
        (Some(old), Some(new), _) => text.push_str(&format!(": `{old}` → `{new}`")),
        (None, Some(new), _) => text.push_str(&format!(": `{new}`")),
        (Some(old), None, _) => text.push_str(&format!(" (was `{old}`)")),
        (None, None, _) => {}
    }
    text
}

fn flags(change: &Change) -> String {
    change
        .breaking
        .iter()
        .map(|(rule, severity, waived)| {
            if *waived {
                format!("{rule} ({severity}, waived)")
            } else {
                format!("{rule} ({severity})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The findings that no change carries (`version-not-bumped`, a major version bump missing).
fn loose(contract: &ContractDiff) -> Vec<&Finding> {
    contract
        .findings
        .iter()
        .filter(|f| {
            !contract
                .changes
                .iter()
                .any(|c| c.breaking.iter().any(|(rule, _, _)| rule == f.rule()))
        })
        .collect()
}

fn contract_name(contract: &ContractDiff) -> String {
    contract
        .id
        .as_deref()
        .map_or_else(|| "contract".to_owned(), |id| format!("contract `{id}`"))
}

fn file_note(file: &FileChanges) -> String {
    if let Some(error) = &file.error {
        return format!("not compared: {error}");
    }
    match (&file.previous, file.new, file.deleted) {
        (_, true, _) => "new".to_owned(),
        (Some(previous), _, true) => format!("deleted; was {previous}"),
        (Some(previous), _, _) => format!("with {previous}"),
        (None, _, _) => String::new(),
    }
}

/// One line per change, grouped by file and contract.
pub fn human(out: &mut dyn Write, log: &Changelog) -> io::Result<()> {
    for file in &log.files {
        writeln!(
            out,
            "{}  ({})",
            printable_line(&file.file),
            printable_line(&file_note(file))
        )?;
        for contract in &file.contracts {
            if contract.status == DiffStatus::Unchanged {
                writeln!(out, "  {}: no canonical change", contract_name(contract))?;
                continue;
            }
            writeln!(
                out,
                "  {}: {}",
                contract_name(contract),
                contract.status.as_str()
            )?;
            for change in &contract.changes {
                let mut line = format!("    {} {}", symbol(change.kind), described(change));
                if let Some(at) = change.location {
                    line.push_str(&format!("  [{}:{}]", at.start.line, at.start.column));
                }
                let flagged = flags(change);
                if !flagged.is_empty() {
                    line.push_str(&format!("  flagged: {flagged}"));
                }
                writeln!(out, "{}", printable_line(&line))?;
            }
            for finding in loose(contract) {
                writeln!(
                    out,
                    "    ! {} ({}): {}",
                    finding.rule(),
                    finding.severity(),
                    printable_line(finding.message())
                )?;
            }
        }
    }
    writeln!(out, "against {}: {}", log.against, log.summary())
}

/// A Markdown changelog for a pull-request comment: a table per contract.
pub fn markdown(out: &mut dyn Write, log: &Changelog) -> io::Result<()> {
    writeln!(out, "### Data contract changes\n")?;
    writeln!(
        out,
        "Compared with {}: **{}**\n",
        cell(&log.against),
        cell(&log.summary())
    )?;
    for file in &log.files {
        for contract in &file.contracts {
            if contract.status == DiffStatus::Unchanged {
                continue;
            }
            writeln!(
                out,
                "#### {} — {} ({})\n",
                cell(&contract_name(contract)),
                cell(&file.file),
                cell(&file_note(file))
            )?;
            writeln!(out, "| | change | old | new | flagged by |")?;
            writeln!(out, "| --- | --- | --- | --- | --- |")?;
            for change in &contract.changes {
                let mut what = change.subject.clone();
                if let Some(attribute) = &change.attribute {
                    what.push_str(&format!(" `{attribute}`"));
                }
                let verdict = if change
                    .breaking
                    .iter()
                    .any(|(_, s, w)| !w && *s == Severity::Error)
                {
                    "❌ "
                } else if change.breaking.iter().any(|(_, _, w)| !w) {
                    "⚠️ "
                } else {
                    ""
                };
                writeln!(
                    out,
                    "| {} | {} {} | {} | {} | {}{} |",
                    symbol(change.kind),
                    cell(&what),
                    change.kind.as_str(),
                    change.old.as_deref().map_or_else(String::new, code),
                    change.new.as_deref().map_or_else(String::new, code),
                    verdict,
                    cell(&flags(change))
                )?;
            }
            writeln!(out)?;
            for finding in loose(contract) {
                writeln!(
                    out,
                    "- **{}** ({}): {}",
                    cell(finding.rule()),
                    finding.severity(),
                    cell(finding.message())
                )?;
            }
            if !loose(contract).is_empty() {
                writeln!(out)?;
            }
        }
        if let Some(error) = &file.error {
            writeln!(
                out,
                "- {}: not compared ({})\n",
                cell(&file.file),
                cell(error)
            )?;
        }
    }
    writeln!(
        out,
        "<sub>governance-lint diff; `governance-lint breaking` fails the check on the flagged changes.</sub>"
    )
}

/// A value in a table cell: as code, with what Markdown would read escaped.
fn code(value: &str) -> String {
    format!(
        "`{}`",
        value
            .replace('`', "'")
            .replace('|', "\\|")
            .replace(['\n', '\r'], " ")
    )
}

#[derive(Serialize)]
struct JsonLog<'a> {
    version: u32,
    against: &'a str,
    files: Vec<JsonFile<'a>>,
    summary: Totals,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    previous: Option<&'a str>,
    status: &'static str,
    error: Option<&'a str>,
    contracts: Vec<JsonContract<'a>>,
}

#[derive(Serialize)]
struct JsonContract<'a> {
    id: Option<&'a str>,
    status: &'static str,
    changes: Vec<JsonChange<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    kind: &'static str,
    subject: &'a str,
    path: Option<&'a str>,
    attribute: Option<&'a str>,
    old: Option<&'a str>,
    new: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    previous_line: Option<usize>,
    previous_column: Option<usize>,
    flagged: Vec<JsonFlag<'a>>,
}

#[derive(Serialize)]
struct JsonFlag<'a> {
    rule: &'a str,
    severity: &'static str,
    suppressed: bool,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    line: usize,
    column: usize,
    suppressed: bool,
}

/// One JSON object: the files, their contracts, each change.
pub fn json(out: &mut dyn Write, log: &Changelog) -> io::Result<()> {
    let files = log
        .files
        .iter()
        .map(|file| JsonFile {
            file: &file.file,
            previous: file.previous.as_deref(),
            status: if file.error.is_some() {
                "not-compared"
            } else if file.new {
                "new"
            } else if file.deleted {
                "deleted"
            } else {
                "compared"
            },
            error: file.error.as_deref(),
            contracts: file
                .contracts
                .iter()
                .map(|contract| JsonContract {
                    id: contract.id.as_deref(),
                    status: contract.status.as_str(),
                    changes: contract
                        .changes
                        .iter()
                        .map(|change| JsonChange {
                            kind: change.kind.as_str(),
                            subject: &change.subject,
                            path: change.path.as_deref(),
                            attribute: change.attribute.as_deref(),
                            old: change.old.as_deref(),
                            new: change.new.as_deref(),
                            line: change.location.map(|l| l.start.line),
                            column: change.location.map(|l| l.start.column),
                            previous_line: change.previous_location.map(|l| l.start.line),
                            previous_column: change.previous_location.map(|l| l.start.column),
                            flagged: change
                                .breaking
                                .iter()
                                .map(|(rule, severity, suppressed)| JsonFlag {
                                    rule,
                                    severity: severity.as_str(),
                                    suppressed: *suppressed,
                                })
                                .collect(),
                        })
                        .collect(),
                    findings: contract
                        .findings
                        .iter()
                        .map(|finding| {
                            let at = finding.location().start;
                            JsonFinding {
                                rule: finding.rule(),
                                severity: finding.severity().as_str(),
                                message: finding.message(),
                                line: at.line,
                                column: at.column,
                                suppressed: finding.suppression().is_some(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    super::write_json(
        out,
        &JsonLog {
            version: 1,
            against: &log.against,
            files,
            summary: log.totals(),
        },
    )
}
