//! `governance-lint breaking --against HEAD~1` on a git repository of the reference corpus in
//! which the last commit changed 5 % of the contracts (each lost a field and had its
//! description edited), against what issue 13 allows: at most 1.5 × a `check` of the changed
//! files plus the time git takes to show their previous versions (the `git diff --raw -M`,
//! `git ls-files` and one `git cat-file --batch` that `breaking` runs).

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use rayon::prelude::*;

use crate::generate::{self, Mix};
use crate::measure::{Job, Summary};
use crate::suite::{Settings, Tools};
use crate::{at, Result};

/// One contract in this many changed in the last commit.
const CHANGED_EVERY: usize = 20;

/// The measurement.
#[derive(Debug, Clone)]
pub(crate) struct Breaking {
    /// The contracts in the repository, and those the last commit changed.
    pub(crate) files: usize,
    pub(crate) changed: usize,
    /// The findings of the change rules (`field-removed`, `major-version-not-bumped`...).
    pub(crate) findings: u64,
    /// `breaking . --against HEAD~1`.
    pub(crate) breaking: Summary,
    /// `check` of the changed files, named on the command line.
    pub(crate) check: Summary,
    /// What git does for `breaking`: the diff, the tracked files (the walk asks), the old blobs.
    pub(crate) git: Summary,
}

impl Breaking {
    /// `breaking` over the budget's base (`check` of the changed files plus git), by wall time.
    pub(crate) fn ratio(&self) -> f64 {
        let base = self.check.best + self.git.best;
        self.breaking.best.as_secs_f64() / base.as_secs_f64().max(f64::EPSILON)
    }

    /// The same, by CPU time (steadier on a busy machine).
    pub(crate) fn cpu_ratio(&self) -> f64 {
        let base = self.check.cpu + self.git.cpu;
        self.breaking.cpu.as_secs_f64() / base.as_secs_f64().max(f64::EPSILON)
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
        ])
        .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(output.stdout)
}

/// The repository: `count` contracts committed, then 5 % of them changed in a second commit.
/// Reused when it exists with the same parameters.
fn repository(settings: &Settings, count: usize) -> Result<(PathBuf, Vec<PathBuf>)> {
    let dir = settings
        .work
        .join("breaking")
        .join(settings.mix.name())
        .join(count.to_string());
    let changed: Vec<u64> = (0..count as u64)
        .filter(|i| *i as usize % CHANGED_EVERY == 0)
        .collect();
    let paths: Vec<PathBuf> = changed
        .iter()
        .map(|&i| generate::contract(settings.mix, settings.seed, i).path)
        .collect();
    let params = format!(
        "mix = {}\nseed = {}\ncount = {count}\nchanged every = {CHANGED_EVERY}\n",
        settings.mix.name(),
        settings.seed
    );
    let marker = settings
        .work
        .join("breaking")
        .join(format!("{}-{count}.params", settings.mix.name()));
    if dir.join(".git").is_dir() && fs::read_to_string(&marker).is_ok_and(|p| p == params) {
        eprintln!("  repository reused: {}", dir.display());
        return Ok((dir, paths));
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(at(&dir))?;
    }
    fs::create_dir_all(&dir).map_err(at(&dir))?;
    eprintln!(
        "  writing a repository of {count} contracts: {}",
        dir.display()
    );
    let write = |file: generate::GeneratedFile| -> Result<()> {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(at(parent))?;
        }
        fs::write(&path, &file.text).map_err(at(&path))?;
        Ok(())
    };
    (0..count as u64)
        .into_par_iter()
        .try_for_each(|i| write(generate::contract(settings.mix, settings.seed, i)))?;
    git(&dir, &["init", "-q"])?;
    git(&dir, &["add", "-A"])?;
    git(&dir, &["commit", "-q", "-m", "base"])?;
    changed
        .par_iter()
        .try_for_each(|&i| write(generate::changed_contract(settings.mix, settings.seed, i)))?;
    git(&dir, &["add", "-A"])?;
    git(
        &dir,
        &["commit", "-q", "-m", "5 % of the contracts changed"],
    )?;
    fs::write(&marker, params).map_err(at(&marker))?;
    Ok((dir, paths))
}

/// Measures `breaking --against HEAD~1` and its budget at `count` contracts.
pub(crate) fn measure(tools: &Tools, settings: &Settings, count: usize) -> Result<Breaking> {
    eprintln!("breaking --against HEAD~1, {count} contracts, 5 % changed");
    let (dir, changed) = repository(settings, count)?;
    let jobs = settings.jobs.to_string();
    let policies: OsString = tools.policies.clone().into();
    let breaking = Job::new(
        format!("breaking --against HEAD~1 N={count}"),
        &tools.lint,
        [
            OsString::from("breaking"),
            ".".into(),
            "--against".into(),
            "HEAD~1".into(),
            "--policies".into(),
            policies.clone(),
            "--format".into(),
            "json".into(),
            "--jobs".into(),
            jobs.clone().into(),
        ],
        &[0, 1],
    )
    .in_dir(&dir);
    let mut check_args: Vec<OsString> = vec![
        "check".into(),
        "--policies".into(),
        policies,
        "--format".into(),
        "json".into(),
        "--jobs".into(),
        jobs.into(),
    ];
    check_args.extend(changed.iter().map(|p| p.clone().into_os_string()));
    let check = Job::new(
        format!("check of the {} changed files", changed.len()),
        &tools.lint,
        check_args,
        &[0, 1],
    )
    .in_dir(&dir);
    // The old blobs of the changed files, as `breaking` asks `git cat-file --batch` for them.
    let raw = git(&dir, &["diff", "--raw", "--no-abbrev", "HEAD~1", "--"])?;
    let ids: String = String::from_utf8_lossy(&raw)
        .lines()
        .filter_map(|line| line.split(' ').nth(2))
        .map(|id| format!("{id}\n"))
        .collect();
    let ids_file = settings.work.join("breaking").join("old-blobs.txt");
    fs::write(&ids_file, ids).map_err(at(&ids_file))?;
    let script = format!(
        "git diff --raw -z -M --no-abbrev HEAD~1 -- >/dev/null \
         && git ls-files -z --recurse-submodules >/dev/null \
         && git cat-file --batch <'{}' >/dev/null",
        ids_file.display()
    );
    let git_job = Job::new(
        "git: diff, tracked files, old blobs",
        Path::new("sh"),
        ["-c", &script],
        &[0],
    )
    .in_dir(&dir);

    // One unmeasured run checks that every changed file was compared.
    let report: serde_json::Value = serde_json::from_str(&breaking.output()?)
        .map_err(|error| format!("breaking's JSON report does not parse: {error}"))?;
    let compared = report["summary"]["compared"].as_u64().unwrap_or(0);
    if compared != changed.len() as u64 {
        return Err(format!(
            "breaking compared {compared} files in {}, expected {}",
            dir.display(),
            changed.len()
        )
        .into());
    }
    let findings = report["findings"].as_array().map_or(0, Vec::len) as u64;
    let summaries = tools
        .meter
        .rounds(&[breaking, check, git_job], settings.runs)?;
    let [breaking, check, git] = summaries.as_slice() else {
        return Err("expected three summaries".into());
    };
    Ok(Breaking {
        files: count,
        changed: changed.len(),
        findings,
        breaking: *breaking,
        check: *check,
        git: *git,
    })
}

/// The report's section.
pub(crate) fn markdown(result: &Breaking, mix: Mix, runs: usize, jobs: usize) -> Vec<String> {
    use crate::report::time;
    let budget = 1.5 * (result.check.best + result.git.best).as_secs_f64();
    vec![
        format!(
            "`breaking --against HEAD~1` on a git repository of {} contracts ({}) whose last \
             commit changed {} of them (5 %: each lost a field and had its description edited), \
             `--jobs {jobs}`, best of {runs} runs; {} findings of the change rules:",
            result.files,
            mix.name(),
            result.changed,
            result.findings
        ),
        String::new(),
        "| run | wall | CPU | peak RSS |".to_owned(),
        "|---|---:|---:|---:|".to_owned(),
        row("`breaking . --against HEAD~1`", &result.breaking),
        row(
            &format!("`check` of the {} changed files", result.changed),
            &result.check,
        ),
        row(
            "git: `diff --raw -M`, `ls-files` (the tracked files), `cat-file --batch` of the old blobs",
            &result.git,
        ),
        String::new(),
        format!(
            "`breaking` costs {:.2}× (CPU: {:.2}×) a `check` of the changed files plus git; the \
             issue's budget is 1.5× ({}).",
            result.ratio(),
            result.cpu_ratio(),
            time(std::time::Duration::from_secs_f64(budget))
        ),
    ]
}

fn row(name: &str, summary: &Summary) -> String {
    format!(
        "| {name} | {} | {} | {:.1} MiB |",
        crate::report::time(summary.best),
        crate::report::time(summary.cpu),
        summary.peak_rss as f64 / (1024.0 * 1024.0)
    )
}
