//! A product's compliance: its findings counted by severity and rule, and its waivers with
//! their state.

use super::model::{Compliance, FindingRecord, RuleCount, WaiverRecord, WaiverState};
use super::read::{line, line_text};
use crate::contract::Contract;
use crate::date::Date;
use crate::engine::waivers::Verdict;
use crate::finding::{Finding, Severity};

/// One finding as the catalog shows it.
pub(crate) fn record(finding: &Finding) -> FindingRecord {
    let at = finding.location().start;
    FindingRecord {
        rule: finding.rule().to_owned(),
        severity: finding.severity(),
        message: finding.message().to_owned(),
        help: finding.help().map(str::to_owned),
        file: finding.file().name().to_owned(),
        line: at.line,
        column: at.column,
        source: line_text(finding.file(), finding.span().start()),
        target: finding.target().map(str::to_owned),
        suppressed: finding.suppression().is_some(),
        mandatory: finding.mandatory(),
    }
}

/// Counts and records of a product's findings (in position order).
pub(crate) fn compliance(findings: &[Finding]) -> Compliance {
    let mut out = Compliance::default();
    for finding in findings {
        let suppressed = finding.suppression().is_some();
        if suppressed {
            out.suppressed += 1;
        } else {
            match finding.severity() {
                Severity::Error => out.errors += 1,
                Severity::Warning => out.warnings += 1,
                Severity::Info => out.infos += 1,
            }
        }
        let found = out
            .by_rule
            .iter()
            .position(|c| c.rule == finding.rule() && c.severity == finding.severity());
        let index = found.unwrap_or_else(|| {
            out.by_rule.push(RuleCount {
                rule: finding.rule().to_owned(),
                severity: finding.severity(),
                count: 0,
                suppressed: 0,
            });
            out.by_rule.len() - 1
        });
        if let Some(count) = out.by_rule.get_mut(index) {
            if suppressed {
                count.suppressed += 1;
            } else {
                count.count += 1;
            }
        }
        out.findings.push(record(finding));
    }
    // The most serious first, then the most frequent, then by id.
    out.by_rule.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.count.cmp(&a.count))
            .then(a.rule.cmp(&b.rule))
    });
    out
}

/// The contract's waivers with their verdicts, as records.
pub(crate) fn waivers(
    contract: &Contract,
    verdicts: Vec<(crate::contract::waivers::Waiver, Verdict)>,
    today: Date,
) -> Vec<WaiverRecord> {
    verdicts
        .into_iter()
        .map(|(waiver, verdict)| {
            let (state, days_left) = match verdict {
                Verdict::Active { days_left, .. } => (WaiverState::Active, Some(days_left)),
                Verdict::Expiring { days_left, .. } => (WaiverState::Expiring, Some(days_left)),
                Verdict::Expired { days_left, .. } => (WaiverState::Expired, Some(days_left)),
                Verdict::Unused => (WaiverState::Unused, None),
                Verdict::Invalid => (WaiverState::Invalid, None),
                Verdict::Mandatory => (WaiverState::Mandatory, None),
            };
            // A date that is one, whatever else is wrong with the waiver.
            let days_left = days_left.or_else(|| {
                let (expires, _) = waiver.expires.as_ref()?;
                expires.parse::<Date>().ok().map(|d| today.days_until(d))
            });
            WaiverRecord {
                rule: waiver.rule.map(|(rule, _)| rule),
                target: waiver.target,
                reason: waiver.reason.filter(|r| !r.is_empty()),
                owner: waiver.owner,
                expires: waiver.expires.map(|(expires, _)| expires),
                days_left,
                state,
                line: line(contract.source(), waiver.span),
            }
        })
        .collect()
}
