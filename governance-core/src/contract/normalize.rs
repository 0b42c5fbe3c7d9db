//! What every format's normalizer produces, and the attribute mapping that formats share.

use super::model::{attr, entry_span, Attr, Entity, Item};
use crate::document::{Document, NodeId, NodeKind};

/// A document in canonical terms: the contract's own attributes and its fields, tables, ports
/// and servers.
#[derive(Debug, Default)]
pub(crate) struct Canonical {
    pub top: Entity,
    pub items: Vec<Item>,
}

/// Reads the canonical attributes of a field from its mapping, whatever the format calls them:
/// `type` (`logicalType`, `data_type`, `dataType`), `physical_type`, `description`, `required`,
/// `unique`, `primary_key`, `pii`, `classification`, `tags`, `critical`, and `encrypted` /
/// `masked` (see [`flag`]).
pub(crate) fn field_attributes(doc: &mut Document, map: NodeId, entity: &mut Entity) {
    for (canonical, keys) in [
        (
            "type",
            &["type", "logicalType", "data_type", "dataType"][..],
        ),
        ("physical_type", &["physicalType", "physical_type"]),
        ("description", &["description"]),
        ("required", &["required"]),
        ("unique", &["unique", "isUnique"]),
        (
            "primary_key",
            &[
                "primary_key",
                "primaryKey",
                "isPrimaryKey",
                "isPrimary",
                "primary",
            ],
        ),
        ("pii", &["pii"]),
        ("classification", &["classification"]),
        ("tags", &["tags"]),
        ("critical", &["criticalDataElement", "critical"]),
    ] {
        for key in keys {
            entity.set(canonical, attr(doc, map, key));
        }
    }
    let encrypted = flag(
        doc,
        map,
        &["encrypted", "encryption"],
        &["encryptedName", "encryptedColumnName"],
    );
    entity.set("encrypted", encrypted);
    let masked = flag(doc, map, &["masked", "masking", "mask"], &[]);
    entity.set("masked", masked);
}

/// A yes/no attribute that formats spell in several ways:
/// - `key: true|false` (`encrypted: false`) is taken as written;
/// - `key: {..}` or `key: "AES256"` (`encryption: {algorithm: aes}`) means yes, unless the
///   mapping has an `enabled` key, which then decides;
/// - any of `implying` present and not empty (`encryptedName: email_enc`) means yes.
pub(crate) fn flag(
    doc: &mut Document,
    map: NodeId,
    keys: &[&str],
    implying: &[&str],
) -> Option<Attr> {
    for key in keys {
        let Some(found) = attr(doc, map, key) else {
            continue;
        };
        return Some(match doc.node(found.node).kind {
            NodeKind::Map(_) => match attr(doc, found.node, "enabled") {
                Some(enabled) => enabled,
                None => synthetic_true(doc, found.span),
            },
            NodeKind::Str(_) if doc.is_truthy(found.node) && !is_boolean_word(doc, found.node) => {
                synthetic_true(doc, found.span)
            }
            _ => found,
        });
    }
    for key in implying {
        if let Some(entry) = doc.entry(map, key) {
            let (key_span, value) = (entry.key_span, entry.value);
            if doc.is_present(value) {
                let span = entry_span(doc, key_span, value);
                return Some(synthetic_true(doc, span));
            }
        }
    }
    None
}

fn is_boolean_word(doc: &Document, node: NodeId) -> bool {
    doc.str(node).is_some_and(|s| {
        ["true", "yes", "on"]
            .iter()
            .any(|w| s.trim().eq_ignore_ascii_case(w))
    })
}

fn synthetic_true(doc: &mut Document, span: crate::source::Span) -> Attr {
    Attr {
        node: doc.push(span, NodeKind::Bool(true)),
        span,
    }
}
