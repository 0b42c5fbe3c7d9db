//! Findings that do not come from a policy: a file that cannot be read or parsed, a limit, a
//! duplicate key, a `$ref`. Reports that list rules (SARIF) describe these too.

use governance_core::Severity;

/// A finding id that no policy defines.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    pub help: &'static str,
}

/// Every id the engine and the CLI report on their own.
pub const BUILTIN: &[Builtin] = &[
    Builtin {
        id: "parse-error",
        severity: Severity::Error,
        description: "The file is not valid YAML or JSON (or not UTF-8 text), so it cannot be linted.",
        help: "Fix the syntax at the position shown; the other files are still linted.",
    },
    Builtin {
        id: "io-error",
        severity: Severity::Error,
        description: "The file or directory cannot be read.",
        help: "Check that the path exists and is readable.",
    },
    Builtin {
        id: "limit-exceeded",
        severity: Severity::Error,
        description: "The file breaks a safety limit (size, nesting depth or number of nodes) and is not linted.",
        help: "Split the file; if it really is that large, raise `max-file-bytes` in governance.toml.",
    },
    Builtin {
        id: "duplicate-key",
        severity: Severity::Error,
        description: "A mapping holds the same key twice, and tools disagree on which value wins.",
        help: "Keep one of the two keys.",
    },
    Builtin {
        id: "external-ref",
        severity: Severity::Warning,
        description: "A `$ref` points outside the file and is not followed, so the field is linted with only the attributes written here.",
        help: "Define the field in `definitions` to lint it fully.",
    },
    Builtin {
        id: "unresolved-ref",
        severity: Severity::Error,
        description: "A `$ref` points at nothing in the file.",
        help: "Point the reference at a definition in the same file.",
    },
    Builtin {
        id: "waiver-invalid",
        severity: Severity::Error,
        description: "A waiver in the contract has no rule, reason or expiry date, or its date is not a date; it suppresses nothing.",
        help: "Every exception names its `rule`, says why (`reason`) and until when (`expires: YYYY-MM-DD`).",
    },
    Builtin {
        id: "waiver-mandatory",
        severity: Severity::Error,
        description: "A waiver tries to suppress a `mandatory` rule, which cannot be waived; it suppresses nothing.",
        help: "Fix the contract instead; mandatory rules have no exceptions.",
    },
    Builtin {
        id: "waiver-expired",
        severity: Severity::Error,
        description: "A waiver's expiry date has passed: it no longer suppresses anything.",
        help: "Fix what the waiver excused, or agree a new date with the rule's owners.",
    },
    Builtin {
        id: "waiver-expiring",
        severity: Severity::Warning,
        description: "A waiver expires soon (within `expiry-warning-days`, 30 by default).",
        help: "Plan the fix, or agree a new date before it expires.",
    },
    Builtin {
        id: "waiver-unused",
        severity: Severity::Warning,
        description: "A waiver matches no finding (the contract was fixed, or the rule id or target is wrong).",
        help: "Remove the waiver, or correct its `rule` and `field`.",
    },
    Builtin {
        id: "link-outside",
        severity: Severity::Error,
        description: "A symbolic link named like a contract leads outside the repository (or, outside a repository, outside the walked directory), so it is not read.",
        help: "Keep the contract in the repository, or lint it where it lives.",
    },
];
