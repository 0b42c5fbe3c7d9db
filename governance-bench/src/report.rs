//! The machine description and the Markdown report.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::generate::Mix;
use crate::suite::{Findings, Formats, OneFile, Results, SizeResult};

/// What the numbers were measured on.
#[derive(Debug, Clone)]
pub(crate) struct Machine {
    pub(crate) cpu: String,
    pub(crate) cores: usize,
    pub(crate) memory: String,
    pub(crate) kernel: String,
    pub(crate) rustc: String,
    /// `git describe --always --dirty` of the repository, when there is one.
    pub(crate) commit: Option<String>,
}

impl Machine {
    /// Reads `/proc` and asks `rustc` and `git` (read-only) for their versions.
    pub(crate) fn describe(repo: &Path) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                (key.trim() == "model name").then(|| value.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| {
                let line = text.lines().find(|line| line.starts_with("MemTotal:"))?;
                let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(format!("{:.0} GiB", kib as f64 / (1024.0 * 1024.0)))
            })
            .unwrap_or_else(|| "unknown memory".to_owned());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|text| format!("Linux {}", text.trim()))
            .unwrap_or_else(|_| std::env::consts::OS.to_owned());
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let rustc = command_line(Command::new(rustc).arg("--version"))
            .unwrap_or_else(|| "unknown rustc".to_owned());
        let commit = command_line(
            Command::new("git")
                .arg("-C")
                .arg(repo)
                .args(["describe", "--always", "--dirty"]),
        );
        Self {
            cpu,
            cores,
            memory,
            kernel,
            rustc,
            commit,
        }
    }

    /// One line: "Intel Xeon ..., 2 cores, 24 GiB; Linux 6.1; rustc 1.95.0 ...".
    pub(crate) fn line(&self) -> String {
        let commit = self
            .commit
            .as_ref()
            .map(|commit| format!("; commit `{commit}`"))
            .unwrap_or_default();
        format!(
            "{}, {} cores, {}; {}; {}{commit}",
            self.cpu, self.cores, self.memory, self.kernel, self.rustc
        )
    }
}

/// The 1-, 5- and 15-minute load averages (`/proc/loadavg`): on a shared machine, a load
/// above the number of cores while the benchmark ran means its times are pessimistic.
pub(crate) fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The first line a command prints, if it runs and succeeds.
fn command_line(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    })
}

/// The whole report, in Markdown.
pub(crate) fn markdown(
    results: &Results,
    machine: &Machine,
    command: &str,
    load: [Option<String>; 2],
) -> String {
    let settings = &results.settings;
    let jobs = settings.jobs;
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("Machine: {}.", machine.line()));
    line(String::new());
    if let [Some(before), Some(after)] = &load {
        line(format!(
            "Load average (1, 5, 15 min) before the run: {before}; after: {after}."
        ));
        let busiest = [before, after]
            .iter()
            .filter_map(|load| load.split_whitespace().next()?.parse::<f64>().ok())
            .fold(0.0, f64::max);
        if busiest > machine.cores as f64 {
            line(format!(
                "The machine was busy with other work (load above its {} cores): wall times are \
                 pessimistic, and the CPU-time ratio below is the steadier figure.",
                machine.cores
            ));
        }
        line(String::new());
    }
    line(format!("Command: `{command}`"));
    line(String::new());
    let shapes = match settings.mix {
        Mix::Seed => "seed shapes (YAML list and mapping schemas, JSON)",
        Mix::Odcs => "ODCS v3",
        Mix::Mixed => "half seed shapes (YAML list and mapping schemas, JSON), half ODCS v3",
    };
    let average = results
        .sizes
        .iter()
        .map(|size| (size.corpus.bytes, size.corpus.files))
        .max_by_key(|(_, files)| *files)
        .map_or(0.0, |(bytes, files)| bytes as f64 / files.max(1) as f64);
    line(format!(
        "Corpus: {shapes}, seed {}, {:.1} KB per contract on average; the default policy pack; \
         best of {} runs; `--jobs {jobs}` unless stated.",
        settings.seed,
        average / 1000.0,
        settings.runs,
    ));
    line(String::new());
    line(format!(
        "| N | corpus | floor | lint | lint / floor | contracts/s | µs / contract | peak RSS floor | peak RSS lint | 1→{jobs} threads floor | 1→{jobs} threads lint | findings |"
    ));
    line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|".to_owned());
    for size in &results.sizes {
        line(size_row(size));
    }
    line(String::new());
    line(format!(
        "Single-thread wall times (`--jobs 1`, best run), the least CPU time (user + system) of \
         the `--jobs {jobs}` runs, which other programs on the machine disturb less than wall \
         time, and the medians of the `--jobs {jobs}` wall times:"
    ));
    line(String::new());
    line(
        "| N | floor, 1 thread | lint, 1 thread | lint / floor, 1 thread | floor CPU | lint CPU | lint / floor, CPU | floor median | lint median |"
            .to_owned(),
    );
    line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|".to_owned());
    for size in &results.sizes {
        let [floor_1, floor_n] = size.floor;
        let [lint_1, lint_n] = size.lint;
        line(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            thousands(size.corpus.files as u64),
            time(floor_1.best),
            time(lint_1.best),
            ratio(lint_1.best, floor_1.best),
            time(floor_n.cpu),
            time(lint_n.cpu),
            ratio(lint_n.cpu, floor_n.cpu),
            time(floor_n.median),
            time(lint_n.median),
        ));
    }
    line(String::new());
    line(format!(
        "Against the walk-and-read floor (`governance-floor --read-only`: the same walk and \
         reads, no parsing), at `--jobs {jobs}`, best runs and least CPU times:"
    ));
    line(String::new());
    line(
        "| N | walk + read | parse floor | lint | lint / parse floor | lint / walk + read | walk + read CPU | lint CPU | lint / walk + read, CPU |"
            .to_owned(),
    );
    line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|".to_owned());
    for size in &results.sizes {
        let [_, floor_n] = size.floor;
        let [_, lint_n] = size.lint;
        line(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            thousands(size.corpus.files as u64),
            time(size.read.best),
            time(floor_n.best),
            time(lint_n.best),
            ratio(lint_n.best, floor_n.best),
            ratio(lint_n.best, size.read.best),
            time(size.read.cpu),
            time(lint_n.cpu),
            ratio(lint_n.cpu, size.read.cpu),
        ));
    }
    line(String::new());
    let extras = &results.extras;
    line("| measurement | result |".to_owned());
    line("|---|---:|".to_owned());
    for size in &results.sizes {
        if let Some(human) = size.human {
            let [_, json] = size.lint;
            line(format!(
                "| human output, {} contracts ({} findings) | {} (JSON: {}) |",
                thousands(size.corpus.files as u64),
                thousands(size.findings.findings),
                time(human.best),
                time(json.best)
            ));
        }
    }
    line(format!(
        "| compile 1,000 rules: `rules --policies` a 1,000-rule file, best of {} | {} (default pack: {}) |",
        extras.rules_1000.runs,
        time(extras.rules_1000.best),
        time(extras.rules_default.best)
    ));
    line(format!(
        "| start-up: lint one contract with the default pack, best of {} | {} (floor: {}) |",
        extras.startup_lint.runs,
        time(extras.startup_lint.best),
        time(extras.startup_floor.best)
    ));
    line(format!(
        "| policy cost: 200 rules / 10 rules, {} contracts | {} ({} vs {}; {} vs {} findings) |",
        thousands(extras.policy_size as u64),
        ratio(extras.policy_200.best, extras.policy_10.best),
        time(extras.policy_200.best),
        time(extras.policy_10.best),
        thousands(extras.findings_200.findings),
        thousands(extras.findings_10.findings),
    ));
    line(String::new());
    for row in formats(&results.formats, settings.runs, jobs) {
        line(row);
    }
    if let Some(one) = &results.one_file {
        line(String::new());
        for row in one_file(one, settings.runs, jobs) {
            line(row);
        }
    }
    let peers = &results.peers;
    line(String::new());
    line(format!(
        "Peers: R1 (`domain`, `owner`, `data_product`, `schema_version` exist) and R2 (a field named \
         `email` is encrypted) on {} seed contracts, {} violations found by both; best of {} runs, \
         `--jobs {jobs}`:",
        thousands(peers.contracts as u64),
        thousands(peers.violations),
        settings.runs
    ));
    line(String::new());
    line("| tool | wall | CPU | peak RSS | rego / tool |".to_owned());
    line("|---|---:|---:|---:|---:|".to_owned());
    line(format!(
        "| governance-lint (policy language) | {} | {} | {} | {} |",
        time(peers.lint.best),
        time(peers.lint.cpu),
        mebibytes(peers.lint.peak_rss),
        ratio(peers.rego.best, peers.lint.best)
    ));
    line(format!(
        "| regorus (Rego, serde_yaml) | {} | {} | {} | 1.00× |",
        time(peers.rego.best),
        time(peers.rego.cpu),
        mebibytes(peers.rego.peak_rss)
    ));
    if let Some(breaking) = &results.breaking {
        line(String::new());
        for row in crate::breaking::markdown(breaking, settings.mix, settings.runs, jobs) {
            line(row);
        }
    }
    out
}

/// Every output format on each corpus: a sentence, then a row per size and format.
fn formats(sizes: &[Formats], runs: usize, jobs: usize) -> Vec<String> {
    let mut rows = vec![
        format!(
            "Every output format on each corpus (standard output to `/dev/null`); best of {runs} \
             runs, `--jobs {jobs}`:"
        ),
        String::new(),
        "| N | output | findings | wall | CPU | peak RSS | written |".to_owned(),
        "|---:|---|---:|---:|---:|---:|---:|".to_owned(),
    ];
    for size in sizes {
        for format in &size.formats {
            let summary = format.summary;
            rows.push(format!(
                "| {} | `--format {}` | {} | {} | {} | {} | {} |",
                thousands(size.files as u64),
                format.format,
                thousands(size.findings.findings),
                time(summary.best),
                time(summary.cpu),
                mebibytes(summary.peak_rss),
                megabytes(format.output_bytes),
            ));
        }
    }
    rows
}

/// The one-file measurement: a sentence, then a row per output format.
fn one_file(one: &OneFile, runs: usize, jobs: usize) -> Vec<String> {
    let name = one
        .path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut rows = vec![
        format!(
            "One file with {} findings: `{name}`, {}, a seed contract with {} unencrypted \
             `email` fields (one `pii-encrypted` error each with the default pack); best of {runs} \
             runs, `--jobs {jobs}` (one file is linted on one thread):",
            thousands(one.findings.findings),
            megabytes(one.bytes),
            thousands(one.fields as u64),
        ),
        String::new(),
        "| output | wall | CPU | peak RSS | µs / finding | written |".to_owned(),
        "|---|---:|---:|---:|---:|---:|".to_owned(),
        format!(
            "| floor (read and parse only) | {} | {} | {} | | |",
            time(one.floor.best),
            time(one.floor.cpu),
            mebibytes(one.floor.peak_rss)
        ),
    ];
    let findings = one.findings.findings.max(1) as f64;
    for format in &one.formats {
        let summary = format.summary;
        rows.push(format!(
            "| `--format {}` | {} | {} | {} | {:.1} | {} |",
            format.format,
            time(summary.best),
            time(summary.cpu),
            mebibytes(summary.peak_rss),
            summary.best.as_secs_f64() * 1e6 / findings,
            megabytes(format.output_bytes),
        ));
    }
    rows
}

fn size_row(size: &SizeResult) -> String {
    let [floor_1, floor_n] = size.floor;
    let [lint_1, lint_n] = size.lint;
    let files = size.corpus.files as f64;
    let seconds = lint_n.best.as_secs_f64();
    format!(
        "| {} | {} | {} | {} | {} | {} | {:.1} | {} | {} | {} | {} | {} |",
        thousands(size.corpus.files as u64),
        megabytes(size.corpus.bytes),
        time(floor_n.best),
        time(lint_n.best),
        ratio(lint_n.best, floor_n.best),
        thousands((files / seconds.max(f64::MIN_POSITIVE)).round() as u64),
        seconds * 1e6 / files.max(1.0),
        mebibytes(floor_n.peak_rss.max(floor_1.peak_rss)),
        mebibytes(lint_n.peak_rss.max(lint_1.peak_rss)),
        ratio(floor_1.best, floor_n.best),
        ratio(lint_1.best, lint_n.best),
        findings(&size.findings),
    )
}

fn findings(findings: &Findings) -> String {
    format!(
        "{} ({} errors, {} warnings, {} infos)",
        thousands(findings.findings),
        thousands(findings.errors),
        thousands(findings.warnings),
        thousands(findings.infos)
    )
}

/// A duration with a unit that keeps three significant digits or so.
pub(crate) fn time(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 0.01 {
        format!("{:.0} ms", seconds * 1e3)
    } else {
        format!("{:.1} ms", seconds * 1e3)
    }
}

fn ratio(numerator: Duration, denominator: Duration) -> String {
    let denominator = denominator.as_secs_f64();
    if denominator > 0.0 {
        format!("{:.2}×", numerator.as_secs_f64() / denominator)
    } else {
        "n/a".to_owned()
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// `12345` → `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(time(Duration::from_millis(1500)), "1.50 s");
        assert_eq!(time(Duration::from_millis(250)), "250 ms");
        assert_eq!(time(Duration::from_micros(2345)), "2.3 ms");
    }
}
