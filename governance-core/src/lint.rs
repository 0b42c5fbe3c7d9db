//! Linting one file end to end: load, recognise, evaluate, account for what happened.

use std::sync::Arc;

use crate::contract::{Contract, Format, NormalizeIssue};
use crate::document::{Limits, LoadError, LoadIssue};
use crate::eval::waivers::WaiverClock;
use crate::finding::{Finding, Severity};
use crate::policy::PolicySet;
use crate::source::{SourceFile, Span};

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileStatus {
    /// It holds at least one contract, and every contract was evaluated.
    Linted,
    /// It is YAML/JSON but not a data contract (a CI workflow, say).
    Skipped,
    /// It could not be read as YAML/JSON or broke a limit (see its findings).
    Failed,
}

impl FileStatus {
    /// `linted`, `skipped` or `failed`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Linted => "linted",
            FileStatus::Skipped => "skipped",
            FileStatus::Failed => "failed",
        }
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
    /// For a skipped file, why it is not a contract.
    pub note: Option<&'static str>,
    /// The canonical domain of its (first) contract, when it declares one.
    pub domain: Option<String>,
    /// The ids of the rules evaluated on it (enabled, and in scope for at least one of its
    /// contracts), in policy order. Empty for a skipped or failed file.
    pub rules: Vec<Arc<str>>,
}

impl FileReport {
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
    /// use governance_core::{FileStatus, Limits, PolicySet, SourceFile};
    /// let policies = PolicySet::parse("p.policy", "rule owner { contract must have owner }")?;
    /// let report = policies.lint(SourceFile::new("ci.yml", "on: push\njobs: {}\n"), Limits::default());
    /// assert_eq!(report.status, FileStatus::Skipped);
    /// let report = policies.lint(SourceFile::new("c.yaml", "data_product: [oops\n"), Limits::default());
    /// assert_eq!((report.status, report.findings[0].rule()), (FileStatus::Failed, "parse-error"));
    /// # Ok::<(), governance_core::PolicyErrors>(())
    /// ```
    #[must_use]
    pub fn lint(&self, source: SourceFile, limits: Limits) -> FileReport {
        self.lint_with(source, limits, WaiverClock::default())
    }

    /// Like [`PolicySet::lint`], judging waivers by `clock`.
    #[must_use]
    pub fn lint_with(&self, source: SourceFile, limits: Limits, clock: WaiverClock) -> FileReport {
        let source = Arc::new(source);
        match Contract::load_explained(&source, limits) {
            Err(error) => FileReport {
                findings: vec![load_error_finding(&error, &source)],
                source,
                status: FileStatus::Failed,
                format: None,
                contracts: 0,
                fields: 0,
                note: None,
                domain: None,
                rules: Vec::new(),
            },
            Ok((contracts, note)) if contracts.is_empty() => FileReport {
                source,
                status: FileStatus::Skipped,
                format: None,
                contracts: 0,
                fields: 0,
                findings: Vec::new(),
                note,
                domain: None,
                rules: Vec::new(),
            },
            Ok((contracts, _)) => {
                let mut findings = Vec::new();
                let mut fields = 0;
                for contract in &contracts {
                    fields += contract.field_count();
                    findings.extend(self.evaluate_at(contract, clock));
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
                    note: None,
                    domain: contracts.first().and_then(Contract::domain),
                    rules,
                }
            }
        }
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

/// Problems found while loading a contract that do not stop it being linted.
pub(crate) fn load_findings(contract: &Contract) -> Vec<Finding> {
    let source = contract.source();
    let references = contract.issues.iter().map(|issue| match issue {
        NormalizeIssue::ExternalRef { target, span } => Finding::new(
            "external-ref",
            Severity::Warning,
            format!("reference `{target}` leaves the file and is not followed"),
            source.clone(),
            *span,
        )
        .with_label("not followed")
        .with_help("the field is linted with only the attributes written here; define it in `definitions` to lint it fully"),
        NormalizeIssue::UnresolvedRef { target, span } => Finding::new(
            "unresolved-ref",
            Severity::Error,
            format!("reference `{target}` points at nothing in this file"),
            source.clone(),
            *span,
        )
        .with_label("no such definition"),
    });
    contract
        .doc
        .issues
        .iter()
        .map(|issue| match issue {
            LoadIssue::DuplicateKey { key, first, second } => {
                let line = source.position(first.start()).line;
                Finding::new(
                    "duplicate-key",
                    Severity::Error,
                    format!("key `{key}` appears twice in the same mapping (first on line {line})"),
                    source.clone(),
                    *second,
                )
                .with_label("duplicate key")
                .with_help("tools disagree on which value wins; keep one of them")
            }
        })
        .chain(references)
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
            Limits::default(),
        );
        assert_eq!(report.domain.as_deref(), Some("Sales"));
        let rules: Vec<&str> = report.rules.iter().map(|r| &**r).collect();
        assert_eq!(rules, ["owner", "sales-only"]);
        let skipped = policies.lint(SourceFile::new("ci.yml", "on: push\n"), Limits::default());
        assert_eq!((skipped.domain, skipped.rules.len()), (None, 0));
        Ok(())
    }
}
