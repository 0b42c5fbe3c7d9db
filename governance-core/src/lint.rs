//! Linting one file end to end: load, recognise, evaluate, account for what happened.

use std::sync::Arc;

use crate::builtin::BuiltinRule;
use crate::contract::{Contract, Format, Issue, Skip};
use crate::document::{Limits, LoadError, LoadIssue};
use crate::eval::waivers::WaiverClock;
use crate::finding::{Finding, Severity};
use crate::policy::PolicySet;
use crate::source::{SourceFile, Span};

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileStatus {
    /// It holds at least one contract, and every contract was evaluated.
    Linted,
    /// It is YAML/JSON but not a data contract (a CI workflow, say).
    Skipped,
    /// It looks like a data contract but matches no standard the linter reads: a
    /// `not-recognised` finding says so, and nothing in it is evaluated.
    Unrecognised,
    /// It could not be read as YAML/JSON or broke a limit (see its findings).
    Failed,
}

impl FileStatus {
    /// `linted`, `skipped`, `unrecognised` or `failed`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Linted => "linted",
            FileStatus::Skipped => "skipped",
            FileStatus::Unrecognised => "unrecognised",
            FileStatus::Failed => "failed",
        }
    }
}

/// How files are linted: resource limits, the date waivers are judged by, strict mode.
///
/// ```
/// use governance_core::{Date, LintOptions, WaiverClock};
/// let today: Date = "2026-11-25".parse()?;
/// let options = LintOptions::default()
///     .with_clock(WaiverClock { today, ..WaiverClock::default() })
///     .with_strict(true);
/// assert!(options.strict());
/// # Ok::<(), governance_core::BadDate>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LintOptions {
    limits: Limits,
    clock: WaiverClock,
    strict: bool,
    dbt_enforced: bool,
}

impl LintOptions {
    /// The limits a file must keep to.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The date (and warning window) waivers are judged by.
    #[must_use]
    pub fn with_clock(mut self, clock: WaiverClock) -> Self {
        self.clock = clock;
        self
    }

    /// Strict mode: every "could not read, not recognised, nothing read" warning of a
    /// built-in rule is an error, and a waiver must name what it covers.
    #[must_use]
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The file lies in a folder for which `dbt_project.yml` sets `+contract: {enforced:
    /// true}`: its dbt models are contracts unless they switch enforcement off themselves.
    #[must_use]
    pub fn with_dbt_enforced(mut self, enforced: bool) -> Self {
        self.dbt_enforced = enforced;
        self
    }

    /// The limits.
    #[must_use]
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The waiver clock.
    #[must_use]
    pub fn clock(&self) -> WaiverClock {
        self.clock
    }

    /// Whether strict mode is on.
    #[must_use]
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// Whether a dbt project enforces the file's model contracts.
    #[must_use]
    pub fn dbt_enforced(&self) -> bool {
        self.dbt_enforced
    }
}

/// The result of linting one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file.
    pub source: Arc<SourceFile>,
    /// What happened.
    pub status: FileStatus,
    /// The format of its (first) contract.
    pub format: Option<Format>,
    /// How many contracts it holds (YAML files may hold several documents).
    pub contracts: usize,
    /// How many named fields its contracts have, at every depth.
    pub fields: usize,
    /// Findings in position order.
    pub findings: Vec<Finding>,
    /// For a skipped file, why it is not linted.
    pub skip: Option<Skip>,
    /// The canonical domain of its (first) contract, when it declares one.
    pub domain: Option<String>,
    /// The ids of the rules evaluated on it (enabled, and in scope for at least one of its
    /// contracts), in policy order. Empty for a skipped or failed file.
    pub rules: Vec<Arc<str>>,
}

impl FileReport {
    /// A file that was seen and deliberately not linted.
    #[must_use]
    pub fn skipped(source: Arc<SourceFile>, skip: Skip) -> Self {
        Self {
            source,
            status: FileStatus::Skipped,
            format: None,
            contracts: 0,
            fields: 0,
            findings: Vec::new(),
            skip: Some(skip),
            domain: None,
            rules: Vec::new(),
        }
    }

    /// A file that could not be read, with the finding that says why.
    #[must_use]
    pub fn failed(source: Arc<SourceFile>, finding: Finding) -> Self {
        Self {
            source,
            status: FileStatus::Failed,
            format: None,
            contracts: 0,
            fields: 0,
            findings: vec![finding],
            skip: None,
            domain: None,
            rules: Vec::new(),
        }
    }

    /// Lets go of the file's text (see [`Finding::detach`]): a report to keep until the end of
    /// a large run costs its findings, not its file.
    pub fn detach(&mut self) {
        let name_only = Arc::new(SourceFile::new(self.source.name(), ""));
        for finding in &mut self.findings {
            finding.detach(&name_only);
        }
        self.source = name_only;
    }
}

impl PolicySet {
    /// Lints one file: loads it, skips it if it is not a contract, evaluates every rule.
    /// A file that cannot be read as YAML/JSON is reported as a `parse-error` finding.
    ///
    /// ```
    /// use governance_core::{FileStatus, LintOptions, PolicySet, SourceFile};
    /// let policies = PolicySet::parse("p.policy", "rule owner { contract must have owner }")?;
    /// let options = LintOptions::default();
    /// let report = policies.lint(SourceFile::new("ci.yml", "on: push\njobs: {}\n"), &options);
    /// assert_eq!(report.status, FileStatus::Skipped);
    /// let report = policies.lint(SourceFile::new("c.yaml", "data_product: [oops\n"), &options);
    /// assert_eq!((report.status, report.findings[0].rule()), (FileStatus::Failed, "parse-error"));
    /// # Ok::<(), governance_core::PolicyErrors>(())
    /// ```
    #[must_use]
    pub fn lint(&self, source: SourceFile, options: &LintOptions) -> FileReport {
        let source = Arc::new(source);
        let loaded = match Contract::load_all(&source, options.limits, options.dbt_enforced) {
            Ok(loaded) => loaded,
            Err(error) => {
                let finding = load_error_finding(&error, &source);
                return FileReport::failed(source, finding);
            }
        };
        let mut findings: Vec<Finding> = loaded
            .unrecognised
            .iter()
            .map(|issue| issue_finding(issue, &source, options.strict))
            .collect();
        if loaded.contracts.is_empty() {
            if findings.is_empty() {
                let skip = loaded.skipped.unwrap_or(Skip::NOT_A_CONTRACT);
                return FileReport::skipped(source, skip);
            }
            findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            return FileReport {
                source,
                status: FileStatus::Unrecognised,
                format: None,
                contracts: 0,
                fields: 0,
                findings,
                skip: None,
                domain: None,
                rules: Vec::new(),
            };
        }
        let contracts = loaded.contracts;
        let mut fields = 0;
        for contract in &contracts {
            fields += contract.field_count();
            findings.extend(self.evaluate_with(contract, options));
        }
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        // The rules evaluated on at least one of the file's contracts, in policy order.
        let mut applied = vec![false; self.len()];
        for contract in &contracts {
            for (flag, applies) in applied.iter_mut().zip(self.applies_to(contract)) {
                *flag |= applies;
            }
        }
        let rules = self
            .rules()
            .zip(applied)
            .filter(|(_, applies)| *applies)
            .map(|(rule, _)| rule.shared_id())
            .collect();
        FileReport {
            source,
            status: FileStatus::Linted,
            format: contracts.first().map(Contract::format),
            contracts: contracts.len(),
            fields,
            findings,
            skip: None,
            domain: contracts.first().and_then(Contract::domain),
            rules,
        }
    }
}

/// A finding of a built-in rule, at its default severity (or its strict one).
pub(crate) fn builtin_finding(
    rule: BuiltinRule,
    message: String,
    source: &Arc<SourceFile>,
    span: Span,
    strict: bool,
) -> Finding {
    let severity = if strict {
        rule.strict_severity()
    } else {
        rule.severity()
    };
    Finding::new(rule.id(), severity, message, Arc::clone(source), span)
}

fn issue_finding(issue: &Issue, source: &Arc<SourceFile>, strict: bool) -> Finding {
    let finding = builtin_finding(
        issue.rule,
        issue.message.clone(),
        source,
        issue.span,
        strict,
    )
    .with_label(issue.label);
    match &issue.help {
        Some(help) => finding.with_help(help.clone()),
        None => finding.with_help(issue.rule.help()),
    }
}

/// A file that could not be loaded, as a finding.
#[must_use]
pub fn load_error_finding(error: &LoadError, source: &Arc<SourceFile>) -> Finding {
    let finding = Finding::new(
        error.rule(),
        Severity::Error,
        error.to_string(),
        source.clone(),
        error.span(),
    )
    .with_label(match error {
        LoadError::Syntax { .. } => "here",
        LoadError::TooDeep { .. }
        | LoadError::TooLong { .. }
        | LoadError::TooManyDocuments { .. }
        | LoadError::TooManyNodes { .. } => "limit reached here",
    });
    match error.help() {
        Some(help) => finding.with_help(help),
        None => finding,
    }
}

/// Problems found while loading a contract that do not stop it being linted: duplicate keys,
/// references, content its reader did not read.
pub(crate) fn load_findings(contract: &Contract, strict: bool) -> Vec<Finding> {
    let source = contract.source();
    let duplicates = contract.doc.issues.iter().map(|issue| match issue {
        LoadIssue::DuplicateKey { key, first, second } => {
            let line = source.position(first.start()).line;
            builtin_finding(
                BuiltinRule::DuplicateKey,
                format!("key `{key}` appears twice in the same mapping (first on line {line})"),
                source,
                *second,
                strict,
            )
            .with_label("duplicate key")
            .with_help("tools disagree on which value wins; keep one of them")
        }
    });
    duplicates
        .chain(
            contract
                .issues
                .iter()
                .map(|issue| issue_finding(issue, source, strict)),
        )
        .collect()
}

/// The empty span at the start of `source`, after a byte order mark.
#[must_use]
pub fn file_start(source: &SourceFile) -> Span {
    Span::empty(if source.text().starts_with('\u{feff}') {
        3
    } else {
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_the_domain_and_the_rules_evaluated() -> Result<(), crate::PolicyErrors> {
        let mut policies = PolicySet::parse(
            "all.policy",
            "rule owner { contract must have owner }\nrule off { contract must have domain }",
        )?;
        policies.add(SourceFile::new(
            "sales.policy",
            "scope domain sales\nrule sales-only { contract must have owner }",
        ))?;
        policies.add(SourceFile::new(
            "hr.policy",
            "scope domain hr\nrule hr-only { contract must have owner }",
        ))?;
        let switched_off = policies.configure("off", crate::RuleSetting::Off, "test");
        assert!(switched_off.is_ok());
        let report = policies.lint(
            SourceFile::new("c.yaml", "data_product: p\ndomain: Sales\nschema: {}\n"),
            &LintOptions::default(),
        );
        assert_eq!(report.domain.as_deref(), Some("Sales"));
        let rules: Vec<&str> = report.rules.iter().map(|r| &**r).collect();
        assert_eq!(rules, ["owner", "sales-only"]);
        let skipped = policies.lint(
            SourceFile::new("ci.yml", "on: push\n"),
            &LintOptions::default(),
        );
        assert_eq!((skipped.domain, skipped.rules.len()), (None, 0));
        Ok(())
    }
}
