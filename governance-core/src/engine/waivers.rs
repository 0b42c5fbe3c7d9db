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

/// What is wrong with a waiver (or worth saying about it), as the finding that says so.
struct Said {
    rule: BuiltinRule,
    message: String,
    span: Span,
    label: &'static str,
    help: Option<String>,
}

impl Said {
    fn new(rule: BuiltinRule, message: String, span: Span, label: &'static str) -> Self {
        Self {
            rule,
            message,
            span,
            label,
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A waiver that passed every check: what it suppresses, and until when.
struct Valid<'w> {
    waiver: &'w Waiver,
    rule: &'w str,
    expires: Date,
    expires_span: Span,
    days_left: i64,
}

/// Which rules a run evaluates, and so whose waivers it judges: a `check` judges the waivers
/// of its rules, a `breaking` those of the change rules (each waiver is judged by one of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Lint,
    Change,
}

/// Whether a waiver is of a change rule: one of the set's, or a built-in one (known even when
/// the set does not hold them). A waiver that names no rule, or an unknown one, is `check`'s.
fn of_change(waiver: &Waiver, rules: &[Rule]) -> bool {
    waiver.rule.as_ref().is_some_and(|(id, _)| {
        rules
            .iter()
            .find(|r| *r.id == **id)
            .map_or_else(|| crate::policy::changes::is_builtin(id), |r| r.change)
    })
}

/// Applies the contract's waivers to its findings: each waiver is judged first (well formed,
/// a known rule that is not mandatory, within its dates), then the valid ones suppress the
/// findings they cover. Every problem, unused and expiring waiver is added as a finding. Only
/// the waivers of the rules `mode` evaluates are judged.
pub(crate) fn apply(
    rules: &[Rule],
    contract: &Contract,
    options: &LintOptions,
    findings: &mut Vec<Finding>,
    mode: Mode,
) {
    let clock = options.clock();
    let strict = options.strict();
    let source = contract.source();
    let mut said = Vec::new();
    let waivers = contract.waivers();
    for waiver in &waivers {
        if of_change(waiver, rules) != (mode == Mode::Change) {
            continue;
        }
        match judge(waiver, rules, clock, strict) {
            Err(refused) => said.extend(refused),
            Ok(valid) => said.extend(suppress(&valid, source, clock, findings)),
        }
    }
    findings.extend(said.into_iter().map(|said| {
        let finding = said
            .rule
            .finding(said.message, source, said.span, strict)
            .with_label(said.label);
        match said.help {
            Some(help) => finding.with_help(help),
            None => finding,
        }
    }));
}

/// Checks a waiver as written, in order: how it is written, its rule and reason and expiry,
/// its target (strict mode), its date, its rule (known, not mandatory), how far ahead it
/// expires, and whether it has expired. The first problem found decides.
fn judge<'w>(
    waiver: &'w Waiver,
    rules: &[Rule],
    clock: WaiverClock,
    strict: bool,
) -> Result<Valid<'w>, Vec<Said>> {
    if !waiver.problems.is_empty() {
        return Err(waiver
            .problems
            .iter()
            .map(|problem| Said {
                rule: BuiltinRule::WaiverInvalid,
                message: problem.message.clone(),
                span: problem.span,
                label: problem.label,
                help: problem.help.clone(),
            })
            .collect());
    }
    let invalid = |message: String, span: Span, label: &'static str| {
        Said::new(BuiltinRule::WaiverInvalid, message, span, label)
    };
    let Some((rule_id, rule_span)) = &waiver.rule else {
        return Err(vec![invalid(
            "waiver names no `rule`".to_owned(),
            waiver.span,
            "which rule?",
        )
        .help("add `rule: <rule id>`; `governance-lint rules` lists the ids")]);
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
        return Err(vec![invalid(
            format!("waiver of `{rule_id}` has no `{}`", missing.join("` or `")),
            waiver.span,
            "incomplete waiver",
        )
        .help("every exception says why (`reason`) and until when (`expires: YYYY-MM-DD`); it suppresses nothing until then")]);
    }
    if strict && waiver.target.is_none() {
        return Err(vec![invalid(
            format!("waiver of `{rule_id}` names no `field`, `port` or `path`: in strict mode a waiver says what it covers"),
            waiver.span,
            "covers everything",
        )
        .help("add `field: <name>` (or `port:`, `path:`); one waiver per thing it covers")]);
    }
    let Some((expires_text, expires_span)) = &waiver.expires else {
        return Err(Vec::new());
    };
    let expires = expires_text.parse::<Date>().map_err(|error| {
        vec![invalid(
            format!("waiver of `{rule_id}`: {error}"),
            *expires_span,
            "not a date",
        )]
    })?;
    let Some(rule) = rules.iter().find(|r| *r.id == **rule_id) else {
        let unused = Said::new(
            BuiltinRule::WaiverUnused,
            format!("waiver of unknown rule `{rule_id}` matches nothing"),
            *rule_span,
            "no such rule",
        );
        return Err(vec![
            match crate::suggest::did_you_mean(rule_id, rules.iter().map(|r| &*r.id)) {
                Some(help) => unused.help(help),
                None => unused,
            },
        ]);
    };
    if rule.mandatory {
        let at = rule.source.at(rule.id_span.start());
        return Err(vec![Said::new(
            BuiltinRule::WaiverMandatory,
            format!("rule `{rule_id}` is mandatory and cannot be waived"),
            *rule_span,
            "mandatory rule",
        )
        .help(format!(
            "`{rule_id}` is marked `mandatory` at {at}; fix the contract instead"
        ))]);
    }
    let days_left = clock.today.days_until(expires);
    if days_left > clock.max_days {
        return Err(vec![invalid(
            format!(
                "waiver of `{rule_id}` expires on {expires}, {days_left} days from today: more than the {} days a waiver may last",
                clock.max_days
            ),
            *expires_span,
            "too far ahead",
        )
        .help("exceptions are temporary: agree an earlier date, or change `max-days` under `[waivers]` in governance.toml")]);
    }
    if days_left < 0 {
        return Err(vec![Said::new(
            BuiltinRule::WaiverExpired,
            format!("waiver of `{rule_id}` expired on {expires}"),
            *expires_span,
            "expired",
        )
        .help(
            "fix what the waiver excused, or agree a new date with the rule's owners",
        )]);
    }
    Ok(Valid {
        waiver,
        rule: rule_id,
        expires,
        expires_span: *expires_span,
        days_left,
    })
}

/// Marks the findings a valid waiver covers as suppressed; says so when it covers none, or
/// when it expires soon.
fn suppress(
    valid: &Valid<'_>,
    source: &crate::source::SourceFile,
    clock: WaiverClock,
    findings: &mut [Finding],
) -> Option<Said> {
    let Valid {
        waiver,
        rule,
        expires,
        expires_span,
        days_left,
    } = valid;
    let mut used = false;
    for finding in findings.iter_mut() {
        if *finding.rule == **rule && finding.suppression.is_none() && targets(waiver, finding) {
            finding.suppression = Some(Suppression {
                reason: waiver.reason.clone().unwrap_or_default(),
                owner: waiver.owner.clone(),
                expires: *expires,
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
        return Some(
            Said::new(
                BuiltinRule::WaiverUnused,
                format!("waiver of `{rule}`{what} matches no finding"),
                waiver.span,
                "unused waiver",
            )
            .help("remove it: the contract no longer needs this exception"),
        );
    }
    (*days_left <= clock.warn_days).then(|| {
        Said::new(
            BuiltinRule::WaiverExpiring,
            match days_left {
                0 => format!("waiver of `{rule}` expires today ({expires})"),
                1 => format!("waiver of `{rule}` expires tomorrow ({expires})"),
                n => format!("waiver of `{rule}` expires in {n} days ({expires})"),
            },
            *expires_span,
            "expires soon",
        )
    })
}

/// Whether a waiver covers a finding of its rule: every one without a target, else the
/// findings about that field, port or path.
fn targets(waiver: &Waiver, finding: &Finding) -> bool {
    waiver
        .target
        .as_deref()
        .is_none_or(|wanted| finding.is_about(wanted))
}

/// How [`apply`] judged one waiver: the state a catalog shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Valid, and it suppresses at least one finding.
    Active { expires: Date, days_left: i64 },
    /// Active, and it expires within the clock's warning window.
    Expiring { expires: Date, days_left: i64 },
    /// Its date is past: it suppresses nothing.
    Expired { expires: Date, days_left: i64 },
    /// Well formed, but it matches no finding (or names no rule of the set).
    Unused,
    /// Malformed, incomplete, too far ahead, or without a target in strict mode.
    Invalid,
    /// Its rule is `mandatory`.
    Mandatory,
}

/// Each of the contract's waivers with its verdict, judged as [`apply`] judges them; `findings`
/// are the contract's findings after [`apply`] (a waiver is used when it suppresses one).
pub(crate) fn verdicts(
    rules: &[Rule],
    contract: &Contract,
    options: &LintOptions,
    findings: &[Finding],
) -> Vec<(Waiver, Verdict)> {
    let clock = options.clock();
    contract
        .waivers()
        .into_iter()
        .map(|waiver| {
            let verdict = match judge(&waiver, rules, clock, options.strict()) {
                Err(said) => match said.first().map(|said| said.rule) {
                    Some(BuiltinRule::WaiverUnused) => Verdict::Unused,
                    Some(BuiltinRule::WaiverMandatory) => Verdict::Mandatory,
                    Some(BuiltinRule::WaiverExpired) => {
                        let expires = waiver.expires.as_ref().and_then(|(e, _)| e.parse().ok());
                        match expires {
                            Some(expires) => Verdict::Expired {
                                expires,
                                days_left: clock.today.days_until(expires),
                            },
                            None => Verdict::Invalid,
                        }
                    }
                    _ => Verdict::Invalid,
                },
                Ok(valid) => {
                    let used = findings.iter().any(|finding| {
                        finding
                            .suppression
                            .as_ref()
                            .is_some_and(|s| s.span == waiver.span)
                    });
                    let (expires, days_left) = (valid.expires, valid.days_left);
                    if !used {
                        Verdict::Unused
                    } else if days_left <= clock.warn_days {
                        Verdict::Expiring { expires, days_left }
                    } else {
                        Verdict::Active { expires, days_left }
                    }
                }
            };
            (waiver, verdict)
        })
        .collect()
}
