//! One function per command (`check`, `rules`, `test`, `check-policies`, `explain`,
//! `catalog`, `export`, `new`, `breaking`, `diff`, `packs update`, `lsp`), each
//! returning its exit code, and what they share: how a run that stopped on problems is
//! reported, writing to standard output, the policies as written.
//!
//! Exit codes: [`EXIT_CLEAN`], [`EXIT_FINDINGS`], [`EXIT_USAGE`] (the README's table says
//! which command returns which when).

mod breaking;
mod catalog;
mod check;
mod check_policies;
mod diff;
mod explain;
mod export;
#[cfg(feature = "lsp")]
mod lsp;
mod new;
mod packs;
mod rules;
mod selection;
mod test;

pub use breaking::breaking;
pub use catalog::catalog;
pub use check::check;
pub use check_policies::check_policies;
pub use diff::diff;
pub use explain::explain;
pub use export::export;
#[cfg(feature = "lsp")]
pub use lsp::lsp;
pub use new::new;
pub use packs::packs_update;
pub use rules::rules;
pub use test::test;

use std::io::{self, Write};
use std::path::PathBuf;

use governance_core::PolicySet;

use crate::args::{ColorChoice, OutputFormat, PolicyArgs};
use crate::console::{Stdout, Style};
use crate::output;
use crate::problem::Problem;
use crate::{policies, settings};

/// Nothing at or above the threshold; the command did what it was asked.
pub const EXIT_CLEAN: u8 = 0;
/// Findings at or above `--fail-on`, a failed policy test, warnings under `--strict`.
pub const EXIT_FINDINGS: u8 = 1;
/// Usage, configuration or policy errors; standard output could not be written.
pub const EXIT_USAGE: u8 = 2;

/// How a command reports.
struct Output {
    format: OutputFormat,
    color: ColorChoice,
    verbose: bool,
    cwd: PathBuf,
    /// What the run used, named in every format.
    context: output::Context,
}

impl Output {
    /// For the commands that only speak to people.
    fn human(color: ColorChoice) -> Self {
        Self {
            format: OutputFormat::Human,
            color,
            verbose: false,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            context: output::Context::default(),
        }
    }

    /// What the renderers are told.
    fn setup<'a>(
        &'a self,
        policies: Option<&'a PolicySet>,
        fail_on: Option<governance_core::Severity>,
    ) -> output::Setup<'a> {
        output::Setup {
            cwd: &self.cwd,
            policies,
            context: &self.context,
            fail_on,
            style: Style::stdout(self.color),
            verbose: self.verbose,
        }
    }
}

/// Reports problems that stop the run: rendered for people on stderr always, and as a valid
/// document on stdout for the machine formats. Exit code 2.
fn stop(out: &Output, policies: Option<&PolicySet>, problems: &[Problem]) -> u8 {
    let mut stderr = io::stderr().lock();
    let _ = output::human::problems(&mut stderr, problems, Style::stderr(out.color));
    let _ = stderr.flush();
    drop(stderr);
    let mut stdout = Stdout::lock();
    let (_, written) = output::report(
        out.format,
        &out.setup(policies, None),
        output::Input::Stopped(problems),
        &mut stdout,
    );
    if let Err(error) = stdout.finish(written) {
        cannot_write("the report", &error);
    }
    EXIT_USAGE
}

/// Says on stderr that standard output failed while writing `what` (`the report`; empty for
/// plain output); exit code 2.
fn cannot_write(what: &str, error: &io::Error) -> u8 {
    let what = if what.is_empty() {
        String::new()
    } else {
        format!(" {what}")
    };
    let _ = writeln!(io::stderr(), "error: cannot write{what}: {error}");
    EXIT_USAGE
}

/// Writes to stdout with `write`, which returns the exit code. A broken pipe is success (exit
/// code 0: the output was cut short); another write error is exit code 2.
fn write_out(write: impl FnOnce(&mut dyn Write) -> io::Result<u8>) -> u8 {
    let mut stdout = Stdout::lock();
    let written = write(&mut stdout);
    match stdout.finish(written) {
        Ok(Some(code)) => code,
        Ok(None) => EXIT_CLEAN,
        Err(error) => cannot_write("", &error),
    }
}

/// The policies of `paths` (else those a `check` would use) as written: `[rules]` of the
/// configuration is not applied, because tests and checks are about the policies themselves.
/// Also returns the directories to look for tests in.
fn policies_as_written(
    paths: &[PathBuf],
    config: Option<&PathBuf>,
    locked: bool,
    out: &Output,
) -> Result<(PolicySet, Vec<PathBuf>), u8> {
    let args = PolicyArgs {
        policies: paths.to_vec(),
        config: config.cloned(),
        locked,
    };
    let config = match settings::config(&args, &out.cwd) {
        Ok(config) => config,
        Err(errors) => {
            let problems: Vec<Problem> = errors.into_iter().map(Problem::new).collect();
            return Err(stop(out, None, &problems));
        }
    };
    let packs = match settings::packs(config.as_ref(), locked) {
        Ok(packs) => packs,
        Err(problems) => return Err(stop(out, None, &problems)),
    };
    let source = policies::resolve(paths, config.as_ref(), &out.cwd);
    let dirs = policies::test_dirs(&source, &packs);
    match policies::load(&source, &packs) {
        Ok(policies) if policies.is_empty() => {
            let used = policies::PoliciesUsed::of(&source, &packs, &policies);
            let problem = Problem::plain(
                "usage::no_rules",
                format!("no rule to check: {}", used.describe()),
                Some("write at least one rule in a `*.policy` file".to_owned()),
            );
            Err(stop(out, Some(&policies), &[problem]))
        }
        Ok(mut policies) => {
            if let Some(config) = &config {
                policies.declare_custom_names(config.custom_names.iter().cloned());
            }
            Ok((policies, dirs))
        }
        Err(problems) => Err(stop(out, None, &problems)),
    }
}
