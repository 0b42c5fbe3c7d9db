//! The built-in rules: findings that no policy defines, raised by the engine itself when a file
//! cannot be read, when a contract is not read completely, or when a waiver is wrong.
//!
//! Each is defined once, here: its id, default severity, severity in strict mode, description
//! and help. SARIF rule lists, `governance-lint rules`, `explain` and the docs read this table;
//! a test checks that every id is documented in docs/contracts.md.

use std::fmt;
use std::sync::Arc;

use crate::finding::{Finding, Severity};
use crate::source::{SourceFile, Span};

/// A finding id that the engine raises on its own.
///
/// ```
/// use governance_core::{BuiltinRule, Severity};
/// let rule = BuiltinRule::UnreadContent;
/// assert_eq!(rule.id(), "unread-content");
/// assert_eq!(rule.severity(), Severity::Error);
/// assert_eq!(BuiltinRule::from_id("no-fields"), Some(BuiltinRule::NoFields));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuiltinRule {
    /// The file is not valid YAML or JSON, or not UTF-8 text.
    ParseError,
    /// The file or directory cannot be read.
    IoError,
    /// The file breaks a safety limit.
    LimitExceeded,
    /// A mapping holds the same key twice.
    DuplicateKey,
    /// A reference is not followed: a URL (never fetched), or no files are read.
    ExternalRef,
    /// A reference points at nothing: no such definition or file, a file outside the
    /// repository, or a file that does not parse.
    UnresolvedRef,
    /// A data product port names a contract (`contractId`) that no contract of the repository
    /// has.
    UnresolvedContract,
    /// A key holds fields (or tables) in a place or shape the contract's reader does not read.
    UnreadContent,
    /// A field has no name, so rules that select fields by name cannot see it.
    UnnamedField,
    /// A contract has a schema but no field was read from it.
    NoFields,
    /// A file looks like a data contract but matches no standard the linter reads.
    NotRecognised,
    /// A contract is not a valid document of its standard, in the version it declares.
    SchemaViolation,
    /// A contract declares a version its standard does not have.
    UnknownVersion,
    /// The contract's `domain` is not one name.
    InvalidDomain,
    /// A symbolic link leads outside the repository.
    LinkOutside,
    /// A waiver is malformed and suppresses nothing.
    WaiverInvalid,
    /// A waiver tries to suppress a mandatory rule.
    WaiverMandatory,
    /// A waiver's expiry date has passed.
    WaiverExpired,
    /// A waiver expires soon.
    WaiverExpiring,
    /// A waiver matches no finding.
    WaiverUnused,
    /// `breaking`: the previous version of a file cannot be read as a contract, so the file
    /// was not compared.
    BaselineUnreadable,
}

/// What the registry says about one built-in rule.
struct Entry {
    rule: BuiltinRule,
    id: &'static str,
    severity: Severity,
    strict: Severity,
    description: &'static str,
    help: &'static str,
}

const fn entry(
    rule: BuiltinRule,
    id: &'static str,
    severity: Severity,
    strict: Severity,
    description: &'static str,
    help: &'static str,
) -> Entry {
    Entry {
        rule,
        id,
        severity,
        strict,
        description,
        help,
    }
}

use BuiltinRule as B;
use Severity::{Error, Warning};

/// The table, in the order reports list the rules.
const REGISTRY: &[Entry] = &[
    entry(
        B::ParseError,
        "parse-error",
        Error,
        Error,
        "The file is not valid YAML or JSON (or not UTF-8 text), so it cannot be linted.",
        "Fix the syntax at the position shown; the other files are still linted.",
    ),
    entry(
        B::IoError,
        "io-error",
        Error,
        Error,
        "The file or directory cannot be read.",
        "Check that the path exists and is readable.",
    ),
    entry(
        B::LimitExceeded,
        "limit-exceeded",
        Error,
        Error,
        "The file breaks a safety limit (size, nesting depth, string length, number of nodes or documents) and is not linted.",
        "Split the file; if it really is that large, raise the setting named in the message under `[limits]` in governance.toml.",
    ),
    entry(
        B::DuplicateKey,
        "duplicate-key",
        Error,
        Error,
        "A mapping holds the same key twice (keys compared as resolved, anchors and aliases included), and tools disagree on which value wins.",
        "Keep one of the two keys.",
    ),
    entry(
        B::ExternalRef,
        "external-ref",
        Warning,
        Error,
        "A reference is not followed: a URL (the linter never fetches over the network), or a file reference where no files are read. What it names is not linted.",
        "Keep what the contract refers to in the repository and refer to it by a relative path, or define it in the contract itself.",
    ),
    entry(
        B::UnresolvedRef,
        "unresolved-ref",
        Error,
        Error,
        "A reference points at nothing: no such definition in the file, no such file, a file outside the repository, or a file that does not parse. Nothing it would have given is linted.",
        "Point the reference at a definition or a file of the repository (a path relative to the file that refers to it), and make sure that file parses.",
    ),
    entry(
        B::UnresolvedContract,
        "unresolved-contract",
        Error,
        Error,
        "A data product port names a contract (`contractId`) that no contract in the repository has as its `id`, so nothing the port promises is linted.",
        "Add the contract to the repository, or correct the `contractId` to the `id` of an existing ODCS or DCS contract.",
    ),
    entry(
        B::UnreadContent,
        "unread-content",
        Error,
        Error,
        "A key holds fields or tables in a place or a shape that the reader of the contract's standard does not read, so no rule sees them.",
        "Move the fields to where the standard keeps them (the message says where), or fix the key's spelling.",
    ),
    entry(
        B::UnnamedField,
        "unnamed-field",
        Error,
        Error,
        "A field has no name, so rules that select fields by name (`fields named email`) cannot see it.",
        "Give every field a `name`.",
    ),
    entry(
        B::NoFields,
        "no-fields",
        Warning,
        Error,
        "The contract has a schema, but no field was read from it: rules about fields check nothing in it.",
        "Describe the fields where the standard keeps them, or remove the empty schema.",
    ),
    entry(
        B::NotRecognised,
        "not-recognised",
        Warning,
        Error,
        "The file looks like a data contract (it has contract keys such as `schema`, `owner` or `domain`, or a contract-like `kind`) but matches no standard the linter reads, so it is not linted.",
        "Fix the marker the message names (`kind: DataContract`, `data_product:`...), or exclude the file if it is not a contract.",
    ),
    entry(
        B::SchemaViolation,
        "schema-violation",
        Error,
        Error,
        "The contract is not a valid document of its standard in the version it declares (ODCS, DCS, ODPS, DPDS): an unknown or misspelt key, a missing required key, a value of the wrong kind or not among the allowed values. Other tools reading the file would reject it or misread it.",
        "Fix the key or value shown; the message says what the standard's version allows. `[conformance]` in governance.toml sets the severity per standard.",
    ),
    entry(
        B::UnknownVersion,
        "unknown-version",
        Error,
        Error,
        "The contract declares a version (`apiVersion`, `dataContractSpecification`) that its standard does not have; it is checked with the rules of the closest published version.",
        "Declare a published version of the standard.",
    ),
    entry(
        B::InvalidDomain,
        "invalid-domain",
        Error,
        Error,
        "The contract's `domain` is not one name (a list or a mapping), so no domain pack or `scope` applies to it.",
        "Write the domain as one name: `domain: sales`.",
    ),
    entry(
        B::LinkOutside,
        "link-outside",
        Error,
        Error,
        "A symbolic link selected as a contract leads outside the repository and is not read.",
        "Lint the contract where it lives, or copy it into the repository.",
    ),
    entry(
        B::WaiverInvalid,
        "waiver-invalid",
        Error,
        Error,
        "A waiver in the contract is malformed (no rule, no reason, no expiry date, an unknown key, a target that is not one name, or an expiry beyond `[waivers] max-days`); it suppresses nothing.",
        "Every exception names its `rule`, what it covers (`field`, `port` or `path`), why (`reason`) and until when (`expires: YYYY-MM-DD`).",
    ),
    entry(
        B::WaiverMandatory,
        "waiver-mandatory",
        Error,
        Error,
        "A waiver tries to suppress a `mandatory` rule, which cannot be waived; it suppresses nothing.",
        "Fix the contract instead; mandatory rules have no exceptions.",
    ),
    entry(
        B::WaiverExpired,
        "waiver-expired",
        Error,
        Error,
        "A waiver's expiry date has passed: it no longer suppresses anything.",
        "Fix what the waiver excused, or agree a new date with the rule's owners.",
    ),
    entry(
        B::WaiverExpiring,
        "waiver-expiring",
        Warning,
        Warning,
        "A waiver expires soon (within `expiry-warning-days`, 30 by default).",
        "Plan the fix, or agree a new date before it expires.",
    ),
    entry(
        B::WaiverUnused,
        "waiver-unused",
        Warning,
        Warning,
        "A waiver matches no finding (the contract was fixed, or the rule id or target is wrong).",
        "Remove the waiver, or correct its `rule` and `field`.",
    ),
    entry(
        B::BaselineUnreadable,
        "baseline-unreadable",
        Warning,
        Error,
        "`governance-lint breaking`: the previous version of the file (at the git ref, or in the directory compared with) cannot be read as a contract (it does not parse, is not UTF-8 text, or git cannot show it), so no change of this file was checked.",
        "Fix the previous version where it lives, or compare with another base; the current version is still checked by `governance-lint check`.",
    ),
];

impl BuiltinRule {
    /// Every built-in rule, in the order reports list them.
    pub const ALL: [BuiltinRule; 21] = [
        B::ParseError,
        B::IoError,
        B::LimitExceeded,
        B::DuplicateKey,
        B::ExternalRef,
        B::UnresolvedRef,
        B::UnresolvedContract,
        B::UnreadContent,
        B::UnnamedField,
        B::NoFields,
        B::NotRecognised,
        B::SchemaViolation,
        B::UnknownVersion,
        B::InvalidDomain,
        B::LinkOutside,
        B::WaiverInvalid,
        B::WaiverMandatory,
        B::WaiverExpired,
        B::WaiverExpiring,
        B::WaiverUnused,
        B::BaselineUnreadable,
    ];

    fn entry(self) -> &'static Entry {
        // The table is in variant order (a unit test checks it), so this is an index.
        static MISSING: Entry = entry(
            B::ParseError,
            "internal-error",
            Error,
            Error,
            "A built-in rule without an entry: a bug in governance-lint.",
            "Please report it.",
        );
        REGISTRY
            .get(self as usize)
            .filter(|e| e.rule == self)
            .unwrap_or(&MISSING)
    }

    /// The id findings carry: `parse-error`, `unread-content`...
    #[must_use]
    pub fn id(self) -> &'static str {
        self.entry().id
    }

    /// The severity of its findings.
    #[must_use]
    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    /// The severity of its findings in strict mode (`--strict`): every "could not read, not
    /// recognised, nothing read" warning becomes an error.
    #[must_use]
    pub fn strict_severity(self) -> Severity {
        self.entry().strict
    }

    /// What it reports, in one or two sentences.
    #[must_use]
    pub fn description(self) -> &'static str {
        self.entry().description
    }

    /// How to fix its findings, in general (each finding may carry a more specific help).
    #[must_use]
    pub fn help(self) -> &'static str {
        self.entry().help
    }

    /// A finding of this rule at its default severity (its strict one with `strict`).
    pub(crate) fn finding(
        self,
        message: String,
        source: &Arc<SourceFile>,
        span: Span,
        strict: bool,
    ) -> Finding {
        let severity = if strict {
            self.strict_severity()
        } else {
            self.severity()
        };
        Finding::new(self.id(), severity, message, Arc::clone(source), span)
    }

    /// The built-in rule with this id.
    #[must_use]
    pub fn from_id(id: &str) -> Option<BuiltinRule> {
        REGISTRY.iter().find(|e| e.id == id).map(|e| e.rule)
    }
}

impl fmt::Display for BuiltinRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_one_entry_and_ids_are_unique() {
        for (index, rule) in BuiltinRule::ALL.into_iter().enumerate() {
            assert_eq!(REGISTRY[index].rule, rule, "the table is in variant order");
            let entries = REGISTRY.iter().filter(|e| e.rule == rule).count();
            assert_eq!(entries, 1, "{rule:?}");
            assert_eq!(BuiltinRule::from_id(rule.id()), Some(rule));
            assert!(rule.strict_severity() >= rule.severity());
        }
        assert_eq!(REGISTRY.len(), BuiltinRule::ALL.len());
    }
}
