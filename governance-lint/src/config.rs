//! `governance.toml`: where it is, what it may say, and what is wrong with it.
//!
//! ```toml
//! policies = ["policies", "../central/policies"]   # files or directories
//! include = ["contracts/**"]                       # globs, relative to this file
//! exclude = ["**/examples/**"]
//! format = "human"                                 # human | json | github | sarif | junit
//! fail-on = "error"                                # error | warning | info | never
//! max-file-bytes = 16777216
//! strict = true                                    # fail closed (see `--strict`)
//! custom-names = ["x-hr.legal-basis"]              # raw paths the policies use on purpose
//! allow-empty = false                              # true: a path or glob may select nothing
//!
//! [rules]
//! owner-is-email = "off"                           # off | error | warning | info
//! freshness-declared = "info"
//!
//! [limits]                                         # what a hostile file may cost
//! max-depth = 128
//! max-nodes = 1000000
//! max-string-bytes = 1048576
//! max-documents = 1000
//!
//! [waivers]
//! expiry-warning-days = 30                         # warn this long before a waiver expires
//! max-days = 365                                   # no waiver may last longer than this
//!
//! [conformance]                                    # is each contract valid for its standard?
//! odcs-v3 = "error"                                # per standard: off | error | warning | info
//! dcs = "warning"                                  # (odcs-v3, odcs-v2, dcs, odps, dpds)
//! allow-unknown-keys = false                       # true: keys a standard lacks are not reported
//!
//! [references]                                     # files a contract refers to
//! allow-urls = false                               # true: URL references accepted unread
//!
//! [[packs]]                                        # a policy pack from a git repository
//! git = "https://git.example.com/governance/policies.git"
//! rev = "v1.4.0"                                   # tag, branch or full commit id
//! path = "global"                                  # folder inside it (default: its root)
//!
//! [breaking]                                       # `governance-lint breaking` and `diff`
//! use = ["schema", "governance", "sla", "interface", "version"]   # categories of change rules
//! except = ["version-not-bumped"]                  # change rules left out
//! ```
//!
//! Paths and globs are relative to the directory of the file. An unknown key is an error that
//! names it and suggests the closest valid key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use governance_core::{
    ConfigureError, Conformance, Format, Limits, PolicySet, RuleSetting, SourceFile, Span,
};
use serde::Deserialize;
use toml::Spanned;

use crate::args::{FailOn, OutputFormat};

/// The name looked for.
pub const FILE_NAME: &str = "governance.toml";

/// The keys allowed at the top level.
const KEYS: [&str; 16] = [
    "policies",
    "custom-names",
    "include",
    "exclude",
    "format",
    "fail-on",
    "max-file-bytes",
    "strict",
    "allow-empty",
    "rules",
    "limits",
    "waivers",
    "conformance",
    "references",
    "packs",
    "breaking",
];

/// The keys allowed in `[breaking]`.
const BREAKING_KEYS: [&str; 2] = ["use", "except"];

/// The keys allowed in `[limits]`.
const LIMIT_KEYS: [&str; 4] = [
    "max-depth",
    "max-nodes",
    "max-string-bytes",
    "max-documents",
];

/// The keys allowed in `[waivers]`.
const WAIVER_KEYS: [&str; 2] = ["expiry-warning-days", "max-days"];

/// The keys allowed in `[conformance]`: the standards checked, and `allow-unknown-keys`.
const CONFORMANCE_KEYS: [&str; 6] = [
    "odcs-v3",
    "odcs-v2",
    "dcs",
    "odps",
    "dpds",
    "allow-unknown-keys",
];

/// The keys allowed in a `[[packs]]` entry.
const PACK_KEYS: [&str; 3] = ["git", "rev", "path"];

/// The keys allowed in `[references]`.
const REFERENCE_KEYS: [&str; 1] = ["allow-urls"];

/// The values a rule may be set to in `[rules]`.
const SETTINGS: [&str; 4] = ["off", "error", "warning", "info"];

/// A parsed, checked `governance.toml`.
#[derive(Debug)]
pub struct Config {
    /// The file (named as in messages: relative to the current directory when possible).
    pub source: Arc<SourceFile>,
    /// The file, absolute.
    pub path: PathBuf,
    /// Its directory, absolute: paths and globs in the file are relative to it.
    pub dir: PathBuf,
    /// `policies`, resolved against [`Config::dir`].
    pub policies: Option<Vec<PathBuf>>,
    /// `include` globs (relative to [`Config::dir`]).
    pub include: Option<Vec<String>>,
    /// `exclude` globs (relative to [`Config::dir`]).
    pub exclude: Option<Vec<String>>,
    /// `format`.
    pub format: Option<OutputFormat>,
    /// `fail-on`.
    pub fail_on: Option<FailOn>,
    /// `max-file-bytes`.
    pub max_file_bytes: Option<u64>,
    /// `allow-empty`.
    pub allow_empty: Option<bool>,
    /// `[rules]`, in file order.
    pub rules: Vec<RuleOverride>,
    /// `[limits]`, over the engine's defaults.
    pub limits: Limits,
    /// `[waivers] expiry-warning-days`.
    pub expiry_warning_days: Option<i64>,
    /// `[waivers] max-days`.
    pub max_waiver_days: Option<i64>,
    /// `strict`.
    pub strict: bool,
    /// `custom-names`: raw paths the policies rely on on purpose.
    pub custom_names: Vec<String>,
    /// `[conformance]`: per standard a severity or off, and `allow-unknown-keys`.
    pub conformance: Conformance,
    /// `[references] allow-urls`: references to URLs are accepted unread.
    pub allow_urls: bool,
    /// `[[packs]]`: policy packs from git repositories, in file order.
    pub packs: Vec<PackSpec>,
    /// `[breaking] use`: the categories of change rules to run (`None`: all), with where
    /// each is written.
    pub breaking_use: Option<(Vec<String>, Span)>,
    /// `[breaking] except`: change rules left out, with where each is written.
    pub breaking_except: Vec<(String, Span)>,
}

/// One `[[packs]]` entry: a folder of a git repository at a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSpec {
    /// `git` as written: the pack's name in messages and in governance.lock.
    pub git: String,
    /// What git is given: `git`, or for a relative local path, that path made absolute
    /// against the configuration's directory.
    pub url: String,
    /// `rev`: a tag, a branch or a full commit id.
    pub rev: String,
    /// `path`: the folder inside the repository, with `/` separators and no `.` or `..`;
    /// empty for the repository's root.
    pub path: String,
    /// The entry in the configuration file, for messages.
    pub span: Span,
}

/// One line of `[rules]`.
#[derive(Debug, Clone)]
pub struct RuleOverride {
    /// The rule id.
    pub rule: String,
    /// What to do with it.
    pub setting: RuleSetting,
    /// The line, for messages.
    pub span: Span,
}

/// What is wrong with a configuration file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// It cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(config::io))]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// It is not TOML, or a value has the wrong type.
    #[error("{message}")]
    #[diagnostic(code(config::syntax))]
    Syntax {
        /// The TOML parser's message.
        message: String,
        /// Where.
        #[label("here")]
        span: Span,
        /// The file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A key that the configuration does not know.
    #[error("unknown key `{key}` in {section}")]
    #[diagnostic(code(config::unknown_key))]
    UnknownKey {
        /// The key as written.
        key: String,
        /// `governance.toml` or `[rules]`...
        section: String,
        /// Where.
        #[label("unknown key")]
        span: Span,
        /// The closest valid key, or the list of valid keys.
        #[help]
        help: String,
        /// The file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A `[rules]` value that is not `off`, `error`, `warning` or `info`.
    #[error("rule `{rule}` is set to `{value}`, which is not a rule setting")]
    #[diagnostic(code(config::bad_setting))]
    BadSetting {
        /// The rule id.
        rule: String,
        /// The value as written.
        value: String,
        /// Where.
        #[label("expected `off`, `error`, `warning` or `info`")]
        span: Span,
        /// The closest setting, when one is close.
        #[help]
        help: Option<String>,
        /// The file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A `[rules]` line the policies refuse: it names no rule, or tries to switch off or lower
    /// a `mandatory` one. What and why are the engine's ([`ConfigureError`]); where is here.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rule(RuleLineError),
    /// `[breaking] use` names something that is not a category of change rules.
    #[error("`{value}` is not a category of change rules")]
    #[diagnostic(code(config::unknown_category))]
    UnknownCategory {
        /// The value as written.
        value: String,
        /// Where.
        #[label("not a category")]
        span: Span,
        /// The closest category, or the list.
        #[help]
        help: String,
        /// The file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// A `[[packs]]` entry that cannot name a pack.
    #[error("{message}")]
    #[diagnostic(code(config::bad_pack))]
    BadPack {
        /// What is wrong.
        message: String,
        /// Where.
        #[label("{label}")]
        span: Span,
        /// What the label says.
        label: String,
        /// How to write it.
        #[help]
        help: Option<String>,
        /// The file.
        #[source_code]
        src: Arc<SourceFile>,
    },
}

/// A `[rules]` line that the policies refuse: the engine's error (its message, code and help),
/// at the line of governance.toml that asked for it.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct RuleLineError {
    /// What the policies said.
    pub error: ConfigureError,
    /// The `rule = "setting"` line.
    span: Span,
    /// The file.
    src: Arc<SourceFile>,
}

impl miette::Diagnostic for RuleLineError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.error.code()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.error.help()
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.src.as_ref())
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let text = match self.error {
            ConfigureError::UnknownRule { .. } => "no rule has this id",
            ConfigureError::Mandatory { .. } => "refused: the rule is mandatory",
        };
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(text.to_owned()), self.span),
        )))
    }
}

/// The typed part of the file; the keys were checked before it is read.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Raw {
    policies: Option<Vec<String>>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    format: Option<OutputFormat>,
    fail_on: Option<FailOn>,
    max_file_bytes: Option<u64>,
    allow_empty: Option<bool>,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    custom_names: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    waivers: RawWaivers,
    #[serde(default)]
    conformance: RawConformance,
    #[serde(default)]
    packs: Vec<Spanned<RawPack>>,
    #[serde(default)]
    breaking: RawBreaking,
    #[serde(default)]
    references: RawReferences,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawBreaking {
    #[serde(rename = "use")]
    use_categories: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    except: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawReferences {
    allow_urls: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConformance {
    odcs_v3: Option<Spanned<String>>,
    odcs_v2: Option<Spanned<String>>,
    dcs: Option<Spanned<String>>,
    odps: Option<Spanned<String>>,
    dpds: Option<Spanned<String>>,
    allow_unknown_keys: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct RawPack {
    git: Option<Spanned<String>>,
    rev: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawLimits {
    max_depth: Option<usize>,
    max_nodes: Option<u64>,
    max_string_bytes: Option<usize>,
    max_documents: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawWaivers {
    expiry_warning_days: Option<i64>,
    max_days: Option<i64>,
}

/// The `governance.toml` that applies in `cwd`: the first one found from `cwd` up to the
/// repository root (the first directory holding `.git`), or up to the filesystem root outside
/// a repository.
pub fn find(cwd: &Path) -> Option<PathBuf> {
    for dir in cwd.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Reads and checks the file at `path` (relative to `cwd` or absolute).
pub fn load(path: &Path, cwd: &Path) -> Result<Config, Vec<ConfigError>> {
    let absolute = crate::paths::normalize(&cwd.join(path));
    let shown = crate::paths::relative_to(&absolute, cwd);
    let text = std::fs::read_to_string(&absolute).map_err(|error| {
        vec![ConfigError::Io {
            path: shown.clone(),
            reason: error.to_string(),
        }]
    })?;
    let source = Arc::new(SourceFile::new(shown, text));
    parse(source, absolute, cwd)
}

/// Checks the keys (every unknown key is reported, in file order), then reads the values.
/// Paths are resolved against the file's directory and named relative to `cwd` when they can
/// be (so that messages show `../policies/pii.policy`).
fn parse(source: Arc<SourceFile>, path: PathBuf, cwd: &Path) -> Result<Config, Vec<ConfigError>> {
    let unknown = unknown_keys(&source)?;
    if !unknown.is_empty() {
        return Err(unknown);
    }
    read(source, path, cwd).map_err(|error| vec![error])
}

/// The TOML parser's error, located in the file.
fn syntax(source: &Arc<SourceFile>, error: &toml::de::Error) -> ConfigError {
    ConfigError::Syntax {
        message: error.message().trim_end().to_owned(),
        span: error
            .span()
            .map_or_else(|| Span::empty(0), |r| Span::new(r.start, r.end)),
        src: source.clone(),
    }
}

/// Every key the configuration does not know, at the top level and in its sections, sorted by
/// position; a file that is not TOML is its syntax error.
fn unknown_keys(source: &Arc<SourceFile>) -> Result<Vec<ConfigError>, Vec<ConfigError>> {
    let table =
        toml::de::DeTable::parse(source.text()).map_err(|error| vec![syntax(source, &error)])?;
    let mut unknown = Vec::new();
    for (key, value) in table.get_ref() {
        if !KEYS.contains(&key.get_ref().as_ref()) {
            unknown.push(ConfigError::UnknownKey {
                key: key.get_ref().to_string(),
                section: format!("`{}`", source.name()),
                span: Span::new(key.span().start, key.span().end),
                help: suggest(key.get_ref(), &KEYS, "valid keys"),
                src: source.clone(),
            });
            continue;
        }
        let allowed: &[&str] = match key.get_ref().as_ref() {
            "limits" => &LIMIT_KEYS,
            "waivers" => &WAIVER_KEYS,
            "conformance" => &CONFORMANCE_KEYS,
            "references" => &REFERENCE_KEYS,
            "packs" => &PACK_KEYS,
            "breaking" => &BREAKING_KEYS,
            _ => continue,
        };
        let tables: Vec<&toml::de::DeTable<'_>> = match value.get_ref() {
            toml::de::DeValue::Table(inner) => vec![inner],
            toml::de::DeValue::Array(items) => items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    toml::de::DeValue::Table(inner) => Some(inner),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let section = match key.get_ref().as_ref() {
            "packs" => "`[[packs]]`".to_owned(),
            name => format!("`[{name}]`"),
        };
        for inner in tables {
            for (inner_key, _) in inner {
                if !allowed.contains(&inner_key.get_ref().as_ref()) {
                    unknown.push(ConfigError::UnknownKey {
                        key: inner_key.get_ref().to_string(),
                        section: section.clone(),
                        span: Span::new(inner_key.span().start, inner_key.span().end),
                        help: suggest(inner_key.get_ref(), allowed, "valid keys"),
                        src: source.clone(),
                    });
                }
            }
        }
    }
    unknown.sort_by_key(|error| match error {
        ConfigError::UnknownKey { span, .. } => span.start(),
        _ => 0,
    });
    Ok(unknown)
}

/// Reads the values of a file whose keys are all known.
fn read(source: Arc<SourceFile>, path: PathBuf, cwd: &Path) -> Result<Config, ConfigError> {
    let dir = path
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let raw: Raw = toml::from_str(source.text()).map_err(|error| syntax(&source, &error))?;
    let mut rules = Vec::new();
    for (rule, value) in &raw.rules {
        let setting =
            value
                .get_ref()
                .parse::<RuleSetting>()
                .map_err(|_| ConfigError::BadSetting {
                    rule: rule.get_ref().clone(),
                    value: value.get_ref().clone(),
                    span: Span::new(value.span().start, value.span().end),
                    help: closest(value.get_ref(), &SETTINGS)
                        .map(|c| format!("did you mean `{c}`?")),
                    src: source.clone(),
                })?;
        rules.push(RuleOverride {
            rule: rule.get_ref().clone(),
            setting,
            span: Span::new(rule.span().start, value.span().end),
        });
    }
    rules.sort_by_key(|r| r.span);
    let mut conformance = Conformance::default()
        .allowing_unknown_keys(raw.conformance.allow_unknown_keys.unwrap_or(false));
    for (format, value) in [
        (Format::OdcsV3, &raw.conformance.odcs_v3),
        (Format::OdcsV2, &raw.conformance.odcs_v2),
        (Format::Dcs, &raw.conformance.dcs),
        (Format::Odps, &raw.conformance.odps),
        (Format::Dpds, &raw.conformance.dpds),
    ] {
        let Some(value) = value else {
            continue;
        };
        let setting =
            value
                .get_ref()
                .parse::<RuleSetting>()
                .map_err(|_| ConfigError::BadSetting {
                    rule: format!("[conformance] {format}"),
                    value: value.get_ref().clone(),
                    span: Span::new(value.span().start, value.span().end),
                    help: closest(value.get_ref(), &SETTINGS)
                        .map(|c| format!("did you mean `{c}`?")),
                    src: source.clone(),
                })?;
        conformance = conformance.with_severity(
            format,
            match setting {
                RuleSetting::Severity(severity) => Some(severity),
                _ => None,
            },
        );
    }
    let mut packs: Vec<PackSpec> = Vec::new();
    for raw_pack in &raw.packs {
        let pack = pack(raw_pack, &dir, &source)?;
        if let Some(first) = packs
            .iter()
            .find(|p| (&p.git, &p.rev, &p.path) == (&pack.git, &pack.rev, &pack.path))
        {
            let line = source.position(first.span.start()).line;
            return Err(ConfigError::BadPack {
                message: format!("pack `{}` is listed twice", pack.git),
                span: pack.span,
                label: "the same repository, revision and folder".to_owned(),
                help: Some(format!("it is already listed on line {line}; remove one")),
                src: source.clone(),
            });
        }
        packs.push(pack);
    }
    let span_of = |spanned: std::ops::Range<usize>| Span::new(spanned.start, spanned.end);
    let breaking_use = match &raw.breaking.use_categories {
        Some(list) => {
            let mut categories = Vec::new();
            for category in list.get_ref() {
                if !governance_core::CHANGE_CATEGORIES.contains(&category.get_ref().as_str()) {
                    return Err(ConfigError::UnknownCategory {
                        value: category.get_ref().clone(),
                        span: span_of(category.span()),
                        help: suggest(
                            category.get_ref(),
                            &governance_core::CHANGE_CATEGORIES,
                            "the categories are",
                        ),
                        src: source.clone(),
                    });
                }
                categories.push(category.get_ref().clone());
            }
            Some((categories, span_of(list.span())))
        }
        None => None,
    };
    let breaking_except = raw
        .breaking
        .except
        .iter()
        .map(|id| (id.get_ref().clone(), span_of(id.span())))
        .collect();
    Ok(Config {
        breaking_use,
        breaking_except,
        policies: raw.policies.map(|paths| {
            paths
                .iter()
                .map(|p| {
                    let absolute = crate::paths::normalize(&dir.join(p));
                    PathBuf::from(crate::paths::relative_to(&absolute, cwd))
                })
                .collect()
        }),
        include: raw.include,
        exclude: raw.exclude,
        format: raw.format,
        fail_on: raw.fail_on,
        max_file_bytes: raw.max_file_bytes,
        allow_empty: raw.allow_empty,
        rules,
        limits: {
            let mut limits = Limits::default();
            if let Some(depth) = raw.limits.max_depth {
                limits.max_depth = depth;
            }
            if let Some(nodes) = raw.limits.max_nodes {
                limits.max_nodes = nodes;
            }
            if let Some(bytes) = raw.limits.max_string_bytes {
                limits.max_string_bytes = bytes;
            }
            if let Some(documents) = raw.limits.max_documents {
                limits.max_documents = documents;
            }
            limits
        },
        expiry_warning_days: raw.waivers.expiry_warning_days,
        max_waiver_days: raw.waivers.max_days,
        strict: raw.strict,
        custom_names: raw.custom_names,
        conformance,
        allow_urls: raw.references.allow_urls.unwrap_or(false),
        packs,
        source,
        path,
        dir,
    })
}

/// Checks one `[[packs]]` entry: `git` and `rev` are required and cannot be taken for options
/// or refspecs, `path` stays inside the repository.
fn pack(
    raw: &Spanned<RawPack>,
    dir: &Path,
    source: &Arc<SourceFile>,
) -> Result<PackSpec, ConfigError> {
    let entry = Span::new(raw.span().start, raw.span().end);
    let bad = |message: String, span: Span, label: &str, help: &str| ConfigError::BadPack {
        message,
        span,
        label: label.to_owned(),
        help: Some(help.to_owned()),
        src: source.clone(),
    };
    let spanned = |value: &Spanned<String>| Span::new(value.span().start, value.span().end);
    let inner = raw.get_ref();
    let Some(git) = &inner.git else {
        return Err(bad(
            "a pack needs `git`, the repository to fetch it from".to_owned(),
            entry,
            "no `git`",
            "add `git = \"https://git.example.com/governance/policies.git\"` (any URL git understands, or a path)",
        ));
    };
    let Some(rev) = &inner.rev else {
        return Err(bad(
            format!("pack `{}` needs `rev`, the revision to use", git.get_ref()),
            entry,
            "no `rev`",
            "pin it: `rev = \"v1.4.0\"` (a tag, a branch or a full commit id)",
        ));
    };
    let url_text = git.get_ref().trim();
    if url_text.is_empty() || url_text.starts_with('-') || url_text.chars().any(char::is_control) {
        return Err(bad(
            format!("`{}` is not a git repository address", git.get_ref()),
            spanned(git),
            "not a repository",
            "write a URL (`https://...`, `ssh://...`, `file:///...`) or a path",
        ));
    }
    let rev_text = rev.get_ref().trim();
    let odd = |c: char| c.is_whitespace() || c.is_control() || ":^~?*[\\".contains(c);
    if rev_text.is_empty()
        || rev_text.starts_with('-')
        || rev_text.contains("..")
        || rev_text.chars().any(odd)
    {
        return Err(bad(
            format!("`{}` is not a tag, branch or commit id", rev.get_ref()),
            spanned(rev),
            "not a revision",
            "write a tag (`v1.4.0`), a branch (`main`) or a full commit id",
        ));
    }
    let folder = match &inner.path {
        None => String::new(),
        Some(path) => {
            let text = path.get_ref().replace('\\', "/");
            let mut parts = Vec::new();
            for part in text.split('/') {
                match part {
                    "" | "." => {}
                    ".." | ".git" => {
                        return Err(bad(
                            format!("pack folder `{}` leaves the repository", path.get_ref()),
                            spanned(path),
                            "not a folder inside the repository",
                            "name a folder of the repository, relative to its root: `path = \"global\"`",
                        ))
                    }
                    part if part.chars().any(char::is_control) || part.contains(':') => {
                        return Err(bad(
                            format!("`{}` is not a folder name", path.get_ref()),
                            spanned(path),
                            "not a folder name",
                            "name a folder of the repository, relative to its root: `path = \"global\"`",
                        ))
                    }
                    part => parts.push(part),
                }
            }
            if text.starts_with('/') {
                return Err(bad(
                    format!("pack folder `{}` is absolute", path.get_ref()),
                    spanned(path),
                    "relative to the repository's root",
                    "name a folder of the repository, relative to its root: `path = \"global\"`",
                ));
            }
            parts.join("/")
        }
    };
    Ok(PackSpec {
        git: url_text.to_owned(),
        url: fetch_address(url_text, dir),
        rev: rev_text.to_owned(),
        path: folder,
        span: entry,
    })
}

/// What git is given for `git`: a URL (`scheme://...`), an scp-like address (`host:path`) or
/// an absolute path as written; a relative path made absolute against `dir`, so that it means
/// the same from any working directory.
fn fetch_address(git: &str, dir: &Path) -> String {
    let path = Path::new(git);
    if git.contains("://") || path.is_absolute() {
        return git.to_owned();
    }
    // `host:path` (scp-like) when a colon comes before the first slash.
    let colon = git.find(':');
    let slash = git.find('/');
    if colon.is_some_and(|colon| slash.is_none_or(|slash| colon < slash)) {
        return git.to_owned();
    }
    crate::paths::normalize(&dir.join(path))
        .to_string_lossy()
        .into_owned()
}

impl Config {
    /// Applies `[breaking] use` and `except` to the change rules of `policies`: a change rule
    /// outside the categories used (rules without a category are always used), or excepted,
    /// is switched off. An unknown id in `except`, or a mandatory rule left out, is an error.
    pub fn select_changes(&self, policies: &mut PolicySet) -> Vec<ConfigError> {
        let origin = format!("`[breaking]` of `{}`", self.source.name());
        let mut errors = Vec::new();
        let mut off: Vec<(String, Span)> = Vec::new();
        for (id, span) in &self.breaking_except {
            let known = policies.rules().any(|r| r.id() == id && r.is_change());
            if known {
                off.push((id.clone(), *span));
            } else {
                let ids: Vec<&str> = policies
                    .rules()
                    .filter(|r| r.is_change())
                    .map(|r| r.id())
                    .collect();
                errors.push(ConfigError::Rule(RuleLineError {
                    error: ConfigureError::UnknownRule {
                        rule: id.clone(),
                        origin: origin.clone(),
                        help: governance_core::closest(id, ids.iter().copied())
                            .map(|c| format!("did you mean `{c}`?")),
                    },
                    span: *span,
                    src: self.source.clone(),
                }));
            }
        }
        if let Some((categories, span)) = &self.breaking_use {
            for rule in policies.rules() {
                let left_out = rule
                    .category()
                    .is_some_and(|c| !categories.iter().any(|u| u == c));
                if rule.is_change() && left_out && !off.iter().any(|(id, _)| id == rule.id()) {
                    off.push((rule.id().to_owned(), *span));
                }
            }
        }
        for (id, span) in off {
            if let Err(error) = policies.configure(&id, RuleSetting::Off, &origin) {
                errors.push(ConfigError::Rule(RuleLineError {
                    error,
                    span,
                    src: self.source.clone(),
                }));
            }
        }
        errors
    }

    /// Applies `[rules]` to `policies`; every refused setting is an error.
    pub fn configure(&self, policies: &mut PolicySet) -> Vec<ConfigError> {
        let origin = format!("`{}`", self.source.name());
        let mut errors = Vec::new();
        for line in &self.rules {
            let Err(error) = policies.configure(&line.rule, line.setting, &origin) else {
                continue;
            };
            errors.push(ConfigError::Rule(RuleLineError {
                error,
                span: line.span,
                src: self.source.clone(),
            }));
        }
        errors
    }
}

/// "did you mean `x`?" when a candidate is close, else the list of candidates.
fn suggest(word: &str, candidates: &[&str], what: &str) -> String {
    match closest(word, candidates) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "{what}: {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The candidate within a small edit distance of `word` (as the engine suggests rule ids), or
/// that `word` abbreviates (`warn`).
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase().replace('_', "-");
    if lower.len() >= 3 {
        if let Some(longer) = candidates.iter().find(|c| c.starts_with(&lower)) {
            return Some(longer);
        }
    }
    governance_core::closest(&lower, candidates.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Config, ConfigError> {
        parsed_all(text).map_err(|mut errors| errors.remove(0))
    }

    fn parsed_all(text: &str) -> Result<Config, Vec<ConfigError>> {
        parse(
            Arc::new(SourceFile::new(FILE_NAME, text)),
            PathBuf::from("/repo").join(FILE_NAME),
            Path::new("/repo/contracts"),
        )
    }

    #[test]
    fn every_unknown_key_is_reported_in_file_order() {
        let text = "fail_on = \"error\"\n[limits]\nmax-deph = 3\n[waivers]\nmax-day = 9\n[rules]\nx = \"off\"\nincldue = 1\n";
        let keys: Vec<(String, String)> = match parsed_all(text) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .map(|error| match error {
                    ConfigError::UnknownKey { key, section, .. } => (key, section),
                    other => (other.to_string(), String::new()),
                })
                .collect(),
        };
        let keys: Vec<(&str, &str)> = keys.iter().map(|(k, s)| (k.as_str(), s.as_str())).collect();
        assert_eq!(
            keys,
            [
                ("fail_on", "`governance.toml`"),
                ("max-deph", "`[limits]`"),
                ("max-day", "`[waivers]`"),
            ]
        );
    }

    #[test]
    fn references_allow_urls_is_read_and_off_by_default() {
        let on = parsed("[references]\nallow-urls = true\n");
        assert!(matches!(on, Ok(ref c) if c.allow_urls), "{on:?}");
        let off = parsed("strict = false\n");
        assert!(matches!(off, Ok(ref c) if !c.allow_urls), "{off:?}");
        let typo = parsed("[references]\nallow-url = true\n");
        assert!(typo.is_err(), "{typo:?}");
    }

    #[test]
    fn every_key_is_read_and_paths_are_relative_to_the_file() {
        let config = parsed(
            "policies = [\"policies\"]\ninclude = [\"a/**\"]\nexclude = [\"b/**\"]\nformat = \"sarif\"\nfail-on = \"warning\"\nmax-file-bytes = 1024\nallow-empty = true\n[rules]\nb = \"off\"\na = \"info\"\n",
        );
        let Ok(config) = config else {
            panic!("not parsed: {config:?}");
        };
        assert_eq!(config.policies, Some(vec![PathBuf::from("../policies")]));
        assert_eq!(config.format, Some(OutputFormat::Sarif));
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.max_file_bytes, Some(1024));
        assert_eq!(config.allow_empty, Some(true));
        assert_eq!(config.path, PathBuf::from("/repo/governance.toml"));
        let rules: Vec<_> = config
            .rules
            .iter()
            .map(|r| (r.rule.as_str(), r.setting))
            .collect();
        assert_eq!(
            rules,
            [
                ("b", RuleSetting::Off),
                ("a", RuleSetting::Severity(governance_core::Severity::Info))
            ]
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_the_closest_valid_one() {
        match parsed("fail_on = \"warning\"\n") {
            Err(ConfigError::UnknownKey {
                key, help, span, ..
            }) => {
                assert_eq!(
                    (key.as_str(), help.as_str()),
                    ("fail_on", "did you mean `fail-on`?")
                );
                assert_eq!((span.start(), span.end()), (0, 7));
            }
            other => panic!("expected an unknown key, got {other:?}"),
        }
        match parsed("colour = true\n") {
            Err(ConfigError::UnknownKey { help, .. }) => {
                assert!(help.starts_with("valid keys: `policies`"))
            }
            other => panic!("expected an unknown key, got {other:?}"),
        }
    }

    #[test]
    fn packs_are_read_and_checked() {
        let config = parsed(
            "[[packs]]\ngit = \"https://git.example.com/p.git\"\nrev = \"v1.4.0\"\npath = \"./global/\"\n\n[[packs]]\ngit = \"../central.git\"\nrev = \"main\"\n",
        );
        let Ok(config) = config else {
            panic!("not parsed: {config:?}");
        };
        let packs: Vec<(&str, &str, &str, &str)> = config
            .packs
            .iter()
            .map(|p| {
                (
                    p.git.as_str(),
                    p.url.as_str(),
                    p.rev.as_str(),
                    p.path.as_str(),
                )
            })
            .collect();
        assert_eq!(
            packs,
            [
                (
                    "https://git.example.com/p.git",
                    "https://git.example.com/p.git",
                    "v1.4.0",
                    "global"
                ),
                ("../central.git", "/central.git", "main", ""),
            ]
        );
        for (text, wrong) in [
            ("[[packs]]\nrev = \"v1\"\n", "needs `git`"),
            ("[[packs]]\ngit = \"--upload-pack=x\"\nrev = \"v1\"\n", "not a git repository"),
            ("[[packs]]\ngit = \"a.git\"\nrev = \"main:refs/x\"\n", "not a tag, branch"),
            ("[[packs]]\ngit = \"a.git\"\nrev = \"-f\"\n", "not a tag, branch"),
            ("[[packs]]\ngit = \"a.git\"\nrev = \"v1\"\npath = \"/etc\"\n", "is absolute"),
            ("[[packs]]\ngit = \"a.git\"\nrev = \"v1\"\npath = \"a/../../b\"\n", "leaves the repository"),
            ("[[packs]]\ngit = \"a.git\"\nrev = \"v1\"\n[[packs]]\ngit = \"a.git\"\nrev = \"v1\"\n", "listed twice"),
        ] {
            match parsed(text) {
                Err(ConfigError::BadPack { message, .. }) => {
                    assert!(message.contains(wrong), "{text}: {message}")
                }
                other => panic!("{text}: expected a bad pack, got {other:?}"),
            }
        }
        assert!(matches!(
            parsed("[[packs]]\ngit = \"a.git\"\nref = \"v1\"\n"),
            Err(ConfigError::UnknownKey { .. })
        ));
    }

    #[test]
    fn a_bad_value_points_at_it() {
        match parsed("[rules]\nowner-is-email = \"warn\"\n") {
            Err(ConfigError::BadSetting { help, .. }) => {
                assert_eq!(help.as_deref(), Some("did you mean `warning`?"));
            }
            other => panic!("expected a bad setting, got {other:?}"),
        }
        assert!(matches!(
            parsed("format = \"xml\"\n"),
            Err(ConfigError::Syntax { .. })
        ));
        assert!(matches!(
            parsed("policies = \n"),
            Err(ConfigError::Syntax { .. })
        ));
    }
}
