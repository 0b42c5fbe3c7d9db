//! Configuration of rules after parsing: switching a rule off or changing its severity
//! (`[rules]` in `governance.toml`). A `mandatory` rule cannot be switched off or lowered.

use super::PolicySet;
use crate::finding::Severity;
use crate::suggest::closest;

/// What configuration asks of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetting {
    /// Do not evaluate the rule.
    Off,
    /// Report its findings at this severity.
    Severity(Severity),
}

impl std::str::FromStr for RuleSetting {
    type Err = crate::finding::UnknownSeverity;

    /// `off`, `error`, `warning` or `info`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "off" {
            Ok(RuleSetting::Off)
        } else {
            text.parse().map(RuleSetting::Severity)
        }
    }
}

/// Why a rule setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum ConfigureError {
    /// No rule has this id.
    #[error("unknown rule `{rule}` in {origin}")]
    #[diagnostic(code(config::unknown_rule))]
    UnknownRule {
        /// The id asked for.
        rule: String,
        /// Where the setting comes from (`governance.toml`).
        origin: String,
        /// "did you mean `x`?", when a rule id is close.
        #[help]
        help: Option<String>,
    },
    /// The rule is `mandatory`: it cannot be switched off or lowered.
    #[error("rule `{rule}` is mandatory and cannot be {action} (by {origin})")]
    #[diagnostic(
        code(config::mandatory_rule),
        help("`{rule}` is marked `mandatory` at {defined_at}; only the team that owns that policy can change it")
    )]
    Mandatory {
        /// The rule id.
        rule: String,
        /// `switched off` or `lowered to warning`.
        action: String,
        /// Where the attempt comes from.
        origin: String,
        /// `file:line:column` of the rule.
        defined_at: String,
    },
}

impl PolicySet {
    /// Applies a setting to rule `rule`. `origin` names where it comes from, for messages.
    ///
    /// ```
    /// use governance_core::{PolicySet, RuleSetting, Severity};
    /// let mut set = PolicySet::parse("p.policy", "rule a { mandatory\n owner must exist }\nrule b { domain must exist }")?;
    /// set.configure("b", RuleSetting::Severity(Severity::Warning), "governance.toml")?;
    /// assert!(set.configure("a", RuleSetting::Off, "governance.toml").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ConfigureError::UnknownRule`], or [`ConfigureError::Mandatory`] when a mandatory rule
    /// would be switched off or lowered (raising it is allowed).
    pub fn configure(
        &mut self,
        rule: &str,
        setting: RuleSetting,
        origin: &str,
    ) -> Result<(), ConfigureError> {
        let ids: Vec<String> = self.rules.iter().map(|r| r.id.to_string()).collect();
        let deferred = self.deferred(rule);
        let Some(target) = self.rules.iter_mut().find(|r| &*r.id == rule) else {
            if deferred {
                // A built-in change rule, configured for `breaking`, which loads it.
                return Ok(());
            }
            return Err(ConfigureError::UnknownRule {
                rule: rule.to_owned(),
                origin: origin.to_owned(),
                help: closest(rule, ids.iter().map(String::as_str))
                    .map(|c| format!("did you mean `{c}`?")),
            });
        };
        let lowered = match setting {
            RuleSetting::Off => Some("switched off".to_owned()),
            RuleSetting::Severity(severity) if severity < target.severity => {
                Some(format!("lowered to {severity}"))
            }
            RuleSetting::Severity(_) => None,
        };
        if let (true, Some(action)) = (target.mandatory, lowered) {
            return Err(ConfigureError::Mandatory {
                rule: rule.to_owned(),
                action,
                origin: origin.to_owned(),
                defined_at: target
                    .mandatory_at
                    .clone()
                    .unwrap_or_else(|| target.source.at(target.id_span.start()).to_string()),
            });
        }
        match setting {
            RuleSetting::Off => target.enabled = false,
            RuleSetting::Severity(severity) => {
                target.severity = severity;
                target.enabled = true;
            }
        }
        Ok(())
    }
}
