//! Comparing two versions of a contract (`governance-lint breaking` and `diff`): the findings
//! of the change rules, with the waivers of the current version applied, and the changelog of
//! canonical differences.
//!
//! ```
//! use governance_core::{Engine, PolicySet, SourceFile};
//! let mut policies = PolicySet::new();
//! policies.add_builtin_changes()?;
//! let engine = Engine::new(policies);
//! let report = engine.compare(
//!     Some(SourceFile::new("main:orders.yaml", "data_product: orders\nversion: 1.0.0\nschema:\n  - name: id\n  - name: email\n")),
//!     Some(SourceFile::new("orders.yaml", "data_product: orders\nversion: 1.1.0\nschema:\n  - name: id\n")),
//! );
//! let finding = report.findings().iter().find(|f| f.rule() == "field-removed").unwrap();
//! // At the parent of the removed field in the new file (`schema:`), and where it was before.
//! assert_eq!(finding.location().start.line, 3);
//! assert_eq!(finding.previous().map(|p| p.location().start.line), Some(5));
//! # Ok::<(), governance_core::PolicyErrors>(())
//! ```

use std::sync::Arc;

use super::waivers::{self, Mode};
use super::{explain, issue_finding, Engine, FileReport, LintOptions};
use crate::contract::{Contract, Skip};
use crate::eval::pair::{differences, DifferenceKind, Pairing};
use crate::eval::values::shown;
use crate::finding::{Finding, Previous, Severity};
use crate::source::{Location, SourceFile};

/// What a file of `breaking` was compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Comparison {
    /// Its previous version, named as the run names it (`main:contracts/orders.yaml`).
    Compared {
        /// The previous version's name.
        previous: String,
    },
    /// A new file: it has no previous version, so nothing can break.
    New,
    /// The file was deleted: its previous version is all there is (and the report's file).
    Deleted,
    /// The previous version could not be read as a contract: nothing was compared.
    BaselineUnreadable {
        /// The previous version's name.
        previous: String,
        /// Why (the parse error).
        reason: String,
    },
}

/// The previous version of a file, as far as it could be read.
enum Baseline {
    /// None: the file is new.
    None,
    /// Read: its contracts (none for a file that is no contract).
    Loaded(Arc<SourceFile>, Vec<Contract>),
    /// There, but not readable as a contract.
    Unreadable { previous: String, reason: String },
}

/// How a contract differs between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiffStatus {
    /// In both versions, with differences.
    Changed,
    /// In both versions, canonically the same.
    Unchanged,
    /// Only in the current version.
    Added,
    /// Only in the previous version.
    Removed,
}

impl DiffStatus {
    /// `changed`, `unchanged`, `added`, `removed`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DiffStatus::Changed => "changed",
            DiffStatus::Unchanged => "unchanged",
            DiffStatus::Added => "added",
            DiffStatus::Removed => "removed",
        }
    }
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// Something (an item, a value) that was not there.
    Added,
    /// Something that is no longer there.
    Removed,
    /// A value that is different.
    Changed,
}

impl ChangeKind {
    /// `added`, `removed`, `changed`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One entry of a changelog: a contract, item or value added, removed or changed, with its old
/// and new values and where it is in each version.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// What it is about: "the contract", "field `orders.email`", "output port `events`".
    pub subject: String,
    /// The item's path (a field's `orders.email`, a port's name); `None` for the contract.
    pub path: Option<String>,
    /// The attribute that changed (`type`, `sla.availability`); `None` when a whole item (or
    /// contract) was added or removed.
    pub attribute: Option<String>,
    /// The value before, as text.
    pub old: Option<String>,
    /// The value after, as text.
    pub new: Option<String>,
    /// Where it is in the current version.
    pub location: Option<Location>,
    /// Where it was in the previous version.
    pub previous_location: Option<Location>,
    /// The change rules that flag it, with their severity and whether a waiver suppresses
    /// the finding.
    pub breaking: Vec<(String, Severity, bool)>,
}

/// The changelog of one contract between two versions.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ContractDiff {
    /// Whether it changed, and how.
    pub status: DiffStatus,
    /// Its canonical id (`id`, else the data product or name).
    pub id: Option<String>,
    /// Every canonical difference, in document order.
    pub changes: Vec<Change>,
    /// Every finding of the change rules on the pair (also those no change carries, such as
    /// `version-not-bumped`).
    pub findings: Vec<Finding>,
}

impl Engine {
    /// Compares two versions of one file with the change rules of the policy set (see
    /// [`crate::PolicySet::add_builtin_changes`]): the current version, the previous one, or
    /// both. The report is about the current file (the previous one for a deleted file); its
    /// findings point into it, each with [`Finding::previous`], and the waivers of the current
    /// version apply to them.
    #[must_use]
    pub fn compare(&self, previous: Option<SourceFile>, current: Option<SourceFile>) -> FileReport {
        self.compare_with(previous, current, &self.options)
    }

    /// Like [`Engine::compare`], with `options`.
    #[must_use]
    pub fn compare_with(
        &self,
        previous: Option<SourceFile>,
        current: Option<SourceFile>,
        options: &LintOptions,
    ) -> FileReport {
        let baseline = match previous.map(Arc::new) {
            None => Baseline::None,
            Some(source) => {
                // Files the contract refers to are read as they are now, for both versions:
                // a change inside them is not a change of this contract's text.
                let refs = self.refs(options);
                match Contract::load_all(
                    &source,
                    options.limits(),
                    options.dbt_enforced(),
                    &refs,
                    false,
                ) {
                    Ok(loaded) => Baseline::Loaded(source, loaded.contracts),
                    Err(error) => Baseline::Unreadable {
                        previous: source.name().to_owned(),
                        reason: error.to_string(),
                    },
                }
            }
        };
        self.compare_baseline(baseline, current, options)
    }

    /// Like [`Engine::compare_with`], for a file whose previous version exists but cannot be
    /// read as text (it is not UTF-8, git cannot show it): nothing is compared, and the report
    /// says why with a `baseline-unreadable` finding (a warning; an error in strict mode). A
    /// deleted file (`current` is `None`) is reported under the previous version's name.
    #[must_use]
    pub fn compare_unreadable(
        &self,
        previous: &str,
        reason: &str,
        current: Option<SourceFile>,
        options: &LintOptions,
    ) -> FileReport {
        let baseline = Baseline::Unreadable {
            previous: previous.to_owned(),
            reason: reason.to_owned(),
        };
        self.compare_baseline(baseline, current, options)
    }

    fn compare_baseline(
        &self,
        baseline: Baseline,
        current: Option<SourceFile>,
        options: &LintOptions,
    ) -> FileReport {
        let Some(current) = current.map(Arc::new) else {
            // Deleted: every contract of the previous version is gone.
            let (source, contracts) = match baseline {
                Baseline::Loaded(source, contracts) => (source, contracts),
                // Fail closed: a deletion that cannot be checked is reported, never passed.
                Baseline::Unreadable { previous, reason } => {
                    let source = Arc::new(SourceFile::new(previous.as_str(), ""));
                    let finding = unreadable_finding(&previous, &reason, &source, options);
                    let rules = self.change_rules_of(&[]);
                    let comparison = Comparison::BaselineUnreadable { previous, reason };
                    return FileReport::compared(source, &[], vec![finding], rules, comparison);
                }
                // Nothing to judge.
                Baseline::None => {
                    let source = Arc::new(SourceFile::new("", ""));
                    return FileReport::skipped(source, Skip::EMPTY);
                }
            };
            if contracts.is_empty() {
                // A deleted file that was no contract (a CI workflow, say).
                return FileReport::skipped(source, Skip::NOT_A_CONTRACT);
            }
            let mut findings = Vec::new();
            for contract in &contracts {
                findings.extend(self.compare_contracts_with(Some(contract), None, options));
            }
            findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            let rules = self.change_rules_of(&contracts);
            return FileReport::compared(source, &contracts, findings, rules, Comparison::Deleted);
        };
        let loaded = match self.read(&current, options, false) {
            Ok(loaded) => loaded,
            Err(failed) => return *failed,
        };
        if loaded.contracts.is_empty() {
            let findings: Vec<Finding> = loaded
                .unrecognised
                .iter()
                .map(|issue| issue_finding(issue, &current, options.strict()))
                .collect();
            if findings.is_empty() {
                return FileReport::skipped(
                    current,
                    loaded.skipped.unwrap_or(Skip::NOT_A_CONTRACT),
                );
            }
            return FileReport::unrecognised(current, findings);
        }
        let contracts = loaded.contracts;
        let rules = self.change_rules_of(&contracts);
        let mut findings = Vec::new();
        let comparison = match baseline {
            Baseline::None => Comparison::New,
            Baseline::Loaded(source, previous_contracts) => {
                for (before, after) in pair_contracts(&previous_contracts, &contracts) {
                    findings.extend(self.compare_contracts_with(before, after, options));
                }
                Comparison::Compared {
                    previous: source.name().to_owned(),
                }
            }
            Baseline::Unreadable { previous, reason } => {
                // Fail closed: a change that cannot be checked is reported, never passed.
                findings.push(unreadable_finding(&previous, &reason, &current, options));
                Comparison::BaselineUnreadable { previous, reason }
            }
        };
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        FileReport::compared(current, &contracts, findings, rules, comparison)
    }

    /// The findings of the change rules on two versions of one contract, with the waivers of
    /// the current version applied (a deleted contract has none), in position order. A new
    /// contract (no previous version) has none.
    #[must_use]
    pub fn compare_contracts(
        &self,
        previous: Option<&Contract>,
        current: Option<&Contract>,
    ) -> Vec<Finding> {
        self.compare_contracts_with(previous, current, &self.options)
    }

    /// Like [`Engine::compare_contracts`], with `options`.
    #[must_use]
    pub fn compare_contracts_with(
        &self,
        previous: Option<&Contract>,
        current: Option<&Contract>,
        options: &LintOptions,
    ) -> Vec<Finding> {
        let (rules, raises) = self.policies.parts();
        let mut findings = Vec::new();
        crate::eval::evaluate_pair(rules, raises, previous, current, &mut findings);
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        // One value read under two canonical names (an ODCS `latency` is also `sla.freshness`
        // when no freshness is given) is one change: the same rule at the same place, before
        // and after, is reported once.
        let place = |f: &Finding| {
            (
                f.rule().to_owned(),
                f.span(),
                f.previous().map(Previous::span),
            )
        };
        let mut seen = std::collections::HashSet::new();
        findings.retain(|f| seen.insert(place(f)));
        if let Some(current) = current {
            waivers::apply(rules, current, options, &mut findings, Mode::Change);
            findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        }
        findings
    }

    /// The changelog of two versions of one file: one entry per contract (paired by id, else
    /// by position), each with its canonical differences and the change rules that flag them.
    #[must_use]
    pub fn diff(
        &self,
        previous: Option<&[Contract]>,
        current: Option<&[Contract]>,
    ) -> Vec<ContractDiff> {
        let previous = previous.unwrap_or(&[]);
        let current = current.unwrap_or(&[]);
        pair_contracts(previous, current)
            .into_iter()
            .map(|(before, after)| self.diff_contracts(before, after))
            .collect()
    }

    fn diff_contracts(
        &self,
        previous: Option<&Contract>,
        current: Option<&Contract>,
    ) -> ContractDiff {
        let findings = self.compare_contracts(previous, current);
        let id = current
            .or(previous)
            .and_then(|c| c.get("id"))
            .map(|(id, _)| id);
        let whole = |kind: ChangeKind, contract: &Contract| Change {
            kind,
            subject: "the contract".to_owned(),
            path: None,
            attribute: None,
            old: None,
            new: None,
            location: (kind == ChangeKind::Added)
                .then(|| contract.source().location(contract.source().start())),
            previous_location: (kind == ChangeKind::Removed)
                .then(|| contract.source().location(contract.source().start())),
            breaking: Vec::new(),
        };
        let (status, mut changes) = match (previous, current) {
            (Some(before), Some(after)) => {
                let pairing = Pairing::of(before, after);
                let changes: Vec<Change> = differences(before, after, &pairing)
                    .into_iter()
                    .map(|d| {
                        let item = d.current.and_then(|at| after.items.get(at));
                        let old_item = d.previous.and_then(|at| before.items.get(at));
                        let (subject, path) = match (item, old_item) {
                            (Some(item), _) | (None, Some(item)) => {
                                (item.describe(0), Some(item.path.clone()))
                            }
                            (None, None) => ("the contract".to_owned(), None),
                        };
                        let kind = match d.kind {
                            DifferenceKind::Added => ChangeKind::Added,
                            DifferenceKind::Removed => ChangeKind::Removed,
                            DifferenceKind::Changed => ChangeKind::Changed,
                        };
                        let location = d
                            .new
                            .map(|a| a.span)
                            .or_else(|| {
                                if d.attribute.is_none() {
                                    item.map(|i| i.anchor)
                                } else {
                                    None
                                }
                            })
                            .map(|span| after.source().location(span));
                        let previous_location = d
                            .old
                            .map(|a| a.span)
                            .or_else(|| {
                                if d.attribute.is_none() {
                                    old_item.map(|i| i.anchor)
                                } else {
                                    None
                                }
                            })
                            .map(|span| before.source().location(span));
                        Change {
                            kind,
                            subject,
                            path,
                            attribute: d.attribute,
                            old: d.old.map(|a| shown(&before.doc, a.node)),
                            new: d.new.map(|a| shown(&after.doc, a.node)),
                            location,
                            previous_location,
                            breaking: Vec::new(),
                        }
                    })
                    .collect();
                let status = if changes.is_empty() {
                    DiffStatus::Unchanged
                } else {
                    DiffStatus::Changed
                };
                (status, changes)
            }
            (None, Some(after)) => (DiffStatus::Added, vec![whole(ChangeKind::Added, after)]),
            (Some(before), None) => (
                DiffStatus::Removed,
                vec![whole(ChangeKind::Removed, before)],
            ),
            (None, None) => (DiffStatus::Unchanged, Vec::new()),
        };
        for finding in &findings {
            let covers = |change: &Change| {
                if change.path.is_none() && change.attribute.is_none() {
                    // The contract as a whole: its deletion.
                    return finding.target().is_none() && finding.attribute.is_none();
                }
                match (&change.path, finding.target()) {
                    (Some(path), Some(target)) => {
                        path.eq_ignore_ascii_case(target)
                            && (change.attribute.is_none() && finding.attribute.is_none()
                                || finding.attribute.as_deref() == change.attribute.as_deref())
                    }
                    (None, Some(target)) => {
                        change.attribute.as_deref() == Some(target)
                            || finding.attribute.as_deref() == change.attribute.as_deref()
                                && finding.attribute.is_some()
                    }
                    _ => false,
                }
            };
            for change in changes.iter_mut().filter(|c| covers(c)) {
                change.breaking.push((
                    finding.rule().to_owned(),
                    finding.severity(),
                    finding.suppression().is_some(),
                ));
            }
        }
        ContractDiff {
            status,
            id,
            changes,
            findings,
        }
    }

    /// The change rules evaluated on at least one of `contracts`, in policy order.
    fn change_rules_of(&self, contracts: &[Contract]) -> Vec<Arc<str>> {
        let (all_rules, _) = self.policies.parts();
        let mut applied = vec![false; all_rules.len()];
        for contract in contracts {
            for (flag, applies) in applied
                .iter_mut()
                .zip(explain::applies_to(all_rules, contract, true))
            {
                *flag |= applies;
            }
        }
        self.policies
            .rules()
            .zip(applied)
            .filter(|(_, applies)| *applies)
            .map(|(rule, _)| rule.shared_id())
            .collect()
    }
}

/// The contracts of two versions of a file, paired: by canonical id, else by position among
/// those left. Current contracts come first, in order, then the previous ones with no current
/// version.
fn pair_contracts<'c>(
    previous: &'c [Contract],
    current: &'c [Contract],
) -> Vec<(Option<&'c Contract>, Option<&'c Contract>)> {
    let id = |c: &Contract| c.get("id").map(|(id, _)| id.trim().to_lowercase());
    let mut taken = vec![false; previous.len()];
    let mut pairs: Vec<(Option<usize>, usize)> = Vec::new();
    for (at, contract) in current.iter().enumerate() {
        let wanted = id(contract);
        let found = previous.iter().enumerate().position(|(index, other)| {
            !taken.get(index).copied().unwrap_or(true) && wanted.is_some() && id(other) == wanted
        });
        if let Some(index) = found {
            if let Some(flag) = taken.get_mut(index) {
                *flag = true;
            }
        }
        pairs.push((found, at));
    }
    // By position among those left.
    let mut left: std::collections::VecDeque<usize> = (0..previous.len())
        .filter(|&i| !taken.get(i).copied().unwrap_or(true))
        .collect();
    for pair in &mut pairs {
        if pair.0.is_none() {
            pair.0 = left.pop_front();
            if let Some(index) = pair.0 {
                if let Some(flag) = taken.get_mut(index) {
                    *flag = true;
                }
            }
        }
    }
    let mut out: Vec<(Option<&Contract>, Option<&Contract>)> = pairs
        .into_iter()
        .map(|(before, at)| (before.and_then(|i| previous.get(i)), current.get(at)))
        .collect();
    out.extend(
        previous
            .iter()
            .enumerate()
            .filter(|(i, _)| !taken.get(*i).copied().unwrap_or(true))
            .map(|(_, c)| (Some(c), None)),
    );
    out
}

/// The `baseline-unreadable` finding of a file whose previous version cannot be read, on the
/// first line of `source`.
fn unreadable_finding(
    previous: &str,
    reason: &str,
    source: &Arc<SourceFile>,
    options: &LintOptions,
) -> Finding {
    let first_line = source
        .text()
        .find(['\n', '\r'])
        .unwrap_or(source.text().len());
    let span = crate::source::Span::new(0, first_line);
    crate::builtin::BuiltinRule::BaselineUnreadable
        .finding(
            format!(
                "the previous version `{previous}` cannot be read as a contract ({reason}): no change of this file was checked"
            ),
            source,
            span,
            options.strict(),
        )
        .with_label("not compared")
        .with_help(crate::builtin::BuiltinRule::BaselineUnreadable.help())
}
