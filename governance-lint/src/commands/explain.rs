//! `governance-lint explain`: a contract (which rules apply and why), read exactly as `check`
//! reads it, or a rule (what it checks and where it is defined).

use governance_core::{Engine, LintOptions};

use super::{stop, write_out, Output, EXIT_CLEAN, EXIT_FINDINGS};
use crate::args::{CheckArgs, ColorChoice, ExplainArgs};
use crate::problem::Problem;
use crate::{dbt, discover, explain, run, settings};

pub fn explain(args: &ExplainArgs) -> u8 {
    let out = Output::human(ColorChoice::Auto);
    let (config, policies) = match settings::setup(&args.policy, &out.cwd) {
        Ok(setup) => (setup.config, setup.policies),
        Err(stopped) => return stop(&out, stopped.policies.as_ref(), &stopped.problems),
    };
    let config = config.as_ref();
    match explain::resolve(&args.target, &policies) {
        Ok(explain::Target::Files(roots)) => {
            // Read exactly as `check` reads: the same walk, encoding checks, limits and dbt
            // projects, so that `explain` never says a rule applies to a file `check` skips.
            let filters = match settings::filters(&CheckArgs::default(), config, &out.cwd) {
                Ok(filters) => filters,
                Err(discover::BadGlob(message)) => {
                    let problem = Problem::plain("usage::bad_glob", message, None);
                    return stop(&out, Some(&policies), &[problem]);
                }
            };
            let found = discover::discover(&roots, &filters, false, None);
            let dbt =
                dbt::Enforced::find(&found.files, &out.cwd, &discover::repository_root(&out.cwd));
            let engine = Engine::new(policies.clone())
                .with_options(
                    LintOptions::default()
                        .with_limits(settings::limits(config))
                        .with_clock(settings::clock(None, config))
                        .with_strict(settings::strict(false, config))
                        .with_conformance(settings::conformance(config))
                        .with_allow_urls(settings::allow_urls(config)),
                )
                .with_resolver(crate::references::Repository::new(
                    &discover::repository_root(&out.cwd),
                ));
            let job = run::Job {
                engine: &engine,
                dbt: &dbt,
                max_bytes: settings::max_file_bytes(config),
            };
            write_out(|w| {
                if found.files.is_empty() {
                    writeln!(
                        w,
                        "no `.yaml`, `.yml` or `.json` file to explain in `{}`",
                        args.target
                    )?;
                    return Ok(EXIT_FINDINGS);
                }
                let mut all_read = true;
                for candidate in &found.files {
                    let report = run::lint_file(job, candidate);
                    all_read &= explain::contract(w, candidate, &report, job)?;
                }
                Ok(if all_read { EXIT_CLEAN } else { EXIT_FINDINGS })
            })
        }
        Ok(explain::Target::Rule(rule)) => write_out(|w| {
            explain::rule(w, &rule, &policies)?;
            Ok(EXIT_CLEAN)
        }),
        Ok(explain::Target::Builtin(rule)) => write_out(|w| {
            explain::builtin(w, rule)?;
            Ok(EXIT_CLEAN)
        }),
        Err(message) => {
            let problem = Problem::plain("usage::explain", message, None);
            stop(&out, Some(&policies), &[problem])
        }
    }
}
