//! Which contract standard a document follows, decided by its shape (the keys it has), not by
//! the version it declares: many ODCS files declare v3.0.2 and use v3.1 constructs.

use super::model::Format;
use crate::document::{Document, NodeId};

/// The format of the document rooted at `root`, or `None` when it is not a data contract (a CI
/// workflow, a docker-compose file, a dbt file without enforced contracts...).
pub(crate) fn detect(doc: &Document, root: NodeId) -> Option<Format> {
    if doc.is_seq(root) {
        // ODCS v2.2 examples are sometimes bare lists of datasets.
        let first = *doc.items(root).first()?;
        return (doc.is_map(first) && has(doc, first, "table") && has(doc, first, "columns"))
            .then_some(Format::OdcsV2);
    }
    if !doc.is_map(root) {
        return None;
    }
    let kind = doc.get(root, "kind").and_then(|k| doc.str(k));
    if kind.is_some_and(|k| k.eq_ignore_ascii_case("DataProduct")) {
        return Some(Format::Odps);
    }
    if has(doc, root, "dataProductDescriptor") {
        return Some(Format::Dpds);
    }
    if has(doc, root, "dataContractSpecification") {
        return Some(Format::Dcs);
    }
    if has(doc, root, "dataset") || has(doc, root, "quantumName") || has(doc, root, "datasetName") {
        return Some(Format::OdcsV2);
    }
    if kind.is_some_and(|k| k.eq_ignore_ascii_case("DataContract")) {
        return Some(
            if has(doc, root, "apiVersion") && !is_v3(doc, root) && !schema_is_list(doc, root) {
                Format::OdcsV2
            } else {
                Format::OdcsV3
            },
        );
    }
    if is_seed(doc, root) {
        return Some(Format::Seed);
    }
    if is_dbt_contract(doc, root) {
        return Some(Format::Dbt);
    }
    None
}

fn has(doc: &Document, map: NodeId, key: &str) -> bool {
    doc.get(map, key).is_some()
}

fn is_v3(doc: &Document, root: NodeId) -> bool {
    doc.get(root, "apiVersion")
        .and_then(|v| doc.scalar_text(v))
        .is_some_and(|v| v.trim_start_matches(['v', 'V']).starts_with('3'))
}

fn schema_is_list(doc: &Document, root: NodeId) -> bool {
    doc.get(root, "schema").is_some_and(|s| doc.is_seq(s))
}

/// The seed shapes: `data_product`, or `domain` with a schema or output ports.
fn is_seed(doc: &Document, root: NodeId) -> bool {
    has(doc, root, "data_product")
        || (has(doc, root, "domain")
            && (has(doc, root, "schema")
                || has(doc, root, "output_ports")
                || has(doc, root, "output_port")))
}

/// A dbt properties file is a contract only where a model enforces its contract.
fn is_dbt_contract(doc: &Document, root: NodeId) -> bool {
    let Some(models) = doc.get(root, "models") else {
        return false;
    };
    doc.items(models)
        .iter()
        .any(|&model| super::dbt::enforced(doc, model))
}

/// Why a document is not a data contract, for `--verbose`.
pub(crate) fn why_not(doc: &Document, root: NodeId) -> &'static str {
    if !doc.is_map(root) {
        return "not a data contract (the top level is not a mapping)";
    }
    let kind = doc.get(root, "kind").and_then(|k| doc.str(k));
    if has(doc, root, "models") && !has(doc, root, "dataContractSpecification") {
        "a dbt properties file without enforced model contracts (`config.contract.enforced: true`)"
    } else if has(doc, root, "$schema") {
        "a JSON Schema, not a data contract"
    } else if has(doc, root, "jobs") && (has(doc, root, "on") || has(doc, root, "true")) {
        "a GitHub Actions workflow, not a data contract"
    } else if has(doc, root, "promises")
        || has(doc, root, "datastoreapi")
        || has(doc, root, "tableType")
    {
        "a part of a Data Product Descriptor (a port, API or table schema; `$ref` parts are not followed, so it is not linted)"
    } else if has(doc, root, "swagger") || has(doc, root, "openapi") || has(doc, root, "asyncapi") {
        "an API specification (OpenAPI/AsyncAPI), not a data contract"
    } else if has(doc, root, "services") {
        "a Docker Compose file, not a data contract"
    } else if kind.is_some() {
        "a document of another `kind`, not a data contract"
    } else {
        "not a data contract (no `data_product`, `dataContractSpecification`, `kind: DataContract`, `dataProductDescriptor`...)"
    }
}
