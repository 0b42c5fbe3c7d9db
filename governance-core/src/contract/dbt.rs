//! dbt properties files (`models:` with `columns:`). Only models that enforce their contract
//! (`config.contract.enforced: true`, or the pre-release `contract: true`) are contracts.

use crate::document::{Document, NodeId};

/// Whether a dbt model enforces its contract.
pub(crate) fn enforced(doc: &Document, model: NodeId) -> bool {
    let truthy = |node: Option<NodeId>| node.is_some_and(|n| doc.is_truthy(n) && !doc.is_map(n));
    let contract_enforced = |holder: NodeId| {
        doc.get(holder, "contract").is_some_and(|contract| {
            if doc.is_map(contract) {
                truthy(doc.get(contract, "enforced"))
            } else {
                truthy(Some(contract))
            }
        })
    };
    doc.is_map(model)
        && (doc.get(model, "config").is_some_and(contract_enforced) || contract_enforced(model))
}
