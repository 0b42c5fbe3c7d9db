//! # governance-core
//!
//! The engine behind `governance-lint`: it loads data contracts (YAML or JSON, in the seed
//! shapes, ODCS, the Data Contract Specification, dbt and more) into one canonical model that
//! keeps the source position of every key and value, parses policies written in a small
//! readable language, evaluates them, and returns findings as [`miette`] diagnostics.
//!
//! ```
//! use governance_core::{Contract, Engine, PolicySet, Severity};
//!
//! let policies = PolicySet::parse(
//!     "pii.policy",
//!     r#"
//!     rule pii-email-encrypted {
//!       severity error
//!       help "Add `encrypted: true` to the field."
//!       fields named email must be encrypted
//!     }
//!     "#,
//! )?;
//! let contract = Contract::parse(
//!     "customers.yaml",
//!     "data_product: customers\ndomain: sales\nschema:\n  - name: email\n    type: string\n    encrypted: false\n",
//! )?;
//! let findings = Engine::new(policies).evaluate(&contract);
//! assert_eq!(findings.len(), 1);
//! let finding = &findings[0];
//! assert_eq!(finding.rule(), "pii-email-encrypted");
//! assert_eq!(finding.severity(), Severity::Error);
//! // The finding points at `encrypted: false`, line 6, column 5.
//! let at = finding.location().start;
//! assert_eq!((at.line, at.column), (6, 5));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The engine never prints: it returns data, and the `governance-lint` CLI decides how to show it.

#![deny(missing_docs)]
#![deny(clippy::indexing_slicing)]
#![warn(clippy::print_stdout, clippy::print_stderr)]
// Pedantic lints, as Cedar does, with the ones that do not fit this crate allowed and said why.
#![warn(clippy::pedantic)]
#![allow(
    // Quantities are compared exactly as written (`99.9%` against `99.9`): no arithmetic
    // happens between parsing and comparing, so exact comparison is what the policies mean.
    clippy::float_cmp,
    // Integers from contracts become `f64` to compare with quantities; SLA values never come
    // near 2^52.
    clippy::cast_precision_loss,
    // One arm per case (a format, a YAML event) reads better than merged patterns.
    clippy::match_same_arms,
    // The normalizers and the evaluator follow the standards' own structure, one step per
    // concept; splitting them further only moves the lines around.
    clippy::too_many_lines,
    // Lowering and checking functions take `self`/arguments by the shape of their callers
    // (pest pairs are consumed by iteration, parsers keep state for later errors).
    clippy::unused_self,
    clippy::needless_pass_by_value,
    clippy::trivially_copy_pass_by_ref,
    // A uniform `Result` for every YAML event handler, though one cannot fail.
    clippy::unnecessary_wraps,
    // `key`/`keys`, `item`/`items` are the names the standards use.
    clippy::similar_names
)]

mod builtin;
mod catalog;
mod contract;
mod date;
mod document;
mod engine;
mod eval;
mod export;
mod finding;
#[cfg(feature = "fs")]
mod fs;
mod policy;
mod scaffold;
mod source;
mod suggest;
pub use suggest::closest;
#[cfg(feature = "fs")]
mod testing;
mod text;

pub use builtin::BuiltinRule;
pub use catalog::{
    Catalog, CatalogBuilder, CatalogSummary, Compliance, Direction, DomainRule, DomainSummary,
    Edge, FileCounts, FindingRecord, Port, Product, ProductField, RuleCount, Server, Sla, SlaValue,
    Table, Uncatalogued, WaiverCounts, WaiverRecord, WaiverState,
};
pub use contract::{
    mapped_names, read_from, Contract, ContractError, DbtProject, Field, Format, ReadFrom,
    Resolver, Skip, Unresolved,
};
pub use date::{BadDate, Date};
pub use document::{Limits, LoadError};
/// The two YAML readers side by side, for the differential tests and the fuzz target only:
/// not part of the API, and not covered by semver.
#[doc(hidden)]
pub mod __yaml_readers {
    pub use crate::document::{dump_yaml, YamlReader};
}
pub use engine::{
    Applicability, Change, ChangeKind, Comparison, Conformance, ContractDiff, DiffStatus, Engine,
    FileReport, FileStatus, LintOptions, WaiverClock,
};
pub use export::{NotCarried, OdcsExport};
pub use finding::{Finding, Previous, Severity, Suppression, UnknownSeverity};
#[cfg(feature = "fs")]
pub use fs::FileResolver;
pub use policy::{
    ConfigureError, Pack, PolicyError, PolicyErrorKind, PolicyErrors, PolicySet, PolicyWarning,
    RaiseInfo, RuleInfo, RuleSetting, CHANGE_CATEGORIES,
};
pub use scaffold::{NewContract, Scaffold, ScaffoldStandard};
pub use source::{Location, Position, SourceFile, SourceRef, Span};
#[cfg(feature = "fs")]
pub use testing::{find_test_files, Coverage, TestOutcome, TestReport};
