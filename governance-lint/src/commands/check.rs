//! `governance-lint check`: arguments and governance.toml → policies → discovery → the engine
//! → the renderer of the chosen format.

use std::io::{self, Write};
use std::path::PathBuf;

use governance_core::{Engine, LintOptions, PolicySet};

use super::{cannot_write, stop, Output, EXIT_CLEAN, EXIT_FINDINGS};
use crate::args::{CheckArgs, FailOn, OutputFormat};
use crate::config::Config;
use crate::console::Stdout;
use crate::policies::PoliciesUsed;
use crate::problem::Problem;
use crate::{changed, dbt, discover, output, run, settings};

pub fn check(args: &CheckArgs) -> u8 {
    let Started {
        out,
        config,
        policies,
        filters,
        roots,
        ..
    } = match start(args, false, |config, cwd| output(args, config, cwd)) {
        Ok(started) => started,
        Err(code) => return code,
    };
    let config = config.as_ref();
    let report = discover::FileId::of_stdout();
    let mut found = discover::discover(&roots, &filters, args.force_exclude, report);
    if !found.unselected.is_empty() && !settings::allow_empty(args.allow_empty, config) {
        let problems: Vec<Problem> = found.unselected.iter().map(|u| u.problem()).collect();
        return stop(&out, Some(&policies), &problems);
    }
    if let Some(reference) = &args.changed_since {
        match changed::Changed::since(reference, &out.cwd) {
            Ok(changed) => {
                let rules = settings::rule_files(&args.policy, config, &out.cwd);
                let note = changed.narrow(&mut found, &rules, &out.cwd);
                if let Some(note) = note.filter(|_| out.format == OutputFormat::Human) {
                    let _ = writeln!(io::stderr(), "note: {note}");
                }
            }
            Err(error) => {
                let problem = Problem::plain("usage::changed_since", error.message, error.help);
                return stop(&out, Some(&policies), &[problem]);
            }
        }
    }
    if let Some(jobs) = args.jobs {
        // Only fails if a global pool already exists, which nothing else creates.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let dbt = dbt::Enforced::find(&found.files, &out.cwd, &discover::repository_root(&out.cwd));
    let engine = engine(policies, args, config, &out.cwd);
    let job = run::Job {
        engine: &engine,
        dbt: &dbt,
        max_bytes: settings::max_file_bytes(config),
    };
    // Every path in report order: files, and the paths the walk could not read.
    let mut work: Vec<run::Work> = found.files.into_iter().map(run::Work::File).collect();
    work.extend(found.problems.into_iter().map(run::Work::Unreadable));
    work.extend(
        found
            .skipped
            .into_iter()
            .map(|(name, note)| run::Work::Skipped(name, note)),
    );
    work.sort_by(|a, b| a.name().cmp(b.name()));

    let fail_on = settings::fail_on(args.fail_on, config);
    let mut stdout = Stdout::lock();
    let (summary, written) = output::report(
        out.format,
        &out.setup(Some(engine.policies()), fail_on.value.threshold()),
        output::Input::Lint {
            job,
            work: &work,
            late: &Vec::new,
        },
        &mut stdout,
    );
    match stdout.finish(written) {
        Ok(_) => exit_code(&summary, fail_on),
        Err(error) => cannot_write("the report", &error),
    }
}

/// The engine that lints each file as `check` does (and `catalog` and `export`, so that their
/// findings and fields are `check`'s): the limits, date, strictness and conformance of the run,
/// the references followed within the repository.
pub(super) fn engine(
    policies: PolicySet,
    args: &CheckArgs,
    config: Option<&Config>,
    cwd: &std::path::Path,
) -> Engine {
    Engine::new(policies)
        .with_options(
            LintOptions::default()
                .with_limits(settings::limits(config))
                .with_clock(settings::clock(args.today, config))
                .with_strict(settings::strict(args.strict, config))
                .with_conformance(settings::conformance(config))
                .with_allow_urls(settings::allow_urls(config)),
        )
        .with_resolver(crate::references::Repository::new(
            &discover::repository_root(cwd),
        ))
}

/// What `check`, `breaking`, `catalog` and `export` start from: where reports go and how they
/// look, the configuration and policies, and which paths are selected.
pub(super) struct Started {
    pub out: Output,
    pub config: Option<Config>,
    pub policies: PolicySet,
    /// The policies in use, as every output names them.
    pub used: PoliciesUsed,
    pub filters: discover::Filters,
    pub roots: Vec<PathBuf>,
}

/// Reads the current directory, the configuration and the policies (with the built-in change
/// rules when `changes`), and the globs; or reports (in the format `output` makes of the
/// configuration) why the run stops and returns its exit code.
pub(super) fn start(
    args: &CheckArgs,
    changes: bool,
    output: impl Fn(Option<&Config>, PathBuf) -> Output,
) -> Result<Started, u8> {
    let cwd = std::env::current_dir().map_err(|error| {
        let problem = Problem::plain(
            "usage::cwd",
            format!("cannot read the current directory: {error}"),
            None,
        );
        stop(&output(None, PathBuf::from(".")), None, &[problem])
    })?;
    let (used, config, policies) = match settings::setup_with(&args.policy, &cwd, changes) {
        Ok(setup) => (setup.used(), setup.config, setup.policies),
        Err(stopped) => {
            let mut out = output(stopped.config.as_ref(), cwd);
            out.context.config = stopped.config.as_ref().map(|c| c.source.name().to_owned());
            return Err(stop(&out, stopped.policies.as_ref(), &stopped.problems));
        }
    };
    let mut out = output(config.as_ref(), cwd);
    out.context = output::Context {
        policies: Some(used.clone()),
        config: config.as_ref().map(|c| c.source.name().to_owned()),
        today: settings::moved_today(args.today),
        strict: settings::strict(args.strict, config.as_ref()),
        against: None,
    };
    let doubtful = policies.warnings().len();
    if doubtful > 0 && out.format == OutputFormat::Human {
        let _ = writeln!(
            io::stderr(),
            "note: the policies have {}; `governance-lint check-policies` shows them",
            output::plural(doubtful, "doubtful statement")
        );
    }
    let filters = match settings::filters(args, config.as_ref(), &out.cwd) {
        Ok(filters) => filters,
        Err(discover::BadGlob(message)) => {
            let problem = Problem::plain("usage::bad_glob", message, None);
            return Err(stop(&out, Some(&policies), &[problem]));
        }
    };
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    Ok(Started {
        out,
        config,
        policies,
        used,
        filters,
        roots,
    })
}

pub(super) fn output(args: &CheckArgs, config: Option<&Config>, cwd: PathBuf) -> Output {
    Output {
        format: settings::format(args.format, config),
        color: args.color,
        verbose: args.verbose,
        cwd,
        context: output::Context::default(),
    }
}

/// 1 when a finding is at or above the threshold, or when a `mandatory` rule has a finding
/// (whatever governance.toml's `fail-on` says: only a person's `--fail-on never` on the
/// command line lets those pass, and then it is said on stderr); else 0.
pub(super) fn exit_code(summary: &output::Summary, fail_on: settings::FailOnChoice) -> u8 {
    let above = fail_on
        .value
        .threshold()
        .is_some_and(|threshold| summary.at_least(threshold) > 0);
    if above {
        return EXIT_FINDINGS;
    }
    if summary.mandatory == 0 {
        return EXIT_CLEAN;
    }
    if fail_on.from_flag && fail_on.value == FailOn::Never {
        let _ = writeln!(
            std::io::stderr(),
            "note: mandatory rules have {}, which {} not fail this run because `--fail-on never` was given on the command line",
            output::plural(summary.mandatory, "finding"),
            if summary.mandatory == 1 { "does" } else { "do" }
        );
        return EXIT_CLEAN;
    }
    let _ = writeln!(
        std::io::stderr(),
        "note: mandatory rules have {}, which {} the run whatever `fail-on` says in governance.toml",
        output::plural(summary.mandatory, "finding"),
        if summary.mandatory == 1 { "fails" } else { "fail" }
    );
    EXIT_FINDINGS
}
