//! Errors in policy files: each a miette diagnostic pointing into the policy source.

use std::fmt;
use std::sync::Arc;

use miette::Diagnostic;

use crate::source::{SourceFile, Span};

/// One problem in a policy file.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum PolicyError {
    /// The text does not follow the grammar.
    #[error("{message}")]
    #[diagnostic(code(policy::syntax))]
    Syntax {
        /// What was found and what was expected.
        message: String,
        /// Short text under the underline.
        label: String,
        /// Where parsing stopped.
        #[label("{label}")]
        span: Span,
        /// A hint, when one helps.
        #[help]
        help: Option<String>,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// `severity` is not `error`, `warning` or `info`.
    #[error("unknown severity `{found}`")]
    #[diagnostic(code(policy::unknown_severity))]
    UnknownSeverity {
        /// What the file says.
        found: String,
        /// Where.
        #[label("expected `error`, `warning` or `info`")]
        span: Span,
        /// A suggestion.
        #[help]
        help: Option<String>,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// Two rules with the same id.
    #[error("duplicate rule id `{id}`")]
    #[diagnostic(
        code(policy::duplicate_rule),
        help("rule ids must be unique across all policy files; the first `{id}` is at {first}")
    )]
    DuplicateRule {
        /// The id.
        id: String,
        /// The second definition.
        #[label("defined again here")]
        span: Span,
        /// `file:line:column` of the first definition.
        first: String,
        /// The file of the second definition.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A `/regex/` that does not compile.
    #[error("invalid regular expression")]
    #[diagnostic(code(policy::bad_regex))]
    BadRegex {
        /// The regex crate's explanation.
        #[help]
        detail: String,
        /// The regex.
        #[label("this regex")]
        span: Span,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// `match NAME` with a name that is not a known format.
    #[error("unknown format `{name}`")]
    #[diagnostic(code(policy::unknown_format))]
    UnknownFormat {
        /// The name.
        name: String,
        /// Where.
        #[label("not a named format")]
        span: Span,
        /// The known formats, or the closest one.
        #[help]
        help: String,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A file in `domains/<d>/` whose `scope` line names other domains.
    #[error("a policy in the `{domain}` domain pack cannot be scoped to other domains")]
    #[diagnostic(
        code(policy::scope_outside_pack),
        help("rules in `domains/{domain}/` apply to `{domain}` contracts only; move the file to `global/` or to the other domain's folder")
    )]
    ScopeOutsidePack {
        /// The pack's domain.
        domain: String,
        /// The `scope` line.
        #[label("scoped beyond `{domain}`")]
        span: Span,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A domain pack defines a rule with the id of a global rule.
    #[error("the `{domain}` domain pack redefines the global rule `{id}`")]
    #[diagnostic(
        code(policy::redefines_global),
        help("the global `{id}` is defined at {first}; give the domain rule its own id (a domain pack may make a global rule stricter with `raise {id} to SEVERITY`)")
    )]
    RedefinesGlobal {
        /// The rule id.
        id: String,
        /// The pack's domain.
        domain: String,
        /// The domain pack's definition.
        #[label("defined again here")]
        span: Span,
        /// `file:line:column` of the global definition.
        first: String,
        /// The domain pack's file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// `raise X to ...` where no rule is called `X`.
    #[error("`raise` names an unknown rule `{id}`")]
    #[diagnostic(code(policy::unknown_rule))]
    UnknownRule {
        /// The id.
        id: String,
        /// Where.
        #[label("no rule has this id")]
        span: Span,
        /// "did you mean `x`?".
        #[help]
        help: Option<String>,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// `raise X to S` where `S` is not above the rule's severity.
    #[error("`raise` can only make `{id}` stricter, but it is already `{current}`")]
    #[diagnostic(
        code(policy::not_a_raise),
        help("`{id}` is defined with severity `{current}` at {defined_at}; policies may raise a severity, never lower it (a repository can lower a non-mandatory rule in `governance.toml`)")
    )]
    NotARaise {
        /// The rule id.
        id: String,
        /// Its current severity.
        current: String,
        /// Where the rule is defined.
        defined_at: String,
        /// The `raise` line.
        #[label("not higher than `{current}`")]
        span: Span,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A path or attribute one small edit away from a canonical name.
    #[error("unknown {kind} `{name}`")]
    #[diagnostic(code(policy::unknown_name))]
    UnknownName {
        /// `path` or `attribute`.
        kind: &'static str,
        /// The name as written.
        name: String,
        /// Where.
        #[label("not a canonical {kind}")]
        span: Span,
        /// The suggestion.
        #[help]
        help: String,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A percentage compared with a duration, or the reverse.
    #[error("`{path}` is {expected}, but this compares it with {given}")]
    #[diagnostic(code(policy::wrong_quantity))]
    WrongQuantity {
        /// The canonical path.
        path: String,
        /// What it holds.
        expected: &'static str,
        /// What the policy compares it with.
        given: &'static str,
        /// The comparison.
        #[label("{given}")]
        span: Span,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A value the grammar accepts but that means nothing (`PT1X`, a glob that does not compile).
    #[error("{message}")]
    #[diagnostic(code(policy::invalid_value))]
    InvalidValue {
        /// What is wrong.
        message: String,
        /// Where.
        #[label("here")]
        span: Span,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A rule with no statement: it would check nothing.
    #[error("rule `{id}` has no statement, so it checks nothing")]
    #[diagnostic(
        code(policy::empty_rule),
        help("add what the rule requires, such as `contract must have owner`, or remove the rule")
    )]
    EmptyRule {
        /// The rule id.
        id: String,
        /// The rule's id.
        #[label("checks nothing")]
        span: Span,
        /// The policy file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A policy file or directory that cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(policy::io))]
    Io {
        /// The path.
        path: String,
        /// The operating system's explanation.
        reason: String,
    },
}

impl PolicyError {
    /// The policy file the error is in, if any.
    #[must_use]
    pub fn file(&self) -> Option<&SourceFile> {
        match self {
            PolicyError::Syntax { src, .. }
            | PolicyError::UnknownSeverity { src, .. }
            | PolicyError::DuplicateRule { src, .. }
            | PolicyError::BadRegex { src, .. }
            | PolicyError::UnknownFormat { src, .. }
            | PolicyError::ScopeOutsidePack { src, .. }
            | PolicyError::RedefinesGlobal { src, .. }
            | PolicyError::UnknownRule { src, .. }
            | PolicyError::NotARaise { src, .. }
            | PolicyError::UnknownName { src, .. }
            | PolicyError::WrongQuantity { src, .. }
            | PolicyError::InvalidValue { src, .. }
            | PolicyError::EmptyRule { src, .. } => Some(src),
            PolicyError::Io { .. } => None,
        }
    }

    /// Where in [`PolicyError::file`] the error is.
    #[must_use]
    pub fn span(&self) -> Option<Span> {
        match self {
            PolicyError::Syntax { span, .. }
            | PolicyError::UnknownSeverity { span, .. }
            | PolicyError::DuplicateRule { span, .. }
            | PolicyError::BadRegex { span, .. }
            | PolicyError::UnknownFormat { span, .. }
            | PolicyError::ScopeOutsidePack { span, .. }
            | PolicyError::RedefinesGlobal { span, .. }
            | PolicyError::UnknownRule { span, .. }
            | PolicyError::NotARaise { span, .. }
            | PolicyError::UnknownName { span, .. }
            | PolicyError::WrongQuantity { span, .. }
            | PolicyError::InvalidValue { span, .. }
            | PolicyError::EmptyRule { span, .. } => Some(*span),
            PolicyError::Io { .. } => None,
        }
    }
}

/// Every error found in a set of policy files (parsing reports all of them, not just the first).
///
/// As a diagnostic it shows the first error, with the others as related diagnostics.
#[derive(Debug)]
pub struct PolicyErrors {
    errors: Vec<PolicyError>,
}

impl PolicyErrors {
    pub(crate) fn new(errors: Vec<PolicyError>) -> Self {
        Self { errors }
    }

    /// The errors, in file and position order.
    #[must_use]
    pub fn errors(&self) -> &[PolicyError] {
        &self.errors
    }

    /// How many.
    #[must_use]
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Never true for an error value; present for API symmetry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl From<PolicyError> for PolicyErrors {
    fn from(error: PolicyError) -> Self {
        Self::new(vec![error])
    }
}

impl IntoIterator for PolicyErrors {
    type Item = PolicyError;
    type IntoIter = std::vec::IntoIter<PolicyError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.first() {
            Some(first) => write!(f, "{first}"),
            None => f.write_str("no policy errors"),
        }
    }
}

impl std::error::Error for PolicyErrors {}

impl Diagnostic for PolicyErrors {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.errors.first().and_then(Diagnostic::code)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.errors.first().and_then(Diagnostic::help)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.errors.first().and_then(Diagnostic::source_code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.errors.first().and_then(Diagnostic::labels)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.errors.len() > 1 {
            Some(Box::new(
                self.errors.iter().skip(1).map(|e| e as &dyn Diagnostic),
            ))
        } else {
            None
        }
    }
}
