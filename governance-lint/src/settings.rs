//! What a run does: the command line, over governance.toml, over the environment and defaults.

use std::io::Write as _;
use std::path::Path;

use governance_core::PolicySet;

use crate::args::{CheckArgs, FailOn, OutputFormat, PolicyArgs};
use crate::changed::RuleFiles;
use crate::config::{self, Config, ConfigError};
use crate::discover::{BadGlob, Filters, GlobList};
use crate::policies::PolicySource;
use crate::problem::Problem;

/// Files larger than this are not read (a `limit-exceeded` finding says so), unless
/// governance.toml sets `max-file-bytes`.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The configuration file in force: `--config FILE`, else the one found by walking up.
pub fn config(args: &PolicyArgs, cwd: &Path) -> Result<Option<Config>, Vec<ConfigError>> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => config::find(cwd),
    };
    path.map(|path| config::load(&path, cwd)).transpose()
}

/// `--format`, else `format` of the configuration, else `github` inside GitHub Actions, else
/// `human`.
pub fn format(flag: Option<OutputFormat>, config: Option<&Config>) -> OutputFormat {
    flag.or_else(|| config.and_then(|c| c.format))
        .unwrap_or_else(|| {
            if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
                OutputFormat::Github
            } else {
                OutputFormat::Human
            }
        })
}

/// The lowest failing severity, and whether a person chose it on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailOnChoice {
    pub value: FailOn,
    /// `--fail-on` was given: only then may `never` let mandatory findings pass.
    pub from_flag: bool,
}

/// `--fail-on`, else `fail-on` of the configuration, else `error`.
pub fn fail_on(flag: Option<FailOn>, config: Option<&Config>) -> FailOnChoice {
    FailOnChoice {
        value: flag
            .or_else(|| config.and_then(|c| c.fail_on))
            .unwrap_or_default(),
        from_flag: flag.is_some(),
    }
}

/// `[limits]` of the configuration, else the engine's defaults.
pub fn limits(config: Option<&Config>) -> governance_core::Limits {
    config.map_or_else(governance_core::Limits::default, |c| c.limits)
}

/// `--today`, else the system date; `[waivers] expiry-warning-days`, else 30.
pub fn clock(
    today: Option<governance_core::Date>,
    config: Option<&Config>,
) -> governance_core::WaiverClock {
    let mut clock = governance_core::WaiverClock::default();
    if let Some(today) = today {
        clock.today = today;
    }
    if let Some(days) = config.and_then(|c| c.expiry_warning_days) {
        clock.warn_days = days;
    }
    if let Some(days) = config.and_then(|c| c.max_waiver_days) {
        clock.max_days = days;
    }
    clock
}

/// `--strict`, else `strict` of the configuration, else off.
pub fn strict(flag: bool, config: Option<&Config>) -> bool {
    flag || config.is_some_and(|c| c.strict)
}

/// `[conformance]` of the configuration, else every standard checked at `error`. (In strict
/// mode the engine reports conformance findings as errors whatever this says.)
pub fn conformance(config: Option<&Config>) -> governance_core::Conformance {
    config.map(|c| c.conformance).unwrap_or_default()
}

/// `[references] allow-urls` of the configuration (off by default).
pub fn allow_urls(config: Option<&Config>) -> bool {
    config.is_some_and(|c| c.allow_urls)
}

/// `max-file-bytes` of the configuration, else [`MAX_FILE_BYTES`].
pub fn max_file_bytes(config: Option<&Config>) -> u64 {
    config
        .and_then(|c| c.max_file_bytes)
        .unwrap_or(MAX_FILE_BYTES)
}

/// `--allow-empty`, else `allow-empty` of the configuration, else off: a directory or an
/// include glob that selects no file is a usage error.
pub fn allow_empty(flag: bool, config: Option<&Config>) -> bool {
    flag || config.and_then(|c| c.allow_empty).unwrap_or(false)
}

/// The files whose change since a ref makes `--changed-since` lint every contract: the
/// policies in use (as [`policies`] chooses them), the configuration file, and the lock of its
/// packs (`governance.lock` beside it).
pub fn rule_files(args: &PolicyArgs, config: Option<&Config>, cwd: &Path) -> RuleFiles {
    let source = crate::policies::resolve(&args.policies, config, cwd);
    let lock = config.map(|c| c.dir.join(crate::packs::LOCK_FILE));
    RuleFiles::new(&source, config.map(|c| c.path.as_path()), cwd).with_lock(lock.as_deref(), cwd)
}

/// Command-line globs match paths as walked; configured globs match paths relative to the
/// configuration's directory. A command-line list replaces the configured one.
pub fn filters(args: &CheckArgs, config: Option<&Config>, cwd: &Path) -> Result<Filters, BadGlob> {
    let include = config.and_then(|c| Some((c.include.as_ref()?, c.dir.as_path())));
    let exclude = config.and_then(|c| Some((c.exclude.as_ref()?, c.dir.as_path())));
    Filters::new(
        globs(&args.include, include),
        globs(&args.exclude, exclude),
        cwd,
    )
}

/// The command-line globs when there are any, else the configured ones with their directory.
fn globs<'a>(flags: &'a [String], configured: Option<(&'a Vec<String>, &'a Path)>) -> GlobList<'a> {
    match configured {
        Some((globs, dir)) if flags.is_empty() => GlobList {
            globs,
            base: Some(dir),
        },
        _ => GlobList {
            globs: flags,
            base: None,
        },
    }
}

/// `--today` when it (or `GOVERNANCE_LINT_TODAY`) moved the date, with what set it.
pub fn moved_today(
    today: Option<governance_core::Date>,
) -> Option<(governance_core::Date, &'static str)> {
    let date = today?;
    let from_env = std::env::var("GOVERNANCE_LINT_TODAY")
        .ok()
        .and_then(|v| v.parse::<governance_core::Date>().ok())
        == Some(date);
    Some((
        date,
        if from_env {
            "GOVERNANCE_LINT_TODAY"
        } else {
            "--today"
        },
    ))
}

/// The configuration and the configured rules.
pub struct Setup {
    pub config: Option<Config>,
    pub policies: PolicySet,
    /// Where the local rules came from.
    pub source: PolicySource,
    /// The packs fetched from git, at their locked commits.
    pub packs: Vec<crate::packs::Fetched>,
}

impl Setup {
    /// What every output names: the local policies and the packs.
    pub fn used(&self) -> crate::policies::PoliciesUsed {
        crate::policies::PoliciesUsed::of(&self.source, &self.packs, &self.policies)
    }
}

/// The packs of the configuration, ready to load (none without a configuration).
pub fn packs(
    config: Option<&Config>,
    locked: bool,
) -> Result<Vec<crate::packs::Fetched>, Vec<Problem>> {
    match config {
        Some(config) => crate::packs::prepare(config, locked).map(|prepared| prepared.packs),
        None => Ok(Vec::new()),
    }
}

/// Why there are no rules to lint with: what was loaded so far, and the problems.
pub struct Stopped {
    pub config: Option<Config>,
    pub policies: Option<PolicySet>,
    pub problems: Vec<Problem>,
}

/// Reads the configuration, loads the policies, applies `[rules]`.
pub fn setup(args: &PolicyArgs, cwd: &Path) -> Result<Setup, Box<Stopped>> {
    setup_with(args, cwd, false)
}

/// Like [`setup`]; with `changes` (`breaking`, `diff`), the built-in change rules are added
/// before `[rules]` applies, then `[breaking] use` and `except` select among the change rules.
pub fn setup_with(args: &PolicyArgs, cwd: &Path, changes: bool) -> Result<Setup, Box<Stopped>> {
    let config = config(args, cwd).map_err(|errors| {
        Box::new(Stopped {
            config: None,
            policies: None,
            problems: errors.into_iter().map(Problem::new).collect(),
        })
    })?;
    let packs = match packs(config.as_ref(), args.locked) {
        Ok(packs) => packs,
        Err(problems) => {
            return Err(Box::new(Stopped {
                config,
                policies: None,
                problems,
            }))
        }
    };
    let source = crate::policies::resolve(&args.policies, config.as_ref(), cwd);
    let mut policies = match crate::policies::load(&source, &packs) {
        Ok(mut policies) => {
            if let Some(config) = &config {
                policies.declare_custom_names(config.custom_names.iter().cloned());
            }
            policies
        }
        Err(problems) => {
            return Err(Box::new(Stopped {
                config,
                policies: None,
                problems,
            }))
        }
    };
    if changes {
        if let Err(errors) = policies.add_builtin_changes() {
            return Err(Box::new(Stopped {
                config,
                policies: None,
                problems: errors.into_iter().map(Problem::new).collect(),
            }));
        }
    }
    // With `--policies`, the configured `[rules]` may name rules of the packs it replaces:
    // trying one pack alone in a configured repository is a warning, not a stop.
    let overridden = !args.policies.is_empty();
    let mut refused = Vec::new();
    for error in config
        .iter()
        .flat_map(|config| config.configure(&mut policies))
    {
        match error {
            crate::config::ConfigError::Rule(line)
                if overridden
                    && matches!(
                        line.error,
                        governance_core::ConfigureError::UnknownRule { .. }
                    ) =>
            {
                let message = line.to_string();
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: {message} (`--policies` replaces the configured policies; the setting is ignored)"
                );
            }
            error => refused.push(Problem::new(error)),
        }
    }
    if changes {
        refused.extend(
            config
                .iter()
                .flat_map(|config| config.select_changes(&mut policies))
                .map(Problem::new),
        );
    }
    if !refused.is_empty() {
        return Err(Box::new(Stopped {
            config,
            policies: Some(policies),
            problems: refused,
        }));
    }
    // A `check` evaluates the rules that are not change rules, a `breaking` the change rules.
    if policies
        .rules()
        .filter(|rule| rule.is_change() == changes)
        .all(|rule| !rule.enabled())
    {
        // A gate that checks nothing must not pass.
        let used = crate::policies::PoliciesUsed::of(&source, &packs, &policies);
        let problem = if changes {
            Problem::plain(
                "usage::no_rules",
                "no active change rule: the comparison would check nothing".to_owned(),
                Some("every change rule is switched off by `[breaking] use` / `except` or `[rules]` in governance.toml; switch at least one on".to_owned()),
            )
        } else {
            Problem::plain(
                "usage::no_rules",
                format!(
                    "no active rule: the policies in use ({}) would check nothing",
                    used.describe()
                ),
                Some(if policies.is_empty() {
                    "write at least one rule in a `*.policy` file, or point `--policies` (or `policies` in governance.toml) at a pack".to_owned()
                } else {
                    "every rule is switched off under `[rules]` in governance.toml; switch at least one on".to_owned()
                }),
            )
        };
        return Err(Box::new(Stopped {
            config,
            policies: Some(policies),
            problems: vec![problem],
        }));
    }
    Ok(Setup {
        config,
        policies,
        source,
        packs,
    })
}
