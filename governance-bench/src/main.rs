//! `governance-bench`: the end-to-end benchmark of `governance-lint`, in one command.
//!
//! ```sh
//! cargo run --release -p governance-bench                      # 1,000, 10,000 and 100,000 contracts
//! cargo run --release -p governance-bench -- --sizes 1000,10000 --format odcs
//! ```
//!
//! It builds the workspace in release mode (`cargo build --release --workspace`, skipped with
//! `--no-build`), generates the corpora deterministically under `target/bench-corpus/` (reused
//! when already there), then measures `governance-floor` (walk + read + parse, nothing else) and
//! `governance-lint check` on each, each run in its own `governance-bench measure` process so that
//! wall time and peak RSS are the child's alone; and one file with 100,000 findings in every
//! output format. The Markdown report goes to stdout (and to
//! `--output FILE`); progress goes to stderr. See docs/performance.md.

mod breaking;
mod generate;
mod lsp;
mod measure;
mod report;
mod suite;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Args, Parser, Subcommand};

use generate::Mix;
use measure::Meter;
use suite::{Settings, Tools};

/// Any error of the benchmark: it is reported and the run stops.
pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;

/// The benchmark's result type.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns an I/O error into one that names `path`.
pub(crate) fn at(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |error| format!("`{}`: {error}", path.display()).into()
}

/// Benchmark governance-lint against a parse-only floor on generated corpora.
#[derive(Debug, Parser)]
#[command(name = "governance-bench", args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Internal>,

    #[command(flatten)]
    bench: BenchArgs,
}

#[derive(Debug, Subcommand)]
enum Internal {
    /// Runs a command and prints its wall time, peak RSS and exit code (used by the benchmark
    /// itself for every measured run).
    #[command(hide = true)]
    Measure {
        /// Where the command's standard output goes (default: discarded).
        #[arg(long, value_name = "FILE")]
        stdout: Option<PathBuf>,

        /// The command and its arguments, after `--`.
        #[arg(last = true, required = true, value_name = "COMMAND")]
        command: Vec<OsString>,
    },
    /// The language server's latency: from `didChange` to `publishDiagnostics` on a large
    /// contract with a large pack (docs/performance.md).
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
struct LspArgs {
    /// The `governance-lint` binary (default: `target/release/governance-lint`).
    #[arg(long, value_name = "FILE")]
    lint: Option<PathBuf>,

    /// Rules in the generated pack.
    #[arg(long, default_value_t = 200)]
    rules: usize,

    /// Lines of the generated contract.
    #[arg(long, default_value_t = 2_000)]
    lines: usize,

    /// Edits timed one at a time.
    #[arg(long, default_value_t = 200)]
    edits: usize,

    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, Args)]
struct BenchArgs {
    /// Corpus sizes, in contracts.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000, 10_000, 100_000])]
    sizes: Vec<usize>,

    /// Contract shapes in the corpora.
    #[arg(long, value_enum, default_value_t = Mix::Mixed)]
    format: Mix,

    /// Seed of the corpus generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Timed runs of each measurement (the best is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,

    /// Timed runs of the short measurements (start-up, compiling rules).
    #[arg(long, default_value_t = 20)]
    startup_runs: usize,

    /// Threads of the parallel runs (default: one per core); single-thread runs use 1.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,

    /// The corpus size at which human output and the 10 vs 200 rules cost are measured (when
    /// it is one of `--sizes`; else the smallest size is used for the latter).
    #[arg(long, default_value_t = 10_000)]
    reference_size: usize,

    /// Findings in the one-file measurement: one contract with that many unencrypted `email`
    /// fields, linted in every output format (0: skip it).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    one_file_findings: usize,

    /// Use the release binaries as they are instead of running `cargo build --release --workspace`.
    #[arg(long)]
    no_build: bool,

    /// Where to put corpora and generated policies (default: `target/bench-corpus`).
    #[arg(long, value_name = "DIR")]
    corpus_dir: Option<PathBuf>,

    /// Only measure `breaking --against HEAD~1` (at `--reference-size`, 5 % of the contracts
    /// changed) and print its section of the report.
    #[arg(long)]
    breaking_only: bool,

    /// Also write the Markdown report to this file.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Internal::Measure { stdout, command }) => {
            measure::measure_command(stdout.as_deref(), &command)
        }
        Some(Internal::Lsp(args)) => lsp_bench(&args),
        None => bench(&cli.bench),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate's folder.
fn repository() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn lsp_bench(args: &LspArgs) -> Result<()> {
    let repo = repository();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"));
    let lint = args.lint.clone().unwrap_or_else(|| {
        target
            .join("release")
            .join(format!("governance-lint{}", std::env::consts::EXE_SUFFIX))
    });
    if !lint.is_file() {
        return Err(format!(
            "`{}` is missing: run `cargo build --release` first",
            lint.display()
        )
        .into());
    }
    let settings = lsp::Settings {
        lint,
        work: target.join("bench-corpus"),
        rules: args.rules,
        lines: args.lines,
        edits: args.edits.max(1),
        seed: args.seed,
    };
    let machine = report::Machine::describe(&repo);
    eprintln!("machine: {}", machine.line());
    let load_before = report::load_average();
    let table = lsp::run(&settings)?;
    println!("{table}");
    println!(
        "\nMachine: {}; load average before: {load_before:?}, after: {:?}.",
        machine.line(),
        report::load_average()
    );
    Ok(())
}

fn bench(args: &BenchArgs) -> Result<()> {
    let repo = repository();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"));
    if !args.no_build {
        build(&repo)?;
    }
    let work = args
        .corpus_dir
        .clone()
        .unwrap_or_else(|| target.join("bench-corpus"));
    // The binaries under test are copied aside, so that a build started elsewhere while the
    // benchmark runs cannot swap them in the middle.
    let release = target.join("release");
    let snapshot = work.join("bin");
    std::fs::create_dir_all(&snapshot).map_err(at(&snapshot))?;
    let tool = |name: &str| -> Result<PathBuf> {
        let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
        let built = release.join(&file);
        if !built.is_file() {
            return Err(format!(
                "`{}` is missing: run `cargo build --release --workspace` first",
                built.display()
            )
            .into());
        }
        let copy = snapshot.join(&file);
        std::fs::copy(&built, &copy).map_err(at(&copy))?;
        Ok(copy)
    };
    let tools = Tools {
        meter: Meter {
            bench: tool("governance-bench")?,
        },
        lint: tool("governance-lint")?,
        floor: tool("governance-floor")?,
        rego: tool("governance-rego")?,
        policies: repo.join("policies"),
    };
    let settings = Settings {
        sizes: args.sizes.clone(),
        mix: args.format,
        seed: args.seed,
        runs: args.runs.max(1),
        startup_runs: args.startup_runs.max(1),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
        work,
        reference_size: args.reference_size,
        one_file_findings: args.one_file_findings,
    };
    if settings.sizes.is_empty() {
        return Err("no corpus sizes given (`--sizes 1000,10000`)".into());
    }
    let machine = report::Machine::describe(&repo);
    eprintln!("machine: {}", machine.line());
    if args.breaking_only {
        let result = breaking::measure(&tools, &settings, settings.reference_size)?;
        let mut markdown = format!(
            "Machine: {}.\n\nCommand: `{}`\n\n",
            machine.line(),
            command_line()
        );
        for row in breaking::markdown(&result, settings.mix, settings.runs, settings.jobs) {
            markdown.push_str(&row);
            markdown.push('\n');
        }
        print!("{markdown}");
        if let Some(path) = &args.output {
            std::fs::write(path, &markdown).map_err(at(path))?;
        }
        return Ok(());
    }
    let load_before = report::load_average();
    let results = suite::run(&tools, &settings)?;
    let load_after = report::load_average();
    let markdown = report::markdown(
        &results,
        &machine,
        &command_line(),
        [load_before, load_after],
    );
    print!("{markdown}");
    if let Some(path) = &args.output {
        std::fs::write(path, &markdown).map_err(at(path))?;
    }
    Ok(())
}

/// `cargo build --release --workspace` in the repository, with cargo's output shown.
fn build(repo: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building: cargo build --release --workspace");
    let status = Command::new(cargo)
        .args(["build", "--release", "--workspace"])
        .current_dir(repo)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo build --release --workspace` failed ({status})").into())
    }
}

/// How this run was started, as the command to type to run it again.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        "cargo run --release -p governance-bench".to_owned()
    } else {
        format!(
            "cargo run --release -p governance-bench -- {}",
            args.join(" ")
        )
    }
}
