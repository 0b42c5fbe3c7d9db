//! The compact form in which each standard's versions are written down: what a value must be
//! ([`Shape`]), the keys of each kind of mapping ([`Def`], [`Key`]), the keys some values of a
//! key bring with them ([`Case`]: a server's `type`, a property's `logicalType`), and the
//! versions each fact holds in ([`Range`]).
//!
//! These are facts of the standards, written by us from their documentation and published
//! schemas (which the tests use as oracles). One table covers every version of a standard: a
//! key, an allowed value or a requirement carries the versions it holds in, so that a finding
//! can say "`timestamp` exists from v3.1.0".

use std::sync::LazyLock;

use regex::Regex;

/// A version of a standard: `3.0.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Version(pub u8, pub u8, pub u8);

impl Version {
    pub const MIN: Version = Version(0, 0, 0);
    pub const MAX: Version = Version(u8::MAX, u8::MAX, u8::MAX);

    /// `3.0.2`, `v3.0.2`, `V3.0.2`; two parts (`3.1`) mean `.0`. Anything else is no version.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Version(major, minor, patch))
    }
}

/// The versions (inclusive at both ends) a fact holds in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    pub from: Version,
    pub to: Version,
}

impl Range {
    pub const ALL: Range = Range {
        from: Version::MIN,
        to: Version::MAX,
    };
    pub const NEVER: Range = Range {
        from: Version::MAX,
        to: Version::MIN,
    };

    pub const fn from(v: Version) -> Range {
        Range {
            from: v,
            to: Version::MAX,
        }
    }

    pub const fn upto(v: Version) -> Range {
        Range {
            from: Version::MIN,
            to: v,
        }
    }

    pub const fn between(from: Version, to: Version) -> Range {
        Range { from, to }
    }

    pub fn holds(self, v: Version) -> bool {
        self.from <= v && v <= self.to
    }
}

/// A regular expression a text must match, with what it means in words.
pub(crate) struct Pattern {
    source: &'static str,
    /// "letters, digits, `_` and `-`".
    pub words: &'static str,
    regex: LazyLock<Option<Regex>, fn() -> Option<Regex>>,
}

impl Pattern {
    pub const fn new(
        source: &'static str,
        words: &'static str,
        compile: fn() -> Option<Regex>,
    ) -> Pattern {
        Pattern {
            source,
            words,
            regex: LazyLock::new(compile),
        }
    }

    /// Whether `text` matches (a pattern that does not compile matches everything: the tables
    /// are tested to compile).
    pub fn matches(&self, text: &str) -> bool {
        self.regex.as_ref().is_none_or(|re| re.is_match(text))
    }

    /// The regular expression, as written in the table.
    pub fn source(&self) -> &'static str {
        self.source
    }

    #[cfg(test)]
    pub fn compiles(&self) -> bool {
        self.regex.is_some()
    }
}

/// `pattern!(NAME, "regex", "words")`: a static [`Pattern`], compiled on first use.
macro_rules! pattern {
    ($name:ident, $source:expr, $words:expr) => {
        pub(crate) static $name: $crate::contract::conformance::schema::Pattern =
            $crate::contract::conformance::schema::Pattern::new($source, $words, || {
                regex::Regex::new($source).ok()
            });
    };
}
pub(crate) use pattern;

/// An allowed value of an enumeration, and the versions it is allowed in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Choice {
    pub value: &'static str,
    pub versions: Range,
}

/// An allowed value in every version.
pub(crate) const fn c(value: &'static str) -> Choice {
    Choice {
        value,
        versions: Range::ALL,
    }
}

/// An allowed value from version `v` on.
pub(crate) const fn c_from(value: &'static str, v: Version) -> Choice {
    Choice {
        value,
        versions: Range::from(v),
    }
}

/// An allowed value up to version `v`.
pub(crate) const fn c_upto(value: &'static str, v: Version) -> Choice {
    Choice {
        value,
        versions: Range::upto(v),
    }
}

/// What a value must be.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    /// Anything.
    Any,
    /// A text.
    Str,
    /// A text matching a pattern.
    Matching(&'static Pattern),
    /// One of these texts.
    OneOf(&'static [Choice]),
    /// An integer (a number without a fraction), at least the minimum when there is one.
    Int(Option<i64>),
    /// A number.
    Num,
    /// `true` or `false`.
    Bool,
    /// A text, number, boolean or null: anything but a list or a mapping.
    Scalar,
    /// A text or an integer (a port).
    StrOrInt,
    /// A value of one of these kinds.
    Kinds(&'static [Kind]),
    /// Any mapping.
    AnyMap,
    /// A mapping with the keys of a definition.
    Obj(&'static Def),
    /// A list of values of a shape.
    List(&'static List),
    /// A mapping of names (matching a pattern, if any) to values of a shape; at least `min`
    /// entries.
    MapOf(&'static MapOf),
    /// One of several shapes, told apart by the kind of value (a text or a mapping...).
    Either(&'static [Shape]),
    /// A shape that depends on the version.
    Versioned(&'static [(Range, Shape)]),
    /// A reference to another file (the first definition: a mapping with `$ref`) or the
    /// second definition written inline, exactly one of them (JSON Schema's `oneOf`).
    RefOr(&'static Def, &'static Def),
}

/// The kinds of value a document holds, as JSON names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Int,
    Num,
    Str,
    List,
    Map,
}

impl Kind {
    /// "a text", "an integer"...
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Null => "empty (null)",
            Kind::Bool => "a boolean",
            Kind::Int => "an integer",
            Kind::Num => "a number",
            Kind::Str => "a text",
            Kind::List => "a list",
            Kind::Map => "a mapping",
        }
    }
}

/// A list's items and bounds.
pub(crate) struct List {
    pub items: Shape,
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub unique: bool,
}

/// A mapping keyed by name.
pub(crate) struct MapOf {
    pub values: Shape,
    pub min: usize,
    pub names: Option<&'static Pattern>,
}

/// A key of a mapping: its shape, when it is required, the versions it exists in.
#[derive(Clone, Copy)]
pub(crate) struct Key {
    pub name: &'static str,
    pub shape: Shape,
    pub required: Range,
    pub versions: Range,
}

/// A key that holds a value of `shape`, optional, in every version.
pub(crate) const fn k(name: &'static str, shape: Shape) -> Key {
    Key {
        name,
        shape,
        required: Range::NEVER,
        versions: Range::ALL,
    }
}

impl Key {
    /// Required in every version it exists in.
    pub const fn req(mut self) -> Key {
        self.required = Range::ALL;
        self
    }

    /// Required in these versions.
    pub const fn req_in(mut self, versions: Range) -> Key {
        self.required = versions;
        self
    }

    /// Exists from `v` on.
    pub const fn since(mut self, v: Version) -> Key {
        self.versions = Range::from(v);
        self
    }

    /// Exists in `versions`.
    pub const fn only(mut self, versions: Range) -> Key {
        self.versions = versions;
        self
    }
}

/// The keys of one kind of mapping.
pub(crate) struct Def {
    /// How findings name it: "table", "property", "server".
    pub noun: &'static str,
    pub keys: &'static [Key],
    /// Definitions whose keys this one has too (JSON Schema's `allOf`).
    pub includes: &'static [&'static Def],
    /// The versions in which a key that is not listed is an error.
    pub closed: Range,
    /// Keys that some values of another key bring with them.
    pub cases: &'static [Case],
}

/// Keys a mapping has when one of its keys has one of some values (a server whose `type` is
/// `postgres` has `host`, `port`, `database` and `schema`).
pub(crate) struct Case {
    /// The key whose value decides.
    pub key: &'static str,
    pub values: &'static [&'static str],
    /// The case applies when the key is absent too (a JSON Schema `if` that does not require
    /// the key is true without it).
    pub when_absent: bool,
    /// The case also applies when this key is present (ODCS 3.1: a quality check with a
    /// `metric` is a library check).
    pub or_has: Option<&'static str>,
    pub versions: Range,
    pub keys: &'static [Key],
    /// Exactly one of these keys must be present (a check's operator: `mustBe`, `mustBeLessThan`...).
    pub one_of: &'static [&'static str],
}

impl Case {
    pub const fn new(
        key: &'static str,
        values: &'static [&'static str],
        keys: &'static [Key],
    ) -> Case {
        Case {
            key,
            values,
            when_absent: false,
            or_has: None,
            versions: Range::ALL,
            keys,
            one_of: &[],
        }
    }

    /// Applies when the key is absent too.
    pub const fn or_absent(mut self) -> Case {
        self.when_absent = true;
        self
    }

    pub const fn or_has(mut self, key: &'static str) -> Case {
        self.or_has = Some(key);
        self
    }

    pub const fn only(mut self, versions: Range) -> Case {
        self.versions = versions;
        self
    }

    pub const fn exactly_one_of(mut self, keys: &'static [&'static str]) -> Case {
        self.one_of = keys;
        self
    }
}

/// A standard: its name, the key that declares its version, the versions it has and its root.
pub(crate) struct Family {
    /// "ODCS", "DCS", "ODPS".
    pub name: &'static str,
    /// `apiVersion`, `dataContractSpecification`.
    pub version_key: &'static str,
    /// Whether versions are written `v3.0.2` (else `1.2.1`).
    pub v_prefix: bool,
    /// The published versions, oldest first.
    pub versions: &'static [Version],
    /// The version whose rules apply when the file declares none.
    pub default: Version,
    pub root: &'static Def,
    /// Where the standard wants extensions, for the help of an unknown key.
    pub extensions: &'static str,
}

impl Family {
    /// `v3.0.2` or `1.2.1`, as the standard writes its versions.
    pub fn show(&self, v: Version) -> String {
        let Version(a, b, c) = v;
        if self.v_prefix {
            format!("v{a}.{b}.{c}")
        } else {
            format!("{a}.{b}.{c}")
        }
    }

    /// The known version whose rules apply to `declared`: the newest at or before it, else
    /// the oldest.
    pub fn closest(&self, declared: Version) -> Version {
        self.versions
            .iter()
            .copied()
            .filter(|&v| v <= declared)
            .max()
            .or_else(|| self.versions.first().copied())
            .unwrap_or(self.default)
    }
}

/// Shorthands for the tables.
pub(crate) const STR: Shape = Shape::Str;
pub(crate) const INT: Shape = Shape::Int(None);
pub(crate) const NUM: Shape = Shape::Num;
pub(crate) const BOOL: Shape = Shape::Bool;
pub(crate) const ANY: Shape = Shape::Any;
pub(crate) const MAP: Shape = Shape::AnyMap;
pub(crate) const STRINGS: Shape = Shape::List(&List {
    items: STR,
    min: None,
    max: None,
    unique: false,
});

/// A list of `items`.
pub(crate) const fn list(items: &'static List) -> Shape {
    Shape::List(items)
}

/// A plain list (no bounds) of values of `items`.
pub(crate) const fn items(items: Shape) -> List {
    List {
        items,
        min: None,
        max: None,
        unique: false,
    }
}
