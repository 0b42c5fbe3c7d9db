//! Errors in policy files: each a miette diagnostic pointing into the policy source.

use std::fmt;
use std::sync::Arc;

use miette::Diagnostic;

use crate::source::{SourceFile, Span};

/// One problem in a policy file: what is wrong ([`PolicyError::kind`]) and where (the file
/// and span, except for a file that cannot be read). As a [`miette::Diagnostic`] it shows the
/// policy source with the offending text underlined.
#[derive(Debug)]
pub struct PolicyError {
    kind: PolicyErrorKind,
    at: Option<(Arc<SourceFile>, Span)>,
}

impl PolicyError {
    pub(crate) fn new(kind: PolicyErrorKind, src: Arc<SourceFile>, span: Span) -> Self {
        Self {
            kind,
            at: Some((src, span)),
        }
    }

    /// What is wrong.
    #[must_use]
    pub fn kind(&self) -> &PolicyErrorKind {
        &self.kind
    }

    /// The policy file the error is in, if any.
    #[must_use]
    pub fn file(&self) -> Option<&SourceFile> {
        self.at.as_ref().map(|(src, _)| &**src)
    }

    /// Where in [`PolicyError::file`] the error is.
    #[must_use]
    pub fn span(&self) -> Option<Span> {
        self.at.as_ref().map(|(_, span)| *span)
    }
}

/// A problem without a place (a policy file that cannot be read).
impl From<PolicyErrorKind> for PolicyError {
    fn from(kind: PolicyErrorKind) -> Self {
        Self { kind, at: None }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl std::error::Error for PolicyError {}

impl Diagnostic for PolicyError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind.code()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind.help()
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.at
            .as_ref()
            .map(|(src, _)| &**src as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (_, span) = self.at.as_ref()?;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.kind.label()), *span),
        )))
    }
}

/// What is wrong in a policy file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The text does not follow the grammar.
    #[error("{message}")]
    #[diagnostic(code(policy::syntax))]
    Syntax {
        /// What was found and what was expected.
        message: String,
        /// Short text under the underline.
        label: String,
        /// A hint, when one helps.
        #[help]
        help: Option<String>,
    },
    /// `severity` is not `error`, `warning` or `info`.
    #[error("unknown severity `{found}`")]
    #[diagnostic(code(policy::unknown_severity))]
    UnknownSeverity {
        /// What the file says.
        found: String,
        /// A suggestion.
        #[help]
        help: Option<String>,
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
        /// `file:line:column` of the first definition.
        first: String,
    },
    /// A `/regex/` that does not compile.
    #[error("invalid regular expression")]
    #[diagnostic(code(policy::bad_regex))]
    BadRegex {
        /// The regex crate's explanation.
        #[help]
        detail: String,
    },
    /// `match NAME` with a name that is not a known format.
    #[error("unknown format `{name}`")]
    #[diagnostic(code(policy::unknown_format))]
    UnknownFormat {
        /// The name.
        name: String,
        /// The known formats, or the closest one.
        #[help]
        help: String,
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
        /// `file:line:column` of the global definition.
        first: String,
    },
    /// `raise X to ...` where no rule is called `X`.
    #[error("`{keyword}` names an unknown rule `{id}`")]
    #[diagnostic(code(policy::unknown_rule))]
    UnknownRule {
        /// `raise` or `mandatory`.
        keyword: &'static str,
        /// The id.
        id: String,
        /// "did you mean `x`?".
        #[help]
        help: Option<String>,
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
    },
    /// A path or attribute one small edit away from a canonical name.
    #[error("unknown {kind} `{name}`")]
    #[diagnostic(code(policy::unknown_name))]
    UnknownName {
        /// `path` or `attribute`.
        kind: &'static str,
        /// The name as written.
        name: String,
        /// The suggestion.
        #[help]
        help: String,
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
    },
    /// A value the grammar accepts but that means nothing (`PT1X`, a glob that does not compile).
    #[error("{message}")]
    #[diagnostic(code(policy::invalid_value))]
    InvalidValue {
        /// What is wrong.
        message: String,
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
    },
    /// `category` with a word that is not a category.
    #[error("unknown category `{found}`")]
    #[diagnostic(code(policy::unknown_category))]
    UnknownCategory {
        /// What the file says.
        found: String,
        /// The categories, or the closest one.
        #[help]
        help: String,
    },
    /// `category` on a rule that compares nothing between versions.
    #[error("rule `{id}` has a `category` but is not a change rule")]
    #[diagnostic(
        code(policy::category_without_change),
        help("a category selects change rules for `governance-lint breaking` (`[breaking] use`); this rule checks one version (`governance-lint check`): remove the `category`, or write a change statement (`must not be removed`, `must not lose encrypted`...)")
    )]
    CategoryWithoutChange {
        /// The rule id.
        id: String,
    },
    /// A change form used where it cannot mean anything (`narrow` of an attribute that is not
    /// a type, a version number outside a change statement).
    #[error("{message}")]
    #[diagnostic(code(policy::invalid_change))]
    InvalidChange {
        /// What is wrong.
        message: String,
        /// How to say it.
        #[help]
        help: Option<String>,
    },
    /// `mandatory RULE` in a domain pack or a scoped file.
    #[error("`mandatory {id}` can only be declared by a global policy file")]
    #[diagnostic(
        code(policy::mandatory_outside_global),
        help("a mandatory rule cannot be switched off, lowered or waived anywhere, so only the central (global) pack may say so; move the line to a file outside `domains/` without a `scope` line")
    )]
    MandatoryOutsideGlobal {
        /// The rule id.
        id: String,
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

impl PolicyErrorKind {
    /// The text under the underline.
    fn label(&self) -> String {
        match self {
            PolicyErrorKind::Syntax { label, .. } => label.clone(),
            PolicyErrorKind::UnknownSeverity { .. } => {
                "expected `error`, `warning` or `info`".to_owned()
            }
            PolicyErrorKind::DuplicateRule { .. } | PolicyErrorKind::RedefinesGlobal { .. } => {
                "defined again here".to_owned()
            }
            PolicyErrorKind::BadRegex { .. } => "this regex".to_owned(),
            PolicyErrorKind::UnknownFormat { .. } => "not a named format".to_owned(),
            PolicyErrorKind::ScopeOutsidePack { domain } => format!("scoped beyond `{domain}`"),
            PolicyErrorKind::UnknownRule { .. } => "no rule has this id".to_owned(),
            PolicyErrorKind::NotARaise { current, .. } => format!("not higher than `{current}`"),
            PolicyErrorKind::UnknownName { kind, .. } => format!("not a canonical {kind}"),
            PolicyErrorKind::WrongQuantity { given, .. } => (*given).to_owned(),
            PolicyErrorKind::InvalidValue { .. } => "here".to_owned(),
            PolicyErrorKind::EmptyRule { .. } => "checks nothing".to_owned(),
            PolicyErrorKind::UnknownCategory { .. } => "not a category".to_owned(),
            PolicyErrorKind::CategoryWithoutChange { .. } => "not a change rule".to_owned(),
            PolicyErrorKind::InvalidChange { .. } => "here".to_owned(),
            PolicyErrorKind::MandatoryOutsideGlobal { .. } => "not a global file".to_owned(),
            PolicyErrorKind::Io { .. } => String::new(),
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
