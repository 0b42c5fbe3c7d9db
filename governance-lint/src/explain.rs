//! `governance-lint explain`: for a contract, every rule and whether and why it applies
//! (global, domain pack, `scope` line, switched off); for a rule id, its documentation.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use governance_core::{BuiltinRule, FileReport, FileStatus, PolicySet, RuleInfo, SourceFile};

use crate::discover::Candidate;
use crate::run::{read, Job};

use crate::output::printable;
use crate::text::domain_list;

/// What `explain` was asked about.
pub enum Target<'a> {
    /// Contract files, or directories of them.
    Files(Vec<PathBuf>),
    Rule(RuleInfo<'a>),
    /// A finding the engine raises on its own (`parse-error`, `unread-content`...).
    Builtin(BuiltinRule),
}

/// A file or directory when `target` names one, else the rule with that id; `Err` with a
/// suggestion when it is neither.
pub fn resolve<'a>(target: &'a str, policies: &'a PolicySet) -> Result<Target<'a>, String> {
    let path = Path::new(target);
    if path.exists() {
        return Ok(Target::Files(vec![path.to_path_buf()]));
    }
    if let Some(rule) = policies.rules().find(|r| r.id() == target) {
        return Ok(Target::Rule(rule));
    }
    if let Some(builtin) = BuiltinRule::from_id(target) {
        return Ok(Target::Builtin(builtin));
    }
    let ids = policies
        .rules()
        .map(|r| r.id())
        .chain(BuiltinRule::ALL.iter().map(|b| b.id()));
    let near = governance_core::closest(target, ids);
    Err(match near {
        Some(id) => format!("`{target}` is neither a file nor a rule id; did you mean `{id}`?"),
        None => format!(
            "`{target}` is neither a file nor a rule id (`governance-lint rules` lists the ids)"
        ),
    })
}

/// Which rules apply to each contract of a file, and why; or why the file is not linted.
/// `report` is what `check` made of it. Returns whether the file could be linted.
pub fn contract(
    out: &mut dyn Write,
    candidate: &Candidate,
    report: &FileReport,
    job: Job<'_>,
) -> io::Result<bool> {
    let name = printable(&candidate.display);
    match report.status() {
        FileStatus::Linted => {}
        FileStatus::Skipped => {
            let why = report.skip().map_or("not a data contract", |s| s.reason());
            writeln!(out, "{name} is skipped ({why}): no rule applies")?;
            return Ok(true);
        }
        _ => {
            for finding in report.findings() {
                let at = finding.location().start;
                writeln!(
                    out,
                    "{name}:{}:{}: not linted: {} ({})",
                    at.line,
                    at.column,
                    printable(finding.message()),
                    finding.rule()
                )?;
            }
            return Ok(false);
        }
    }
    // The same text `check` read: it passed the same checks, so this only fails if the file
    // changed in between.
    let Ok(text) = read(candidate, job.max_bytes) else {
        writeln!(out, "{name}: cannot be read again")?;
        return Ok(false);
    };
    let source = Arc::new(SourceFile::new(candidate.display.clone(), text));
    let options = job
        .engine
        .options()
        .with_dbt_enforced(job.dbt.of(candidate));
    let contracts = match job.engine.contracts(&source, &options) {
        Ok(contracts) => contracts,
        Err(error) => {
            let at = source.position(error.span().start());
            writeln!(
                out,
                "{name}:{}:{}: cannot be read: {error}",
                at.line, at.column
            )?;
            return Ok(false);
        }
    };
    for (index, contract) in contracts.iter().enumerate() {
        let which = if contracts.len() > 1 {
            format!(" (document {} of {})", index + 1, contracts.len())
        } else {
            String::new()
        };
        let domain = contract.domain().map_or_else(
            || "no domain".to_owned(),
            |d| format!("domain `{}`", printable(&d)),
        );
        writeln!(
            out,
            "{name}{which}: read as {}, {domain}, {}",
            contract.format(),
            crate::output::plural(contract.field_count(), "field")
        )?;
        if contract.field_count() == 0 {
            writeln!(
                out,
                "note: no field was read from it, so rules about fields check nothing here"
            )?;
        }
        let explained = job.engine.explain(contract);
        let applying = explained.iter().filter(|a| a.applies).count();
        writeln!(out, "{applying} of {} rules apply:", explained.len())?;
        let width = explained
            .iter()
            .map(|a| a.rule.id().len())
            .max()
            .unwrap_or(0);
        let places: Vec<String> = explained
            .iter()
            .map(|item| item.rule.defined_at().to_string())
            .collect();
        let place_width = places.iter().map(String::len).max().unwrap_or(0);
        for (item, place) in explained.iter().zip(&places) {
            let mark = if item.applies { "applies" } else { "skipped" };
            let severity = if item.applies {
                item.severity.to_string()
            } else {
                "-".to_owned()
            };
            let raised = match (&item.raised_at, item.applies) {
                (Some(raised), true) => format!(" (raised by {raised})"),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {mark}  {:<width$}  {severity:<7}  {place:<place_width$}  {}{raised}",
                item.rule.id(),
                item.reason,
            )?;
        }
    }
    Ok(true)
}

/// A built-in rule's documentation: what it reports, its severity (and in strict mode), how
/// to fix its findings.
pub fn builtin(out: &mut dyn Write, rule: BuiltinRule) -> io::Result<()> {
    writeln!(out, "{}", rule.id())?;
    writeln!(out)?;
    writeln!(out, "  {}", rule.description())?;
    writeln!(out)?;
    let strict = if rule.strict_severity() == rule.severity() {
        String::new()
    } else {
        format!(" ({} with --strict)", rule.strict_severity())
    };
    writeln!(out, "  severity:   {}{strict}", rule.severity())?;
    writeln!(
        out,
        "  defined in: the engine (a built-in rule: no policy defines it, and docs/contracts.md#built-in-rules lists them all)"
    )?;
    writeln!(out, "  applies to: every file read")?;
    writeln!(out, "  help:       {}", rule.help())
}

/// A rule's documentation: what it checks, why, how to fix, where it is defined, who raises
/// it, examples.
pub fn rule(out: &mut dyn Write, rule: &RuleInfo<'_>, policies: &PolicySet) -> io::Result<()> {
    writeln!(out, "{}", rule.id())?;
    writeln!(out)?;
    if let Some(description) = rule.description() {
        writeln!(out, "  {description}")?;
        writeln!(out)?;
    }
    let mandatory = if rule.mandatory() {
        " (mandatory: no configuration, domain pack or waiver can lower or waive it)"
    } else {
        ""
    };
    let state = if rule.enabled() {
        ""
    } else {
        ", switched off by configuration"
    };
    writeln!(out, "  severity:   {}{mandatory}{state}", rule.severity())?;
    writeln!(out, "  defined in: {}", rule.defined_at())?;
    let applies = match (rule.domain_pack(), rule.scope()) {
        (Some(domain), _) => format!("contracts of the `{domain}` domain (domain pack)"),
        (None, []) => "every contract (global rule)".to_owned(),
        (None, scope) => format!(
            "contracts of the domains {} (`scope` line)",
            domain_list(scope)
        ),
    };
    writeln!(out, "  applies to: {applies}")?;
    for raise in policies.raises_of(rule.id()) {
        let whom = if raise.scope.is_empty() {
            "every contract".to_owned()
        } else {
            domain_list(&raise.scope) + " contracts"
        };
        writeln!(
            out,
            "  raised to:  {} for {whom} (by {})",
            raise.severity, raise.at
        )?;
    }
    if let Some(help) = rule.help() {
        writeln!(out, "  help:       {help}")?;
    }
    if let Some(docs) = rule.docs() {
        writeln!(out, "  docs:       {docs}")?;
    }
    for example in rule.examples() {
        writeln!(out)?;
        writeln!(out, "  example:")?;
        for line in example.lines() {
            writeln!(out, "    {line}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "  source:")?;
    for line in rule.text().lines() {
        writeln!(out, "    {line}")?;
    }
    Ok(())
}
