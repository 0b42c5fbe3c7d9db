//! Data-driven engine tests: add a test by adding files.
//!
//! - `governance-core/tests/cases/<case>/`: the policy files (`*.policy`), one contract (`contract.yaml`,
//!   `contract.yml` or `contract.json`) and `expected.txt`, one line per finding:
//!   `RULE SEVERITY LINE:COL-ENDLINE:ENDCOL MESSAGE | TEXT AT THE SPAN`.
//!   A first line `status: skipped` or `status: failed` states a file that is not linted.
//!   `model.txt` is the canonical model the policies saw (`Contract::canonical_text`): every
//!   attribute and the span it points at, so that a new standard's fixture is one file.
//!   Other files of the case are what the contract may refer to (a DPDS port, a `.proto`, a
//!   DCS definitions file, the ODCS contracts an ODPS product names); a finding in one of them
//!   shows its file before its position (`port.json:3:5-3:9`).
//! - `governance-core/tests/policy-errors/<case>.policy` with `<case>.expected`: the diagnostic a person sees
//!   for a broken policy (rendered without colour at 80 columns).
//! - `governance-core/tests/breaking/<case>/`: two versions of a contract, `old.*` and `new.*`
//!   (either may be missing: a new or a deleted contract), optional `*.policy` files (else the
//!   built-in change rules alone), and `expected.txt`: one line per finding of the change rules,
//!   as above, then ` | was LINE:COL-ENDLINE:ENDCOL | TEXT AT THE PREVIOUS SPAN` when the finding
//!   carries its previous location. `diff.txt` is the changelog (`Engine::diff`).
//!
//! `UPDATE_EXPECTED=1 cargo test -p governance-core --test cases` writes what the engine says into the expected
//! files; review the diff before committing it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use governance_core::{
    Contract, Engine, FileStatus, Limits, LintOptions, PolicySet, Resolver, SourceFile, Unresolved,
    WaiverClock,
};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut trials = Vec::new();
    for dir in sorted_entries(&root.join("cases")) {
        if dir.is_dir() {
            let name = format!("case::{}", file_name(&dir));
            trials.push(Trial::test(name, move || run_case(&dir)));
        }
    }
    for dir in sorted_entries(&root.join("breaking")) {
        if dir.is_dir() {
            let name = format!("breaking::{}", file_name(&dir));
            trials.push(Trial::test(name, move || run_breaking(&dir)));
        }
    }
    for file in sorted_entries(&root.join("policy-errors")) {
        if file.extension().is_some_and(|e| e == "policy") {
            let name = format!(
                "policy_error::{}",
                file_name(&file).trim_end_matches(".policy")
            );
            trials.push(Trial::test(name, move || run_policy_error(&file)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|read| read.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn run_case(dir: &Path) -> Result<(), Failed> {
    let policies = PolicySet::load(dir).map_err(|e| format!("policies do not parse: {e:?}"))?;
    let contract = sorted_entries(dir)
        .into_iter()
        .find(|p| file_name(p).starts_with("contract."))
        .ok_or("no contract.* file in the case")?;
    let text = fs::read_to_string(&contract).map_err(|e| e.to_string())?;
    // Waivers are judged as of a fixed day, so that the expected findings never age.
    let options = LintOptions::default().with_clock(WaiverClock::on(
        "2026-11-25".parse().map_err(|e| format!("{e}"))?,
    ));
    let engine = Engine::new(policies).with_resolver(std::sync::Arc::new(CaseFiles {
        dir: dir.to_path_buf(),
    }));
    let source = SourceFile::new(file_name(&contract), text);
    let model: String = engine
        .contracts(
            &std::sync::Arc::new(SourceFile::new(source.name(), source.text())),
            &options,
        )
        .map(|contracts| contracts.iter().map(|c| c.canonical_text()).collect())
        .unwrap_or_default();
    let source_name = source.name().to_owned();
    let report = engine.lint_with(source, &options);
    let mut actual = String::new();
    match report.status() {
        FileStatus::Linted => {}
        other => writeln!(actual, "status: {}", other.as_str()).map_err(|e| e.to_string())?,
    }
    for finding in report.findings() {
        let at = finding.location();
        let spanned = finding.file().slice(finding.span());
        let file = if finding.file().name() == source_name {
            String::new()
        } else {
            format!("{}:", finding.file().name())
        };
        writeln!(
            actual,
            "{} {} {file}{}:{}-{}:{} {} | {}",
            finding.rule(),
            finding.severity(),
            at.start.line,
            at.start.column,
            at.end.line,
            at.end.column,
            finding.message(),
            escape(spanned)
        )
        .map_err(|e| e.to_string())?;
    }
    compare(&dir.join("expected.txt"), &actual)?;
    compare(&dir.join("model.txt"), &model)
}

fn run_breaking(dir: &Path) -> Result<(), Failed> {
    let has_policies = sorted_entries(dir)
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "policy"));
    let mut policies = if has_policies {
        PolicySet::load(dir).map_err(|e| format!("policies do not parse: {e:?}"))?
    } else {
        PolicySet::new()
    };
    policies
        .add_builtin_changes()
        .map_err(|e| format!("the built-in change rules do not load: {e:?}"))?;
    let version = |stem: &str| -> Result<Option<SourceFile>, Failed> {
        let Some(path) = sorted_entries(dir)
            .into_iter()
            .find(|p| file_name(p).starts_with(&format!("{stem}.")))
        else {
            return Ok(None);
        };
        let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
        Ok(Some(SourceFile::new(file_name(&path), text)))
    };
    let (old, new) = (version("old")?, version("new")?);
    let options = LintOptions::default().with_clock(WaiverClock::on(
        "2026-11-25".parse().map_err(|e| format!("{e}"))?,
    ));
    let engine = Engine::new(policies).with_options(options);
    let load = |source: &Option<SourceFile>| {
        source.as_ref().map(|s| {
            engine
                .contracts(
                    &std::sync::Arc::new(SourceFile::new(s.name(), s.text())),
                    &options,
                )
                .unwrap_or_default()
        })
    };
    let (old_contracts, new_contracts) = (load(&old), load(&new));
    let report = engine.compare(old, new);
    let mut actual = String::new();
    if report.status() != FileStatus::Linted {
        writeln!(actual, "status: {}", report.status().as_str()).map_err(|e| e.to_string())?;
    }
    for finding in report.findings() {
        let at = finding.location();
        let spanned = finding.file().slice(finding.span());
        write!(
            actual,
            "{} {} {}:{}-{}:{} {} | {}",
            finding.rule(),
            finding.severity(),
            at.start.line,
            at.start.column,
            at.end.line,
            at.end.column,
            finding.message(),
            escape(spanned)
        )
        .map_err(|e| e.to_string())?;
        if let Some(previous) = finding.previous() {
            let was = previous.location();
            write!(
                actual,
                " | was {}:{}-{}:{} | {}",
                was.start.line,
                was.start.column,
                was.end.line,
                was.end.column,
                escape(previous.snippet())
            )
            .map_err(|e| e.to_string())?;
        }
        if finding.suppression().is_some() {
            actual.push_str(" | suppressed");
        }
        actual.push('\n');
    }
    compare(&dir.join("expected.txt"), &actual)?;
    let mut diff = String::new();
    for contract in engine.diff(old_contracts.as_deref(), new_contracts.as_deref()) {
        writeln!(
            diff,
            "{} {}",
            contract.status.as_str(),
            contract.id.as_deref().unwrap_or("(no id)")
        )
        .map_err(|e| e.to_string())?;
        for change in &contract.changes {
            let mut line = format!("  {} {}", change.kind.as_str(), change.subject);
            if let Some(attribute) = &change.attribute {
                line.push_str(&format!(" `{attribute}`"));
            }
            if change.old.is_some() || change.new.is_some() {
                line.push_str(&format!(
                    ": {} -> {}",
                    change
                        .old
                        .as_deref()
                        .map_or("-".to_owned(), |v| format!("`{v}`")),
                    change
                        .new
                        .as_deref()
                        .map_or("-".to_owned(), |v| format!("`{v}`"))
                ));
            }
            if let Some(at) = change.location {
                line.push_str(&format!(" @{}:{}", at.start.line, at.start.column));
            }
            if let Some(at) = change.previous_location {
                line.push_str(&format!(" was @{}:{}", at.start.line, at.start.column));
            }
            for (rule, severity, suppressed) in &change.breaking {
                line.push_str(&format!(
                    " [{rule} {severity}{}]",
                    if *suppressed { " suppressed" } else { "" }
                ));
            }
            writeln!(diff, "{line}").map_err(|e| e.to_string())?;
        }
    }
    compare(&dir.join("diff.txt"), &diff)
}

/// The files of a case, as the CLI's resolver reads a repository: relative to the file that
/// refers to them, never outside the case; the ids of the case's other contracts.
#[derive(Debug)]
struct CaseFiles {
    dir: PathBuf,
}

impl Resolver for CaseFiles {
    fn read(&self, from: &str, reference: &str) -> Result<SourceFile, Unresolved> {
        let base = Path::new(from).parent().unwrap_or(Path::new(""));
        let mut name = PathBuf::new();
        for part in base.join(reference).components() {
            match part {
                std::path::Component::Normal(p) => name.push(p),
                std::path::Component::CurDir => {}
                _ if name.pop() => {}
                _ => return Err(Unresolved::OutsideRoot),
            }
        }
        let text = fs::read_to_string(self.dir.join(&name)).map_err(|_| Unresolved::NotFound)?;
        Ok(SourceFile::new(name.to_string_lossy(), text))
    }

    fn has_contract(&self, id: &str) -> Option<bool> {
        let found = sorted_entries(&self.dir).into_iter().any(|path| {
            let Ok(text) = fs::read_to_string(&path) else {
                return false;
            };
            let source = std::sync::Arc::new(SourceFile::new(file_name(&path), text));
            Contract::load(&source, Limits::default()).is_ok_and(|contracts| {
                contracts
                    .iter()
                    .any(|c| c.get("id").is_some_and(|(found, _)| found == id))
            })
        });
        Some(found)
    }
}

fn run_policy_error(file: &Path) -> Result<(), Failed> {
    let text = fs::read_to_string(file).map_err(|e| e.to_string())?;
    let name = file_name(file);
    let errors = match PolicySet::parse(name, text) {
        Ok(_) => return Err("the policy parsed, but this case expects an error".into()),
        Err(errors) => errors,
    };
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_links(false)
            .with_width(80);
    let mut actual = String::new();
    for error in errors.errors() {
        handler
            .render_report(&mut actual, error)
            .map_err(|e| e.to_string())?;
    }
    compare(&file.with_extension("expected"), &actual)
}

/// Control characters shown escaped, long spans shortened: one finding stays one line.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == 60 {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

fn compare(expected_path: &Path, actual: &str) -> Result<(), Failed> {
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        fs::write(expected_path, actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = fs::read_to_string(expected_path).unwrap_or_default();
    let expected: String = expected
        .lines()
        .filter(|l| !l.starts_with("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{} differs\n--- expected\n{expected}--- actual\n{actual}",
            expected_path.display()
        )
        .into())
    }
}
