//! `governance-lint export --to odcs [PATH]... --out DIR`: every contract `check` would lint,
//! whatever its standard, written as ODCS v3.1.0 YAML under `DIR`, at the path of its file
//! (`contracts/orders.yaml` → `DIR/contracts/orders.odcs.yaml`; the second contract of a
//! file → `orders.2.odcs.yaml`).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use governance_core::{FileReport, FileStatus, NotCarried, OdcsExport};

use super::selection::{self, Selection};
use super::{stop, write_out, EXIT_CLEAN, EXIT_FINDINGS};
use crate::args::{ExportArgs, ExportFormat};
use crate::problem::Problem;
use crate::progress::Progress;
use crate::run;
use crate::text::{plural, printable_line};

/// What one file gave: its contracts in ODCS, or why it has none.
struct Exported {
    name: String,
    contracts: Vec<OdcsExport>,
    /// For a file that failed or matches no standard: its first finding.
    problem: Option<String>,
}

pub fn export(args: &ExportArgs) -> u8 {
    let ExportFormat::Odcs = args.to;
    let selection = match selection::select(&args.select) {
        Ok(selection) => selection,
        Err(code) => return code,
    };
    match run_export(&selection, &args.out) {
        Ok(done) => report(&done, &args.out),
        Err(error) => {
            let problem = Problem::plain(
                "usage::cannot_write",
                format!(
                    "cannot write the export to `{}`: {error}",
                    args.out.display()
                ),
                Some("check that the directory can be created and written to".to_owned()),
            );
            stop(
                &selection.out,
                Some(selection.engine.policies()),
                &[problem],
            )
        }
    }
}

/// What the run did, for the summary.
#[derive(Default)]
struct Done {
    files: usize,
    contracts: usize,
    /// Contracts that lacked a key ODCS requires, by key.
    filled: Vec<(&'static str, usize)>,
    /// Files that could not be exported, and why.
    problems: Vec<(String, String)>,
    /// What the exports do not carry: the file, and each value with its line.
    not_carried: Vec<(String, Vec<NotCarried>)>,
}

fn run_export(selection: &Selection, dir: &Path) -> io::Result<Done> {
    fs::create_dir_all(dir)?;
    let progress = Progress::new(selection.work.len(), "exporting");
    let job = selection.job();
    let mut done = Done::default();
    let mut taken: HashSet<PathBuf> = HashSet::new();
    let mut error = None;
    run::map_in_order(
        &selection.work,
        |item| convert(job, item),
        |exported| {
            progress.tick();
            if error.is_some() {
                return;
            }
            if let Some(problem) = exported.problem {
                done.problems.push((exported.name, problem));
                return;
            }
            if exported.contracts.is_empty() {
                return;
            }
            done.files += 1;
            let count = exported.contracts.len();
            for (index, contract) in exported.contracts.into_iter().enumerate() {
                let path = dir.join(output_path(&exported.name, index + 1, count, &mut taken));
                let written = path
                    .parent()
                    .map_or(Ok(()), fs::create_dir_all)
                    .and_then(|()| fs::write(&path, contract.yaml.as_bytes()));
                if let Err(e) = written {
                    error = Some(io::Error::new(
                        e.kind(),
                        format!("`{}`: {e}", path.display()),
                    ));
                    return;
                }
                done.contracts += 1;
                if !contract.not_carried.is_empty() {
                    done.not_carried
                        .push((exported.name.clone(), contract.not_carried));
                }
                for key in contract.filled {
                    match done.filled.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, n)) => *n += 1,
                        None => done.filled.push((key, 1)),
                    }
                }
            }
        },
    );
    progress.finish();
    match error {
        Some(error) => Err(error),
        None => Ok(done),
    }
}

/// Reads one item and writes each of its contracts as ODCS (on a worker thread).
fn convert(job: run::Job<'_>, item: &run::Work) -> Exported {
    let name = item.name().to_owned();
    let failed = |report: &FileReport| Exported {
        name: name.clone(),
        contracts: Vec::new(),
        problem: report.findings().first().map(|f| {
            let line = f.location().start.line;
            format!("{} (line {line}): {}", f.rule(), f.message())
        }),
    };
    let run::Work::File(candidate) = item else {
        return match item {
            run::Work::Unreadable(problem) => failed(&run::walk_failure(problem)),
            _ => Exported {
                name,
                contracts: Vec::new(),
                problem: None,
            },
        };
    };
    let (source, options) = match run::read_file(job, candidate) {
        Ok(read) => read,
        Err(report) => return failed(&report),
    };
    let source = std::sync::Arc::new(source);
    match job.engine.contracts(&source, &options) {
        Ok(contracts) if contracts.is_empty() => {
            // Not a contract, or one that matches no standard: `check` says which.
            let report = job.engine.lint_with(
                governance_core::SourceFile::new(source.name(), source.text()),
                &options,
            );
            if report.status() == FileStatus::Unrecognised {
                failed(&report)
            } else {
                Exported {
                    name,
                    contracts: Vec::new(),
                    problem: None,
                }
            }
        }
        Ok(contracts) => Exported {
            name,
            contracts: contracts
                .iter()
                .enumerate()
                .map(|(index, contract)| contract.to_odcs(index + 1))
                .collect(),
            problem: None,
        },
        Err(_) => failed(&job.engine.lint_with(
            governance_core::SourceFile::new(source.name(), source.text()),
            &options,
        )),
    }
}

/// Where contract `document` of `count` in the file shown as `name` goes, below the output
/// directory: the file's path, without a way out of the directory (`..` becomes `__`, a root
/// is dropped), with its extension replaced by `.odcs.yaml`. A second file that would land on
/// the same path keeps its extension (`orders.json.odcs.yaml`).
fn output_path(name: &str, document: usize, count: usize, taken: &mut HashSet<PathBuf>) -> PathBuf {
    let mut path = PathBuf::new();
    for component in Path::new(name).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::ParentDir => path.push("__"),
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
        }
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "contract".to_owned());
    let lower = file.to_ascii_lowercase();
    let stem_len = [".yaml", ".yml", ".json"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map_or(file.len(), |ext| file.len() - ext.len());
    let stem = file.get(..stem_len).unwrap_or(&file);
    let stem = stem.strip_suffix(".odcs").unwrap_or(stem);
    let numbered = |base: &str| {
        if count > 1 && document > 1 {
            format!("{base}.{document}.odcs.yaml")
        } else {
            format!("{base}.odcs.yaml")
        }
    };
    let mut out = path.with_file_name(numbered(stem));
    if !taken.insert(out.clone()) {
        out = path.with_file_name(numbered(&file));
        taken.insert(out.clone());
    }
    out
}

/// How many values not carried are listed per contract (the rest are counted).
const SHOWN_PER_FILE: usize = 20;

fn report(done: &Done, dir: &Path) -> u8 {
    let code = if done.problems.is_empty() && done.not_carried.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    };
    let mut stderr = io::stderr().lock();
    for (file, problem) in &done.problems {
        let _ = writeln!(
            stderr,
            "not exported: {}: {}",
            printable_line(file),
            printable_line(problem)
        );
    }
    let mut values = 0;
    for (file, lost) in &done.not_carried {
        values += lost.len();
        for value in lost.iter().take(SHOWN_PER_FILE) {
            let _ = writeln!(
                stderr,
                "not carried: {}:{}: {}",
                printable_line(file),
                value.line,
                printable_line(&value.what)
            );
        }
        if lost.len() > SHOWN_PER_FILE {
            let _ = writeln!(
                stderr,
                "not carried: {}: and {} more",
                printable_line(file),
                plural(lost.len() - SHOWN_PER_FILE, "value")
            );
        }
    }
    for (key, count) in &done.filled {
        let _ = writeln!(
            stderr,
            "note: {} had no `{key}`, which ODCS requires: written as `{key}: \"\"` (a policy that asks for it still finds it missing)",
            plural(*count, "contract")
        );
    }
    drop(stderr);
    let dir = dir.display().to_string();
    write_out(|out| {
        writeln!(
            out,
            "exported {} from {} to {dir} as ODCS v3.1.0{}",
            plural(done.contracts, "contract"),
            plural(done.files, "file"),
            if done.problems.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} could not be exported",
                    plural(done.problems.len(), "file")
                )
            }
        )?;
        if values > 0 {
            writeln!(
                out,
                "{} in {} not carried by the export (listed on standard error): the exit code is 1",
                plural(values, "value"),
                plural(done.not_carried.len(), "contract")
            )?;
        }
        Ok(code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_stay_inside_the_directory_and_never_collide() {
        let mut taken = HashSet::new();
        let mut at = |name: &str, document, count| {
            output_path(name, document, count, &mut taken)
                .to_string_lossy()
                .into_owned()
        };
        assert_eq!(
            at("contracts/orders.yaml", 1, 1),
            "contracts/orders.odcs.yaml"
        );
        assert_eq!(
            at("contracts/orders.json", 1, 1),
            "contracts/orders.json.odcs.yaml"
        );
        assert_eq!(at("../shared/x.odcs.yaml", 1, 1), "__/shared/x.odcs.yaml");
        assert_eq!(at("/abs/multi.yml", 1, 2), "abs/multi.odcs.yaml");
        assert_eq!(at("/abs/multi.yml", 2, 2), "abs/multi.2.odcs.yaml");
        assert_eq!(at("./README", 1, 1), "README.odcs.yaml");
    }
}
