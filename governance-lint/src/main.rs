//! `governance-lint`: lint data contracts against governance policies.
//!
//! This file parses the arguments and dispatches to the command (`commands/`). Exit codes:
//! 0 clean, 1 findings at or above `--fail-on`, 2 usage, configuration or policy errors. A
//! closed standard output (`| head`) ends the output quietly.

mod against;
mod args;
mod catalog_page;
mod changed;
mod commands;
mod config;
mod console;
mod dbt;
mod discover;
mod explain;
mod git;
#[cfg(feature = "lsp")]
mod lsp;
mod output;
mod packs;
mod paths;
mod policies;
mod policy_tests;
mod problem;
mod progress;
mod references;
mod run;
mod settings;
mod text;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use commands::{EXIT_CLEAN, EXIT_USAGE};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_CLEAN
            });
        }
    };
    let code = match cli.command {
        Some(Command::Check(args)) => commands::check(&args),
        Some(Command::Rules(args)) => commands::rules(&args),
        Some(Command::Test(args)) => commands::test(&args),
        Some(Command::CheckPolicies(args)) => commands::check_policies(&args),
        Some(Command::Explain(args)) => commands::explain(&args),
        Some(Command::Catalog(args)) => commands::catalog(&args),
        Some(Command::Export(args)) => commands::export(&args),
        Some(Command::New(args)) => commands::new(&args),
        Some(Command::Breaking(args)) => commands::breaking(&args),
        Some(Command::Diff(args)) => commands::diff(&args),
        Some(Command::Packs(args)) => match args.command {
            args::PacksCommand::Update(args) => commands::packs_update(&args),
        },
        #[cfg(feature = "lsp")]
        Some(Command::Lsp(args)) => commands::lsp(&args),
        None => commands::check(&cli.check),
    };
    ExitCode::from(code)
}
