//! `governance-lint`: lint data contracts against governance policies.
//!
//! This binary is wiring only: arguments → discovery → the engine (`governance-core`) →
//! a renderer. Exit codes: 0 clean, 1 findings at error severity, 2 usage or policy errors.

mod args;
mod discover;
mod output;
mod policies;
mod run;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use governance_core::{Limits, PolicyErrors};

use args::{CheckArgs, Cli, ColorChoice, Command, OutputFormat, RulesArgs};

const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

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
        Some(Command::Check(args)) => check(&args),
        Some(Command::Rules(args)) => rules(&args),
        None => check(&cli.check),
    };
    ExitCode::from(code)
}

fn check(args: &CheckArgs) -> u8 {
    let policies = match policies::load(&args.policy.policies) {
        Ok(policies) => policies,
        Err(errors) => return policy_errors(&errors),
    };
    let filters = match discover::Filters::new(&args.include, &args.exclude) {
        Ok(filters) => filters,
        Err(discover::BadGlob(message)) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let found = discover::discover(&roots, &filters);
    if let Some(jobs) = args.jobs {
        // Only fails if a global pool already exists, which nothing else creates.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let mut reports = run::lint_all(&policies, &found.files, Limits::default());
    reports.extend(found.problems.iter().map(run::walk_failure));
    reports.sort_by(|a, b| a.source.name().cmp(b.source.name()));

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        OutputFormat::Human => {
            let options = output::human::Options {
                color: use_color(args.color),
                width: std::env::var("COLUMNS")
                    .ok()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(100),
                verbose: args.verbose,
            };
            output::human::render(&mut out, &reports, &options)
        }
        OutputFormat::Json => output::json::render(&mut out, &reports),
    };
    if let Err(error) = written.and_then(|()| out.flush()) {
        if error.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {error}");
            return EXIT_USAGE;
        }
    }
    let summary = output::Summary::of(&reports);
    if summary.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn rules(args: &RulesArgs) -> u8 {
    let policies = match policies::load(&args.policy.policies) {
        Ok(policies) => policies,
        Err(errors) => return policy_errors(&errors),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        OutputFormat::Human => output::human::rules(&mut out, &policies),
        OutputFormat::Json => output::json::rules(&mut out, &policies),
    };
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write: {error}");
            EXIT_USAGE
        }
        _ => EXIT_CLEAN,
    }
}

/// Prints every policy error (with the policy source underlined) to stderr.
fn policy_errors(errors: &PolicyErrors) -> u8 {
    let color = use_color_on(ColorChoice::Auto, io::stderr().is_terminal());
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let mut text = String::new();
    for error in errors.errors() {
        if handler.render_report(&mut text, error).is_err() {
            text.push_str(&format!("{error}\n"));
        }
    }
    let count = errors.len();
    text.push_str(&format!(
        "error: {count} problem{} in the policies; nothing was linted\n",
        if count == 1 { "" } else { "s" }
    ));
    let _ = io::stderr().write_all(text.as_bytes());
    EXIT_USAGE
}

fn use_color(choice: ColorChoice) -> bool {
    use_color_on(choice, io::stdout().is_terminal())
}

fn use_color_on(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
