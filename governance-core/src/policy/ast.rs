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
    /// Where a `mandatory RULE` line of another file made it mandatory (`file:line:column`).
    pub mandatory_at: Option<String>,
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
    /// `category schema`: the `[breaking] use` category of a change rule.
    pub category: Option<Category>,
    /// Whether it is a change rule: a statement of it compares two versions of a contract (a
    /// change predicate, `previous`, `changed`...). Change rules are evaluated only on a pair
    /// of versions (`breaking`), the others only on one contract (`check`).
    pub change: bool,
}

/// The category of a change rule, as `[breaking] use` selects them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Category {
    Schema,
    Governance,
    Sla,
    Interface,
    Version,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Schema,
        Category::Governance,
        Category::Sla,
        Category::Interface,
        Category::Version,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Schema => "schema",
            Category::Governance => "governance",
            Category::Sla => "sla",
            Category::Interface => "interface",
            Category::Version => "version",
        }
    }

    pub fn parse(text: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// Whether its findings break consumers (schema, interface): announced (`info`) when the
    /// major version increased, and what `contract breaks` counts.
    pub fn breaks_consumers(self) -> bool {
        matches!(self, Category::Schema | Category::Interface)
    }
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
    /// `mandatory a, b`: rules defined elsewhere made mandatory, with where each is named.
    pub mandatory: Vec<Mandatory>,
}

/// `mandatory RULE, ...`: a rule made mandatory by a (global) file that does not define it.
#[derive(Debug, Clone)]
pub(crate) struct Mandatory {
    pub rule: String,
    pub rule_span: Span,
    pub source: Arc<SourceFile>,
    /// The scope of its file (must be empty: only global files make rules mandatory).
    pub scoped: bool,
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
    /// `major version`: one number of the semantic version at a path (change rules).
    Version(SemverPart, Path),
}

/// Which number of a semantic version (`MAJOR.MINOR.PATCH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SemverPart {
    Major,
    Minor,
    Patch,
}

impl SemverPart {
    pub fn as_str(self) -> &'static str {
        match self {
            SemverPart::Major => "major",
            SemverPart::Minor => "minor",
            SemverPart::Patch => "patch",
        }
    }

    pub fn index(self) -> usize {
        match self {
            SemverPart::Major => 0,
            SemverPart::Minor => 1,
            SemverPart::Patch => 2,
        }
    }
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
    /// `previous PATH ...`: the comparison on the previous version (change rules).
    Previous(Path, Comparison),
    /// `PATH changed`, `sla.availability decreased`, `major version increased`.
    Changed(Option<SemverPart>, Path, ChangeOp),
    /// `contract changed`: the canonical models of the two versions differ.
    ContractChanged,
    /// `contract breaks`: a schema or interface change rule found something on the pair.
    ContractBreaks,
    /// `any fields tagged pii`, `no ports`, `all fields where ...`: over the contract's items.
    Quantified(Quantifier, Collection, Vec<Filter>),
    Not(Box<Condition>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

/// How a value moved between the two versions, in a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeOp {
    Changed,
    Increased,
    Decreased,
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
    /// `be removed`: there in the previous version, not in the current one.
    Removed,
    /// `be added`: not in the previous version, there in the current one.
    Added,
    /// `change [ATTRIBUTE]`: the value differs between the versions.
    Change(Option<Path>),
    /// `lose ATTRIBUTE`, `lose tag T`: held before, not now.
    Lose(Held),
    /// `gain ATTRIBUTE`, `gain tag T`: not held before, held now.
    Gain(Held),
    /// `increase [ATTRIBUTE] [in [..]]`.
    Increase(Option<Path>, Option<Vec<Literal>>),
    /// `decrease [ATTRIBUTE] [in [..]]`.
    Decrease(Option<Path>, Option<Vec<Literal>>),
    /// `narrow ATTRIBUTE` (`type`, `physical_type`): the new type cannot hold every value of
    /// the old one.
    Narrow(Path),
}

/// What `lose` and `gain` are about: an attribute, or a tag (as `tagged` reads it).
#[derive(Debug, Clone)]
pub(crate) enum Held {
    Attr(Path),
    Tag(String),
}

impl Predicate {
    /// Whether it compares two versions.
    pub fn is_change(&self) -> bool {
        matches!(
            self,
            Predicate::Removed
                | Predicate::Added
                | Predicate::Change(_)
                | Predicate::Lose(_)
                | Predicate::Gain(_)
                | Predicate::Increase(..)
                | Predicate::Decrease(..)
                | Predicate::Narrow(_)
        )
    }
}

impl Condition {
    /// Whether it reads the previous version.
    pub fn is_change(&self) -> bool {
        match self {
            Condition::Previous(..)
            | Condition::Changed(..)
            | Condition::ContractChanged
            | Condition::ContractBreaks => true,
            Condition::Compare(..) => false,
            Condition::Quantified(_, _, filters) => filters.iter().any(Filter::is_change),
            Condition::Not(inner) => inner.is_change(),
            Condition::And(a, b) | Condition::Or(a, b) => a.is_change() || b.is_change(),
        }
    }

    /// Whether it asks `contract breaks` (evaluated once the other change rules are).
    pub fn asks_breaks(&self) -> bool {
        match self {
            Condition::ContractBreaks => true,
            Condition::Not(inner) => inner.asks_breaks(),
            Condition::And(a, b) | Condition::Or(a, b) => a.asks_breaks() || b.asks_breaks(),
            _ => false,
        }
    }
}

impl Filter {
    pub fn is_change(&self) -> bool {
        matches!(self, Filter::Where(condition) if condition.is_change())
    }
}

impl Statement {
    /// Whether it compares two versions (its subject, predicate or a condition does).
    pub fn is_change(&self) -> bool {
        self.predicate.is_change()
            || matches!(self.subject, Subject::Version(..))
            || self.when.as_ref().is_some_and(Condition::is_change)
            || matches!(&self.subject, Subject::Collection(_, filters) if filters.iter().any(Filter::is_change))
    }
}
