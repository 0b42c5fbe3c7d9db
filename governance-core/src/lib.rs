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

mod builtin;
mod contract;
mod date;
mod document;
mod engine;
mod eval;
mod finding;
#[cfg(feature = "fs")]
mod fs;
mod policy;
mod source;
mod suggest;
pub use suggest::closest;
#[cfg(feature = "fs")]
mod testing;
mod text;

pub use builtin::BuiltinRule;
pub use contract::{Contract, ContractError, DbtProject, Field, Format, Skip};
pub use date::{BadDate, Date};
pub use document::{Limits, LoadError};
pub use engine::{
    Applicability, Conformance, Engine, FileReport, FileStatus, LintOptions, WaiverClock,
};
pub use finding::{Finding, Severity, Suppression, UnknownSeverity};
pub use policy::{
    ConfigureError, Pack, PolicyError, PolicyErrorKind, PolicyErrors, PolicySet, PolicyWarning,
    RaiseInfo, RuleInfo, RuleSetting,
};
pub use source::{Location, Position, SourceFile, SourceRef, Span};
#[cfg(feature = "fs")]
pub use testing::{find_test_files, Coverage, TestOutcome, TestReport};
