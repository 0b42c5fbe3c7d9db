//! What `catalog` and `export` share with `check`: the configuration and policies, the files
//! the paths and globs select, and the engine that lints them.

use std::path::PathBuf;

use governance_core::Engine;

use super::check::{engine, start, Started};
use super::{stop, Output};
use crate::args::{OutputFormat, SelectArgs};
use crate::policies::PoliciesUsed;
use crate::problem::Problem;
use crate::{dbt, discover, output, run, settings};

/// The files to read, and how.
pub struct Selection {
    pub engine: Engine,
    pub dbt: dbt::Enforced,
    pub max_bytes: u64,
    /// Every path in report order.
    pub work: Vec<run::Work>,
    /// The policies in use, as every output names them.
    pub used: PoliciesUsed,
    pub out: Output,
}

impl Selection {
    /// How to lint each file.
    pub fn job(&self) -> run::Job<'_> {
        run::Job {
            engine: &self.engine,
            dbt: &self.dbt,
            max_bytes: self.max_bytes,
        }
    }
}

/// Reads the configuration and policies and discovers the files, exactly as `check` does;
/// `Err` is the exit code of a run that stopped (the problems were reported).
pub fn select(args: &SelectArgs) -> Result<Selection, u8> {
    let check = args.as_check();
    let human = |cwd: PathBuf| Output {
        format: OutputFormat::Human,
        color: args.color,
        verbose: false,
        cwd,
        context: output::Context::default(),
    };
    let Started {
        out,
        config,
        policies,
        used,
        filters,
        roots,
    } = start(&check, false, |_, cwd| human(cwd))?;
    let config = config.as_ref();
    let found = discover::discover(&roots, &filters, args.force_exclude, None);
    if !found.unselected.is_empty() && !settings::allow_empty(args.allow_empty, config) {
        let problems: Vec<Problem> = found.unselected.iter().map(|u| u.problem()).collect();
        return Err(stop(&out, Some(&policies), &problems));
    }
    if let Some(jobs) = args.jobs {
        // Only fails if a global pool already exists, which nothing else creates.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let dbt = dbt::Enforced::find(&found.files, &out.cwd, &discover::repository_root(&out.cwd));
    let engine = engine(policies, &check, config, &out.cwd);
    let mut work: Vec<run::Work> = found.files.into_iter().map(run::Work::File).collect();
    work.extend(found.problems.into_iter().map(run::Work::Unreadable));
    work.extend(
        found
            .skipped
            .into_iter()
            .map(|(name, note)| run::Work::Skipped(name, note)),
    );
    work.sort_by(|a, b| a.name().cmp(b.name()));
    Ok(Selection {
        engine,
        dbt,
        max_bytes: settings::max_file_bytes(config),
        work,
        used,
        out,
    })
}

/// Reads and describes one item of the work: its report, and the products of its contracts.
pub fn describe(
    job: run::Job<'_>,
    item: &run::Work,
) -> (governance_core::FileReport, Vec<governance_core::Product>) {
    match item {
        run::Work::File(candidate) => match run::read_file(job, candidate) {
            Ok((source, options)) => job.engine.describe_with(source, &options),
            Err(report) => (*report, Vec::new()),
        },
        run::Work::Unreadable(problem) => (run::walk_failure(problem), Vec::new()),
        run::Work::Skipped(name, skip) => (run::skipped(name, skip), Vec::new()),
        // Pairs of versions come only from `breaking` and `diff`, never from this selection;
        // compared as `breaking` compares them should one appear.
        run::Work::Compare(pair) => (run::compare_file(job, pair), Vec::new()),
    }
}
