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
//! dcs = "warning"                                  # (odcs-v3, odcs-v2, dcs, odps)
//! allow-unknown-keys = false                       # true: keys a standard lacks are not reported
//!
//! [references]                                     # files a contract refers to
//! allow-urls = false                               # true: URL references accepted unread
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
const KEYS: [&str; 14] = [
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
];

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
const CONFORMANCE_KEYS: [&str; 5] = ["odcs-v3", "odcs-v2", "dcs", "odps", "allow-unknown-keys"];

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
    /// `[rules]` names a rule that no policy defines.
    #[error("{message}")]
    #[diagnostic(code(config::unknown_rule))]
    UnknownRule {
        /// The engine's message.
        message: String,
        /// Where.
        #[label("no rule has this id")]
        span: Span,
        /// The closest rule id, when one is close.
        #[help]
        help: Option<String>,
        /// The file.
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// `[rules]` tries to switch off or lower a `mandatory` rule.
    #[error("{message}")]
    #[diagnostic(code(config::mandatory_rule))]
    MandatoryRule {
        /// The engine's message.
        message: String,
        /// Where.
        #[label("refused: the rule is mandatory")]
        span: Span,
        /// Where the rule is defined.
        #[help]
        help: Option<String>,
        /// The file.
        #[source_code]
        src: Arc<SourceFile>,
    },
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
    references: RawReferences,
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
    allow_unknown_keys: Option<bool>,
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
pub fn load(path: &Path, cwd: &Path) -> Result<Config, ConfigError> {
    let absolute = crate::paths::normalize(&cwd.join(path));
    let shown = crate::paths::relative_to(&absolute, cwd);
    let text = std::fs::read_to_string(&absolute).map_err(|error| ConfigError::Io {
        path: shown.clone(),
        reason: error.to_string(),
    })?;
    let source = Arc::new(SourceFile::new(shown, text));
    parse(source, absolute, cwd)
}

/// Checks the keys, then reads the values. Paths are resolved against the file's directory and
/// named relative to `cwd` when they can be (so that messages show `../policies/pii.policy`).
fn parse(source: Arc<SourceFile>, path: PathBuf, cwd: &Path) -> Result<Config, ConfigError> {
    let dir = path
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let syntax = |error: toml::de::Error| ConfigError::Syntax {
        message: error.message().trim_end().to_owned(),
        span: error
            .span()
            .map_or_else(|| Span::empty(0), |r| Span::new(r.start, r.end)),
        src: source.clone(),
    };
    let table = toml::de::DeTable::parse(source.text()).map_err(syntax)?;
    for (key, value) in table.get_ref() {
        if !KEYS.contains(&key.get_ref().as_ref()) {
            return Err(ConfigError::UnknownKey {
                key: key.get_ref().to_string(),
                section: format!("`{}`", source.name()),
                span: Span::new(key.span().start, key.span().end),
                help: suggest(key.get_ref(), &KEYS, "valid keys"),
                src: source.clone(),
            });
        }
        let allowed: &[&str] = match key.get_ref().as_ref() {
            "limits" => &LIMIT_KEYS,
            "waivers" => &WAIVER_KEYS,
            "conformance" => &CONFORMANCE_KEYS,
            "references" => &REFERENCE_KEYS,
            _ => continue,
        };
        if let toml::de::DeValue::Table(inner) = value.get_ref() {
            for (inner_key, _) in inner {
                if !allowed.contains(&inner_key.get_ref().as_ref()) {
                    return Err(ConfigError::UnknownKey {
                        key: inner_key.get_ref().to_string(),
                        section: format!("`[{}]`", key.get_ref()),
                        span: Span::new(inner_key.span().start, inner_key.span().end),
                        help: suggest(inner_key.get_ref(), allowed, "valid keys"),
                        src: source.clone(),
                    });
                }
            }
        }
    }
    let raw: Raw = toml::from_str(source.text()).map_err(syntax)?;
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
    Ok(Config {
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
        source,
        path,
        dir,
    })
}

impl Config {
    /// Applies `[rules]` to `policies`; every refused setting is an error.
    pub fn configure(&self, policies: &mut PolicySet) -> Vec<ConfigError> {
        let origin = format!("`{}`", self.source.name());
        let mut errors = Vec::new();
        for line in &self.rules {
            let Err(error) = policies.configure(&line.rule, line.setting, &origin) else {
                continue;
            };
            let help = miette::Diagnostic::help(&error).map(|h| h.to_string());
            let (message, span, src) = (error.to_string(), line.span, self.source.clone());
            errors.push(match error {
                ConfigureError::UnknownRule { .. } => ConfigError::UnknownRule {
                    message,
                    span,
                    help,
                    src,
                },
                ConfigureError::Mandatory { .. } => ConfigError::MandatoryRule {
                    message,
                    span,
                    help,
                    src,
                },
            });
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
        parse(
            Arc::new(SourceFile::new(FILE_NAME, text)),
            PathBuf::from("/repo").join(FILE_NAME),
            Path::new("/repo/contracts"),
        )
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
