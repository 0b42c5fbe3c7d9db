//! What linting one file gives: its status, what it held, its findings.

use std::sync::Arc;

use crate::contract::{Format, Skip};
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
