//! `governance-lint breaking --against BASE`: each selected contract compared with its previous
//! version by the change rules, reported in any output format, with `check`'s path selection,
//! configuration and exit codes.

use std::io::{self, Write};
use std::path::PathBuf;

use governance_core::{Engine, LintOptions};

use super::check::{exit_code, output, start, Started};
use super::{cannot_write, stop, EXIT_USAGE};
use crate::args::{BreakingArgs, OutputFormat};
use crate::console::{Stdout, Style};
use crate::problem::Problem;
use crate::{against, dbt, discover, output, run, settings};

pub fn breaking(args: &BreakingArgs) -> u8 {
    let check = &args.check;
    if check.changed_since.is_some() {
        let problem = Problem::plain(
            "usage::changed_since",
            "`--changed-since` does not apply to `breaking`".to_owned(),
            Some("`breaking` compares the files that changed since `--against`; drop `--changed-since`".to_owned()),
        );
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        return stop(&output(check, None, cwd), None, &[problem]);
    }
    let Started {
        mut out,
        config,
        policies,
        filters,
        roots,
        ..
    } = match start(check, true, |config, cwd| output(check, config, cwd)) {
        Ok(started) => started,
        Err(code) => return code,
    };
    let config = config.as_ref();
    // No previous version over `max-file-bytes` is read, as no current one is.
    let limit = settings::max_file_bytes(config);
    // git says what changed while the tree is walked.
    let (found, based) = against::resolve_while(&args.against, &out.cwd, limit, || {
        discover::discover(
            &roots,
            &filters,
            check.force_exclude,
            discover::FileId::of_stdout(),
        )
    });
    if !found.unselected.is_empty() && !settings::allow_empty(check.allow_empty, config) {
        let problems: Vec<Problem> = found.unselected.iter().map(|u| u.problem()).collect();
        return stop(&out, Some(&policies), &problems);
    }
    let paired = based.and_then(|(base, changes)| {
        let pairs = base.pairs(changes, &found.files, &roots, &filters, &out.cwd, limit)?;
        Ok((base, pairs))
    });
    let (base, pairs) = match paired {
        Ok(paired) => paired,
        Err(error) => {
            let problem = Problem::plain("usage::against", error.message, error.help);
            return stop(&out, Some(&policies), &[problem]);
        }
    };
    out.context.against = Some(output::Against::of(&base, &policies, pairs.unchanged));
    let out = out;
    if let Some(jobs) = check.jobs {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let current: Vec<discover::Candidate> = pairs
        .pairs
        .iter()
        .filter_map(|p| p.current.clone())
        .collect();
    let dbt = dbt::Enforced::find(&current, &out.cwd, &discover::repository_root(&out.cwd));
    // References are followed as `check` follows them, in both versions.
    let engine = Engine::new(policies)
        .with_options(
            LintOptions::default()
                .with_limits(settings::limits(config))
                .with_clock(settings::clock(check.today, config))
                .with_strict(settings::strict(check.strict, config))
                .with_allow_urls(settings::allow_urls(config)),
        )
        .with_resolver(crate::references::AtBase::new(&base, &out.cwd));
    let job = run::Job {
        engine: &engine,
        dbt: &dbt,
        max_bytes: limit,
    };
    // A file named on the command line that no longer exists is reported as deleted, not as
    // unreadable, when it existed in the base.
    let deleted: Vec<String> = pairs
        .pairs
        .iter()
        .filter(|p| p.current.is_none())
        .map(|p| p.display.clone())
        .collect();
    let mut work: Vec<run::Work> = pairs.pairs.into_iter().map(run::Work::Compare).collect();
    work.extend(
        found
            .problems
            .into_iter()
            .filter(|problem| !deleted.contains(&problem.display))
            .map(run::Work::Unreadable),
    );
    work.sort_by(|a, b| a.name().cmp(b.name()));
    if work.is_empty() && out.format == OutputFormat::Human {
        let _ = writeln!(
            io::stderr(),
            "note: no contract changed against {}",
            base.describe()
        );
    }
    // git may have failed after the first comparisons: those that waited for a version it did
    // not read reported it unreadable, and the run stops as if the base could not be read.
    let reading = pairs.reading.as_deref();
    let stopped = || {
        against::finished(reading, &base)
            .err()
            .map(|error| Problem::plain("usage::against", error.message, error.help))
    };
    let late = || stopped().into_iter().collect();
    let fail_on = settings::fail_on(check.fail_on, config);
    let mut stdout = Stdout::lock();
    let (summary, written) = output::report(
        out.format,
        &out.setup(Some(engine.policies()), fail_on.value.threshold()),
        output::Input::Lint {
            job,
            work: &work,
            late: &late,
        },
        &mut stdout,
    );
    let written = stdout.finish(written);
    if let Some(problem) = stopped() {
        let mut stderr = io::stderr().lock();
        let _ = output::human::late_problems(&mut stderr, &[problem], Style::stderr(out.color));
        return EXIT_USAGE;
    }
    match written {
        Ok(_) => exit_code(&summary, fail_on),
        Err(error) => {
            cannot_write("the report", &error);
            EXIT_USAGE
        }
    }
}
