//! Which rules apply to a contract, and why: global, a domain pack, a `scope` line, switched
//! off by configuration; with the severity after any `raise`.

use super::Engine;
use crate::contract::Contract;
use crate::finding::Severity;
use crate::policy::ast::Rule;
use crate::policy::scope::in_scope;
use crate::policy::Pack;
use crate::policy::RuleInfo;

/// How one rule relates to one contract.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Applicability<'a> {
    /// The rule.
    pub rule: RuleInfo<'a>,
    /// Whether it is evaluated on the contract.
    pub applies: bool,
    /// Why, in a sentence fragment ("global rule", "domain pack `sales` ...").
    pub reason: String,
    /// Its severity for this contract (after `raise` lines whose pack applies).
    pub severity: Severity,
    /// Where a `raise` changed it, as `file:line:column`.
    pub raised_at: Option<String>,
}

/// For each rule, whether it is evaluated on `contract` (cheap: no explanations): by `check`
/// (`change` false: the rules that are not change rules) or by `breaking` (the change rules).
pub(crate) fn applies_to<'s>(
    rules: &'s [Rule],
    contract: &'s Contract,
    change: bool,
) -> impl Iterator<Item = bool> + 's {
    rules
        .iter()
        .map(move |rule| rule.change == change && rule.enabled && in_scope(&rule.scope, contract))
}

impl Engine {
    /// Every rule, with whether and why it applies to `contract`.
    ///
    /// ```
    /// use governance_core::{Contract, Engine, PolicySet};
    /// let set = PolicySet::parse("p.policy", "scope domain sales\nrule a { owner must exist }")?;
    /// let contract = Contract::parse("c.yaml", "data_product: x\ndomain: Sales\n")?;
    /// let engine = Engine::new(set);
    /// let explained = engine.explain(&contract);
    /// assert!(explained[0].applies);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn explain<'s>(&'s self, contract: &Contract) -> Vec<Applicability<'s>> {
        let domain = contract.domain();
        let domain_text = domain.as_deref().map_or_else(
            || "the contract names no domain".to_owned(),
            |d| format!("the contract's domain is `{d}`"),
        );
        let (rules, raises) = self.policies.parts();
        rules
            .iter()
            .map(|rule| {
                let in_domain = in_scope(&rule.scope, contract);
                let (applies, reason) = if rule.change {
                    (
                        false,
                        "change rule: `governance-lint breaking` compares versions with it"
                            .to_owned(),
                    )
                } else if rule.enabled {
                    match (&rule.pack, rule.scope.is_empty()) {
                        (Pack::Domain(pack), _) => {
                            (in_domain, format!("domain pack `{pack}`; {domain_text}"))
                        }
                        (Pack::Global, true) => {
                            (true, "global rule: applies to every contract".to_owned())
                        }
                        (Pack::Global, false) => (
                            in_domain,
                            format!(
                                "scoped by its file to {}; {domain_text}",
                                rule.scope
                                    .iter()
                                    .map(|d| format!("`{d}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ),
                    }
                } else {
                    (false, "switched off by configuration".to_owned())
                };
                let raise = raises
                    .iter()
                    .filter(|r| {
                        *r.rule == *rule.id
                            && in_scope(&r.scope, contract)
                            && r.severity > rule.severity
                    })
                    .max_by_key(|r| r.severity);
                Applicability {
                    rule: RuleInfo::of(rule),
                    applies,
                    reason,
                    severity: raise.map_or(rule.severity, |r| r.severity),
                    raised_at: raise.map(|r| r.source.at(r.rule_span.start()).to_string()),
                }
            })
            .collect()
    }
}
