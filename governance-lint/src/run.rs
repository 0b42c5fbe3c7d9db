//! Reading and linting the discovered files, in parallel, in a deterministic order.

use std::sync::Arc;

use governance_core::{
    file_start, FileReport, FileStatus, Finding, Limits, PolicySet, Severity, SourceFile, Span,
    WaiverClock,
};
use rayon::prelude::*;

use crate::discover::{Candidate, WalkProblem};

/// Lints every candidate; reports come back in the candidates' order whatever the threads.
/// Files over `max_bytes` are not read (a `limit-exceeded` finding says so).
pub fn lint_all(
    policies: &PolicySet,
    files: &[Candidate],
    limits: Limits,
    clock: WaiverClock,
    max_bytes: u64,
) -> Vec<FileReport> {
    if files.len() == 1 {
        // One file (the pre-commit case): no thread pool to start.
        return files
            .iter()
            .map(|candidate| lint_one(policies, candidate, limits, clock, max_bytes))
            .collect();
    }
    files
        .par_iter()
        .map(|candidate| lint_one(policies, candidate, limits, clock, max_bytes))
        .collect()
}

fn lint_one(
    policies: &PolicySet,
    candidate: &Candidate,
    limits: Limits,
    clock: WaiverClock,
    max_bytes: u64,
) -> FileReport {
    match read(candidate, max_bytes) {
        Ok(text) => policies.lint_with(
            SourceFile::new(candidate.display.clone(), text),
            limits,
            clock,
        ),
        Err(problem) => failed(&candidate.display, problem),
    }
}

/// Why a file could not be turned into text.
pub struct ReadProblem {
    rule: &'static str,
    message: String,
    /// The text to show, when some of it could be read (invalid UTF-8 shown lossily).
    text: String,
    span: Option<Span>,
    help: Option<&'static str>,
}

fn read(candidate: &Candidate, max_bytes: u64) -> Result<String, ReadProblem> {
    let io = |error: std::io::Error| ReadProblem {
        rule: "io-error",
        message: format!("cannot read the file: {error}"),
        text: String::new(),
        span: None,
        help: None,
    };
    let metadata = std::fs::metadata(&candidate.path).map_err(io)?;
    if !metadata.is_file() {
        return Err(ReadProblem {
            rule: "io-error",
            message: "not a regular file".to_owned(),
            text: String::new(),
            span: None,
            help: None,
        });
    }
    if metadata.len() > max_bytes {
        return Err(ReadProblem {
            rule: "limit-exceeded",
            message: format!(
                "the file is {} bytes, over the limit of {max_bytes} bytes",
                metadata.len()
            ),
            text: String::new(),
            span: None,
            help: Some(
                "if the file really is that large, raise `max-file-bytes` in governance.toml",
            ),
        });
    }
    let bytes = std::fs::read(&candidate.path).map_err(io)?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadProblem {
            rule: "parse-error",
            message: "the file is UTF-16 encoded; contracts must be UTF-8".to_owned(),
            text: String::new(),
            span: None,
            help: None,
        });
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let text = String::from_utf8_lossy(bytes.get(..at).unwrap_or(&[])).into_owned();
        let end = text.len();
        return Err(ReadProblem {
            rule: "parse-error",
            message: format!(
                "the file holds a NUL byte at offset {at}: it looks binary, not YAML or JSON"
            ),
            text,
            span: Some(Span::empty(end)),
            help: None,
        });
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
        // The lossy text has the same bytes up to `valid`.
        ReadProblem {
            rule: "parse-error",
            message: format!("the file is not valid UTF-8 (invalid byte at offset {valid})"),
            text,
            span: Some(Span::empty(valid)),
            help: None,
        }
    })
}

fn failed(display: &str, problem: ReadProblem) -> FileReport {
    let source = Arc::new(SourceFile::new(display, problem.text));
    let span = problem.span.unwrap_or_else(|| file_start(&source));
    let finding = Finding::new(
        problem.rule,
        Severity::Error,
        problem.message,
        source.clone(),
        span,
    );
    let finding = match problem.help {
        Some(help) => finding.with_help(help),
        None => finding,
    };
    FileReport {
        source,
        status: FileStatus::Failed,
        format: None,
        contracts: 0,
        fields: 0,
        findings: vec![finding],
        note: None,
        domain: None,
        rules: Vec::new(),
    }
}

/// A path the walk could not read, as a failed file.
pub fn walk_failure(problem: &WalkProblem) -> FileReport {
    failed(
        &problem.display,
        ReadProblem {
            rule: "io-error",
            message: problem.message.clone(),
            text: String::new(),
            span: None,
            help: None,
        },
    )
}
