//! Timing a program and taking its peak memory, one child process at a time.
//!
//! `getrusage(RUSAGE_CHILDREN)` reports the largest peak RSS among *all* the children a process
//! has waited for, so the benchmark cannot call it itself after many runs. Instead it runs
//! `governance-bench measure -- PROGRAM ARGS...` for every sample: that intermediate process
//! spawns the program, waits for it, and prints its wall time and peak RSS, which are then
//! exactly the program's.

use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::resource::{getrusage, UsageWho};
use nix::sys::time::TimeValLike;

use crate::{at, Result};

/// One run of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sample {
    /// From just before the spawn to the end of the wait.
    pub(crate) wall: Duration,
    /// Peak resident set size, in bytes.
    pub(crate) peak_rss: u64,
    /// CPU time, user and system, of all the program's threads.
    pub(crate) cpu: Duration,
    /// The exit code (`None` when a signal ended the program).
    pub(crate) exit: Option<i32>,
}

impl Sample {
    fn to_line(self) -> String {
        let exit = self
            .exit
            .map_or_else(|| "signal".to_owned(), |code| code.to_string());
        format!(
            "wall_ns={} peak_rss_bytes={} cpu_ns={} exit={exit}",
            self.wall.as_nanos(),
            self.peak_rss,
            self.cpu.as_nanos()
        )
    }

    fn parse(line: &str) -> Option<Self> {
        let mut wall = None;
        let mut peak_rss = None;
        let mut cpu = None;
        let mut exit = None;
        for pair in line.split_whitespace() {
            match pair.split_once('=')? {
                ("wall_ns", value) => wall = Some(Duration::from_nanos(value.parse().ok()?)),
                ("peak_rss_bytes", value) => peak_rss = Some(value.parse().ok()?),
                ("cpu_ns", value) => cpu = Some(Duration::from_nanos(value.parse().ok()?)),
                ("exit", "signal") => exit = Some(None),
                ("exit", value) => exit = Some(Some(value.parse().ok()?)),
                _ => return None,
            }
        }
        Some(Self {
            wall: wall?,
            peak_rss: peak_rss?,
            cpu: cpu?,
            exit: exit?,
        })
    }
}

/// The `measure` subcommand: runs `command` (stdin empty, stdout to `stdout` or discarded,
/// stderr inherited) and prints one line with its wall time, peak RSS and exit code.
pub(crate) fn measure_command(stdout: Option<&Path>, command: &[OsString]) -> Result<()> {
    let (program, args) = command.split_first().ok_or("measure: no command to run")?;
    let sink = match stdout {
        Some(path) => Stdio::from(File::create(path).map_err(at(path))?),
        None => Stdio::null(),
    };
    let mut child = Command::new(program);
    child.args(args).stdin(Stdio::null()).stdout(sink);
    let start = Instant::now();
    let status = child
        .status()
        .map_err(|error| format!("cannot run `{}`: {error}", program.to_string_lossy()))?;
    let wall = start.elapsed();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    // Linux reports `ru_maxrss` in kibibytes.
    let peak_rss = u64::try_from(usage.max_rss()).unwrap_or(0) * 1024;
    let cpu = [usage.user_time(), usage.system_time()]
        .iter()
        .map(|time| Duration::from_micros(u64::try_from(time.num_microseconds()).unwrap_or(0)))
        .sum();
    let sample = Sample {
        wall,
        peak_rss,
        cpu,
        exit: status.code(),
    };
    println!("{}", sample.to_line());
    Ok(())
}

/// A program to measure, and the exit codes that mean it worked.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// Shown in progress messages.
    pub(crate) label: String,
    pub(crate) program: PathBuf,
    pub(crate) args: Vec<OsString>,
    /// `governance-lint check` exits 1 when it finds errors: that is a success here.
    pub(crate) ok_exits: &'static [i32],
    /// The directory it runs in (default: the benchmark's).
    pub(crate) cwd: Option<PathBuf>,
}

impl Job {
    /// A job running `program` with `args`.
    pub(crate) fn new(
        label: impl Into<String>,
        program: &Path,
        args: impl IntoIterator<Item = impl Into<OsString>>,
        ok_exits: &'static [i32],
    ) -> Self {
        Self {
            label: label.into(),
            program: program.to_path_buf(),
            args: args.into_iter().map(Into::into).collect(),
            ok_exits,
            cwd: None,
        }
    }

    /// The same job, run in `dir`.
    pub(crate) fn in_dir(mut self, dir: &Path) -> Self {
        self.cwd = Some(dir.to_path_buf());
        self
    }

    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        if let Some(dir) = &self.cwd {
            command.current_dir(dir);
        }
        command
    }

    /// Runs the job once, unmeasured, and returns its standard output (for checking results).
    pub(crate) fn output(&self) -> Result<String> {
        let output = self
            .command(&self.program)
            .args(&self.args)
            .stdin(Stdio::null())
            .output()
            .map_err(|error| format!("cannot run `{}`: {error}", self.program.display()))?;
        self.check_exit(output.status.code(), &output.stderr)?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn check_exit(&self, exit: Option<i32>, stderr: &[u8]) -> Result<()> {
        if exit.is_some_and(|code| self.ok_exits.contains(&code)) {
            return Ok(());
        }
        Err(format!(
            "{} failed (exit {exit:?}): `{} {}`\n{}",
            self.label,
            self.program.display(),
            self.args
                .iter()
                .map(|arg| arg.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            String::from_utf8_lossy(stderr)
        )
        .into())
    }
}

/// Several samples of one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    /// The fastest run's wall time.
    pub(crate) best: Duration,
    /// The median run's wall time.
    pub(crate) median: Duration,
    /// The largest peak RSS of all runs.
    pub(crate) peak_rss: u64,
    /// The least CPU time (user and system) of all runs: less disturbed than the wall time
    /// by other programs competing for the cores.
    pub(crate) cpu: Duration,
    pub(crate) runs: usize,
}

impl Summary {
    fn of(samples: &[Sample]) -> Option<Self> {
        let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        walls.sort();
        Some(Self {
            best: *walls.first()?,
            cpu: samples.iter().map(|s| s.cpu).min()?,
            median: *walls.get(walls.len() / 2)?,
            peak_rss: samples.iter().map(|s| s.peak_rss).max()?,
            runs: samples.len(),
        })
    }
}

/// Measures jobs through the `measure` subcommand of this very program.
#[derive(Debug, Clone)]
pub(crate) struct Meter {
    /// This program (`governance-bench`).
    pub(crate) bench: PathBuf,
}

impl Meter {
    /// One measured run of `job`.
    pub(crate) fn sample(&self, job: &Job) -> Result<Sample> {
        let output = job
            .command(&self.bench)
            .arg("measure")
            .arg("--")
            .arg(&job.program)
            .args(&job.args)
            .stdin(Stdio::null())
            .output()
            .map_err(|error| format!("cannot run `{}`: {error}", self.bench.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let sample = stdout
            .lines()
            .last()
            .and_then(Sample::parse)
            .ok_or_else(|| {
                format!(
                    "{}: the measuring process printed no result\n{}",
                    job.label,
                    String::from_utf8_lossy(&output.stderr)
                )
            })?;
        job.check_exit(sample.exit, &output.stderr)?;
        Ok(sample)
    }

    /// `runs` samples of each job, taken in rounds (every job once, then again) so that a
    /// slow moment of the machine does not fall on one job only.
    pub(crate) fn rounds(&self, jobs: &[Job], runs: usize) -> Result<Vec<Summary>> {
        let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); jobs.len()];
        for round in 1..=runs.max(1) {
            for (job, taken) in jobs.iter().zip(samples.iter_mut()) {
                eprintln!("  {} (run {round}/{runs})", job.label);
                taken.push(self.sample(job)?);
            }
        }
        samples
            .iter()
            .zip(jobs)
            .map(|(taken, job)| {
                Summary::of(taken).ok_or_else(|| format!("{}: no samples", job.label).into())
            })
            .collect()
    }

    /// `runs` samples of one job, quietly (for the many short start-up runs).
    pub(crate) fn repeat(&self, job: &Job, runs: usize) -> Result<Summary> {
        eprintln!("  {} ({runs} runs)", job.label);
        let samples = (0..runs.max(1))
            .map(|_| self.sample(job))
            .collect::<Result<Vec<_>>>()?;
        Summary::of(&samples).ok_or_else(|| format!("{}: no samples", job.label).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_survives_its_line() {
        let sample = Sample {
            wall: Duration::from_nanos(1_234_567),
            peak_rss: 8 * 1024 * 1024,
            cpu: Duration::from_micros(2_000),
            exit: Some(1),
        };
        assert_eq!(Sample::parse(&sample.to_line()), Some(sample));
        let killed = Sample {
            exit: None,
            ..sample
        };
        assert_eq!(Sample::parse(&killed.to_line()), Some(killed));
        assert_eq!(Sample::parse("wall_ns=1"), None);
    }
}
