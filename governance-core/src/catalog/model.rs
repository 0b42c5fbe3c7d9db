//! The catalog's data: what a person looking for a data product, and a governance lead looking
//! at a domain, need to know of each contract. Every type serialises to the JSON described by
//! `docs/catalog.schema.json`; field names are those of the JSON.

use serde::Serialize;

use crate::contract::Format;
use crate::finding::Severity;

/// One data product (one contract), as the catalog shows it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Product {
    /// Unique within a catalog: the file, with `#N` for the N-th contract of a file that holds
    /// several (`contracts.yaml#2`).
    pub key: String,
    /// The contract's id (`id`, else what its standard uses instead: see docs/formats.md).
    pub id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// The data product it describes (the canonical `data_product`).
    pub data_product: Option<String>,
    /// Its domain, as written.
    pub domain: Option<String>,
    /// Its owner (a team address, a username).
    pub owner: Option<String>,
    /// The standard it is written in (`seed`, `odcs-v3`...).
    #[serde(serialize_with = "format_name")]
    pub standard: Format,
    /// Its version.
    pub version: Option<String>,
    /// Its schema version, where the standard tells it apart from the version.
    pub schema_version: Option<String>,
    /// Its status (`draft`, `active`...).
    pub status: Option<String>,
    /// What it holds, in words.
    pub description: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// The file it is written in.
    pub file: String,
    /// Which contract of the file it is (1 for the first).
    pub document: usize,
    /// The line where it starts.
    pub line: usize,
    /// Its tables or models, in document order.
    pub tables: Vec<Table>,
    /// Its fields at every depth, in document order.
    pub fields: Vec<ProductField>,
    /// Its service levels.
    pub sla: Sla,
    /// Its input, output and other ports, in document order.
    pub ports: Vec<Port>,
    /// Its servers, in document order.
    pub servers: Vec<Server>,
    /// What the policies found.
    pub compliance: Compliance,
    /// Its waivers, with their state as of the catalog's date.
    pub waivers: Vec<WaiverRecord>,
}

/// A table or model of a product.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Table {
    /// Its name.
    pub name: Option<String>,
    /// What it holds.
    pub description: Option<String>,
    /// Its name in the data store (`physicalName`).
    pub physical_name: Option<String>,
    /// What it is in the data store (`table`, `view`, `topic`...).
    pub physical_type: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Where it is named.
    pub line: usize,
}

/// A field of a product, at any depth.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ProductField {
    /// Its dotted path from its table (`orders.customer.email`).
    pub path: String,
    /// Its own name (`email`); `None` for a field without a name.
    pub name: Option<String>,
    /// The table or model it belongs to.
    pub table: Option<String>,
    /// The path of the field it is nested in.
    pub parent: Option<String>,
    /// Its type, as written (`string`, `decimal(10,2)`...).
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// Its type in the data store, where given besides `type`.
    pub physical_type: Option<String>,
    /// What it holds.
    pub description: Option<String>,
    /// `required` (or the opposite of `isNullable`), when the contract says.
    pub required: Option<bool>,
    /// `unique`, when the contract says.
    pub unique: Option<bool>,
    /// Part of the primary key, when the contract says.
    pub primary_key: Option<bool>,
    /// A critical data element, when the contract says.
    pub critical: Option<bool>,
    /// Its classification (`public`, `restricted`...).
    pub classification: Option<String>,
    /// Personal data: what `fields tagged pii` selects (a `pii` flag that is not an explicit
    /// no, a `pii` tag, or the classification `pii`).
    pub pii: bool,
    /// Encrypted, by the rules of `must be encrypted` (`encrypted: true`, an encryption
    /// method, an `encryptedName`...); `None` when the contract does not say.
    pub encrypted: Option<bool>,
    /// Masked, likewise.
    pub masked: Option<bool>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Where it is named.
    pub line: usize,
}

/// The service levels a product promises.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct Sla {
    /// `sla.availability`: a percentage.
    pub availability: Option<SlaValue>,
    /// `sla.freshness`: a duration.
    pub freshness: Option<SlaValue>,
    /// `sla.latency`: a duration.
    pub latency: Option<SlaValue>,
    /// `sla.retention`: a duration.
    pub retention: Option<SlaValue>,
    /// `sla.frequency`: a duration, or a word such as `daily`.
    pub frequency: Option<SlaValue>,
}

/// One service level: as written, and as a number with its unit when it is a quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SlaValue {
    /// As written (`99.9%`, `1 hour`, `PT30M`, `4 d`).
    pub text: String,
    /// The number, in `unit` (`99.9`, `1`, `30`); `None` when the text is no quantity.
    pub value: Option<f64>,
    /// `%` for a percentage; `ms`, `s`, `min`, `h`, `d`, `w`, `month` or `y` for a duration;
    /// `None` for a plain number or a text.
    pub unit: Option<String>,
    /// A duration in seconds (months count 30 days, years 365), for comparing.
    pub seconds: Option<f64>,
    /// Where it is written.
    pub line: usize,
}

/// Which way a port faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Direction {
    /// Data the product reads.
    Input,
    /// Data the product serves.
    Output,
    /// Discovery, observability, control or management ports.
    Other,
}

/// A port of a product.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Port {
    /// Its name.
    pub name: Option<String>,
    /// Input, output or other.
    pub direction: Direction,
    /// Its type (`kafka_topic`, `tables`, a DPDS platform...).
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// What it serves.
    pub description: Option<String>,
    /// The server it lives on (`server`).
    pub server: Option<String>,
    /// Where it is (`location`).
    pub location: Option<String>,
    /// Its data format.
    pub format: Option<String>,
    /// Its version.
    pub version: Option<String>,
    /// The contract it serves or reads (`contractId`, `contract`).
    pub contract: Option<String>,
    /// The schema it serves (`schema`, `$ref`).
    pub schema: Option<String>,
    /// Where it is named.
    pub line: usize,
}

/// A server of a product.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Server {
    /// Its name (`server`, `name`, or its key).
    pub name: Option<String>,
    /// Its type (`postgres`, `snowflake`, `kafka`...).
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// `prod`, `dev`...
    pub environment: Option<String>,
    /// What it is.
    pub description: Option<String>,
    /// Its data format.
    pub format: Option<String>,
    /// Where it is.
    pub location: Option<String>,
    /// Where it is named.
    pub line: usize,
}

/// What the policies found in one product.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct Compliance {
    /// Errors that no waiver suppresses.
    pub errors: usize,
    /// Warnings that no waiver suppresses.
    pub warnings: usize,
    /// Infos that no waiver suppresses.
    pub infos: usize,
    /// Findings a valid waiver suppresses.
    pub suppressed: usize,
    /// The findings counted by rule, the most serious first.
    pub by_rule: Vec<RuleCount>,
    /// Every finding, in position order.
    pub findings: Vec<FindingRecord>,
}

/// How many findings one rule has in one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RuleCount {
    /// The rule id.
    pub rule: String,
    /// The severity of its findings here (after `raise`).
    #[serde(serialize_with = "severity_name")]
    pub severity: Severity,
    /// Findings no waiver suppresses.
    pub count: usize,
    /// Findings a waiver suppresses.
    pub suppressed: usize,
}

/// One finding, as the catalog shows it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct FindingRecord {
    /// The rule id.
    pub rule: String,
    /// Error, warning or info.
    #[serde(serialize_with = "severity_name")]
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The file it points into: the contract's own, or a file the contract refers to (a
    /// `$ref` definition, a port's schema).
    pub file: String,
    /// 1-based line of what it points at.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The text of that line, without its line break (at most 200 characters).
    pub source: String,
    /// What it is about (a field path, a port, a contract path).
    pub target: Option<String>,
    /// Whether a waiver suppresses it.
    pub suppressed: bool,
    /// Whether its rule is mandatory.
    pub mandatory: bool,
}

/// The state of a waiver as of the catalog's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum WaiverState {
    /// Valid, and it suppresses findings.
    Active,
    /// Active, and it expires within the warning window (30 days by default).
    Expiring,
    /// Past its date: it suppresses nothing and is an error.
    Expired,
    /// It matches no finding, or names no rule of the policies.
    Unused,
    /// Malformed or incomplete: it suppresses nothing and is an error.
    Invalid,
    /// Its rule is mandatory and cannot be waived.
    Mandatory,
}

impl WaiverState {
    /// `active`, `expiring`, `expired`, `unused`, `invalid` or `mandatory`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverState::Active => "active",
            WaiverState::Expiring => "expiring",
            WaiverState::Expired => "expired",
            WaiverState::Unused => "unused",
            WaiverState::Invalid => "invalid",
            WaiverState::Mandatory => "mandatory",
        }
    }
}

/// One waiver of a product.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct WaiverRecord {
    /// The rule it waives.
    pub rule: Option<String>,
    /// The field, port or path it is limited to.
    pub target: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Who asked.
    pub owner: Option<String>,
    /// Its expiry, as written.
    pub expires: Option<String>,
    /// Days from the catalog's date to its expiry (negative once expired), when it is a date.
    pub days_left: Option<i64>,
    /// Its state.
    pub state: WaiverState,
    /// Where it is written.
    pub line: usize,
}

/// A lineage edge: `to` reads, through one of its input ports, what `from` serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Edge {
    /// The key of the product that serves.
    pub from: String,
    /// The key of the product that reads.
    pub to: String,
    /// The input port of `to`.
    pub port: Option<String>,
    /// What the input port names: a contract id, a product id or a port name.
    pub reference: String,
    /// How it was matched: `contract` (an output port's contract id), `product` (the
    /// product's own id) or `port` (an output port's name).
    pub via: &'static str,
}

/// A file that holds no catalogued product although it looks like it should: it failed to
/// load, or matches no standard.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Uncatalogued {
    /// The file.
    pub file: String,
    /// `failed` or `unrecognised`.
    pub status: &'static str,
    /// Why, as findings.
    pub findings: Vec<FindingRecord>,
}

/// Waivers counted by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WaiverCounts {
    /// Active and not expiring soon.
    pub active: usize,
    /// Expiring within the warning window.
    pub expiring: usize,
    /// Expired.
    pub expired: usize,
    /// Matching nothing.
    pub unused: usize,
    /// Malformed.
    pub invalid: usize,
    /// Of a mandatory rule.
    pub mandatory: usize,
}

impl WaiverCounts {
    pub(crate) fn add(&mut self, state: WaiverState) {
        match state {
            WaiverState::Active => self.active += 1,
            WaiverState::Expiring => self.expiring += 1,
            WaiverState::Expired => self.expired += 1,
            WaiverState::Unused => self.unused += 1,
            WaiverState::Invalid => self.invalid += 1,
            WaiverState::Mandatory => self.mandatory += 1,
        }
    }
}

/// One rule's unsuppressed findings in a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DomainRule {
    /// The rule id.
    pub rule: String,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

/// A domain's scorecard.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DomainSummary {
    /// The domain as its first product writes it (domains are compared ignoring case);
    /// `None` for the products that name no domain.
    pub domain: Option<String>,
    /// How many products.
    pub products: usize,
    /// Their owners, each once, sorted.
    pub owners: Vec<String>,
    /// How many products have no unsuppressed error.
    pub without_errors: usize,
    /// `without_errors / products`, rounded to 4 decimals.
    pub share_without_errors: f64,
    /// Unsuppressed errors in all its products.
    pub errors: usize,
    /// Unsuppressed warnings.
    pub warnings: usize,
    /// Unsuppressed infos.
    pub infos: usize,
    /// Suppressed findings.
    pub suppressed: usize,
    /// Unsuppressed findings by rule, the most errors first.
    pub by_rule: Vec<DomainRule>,
    /// Its waivers by state.
    pub waivers: WaiverCounts,
    /// Fields in all its products.
    pub fields: usize,
    /// Personal-data fields.
    pub pii_fields: usize,
    /// Personal-data fields neither encrypted nor masked.
    pub unprotected_pii_fields: usize,
}

/// Files counted by what happened to them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FileCounts {
    /// Linted: their contracts are products.
    pub linted: usize,
    /// Not contracts (CI workflows, JSON Schemas...).
    pub skipped: usize,
    /// Look like contracts, match no standard.
    pub unrecognised: usize,
    /// Could not be read.
    pub failed: usize,
}

/// The whole catalog's totals.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct CatalogSummary {
    /// Products.
    pub products: usize,
    /// Domains (products without a domain count as one).
    pub domains: usize,
    /// Products without an unsuppressed error.
    pub without_errors: usize,
    /// Unsuppressed errors.
    pub errors: usize,
    /// Unsuppressed warnings.
    pub warnings: usize,
    /// Unsuppressed infos.
    pub infos: usize,
    /// Fields.
    pub fields: usize,
    /// Personal-data fields.
    pub pii_fields: usize,
    /// Lineage edges.
    pub lineage_edges: usize,
    /// Waivers by state.
    pub waivers: WaiverCounts,
    /// The files read.
    pub files: FileCounts,
}

/// Serialises a [`Format`] as its name.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn format_name<S: serde::Serializer>(format: &Format, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(format.as_str())
}

/// Serialises a [`Severity`] as its name.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn severity_name<S: serde::Serializer>(
    severity: &Severity,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(severity.as_str())
}
