//! What linting one file gives: its status, what it held, its findings.

use std::sync::Arc;

use crate::contract::{Contract, Format, Skip};
use crate::document::LoadError;
use crate::finding::{Finding, Severity};
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

/// The result of linting one file: its status, what it held and its findings.
///
/// Read it through its accessors; the engine ([`crate::Engine::lint`]) and the constructors
/// ([`FileReport::skipped`], [`FileReport::failed`], [`FileReport::unreadable`]) make it. Its
/// fields are private, so that a new one is not a breaking change.
#[derive(Debug, Clone)]
pub struct FileReport {
    source: Arc<SourceFile>,
    status: FileStatus,
    format: Option<Format>,
    contracts: usize,
    fields: usize,
    findings: Vec<Finding>,
    skip: Option<Skip>,
    domain: Option<String>,
    rules: Vec<Arc<str>>,
    comparison: Option<super::Comparison>,
}

impl FileReport {
    /// A file that holds contracts, every one evaluated: its format and domain are those of
    /// the first contract; `findings` in position order; `rules` the ids of the rules
    /// evaluated on at least one of them, in policy order.
    pub(crate) fn linted(
        source: Arc<SourceFile>,
        contracts: &[Contract],
        findings: Vec<Finding>,
        rules: Vec<Arc<str>>,
    ) -> Self {
        Self {
            source,
            status: FileStatus::Linted,
            format: contracts.first().map(Contract::format),
            contracts: contracts.len(),
            fields: contracts.iter().map(Contract::field_count).sum(),
            findings,
            skip: None,
            domain: contracts.first().and_then(Contract::domain),
            rules,
            comparison: None,
        }
    }

    /// A file compared with its previous version (`governance-lint breaking`): like
    /// [`FileReport::linted`], with what it was compared with.
    pub(crate) fn compared(
        source: Arc<SourceFile>,
        contracts: &[Contract],
        findings: Vec<Finding>,
        rules: Vec<Arc<str>>,
        comparison: super::Comparison,
    ) -> Self {
        let mut report = Self::linted(source, contracts, findings, rules);
        report.comparison = Some(comparison);
        report
    }

    /// A file that looks like a contract but matches no standard, with the findings that say
    /// so (in position order).
    pub(crate) fn unrecognised(source: Arc<SourceFile>, findings: Vec<Finding>) -> Self {
        Self {
            source,
            status: FileStatus::Unrecognised,
            format: None,
            contracts: 0,
            fields: 0,
            findings,
            skip: None,
            domain: None,
            rules: Vec::new(),
            comparison: None,
        }
    }

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
            comparison: None,
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
            comparison: None,
        }
    }

    /// A file that could not be turned into text (unreadable, too large, not UTF-8, a link
    /// that leads outside): one finding of `rule` at `span` (else at the start of the file,
    /// after a byte order mark), with `help`.
    #[must_use]
    pub fn unreadable(
        source: Arc<SourceFile>,
        rule: crate::builtin::BuiltinRule,
        message: impl Into<String>,
        span: Option<Span>,
        help: Option<&str>,
    ) -> Self {
        let span = span.unwrap_or_else(|| source.start());
        let finding = Finding::new(rule.id(), rule.severity(), message, source.clone(), span);
        let finding = match help {
            Some(help) => finding.with_help(help),
            None => finding,
        };
        Self::failed(source, finding)
    }

    /// The file (its name only, once [`FileReport::detach`]ed).
    #[must_use]
    pub fn source(&self) -> &Arc<SourceFile> {
        &self.source
    }

    /// What happened to the file.
    #[must_use]
    pub fn status(&self) -> FileStatus {
        self.status
    }

    /// The format of its (first) contract; `None` unless it was linted.
    #[must_use]
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// How many contracts it holds (a YAML file may hold several documents).
    #[must_use]
    pub fn contracts(&self) -> usize {
        self.contracts
    }

    /// How many named fields its contracts have, at every depth.
    #[must_use]
    pub fn fields(&self) -> usize {
        self.fields
    }

    /// Its findings, in position order; suppressed ones included (see
    /// [`Finding::suppression`]).
    #[must_use]
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// For a skipped file, why it is not linted.
    #[must_use]
    pub fn skip(&self) -> Option<&Skip> {
        self.skip.as_ref()
    }

    /// The canonical domain of its (first) contract, when it declares one.
    #[must_use]
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The ids of the rules evaluated on it (enabled, and in scope for at least one of its
    /// contracts), in policy order. Empty for a skipped, unrecognised or failed file.
    #[must_use]
    pub fn rules(&self) -> &[Arc<str>] {
        &self.rules
    }

    /// For a report of `breaking`: what the file was compared with.
    #[must_use]
    pub fn comparison(&self) -> Option<&super::Comparison> {
        self.comparison.as_ref()
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

/// A file that could not be loaded, as a finding.
pub(crate) fn load_error_finding(error: &LoadError, source: &Arc<SourceFile>) -> Finding {
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
