//! The policy AST. Every node keeps its span in the policy file; regexes, globs and named
//! formats are compiled here, once, so evaluation never compiles anything.

use std::sync::Arc;

use globset::GlobMatcher;
use regex::Regex;

use super::formats::NamedFormat;
use super::quantity::Quantity;
use crate::finding::Severity;
use crate::source::{SourceFile, Span};

/// A rule: an id, how serious its findings are, and the statements it checks.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub id: Arc<str>,
    pub id_span: Span,
    pub severity: Severity,
    pub description: Option<String>,
    pub help: Option<Arc<str>>,
    pub examples: Vec<String>,
    /// `docs "https://..."`: where the rule is documented.
    pub docs: Option<String>,
    pub mandatory: bool,
    /// `false` when configuration switched the rule off.
    pub enabled: bool,
    pub statements: Vec<Statement>,
    /// The policy file it is defined in.
    pub source: Arc<SourceFile>,
    /// The whole `rule x { ... }` block.
    pub span: Span,
    /// `scope domain(s) ...` of its file: the domains it applies to (empty: every contract).
    pub scope: Vec<String>,
    /// The pack it was loaded from.
    pub pack: super::Pack,
}

/// `raise RULE to SEVERITY`: a stricter severity for the contracts the file applies to.
#[derive(Debug, Clone)]
pub(crate) struct Raise {
    pub rule: String,
    pub rule_span: Span,
    pub severity: Severity,
    pub source: Arc<SourceFile>,
    /// The domains it applies to (empty: every contract).
    pub scope: Vec<String>,
}

/// One policy file, parsed.
#[derive(Debug, Clone, Default)]
pub(crate) struct PolicyFile {
    pub rules: Vec<Rule>,
    pub raises: Vec<Raise>,
    /// `scope domain(s) ...`, and where it is written.
    pub scope: Vec<String>,
    pub scope_span: Option<Span>,
    /// `custom names ...`: raw paths declared on purpose.
    pub custom: Vec<Path>,
}

/// `[when CONDITION:] SUBJECT must [not] PREDICATE`
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub when: Option<Condition>,
    pub subject: Subject,
    /// Where the subject is written (`fields named email`).
    pub subject_span: Span,
    pub negated: bool,
    pub predicate: Predicate,
    /// Where the predicate is written (`be at least 99.9%`).
    pub predicate_span: Span,
    /// The whole statement.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) enum Subject {
    /// `contract`: the contract as a whole.
    Contract,
    /// A dotted path from the contract's top (`owner`, `sla.availability`).
    Path(Path),
    /// `fields ...`, `output ports ...`: every item of a collection that passes the filters.
    Collection(Collection, Vec<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    Fields,
    OutputPorts,
    InputPorts,
    Ports,
    Tables,
    Servers,
}

/// A dotted path as written (`sla.availability`), split into segments.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub text: String,
    pub span: Span,
    /// Written with a `backticked` segment: a raw key on purpose, never a canonical typo.
    pub quoted: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Filter {
    /// `named a, b`: the item's name is one of these (ignoring case).
    Named(Vec<String>),
    /// `matching "*_id"`: the name matches one of these globs (ignoring case).
    Matching(Vec<GlobMatcher>),
    /// `tagged pii`: a tag, a `pii: true` flag for `pii`, or a classification of that name.
    Tagged(Vec<String>),
    /// `classified as restricted`: the classification is one of these (ignoring case).
    Classified(Vec<String>),
    /// `in table orders`: the field belongs to one of these tables/models.
    InTable(Vec<String>),
    /// `where CONDITION`: the condition holds with paths relative to the item.
    Where(Condition),
}

#[derive(Debug, Clone)]
pub(crate) enum Condition {
    Compare(Path, Comparison),
    /// `any fields tagged pii`, `no ports`, `all fields where ...`: over the contract's items.
    Quantified(Quantifier, Collection, Vec<Filter>),
    Not(Box<Condition>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

/// How many items of a collection a quantified condition asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quantifier {
    /// At least one item passes the filters.
    Any,
    /// Every item passes the filters (and there is at least one item).
    All,
    /// No item passes the filters.
    No,
}

#[derive(Debug, Clone)]
pub(crate) enum Comparison {
    Is(Literal),
    IsNot(Literal),
    IsIn(Vec<Literal>),
    IsNotIn(Vec<Literal>),
    Exists,
    Matches(Matcher),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Str(String),
    Number(f64),
    Quantity(Quantity),
    Bool(bool),
    Null,
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Str(s) => f.write_str(s),
            Literal::Number(n) => write!(f, "{n}"),
            Literal::Quantity(q) => write!(f, "{q}"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Null => f.write_str("null"),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// `/regex/` (Rust `regex` syntax: linear time, no backtracking).
    Regex { regex: Regex, source: String },
    /// `email`, `semver`, `snake_case`...
    Format(NamedFormat),
}

impl Matcher {
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Regex { regex, .. } => regex.is_match(text),
            Matcher::Format(format) => format.is_match(text),
        }
    }
}

/// The quantity of `be at least` / `be at most`, and how the policy writes it (`2 years`), so
/// that messages keep the author's unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bound {
    pub quantity: Quantity,
    pub written: String,
}

#[derive(Debug, Clone)]
pub(crate) enum Predicate {
    /// `be ATTRIBUTE`: the attribute is present and truthy.
    Be(Path),
    /// `have PATH, ...`: each is present and not empty.
    Have(Vec<Path>),
    /// `have PATH in [..]`: the attribute is present and equals one of these.
    HaveIn(Path, Vec<Literal>),
    /// `have type T` / `have type in [..]`: the item's type is one of these (ignoring case).
    HaveType { types: Vec<String>, list: bool },
    /// `match /re/` or `match FORMAT`.
    Match(Matcher),
    /// `be at least Q`.
    AtLeast(Bound),
    /// `be at most Q`.
    AtMost(Bound),
    /// `be one of [..]`.
    OneOf(Vec<Literal>),
    /// `exist`.
    Exist,
}
