//! Applying a contract's waivers to its findings.
//!
//! A valid waiver suppresses the findings of its rule (limited to one field, port or path when
//! it names one): they are still reported, marked suppressed, and do not fail a run. A waiver
//! without `reason` or `expires`, or of a `mandatory` rule, suppresses nothing and is an error;
//! an expired one suppresses nothing and is reported; one expiring soon is a warning; one that
//! matched nothing is a warning.

use super::LintOptions;
use crate::builtin::BuiltinRule;
use crate::contract::waivers::Waiver;
use crate::contract::Contract;
use crate::date::Date;
use crate::finding::{Finding, Suppression};
use crate::policy::ast::Rule;
use crate::source::Span;

/// When waivers are judged, how early an expiry is announced, and how far ahead a waiver may
/// expire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaiverClock {
    /// The current date (`--today` fixes it for reproducible runs).
    pub today: Date,
    /// A waiver expiring within this many days is reported as `waiver-expiring`.
    pub warn_days: i64,
    /// A waiver expiring further out than this many days is `waiver-invalid` (`[waivers]
    /// max-days`, 365 by default): exceptions are temporary.
    pub max_days: i64,
}

impl WaiverClock {
    /// Waivers judged as of `today`, with the default warning window (30 days) and longest
    /// waiver (365 days).
    #[must_use]
    pub fn on(today: Date) -> Self {
        Self {
            today,
            ..Self::default()
        }
    }

    /// Warn this many days before a waiver expires.
    #[must_use]
    pub fn with_warn_days(mut self, days: i64) -> Self {
        self.warn_days = days;
        self
    }

    /// Refuse waivers that expire more than this many days from today.
    #[must_use]
    pub fn with_max_days(mut self, days: i64) -> Self {
        self.max_days = days;
        self
    }
}

impl Default for WaiverClock {
    fn default() -> Self {
        Self {
            today: Date::today(),
            warn_days: 30,
            max_days: 365,
        }
    }
}

pub(crate) fn apply(
    rules: &[Rule],
    contract: &Contract,
    options: &LintOptions,
    findings: &mut Vec<Finding>,
) {
    let clock = options.clock();
    let strict = options.strict();
    let source = contract.source();
    let mut extra = Vec::new();
    let mut report =
        |rule: BuiltinRule, message: String, span: Span, label: &str, help: Option<String>| {
            let mut finding = rule
                .finding(message, source, span, strict)
                .with_label(label);
            if let Some(help) = help {
                finding = finding.with_help(help);
            }
            extra.push(finding);
        };
    for waiver in contract.waivers() {
        if !waiver.problems.is_empty() {
            for problem in waiver.problems {
                report(
                    BuiltinRule::WaiverInvalid,
                    problem.message,
                    problem.span,
                    problem.label,
                    problem.help,
                );
            }
            continue;
        }
        let Some((rule_id, rule_span)) = &waiver.rule else {
            report(
                BuiltinRule::WaiverInvalid,
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
                BuiltinRule::WaiverInvalid,
                format!("waiver of `{rule_id}` has no `{}`", missing.join("` or `")),
                waiver.span,
                "incomplete waiver",
                Some("every exception says why (`reason`) and until when (`expires: YYYY-MM-DD`); it suppresses nothing until then".to_owned()),
            );
            continue;
        }
        if strict && waiver.target.is_none() {
            report(
                BuiltinRule::WaiverInvalid,
                format!("waiver of `{rule_id}` names no `field`, `port` or `path`: in strict mode a waiver says what it covers"),
                waiver.span,
                "covers everything",
                Some("add `field: <name>` (or `port:`, `path:`); one waiver per thing it covers".to_owned()),
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
                    BuiltinRule::WaiverInvalid,
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
                BuiltinRule::WaiverUnused,
                format!("waiver of unknown rule `{rule_id}` matches nothing"),
                *rule_span,
                "no such rule",
                crate::suggest::did_you_mean(rule_id, rules.iter().map(|r| &*r.id)),
            );
            continue;
        };
        if rule.mandatory {
            let at = rule.source.at(rule.id_span.start());
            report(
                BuiltinRule::WaiverMandatory,
                format!("rule `{rule_id}` is mandatory and cannot be waived"),
                *rule_span,
                "mandatory rule",
                Some(format!(
                    "`{rule_id}` is marked `mandatory` at {at}; fix the contract instead"
                )),
            );
            continue;
        }
        let left = clock.today.days_until(expires);
        if left > clock.max_days {
            report(
                BuiltinRule::WaiverInvalid,
                format!(
                    "waiver of `{rule_id}` expires on {expires}, {left} days from today: more than the {} days a waiver may last",
                    clock.max_days
                ),
                *expires_span,
                "too far ahead",
                Some("exceptions are temporary: agree an earlier date, or change `max-days` under `[waivers]` in governance.toml".to_owned()),
            );
            continue;
        }
        if left < 0 {
            report(
                BuiltinRule::WaiverExpired,
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
                BuiltinRule::WaiverUnused,
                format!("waiver of `{rule_id}`{what} matches no finding"),
                waiver.span,
                "unused waiver",
                Some("remove it: the contract no longer needs this exception".to_owned()),
            );
        } else if left <= clock.warn_days {
            report(
                BuiltinRule::WaiverExpiring,
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
