//! Open Data Product Standard (Bitol ODPS, `kind: DataProduct`) → canonical model.
//!
//! Product level only: `id`, `name`, `domain`, `version`, `status`, `team` (owner = the member
//! whose role says owner), `description.purpose`, `tags`, and `inputPorts[]`, `outputPorts[]`,
//! `managementPorts[]`. Fields, PII and SLAs live in the ODCS contracts the ports point to:
//! a port's `contractId` that no contract of the repository has is `unresolved-contract`.

use super::model::{attr, Entity, ItemKind};
use super::normalize::{listed_items, map_canonical, team_owner, Canonical, Issue};
use super::resolve::Refs;
use crate::builtin::BuiltinRule;
use crate::document::{Document, NodeId};

/// Each canonical name from the first of these paths that is present.
pub(crate) const CONTRACT: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("name", &["name", "id"]),
    ("data_product", &["name", "id"]),
    ("domain", &["domain"]),
    ("version", &["version"]),
    ("schema_version", &["version"]),
    ("status", &["status"]),
    ("description", &["description.purpose", "description"]),
    ("tags", &["tags"]),
    ("output_ports", &["outputPorts"]),
    ("input_ports", &["inputPorts"]),
];

pub(crate) fn normalize(doc: &mut Document, root: NodeId, refs: &mut Refs<'_>) -> Canonical {
    let mut top = Entity::new(Some(root));
    map_canonical(doc, &mut top, root, CONTRACT);
    if let Some(team) = doc.get(root, "team") {
        top.set("owner", team_owner(doc, team));
    }
    let mut items = Vec::new();
    let mut issues = Vec::new();
    for (key, kind) in [
        ("inputPorts", ItemKind::InputPort),
        ("outputPorts", ItemKind::OutputPort),
        ("managementPorts", ItemKind::OtherPort),
    ] {
        if let Some(list) = doc.get(root, key) {
            listed_items(doc, list, kind, &["name"], &mut items);
            for port in doc.maps_in(list) {
                if let Some(issue) = contract_reference(doc, port, refs) {
                    issues.push(issue);
                }
            }
        }
    }
    Canonical { top, items, issues }
}

/// A port's `contractId`, checked against the ids of the repository's contracts: the
/// contract that holds the port's fields, PII and SLAs must exist, or none of it is linted.
fn contract_reference(doc: &Document, port: NodeId, refs: &Refs<'_>) -> Option<Issue> {
    let reference = attr(doc, port, "contractId")?;
    let id = doc.scalar_text(reference.node)?.trim().to_owned();
    if id.is_empty() {
        return None;
    }
    match refs.has_contract(&id) {
        Some(true) => None,
        Some(false) => Some(
            Issue::new(
                BuiltinRule::UnresolvedContract,
                reference.span,
                format!("`contractId: {id}` names no contract of the repository: the fields, PII and SLAs this port promises are not linted"),
                "no such contract",
            )
            .with_help("add the ODCS (or DCS) contract whose `id` is this, or correct the id".to_owned()),
        ),
        None => Some(
            Issue::new(
                BuiltinRule::ExternalRef,
                reference.span,
                format!("`contractId: {id}` cannot be checked: no other file is read here, so whether the contract exists is not known"),
                "not checked",
            )
            .with_help("lint the product from its repository (`governance-lint check`), where contract ids are checked".to_owned()),
        ),
    }
}
