//! Domain scopes: which contracts a rule (or a `raise`) applies to. A scope is a list of
//! domains (empty: every contract), compared with the contract's canonical domain ignoring case.

use crate::contract::Contract;
use crate::text::same_text;

/// Whether a rule (or a `raise`) scoped to `scope` applies to the contract's domain (an empty
/// scope applies everywhere).
pub(crate) fn in_scope(scope: &[String], contract: &Contract) -> bool {
    scope.is_empty() || scope_matches(scope, contract_domain(contract).as_deref())
}

/// The contract's canonical domain, as text.
pub(crate) fn contract_domain(contract: &Contract) -> Option<std::borrow::Cow<'_, str>> {
    let found = contract.top.lookup(&contract.doc, "domain")?;
    contract.doc.scalar_text(found.node)
}

/// Whether `scope` (empty: everywhere) includes `domain`, ignoring case.
pub(crate) fn scope_matches(scope: &[String], domain: Option<&str>) -> bool {
    scope.is_empty() || domain.is_some_and(|d| scope.iter().any(|s| same_text(d, s)))
}
