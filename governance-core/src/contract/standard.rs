//! The registry of contract standards: the [`Format`] names, and one entry per standard with
//! how it is recognised, the normalizer that reads it, and where it keeps its tables and
//! fields. Detection, the normalizers and the "content this reader does not read" checks all
//! come from this table, so adding a standard means a variant and an entry here, and one
//! normalizer file.

use std::fmt;

use super::normalize::Canonical;
use super::resolve::Refs;
use super::{dbt, dcs, detect, dpds, odcs, odps, seed};
use crate::document::{Document, NodeId};

/// The contract standard a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Format {
    /// The shapes of the data-mesh article this project grew from (`data_product`, `schema`, `sla`).
    Seed,
    /// Open Data Contract Standard v3 (`kind: DataContract`, `apiVersion: v3.x`).
    OdcsV3,
    /// Open Data Contract Standard v2 (`dataset[]` with `columns[]`).
    OdcsV2,
    /// Data Contract Specification (`dataContractSpecification`).
    Dcs,
    /// A dbt properties file with enforced model contracts.
    Dbt,
    /// Open Data Mesh Data Product Descriptor (`dataProductDescriptor`).
    Dpds,
    /// Open Data Product Standard (Bitol, `kind: DataProduct`).
    Odps,
}

impl Format {
    /// The name used in reports and in `when format is "..."`: `seed`, `odcs-v3`, `odcs-v2`,
    /// `dcs`, `dbt`, `dpds`, `odps`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Seed => "seed",
            Format::OdcsV3 => "odcs-v3",
            Format::OdcsV2 => "odcs-v2",
            Format::Dcs => "dcs",
            Format::Dbt => "dbt",
            Format::Dpds => "dpds",
            Format::Odps => "odps",
        }
    }

    /// Every format, in a stable order.
    pub const ALL: [Format; 7] = [
        Format::Seed,
        Format::OdcsV3,
        Format::OdcsV2,
        Format::Dcs,
        Format::Dbt,
        Format::Dpds,
        Format::Odps,
    ];
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What shape of value a reader reads under a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A list of mappings.
    List,
    /// A mapping (keyed by name, or an object with nested keys).
    Map,
    /// A list or a mapping.
    Either,
}

impl Shape {
    pub fn accepts(self, doc: &Document, node: NodeId) -> bool {
        match self {
            Shape::List => doc.is_seq(node),
            Shape::Map => doc.is_map(node),
            Shape::Either => doc.is_seq(node) || doc.is_map(node),
        }
    }

    /// "a list", "a mapping".
    pub fn noun(self) -> &'static str {
        match self {
            Shape::List => "a list",
            Shape::Map => "a mapping",
            Shape::Either => "a list or a mapping",
        }
    }
}

/// Where a standard keeps its tables and fields, as its reader reads them.
#[derive(Debug)]
pub(crate) struct Layout {
    /// Top-level keys that hold tables or fields.
    pub top: &'static [(&'static str, Shape)],
    /// Keys of a table that hold its fields.
    pub table: &'static [(&'static str, Shape)],
    /// Keys of a field that hold nested fields.
    pub nested: &'static [(&'static str, Shape)],
    /// Where the standard keeps fields, in words, for messages.
    pub hint: &'static str,
}

/// One contract standard.
pub(crate) struct Standard {
    pub format: Format,
    /// How messages name its reader: "the odcs-v3 reader".
    pub detect: fn(&Document, NodeId) -> bool,
    pub normalize: fn(&mut Document, NodeId, &mut Refs<'_>) -> Canonical,
    pub layout: Layout,
}

/// The standards in the order they are tried: the first whose markers a document has reads
/// it. The markers are each standard's own (a list `dataset`, `kind: DataContract` exactly...),
/// so that one extra key does not switch a contract to another reader; and whichever reader is
/// chosen, content it does not read is reported (`unread-content`).
pub(crate) const STANDARDS: &[Standard] = &[
    Standard {
        format: Format::Odps,
        detect: detect::is_odps,
        normalize: odps::normalize,
        layout: Layout {
            top: &[],
            table: &[],
            nested: &[],
            hint: "ODPS describes a product and its ports, not fields: fields belong in the ODCS contracts its ports reference (`outputPorts[].contractId`)",
        },
    },
    Standard {
        format: Format::Dpds,
        detect: detect::is_dpds,
        normalize: dpds::normalize,
        layout: Layout {
            top: &[],
            table: &[],
            nested: &[],
            hint: "DPDS keeps tables in its output ports, under `interfaceComponents.outputPorts[].promises.api.definition.schema.tables[]`",
        },
    },
    Standard {
        format: Format::Dcs,
        detect: detect::is_dcs,
        normalize: dcs::normalize,
        layout: Layout {
            top: &[("models", Shape::Map)],
            table: &[("fields", Shape::Map)],
            nested: &[
                ("fields", Shape::Map),
                ("items", Shape::Map),
                ("keys", Shape::Map),
                ("values", Shape::Map),
            ],
            hint: "the Data Contract Specification keeps models in a mapping under `models` and their fields in a mapping under `models.<model>.fields`",
        },
    },
    Standard {
        format: Format::OdcsV2,
        detect: detect::is_odcs_v2,
        normalize: odcs::normalize_v2,
        layout: Layout {
            top: &[("dataset", Shape::List)],
            table: &[("columns", Shape::List)],
            nested: &[
                ("properties", Shape::List),
                ("columns", Shape::List),
                ("items", Shape::Map),
            ],
            hint: "ODCS v2 keeps tables in a list under `dataset` and their fields under `dataset[].columns[]`",
        },
    },
    Standard {
        format: Format::OdcsV3,
        detect: detect::is_odcs_v3,
        normalize: odcs::normalize_v3,
        layout: Layout {
            top: &[("schema", Shape::List)],
            table: &[("properties", Shape::List)],
            nested: &[
                ("properties", Shape::List),
                ("columns", Shape::List),
                ("items", Shape::Map),
            ],
            hint: "ODCS v3 keeps tables in a list under `schema` and their fields under `schema[].properties[]`",
        },
    },
    Standard {
        format: Format::Seed,
        detect: detect::is_seed,
        normalize: seed::normalize,
        layout: Layout {
            top: &[("schema", Shape::Either)],
            table: &[],
            nested: &[("fields", Shape::Either)],
            hint: "seed contracts list fields under `schema` (a mapping of name to type, or a list of `- name:` entries) and nest them under `fields`",
        },
    },
    Standard {
        format: Format::Dbt,
        detect: detect::is_dbt,
        normalize: dbt::normalize,
        layout: Layout {
            top: &[("models", Shape::List)],
            table: &[("columns", Shape::List)],
            nested: &[],
            hint: "dbt keeps columns in a list under `models[].columns`",
        },
    },
];

/// The standard a document follows, if any.
pub(crate) fn detect(doc: &Document, root: NodeId) -> Option<&'static Standard> {
    STANDARDS
        .iter()
        .find(|standard| (standard.detect)(doc, root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_standard() {
        for format in Format::ALL {
            assert_eq!(
                STANDARDS.iter().filter(|s| s.format == format).count(),
                1,
                "{format}"
            );
        }
        assert_eq!(STANDARDS.len(), Format::ALL.len());
    }
}
