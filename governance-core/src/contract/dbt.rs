//! dbt properties files (`models:` with `columns:`). Only models that enforce their contract
//! (`config.contract.enforced: true`, or the pre-release `contract: true`) are contracts; the
//! others are left out. Column types are dbt `data_type` strings, kept as text (Jinja too).
//!
//! One file is one contract: its tables are the enforced models. The contract's name, owner
//! and domain come from the first enforced model (its `group`'s owner, or `meta.owner`).

use std::sync::Arc;

use super::model::{attr, raw_path, Attr, Entity, ItemKind};
use super::normalize::{field_attributes, named_item, synthetic, Canonical};
use super::resolve::Refs;
use crate::document::{Document, NodeId, NodeKind};

/// Whether a dbt model enforces its contract: its own `config.contract.enforced` (or
/// `contract`) says so, or `dbt_project.yml` enforces contracts for the file's folder and the
/// model does not switch enforcement off itself.
pub(crate) fn enforced(doc: &Document, model: NodeId) -> bool {
    if !doc.is_map(model) {
        return false;
    }
    let own = doc
        .get(model, "config")
        .and_then(|config| contract_setting(doc, config))
        .or_else(|| contract_setting(doc, model));
    own.unwrap_or(doc.dbt_project_enforced)
}

/// What `contract: {enforced: ...}` (or `+contract`, or `contract: true`) under `holder` says,
/// if it says anything. A doubtful value counts as enforced (failing closed: the model is
/// linted).
pub(crate) fn contract_setting(doc: &Document, holder: NodeId) -> Option<bool> {
    let contract = doc
        .get(holder, "contract")
        .or_else(|| doc.get(holder, "+contract"))?;
    let flag = if doc.is_map(contract) {
        doc.get(contract, "enforced")?
    } else {
        contract
    };
    (!doc.is_map(flag)).then(|| doc.is_truthy(flag))
}

/// The first enforced model's paths for each contract-level name (its `name` is also the
/// contract's `id`, `name` and `data_product`; its group gives the owner and domain after
/// these).
pub(crate) const MODEL: &[(&str, &[&str])] = &[
    ("owner", &["meta.owner", "config.meta.owner"]),
    ("domain", &["meta.domain", "config.meta.domain"]),
    ("version", &["latest_version"]),
    ("schema_version", &["latest_version"]),
    ("description", &["description"]),
    ("tags", &["tags", "config.tags"]),
];

/// A column's PII flag, by dbt convention.
pub(crate) const PII: &[&str] = &[
    "meta.contains_pii",
    "meta.pii",
    "config.meta.contains_pii",
    "config.meta.pii",
];

pub(crate) fn normalize(doc: &mut Document, root: NodeId, _refs: &mut Refs<'_>) -> Canonical {
    let mut top = Entity::new(Some(root));
    top.canonical_only = &["version", "schema_version"];
    let models: Vec<NodeId> = doc
        .get(root, "models")
        .map(|m| {
            doc.items(m)
                .iter()
                .copied()
                .filter(|&m| enforced(doc, m))
                .collect()
        })
        .unwrap_or_default();
    if let Some(&first) = models.first() {
        for canonical in ["id", "name", "data_product"] {
            top.set(canonical, attr(doc, first, "name"));
        }
        for (canonical, paths) in MODEL {
            for path in *paths {
                top.set(canonical, raw_path(doc, first, path));
            }
        }
        let group = attr(doc, first, "group").or_else(|| raw_path(doc, first, "config.group"));
        if let Some(group) = group {
            let name = doc
                .scalar_text(group.node)
                .map(std::borrow::Cow::into_owned);
            top.set(
                "owner",
                name.as_deref().and_then(|n| group_owner(doc, root, n)),
            );
            top.set("domain", Some(group));
        }
    }
    let mut items = Vec::new();
    for model in models {
        let mut table = named_item(doc, ItemKind::Table, model, &["name"], "", None);
        for key in ["description", "tags", "access"] {
            table.entity.set(key, attr(doc, model, key));
        }
        let table_name = table.name().map_or_else(|| Arc::<str>::from(""), Arc::from);
        items.push(table);
        let model_constraints = model_level_constraints(doc, model);
        let columns: Vec<NodeId> = doc
            .get(model, "columns")
            .map(|c| doc.maps_in(c))
            .unwrap_or_default();
        for column in columns {
            let mut item = named_item(
                doc,
                ItemKind::Field,
                column,
                &["name"],
                &table_name,
                Some(&table_name),
            );
            field_attributes(doc, column, &mut item.entity);
            for path in PII {
                item.entity.set("pii", raw_path(doc, column, path));
            }
            constraints(doc, column, &mut item.entity);
            if let Some(name) = item.name().map(str::to_owned) {
                for (kind, span) in &model_constraints {
                    if kind.1.contains(&name) {
                        let canonical = match kind.0.as_str() {
                            "primary_key" => "primary_key",
                            "unique" => "unique",
                            "not_null" => "required",
                            _ => continue,
                        };
                        let flag = synthetic(doc, *span, NodeKind::Bool(true));
                        item.entity.set(canonical, Some(flag));
                    }
                }
            }
            items.push(item);
        }
    }
    Canonical {
        top,
        items,
        issues: Vec::new(),
    }
}

/// The `owner` (email, else name) of the group called `name` in the file's `groups:`.
fn group_owner(doc: &Document, root: NodeId, name: &str) -> Option<Attr> {
    let groups = doc.get(root, "groups")?;
    doc.items(groups).iter().find_map(|&group| {
        let matches = doc.get(group, "name").and_then(|n| doc.str(n)) == Some(name);
        if !matches {
            return None;
        }
        let owner = doc.get(group, "owner")?;
        attr(doc, owner, "email").or_else(|| attr(doc, owner, "name"))
    })
}

/// Column-level `constraints: [{type: not_null}]` → required, unique, primary key.
fn constraints(doc: &mut Document, column: NodeId, entity: &mut Entity) {
    let Some(list) = doc.get(column, "constraints") else {
        return;
    };
    let found: Vec<(String, crate::source::Span)> = doc
        .items(list)
        .iter()
        .filter_map(|&c| {
            let kind = doc.get(c, "type").and_then(|t| doc.str(t))?;
            Some((kind.to_ascii_lowercase(), doc.span(c)))
        })
        .collect();
    for (kind, span) in found {
        let canonical = match kind.as_str() {
            "not_null" => "required",
            "unique" => "unique",
            "primary_key" => "primary_key",
            _ => continue,
        };
        let flag = synthetic(doc, span, NodeKind::Bool(true));
        entity.set(canonical, Some(flag));
    }
}

type ModelConstraint = ((String, Vec<String>), crate::source::Span);

/// Model-level `constraints: [{type: primary_key, columns: [id]}]`.
fn model_level_constraints(doc: &Document, model: NodeId) -> Vec<ModelConstraint> {
    let Some(list) = doc.get(model, "constraints") else {
        return Vec::new();
    };
    doc.items(list)
        .iter()
        .filter_map(|&c| {
            let kind = doc
                .get(c, "type")
                .and_then(|t| doc.str(t))?
                .to_ascii_lowercase();
            let columns = doc
                .get(c, "columns")
                .map(|cols| {
                    doc.items(cols)
                        .iter()
                        .filter_map(|&col| doc.scalar_text(col).map(std::borrow::Cow::into_owned))
                        .collect()
                })
                .unwrap_or_default();
            Some(((kind, columns), doc.span(c)))
        })
        .collect()
}
