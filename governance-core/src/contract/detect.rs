//! How each standard is recognised, by the markers it really has (not by one key that any
//! contract could carry), and what to say about a document that is not a contract.
//!
//! The order in which the markers are tried is the order of [`super::standard::STANDARDS`].
//! The version a file declares only decides between ODCS v2 and v3: many ODCS files declare
//! v3.0.2 and use v3.1 constructs, so the rest of the reading goes by shape.

use crate::document::{Document, NodeId};

/// `kind: DataProduct`, exactly: the Bitol Open Data Product Standard. (Agile Lab's
/// `kind: dataproduct` is another specification.)
pub(crate) fn is_odps(doc: &Document, root: NodeId) -> bool {
    kind(doc, root) == Some("DataProduct")
}

/// `dataProductDescriptor: 1.0.0`: the Open Data Mesh descriptor.
pub(crate) fn is_dpds(doc: &Document, root: NodeId) -> bool {
    doc.is_map(root) && scalar(doc, root, "dataProductDescriptor")
}

/// `dataContractSpecification: 1.1.0`: the Data Contract Specification.
pub(crate) fn is_dcs(doc: &Document, root: NodeId) -> bool {
    doc.is_map(root) && scalar(doc, root, "dataContractSpecification")
}

/// ODCS v2: a bare list of datasets (2.2 fragments), `kind: DataContract` with a 2.x
/// `apiVersion` (unless its `schema` is a v3 list), or, without a v3 `kind`/`apiVersion`, a
/// `dataset` list of tables or `uuid` with `quantumName`/`datasetName`.
pub(crate) fn is_odcs_v2(doc: &Document, root: NodeId) -> bool {
    if doc.is_seq(root) {
        return doc.items(root).first().is_some_and(|&first| {
            doc.is_map(first) && has(doc, first, "table") && has(doc, first, "columns")
        });
    }
    if !doc.is_map(root) {
        return false;
    }
    let version = api_major(doc, root);
    match kind(doc, root) {
        Some("DataContract") => match version {
            Some('2') => !schema_is_list(doc, root),
            Some(_) => false,
            None => dataset_is_list(doc, root) && !schema_is_list(doc, root),
        },
        Some(_) => false,
        None => {
            dataset_is_list(doc, root)
                || (has(doc, root, "uuid")
                    && (has(doc, root, "quantumName") || has(doc, root, "datasetName")))
        }
    }
}

/// `kind: DataContract`, exactly, whatever its `apiVersion` (an unknown version is read as
/// v3, the current standard).
pub(crate) fn is_odcs_v3(doc: &Document, root: NodeId) -> bool {
    kind(doc, root) == Some("DataContract")
}

/// The seed shapes: `data_product`, or `domain` with a schema or output ports.
pub(crate) fn is_seed(doc: &Document, root: NodeId) -> bool {
    doc.is_map(root)
        && (has(doc, root, "data_product")
            || (has(doc, root, "domain")
                && (has(doc, root, "schema")
                    || has(doc, root, "output_ports")
                    || has(doc, root, "output_port"))))
}

/// A dbt properties file is a contract only where a model enforces its contract.
pub(crate) fn is_dbt(doc: &Document, root: NodeId) -> bool {
    let Some(models) = doc.is_map(root).then(|| doc.get(root, "models")).flatten() else {
        return false;
    };
    doc.items(models)
        .iter()
        .any(|&model| super::dbt::enforced(doc, model))
}

fn has(doc: &Document, map: NodeId, key: &str) -> bool {
    doc.get(map, key).is_some()
}

/// Whether `key` holds a scalar (a version string, say), not a collection.
fn scalar(doc: &Document, map: NodeId, key: &str) -> bool {
    doc.get(map, key)
        .is_some_and(|v| doc.scalar_text(v).is_some())
}

fn kind(doc: &Document, root: NodeId) -> Option<&str> {
    doc.is_map(root)
        .then(|| doc.get(root, "kind"))
        .flatten()
        .and_then(|k| doc.str(k))
        .map(str::trim)
}

/// The major version `apiVersion` declares (`v3.0.2` → `3`), if it declares one.
fn api_major(doc: &Document, root: NodeId) -> Option<char> {
    let version = doc
        .get(root, "apiVersion")
        .and_then(|v| doc.scalar_text(v))?;
    version
        .trim()
        .trim_start_matches(['v', 'V'])
        .chars()
        .next()
        .filter(char::is_ascii_digit)
}

/// `apiVersion: v1.0.0`: a three-part version, as the contract standards write it (Kubernetes
/// manifests say `v1` or `apps/v1`).
fn semver_api(doc: &Document, root: NodeId) -> bool {
    doc.get(root, "apiVersion")
        .and_then(|v| doc.scalar_text(v))
        .is_some_and(|v| {
            let parts: Vec<&str> = v.trim().trim_start_matches(['v', 'V']).split('.').collect();
            parts.len() >= 3
                && parts
                    .iter()
                    .take(2)
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

fn schema_is_list(doc: &Document, root: NodeId) -> bool {
    doc.get(root, "schema").is_some_and(|s| doc.is_seq(s))
}

fn dataset_is_list(doc: &Document, root: NodeId) -> bool {
    doc.get(root, "dataset").is_some_and(|d| doc.is_seq(d))
}

/// Why a document is not read as a data contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotAContract {
    /// It is something else, and is skipped with this reason.
    Skip(super::skip::Skip),
    /// It looks like a contract but matches no standard: a `not-recognised` finding.
    Unrecognised(Unrecognised),
}

/// What makes an unrecognised document look like a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unrecognised {
    /// The `kind` it declares, when that is what is wrong.
    pub kind: bool,
    /// It is a Linux Foundation Open Data Product Specification 4.x document (`schema:
    /// https://opendataproducts.org/v4...` with `product:`), a standard the linter does not
    /// read.
    pub lf_odps: bool,
}

/// `schema: https://opendataproducts.org/v4.0/schema/odps.yaml` with a `product` mapping: the
/// Linux Foundation's Open Data Product Specification (not Bitol's ODPS, `kind: DataProduct`).
pub(crate) fn is_lf_odps(doc: &Document, root: NodeId) -> bool {
    doc.get(root, "schema")
        .and_then(|s| doc.str(s))
        .is_some_and(|s| s.contains("opendataproducts.org/v"))
        && doc.get(root, "product").is_some_and(|p| doc.is_map(p))
}

/// Contract keys: a document with two of them (or a contract-like `kind`) that no standard
/// reads is reported, not skipped.
const CONTRACT_KEYS: &[&str] = &[
    "schema",
    "owner",
    "domain",
    "sla",
    "fields",
    "columns",
    "dataset",
    "servicelevels",
    "slaProperties",
    "team",
    "output_ports",
    "input_ports",
    "outputPorts",
    "inputPorts",
    "data_product",
    "dataProduct",
    "dataContractSpecification",
    "dataProductDescriptor",
    "quantumName",
    "datasetName",
];

/// Whether `key` is one of the keys that make a document look like a contract.
pub(crate) fn is_contract_key(key: &str) -> bool {
    CONTRACT_KEYS.contains(&key)
}

/// Whether the document rooted at `root` is skipped (and why) or unrecognised.
pub(crate) fn why_not(doc: &Document, root: NodeId) -> NotAContract {
    use super::skip::Skip;
    if !doc.is_map(root) {
        return NotAContract::Skip(Skip::NOT_A_MAPPING);
    }
    if is_lf_odps(doc, root) {
        return NotAContract::Unrecognised(Unrecognised {
            kind: false,
            lf_odps: true,
        });
    }
    let kind = doc.get(root, "kind").and_then(|k| doc.str(k));
    let contract_kind = kind.is_some_and(|k| {
        let lower = k.to_ascii_lowercase();
        lower.contains("contract")
            || lower.contains("dataproduct")
            || lower.contains("data product")
    });
    if contract_kind {
        return NotAContract::Unrecognised(Unrecognised {
            kind: true,
            lf_odps: false,
        });
    }
    let contract_keys = doc
        .entries(root)
        .iter()
        .filter(|e| is_contract_key(doc.text(&e.key)))
        .count();
    let policy_tests = doc.get(root, "tests").is_some_and(|tests| {
        doc.items(tests)
            .iter()
            .any(|&t| has(doc, t, "contract") || has(doc, t, "expect"))
    });
    let skip = if policy_tests {
        Skip::POLICY_TESTS
    } else if has(doc, root, "models") && !has(doc, root, "dataContractSpecification") {
        Skip::DBT_NOT_ENFORCED
    } else if has(doc, root, "$schema") {
        Skip::JSON_SCHEMA
    } else if has(doc, root, "jobs") && (has(doc, root, "on") || has(doc, root, "true")) {
        Skip::GITHUB_WORKFLOW
    } else if has(doc, root, "promises")
        || has(doc, root, "datastoreapi")
        || has(doc, root, "tableType")
    {
        Skip::DPDS_PART
    } else if has(doc, root, "swagger") || has(doc, root, "openapi") || has(doc, root, "asyncapi") {
        Skip::API_SPEC
    } else if has(doc, root, "services") {
        Skip::DOCKER_COMPOSE
    } else if contract_keys >= 2
        || (kind.is_some()
            && (contract_keys >= 1
                || semver_api(doc, root)
                || (has(doc, root, "id") && has(doc, root, "status"))))
    {
        return NotAContract::Unrecognised(Unrecognised {
            kind: false,
            lf_odps: false,
        });
    } else if kind.is_some() {
        Skip::OTHER_KIND
    } else {
        Skip::NOT_A_CONTRACT
    };
    NotAContract::Skip(skip)
}
