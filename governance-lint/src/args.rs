//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use governance_core::Severity;

/// Lint data contracts against governance policies.
///
/// With no subcommand, `governance-lint [PATH]...` is `governance-lint check [PATH]...`.
#[derive(Debug, Parser)]
#[command(
    name = "governance-lint",
    version,
    about = "Lint data contracts (YAML/JSON) against governance policies: PII, ownership, SLAs",
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 no findings at or above --fail-on, 1 findings at or above --fail-on, 2 usage, configuration or policy errors."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint contract files and directories (the default).
    Check(CheckArgs),
    /// List the active rules with their severity and description.
    Rules(RulesArgs),
    /// Run the policy unit tests (`*.tests.yaml` beside the policies) and report rule coverage.
    Test(TestArgs),
    /// Check the policies statically (typos in names, wrong units, doubtful statements)
    /// without reading any contract.
    CheckPolicies(CheckPoliciesArgs),
    /// Explain a contract (which rules apply and why) or a rule (what it checks and where it
    /// is defined).
    Explain(ExplainArgs),
    /// Write a data catalog of the contracts to a directory: `catalog.json` and a static
    /// `index.html` (products, fields, SLA, ports, lineage, compliance per domain).
    Catalog(CatalogArgs),
    /// Write every contract, whatever its standard, as ODCS v3.1.0 YAML.
    Export(ExportArgs),
    /// Start a data product: write a contract skeleton that passes the active policies.
    New(NewArgs),
    /// Compare contracts with their previous version (a git ref, a directory or a file) and
    /// report breaking and governance-weakening changes.
    Breaking(BreakingArgs),
    /// List every change of the contracts against their previous version: added, removed and
    /// changed tables, fields, ports and values, with old → new values.
    Diff(DiffArgs),
    /// Policy packs fetched from git (`[[packs]]` in governance.toml, pinned in
    /// governance.lock).
    Packs(PacksArgs),
    /// Run the language server over standard input and output, for editors: diagnostics as
    /// you type, hover, code actions, go to definition (docs/editors.md).
    #[cfg(feature = "lsp")]
    Lsp(LspArgs),
}

/// Which contracts, and how they are linted: `check`'s selection and policies, for the
/// commands that describe contracts rather than report on them.
#[derive(Debug, Args, Clone, Default)]
pub struct SelectArgs {
    /// Files and directories to read, as `check` selects them (default: `.`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Only read walked files whose path matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Do not read walked files whose path matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Apply the include/exclude globs to files named on the command line too.
    #[arg(long)]
    pub force_exclude: bool,

    /// Let a directory or an include glob select no file.
    #[arg(long)]
    pub allow_empty: bool,

    /// Judge waiver expiry as of this date (`YYYY-MM-DD`) instead of today.
    #[arg(long, value_name = "DATE", env = "GOVERNANCE_LINT_TODAY")]
    pub today: Option<governance_core::Date>,

    /// Strict mode, as for `check`.
    #[arg(long)]
    pub strict: bool,

    /// When to use colours in messages.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

impl SelectArgs {
    /// The same selection as `check` arguments, for the settings they share.
    pub fn as_check(&self) -> CheckArgs {
        CheckArgs {
            paths: self.paths.clone(),
            policy: self.policy.clone(),
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            force_exclude: self.force_exclude,
            allow_empty: self.allow_empty,
            today: self.today,
            strict: self.strict,
            color: self.color,
            jobs: self.jobs,
            ..CheckArgs::default()
        }
    }
}

#[derive(Debug, Args, Clone)]
pub struct CatalogArgs {
    #[command(flatten)]
    pub select: SelectArgs,

    /// The directory to write `catalog.json` and `index.html` to (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct BreakingArgs {
    /// What to compare with: a git ref (`main`, `origin/main`, a commit; each contract is
    /// compared with its version at that ref, renames followed), or a directory or file of
    /// previous versions (contracts paired by id, else by relative path). An existing path wins
    /// over a ref of the same name.
    #[arg(long, value_name = "BASE")]
    pub against: String,

    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Args, Clone)]
pub struct DiffArgs {
    /// What to compare with (see `breaking --against`).
    #[arg(long, value_name = "BASE")]
    pub against: String,

    /// Files and directories, selected as `check` selects them (default: `.`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format: `markdown` is meant for a pull-request comment.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Only walked files whose path matches this glob (see `check --include`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Not walked files whose path matches this glob (see `check --exclude`).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Let a directory or an include glob select no file.
    #[arg(long)]
    pub allow_empty: bool,

    /// Judge waiver expiry as of this date (`YYYY-MM-DD`), for the changes' breaking marks.
    #[arg(long, value_name = "DATE", env = "GOVERNANCE_LINT_TODAY")]
    pub today: Option<governance_core::Date>,
}

/// How `diff` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    /// One line per change.
    #[default]
    Human,
    /// One JSON object.
    Json,
    /// A Markdown changelog, for a pull-request comment.
    Markdown,
}

#[derive(Debug, Args, Clone)]
pub struct PacksArgs {
    #[command(subcommand)]
    pub command: PacksCommand,
}

#[derive(Debug, Subcommand, Clone)]
pub enum PacksCommand {
    /// Fetch every pack's `rev` and pin its commit and content hash in governance.lock
    /// (beside governance.toml). Commit the lock.
    Update(PacksUpdateArgs),
}

#[derive(Debug, Args, Clone)]
pub struct PacksUpdateArgs {
    /// The configuration file (see `check --config`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `governance-lint lsp`: the server finds `governance.toml` and the policies of each
/// workspace folder as `check` does, so it takes no policy options.
#[cfg(feature = "lsp")]
#[derive(Debug, Args, Clone, Default)]
pub struct LspArgs {
    /// Speak over standard input and output (the only transport; accepted because editors'
    /// clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Args, Clone)]
pub struct TestArgs {
    /// Policy directories holding `*.policy` files and their `*.tests.yaml` (default: the
    /// policies a `check` would use).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// The configuration file (see `check --config`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Fail when a rule is triggered by no test (every rule needs a test that shows it fires).
    #[arg(long)]
    pub require_coverage: bool,

    /// Use only the packs governance.lock pins (see `check --locked`).
    #[arg(long)]
    pub locked: bool,

    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args, Clone)]
pub struct CheckPoliciesArgs {
    /// Policy files or directories (default: the policies a `check` would use).
    #[arg(value_name = "DIR_OR_FILE")]
    pub paths: Vec<PathBuf>,

    /// The configuration file (see `check --config`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with code 1 when there are warnings.
    #[arg(long)]
    pub strict: bool,

    /// Use only the packs governance.lock pins (see `check --locked`).
    #[arg(long)]
    pub locked: bool,

    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args, Clone)]
pub struct ExplainArgs {
    /// A contract file, or a rule id.
    #[arg(value_name = "CONTRACT_FILE|RULE_ID")]
    pub target: String,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Where the rules come from, and how they are configured.
#[derive(Debug, Args, Clone, Default)]
pub struct PolicyArgs {
    /// A policy file or a directory of `*.policy` files (repeatable). Default: `policies` of
    /// governance.toml, else a `policies/` folder beside governance.toml (or in the current
    /// directory without one), else the default pack built into the binary. The packs of
    /// governance.toml (`[[packs]]`) apply in addition, whatever this says.
    #[arg(long = "policies", short = 'p', value_name = "DIR_OR_FILE")]
    pub policies: Vec<PathBuf>,

    /// The configuration file. Default: the first `governance.toml` found from the current
    /// directory up to the repository root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Use the packs of governance.toml (`[[packs]]`) only at the commits governance.lock pins:
    /// stop (exit code 2) when the lock is missing or stale, instead of resolving and writing
    /// it (recommended for CI).
    #[arg(long)]
    pub locked: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    /// Files and directories to lint. Directories are walked: every file git tracks, and the
    /// untracked files `.gitignore` does not ignore. Files named explicitly are always linted
    /// (unless `--force-exclude`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format. Default: `format` of governance.toml, else `github` when
    /// `GITHUB_ACTIONS=true`, else `human`.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<OutputFormat>,

    /// Exit with code 1 when a finding is at this severity or above (`never`: only errors that
    /// stop the run give a non-zero code). Default: `fail-on` of governance.toml, else `error`.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Lint only the files changed since this git ref (`git diff --name-only REF`, plus
    /// untracked files), among those the paths and globs select; every selected file when a
    /// policy or the configuration changed.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    /// Let a directory or an include glob select no file (by default that is a usage error,
    /// exit code 2). Default: `allow-empty` of governance.toml, else off.
    #[arg(long)]
    pub allow_empty: bool,

    /// Only lint walked files whose path matches this glob (repeatable; replaces the `include`
    /// of governance.toml).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Do not lint walked files whose path matches this glob (repeatable; replaces the `exclude`
    /// of governance.toml).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Apply the include/exclude globs (of the command line or governance.toml) to files named
    /// on the command line too, as pre-commit needs: it names every staged file.
    #[arg(long)]
    pub force_exclude: bool,

    /// Judge waiver expiry as of this date (`YYYY-MM-DD`) instead of today, for reproducible
    /// runs.
    #[arg(long, value_name = "DATE", env = "GOVERNANCE_LINT_TODAY")]
    pub today: Option<governance_core::Date>,

    /// Fail closed: every "could not read / not recognised / nothing read" warning of a
    /// built-in rule is an error, and a waiver must name the field, port or path it covers
    /// (recommended for central CI; also `strict = true` in governance.toml).
    #[arg(long)]
    pub strict: bool,

    /// Also list skipped files and the format each file was read as.
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Args, Clone)]
pub struct RulesArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

#[derive(Debug, Args, Clone)]
pub struct ExportArgs {
    /// The standard to write.
    #[arg(long, value_enum)]
    pub to: ExportFormat,

    #[command(flatten)]
    pub select: SelectArgs,

    /// The directory to write the exported contracts to (created if needed), mirroring the
    /// paths of the originals.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct NewArgs {
    /// The domain the data product belongs to (`logistics`).
    #[arg(long)]
    pub domain: String,

    /// The data product's name (`shipment_tracking`).
    #[arg(long)]
    pub name: String,

    /// The standard to write.
    #[arg(long, value_enum, default_value_t = NewStandard::Seed)]
    pub standard: NewStandard,

    /// The owner's address. Default: `<domain>-team@company.com`, marked TODO.
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// The file to write (never overwritten). Default: `contracts/<domain>/<name>.yaml`
    /// (`.odcs.yaml` for ODCS).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// What `new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewStandard {
    /// The shapes of the data-mesh article (`data_product`, `schema`, `sla`).
    Seed,
    /// Open Data Contract Standard v3.1.0.
    Odcs,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Open Data Contract Standard v3.1.0, as YAML.
    Odcs,
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// Annotated source snippets for people.
    #[default]
    Human,
    /// One JSON object for machines (docs/json-report.schema.json).
    Json,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for GitLab, Jenkins and Azure DevOps test reports.
    Junit,
}

/// How `rules` lists the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RulesFormat {
    /// One line per rule.
    #[default]
    Human,
    /// A JSON array.
    Json,
}

/// The lowest severity that makes the run fail (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Fail on errors.
    #[default]
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

impl FailOn {
    /// The lowest failing severity, if any.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colours when writing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}
