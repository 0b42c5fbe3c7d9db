//! Where each standard reads each canonical name: the normalizers' own tables (`CONTRACT`,
//! `SLA`, `MODEL`... in `seed.rs`, `odcs.rs`, `dcs.rs`, `dbt.rs`, `dpds.rs`, `odps.rs`,
//! `normalize.rs`), put together per name, with a sentence for what a reader derives rather
//! than reads from a key (the owner of a team). docs/formats.md's tables are checked against
//! it (`governance-core/tests/formats_table.rs`), and the language server's hover shows it.

use super::standard::Format;
use super::{dbt, dcs, dpds, odcs, odps, seed};

/// Where one standard reads one canonical name (or, with no format, where every standard
/// reads a field attribute).
///
/// ```
/// use governance_core::{read_from, Format};
/// let owner = read_from("owner");
/// let dcs = owner.iter().find(|r| r.format == Some(Format::Dcs)).map(|r| r.describe());
/// assert_eq!(dcs.as_deref(), Some("`info.owner`, `info.contact.email`"));
/// let encrypted = read_from("encrypted");
/// assert_eq!(encrypted[0].format, None);
/// assert_eq!(encrypted[0].keys, ["encrypted", "encryption"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadFrom {
    /// The standard; `None` for a field attribute, read alike in every standard.
    pub format: Option<Format>,
    /// The keys or dotted paths read, in order: the first one present wins.
    pub keys: Vec<&'static str>,
    /// What the keys are relative to, when not the document's top level ("the first
    /// enforced model", "`slaProperties[]` items whose `property` is").
    pub within: Option<&'static str>,
    /// What the reader derives after the keys, in words with names in backticks ("the owner
    /// in `team`").
    pub derived: Option<&'static str>,
}

impl ReadFrom {
    /// The keys in backticks, then what is derived: "`info.owner`, `info.contact.email`".
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.keys.iter().map(|k| format!("`{k}`")).collect();
        parts.extend(self.derived.map(str::to_owned));
        let listed = parts.join(", ");
        match self.within {
            Some(within) => format!("{within} {listed}"),
            None => listed,
        }
    }
}

/// A field attribute: its keys, and what is derived.
const FIELD: &[(&str, &[&str], Option<&str>)] = &[
    (
        "type",
        &["type", "logicalType", "data_type", "dataType"],
        None,
    ),
    ("physical_type", &["physicalType", "physical_type"], None),
    ("description", &["description"], None),
    (
        "required",
        &["required"],
        Some("else the opposite of a boolean `isNullable`; dbt: a `not_null` constraint"),
    ),
    (
        "unique",
        &["unique", "isUnique"],
        Some("dbt: a `unique` constraint"),
    ),
    (
        "primary_key",
        &[
            "primary_key",
            "primaryKey",
            "isPrimaryKey",
            "isPrimary",
            "primary",
        ],
        Some("dbt: a `primary_key` constraint"),
    ),
    (
        "pii",
        &["pii"],
        Some("dbt: `meta.contains_pii`, `meta.pii`, `config.meta.contains_pii`, `config.meta.pii`"),
    ),
    ("classification", &["classification"], None),
    ("tags", &["tags"], None),
    (
        "critical",
        &[
            "criticalDataElement",
            "criticalDataElementStatus",
            "critical",
        ],
        None,
    ),
    (
        "encrypted",
        &["encrypted", "encryption"],
        Some("else a non-empty `encryptedName` or `encryptedColumnName`"),
    ),
    ("masked", &["masked", "masking", "mask"], None),
];

/// What a reader derives for a contract-level name, besides its table.
const DERIVED: &[(Format, &str, &str)] = &[
    (Format::Seed, "sla.availability", "a scalar `sla: 99.9%`"),
    (Format::OdcsV3, "owner", "the owner in `team`"),
    (Format::OdcsV2, "owner", "the owner in `stakeholders[]`"),
    (Format::Odps, "owner", "the owner in `team`"),
    (Format::Dbt, "id", "the model's `name`"),
    (Format::Dbt, "name", "the model's `name`"),
    (Format::Dbt, "data_product", "the model's `name`"),
    (
        Format::Dbt,
        "owner",
        "else the owner of the model's group: `groups[].owner.email`, else `.name`",
    ),
    (
        Format::Dbt,
        "domain",
        "else the model's group name (`group`, `config.group`)",
    ),
];

/// `slaProperties[]` (ODCS v3 and v2).
const SLA_WITHIN: &str = "`slaProperties[]` items whose `property` is";
/// The dbt paths are read on the model.
const DBT_WITHIN: &str = "the first enforced model's";

/// Where each standard reads `name`: one [`ReadFrom`] per standard that maps this
/// contract-level name (`owner`, `sla.availability`, `output_ports`...), and one with no
/// format when it is a field attribute (`encrypted`, `type`...; `description` and `tags` are
/// both). Empty for any other name, which every reader looks up as written.
#[must_use]
pub fn read_from(name: &str) -> Vec<ReadFrom> {
    let mut found: Vec<ReadFrom> = Format::ALL
        .iter()
        .filter_map(|&format| {
            let (keys, within) = keys_of(format, name);
            let derived = DERIVED
                .iter()
                .find(|(f, n, _)| *f == format && *n == name)
                .map(|(_, _, d)| *d);
            (!keys.is_empty() || derived.is_some()).then_some(ReadFrom {
                format: Some(format),
                keys,
                within,
                derived,
            })
        })
        .collect();
    // `description` and `tags` are names of the contract and of its fields.
    if let Some((_, keys, derived)) = FIELD.iter().find(|(n, _, _)| *n == name) {
        found.push(ReadFrom {
            format: None,
            keys: keys.to_vec(),
            within: None,
            derived: *derived,
        });
    }
    found
}

/// Every name [`read_from`] knows: the contract-level names the standards map, then the
/// field attributes.
#[must_use]
pub fn mapped_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    let tables: [&[(&'static str, &[&'static str])]; 6] = [
        seed::CONTRACT,
        odcs::V3_CONTRACT,
        odcs::V2_CONTRACT,
        dcs::CONTRACT,
        dpds::CONTRACT,
        odps::CONTRACT,
    ];
    let all = tables
        .iter()
        .flat_map(|t| t.iter().map(|(n, _)| *n))
        .chain(dbt::MODEL.iter().map(|(n, _)| *n))
        .chain(seed::SLA.iter().map(|(n, _)| *n))
        .chain(dcs::SLA.iter().map(|(n, _)| *n))
        .chain(seed::PORTS.iter().map(|(n, _)| *n))
        .chain(DERIVED.iter().map(|(_, n, _)| *n))
        .chain(FIELD.iter().map(|(n, _, _)| *n));
    for name in all {
        if name != "fields" && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The keys of one standard's tables for a contract-level name.
fn keys_of(format: Format, name: &str) -> (Vec<&'static str>, Option<&'static str>) {
    let from = |table: &[(&'static str, &[&'static str])]| -> Vec<&'static str> {
        table
            .iter()
            .filter(|(n, _)| *n == name)
            .flat_map(|(_, keys)| keys.iter().copied())
            .collect()
    };
    let sla_properties = || -> Vec<&'static str> {
        let (with_fallback, fallback) = super::normalize::SLA_FALLBACK;
        let own = |canonical: &str| -> Vec<&'static str> {
            super::normalize::SLA_PROPERTIES
                .iter()
                .filter(|(_, n)| *n == canonical)
                .map(|(p, _)| *p)
                .collect()
        };
        let mut keys = own(name);
        if name == with_fallback {
            keys.extend(own(fallback));
        }
        keys
    };
    if name == "fields" {
        return (Vec::new(), None);
    }
    match format {
        Format::Seed => {
            let mut keys = from(seed::CONTRACT);
            keys.extend(
                seed::SLA
                    .iter()
                    .filter(|(n, _)| *n == name)
                    .map(|(_, key)| match *key {
                        "availability" => "sla.availability",
                        "freshness" => "sla.freshness",
                        "latency" => "sla.latency",
                        "retention" => "sla.retention",
                        other => other,
                    }),
            );
            keys.extend(
                seed::PORTS
                    .iter()
                    .filter(|(n, _)| *n == name)
                    .map(|(_, k)| *k),
            );
            (keys, None)
        }
        Format::OdcsV3 | Format::OdcsV2 if name.starts_with("sla.") => {
            (sla_properties(), Some(SLA_WITHIN))
        }
        Format::OdcsV3 => (from(odcs::V3_CONTRACT), None),
        Format::OdcsV2 => (from(odcs::V2_CONTRACT), None),
        Format::Dcs => {
            let mut keys = from(dcs::CONTRACT);
            keys.extend(dcs::SLA.iter().filter(|(n, _)| *n == name).map(|(_, p)| *p));
            (keys, None)
        }
        Format::Dbt => {
            let keys = from(dbt::MODEL);
            let derived = DERIVED.iter().any(|(f, n, _)| *f == format && *n == name);
            let within = (!keys.is_empty() || derived).then_some(DBT_WITHIN);
            (keys, within)
        }
        Format::Dpds => (from(dpds::CONTRACT), None),
        Format::Odps => (from(odps::CONTRACT), None),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::contract::model::Entity;
    use crate::document::{self, Limits, Syntax};
    use crate::source::SourceFile;

    /// The field table says what `field_attributes` reads: each key alone on a field sets
    /// its attribute.
    #[test]
    fn the_field_table_is_what_the_reader_reads() {
        for (name, keys, _) in FIELD {
            for key in *keys {
                let text = format!("{key}: yes\n");
                let source = Arc::new(SourceFile::new("f.yaml", text));
                let docs = document::load(&source, Syntax::Yaml, Limits::default());
                let Some(mut doc) = docs.ok().and_then(|d| d.into_iter().next()) else {
                    panic!("`{key}` does not load");
                };
                let root = doc.root();
                let mut entity = Entity::new(Some(root));
                super::super::normalize::field_attributes(&mut doc, root, &mut entity);
                assert!(
                    entity.get(name).is_some(),
                    "`{key}` does not set `{name}` (the reader and the table disagree)"
                );
            }
        }
    }

    #[test]
    fn every_mapped_name_reads_from_somewhere() {
        for name in mapped_names() {
            assert!(!read_from(name).is_empty(), "`{name}`");
        }
        assert!(read_from("x-team.slack").is_empty());
    }
}
