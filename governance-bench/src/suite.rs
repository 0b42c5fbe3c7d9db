//! What the benchmark measures, in order: for each corpus size, the floor and the linter at one
//! thread and at all threads; then the human output, compiling many rules, the single-contract
//! start-up, and the cost of 200 rules against 10; every output format at each size; last,
//! one file with very many findings in every output format.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::generate::{self, Corpus, CorpusSpec, Mix};
use crate::measure::{Job, Meter, Summary};
use crate::Result;

/// Exit codes of a run that worked: `check` exits 1 when it finds errors.
const LINT_OK: &[i32] = &[0, 1];
const OK: &[i32] = &[0];

/// The programs under test.
#[derive(Debug, Clone)]
pub(crate) struct Tools {
    pub(crate) meter: Meter,
    pub(crate) lint: PathBuf,
    pub(crate) floor: PathBuf,
    /// The peer: the same two rules in Rego, with regorus (`governance-rego`).
    pub(crate) rego: PathBuf,
    /// The default policy pack (`policies/` of the repository).
    pub(crate) policies: PathBuf,
}

/// How to run the suite.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) sizes: Vec<usize>,
    pub(crate) mix: Mix,
    pub(crate) seed: u64,
    pub(crate) runs: usize,
    pub(crate) startup_runs: usize,
    /// Threads of the parallel runs (the single-thread runs use 1).
    pub(crate) jobs: usize,
    /// Where corpora and generated policies are written.
    pub(crate) work: PathBuf,
    /// The corpus size at which the human output and the policy cost are measured.
    pub(crate) reference_size: usize,
    /// The findings of the one-file measurement (0: not measured).
    pub(crate) one_file_findings: usize,
}

/// The linter's own account of a corpus (`--format json` summary).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Findings {
    pub(crate) files: u64,
    pub(crate) contracts: u64,
    pub(crate) errors: u64,
    pub(crate) warnings: u64,
    pub(crate) infos: u64,
    pub(crate) findings: u64,
}

/// The measurements at one corpus size.
#[derive(Debug, Clone)]
pub(crate) struct SizeResult {
    pub(crate) corpus: Corpus,
    pub(crate) findings: Findings,
    /// The floor at 1 thread and at `jobs` threads.
    pub(crate) floor: [Summary; 2],
    /// The walk-and-read floor (`governance-floor --read-only`: no parsing) at `jobs` threads.
    pub(crate) read: Summary,
    /// The linter (JSON output, default pack) at 1 thread and at `jobs` threads.
    pub(crate) lint: [Summary; 2],
    /// The linter with human output at `jobs` threads (at the reference size only).
    pub(crate) human: Option<Summary>,
}

/// The measurements that do not depend on the corpus size.
#[derive(Debug, Clone)]
pub(crate) struct Extras {
    /// `governance-lint rules` with the default pack, and with a 1,000-rule file.
    pub(crate) rules_default: Summary,
    pub(crate) rules_1000: Summary,
    /// Linting (and floor-parsing) one contract.
    pub(crate) startup_lint: Summary,
    pub(crate) startup_floor: Summary,
    /// Linting the reference corpus with 10 and with 200 generated rules.
    pub(crate) policy_size: usize,
    pub(crate) policy_10: Summary,
    pub(crate) policy_200: Summary,
    pub(crate) findings_10: Findings,
    pub(crate) findings_200: Findings,
}

/// The output formats, in the order of the report.
pub(crate) const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "github"];

/// One file with very many findings, linted in every output format: rendering must stay
/// linear in the findings of a file, and memory must not grow with what a format keeps.
#[derive(Debug, Clone)]
pub(crate) struct OneFile {
    pub(crate) path: PathBuf,
    /// The file's fields, each one finding.
    pub(crate) fields: usize,
    pub(crate) bytes: u64,
    pub(crate) findings: Findings,
    /// The floor (walk, read, parse) on the file.
    pub(crate) floor: Summary,
    /// Each format of [`FORMATS`], in order.
    pub(crate) formats: Vec<FormatResult>,
}

/// Every output format on one corpus: whatever a format keeps until the end of a run shows as
/// memory that grows with the repository.
#[derive(Debug, Clone)]
pub(crate) struct Formats {
    /// The corpus's contracts.
    pub(crate) files: usize,
    pub(crate) findings: Findings,
    /// Each format of [`FORMATS`], in order.
    pub(crate) formats: Vec<FormatResult>,
}

/// One output format on one corpus or file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FormatResult {
    pub(crate) format: &'static str,
    pub(crate) summary: Summary,
    /// The size of what it writes on standard output.
    pub(crate) output_bytes: u64,
}

/// Everything the suite measured.
#[derive(Debug, Clone)]
pub(crate) struct Results {
    pub(crate) settings: Settings,
    pub(crate) sizes: Vec<SizeResult>,
    pub(crate) extras: Extras,
    /// Every output format on each corpus, in the order of the sizes.
    pub(crate) formats: Vec<Formats>,
    pub(crate) one_file: Option<OneFile>,
    pub(crate) peers: Peers,
    /// `breaking --against HEAD~1` at the reference size (when it is one of the sizes).
    pub(crate) breaking: Option<crate::breaking::Breaking>,
}

/// The same two rules (R1: `domain`, `owner`, `data_product`, `schema_version` exist; R2: a
/// field named `email` is encrypted) in this linter's language and in Rego with regorus, on a
/// seed-shape corpus, both at `jobs` threads; each verified to count the same violations.
#[derive(Debug, Clone)]
pub(crate) struct Peers {
    pub(crate) contracts: usize,
    pub(crate) violations: u64,
    pub(crate) lint: Summary,
    pub(crate) rego: Summary,
}

/// R1 and R2 in the policy language (`governance-rego` has them in Rego).
const PEER_POLICY: &str = "rule r1-required {\n  contract must have domain, owner, data_product, schema_version\n}\n\nrule r2-email-encrypted {\n  fields named email must be encrypted\n}\n";

/// Runs the whole suite.
pub(crate) fn run(tools: &Tools, settings: &Settings) -> Result<Results> {
    let mut sizes = Vec::new();
    for &count in &settings.sizes {
        sizes.push(measure_size(tools, settings, count)?);
    }
    let extras = measure_extras(tools, settings, &sizes)?;
    let formats = sizes
        .iter()
        .map(|size| measure_formats(tools, settings, size))
        .collect::<Result<Vec<Formats>>>()?;
    let one_file = measure_one_file(tools, settings)?;
    let peers = measure_peers(tools, settings)?;
    let breaking = if settings.sizes.contains(&settings.reference_size) {
        Some(crate::breaking::measure(
            tools,
            settings,
            settings.reference_size,
        )?)
    } else {
        None
    };
    Ok(Results {
        settings: settings.clone(),
        sizes,
        extras,
        formats,
        one_file,
        peers,
        breaking,
    })
}

fn corpus(settings: &Settings, count: usize) -> Result<Corpus> {
    let dir = settings
        .work
        .join(settings.mix.name())
        .join(count.to_string());
    let spec = CorpusSpec {
        mix: settings.mix,
        seed: settings.seed,
        count,
    };
    eprintln!("corpus of {count} contracts in {}", dir.display());
    let corpus = generate::ensure_corpus(&dir, spec)?;
    if !corpus.generated {
        eprintln!("  reused (same parameters)");
    }
    Ok(corpus)
}

fn lint_job(tools: &Tools, label: String, path: &Path, policies: &Path, more: &[&str]) -> Job {
    let mut args: Vec<OsString> = vec![
        "check".into(),
        path.into(),
        "--policies".into(),
        policies.into(),
    ];
    args.extend(more.iter().map(OsString::from));
    Job::new(label, &tools.lint, args, LINT_OK)
}

fn floor_job(tools: &Tools, label: String, path: &Path, jobs: usize) -> Job {
    Job::new(
        label,
        &tools.floor,
        [
            path.into(),
            "--jobs".into(),
            OsString::from(jobs.to_string()),
        ],
        OK,
    )
}

/// The floor without parsing: walk and read only.
fn read_job(tools: &Tools, label: String, path: &Path, jobs: usize) -> Job {
    Job::new(
        label,
        &tools.floor,
        [
            path.into(),
            "--read-only".into(),
            "--jobs".into(),
            OsString::from(jobs.to_string()),
        ],
        OK,
    )
}

fn measure_size(tools: &Tools, settings: &Settings, count: usize) -> Result<SizeResult> {
    let corpus = corpus(settings, count)?;
    let dir = &corpus.dir;
    let threads = [1, settings.jobs];
    let floor =
        threads.map(|jobs| floor_job(tools, format!("floor N={count} --jobs {jobs}"), dir, jobs));
    let lint = threads.map(|jobs| {
        let jobs = jobs.to_string();
        lint_job(
            tools,
            format!("lint N={count} --jobs {jobs}"),
            dir,
            &tools.policies,
            &["--format", "json", "--jobs", &jobs],
        )
    });

    // One unmeasured run of each warms the page cache and checks that both saw every file.
    let [_, floor_all] = &floor;
    let seen = floor_files(&floor_all.output()?)?;
    if seen != count as u64 {
        return Err(format!(
            "the floor read {seen} files in {}, expected {count}",
            dir.display()
        )
        .into());
    }
    let [_, lint_all] = &lint;
    let findings = findings(&lint_all.output()?)?;
    if findings.files != count as u64 {
        return Err(format!(
            "the linter read {} files in {}, expected {count}",
            findings.files,
            dir.display()
        )
        .into());
    }
    if findings.contracts != count as u64 {
        eprintln!(
            "  note: the linter linted {} contracts of {count} files",
            findings.contracts
        );
    }

    let read = read_job(
        tools,
        format!("walk and read N={count} --jobs {}", settings.jobs),
        dir,
        settings.jobs,
    );
    let read_seen = floor_files(&read.output()?)?;
    if read_seen != count as u64 {
        return Err(format!(
            "the walk-and-read floor read {read_seen} files in {}, expected {count}",
            dir.display()
        )
        .into());
    }

    let jobs: Vec<Job> = floor
        .iter()
        .chain(&lint)
        .chain(std::iter::once(&read))
        .cloned()
        .collect();
    let summaries = tools.meter.rounds(&jobs, settings.runs)?;
    let [floor_1, floor_n, lint_1, lint_n, read] = summaries.as_slice() else {
        return Err("expected five summaries".into());
    };
    let human = if count == settings.reference_size {
        let jobs = settings.jobs.to_string();
        let job = lint_job(
            tools,
            format!("lint N={count} --format human --jobs {jobs}"),
            dir,
            &tools.policies,
            &["--format", "human", "--color", "never", "--jobs", &jobs],
        );
        tools.meter.rounds(&[job], settings.runs)?.first().copied()
    } else {
        None
    };
    Ok(SizeResult {
        floor: [*floor_1, *floor_n],
        read: *read,
        lint: [*lint_1, *lint_n],
        corpus,
        findings,
        human,
    })
}

fn measure_extras(tools: &Tools, settings: &Settings, sizes: &[SizeResult]) -> Result<Extras> {
    let policy_dir = settings.work.join("policies");
    let many = policy_dir.join("rules-1000.policy");
    generate::write_policy_file(&many, settings.seed, 1000)?;
    let rules = |label: &str, policies: &Path| {
        Job::new(
            label,
            &tools.lint,
            [
                OsString::from("rules"),
                "--policies".into(),
                policies.into(),
            ],
            OK,
        )
    };
    eprintln!("compiling rules");
    let rules_default = tools.meter.repeat(
        &rules("rules, default pack", &tools.policies),
        settings.startup_runs,
    )?;
    let rules_1000 = tools
        .meter
        .repeat(&rules("rules, 1,000 rules", &many), settings.startup_runs)?;

    eprintln!("start-up: one contract");
    let smallest = sizes
        .iter()
        .min_by_key(|size| size.corpus.files)
        .ok_or("no corpus size to take a contract from")?;
    let one = smallest
        .corpus
        .dir
        .join(generate::contract(settings.mix, settings.seed, 0).path);
    let startup_lint = tools.meter.repeat(
        &lint_job(
            tools,
            "lint one contract".into(),
            &one,
            &tools.policies,
            &[],
        ),
        settings.startup_runs,
    )?;
    let startup_floor = tools.meter.repeat(
        &floor_job(tools, "floor one contract".into(), &one, settings.jobs),
        settings.startup_runs,
    )?;

    eprintln!("policy cost: 10 rules vs 200 rules");
    let reference = sizes
        .iter()
        .find(|size| size.corpus.files == settings.reference_size)
        .or_else(|| sizes.iter().min_by_key(|size| size.corpus.files))
        .ok_or("no corpus to measure the policy cost on")?;
    let ten = policy_dir.join("rules-10");
    let two_hundred = policy_dir.join("rules-200");
    generate::write_policy_dir(&ten, settings.seed, 10)?;
    generate::write_policy_dir(&two_hundred, settings.seed, 200)?;
    let jobs = settings.jobs.to_string();
    let policy_job = |rules: &Path, count: usize| {
        lint_job(
            tools,
            format!("lint N={} with {count} rules", reference.corpus.files),
            &reference.corpus.dir,
            rules,
            &["--format", "json", "--jobs", &jobs],
        )
    };
    let policy_jobs = [policy_job(&ten, 10), policy_job(&two_hundred, 200)];
    let findings_10 = findings(&policy_jobs[0].output()?)?;
    let findings_200 = findings(&policy_jobs[1].output()?)?;
    let summaries = tools.meter.rounds(&policy_jobs, settings.runs)?;
    let [policy_10, policy_200] = summaries.as_slice() else {
        return Err("expected two summaries".into());
    };
    Ok(Extras {
        rules_default,
        rules_1000,
        startup_lint,
        startup_floor,
        policy_size: reference.corpus.files,
        policy_10: *policy_10,
        policy_200: *policy_200,
        findings_10,
        findings_200,
    })
}

/// Every output format on the corpus of `size`, at `jobs` threads, standard output discarded.
fn measure_formats(tools: &Tools, settings: &Settings, size: &SizeResult) -> Result<Formats> {
    let count = size.corpus.files;
    eprintln!("every output format, {count} contracts");
    let jobs = settings.jobs.to_string();
    let lint = FORMATS.map(|format| {
        lint_job(
            tools,
            format!("lint N={count} --format {format} --jobs {jobs}"),
            &size.corpus.dir,
            &tools.policies,
            &["--format", format, "--color", "never", "--jobs", &jobs],
        )
    });
    // One unmeasured run of each gives the size of its output.
    let output_bytes = lint
        .iter()
        .map(|job| Ok(job.output()?.len() as u64))
        .collect::<Result<Vec<u64>>>()?;
    let summaries = tools.meter.rounds(&lint, settings.runs)?;
    let formats = FORMATS
        .iter()
        .zip(summaries)
        .zip(output_bytes)
        .map(|((format, summary), output_bytes)| FormatResult {
            format,
            summary,
            output_bytes,
        })
        .collect();
    Ok(Formats {
        files: count,
        findings: size.findings,
        formats,
    })
}

/// One contract with `one_file_findings` unencrypted `email` fields (one finding each, with the
/// default pack), linted with every output format and parsed by the floor.
fn measure_one_file(tools: &Tools, settings: &Settings) -> Result<Option<OneFile>> {
    let fields = settings.one_file_findings;
    if fields == 0 {
        return Ok(None);
    }
    let path = settings
        .work
        .join("one-file")
        .join(format!("fields-{fields}.yaml"));
    eprintln!("one file with {fields} findings: {}", path.display());
    let bytes = generate::write_many_findings(&path, fields)?;
    let jobs = settings.jobs.to_string();
    let lint = FORMATS.map(|format| {
        lint_job(
            tools,
            format!("one file, {fields} findings, --format {format}"),
            &path,
            &tools.policies,
            &["--format", format, "--color", "never", "--jobs", &jobs],
        )
    });
    let floor = floor_job(
        tools,
        format!("floor, one file of {fields} fields"),
        &path,
        settings.jobs,
    );
    // One unmeasured run of each format checks the findings and gives the size of its output.
    let mut found = Findings::default();
    let mut output_bytes = Vec::new();
    for (format, job) in FORMATS.iter().zip(&lint) {
        let output = job.output()?;
        if *format == "json" {
            found = findings(&output)?;
        }
        output_bytes.push(output.len() as u64);
    }
    if found.findings != fields as u64 {
        return Err(format!(
            "the linter found {} findings in {}, expected {fields}",
            found.findings,
            path.display()
        )
        .into());
    }
    let jobs: Vec<Job> = std::iter::once(floor).chain(lint).collect();
    let summaries = tools.meter.rounds(&jobs, settings.runs)?;
    let (floor, formats) = summaries
        .split_first()
        .ok_or("expected a summary per format")?;
    let formats = FORMATS
        .iter()
        .zip(formats)
        .zip(output_bytes)
        .map(|((format, summary), output_bytes)| FormatResult {
            format,
            summary: *summary,
            output_bytes,
        })
        .collect();
    Ok(Some(OneFile {
        path,
        fields,
        bytes,
        findings: found,
        floor: *floor,
        formats,
    }))
}

/// R1 and R2 with this linter and with regorus, on a seed corpus of the reference size.
fn measure_peers(tools: &Tools, settings: &Settings) -> Result<Peers> {
    let count = settings.reference_size;
    let dir = settings.work.join("seed").join(count.to_string());
    eprintln!("peers: R1 and R2 in Rego (regorus) and in the policy language, {count} contracts");
    let corpus = generate::ensure_corpus(
        &dir,
        CorpusSpec {
            mix: Mix::Seed,
            seed: settings.seed,
            count,
        },
    )?;
    let policy = settings.work.join("policies").join("peers.policy");
    if let Some(parent) = policy.parent() {
        std::fs::create_dir_all(parent).map_err(crate::at(parent))?;
    }
    std::fs::write(&policy, PEER_POLICY).map_err(crate::at(&policy))?;
    let jobs = settings.jobs.to_string();
    let lint = lint_job(
        tools,
        format!("R1+R2, policy language, N={count} --jobs {jobs}"),
        &corpus.dir,
        &policy,
        &["--format", "json", "--jobs", &jobs],
    );
    let rego = Job::new(
        format!("R1+R2, Rego (regorus), N={count} --jobs {jobs}"),
        &tools.rego,
        [
            corpus.dir.clone().into_os_string(),
            "--jobs".into(),
            OsString::from(jobs.clone()),
        ],
        OK,
    );
    // Both must find the same violations, or the comparison means nothing.
    let ours = rule_findings(&lint.output()?, &["r1-required", "r2-email-encrypted"])?;
    let theirs = key_count(&rego.output()?, "violations")?;
    if ours != theirs {
        return Err(format!(
            "the peers disagree on {}: the linter finds {ours} violations of R1 and R2, regorus {theirs}",
            corpus.dir.display()
        )
        .into());
    }
    let summaries = tools.meter.rounds(&[lint, rego], settings.runs)?;
    let [lint, rego] = summaries.as_slice() else {
        return Err("expected two summaries".into());
    };
    Ok(Peers {
        contracts: corpus.files,
        violations: ours,
        lint: *lint,
        rego: *rego,
    })
}

/// How many findings of `rules` a JSON report holds.
fn rule_findings(report: &str, rules: &[&str]) -> Result<u64> {
    let value: serde_json::Value = serde_json::from_str(report)
        .map_err(|error| format!("the linter's JSON report does not parse: {error}"))?;
    Ok(value["findings"].as_array().map_or(0, |findings| {
        findings
            .iter()
            .filter(|f| f["rule"].as_str().is_some_and(|rule| rules.contains(&rule)))
            .count() as u64
    }))
}

/// The `KEY=` count a program printed (`files=`, `violations=`).
fn key_count(output: &str, key: &str) -> Result<u64> {
    let prefix = format!("{key}=");
    output
        .split_whitespace()
        .find_map(|pair| pair.strip_prefix(prefix.as_str()))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("unexpected output (no `{key}=`): {output}").into())
}

/// The `files=` count the floor printed.
fn floor_files(output: &str) -> Result<u64> {
    output
        .split_whitespace()
        .find_map(|pair| pair.strip_prefix("files="))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("unexpected floor output: {output}").into())
}

/// The summary of a `--format json` report.
fn findings(report: &str) -> Result<Findings> {
    let value: serde_json::Value = serde_json::from_str(report)
        .map_err(|error| format!("the linter's JSON report does not parse: {error}"))?;
    let summary = &value["summary"];
    let count = |key: &str| summary[key].as_u64().unwrap_or(0);
    Ok(Findings {
        files: count("files"),
        contracts: count("contracts"),
        errors: count("errors"),
        warnings: count("warnings"),
        infos: count("infos"),
        findings: value["findings"].as_array().map_or(0, Vec::len) as u64,
    })
}
