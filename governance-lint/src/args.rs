//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Lint data contracts against governance policies.
///
/// With no subcommand, `governance-lint [PATH]...` is `governance-lint check [PATH]...`.
#[derive(Debug, Parser)]
#[command(
    name = "governance-lint",
    version,
    about = "Lint data contracts (YAML/JSON) against governance policies: PII, ownership, SLAs",
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 no findings at error severity, 1 findings at error severity, 2 usage or policy errors."
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
}

/// Where the rules come from.
#[derive(Debug, Args, Clone, Default)]
pub struct PolicyArgs {
    /// A policy file or a directory of `*.policy` files (repeatable). Default: `./policies` if it
    /// exists, else the default pack built into the binary.
    #[arg(long = "policies", short = 'p', value_name = "DIR_OR_FILE")]
    pub policies: Vec<PathBuf>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    /// Files and directories to lint. Directories are walked (honouring `.gitignore`); files
    /// named explicitly are always linted.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Only lint walked files whose path matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Do not lint walked files whose path matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

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
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Annotated source snippets for people.
    #[default]
    Human,
    /// One JSON object for machines.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colours when writing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}
