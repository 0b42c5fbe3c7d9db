//! Applying a contract's waivers to its findings.
//!
//! A valid waiver suppresses the findings of its rule (limited to one field, port or path when
//! it names one): they are still reported, marked suppressed, and do not fail a run. A waiver
//! without `reason` or `expires`, or of a `mandatory` rule, suppresses nothing and is an error;
//! an expired one suppresses nothing and is reported; one expiring soon is a warning; one that
//! matched nothing is a warning.

use std::sync::Arc;

use crate::contract::waivers::Waiver;
use crate::contract::Contract;
use crate::date::Date;
use crate::finding::{Finding, Severity, Suppression};
use crate::policy::ast::Rule;
use crate::source::Span;

/// When waivers are judged, and how early an expiry is announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiverClock {
    /// The current date (`--today` fixes it for reproducible runs).
    pub today: Date,
    /// A waiver expiring within this many days is reported as `waiver-expiring`.
    pub warn_days: i64,
}

impl Default for WaiverClock {
    fn default() -> Self {
        Self {
            today: Date::today(),
            warn_days: 30,
        }
    }
}

pub(crate) fn apply(
    rules: &[Rule],
    contract: &Contract,
    clock: WaiverClock,
    findings: &mut Vec<Finding>,
) {
    let source = contract.source();
    let mut extra = Vec::new();
    let mut report = |rule: &str,
                      severity: Severity,
                      message: String,
                      span: Span,
                      label: &str,
                      help: Option<String>| {
        let mut finding =
            Finding::new(rule, severity, message, Arc::clone(source), span).with_label(label);
        if let Some(help) = help {
            finding = finding.with_help(help);
        }
        extra.push(finding);
    };
    for waiver in contract.waivers() {
        let Some((rule_id, rule_span)) = &waiver.rule else {
            report(
                "waiver-invalid",
                Severity::Error,
                "waiver names no `rule`".to_owned(),
                waiver.span,
                "which rule?",
                Some("add `rule: <rule id>`; `governance-lint rules` lists the ids".to_owned()),
            );
            continue;
        };
        let missing: Vec<&str> = [
            ("reason", waiver.reason.is_some()),
            ("expires", waiver.expires.is_some()),
        ]
        .iter()
        .filter(|(_, present)| !present)
        .map(|(key, _)| *key)
        .collect();
        if !missing.is_empty() {
            report(
                "waiver-invalid",
                Severity::Error,
                format!("waiver of `{rule_id}` has no `{}`", missing.join("` or `")),
                waiver.span,
                "incomplete waiver",
                Some("every exception says why (`reason`) and until when (`expires: YYYY-MM-DD`); it suppresses nothing until then".to_owned()),
            );
            continue;
        }
        let Some((expires_text, expires_span)) = &waiver.expires else {
            continue;
        };
        let expires = match expires_text.parse::<Date>() {
            Ok(date) => date,
            Err(error) => {
                report(
                    "waiver-invalid",
                    Severity::Error,
                    format!("waiver of `{rule_id}`: {error}"),
                    *expires_span,
                    "not a date",
                    None,
                );
                continue;
            }
        };
        let Some(rule) = rules.iter().find(|r| *r.id == **rule_id) else {
            report(
                "waiver-unused",
                Severity::Warning,
                format!("waiver of unknown rule `{rule_id}` matches nothing"),
                *rule_span,
                "no such rule",
                crate::policy::did_you_mean(rule_id, rules.iter().map(|r| &*r.id)),
            );
            continue;
        };
        if rule.mandatory {
            let at = rule.source.position(rule.id_span.start());
            report(
                "waiver-mandatory",
                Severity::Error,
                format!("rule `{rule_id}` is mandatory and cannot be waived"),
                *rule_span,
                "mandatory rule",
                Some(format!(
                    "`{rule_id}` is marked `mandatory` at {}:{}:{}; fix the contract instead",
                    rule.source.name(),
                    at.line,
                    at.column
                )),
            );
            continue;
        }
        let left = clock.today.days_until(expires);
        if left < 0 {
            report(
                "waiver-expired",
                Severity::Error,
                format!("waiver of `{rule_id}` expired on {expires}"),
                *expires_span,
                "expired",
                Some(
                    "fix what the waiver excused, or agree a new date with the rule's owners"
                        .to_owned(),
                ),
            );
            continue;
        }
        let mut used = false;
        for finding in findings.iter_mut() {
            if *finding.rule == **rule_id
                && finding.suppression.is_none()
                && targets(&waiver, finding)
            {
                finding.suppression = Some(Suppression {
                    reason: waiver.reason.clone().unwrap_or_default(),
                    owner: waiver.owner.clone(),
                    expires,
                    span: waiver.span,
                    line: source.position(waiver.span.start()).line,
                });
                used = true;
            }
        }
        if !used {
            let what = waiver
                .target
                .as_deref()
                .map_or_else(String::new, |t| format!(" for `{t}`"));
            report(
                "waiver-unused",
                Severity::Warning,
                format!("waiver of `{rule_id}`{what} matches no finding"),
                waiver.span,
                "unused waiver",
                Some("remove it: the contract no longer needs this exception".to_owned()),
            );
        } else if left <= clock.warn_days {
            report(
                "waiver-expiring",
                Severity::Warning,
                match left {
                    0 => format!("waiver of `{rule_id}` expires today ({expires})"),
                    1 => format!("waiver of `{rule_id}` expires tomorrow ({expires})"),
                    n => format!("waiver of `{rule_id}` expires in {n} days ({expires})"),
                },
                *expires_span,
                "expires soon",
                None,
            );
        }
    }
    findings.extend(extra);
}

/// Whether a waiver limited to a field/port/path covers a finding: its target is that path, or
/// ends with `.` and that name (`email` covers `orders.email`). Ignoring case.
fn targets(waiver: &Waiver, finding: &Finding) -> bool {
    let Some(wanted) = waiver.target.as_deref() else {
        return true;
    };
    let Some(target) = finding.target.as_deref() else {
        return false;
    };
    let (wanted, target) = (wanted.to_lowercase(), target.to_lowercase());
    target == wanted || target.ends_with(&format!(".{wanted}"))
}
