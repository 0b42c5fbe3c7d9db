//! `governance-lint`: lint data contracts against governance policies.
//!
//! This binary is wiring only: arguments and governance.toml → policies → discovery → the
//! engine (`governance-core`) → a renderer. Exit codes: 0 clean, 1 findings at or above
//! `--fail-on`, 2 usage, configuration or policy errors. A closed standard output (`| head`)
//! ends the output quietly.

mod args;
mod changed;
mod config;
mod dbt;
mod discover;
mod explain;
mod git;
mod output;
mod packs;
mod paths;
mod policies;
mod policy_tests;
mod problem;
mod run;
mod settings;
mod text;

use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use governance_core::{Engine, LintOptions, PolicySet};

use args::{
    CheckArgs, CheckPoliciesArgs, Cli, ColorChoice, Command, ExplainArgs, OutputFormat,
    PacksCommand, PolicyArgs, RulesArgs, RulesFormat, TestArgs,
};
use output::Run;
use problem::Problem;

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
        Some(Command::Test(args)) => test(&args),
        Some(Command::CheckPolicies(args)) => check_policies(&args),
        Some(Command::Explain(args)) => explain(&args),
        Some(Command::Packs(args)) => match args.command {
            PacksCommand::Update(args) => packs_update(&args),
        },
        None => check(&cli.check),
    };
    ExitCode::from(code)
}

/// How a run of `check` reports.
struct Output {
    format: OutputFormat,
    color: ColorChoice,
    verbose: bool,
    cwd: PathBuf,
    /// What the run used, named in every format.
    context: output::Context,
}

fn check(args: &CheckArgs) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            let problem = Problem::plain(
                "usage::cwd",
                format!("cannot read the current directory: {error}"),
                None,
            );
            return stop(&output(args, None, PathBuf::from(".")), None, &[problem]);
        }
    };
    let (used, config, policies) = match settings::setup(&args.policy, &cwd) {
        Ok(setup) => (setup.used(), setup.config, setup.policies),
        Err(stopped) => {
            let mut out = output(args, stopped.config.as_ref(), cwd);
            out.context.config = stopped.config.as_ref().map(|c| c.source.name().to_owned());
            return stop(&out, stopped.policies.as_ref(), &stopped.problems);
        }
    };
    let config = config.as_ref();
    let mut out = output(args, config, cwd);
    out.context = output::Context {
        policies: Some(used),
        config: config.map(|c| c.source.name().to_owned()),
        today: settings::moved_today(args.today),
        strict: settings::strict(args.strict, config),
    };
    let out = out;
    let doubtful = policies.warnings().len();
    if doubtful > 0 && out.format == OutputFormat::Human {
        let _ = writeln!(
            io::stderr(),
            "note: the policies have {}; `governance-lint check-policies` shows them",
            output::plural(doubtful, "doubtful statement")
        );
    }
    let filters = match settings::filters(args, config, &out.cwd) {
        Ok(filters) => filters,
        Err(discover::BadGlob(message)) => {
            let problem = Problem::plain("usage::bad_glob", message, None);
            return stop(&out, Some(&policies), &[problem]);
        }
    };
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
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
    let engine = Engine::new(policies).with_options(
        LintOptions::default()
            .with_limits(settings::limits(config))
            .with_clock(settings::clock(args.today, config))
            .with_strict(settings::strict(args.strict, config)),
    );
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
    match out.format {
        OutputFormat::Human => return check_human(&out, job, &work, fail_on),
        OutputFormat::Json => return check_json(&out, job, &work, fail_on),
        OutputFormat::Github | OutputFormat::Sarif | OutputFormat::Junit => {}
    }
    // Machine formats are one document: keep every report, without its file's text.
    let mut reports = Vec::with_capacity(work.len());
    run::lint_in_order(
        job,
        &work,
        |report| report.detach(),
        |report, ()| reports.push(report),
    );
    let run = Run {
        reports: &reports,
        policies: Some(engine.policies()),
        problems: &[],
        context: &out.context,
        fail_on: fail_on.threshold(),
    };
    if let Err(code) = emit(&out, &run) {
        return code;
    }
    exit_code(&output::Summary::of(&reports), fail_on)
}

/// JSON streams too: each file's findings are serialised on a worker thread and written in
/// path order; the short `files` entries and the totals are written at the end.
fn check_json(out: &Output, job: run::Job<'_>, work: &[run::Work], fail_on: args::FailOn) -> u8 {
    let stdout = io::stdout();
    let mut writer = io::BufWriter::new(stdout.lock());
    let mut failed: Option<io::Error> = None;
    let mut summary = output::Summary::default();
    let mut stream = match output::json::Stream::begin(&mut writer) {
        Ok(stream) => Some(stream),
        Err(error) => {
            failed = Some(error);
            None
        }
    };
    run::lint_in_order(
        job,
        work,
        |report| output::json::prepare(report),
        |report, prepared| {
            summary.add_report(&report);
            if let (Some(stream), None) = (stream.as_mut(), failed.as_ref()) {
                stream.count(&report);
                failed = stream.file(&mut writer, &prepared).err();
            }
        },
    );
    let written = match (stream, failed) {
        (_, Some(error)) => Err(error),
        (Some(stream), None) => stream
            .end(&mut writer, &[], &out.context)
            .and_then(|()| writer.flush()),
        (None, None) => Ok(()),
    };
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            let _ = writeln!(io::stderr(), "error: cannot write the report: {error}");
            return EXIT_USAGE;
        }
    }
    exit_code(&summary, fail_on)
}

/// Human output streams: each file is rendered on a worker thread as soon as it is linted,
/// written in path order, and dropped; only the totals are kept.
fn check_human(out: &Output, job: run::Job<'_>, work: &[run::Work], fail_on: args::FailOn) -> u8 {
    let options = output::human::Options {
        color: use_color_on(out.color, io::stdout().is_terminal()),
        width: width(),
        verbose: out.verbose,
    };
    let stdout = io::stdout();
    let mut writer = io::BufWriter::new(stdout.lock());
    let mut summary = output::Summary::default();
    let mut failed: Option<io::Error> = None;
    run::lint_in_order(
        job,
        work,
        |report| output::human::render_file(report, &options),
        |report, text| {
            summary.add_report(&report);
            if failed.is_none() {
                failed = writer.write_all(text.as_bytes()).err();
            }
        },
    );
    let written = match failed {
        Some(error) => Err(error),
        None => output::human::write_summary(&mut writer, &summary, &out.context)
            .and_then(|()| writer.flush()),
    };
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            let _ = writeln!(io::stderr(), "error: cannot write the report: {error}");
            return EXIT_USAGE;
        }
    }
    exit_code(&summary, fail_on)
}

fn output(args: &CheckArgs, config: Option<&config::Config>, cwd: PathBuf) -> Output {
    Output {
        format: settings::format(args.format, config),
        color: args.color,
        verbose: args.verbose,
        cwd,
        context: output::Context::default(),
    }
}

/// 1 when a finding is at or above the threshold, else 0.
fn exit_code(summary: &output::Summary, fail_on: args::FailOn) -> u8 {
    match fail_on.threshold() {
        Some(threshold) if summary.at_least(threshold) > 0 => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}

/// Reports problems that stop the run: rendered for people on stderr always, and as a valid
/// document on stdout for the machine formats. Exit code 2.
fn stop(out: &Output, policies: Option<&PolicySet>, problems: &[Problem]) -> u8 {
    let options = output::human::Options {
        color: use_color_on(out.color, io::stderr().is_terminal()),
        width: width(),
        verbose: false,
    };
    let mut stderr = io::stderr().lock();
    let _ = output::human::problems(&mut stderr, problems, &options);
    let _ = stderr.flush();
    drop(stderr);
    if out.format != OutputFormat::Human {
        let run = Run {
            reports: &[],
            policies,
            problems,
            context: &out.context,
            // Nothing was linted: no finding to judge.
            fail_on: None,
        };
        let _ = emit(out, &run);
    }
    EXIT_USAGE
}

/// Writes the report in the chosen format to stdout (and the GitHub step summary). A broken
/// pipe ends the output quietly; any other write error is exit code 2.
fn emit(out: &Output, run: &Run<'_>) -> Result<(), u8> {
    let locator = output::Locator::new(&out.cwd, &discover::repository_root(&out.cwd));
    let stdout = io::stdout();
    let mut writer = io::BufWriter::new(stdout.lock());
    let written = match out.format {
        OutputFormat::Human => {
            let options = output::human::Options {
                color: use_color_on(out.color, io::stdout().is_terminal()),
                width: width(),
                verbose: out.verbose,
            };
            output::human::render(&mut writer, run.reports, &options, run.context)
        }
        OutputFormat::Json => output::json::render(&mut writer, run),
        OutputFormat::Github => {
            step_summary(run);
            output::github::render(&mut writer, run, &locator)
        }
        OutputFormat::Sarif => output::sarif::render(&mut writer, run, &locator),
        OutputFormat::Junit => output::junit::render(&mut writer, run),
    };
    match written.and_then(|()| writer.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(io::stderr(), "error: cannot write the report: {error}");
            Err(EXIT_USAGE)
        }
        _ => Ok(()),
    }
}

/// Appends the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is set; a failure to write
/// it is a warning, not a failed run.
fn step_summary(run: &Run<'_>) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let written = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|file| {
            let mut file = io::BufWriter::new(file);
            output::github::step_summary(&mut file, run)?;
            file.flush()
        });
    if let Err(error) = written {
        let _ = writeln!(
            io::stderr(),
            "warning: cannot write the step summary to `{}`: {error}",
            Path::new(&path).display()
        );
    }
}

fn rules(args: &RulesArgs) -> u8 {
    let out = Output {
        format: OutputFormat::Human,
        color: ColorChoice::Auto,
        verbose: false,
        cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        context: output::Context::default(),
    };
    let policies = match settings::setup(&args.policy, &out.cwd) {
        Ok(setup) => setup.policies,
        Err(stopped) => return stop(&out, stopped.policies.as_ref(), &stopped.problems),
    };
    let stdout = io::stdout();
    let mut writer = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        RulesFormat::Human => output::human::rules(&mut writer, &policies),
        RulesFormat::Json => output::json::rules(&mut writer, &policies),
    };
    match written.and_then(|()| writer.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(io::stderr(), "error: cannot write: {error}");
            EXIT_USAGE
        }
        _ => EXIT_CLEAN,
    }
}

/// An [`Output`] for the commands that only speak to people.
fn human_output(color: ColorChoice) -> Output {
    Output {
        format: OutputFormat::Human,
        color,
        verbose: false,
        cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        context: output::Context::default(),
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
        Err(error) => return Err(stop(out, None, &[Problem::new(error)])),
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
        Ok(policies) => Ok((policies, dirs)),
        Err(problems) => Err(stop(out, None, &problems)),
    }
}

/// Writes to stdout; a broken pipe is not an error.
fn write_out(write: impl FnOnce(&mut dyn Write) -> io::Result<u8>) -> u8 {
    let stdout = io::stdout();
    let mut writer = io::BufWriter::new(stdout.lock());
    match write(&mut writer).and_then(|code| writer.flush().map(|()| code)) {
        Ok(code) => code,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(error) => {
            let _ = writeln!(io::stderr(), "error: cannot write: {error}");
            EXIT_USAGE
        }
    }
}

fn test(args: &TestArgs) -> u8 {
    let out = human_output(args.color);
    let (policies, dirs) =
        match policies_as_written(&args.dirs, args.config.as_ref(), args.locked, &out) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
    let files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| governance_core::find_test_files(dir))
        .collect();
    if files.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "warning: no `*.tests.yaml` files beside the policies; write one per policy file (see docs/governance.md)"
        );
    }
    let report = Engine::new(policies).run_tests(&files);
    write_out(|w| {
        let passed = policy_tests::render(w, &report, args.require_coverage)?;
        Ok(if passed { EXIT_CLEAN } else { EXIT_FINDINGS })
    })
}

fn check_policies(args: &CheckPoliciesArgs) -> u8 {
    let out = human_output(args.color);
    let (policies, _) =
        match policies_as_written(&args.paths, args.config.as_ref(), args.locked, &out) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
    let color = use_color_on(args.color, io::stdout().is_terminal());
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(width());
    let warnings = policies.warnings();
    write_out(|w| {
        let mut text = String::new();
        for warning in warnings {
            text.clear();
            if handler.render_report(&mut text, warning).is_err() {
                text = format!("warning: {}\n", warning.message);
            }
            w.write_all(text.as_bytes())?;
        }
        let files: std::collections::BTreeSet<&str> =
            policies.rules().map(|r| r.file().name()).collect();
        writeln!(
            w,
            "checked {} in {}: no errors, {}",
            output::plural(policies.len(), "rule"),
            output::plural(files.len(), "file"),
            output::plural(warnings.len(), "warning")
        )?;
        Ok(if args.strict && !warnings.is_empty() {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        })
    })
}

fn explain(args: &ExplainArgs) -> u8 {
    let out = human_output(ColorChoice::Auto);
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
            let engine = Engine::new(policies.clone()).with_options(
                LintOptions::default()
                    .with_limits(settings::limits(config))
                    .with_clock(settings::clock(None, config))
                    .with_strict(settings::strict(false, config)),
            );
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
        Err(message) => {
            let problem = Problem::plain("usage::explain", message, None);
            stop(&out, Some(&policies), &[problem])
        }
    }
}

/// `packs update`: fetch every pack and rewrite governance.lock.
fn packs_update(args: &args::PacksUpdateArgs) -> u8 {
    let out = human_output(args.color);
    let policy = PolicyArgs {
        config: args.config.clone(),
        ..PolicyArgs::default()
    };
    let config = match settings::config(&policy, &out.cwd) {
        Ok(Some(config)) => config,
        Ok(None) => {
            let problem = Problem::plain(
                "usage::no_config",
                "no `governance.toml` here or above: nothing lists packs to update",
                Some(
                    "list the packs under `[[packs]]` in governance.toml (docs/governance.md)"
                        .to_owned(),
                ),
            );
            return stop(&out, None, &[problem]);
        }
        Err(error) => return stop(&out, None, &[Problem::new(error)]),
    };
    match packs::update(&config) {
        Ok(lines) => write_out(|w| {
            for line in &lines {
                writeln!(w, "{line}")?;
            }
            Ok(EXIT_CLEAN)
        }),
        Err(problems) => stop(&out, None, &problems),
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn use_color_on(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
