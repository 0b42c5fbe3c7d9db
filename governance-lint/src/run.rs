//! Reading and linting the discovered files, in parallel, in a deterministic order.

use std::sync::Arc;

use governance_core::{BuiltinRule, Engine, FileReport, Skip, SourceFile, Span};
use rayon::prelude::*;

use crate::discover::{Candidate, WalkProblem};

/// What to lint, in report order: a file, or a path the walk could not read.
pub enum Work {
    File(Candidate),
    Unreadable(WalkProblem),
    /// Seen and not linted, with the reason (a symbolic link to a linted file, the report).
    Skipped(String, Skip),
    /// A file and its previous version, compared (`breaking`).
    Compare(crate::against::Pair),
}

impl Work {
    pub fn name(&self) -> &str {
        match self {
            Work::File(candidate) => &candidate.display,
            Work::Unreadable(problem) => &problem.display,
            Work::Skipped(name, _) => name,
            Work::Compare(pair) => &pair.display,
        }
    }
}

/// How to lint.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    /// The engine, with the options every file is linted with.
    pub engine: &'a Engine,
    /// Which directories a dbt project enforces model contracts in.
    pub dbt: &'a crate::dbt::Enforced,
    pub max_bytes: u64,
}

/// How many files are linted at once before their reports are handed on: enough to keep the
/// threads busy, few enough that memory does not grow with the repository.
const CHUNK: usize = 512;

/// Lints every item in parallel and hands each report, with what `prepare` made of it on the
/// worker thread (rendered text, say), to `each` in the items' order whatever the threads.
/// Only one chunk of reports is alive at a time.
pub fn lint_in_order<T: Send>(
    job: Job<'_>,
    work: &[Work],
    prepare: impl Fn(&mut FileReport) -> T + Sync,
    mut each: impl FnMut(FileReport, T),
) {
    let one = |item: &Work| {
        let mut report = match item {
            Work::File(candidate) => lint_file(job, candidate),
            Work::Unreadable(problem) => walk_failure(problem),
            Work::Skipped(name, skip) => skipped(name, skip),
            Work::Compare(pair) => compare_file(job, pair),
        };
        let prepared = prepare(&mut report);
        (report, prepared)
    };
    map_in_order(work, one, |(report, prepared)| each(report, prepared));
}

/// Applies `one` to every item in parallel and hands the results to `each` in the items'
/// order, whatever the threads; only one chunk of results is alive at a time.
pub fn map_in_order<T: Send>(
    work: &[Work],
    one: impl Fn(&Work) -> T + Sync,
    mut each: impl FnMut(T),
) {
    if work.len() == 1 {
        // One file (the pre-commit case): no thread pool to start.
        work.iter().map(one).for_each(each);
        return;
    }
    for chunk in work.chunks(CHUNK) {
        let done: Vec<T> = chunk.par_iter().map(&one).collect();
        done.into_iter().for_each(&mut each);
    }
}

/// The report of a path seen and deliberately not linted.
pub fn skipped(name: &str, skip: &Skip) -> FileReport {
    FileReport::skipped(Arc::new(SourceFile::new(name, "")), skip.clone())
}

/// Reads one file as `check` does: its text, with the options it is linted with (a dbt
/// project may enforce its models), or the failed report that says why it cannot be read.
pub fn read_file(
    job: Job<'_>,
    candidate: &Candidate,
) -> Result<(SourceFile, governance_core::LintOptions), Box<FileReport>> {
    let options = job
        .engine
        .options()
        .with_dbt_enforced(job.dbt.of(candidate));
    match read(candidate, job.max_bytes) {
        Ok(text) => Ok((SourceFile::new(candidate.display.clone(), text), options)),
        Err(problem) => Err(Box::new(failed(&candidate.display, problem))),
    }
}

/// Reads and lints one file, as `check` does.
pub fn lint_file(job: Job<'_>, candidate: &Candidate) -> FileReport {
    match read_file(job, candidate) {
        Ok((source, options)) => job.engine.lint_with(source, &options),
        Err(report) => *report,
    }
}

/// Reads a file and compares it with its previous version, as `breaking` does. The current
/// version is read first: git may still be reading the previous one.
pub fn compare_file(job: Job<'_>, pair: &crate::against::Pair) -> FileReport {
    let Some(candidate) = &pair.current else {
        return match pair.previous.as_ref().map(|p| (p, p.text())) {
            Some((p, Ok(text))) => job
                .engine
                .compare(Some(SourceFile::new(p.name.as_str(), text)), None),
            Some((p, Err(reason))) => {
                job.engine
                    .compare_unreadable(&p.name, &reason, None, job.engine.options())
            }
            None => job.engine.compare(None, None),
        };
    };
    let options = job
        .engine
        .options()
        .with_dbt_enforced(job.dbt.of(candidate));
    let current = match read(candidate, job.max_bytes) {
        Ok(text) => SourceFile::new(candidate.display.clone(), text),
        Err(problem) => return failed(&candidate.display, problem),
    };
    match pair.previous.as_ref().map(|p| (p, p.text())) {
        // There, but not text: reported (`baseline-unreadable`), never taken as new.
        Some((p, Err(reason))) => {
            job.engine
                .compare_unreadable(&p.name, &reason, Some(current), &options)
        }
        Some((p, Ok(text))) => {
            let previous = SourceFile::new(p.name.as_str(), text);
            job.engine
                .compare_with(Some(previous), Some(current), &options)
        }
        None => job.engine.compare_with(None, Some(current), &options),
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

/// The text of a candidate, refusing what `check` refuses (too large, UTF-16, binary, not
/// UTF-8).
pub fn read(candidate: &Candidate, max_bytes: u64) -> Result<String, ReadProblem> {
    let io = |error: std::io::Error| ReadProblem {
        rule: BuiltinRule::IoError.id(),
        message: format!("cannot read the file: {error}"),
        text: String::new(),
        span: None,
        help: None,
    };
    let metadata = std::fs::metadata(&candidate.path).map_err(io)?;
    if !metadata.is_file() {
        return Err(ReadProblem {
            rule: BuiltinRule::IoError.id(),
            message: "not a regular file".to_owned(),
            text: String::new(),
            span: None,
            help: None,
        });
    }
    if metadata.len() > max_bytes {
        return Err(ReadProblem {
            rule: BuiltinRule::LimitExceeded.id(),
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
            rule: BuiltinRule::ParseError.id(),
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
            rule: BuiltinRule::ParseError.id(),
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
            rule: BuiltinRule::ParseError.id(),
            message: format!("the file is not valid UTF-8 (invalid byte at offset {valid})"),
            text,
            span: Some(Span::empty(valid)),
            help: None,
        }
    })
}

fn failed(display: &str, problem: ReadProblem) -> FileReport {
    let source = Arc::new(SourceFile::new(display, problem.text));
    let rule = BuiltinRule::from_id(problem.rule).unwrap_or(BuiltinRule::IoError);
    FileReport::unreadable(source, rule, problem.message, problem.span, problem.help)
}

/// A path the walk could not (or must not) read, as a failed file.
pub fn walk_failure(problem: &WalkProblem) -> FileReport {
    failed(
        &problem.display,
        ReadProblem {
            rule: problem.rule,
            message: problem.message.clone(),
            text: String::new(),
            span: None,
            help: None,
        },
    )
}
