//! `governance-lint explain`: for a contract, every rule and whether and why it applies
//! (global, domain pack, `scope` line, switched off); for a rule id, its documentation.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use governance_core::{Contract, PolicySet, RuleInfo, SourceFile};

use crate::output::printable;

/// What `explain` was asked about.
pub enum Target<'a> {
    Contract(&'a Path),
    Rule(RuleInfo<'a>),
}

/// A contract file when `target` names one, else the rule with that id; `Err` with a
/// suggestion when it is neither.
pub fn resolve<'a>(target: &'a str, policies: &'a PolicySet) -> Result<Target<'a>, String> {
    let path = Path::new(target);
    if path.is_file() {
        return Ok(Target::Contract(path));
    }
    if let Some(rule) = policies.rules().find(|r| r.id() == target) {
        return Ok(Target::Rule(rule));
    }
    let ids: Vec<&str> = policies.rules().map(|r| r.id()).collect();
    let near = ids
        .iter()
        .map(|id| (strsim::damerau_levenshtein(target, id), *id))
        .filter(|(d, id)| *d <= (id.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id);
    Err(match near {
        Some(id) => format!("`{target}` is neither a file nor a rule id; did you mean `{id}`?"),
        None => format!(
            "`{target}` is neither a file nor a rule id (`governance-lint rules` lists the ids)"
        ),
    })
}

/// Which rules apply to each contract of `path`, and why.
pub fn contract(out: &mut dyn Write, path: &Path, policies: &PolicySet) -> io::Result<bool> {
    let name = path.to_string_lossy().replace('\\', "/");
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            writeln!(out, "cannot read `{name}`: {error}")?;
            return Ok(false);
        }
    };
    let source = Arc::new(SourceFile::new(name.clone(), text));
    let contracts = match Contract::load(&source, governance_core::Limits::default()) {
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
    if contracts.is_empty() {
        writeln!(out, "{name} is not a data contract: no rule applies")?;
        return Ok(true);
    }
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
            "{name}{which}: read as {}, {domain}",
            contract.format()
        )?;
        let explained = policies.explain(contract);
        let applying = explained.iter().filter(|a| a.applies).count();
        writeln!(out, "{applying} of {} rules apply:", explained.len())?;
        let width = explained
            .iter()
            .map(|a| a.rule.id().len())
            .max()
            .unwrap_or(0);
        let places: Vec<String> = explained
            .iter()
            .map(|item| {
                let at = item.rule.position();
                format!("{}:{}:{}", item.rule.file().name(), at.line, at.column)
            })
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

/// A rule's documentation: what it checks, why, how to fix, where it is defined, who raises
/// it, examples.
pub fn rule(out: &mut dyn Write, rule: &RuleInfo<'_>, policies: &PolicySet) -> io::Result<()> {
    let at = rule.position();
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
    writeln!(
        out,
        "  defined in: {}:{}:{}",
        rule.file().name(),
        at.line,
        at.column
    )?;
    let applies = match (rule.domain_pack(), rule.scope()) {
        (Some(domain), _) => format!("contracts of the `{domain}` domain (domain pack)"),
        (None, []) => "every contract (global rule)".to_owned(),
        (None, scope) => format!(
            "contracts of the domains {} (`scope` line)",
            scope
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    writeln!(out, "  applies to: {applies}")?;
    for raise in policies.raises_of(rule.id()) {
        let whom = if raise.scope.is_empty() {
            "every contract".to_owned()
        } else {
            raise
                .scope
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
                + " contracts"
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
