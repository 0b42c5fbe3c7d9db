//! Conformance: is the contract a valid document of its standard, in the version it declares?
//!
//! Each standard's versions are written down in the project's own compact form
//! ([`schema`]: keys, required keys, types, allowed values, patterns, and the versions each
//! holds in), one table per standard (`odcs_v3.rs`, `odcs_v2.rs`, `dcs.rs`, `odps.rs`). The
//! check is one walk over the spanned document, so every finding points at the offending key
//! or value; a missing key is reported at the key of the mapping that lacks it.
//!
//! One problem gives one finding: where JSON Schema would report every branch of a `oneOf`
//! that failed, the branch is chosen by the kind of value written (a text, a list, a mapping),
//! and a key checked by several rules reports the first that fails.

mod dcs;
mod dpds;
mod odcs_v2;
mod odcs_v3;
mod odps;
pub(crate) mod schema;

use std::fmt::Write as _;

use schema::{Case, Choice, Def, Family, Key, Kind, Shape, Version};

use super::normalize::Issue;
use super::standard::Format;
use crate::builtin::BuiltinRule;
use crate::document::{Document, NodeId, NodeKind};
use crate::source::Span;

/// The standard (family of versions) that a format's contracts are checked against.
pub(crate) fn family(format: Format) -> Option<&'static Family> {
    match format {
        Format::OdcsV3 => Some(&odcs_v3::ODCS_V3),
        Format::OdcsV2 => Some(&odcs_v2::ODCS_V2),
        Format::Dcs => Some(&dcs::DCS),
        Format::Odps => Some(&odps::ODPS),
        Format::Dpds => Some(&dpds::DPDS),
        _ => None,
    }
}

/// The conformance issues of the document rooted at `root`, read as `format`.
pub(crate) fn check(doc: &Document, root: NodeId, format: Format) -> Vec<Issue> {
    let Some(family) = family(format) else {
        return Vec::new();
    };
    // A bare list of ODCS 2.2 datasets is a fragment, not a whole contract.
    if !doc.is_map(root) {
        return Vec::new();
    }
    let mut walk = Walk {
        doc,
        family,
        version: family.default,
        issues: Vec::new(),
        path: Vec::new(),
        skip_version_value: None,
        key_spans: Vec::new(),
    };
    walk.version = walk.declared_version(root);
    let at = Span::empty(doc.span(root).start());
    walk.object(root, family.root, at);
    walk.issues
}

/// A step of the path from the document's root: a key, or an index in a list.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Walk<'a> {
    doc: &'a Document,
    family: &'static Family,
    version: Version,
    issues: Vec<Issue>,
    path: Vec<Seg<'a>>,
    /// The value of the version key, already reported as an unknown version.
    skip_version_value: Option<NodeId>,
    /// The key of the entry being checked, for [`Issue::about`].
    key_spans: Vec<Span>,
}

/// What a node is, as JSON kinds go.
fn kind_of(doc: &Document, node: NodeId) -> Kind {
    match &doc.node(node).kind {
        NodeKind::Null => Kind::Null,
        NodeKind::Bool(_) => Kind::Bool,
        NodeKind::Int(_) => Kind::Int,
        NodeKind::Float(f) if f.fract() == 0.0 && f.is_finite() => Kind::Int,
        NodeKind::Float(_) => Kind::Num,
        NodeKind::Str(_) => Kind::Str,
        NodeKind::Seq(_) => Kind::List,
        NodeKind::Map(_) => Kind::Map,
    }
}

impl Walk<'_> {
    /// The version the document declares, or the closest known one (with an `unknown-version`
    /// issue) when it declares one the standard does not have.
    fn declared_version(&mut self, root: NodeId) -> Version {
        let family = self.family;
        let Some(entry) = self.doc.entry(root, family.version_key) else {
            return family.default;
        };
        let value = entry.value;
        let Some(text) = self.doc.scalar_text(value) else {
            return family.default;
        };
        let written = text.trim();
        let parsed = Version::parse(written);
        // The standards write their versions one way: `v3.0.2` (ODCS, ODPS), `1.2.1` (DCS).
        let spelt_right = written.starts_with(['v', 'V']) == family.v_prefix;
        if let Some(v) = parsed.filter(|v| family.versions.contains(v) && spelt_right) {
            return v;
        }
        let applied = parsed.map_or(family.default, |v| family.closest(v));
        let known: Vec<String> = family.versions.iter().map(|&v| family.show(v)).collect();
        let span = self.value_span(value, entry.span());
        self.skip_version_value = Some(value);
        let other_major = parsed.filter(|v| {
            family.versions.first().is_some_and(|first| first.0 != v.0)
                && family.name == "ODCS"
                && v.0 == 2
        });
        let message = match (parsed, other_major) {
            (Some(v), _) if family.versions.contains(&v) => format!(
                "`{}` is `{written}`, but {} writes its versions `{}`; the rules of {} apply",
                family.version_key,
                family.name,
                family.show(v),
                family.show(applied),
            ),
            (_, Some(_)) => format!(
                "`{}` is `{written}`, an ODCS v2 version, but the contract is written as ODCS v3 (its `schema` is a list of tables); the rules of {} apply",
                family.version_key,
                family.show(applied),
            ),
            _ => format!(
                "`{}` is `{written}`, which is not a version of {} (known: {}); the rules of {} apply",
                family.version_key,
                family.name,
                known.join(", "),
                family.show(applied),
            ),
        };
        self.issues.push(
            Issue::new(
                BuiltinRule::UnknownVersion,
                span,
                message,
                "unknown version",
            )
            .with_help(format!(
                "declare one of the published versions, e.g. `{}: {}`",
                family.version_key,
                quoted_version(family, applied)
            )),
        );
        applied
    }

    /// "ODCS v3.0.2".
    fn standard(&self) -> String {
        format!("{} {}", self.family.name, self.family.show(self.version))
    }

    /// Where to point at a value: its span, else (an empty value) the `key: value` it is in.
    fn value_span(&self, node: NodeId, holder: Span) -> Span {
        let span = self.doc.span(node);
        if span.is_empty() {
            holder
        } else {
            span
        }
    }

    /// `schema[0].properties[2]`.
    fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Seg::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }

    /// How a message names the value at the current path: "`port`", "entry #2 of `tags`".
    fn subject(&self) -> String {
        match self.path.as_slice() {
            [.., Seg::Key(key), Seg::Index(index)] => format!("entry #{} of `{key}`", index + 1),
            [.., Seg::Key(key)] => format!("`{key}`"),
            [.., Seg::Index(index)] => format!("entry #{}", index + 1),
            [] => "the document".to_owned(),
        }
    }

    /// How a message names a mapping: "table `orders`", "server `servers[1]`", "the contract".
    fn describe(&self, map: NodeId, def: &Def) -> String {
        if self.path.is_empty() {
            return format!("the {}", def.noun);
        }
        let name = ["name", "column", "table", "server", "username", "property"]
            .iter()
            .find_map(|key| self.doc.get(map, key))
            .and_then(|n| self.doc.str(n))
            .filter(|n| !n.trim().is_empty() && n.len() <= 60);
        match name {
            Some(name) => format!("{} `{name}`", def.noun),
            None => format!("{} `{}`", def.noun, self.path_text()),
        }
    }

    fn push(&mut self, span: Span, message: String, label: &'static str, help: Option<String>) {
        let mut issue = Issue::new(BuiltinRule::SchemaViolation, span, message, label);
        // A value's own problem is about its key; a missing key (at its holder) is not.
        if label != "missing key" && matches!(self.path.last(), Some(Seg::Key(_))) {
            issue.about = self.key_spans.last().copied();
        }
        self.issues.push(match help {
            Some(help) => issue.with_help(help),
            None => issue,
        });
    }

    /// Checks `node` against `shape`. `holder` is where to point when the value itself has no
    /// text (its `key: value`, or a list item's first line).
    fn value(&mut self, node: NodeId, shape: Shape, holder: Span) {
        let kind = kind_of(self.doc, node);
        match shape {
            Shape::Any => {}
            Shape::Str => {
                self.expect(node, kind, &[Kind::Str], holder);
            }
            Shape::Matching(pattern) => {
                if self.expect(node, kind, &[Kind::Str], holder) {
                    let text = self.doc.str(node).unwrap_or_default();
                    if !pattern.matches(text) {
                        let message = format!(
                            "{} is `{}`, which {} does not allow here: {}",
                            self.subject(),
                            shorten(text),
                            self.standard(),
                            pattern.words
                        );
                        let help = format!("the value must match `{}`", pattern.source());
                        let span = self.value_span(node, holder);
                        self.push(span, message, "does not match", Some(help));
                    }
                }
            }
            Shape::OneOf(choices) => self.choice(node, kind, choices, holder),
            Shape::Int(min) => {
                if self.expect(node, kind, &[Kind::Int], holder) {
                    let value = match self.doc.node(node).kind {
                        NodeKind::Int(i) => Some(i),
                        #[expect(clippy::cast_possible_truncation, reason = "an integral float")]
                        NodeKind::Float(f) => Some(f as i64),
                        _ => None,
                    };
                    if let (Some(min), Some(value)) = (min, value) {
                        if value < min {
                            let message = format!(
                                "{} is {value}, but {} wants at least {min} here",
                                self.subject(),
                                self.standard()
                            );
                            let span = self.value_span(node, holder);
                            self.push(span, message, "too small", None);
                        }
                    }
                }
            }
            Shape::Num => {
                self.expect(node, kind, &[Kind::Int, Kind::Num], holder);
            }
            Shape::Bool => {
                self.expect(node, kind, &[Kind::Bool], holder);
            }
            Shape::Scalar => {
                self.expect(
                    node,
                    kind,
                    &[Kind::Str, Kind::Int, Kind::Num, Kind::Bool, Kind::Null],
                    holder,
                );
            }
            Shape::StrOrInt => {
                self.expect(node, kind, &[Kind::Str, Kind::Int], holder);
            }
            Shape::Kinds(kinds) => {
                self.expect(node, kind, kinds, holder);
            }
            Shape::AnyMap => {
                self.expect(node, kind, &[Kind::Map], holder);
            }
            Shape::Obj(def) => {
                if self.expect(node, kind, &[Kind::Map], holder) {
                    self.object(node, def, holder);
                }
            }
            Shape::List(list) => {
                if self.expect(node, kind, &[Kind::List], holder) {
                    self.list(node, list, holder);
                }
            }
            Shape::RefOr(reference, inline) => {
                if !self.expect(node, kind, &[Kind::Map], holder) {
                    return;
                }
                if self.doc.get(node, "$ref").is_none() {
                    self.object(node, inline, holder);
                    return;
                }
                // A reference; it must not be a whole inline definition too.
                let before = self.issues.len();
                self.object(node, inline, holder);
                let inline_valid = self.issues.len() == before;
                self.issues.truncate(before);
                if inline_valid {
                    let message = format!(
                        "{} has `$ref` and is also written inline, but {} wants one or the other",
                        self.subject(),
                        self.standard()
                    );
                    let span = first_line(self.doc, node);
                    self.push(
                        span,
                        message,
                        "both",
                        Some(
                            "keep the `$ref` to the file that defines it, or the inline definition"
                                .to_owned(),
                        ),
                    );
                } else {
                    self.object(node, reference, holder);
                }
            }
            Shape::MapOf(map_of) => {
                if self.expect(node, kind, &[Kind::Map], holder) {
                    self.map_of(node, map_of, holder);
                }
            }
            Shape::Either(shapes) => {
                let chosen = shapes.iter().copied().find(|&s| self.accepts_kind(s, kind));
                if let Some(shape) = chosen {
                    self.value(node, shape, holder);
                } else {
                    let mut kinds = Vec::new();
                    for &s in shapes {
                        for k in self.kinds(s) {
                            if !kinds.contains(&k) {
                                kinds.push(k);
                            }
                        }
                    }
                    self.expect(node, kind, &kinds, holder);
                }
            }
            Shape::Versioned(options) => {
                let version = self.version;
                if let Some((_, shape)) = options.iter().find(|(range, _)| range.holds(version)) {
                    let before = self.issues.len();
                    self.value(node, *shape, holder);
                    // A kind of value a later version allows (`team` as a mapping in 3.0):
                    // say from when.
                    let later = options
                        .iter()
                        .find(|(range, s)| range.from > version && self.accepts_kind(*s, kind))
                        .map(|(range, _)| self.first_in(*range));
                    let family = self.family;
                    if self.issues.len() == before + 1 {
                        if let (Some(later), Some(issue)) = (later, self.issues.get_mut(before)) {
                            if issue.label == "wrong type" {
                                let from = format!(
                                    "{} is allowed here from {} (`{}: {}`)",
                                    kind.noun(),
                                    family.show(later),
                                    family.version_key,
                                    quoted_version(family, later)
                                );
                                issue.help = Some(match issue.help.take() {
                                    Some(help) => format!("{help}; {from}"),
                                    None => from,
                                });
                            }
                        }
                    }
                }
            }
        }
    }

    /// The kinds of value a shape accepts (for choosing among alternatives, and for messages).
    fn kinds(&self, shape: Shape) -> Vec<Kind> {
        match shape {
            Shape::Any => vec![
                Kind::Null,
                Kind::Bool,
                Kind::Int,
                Kind::Num,
                Kind::Str,
                Kind::List,
                Kind::Map,
            ],
            Shape::Str | Shape::Matching(_) | Shape::OneOf(_) => vec![Kind::Str],
            Shape::Int(_) => vec![Kind::Int],
            Shape::Num => vec![Kind::Int, Kind::Num],
            Shape::Bool => vec![Kind::Bool],
            Shape::Scalar => vec![Kind::Str, Kind::Int, Kind::Num, Kind::Bool, Kind::Null],
            Shape::StrOrInt => vec![Kind::Str, Kind::Int],
            Shape::Kinds(kinds) => kinds.to_vec(),
            Shape::AnyMap | Shape::Obj(_) | Shape::MapOf(_) | Shape::RefOr(..) => vec![Kind::Map],
            Shape::List(_) => vec![Kind::List],
            Shape::Either(shapes) => shapes.iter().flat_map(|&s| self.kinds(s)).collect(),
            Shape::Versioned(options) => options
                .iter()
                .find(|(range, _)| range.holds(self.version))
                .map(|(_, s)| self.kinds(*s))
                .unwrap_or_default(),
        }
    }

    fn accepts_kind(&self, shape: Shape, kind: Kind) -> bool {
        let kinds = self.kinds(shape);
        kinds.contains(&kind) || (kind == Kind::Int && kinds.contains(&Kind::Num))
    }

    /// Whether the value is of one of `kinds`; if not, an issue saying what it is and what is
    /// wanted.
    fn expect(&mut self, node: NodeId, kind: Kind, kinds: &[Kind], holder: Span) -> bool {
        if kinds.contains(&kind) || (kind == Kind::Int && kinds.contains(&Kind::Num)) {
            return true;
        }
        let wanted: Vec<&str> = kinds
            .iter()
            .filter(|k| !(**k == Kind::Int && kinds.contains(&Kind::Num)))
            .map(|k| if *k == Kind::Null { "empty" } else { k.noun() })
            .collect();
        let written = match kind {
            Kind::List | Kind::Map | Kind::Null => String::new(),
            _ => format!(" (`{}`)", shorten(self.doc.slice(self.doc.span(node)))),
        };
        let message = format!(
            "{} is {}{written}, but {} wants {} here",
            self.subject(),
            kind.noun(),
            self.standard(),
            or_list(&wanted)
        );
        let help = match (kind, kinds) {
            (Kind::Int | Kind::Num | Kind::Bool, [Kind::Str, ..]) => Some(format!(
                "quote it to make it a text: `\"{}\"`",
                shorten(self.doc.slice(self.doc.span(node)))
            )),
            (Kind::Str, [Kind::Int | Kind::Num, ..]) => {
                Some("write the number without quotes".to_owned())
            }
            (Kind::Str, [Kind::Bool]) => {
                let written = self.doc.slice(self.doc.span(node));
                Some(if written.starts_with(['"', '\'']) {
                    "write `true` or `false`, without quotes".to_owned()
                } else {
                    format!(
                        "write `true` or `false`: YAML 1.2 reads `{}` as a text",
                        shorten(written)
                    )
                })
            }
            (Kind::Null, _) => Some("give it a value, or remove the key".to_owned()),
            (Kind::Str, [Kind::List]) => Some(format!(
                "write a list: `[{}]`",
                shorten(self.doc.str(node).unwrap_or_default())
            )),
            _ => None,
        };
        let span = self.value_span(node, holder);
        self.push(span, message, "wrong type", help);
        false
    }

    fn choice(&mut self, node: NodeId, kind: Kind, choices: &[Choice], holder: Span) {
        let version = self.version;
        let allowed: Vec<&str> = choices
            .iter()
            .filter(|c| c.versions.holds(version))
            .map(|c| c.value)
            .collect();
        let (Kind::Str, Some(text)) = (kind, self.doc.str(node)) else {
            let written = shorten(self.doc.slice(self.doc.span(node)));
            let message = format!(
                "{} is {} (`{written}`), which {} does not allow (allowed: {})",
                self.subject(),
                kind.noun(),
                self.standard(),
                allowed.join(", ")
            );
            let span = self.value_span(node, holder);
            self.push(span, message, "not allowed", None);
            return;
        };
        if allowed.contains(&text) {
            return;
        }
        let mut message = format!(
            "{} is `{}`, which {} does not allow (allowed: {})",
            self.subject(),
            shorten(text),
            self.standard(),
            allowed.join(", ")
        );
        let other = choices.iter().find(|c| c.value == text);
        let mut help = crate::suggest::did_you_mean(text, allowed.iter().copied());
        if let Some(other) = other {
            let note = self.when_it_exists(other.versions);
            let _ = write!(message, "; `{text}` {note}");
            if other.versions.from > version {
                help = Some(format!(
                    "declare `{}: {}` (or later) to use it",
                    self.family.version_key,
                    quoted_version(self.family, self.first_in(other.versions))
                ));
            }
        }
        let span = self.value_span(node, holder);
        self.push(span, message, "not allowed", help);
    }

    /// The first known version in `range`.
    fn first_in(&self, range: schema::Range) -> Version {
        self.family
            .versions
            .iter()
            .copied()
            .find(|&v| range.holds(v))
            .unwrap_or(range.from)
    }

    /// "exists from v3.1.0", "exists up to v3.0.2".
    fn when_it_exists(&self, range: schema::Range) -> String {
        let known: Vec<Version> = self
            .family
            .versions
            .iter()
            .copied()
            .filter(|&v| range.holds(v))
            .collect();
        match (known.first(), known.last()) {
            (Some(&first), _) if first > self.version => {
                format!("exists from {}", self.family.show(first))
            }
            (_, Some(&last)) if last < self.version => {
                format!("exists up to {}", self.family.show(last))
            }
            _ => "exists in other versions".to_owned(),
        }
    }

    fn list(&mut self, node: NodeId, list: &schema::List, holder: Span) {
        let items = self.doc.items(node);
        let count = items.len();
        let wanted = match (list.min, list.max) {
            (Some(min), Some(max)) if min == max && count != min => Some(format!("exactly {min}")),
            (Some(min), _) if count < min => Some(format!("at least {min}")),
            (_, Some(max)) if count > max => Some(format!("at most {max}")),
            _ => None,
        };
        if let Some(wanted) = wanted {
            let message = format!(
                "{} has {count} {}, but {} wants {wanted} here",
                self.subject(),
                if count == 1 { "entry" } else { "entries" },
                self.standard()
            );
            let span = self.value_span(node, holder);
            self.push(span, message, "wrong length", None);
        }
        for (index, &item) in items.iter().enumerate() {
            if list.unique {
                let earlier = items
                    .get(..index)
                    .unwrap_or(&[])
                    .iter()
                    .position(|&e| same_value(self.doc, e, item));
                if let Some(earlier) = earlier {
                    let message = format!(
                        "entry #{} repeats entry #{}, but {} wants the entries of {} to be unique",
                        index + 1,
                        earlier + 1,
                        self.standard(),
                        self.subject()
                    );
                    let span = self.value_span(item, holder);
                    self.push(span, message, "repeated", None);
                }
            }
            let item_holder = first_line(self.doc, item);
            self.path.push(Seg::Index(index));
            self.value(item, list.items, item_holder);
            self.path.pop();
        }
    }

    fn map_of(&mut self, node: NodeId, map_of: &schema::MapOf, holder: Span) {
        let doc = self.doc;
        let entries = doc.entries(node);
        if entries.len() < map_of.min {
            let message = format!(
                "{} is empty, but {} wants at least {} entry here",
                self.subject(),
                self.standard(),
                map_of.min
            );
            let span = self.value_span(node, holder);
            self.push(span, message, "empty", None);
        }
        for entry in entries {
            let key = doc.text(&entry.key);
            if let Some(pattern) = map_of.names {
                if !pattern.matches(key) {
                    let message = format!(
                        "the name `{}` in {} is not allowed by {}: {}",
                        shorten(key),
                        self.subject(),
                        self.standard(),
                        pattern.words
                    );
                    self.push(entry.key_span, message, "name not allowed", None);
                }
            }
            self.path.push(Seg::Key(key));
            self.key_spans.push(entry.key_span);
            self.value(entry.value, map_of.values, entry.span());
            self.key_spans.pop();
            self.path.pop();
        }
    }

    /// Checks a mapping against a definition: unknown keys, each key's value, missing keys.
    fn object(&mut self, map: NodeId, def: &'static Def, holder: Span) {
        let doc = self.doc;
        let version = self.version;
        let mut defs: Vec<&'static Def> = vec![def];
        let mut at = 0;
        while let Some(&d) = defs.get(at) {
            for &included in d.includes {
                if !defs.iter().any(|x| std::ptr::eq(*x, included)) {
                    defs.push(included);
                }
            }
            at += 1;
        }
        let cases: Vec<&'static Case> = defs
            .iter()
            .flat_map(|d| d.cases.iter())
            .filter(|case| case.versions.holds(version) && self.applies(map, case))
            .collect();
        let keys_here = |name: &str| -> Vec<Key> {
            let mut found: Vec<Key> = cases
                .iter()
                .flat_map(|case| case.keys.iter())
                .chain(defs.iter().flat_map(|d| d.keys.iter()))
                .filter(|key| key.name == name && key.versions.holds(version))
                .copied()
                .collect();
            found.dedup_by(|a, b| a.name == b.name && same_shape(a.shape, b.shape));
            found
        };
        for entry in doc.entries(map) {
            let key = doc.text(&entry.key);
            let rules = keys_here(key);
            if rules.is_empty() {
                if def.closed.holds(version) {
                    self.unknown_key(map, def, &defs, &cases, key, entry.key_span);
                }
                continue;
            }
            if self.path.is_empty() && Some(entry.value) == self.skip_version_value {
                continue;
            }
            self.path.push(Seg::Key(key));
            self.key_spans.push(entry.key_span);
            for rule in rules {
                let before = self.issues.len();
                self.value(entry.value, rule.shape, entry.span());
                if self.issues.len() > before {
                    break;
                }
            }
            self.key_spans.pop();
            self.path.pop();
        }
        // Missing keys, each once, with the case that requires it (a `postgres` server).
        let mut missing: Vec<(&str, Option<&Case>)> = Vec::new();
        let required = cases
            .iter()
            .flat_map(|case| case.keys.iter().map(move |k| (k, Some(*case))))
            .chain(defs.iter().flat_map(|d| d.keys.iter().map(|k| (k, None))));
        for (key, case) in required {
            if key.required.holds(version)
                && key.versions.holds(version)
                && doc.entry(map, key.name).is_none()
                && !missing.iter().any(|(name, _)| *name == key.name)
            {
                missing.push((key.name, case));
            }
        }
        // A missing key is reported at the key of the mapping that lacks it.
        let at = match self.path.last() {
            Some(Seg::Key(_)) => self.key_spans.last().copied().unwrap_or(holder),
            _ => holder,
        };
        // One finding per mapping: "has no `name` and `version`".
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|(n, _)| format!("`{n}`")).collect();
            let message = format!(
                "{} has no {}, which {} requires",
                self.describe(map, def),
                and_list(&names),
                self.standard()
            );
            let because = missing
                .iter()
                .find_map(|(_, case)| {
                    let case = (*case)?;
                    let value = doc.get(map, case.key).and_then(|v| doc.str(v))?;
                    Some(format!(
                        " (required for a {} whose `{}` is `{value}`)",
                        def.noun, case.key
                    ))
                })
                .unwrap_or_default();
            let adds: Vec<String> = missing.iter().map(|(n, _)| format!("`{n}:`")).collect();
            let help = format!("add {} to the {}{because}", and_list(&adds), def.noun);
            self.push(at, message, "missing key", Some(help));
        }
        for case in &cases {
            if case.one_of.is_empty() {
                continue;
            }
            let present: Vec<&crate::document::Entry> = doc
                .entries(map)
                .iter()
                .filter(|e| case.one_of.contains(&doc.text(&e.key)))
                .collect();
            match present.as_slice() {
                [_] => {}
                [] => {
                    let message = format!(
                        "{} has none of {}, and {} requires exactly one",
                        self.describe(map, def),
                        names(case.one_of),
                        self.standard()
                    );
                    self.push(at, message, "missing key", None);
                }
                [first, second, ..] => {
                    let message = format!(
                        "{} has both `{}` and `{}`, but {} allows only one of {}",
                        self.describe(map, def),
                        doc.text(&first.key),
                        doc.text(&second.key),
                        self.standard(),
                        names(case.one_of)
                    );
                    self.push(second.key_span, message, "one too many", None);
                }
            }
        }
    }

    /// Whether a case applies to `map` (its key has one of the case's values, or is absent
    /// when the case allows that).
    fn applies(&self, map: NodeId, case: &Case) -> bool {
        if let Some(other) = case.or_has {
            if self
                .doc
                .get(map, other)
                .is_some_and(|v| self.doc.str(v).is_some())
            {
                return true;
            }
        }
        match self.doc.get(map, case.key) {
            None => case.when_absent,
            Some(value) => self
                .doc
                .str(value)
                .is_some_and(|text| case.values.contains(&text)),
        }
    }

    fn unknown_key(
        &mut self,
        map: NodeId,
        def: &Def,
        defs: &[&'static Def],
        cases: &[&'static Case],
        key: &str,
        span: Span,
    ) {
        let version = self.version;
        // A key of another value of a discriminator that is itself not allowed (`catalog` on a
        // server whose `type` is misspelt): the discriminator's finding says it all.
        let doc = self.doc;
        let of_invalid_case = defs.iter().flat_map(|d| d.cases.iter()).any(|case| {
            case.versions.holds(version)
                && case.keys.iter().any(|k| k.name == key)
                && doc.get(map, case.key).is_some_and(|value| {
                    !defs
                        .iter()
                        .flat_map(|d| d.cases.iter())
                        .any(|other| other.key == case.key && self.applies(map, other))
                        && doc.str(value).is_some()
                })
        });
        if of_invalid_case {
            return;
        }
        let allowed: Vec<&str> = {
            let mut names: Vec<&str> = defs
                .iter()
                .flat_map(|d| d.keys.iter())
                .chain(cases.iter().flat_map(|c| c.keys.iter()))
                .filter(|k| k.versions.holds(version))
                .map(|k| k.name)
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        };
        let mut message = format!(
            "`{key}` is not a key of {} in {}",
            self.describe(map, def),
            self.standard()
        );
        // A key of another version of the standard, or of another case (a server type).
        let elsewhere = defs
            .iter()
            .flat_map(|d| d.keys.iter())
            .chain(
                defs.iter()
                    .flat_map(|d| d.cases.iter())
                    .flat_map(|c| c.keys.iter()),
            )
            .find(|k| k.name == key && !k.versions.holds(version));
        let mut help = crate::suggest::did_you_mean(key, allowed.iter().copied());
        if let Some(other) = elsewhere {
            let note = self.when_it_exists(other.versions);
            let _ = write!(message, "; `{key}` {note}");
            if other.versions.from > version {
                help = Some(format!(
                    "declare `{}: {}` (or later) to use it",
                    self.family.version_key,
                    quoted_version(self.family, self.first_in(other.versions))
                ));
            }
        }
        let help = help.unwrap_or_else(|| {
            let shown: Vec<String> = allowed.iter().take(12).map(|k| format!("`{k}`")).collect();
            let more = if allowed.len() > 12 { ", ..." } else { "" };
            format!(
                "keys allowed here: {}{more}; {}",
                shown.join(", "),
                self.family.extensions
            )
        });
        let issue = Issue::new(BuiltinRule::SchemaViolation, span, message, "unknown key")
            .with_help(help)
            .unknown_key();
        self.issues.push(Issue {
            about: Some(span),
            ..issue
        });
    }
}

/// `"v3.1.0"` as a YAML value: quoted when it would not read as text (`1.2.1` does).
fn quoted_version(family: &Family, v: Version) -> String {
    let shown = family.show(v);
    if family.v_prefix {
        shown
    } else {
        format!("\"{shown}\"")
    }
}

/// "`a`, `b` and `c`".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "`a`, `b` or `c`" for the kinds wanted.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => "nothing".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// "`mustBe`, `mustNotBe`, ...".
fn names(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    quoted.join(", ")
}

/// A text cut to 60 characters, on one line.
fn shorten(text: &str) -> String {
    let one_line: String = text
        .chars()
        .take(60)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > 60 {
        format!("{one_line}...")
    } else {
        one_line
    }
}

/// The first `key: value` of a mapping, else the node itself: where to point at a list item.
fn first_line(doc: &Document, node: NodeId) -> Span {
    doc.entries(node)
        .first()
        .map_or_else(|| doc.span(node), crate::document::Entry::span)
}

/// Whether two shapes are the same rule (to check a key once when two definitions share it).
fn same_shape(a: Shape, b: Shape) -> bool {
    match (a, b) {
        (Shape::Obj(x), Shape::Obj(y)) => std::ptr::eq(x, y),
        (Shape::List(x), Shape::List(y)) => std::ptr::eq(x, y),
        (Shape::Str, Shape::Str)
        | (Shape::Num, Shape::Num)
        | (Shape::Bool, Shape::Bool)
        | (Shape::Any, Shape::Any)
        | (Shape::AnyMap, Shape::AnyMap) => true,
        _ => false,
    }
}

/// JSON equality of two values (for `uniqueItems`).
fn same_value(doc: &Document, a: NodeId, b: NodeId) -> bool {
    match (&doc.node(a).kind, &doc.node(b).kind) {
        (NodeKind::Null, NodeKind::Null) => true,
        (NodeKind::Bool(x), NodeKind::Bool(y)) => x == y,
        (NodeKind::Int(x), NodeKind::Int(y)) => x == y,
        #[expect(
            clippy::cast_precision_loss,
            reason = "JSON numbers compare as numbers"
        )]
        (NodeKind::Int(x), NodeKind::Float(y)) | (NodeKind::Float(y), NodeKind::Int(x)) => {
            (*x as f64) == *y
        }
        (NodeKind::Float(x), NodeKind::Float(y)) => x == y,
        (NodeKind::Str(x), NodeKind::Str(y)) => doc.text(x) == doc.text(y),
        (NodeKind::Seq(_), NodeKind::Seq(_)) => {
            let (xs, ys) = (doc.items(a), doc.items(b));
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(&x, &y)| same_value(doc, x, y))
        }
        (NodeKind::Map(_), NodeKind::Map(_)) => {
            let (xs, ys) = (doc.entries(a), doc.entries(b));
            xs.len() == ys.len()
                && xs.iter().all(|x| {
                    doc.get(b, doc.text(&x.key))
                        .is_some_and(|y| same_value(doc, x.value, y))
                })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for pattern in [
            &odcs_v3::STABLE_ID_310,
            &odcs_v3::STABLE_ID_320,
            &odcs_v3::REFERENCE_310,
            &odcs_v3::REFERENCE_320,
            &odcs_v3::SFTP_LOCATION,
            &odcs_v2::API_VERSION,
            &dcs::NAME,
            &dcs::DEFINITION_NAME,
            &dcs::PERCENTAGE,
        ] {
            assert!(pattern.compiles(), "{}", pattern.source());
        }
    }

    #[test]
    fn versions_parse_and_the_closest_applies() {
        assert_eq!(Version::parse("v3.0.2"), Some(Version(3, 0, 2)));
        assert_eq!(Version::parse("1.2"), Some(Version(1, 2, 0)));
        assert_eq!(Version::parse("3.x"), None);
        let family = &odcs_v3::ODCS_V3;
        assert_eq!(family.closest(Version(3, 0, 5)), Version(3, 0, 2));
        assert_eq!(family.closest(Version(3, 3, 0)), Version(3, 2, 0));
        assert_eq!(family.closest(Version(2, 0, 0)), Version(3, 0, 0));
    }
}
