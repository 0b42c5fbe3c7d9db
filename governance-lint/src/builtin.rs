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
];
