//! Open Data Product Standard (Bitol ODPS, `kind: DataProduct`) → canonical model.
//!
//! Product level only: `id`, `name`, `domain`, `version`, `status`, `team` (owner = the member
//! whose role says owner), `description.purpose`, `tags`, and `inputPorts[]`, `outputPorts[]`,
//! `managementPorts[]`. Fields, PII and SLAs live in the ODCS contracts the ports point to.

use super::model::{Entity, ItemKind};
use super::normalize::{listed_items, map_canonical, team_owner, Canonical};
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

pub(crate) fn normalize(doc: &mut Document, root: NodeId) -> Canonical {
    let mut top = Entity::new(Some(root));
    map_canonical(doc, &mut top, root, CONTRACT);
    if let Some(team) = doc.get(root, "team") {
        top.set("owner", team_owner(doc, team));
    }
    let mut items = Vec::new();
    for (key, kind) in [
        ("inputPorts", ItemKind::InputPort),
        ("outputPorts", ItemKind::OutputPort),
        ("managementPorts", ItemKind::OtherPort),
    ] {
        if let Some(list) = doc.get(root, key) {
            listed_items(doc, list, kind, &["name"], &mut items);
        }
    }
    Canonical {
        top,
        items,
        issues: Vec::new(),
    }
}
