//! The engine: the one place that reads contracts, evaluates policies on them, applies their
//! waivers and explains which rules apply. Everything below it (documents, contracts,
//! policies, evaluation of one rule) is a library of parts; this is the entry point, as
//! regorus' `Engine` is for Rego.
//!
//! ```
//! use governance_core::{Contract, Engine, PolicySet};
//! let policies = PolicySet::parse("pii.policy", "rule pii { fields named email must be encrypted }")?;
//! let engine = Engine::new(policies);
//! let contract = Contract::parse("orders.yaml", "data_product: orders\nschema:\n  - name: email\n    encrypted: false\n")?;
//! let findings = engine.evaluate(&contract);
//! assert_eq!(findings[0].message(), "field `email` is not encrypted");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod compare;
mod explain;
mod options;
mod report;
pub(crate) mod waivers;

use std::sync::Arc;

use crate::builtin::BuiltinRule;
use crate::contract::{Contract, Issue, Refs, Resolver, Skip};
use crate::document::{LoadError, LoadIssue};
use crate::finding::Finding;
use crate::policy::PolicySet;
use crate::source::SourceFile;

pub use compare::{Change, ChangeKind, Comparison, ContractDiff, DiffStatus};
pub use explain::Applicability;
pub use options::{Conformance, LintOptions};
pub(crate) use report::load_error_finding;
pub use report::{FileReport, FileStatus};
pub use waivers::WaiverClock;

/// Lints contracts with a policy set.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    policies: PolicySet,
    options: LintOptions,
    /// Reads the files contracts refer to; without one, no file is read and every file
    /// reference is reported as not followed (`external-ref`).
    resolver: Option<Arc<dyn Resolver>>,
}

impl Engine {
    /// An engine for `policies`, with the default options (today's date, default limits).
    #[must_use]
    pub fn new(policies: PolicySet) -> Self {
        Self {
            policies,
            options: LintOptions::default(),
            resolver: None,
        }
    }

    /// The same engine, reading the files contracts refer to (DPDS ports, DCS definitions,
    /// `.proto`/`.avsc`/JSON Schema files, ODPS `contractId`s) through `resolver`.
    #[must_use]
    pub fn with_resolver(mut self, resolver: Arc<dyn Resolver>) -> Self {
        self.resolver = Some(resolver);
        self
    }

    /// Reads every document of `source` with `options` (`conform`: with the issues of each
    /// contract, see [`Contract::load_all`]), or the failed report that says why it cannot be.
    fn read(
        &self,
        source: &Arc<SourceFile>,
        options: &LintOptions,
        conform: bool,
    ) -> Result<crate::contract::Loaded, Box<FileReport>> {
        let refs = self.refs(options);
        Contract::load_all(
            source,
            options.limits(),
            options.dbt_enforced(),
            &refs,
            conform,
        )
        .map_err(|error| {
            let finding = load_error_finding(&error, source);
            Box::new(FileReport::failed(Arc::clone(source), finding))
        })
    }

    fn refs(&self, options: &LintOptions) -> Refs<'_> {
        Refs::new(
            self.resolver.as_deref(),
            options.limits(),
            options.allow_urls(),
        )
    }

    /// The same engine with other options.
    #[must_use]
    pub fn with_options(mut self, options: LintOptions) -> Self {
        self.options = options;
        self
    }

    /// The policies.
    #[must_use]
    pub fn policies(&self) -> &PolicySet {
        &self.policies
    }

    /// The options files are linted with.
    #[must_use]
    pub fn options(&self) -> &LintOptions {
        &self.options
    }

    /// Every contract in `source`, read as `options` say (limits, dbt project enforcement):
    /// what [`Engine::lint_with`] evaluates.
    ///
    /// # Errors
    /// [`LoadError`] when the file cannot be read as YAML/JSON or breaks a limit.
    pub fn contracts(
        &self,
        source: &Arc<SourceFile>,
        options: &LintOptions,
    ) -> Result<Vec<Contract>, LoadError> {
        Contract::load_all(
            source,
            options.limits(),
            options.dbt_enforced(),
            &self.refs(options),
            true,
        )
        .map(|loaded| loaded.contracts)
    }

    /// Every finding of every rule on `contract`, in position order, with the contract's
    /// waivers applied as of the engine's clock. Problems found while reading it (duplicate
    /// keys, content its reader did not read) are included.
    #[must_use]
    pub fn evaluate(&self, contract: &Contract) -> Vec<Finding> {
        self.evaluate_with(contract, &self.options)
    }

    /// Like [`Engine::evaluate`], with `options`.
    #[must_use]
    pub fn evaluate_with(&self, contract: &Contract, options: &LintOptions) -> Vec<Finding> {
        let (rules, raises) = self.policies.parts();
        let mut findings = load_findings(contract, options);
        crate::eval::evaluate(rules, raises, contract, &mut findings);
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        // Two statements of one rule may flag the same thing (`fields named email` and
        // `fields tagged pii` on a tagged email field): report it once.
        findings.dedup_by(|a, b| a.order_key() == b.order_key());
        waivers::apply(rules, contract, options, &mut findings, waivers::Mode::Lint);
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        findings
    }
}

impl Engine {
    /// Lints one file: loads it, skips it if it is not a contract, evaluates every rule.
    /// A file that cannot be read as YAML/JSON is reported as a `parse-error` finding.
    ///
    /// ```
    /// use governance_core::{Engine, FileStatus, PolicySet, SourceFile};
    /// let policies = PolicySet::parse("p.policy", "rule owner { contract must have owner }")?;
    /// let engine = Engine::new(policies);
    /// let report = engine.lint(SourceFile::new("ci.yml", "on: push\njobs: {}\n"));
    /// assert_eq!(report.status(), FileStatus::Skipped);
    /// let report = engine.lint(SourceFile::new("c.yaml", "data_product: [oops\n"));
    /// assert_eq!((report.status(), report.findings()[0].rule()), (FileStatus::Failed, "parse-error"));
    /// # Ok::<(), governance_core::PolicyErrors>(())
    /// ```
    #[must_use]
    pub fn lint(&self, source: SourceFile) -> FileReport {
        self.lint_with(source, &self.options)
    }

    /// Like [`Engine::lint`], with `options` for this file (a dbt project that enforces its
    /// models, another clock).
    #[must_use]
    pub fn lint_with(&self, source: SourceFile, options: &LintOptions) -> FileReport {
        self.lint_visiting(source, options, &mut |_, _| {})
    }

    /// Like [`Engine::lint_with`], handing each contract of the file to `visit` with its own
    /// findings (what the catalog describes), before they join the file's report.
    pub(crate) fn lint_visiting(
        &self,
        source: SourceFile,
        options: &LintOptions,
        visit: &mut dyn FnMut(&Contract, &[Finding]),
    ) -> FileReport {
        let source = Arc::new(source);
        let loaded = match self.read(&source, options, true) {
            Ok(loaded) => loaded,
            Err(failed) => return *failed,
        };
        let mut findings: Vec<Finding> = loaded
            .unrecognised
            .iter()
            .map(|issue| issue_finding(issue, &source, options.strict()))
            .collect();
        if loaded.contracts.is_empty() {
            if findings.is_empty() {
                let skip = loaded.skipped.unwrap_or(Skip::NOT_A_CONTRACT);
                return FileReport::skipped(source, skip);
            }
            findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            return FileReport::unrecognised(source, findings);
        }
        let contracts = loaded.contracts;
        for contract in &contracts {
            let found = self.evaluate_with(contract, options);
            visit(contract, &found);
            findings.extend(found);
        }
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        // The rules evaluated on at least one of the file's contracts, in policy order.
        let (all_rules, _) = self.policies.parts();
        let mut applied = vec![false; all_rules.len()];
        for contract in &contracts {
            for (flag, applies) in applied
                .iter_mut()
                .zip(explain::applies_to(all_rules, contract, false))
            {
                *flag |= applies;
            }
        }
        let rules = self
            .policies
            .rules()
            .zip(applied)
            .filter(|(_, applies)| *applies)
            .map(|(rule, _)| rule.shared_id())
            .collect();
        FileReport::linted(source, &contracts, findings, rules)
    }
}

fn issue_finding(issue: &Issue, source: &Arc<SourceFile>, strict: bool) -> Finding {
    issue_finding_in(issue, source, issue.span, 0, strict)
}

/// The finding of `issue`, at `span` of `source` (the file of its contract the issue is in).
fn issue_finding_in(
    issue: &Issue,
    source: &Arc<SourceFile>,
    span: crate::source::Span,
    part: u32,
    strict: bool,
) -> Finding {
    let mut finding = issue
        .rule
        .finding(issue.message.clone(), source, span, strict)
        .with_label(issue.label);
    finding.part = part;
    match &issue.help {
        Some(help) => finding.with_help(help.clone()),
        None => finding.with_help(issue.rule.help()),
    }
}

/// Problems found while loading a contract that do not stop it being linted: duplicate keys,
/// references, content its reader did not read, and conformance to its standard (at the
/// severity `[conformance]` sets for the standard).
pub(crate) fn load_findings(contract: &Contract, options: &LintOptions) -> Vec<Finding> {
    let strict = options.strict();
    let conformance = options.conformance();
    let conformance_severity = conformance.severity(contract.format(), strict);
    let doc = &contract.doc;
    let duplicates = doc.issues.iter().map(|issue| match issue {
        LoadIssue::DuplicateKey { key, first, second } => {
            let (file, first, _) = doc.locate(*first);
            let line = file.position(first.start()).line;
            let (file, second, part) = doc.locate(*second);
            let mut finding = BuiltinRule::DuplicateKey
                .finding(
                    format!("key `{key}` appears twice in the same mapping (first on line {line})"),
                    file,
                    second,
                    strict,
                )
                .with_label("duplicate key")
                .with_help("tools disagree on which value wins; keep one of them");
            finding.part = part;
            finding
        }
    });
    let issue_finding = |issue: &Issue, _: &Arc<SourceFile>, strict: bool| {
        let (file, span, part) = doc.locate(issue.span);
        issue_finding_in(issue, file, span, part, strict)
    };
    let source = contract.source();
    duplicates
        .chain(contract.issues.iter().filter_map(|issue| match issue.rule {
            BuiltinRule::SchemaViolation | BuiltinRule::UnknownVersion => {
                if issue.unknown_key && conformance.allows_unknown_keys() {
                    return None;
                }
                let severity = conformance_severity?;
                Some(issue_finding(issue, source, strict).with_severity(severity))
            }
            _ => Some(issue_finding(issue, source, strict)),
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSetting;

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
        let switched_off = policies.configure("off", RuleSetting::Off, "test");
        assert!(switched_off.is_ok());
        let engine = Engine::new(policies);
        let report = engine.lint(SourceFile::new(
            "c.yaml",
            "data_product: p\ndomain: Sales\nschema: {}\n",
        ));
        assert_eq!(report.domain(), Some("Sales"));
        let rules: Vec<&str> = report.rules().iter().map(|r| &**r).collect();
        assert_eq!(rules, ["owner", "sales-only"]);
        let skipped = engine.lint(SourceFile::new("ci.yml", "on: push\n"));
        assert_eq!((skipped.domain(), skipped.rules().len()), (None, 0));
        Ok(())
    }
}
