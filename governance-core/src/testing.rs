//! Policy unit tests: test files kept beside the policies (`pii.policy` + `pii.tests.yaml`),
//! each test an inline contract and the exact findings expected.
//!
//! ```yaml
//! today: 2026-11-25              # optional: the date waivers are judged by
//! tests:
//!   - name: an unencrypted email is flagged
//!     contract:                  # any contract shape, inline
//!       data_product: customers
//!       schema:
//!         - name: email
//!           encrypted: false
//!     expect:                    # every finding, no more, no less
//!       - rule: pii-encrypted
//!         field: email           # optional: the field, port or path it is about
//!         line: 9                # optional: the line in this file
//!   - name: an encrypted email passes
//!     contract: { ... }
//!     expect: []
//! ```
//! Only the rules of the policy file with the same name (`pii.policy`) are checked, so a test
//! need not satisfy every other rule; a `rules: [id, ...]` list at the top of the file says
//! otherwise.
//!
//! A test of change rules gives the contract's previous version too, under `previous:`; then
//! the change rules are evaluated on the pair (and only they), with the waivers of `contract:`.
//! Without `contract:`, the contract was deleted.
//!
//! ```yaml
//! tests:
//!   - name: a removed field breaks consumers
//!     previous:
//!       data_product: customers
//!       schema: [{name: id}, {name: email}]
//!     contract:
//!       data_product: customers
//!       schema: [{name: id}]
//!     expect:
//!       - rule: field-removed
//!         field: email
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::contract::Contract;
use crate::date::Date;
use crate::document::{self, Document, Limits, NodeId, Syntax};
use crate::engine::{Engine, LintOptions, WaiverClock};
use crate::finding::Finding;
use crate::source::{SourceFile, Span};

/// The result of one test.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestOutcome {
    /// The test file.
    pub file: String,
    /// The test's `name` (or `#N`).
    pub name: String,
    /// Line of the test in its file.
    pub line: usize,
    /// What went wrong: unexpected and missing findings, or a malformed test. Empty: passed.
    pub problems: Vec<String>,
}

impl TestOutcome {
    /// Whether the test passed.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether each rule is triggered by at least one test's expected findings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Coverage {
    /// The rule id.
    pub rule: String,
    /// `file:line:column` of its definition.
    pub defined_at: String,
    /// How many expected findings name it.
    pub expected: usize,
}

/// Everything `governance-lint test` reports.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TestReport {
    /// One per test, in file and test order.
    pub outcomes: Vec<TestOutcome>,
    /// One per rule of the policy set.
    pub coverage: Vec<Coverage>,
}

impl TestReport {
    /// How many tests passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed()).count()
    }

    /// How many tests failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }
}

/// Finds the `*.tests.yaml` (and `.tests.yml`) files below `dir`, in path order.
#[must_use]
pub fn find_test_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    collect(dir, &mut found);
    found.sort();
    found
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_dir {
            collect(&path, out);
        } else if name.ends_with(".tests.yaml") || name.ends_with(".tests.yml") {
            out.push(path);
        }
    }
}

impl Engine {
    /// Runs the tests of `files` against this set and reports outcomes and rule coverage.
    #[must_use]
    pub fn run_tests(&self, files: &[PathBuf]) -> TestReport {
        let mut report = TestReport::default();
        let mut covered: Vec<(String, usize)> = Vec::new();
        for path in files {
            let name = path.display().to_string();
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    let source = Arc::new(SourceFile::new(name, text));
                    let policy_file = path
                        .to_string_lossy()
                        .trim_end_matches(".tests.yaml")
                        .trim_end_matches(".tests.yml")
                        .to_owned()
                        + ".policy";
                    self.run_file(&source, &policy_file, &mut report, &mut covered);
                }
                Err(error) => report.outcomes.push(TestOutcome {
                    file: name,
                    name: "(file)".to_owned(),
                    line: 0,
                    problems: vec![format!("cannot read the test file: {error}")],
                }),
            }
        }
        report.coverage = self
            .policies()
            .rules()
            .map(|rule| Coverage {
                rule: rule.id().to_owned(),
                defined_at: rule.defined_at().to_string(),
                expected: covered
                    .iter()
                    .filter(|(id, _)| id == rule.id())
                    .map(|(_, n)| n)
                    .sum(),
            })
            .collect();
        report
    }

    fn run_file(
        &self,
        source: &Arc<SourceFile>,
        policy_file: &str,
        report: &mut TestReport,
        covered: &mut Vec<(String, usize)>,
    ) {
        let file = source.name().to_owned();
        let malformed = |message: String, span: Span| TestOutcome {
            file: file.clone(),
            name: "(file)".to_owned(),
            line: source.position(span.start()).line,
            problems: vec![message],
        };
        let documents = match document::load(source, Syntax::Yaml, Limits::default()) {
            Ok(documents) => documents,
            Err(error) => {
                report
                    .outcomes
                    .push(malformed(format!("not YAML: {error}"), error.span()));
                return;
            }
        };
        let Some(doc) = documents.into_iter().next() else {
            report
                .outcomes
                .push(malformed("the file is empty".to_owned(), Span::default()));
            return;
        };
        let root = doc.root();
        let clock = WaiverClock {
            today: match doc.get(root, "today").and_then(|t| doc.scalar_text(t)) {
                Some(text) => match text.parse::<Date>() {
                    Ok(date) => date,
                    Err(error) => {
                        report
                            .outcomes
                            .push(malformed(error.to_string(), doc.span(root)));
                        return;
                    }
                },
                None => Date::today(),
            },
            ..WaiverClock::default()
        };
        // The rules under test: the file's own `rules:`, else those of the sibling policy file.
        let under_test: BTreeSet<String> = match doc.get(root, "rules") {
            Some(list) => doc
                .items(list)
                .iter()
                .filter_map(|&r| doc.scalar_text(r).map(std::borrow::Cow::into_owned))
                .collect(),
            None => self
                .policies()
                .rules()
                .filter(|r| same_file(r.file().name(), policy_file))
                .map(|r| r.id().to_owned())
                .collect(),
        };
        let Some(tests) = doc.get(root, "tests") else {
            report.outcomes.push(malformed(
                "the file has no `tests:` list".to_owned(),
                doc.span(root),
            ));
            return;
        };
        for (index, &test) in doc.items(tests).iter().enumerate() {
            let outcome = self.run_one(&doc, test, index, &under_test, clock, covered);
            report.outcomes.push(outcome);
        }
    }

    fn run_one(
        &self,
        doc: &Document,
        test: NodeId,
        index: usize,
        under_test: &BTreeSet<String>,
        clock: WaiverClock,
        covered: &mut Vec<(String, usize)>,
    ) -> TestOutcome {
        let source = doc.source();
        let name = doc
            .get(test, "name")
            .and_then(|n| doc.scalar_text(n))
            .map_or_else(|| format!("#{}", index + 1), std::borrow::Cow::into_owned);
        let mut outcome = TestOutcome {
            file: source.name().to_owned(),
            name,
            line: source.position(doc.span(test).start()).line,
            problems: Vec::new(),
        };
        let not_a_contract = |key: &str| {
            format!("the `{key}:` is not a data contract (it needs e.g. `data_product`, or `kind: DataContract`)")
        };
        let previous = match doc.get(test, "previous") {
            Some(node) => {
                let Some(previous) = Contract::from_subtree(doc, node) else {
                    outcome.problems.push(not_a_contract("previous"));
                    return outcome;
                };
                Some(previous)
            }
            None => None,
        };
        let contract = match doc.get(test, "contract") {
            Some(node) => {
                let Some(contract) = Contract::from_subtree(doc, node) else {
                    outcome.problems.push(not_a_contract("contract"));
                    return outcome;
                };
                Some(contract)
            }
            None if previous.is_some() => None,
            None => {
                outcome
                    .problems
                    .push("the test has no `contract:`".to_owned());
                return outcome;
            }
        };
        let mut expected: Vec<Expected> = Vec::new();
        if let Some(list) = doc.get(test, "expect") {
            for &item in doc.items(list) {
                let text = |key: &str| {
                    doc.get(item, key)
                        .and_then(|v| doc.scalar_text(v))
                        .map(std::borrow::Cow::into_owned)
                };
                if let Some(rule) = text("rule") {
                    let known = self.policies().rules().any(|r| r.id() == rule)
                        || crate::builtin::BuiltinRule::from_id(&rule).is_some();
                    if !known {
                        let ids: Vec<&str> = self
                            .policies()
                            .rules()
                            .map(|r| r.id())
                            .chain(crate::builtin::BuiltinRule::ALL.iter().map(|b| b.id()))
                            .collect();
                        let hint = crate::suggest::did_you_mean(&rule, ids.iter().copied())
                            .map_or_else(String::new, |h| format!("; {h}"));
                        outcome.problems.push(format!(
                            "an expected finding on line {} names rule `{rule}`, which no policy defines{hint}",
                            source.position(doc.span(item).start()).line
                        ));
                    }
                }
                match text("rule") {
                    Some(rule) => expected.push(Expected {
                        rule,
                        target: text("field")
                            .or_else(|| text("port"))
                            .or_else(|| text("path")),
                        line: text("line").and_then(|l| l.parse().ok()),
                    }),
                    None => outcome.problems.push(format!(
                        "an expected finding on line {} has no `rule`",
                        source.position(doc.span(item).start()).line
                    )),
                }
            }
        } else {
            outcome
                .problems
                .push("the test has no `expect:` (write `expect: []` for none)".to_owned());
        }
        for e in &expected {
            match covered.iter_mut().find(|(id, _)| *id == e.rule) {
                Some((_, n)) => *n += 1,
                None => covered.push((e.rule.clone(), 1)),
            }
        }
        let options = LintOptions::default().with_clock(clock);
        let found = match (&previous, &contract) {
            // Two versions: the change rules.
            (Some(_), _) => {
                self.compare_contracts_with(previous.as_ref(), contract.as_ref(), &options)
            }
            (None, Some(contract)) => self.evaluate_with(contract, &options),
            (None, None) => Vec::new(),
        };
        let mut actual: Vec<Finding> = found
            .into_iter()
            .filter(|f| {
                under_test.is_empty()
                    || under_test.contains(f.rule())
                    || expected.iter().any(|e| e.rule == f.rule())
            })
            .collect();
        for e in &expected {
            match actual.iter().position(|f| e.matches(f)) {
                Some(at) => {
                    actual.remove(at);
                }
                None => outcome.problems.push(format!("missing finding: {e}")),
            }
        }
        for f in actual {
            let at = f.location().start;
            outcome.problems.push(format!(
                "unexpected finding: {} at line {}, column {}: {}",
                f.rule(),
                at.line,
                at.column,
                f.message()
            ));
        }
        outcome
    }
}

/// Whether two policy file names are the same file (one may be relative, the other not).
fn same_file(a: &str, b: &str) -> bool {
    let a = a.replace('\\', "/");
    let b = b.replace('\\', "/");
    a == b
        || a.ends_with(&format!("/{b}"))
        || b.ends_with(&format!("/{a}"))
        || Path::new(&a) == Path::new(&b)
}

struct Expected {
    rule: String,
    target: Option<String>,
    line: Option<usize>,
}

impl Expected {
    fn matches(&self, finding: &Finding) -> bool {
        finding.rule() == self.rule
            && self
                .line
                .is_none_or(|line| finding.location().start.line == line)
            && self
                .target
                .as_deref()
                .is_none_or(|wanted| finding.is_about(wanted))
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.rule)?;
        if let Some(target) = &self.target {
            write!(f, " on `{target}`")?;
        }
        if let Some(line) = self.line {
            write!(f, " at line {line}")?;
        }
        Ok(())
    }
}
