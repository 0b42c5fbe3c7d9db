//! Why a file (or a document of it) is not linted: each reason has a stable code for machines,
//! a sentence for people, and a short noun for the summary that counts skipped files by reason.

use std::borrow::Cow;
use std::fmt;

/// Why a file is skipped: it was seen and is deliberately not linted.
///
/// ```
/// use governance_core::Skip;
/// assert_eq!(Skip::GITHUB_WORKFLOW.code(), "github-workflow");
/// assert_eq!(Skip::GITHUB_WORKFLOW.noun(2), "GitHub Actions workflows");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Skip {
    code: &'static str,
    reason: Cow<'static, str>,
    singular: &'static str,
    plural: &'static str,
}

impl Skip {
    /// A reason: its `code`, the sentence shown with `--verbose`, and the noun (singular and
    /// plural) the summary counts by.
    #[must_use]
    pub const fn new(
        code: &'static str,
        reason: &'static str,
        singular: &'static str,
        plural: &'static str,
    ) -> Self {
        Self {
            code,
            reason: Cow::Borrowed(reason),
            singular,
            plural,
        }
    }

    /// The same reason, worded for one file (`a symbolic link to `x`, which is linted`).
    #[must_use]
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Cow::Owned(reason.into());
        self
    }

    /// The top level is a scalar or a list, not a mapping.
    pub const NOT_A_MAPPING: Skip = Skip::new(
        "not-a-mapping",
        "not a data contract (the top level is not a mapping)",
        "file whose top level is not a mapping",
        "files whose top level is not a mapping",
    );
    /// No document at all: an empty file, or only comments.
    pub const EMPTY: Skip = Skip::new(
        "empty",
        "an empty file (no YAML document)",
        "empty file",
        "empty files",
    );
    /// A dbt properties file whose models do not enforce their contracts.
    pub const DBT_NOT_ENFORCED: Skip = Skip::new(
        "dbt-not-enforced",
        "a dbt properties file without enforced model contracts (`config.contract.enforced: true`, here or in dbt_project.yml)",
        "dbt file without enforced contracts",
        "dbt files without enforced contracts",
    );
    /// A JSON Schema.
    pub const JSON_SCHEMA: Skip = Skip::new(
        "json-schema",
        "a JSON Schema, not a data contract",
        "JSON Schema",
        "JSON Schemas",
    );
    /// A GitHub Actions workflow.
    pub const GITHUB_WORKFLOW: Skip = Skip::new(
        "github-workflow",
        "a GitHub Actions workflow, not a data contract",
        "GitHub Actions workflow",
        "GitHub Actions workflows",
    );
    /// A part of a DPDS descriptor (a port, API or table schema in its own file).
    pub const DPDS_PART: Skip = Skip::new(
        "dpds-part",
        "a part of a Data Product Descriptor (a port, API or table schema; linted with the descriptor whose `$ref` names it)",
        "part of a Data Product Descriptor",
        "parts of Data Product Descriptors",
    );
    /// An `OpenAPI` or `AsyncAPI` document.
    pub const API_SPEC: Skip = Skip::new(
        "api-spec",
        "an API specification (OpenAPI/AsyncAPI), not a data contract",
        "API specification",
        "API specifications",
    );
    /// A Docker Compose file.
    pub const DOCKER_COMPOSE: Skip = Skip::new(
        "docker-compose",
        "a Docker Compose file, not a data contract",
        "Docker Compose file",
        "Docker Compose files",
    );
    /// A document of another `kind` (a Kubernetes manifest, say).
    pub const OTHER_KIND: Skip = Skip::new(
        "other-kind",
        "a document of another `kind`, not a data contract",
        "document of another `kind`",
        "documents of another `kind`",
    );
    /// Anything else that is not a contract.
    pub const NOT_A_CONTRACT: Skip = Skip::new(
        "not-a-contract",
        "not a data contract (no `data_product`, `dataContractSpecification`, `kind: DataContract`, `dataProductDescriptor`...)",
        "other file that is not a contract",
        "other files that are not contracts",
    );
    /// A policy unit test file (`*.tests.yaml`), which `governance-lint test` runs.
    pub const POLICY_TESTS: Skip = Skip::new(
        "policy-tests",
        "a policy test file (`governance-lint test` runs it)",
        "policy test file",
        "policy test files",
    );
    /// A JSON Lines data file (one JSON value per line).
    pub const JSON_LINES: Skip = Skip::new(
        "json-lines",
        "a JSON Lines data file (one JSON value per line), not a data contract",
        "JSON Lines data file",
        "JSON Lines data files",
    );

    /// A stable code: `github-workflow`, `dbt-not-enforced`...
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The reason as a sentence: "a GitHub Actions workflow, not a data contract".
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The noun for `count` such files: "GitHub Actions workflow(s)".
    #[must_use]
    pub fn noun(&self, count: usize) -> &'static str {
        if count == 1 {
            self.singular
        } else {
            self.plural
        }
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}
