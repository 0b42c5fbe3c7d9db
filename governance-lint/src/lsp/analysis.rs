//! What the server says about one open document: the engine's findings (for a contract) or
//! the policy problems (for a policy file), as protocol diagnostics, each kept with what
//! hover and code actions need (its rule, its byte span, its "did you mean").

use std::path::Path;

use governance_core::{
    BuiltinRule, FileStatus, Finding, Format, PolicyErrors, PolicySet, Severity, SourceFile,
};
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};
use miette::Diagnostic as _;

use super::text::Document;
use super::workspace::{State, Workspace};

/// Diagnostics are published under this source name.
pub const SOURCE: &str = "governance-lint";

/// What kind of file an open document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.yaml`, `.yml`, `.json`: linted if it is a contract.
    Contract,
    /// `.policy`.
    Policy,
    /// `*.tests.yaml`: policy unit tests.
    PolicyTests,
    /// Anything else: nothing is said about it.
    Other,
}

impl Kind {
    pub fn of(name: &str) -> Kind {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".policy") {
            Kind::Policy
        } else if lower.ends_with(".tests.yaml") || lower.ends_with(".tests.yml") {
            Kind::PolicyTests
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json") {
            Kind::Contract
        } else {
            Kind::Other
        }
    }
}

/// One published diagnostic and what it came from.
#[derive(Debug, Clone)]
pub struct Mark {
    pub diagnostic: Diagnostic,
    /// The rule id (`pii-encrypted`, `parse-error`) or problem code (`policy::unknown_name`).
    pub rule: String,
    /// Bytes of the document it points at.
    pub start: usize,
    pub end: usize,
    /// The name a "did you mean `x`?" proposes.
    pub suggestion: Option<String>,
    /// A finding of a policy rule that a waiver may suppress (not mandatory, not waived).
    pub waivable: bool,
    /// What the finding is about (`orders.email`), for the waiver.
    pub target: Option<String>,
    /// How the finding names it ("field `email` is not encrypted" → `field`).
    pub noun: Option<&'static str>,
}

/// The last analysis of a document.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub marks: Vec<Mark>,
    /// The contract's format, when it was linted as one.
    pub format: Option<Format>,
}

impl Analysis {
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.marks.iter().map(|m| m.diagnostic.clone()).collect()
    }
}

/// Lints an open contract as `check` lints the file (same configuration, policies, limits,
/// waiver clock and dbt project), from its unsaved text.
pub fn contract(
    workspace: &mut Workspace,
    path: Option<&Path>,
    name: &str,
    doc: &Document,
) -> Analysis {
    if let State::Stopped(problems) = &workspace.state {
        return not_linted(problems);
    }
    let max = workspace.max_bytes();
    if doc.text.len() as u64 > max {
        let rule = BuiltinRule::LimitExceeded;
        let message = format!(
            "the file is {} bytes, over the limit of {max} bytes",
            doc.text.len()
        );
        let diagnostic = Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(rule.id().to_owned())),
            source: Some(SOURCE.to_owned()),
            message: format!(
                "{message}\nhelp: if the file really is that large, raise `max-file-bytes` in governance.toml"
            ),
            ..Diagnostic::default()
        };
        return Analysis {
            marks: vec![plain_mark(diagnostic, rule.id())],
            format: None,
        };
    }
    let Some(options) = workspace.options_for(path) else {
        return Analysis::default();
    };
    let Some(ready) = workspace.ready() else {
        return Analysis::default();
    };
    let report = ready
        .engine
        .lint_with(SourceFile::new(name, doc.text.as_str()), &options);
    if report.status() == FileStatus::Skipped {
        // Not a contract: nothing to say.
        return Analysis::default();
    }
    let policies = ready.engine.policies();
    // Findings in the files the contract refers to (a DPDS port file, a `.proto`) belong to
    // those files, not to this document's ranges.
    let marks = report
        .findings()
        .iter()
        .filter(|finding| finding.file().name() == report.source().name())
        .map(|finding| finding_mark(finding, doc, policies))
        .collect();
    Analysis {
        marks,
        format: report.format(),
    }
}

fn finding_mark(finding: &Finding, doc: &Document, policies: &PolicySet) -> Mark {
    let span = finding.span();
    let range = doc.range(span.start(), span.end());
    let mut message = finding.message().to_owned();
    let severity = match finding.suppression() {
        Some(waiver) => {
            message.push_str(&format!(" (waived until {}", waiver.expires));
            if let Some(owner) = &waiver.owner {
                message.push_str(&format!(", for {owner}"));
            }
            message.push_str(&format!(": {})", waiver.reason));
            DiagnosticSeverity::HINT
        }
        None => {
            if let Some(help) = finding.help() {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            severity(finding.severity())
        }
    };
    let policy_rule = policies
        .rules()
        .find(|r| r.id() == finding.rule())
        .filter(|r| !r.mandatory());
    Mark {
        diagnostic: Diagnostic {
            range,
            severity: Some(severity),
            code: Some(NumberOrString::String(finding.rule().to_owned())),
            source: Some(SOURCE.to_owned()),
            message,
            ..Diagnostic::default()
        },
        rule: finding.rule().to_owned(),
        start: span.start(),
        end: span.end(),
        suggestion: finding.help().and_then(suggestion),
        waivable: policy_rule.is_some() && finding.suppression().is_none(),
        target: finding.target().map(str::to_owned),
        noun: noun(finding.message()),
    }
}

/// A contract of a folder whose configuration or policies do not load: one diagnostic that
/// says so, at the top (the problems themselves are shown in their files).
fn not_linted(problems: &[crate::problem::Problem]) -> Analysis {
    let first = problems.first();
    let mut message = format!(
        "not linted: `governance-lint check` would stop here with {}",
        crate::text::plural(problems.len(), "problem")
    );
    if let Some(first) = first {
        message.push_str(&format!(": {}", first.message));
        if let Some(at) = &first.location {
            message.push_str(&format!(" ({}:{})", at.file, at.start));
        }
    }
    let code = first.map_or_else(|| "usage::setup".to_owned(), |p| p.code.clone());
    let diagnostic = Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String(code.clone())),
        source: Some(SOURCE.to_owned()),
        message,
        ..Diagnostic::default()
    };
    Analysis {
        marks: vec![plain_mark(diagnostic, &code)],
        format: None,
    }
}

fn plain_mark(diagnostic: Diagnostic, rule: &str) -> Mark {
    Mark {
        diagnostic,
        rule: rule.to_owned(),
        start: 0,
        end: 0,
        suggestion: None,
        waivable: false,
        target: None,
        noun: None,
    }
}

/// Whether a policy file, as the set names it, is the document analysed.
type Mine = Box<dyn Fn(&str) -> bool>;

/// A policy file as typed: its syntax errors, the static checks' errors and warnings, judged
/// with the rest of its folder's policy set when it belongs to it (so that duplicate ids and
/// `raise` lines across files are seen), else alone.
pub fn policy(
    workspace: Option<&Workspace>,
    path: Option<&Path>,
    name: &str,
    doc: &Document,
    unsaved: &dyn Fn(&Path) -> Option<String>,
) -> Analysis {
    let in_set = workspace
        .zip(path)
        .and_then(|(ws, path)| ws.policies_with(path, unsaved).map(|r| (ws, r)));
    let (result, mine): (Result<PolicySet, PolicyErrors>, Mine) = match in_set {
        Some((ws, result)) => {
            let me = path.map(Path::to_path_buf);
            let root = ws.root.clone();
            (
                result,
                Box::new(move |file: &str| {
                    me.as_deref() == Some(&*crate::paths::normalize(&root.join(file)))
                }),
            )
        }
        None => {
            let result = PolicySet::parse(name, doc.text.as_str()).map(|mut set| {
                if let Some(ws) = workspace {
                    set.declare_custom_names(ws.custom_names());
                }
                set
            });
            (result, Box::new(|_: &str| true))
        }
    };
    let mut marks = Vec::new();
    match result {
        Ok(set) => {
            for warning in set.warnings() {
                if !mine(warning.src.name()) {
                    continue;
                }
                let mut message = warning.message.clone();
                if let Some(help) = &warning.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                marks.push(policy_mark(
                    doc,
                    warning.span.start(),
                    warning.span.end(),
                    DiagnosticSeverity::WARNING,
                    warning.code,
                    message,
                    warning.help.as_deref(),
                ));
            }
        }
        Err(errors) => {
            for error in errors.errors() {
                let (Some(file), Some(span)) = (error.file(), error.span()) else {
                    continue;
                };
                if !mine(file.name()) {
                    continue;
                }
                let code = error
                    .code()
                    .map_or_else(|| "policy::error".to_owned(), |c| c.to_string());
                let help = error.help().map(|h| h.to_string());
                let mut message = error.to_string();
                if let Some(help) = &help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                marks.push(policy_mark(
                    doc,
                    span.start(),
                    span.end(),
                    DiagnosticSeverity::ERROR,
                    &code,
                    message,
                    help.as_deref(),
                ));
            }
        }
    }
    Analysis {
        marks,
        format: None,
    }
}

fn policy_mark(
    doc: &Document,
    start: usize,
    end: usize,
    severity: DiagnosticSeverity,
    code: &str,
    message: String,
    help: Option<&str>,
) -> Mark {
    Mark {
        diagnostic: Diagnostic {
            range: doc.range(start, end),
            severity: Some(severity),
            code: Some(NumberOrString::String(code.to_owned())),
            source: Some(SOURCE.to_owned()),
            message,
            ..Diagnostic::default()
        },
        rule: code.to_owned(),
        start,
        end,
        suggestion: help.and_then(suggestion),
        waivable: false,
        target: None,
        noun: None,
    }
}

/// A policy test file as typed: whether it is YAML, then its tests run against the folder's
/// policies (from a copy of the unsaved text), each failing test at its line.
pub fn policy_tests(workspace: &Workspace, name: &str, doc: &Document) -> Analysis {
    let Some(ready) = workspace.ready() else {
        return Analysis::default();
    };
    let report = ready.engine.lint(SourceFile::new(name, doc.text.as_str()));
    if report.status() == FileStatus::Failed {
        let marks = report
            .findings()
            .iter()
            .map(|f| finding_mark(f, doc, ready.engine.policies()))
            .collect();
        return Analysis {
            marks,
            format: None,
        };
    }
    let dir = std::env::temp_dir().join(format!("governance-lint-lsp-{}", std::process::id()));
    let file = dir.join("unsaved.tests.yaml");
    if std::fs::create_dir_all(&dir).is_err() || std::fs::write(&file, &doc.text).is_err() {
        return Analysis::default();
    }
    let tests = ready.engine.run_tests(std::slice::from_ref(&file));
    let _ = std::fs::remove_file(&file);
    let marks = tests
        .outcomes
        .iter()
        .filter(|outcome| !outcome.passed())
        .map(|outcome| {
            let line = u32::try_from(outcome.line.saturating_sub(1)).unwrap_or(0);
            let start = doc.offset(Position::new(line, 0));
            let end = doc.offset(Position::new(line, u32::MAX));
            let message = format!(
                "test `{}` fails: {}",
                outcome.name,
                outcome.problems.join("; ")
            );
            policy_mark(
                doc,
                start,
                end,
                DiagnosticSeverity::ERROR,
                "test::failed",
                message,
                None,
            )
        })
        .collect();
    Analysis {
        marks,
        format: None,
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The name a help text proposes: "did you mean `owner`?", "did you mean the canonical
/// `sla.availability`?", "did you mean `kind: DataContract`?".
pub fn suggestion(help: &str) -> Option<String> {
    let at = help.find("did you mean ")?;
    let rest = help.get(at + "did you mean ".len()..)?;
    let rest = rest.strip_prefix("the canonical ").unwrap_or(rest);
    let rest = rest.strip_prefix('`')?;
    let end = rest.find('`')?;
    let name = rest.get(..end)?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// "field `email` is not encrypted" → `field`: which waiver key names the target.
fn noun(message: &str) -> Option<&'static str> {
    [
        ("field `", "field"),
        ("output port `", "port"),
        ("input port `", "port"),
        ("port `", "port"),
        ("table `", "table"),
    ]
    .into_iter()
    .find(|(prefix, _)| message.starts_with(prefix))
    .map(|(_, key)| key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            suggestion("did you mean `owner`? A misspelt name is never found").as_deref(),
            Some("owner")
        );
        assert_eq!(
            suggestion("it is looked up as written; did you mean the canonical `sla.freshness`?")
                .as_deref(),
            Some("sla.freshness")
        );
        assert_eq!(suggestion("add an owner"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(Kind::of("/a/b.policy"), Kind::Policy);
        assert_eq!(Kind::of("pii.tests.yaml"), Kind::PolicyTests);
        assert_eq!(Kind::of("c.JSON"), Kind::Contract);
        assert_eq!(Kind::of("notes.md"), Kind::Other);
    }
}
