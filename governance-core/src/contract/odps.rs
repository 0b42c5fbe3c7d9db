//! Open Data Product Standard (Bitol ODPS, `kind: DataProduct`) → canonical model.
//!
//! Product level only: `id`, `name`, `domain`, `version`, `status`, `team` (owner = the member
//! whose role says owner), `description.purpose`, `tags`, and `inputPorts[]`, `outputPorts[]`,
//! `managementPorts[]`. Fields, PII and SLAs live in the ODCS contracts the ports point to.

use super::model::{Entity, ItemKind};
use super::normalize::{listed_items, set_first, team_owner, Canonical};
use crate::document::{Document, NodeId};

pub(crate) fn normalize(doc: &mut Document, root: NodeId) -> Canonical {
    let mut top = Entity::new(Some(root));
    set_first(doc, &mut top, root, "id", &["id"]);
    set_first(doc, &mut top, root, "name", &["name", "id"]);
    set_first(doc, &mut top, root, "data_product", &["name", "id"]);
    set_first(doc, &mut top, root, "domain", &["domain"]);
    set_first(doc, &mut top, root, "version", &["version"]);
    set_first(doc, &mut top, root, "schema_version", &["version"]);
    set_first(doc, &mut top, root, "status", &["status"]);
    set_first(
        doc,
        &mut top,
        root,
        "description",
        &["description.purpose", "description"],
    );
    set_first(doc, &mut top, root, "tags", &["tags"]);
    set_first(doc, &mut top, root, "output_ports", &["outputPorts"]);
    set_first(doc, &mut top, root, "input_ports", &["inputPorts"]);
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
