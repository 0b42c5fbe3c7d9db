//! `governance-lint export --to odcs`: every contract of the fixtures, of the demo mesh and of
//! the shared corpus, whatever its standard, becomes ODCS v3.1.0 YAML that
//!
//! - is valid against the official ODCS v3.1.0 JSON Schema, read from
//!   `../shared/schemas/standards/` (never copied into this repository): read back with a YAML
//!   parser independent of the engine's (`serde_yaml`);
//! - gives the same findings as the original when linted (rule ids and counts, per file), the
//!   format-specific built-in ones aside (what a reader could not read, parse errors...);
//! - is the same on every run (stable ids), and a fixpoint: exporting an export changes
//!   nothing but where it says it came from.
//!
//! Without `../shared` the trials that need it are reported as ignored, never as passed.

// Test helpers fail the test by panicking, like assertions do.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use governance_core::BuiltinRule;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared(path: &str) -> Option<PathBuf> {
    let at = root().join("../shared").join(path);
    at.exists().then_some(at)
}

fn schema_file() -> Option<PathBuf> {
    shared("schemas/standards/odcs-v3.1.0.schema.json")
}

fn linter() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_governance-lint"));
    command
        .current_dir(root())
        .env_remove("GOVERNANCE_LINT_TODAY");
    command
}

/// `export --to odcs ARGS --out DIR`; the exit code and standard error.
fn export(args: &[&str], out: &Path) -> (Option<i32>, String) {
    let output = linter()
        .args(["export", "--to", "odcs"])
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every `*.odcs.yaml` below `dir`, sorted.
fn exported(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.to_string_lossy().ends_with(".odcs.yaml") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn yaml_to_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).expect("the export is readable");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}\n{text}", path.display()));
    serde_json::to_value(yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The exports of `paths`, each checked against the official schema.
fn assert_valid_odcs(paths: &[&str]) {
    let Some(schema) = schema_file() else { return };
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(schema).expect("the schema")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("the ODCS schema compiles");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (code, stderr) = export(paths, dir.path());
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    let files = exported(dir.path());
    assert!(!files.is_empty(), "nothing exported from {paths:?}");
    let mut invalid = Vec::new();
    for file in &files {
        let document = yaml_to_json(file);
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .take(5)
            .map(|e| format!("  {e} at {}", e.instance_path()))
            .collect();
        if !errors.is_empty() {
            invalid.push(format!("{}:\n{}", file.display(), errors.join("\n")));
        }
    }
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
    // The validator does reject: an export without its id is invalid.
    let mut broken = yaml_to_json(&files[0]);
    if let Some(object) = broken.as_object_mut() {
        object.remove("id");
    }
    assert!(!validator.is_valid(&broken));
}

/// The policy findings of `check --format json ARGS`, per file: rule id → count. Built-in
/// findings are format-specific (what one reader could not read another can), except the
/// waivers': those must come through too.
fn findings(args: &[&str]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let output = linter()
        .args(["check", "--format", "json", "--today", "2026-11-25"])
        .args(args)
        .output()
        .expect("the binary runs");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for file in report["files"].as_array().expect("files") {
        if file["status"] == "linted" {
            out.entry(file["file"].as_str().expect("a name").to_owned())
                .or_default();
        }
    }
    for finding in report["findings"].as_array().expect("findings") {
        let rule = finding["rule"].as_str().expect("a rule");
        if BuiltinRule::from_id(rule).is_some() && !rule.starts_with("waiver-") {
            continue;
        }
        let file = finding["file"].as_str().expect("a file").to_owned();
        *out.entry(file)
            .or_default()
            .entry(rule.to_owned())
            .or_default() += 1;
    }
    out
}

/// The source file each export names (its `sourceFile` custom property).
fn source_of(export: &Path) -> String {
    let document = yaml_to_json(export);
    document["customProperties"]
        .as_array()
        .and_then(|list| list.iter().find(|p| p["property"] == "sourceFile"))
        .and_then(|p| p["value"].as_str())
        .unwrap_or_else(|| panic!("{} names no source", export.display()))
        .to_owned()
}

/// Linting the exports of `paths` (with `policies`) gives, per original file, the findings
/// linting the originals gives.
fn assert_round_trip(paths: &[&str], policies: &[&str]) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("odcs");
    let (code, stderr) = export(paths, &out);
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    let mut args: Vec<&str> = paths.to_vec();
    args.extend_from_slice(policies);
    let originals = findings(&args);
    let out_text = out.to_string_lossy().into_owned();
    let mut export_args = vec![out_text.as_str()];
    export_args.extend_from_slice(policies);
    let exports = findings(&export_args);
    // The linter's own conformance check (the standard's schema, as `check` applies it) finds
    // nothing in the exports either.
    let output = linter()
        .args(["check", "--format", "json", "--fail-on", "never"])
        .args(&export_args)
        .output()
        .expect("the binary runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let invalid: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            matches!(
                f["rule"].as_str(),
                Some("schema-violation" | "unknown-version")
            )
        })
        .map(|f| format!("{}:{}: {}", f["file"], f["line"], f["message"]))
        .collect();
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
    let mut by_source: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for file in exported(&out) {
        let shown = file.to_string_lossy().into_owned();
        let source = source_of(&file);
        let entry = by_source.entry(source).or_default();
        for (rule, count) in exports.get(&shown).cloned().unwrap_or_default() {
            *entry.entry(rule).or_default() += count;
        }
    }
    let mut differences = Vec::new();
    for (file, want) in &originals {
        let got = by_source.get(file);
        if got != Some(want) {
            differences.push(format!("{file}:\n  original {want:?}\n  export   {got:?}"));
        }
    }
    assert_eq!(
        by_source.len(),
        originals.len(),
        "every linted file is exported once"
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

fn fixtures_are_valid_odcs() {
    assert_valid_odcs(&["fixtures/", "tests/catalog/demo", "tests/export"]);
}

fn corpus_is_valid_odcs() {
    if let Some(corpus) = shared("corpus/real") {
        assert_valid_odcs(&[corpus.to_string_lossy().as_ref()]);
    }
}

fn round_trip_fixtures_default_pack() {
    assert_round_trip(
        &["fixtures/", "tests/catalog/demo", "tests/export"],
        &["--policies", "policies"],
    );
}

fn round_trip_fixtures_mesh_pack() {
    assert_round_trip(
        &["fixtures/", "tests/catalog/demo"],
        &["--policies", "fixtures/mesh/policies"],
    );
}

fn round_trip_corpus() {
    if let Some(corpus) = shared("corpus/real") {
        let corpus = corpus.to_string_lossy().into_owned();
        assert_round_trip(&[corpus.as_str()], &["--policies", "policies"]);
        assert_round_trip(
            &[corpus.as_str()],
            &["--policies", "fixtures/mesh/policies"],
        );
    }
}

/// Two runs write the same bytes; a contract without an id gets the same derived one; and
/// exporting the exports changes nothing but the provenance lines.
fn stable_and_a_fixpoint() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let contract = dir.path().join("anonymous.yaml");
    fs::write(
        &contract,
        "domain: sales\nschema:\n  - name: email\n    pii: true\n",
    )
    .expect("written");
    let anonymous = contract.to_string_lossy().into_owned();
    let mut runs = Vec::new();
    for run in ["a", "b"] {
        let out = dir.path().join(run);
        export(
            &["fixtures/", "tests/catalog/demo", anonymous.as_str()],
            &out,
        );
        let files: Vec<(String, String)> = exported(&out)
            .iter()
            .map(|f| {
                (
                    f.strip_prefix(&out)
                        .expect("below")
                        .to_string_lossy()
                        .into_owned(),
                    fs::read_to_string(f).expect("readable"),
                )
            })
            .collect();
        runs.push(files);
    }
    assert_eq!(runs[0], runs[1]);
    let derived = runs[0]
        .iter()
        .find(|(name, _)| name.ends_with("anonymous.odcs.yaml"))
        .map(|(_, text)| text.clone())
        .expect("exported");
    let id = derived
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .expect("an id")
        .trim_matches('"');
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(id.chars().nth(14), Some('8'), "version 8: {id}");

    // The exports, exported again.
    let first = dir.path().join("a");
    let second = dir.path().join("again");
    let first_text = first.to_string_lossy().into_owned();
    // An export carries all of itself: nothing is reported the second time.
    let (code, stderr) = export(&[first_text.as_str()], &second);
    assert_eq!(code, Some(0), "{stderr}");
    let provenance = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
            .split("  - property: sourceFormat")
            .next()
            .unwrap_or("")
            .to_owned()
    };
    for (name, text) in &runs[0] {
        let again = exported(&second)
            .into_iter()
            .find(|f| f.to_string_lossy().ends_with(name.as_str()))
            .unwrap_or_else(|| panic!("{name} was not exported again"));
        let again = fs::read_to_string(again).expect("readable");
        assert_eq!(provenance(&again), provenance(text), "{name}");
    }
}

/// `tests/export/NAME.yaml`: what the export reports it does not carry (the `not carried:`
/// lines of standard error) is `NAME.not-carried` (`UPDATE_EXPECTED=1` rewrites it), and the
/// exit code is 0 exactly when that is empty.
fn what_is_not_carried_is_reported() {
    let cases = root().join("tests/export");
    let mut names: Vec<PathBuf> = fs::read_dir(&cases)
        .expect("tests/export")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 3, "the cases of tests/export");
    let mut wrong = Vec::new();
    for case in names {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let shown = case
            .strip_prefix(root())
            .expect("below the root")
            .to_string_lossy()
            .into_owned();
        let (code, stderr) = export(&[shown.as_str()], dir.path());
        let lines: String = stderr
            .lines()
            .filter(|l| l.starts_with("not carried:"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            code,
            Some(if lines.is_empty() { 0 } else { 1 }),
            "{shown}: {stderr}"
        );
        let expected = case.with_extension("not-carried");
        if std::env::var_os("UPDATE_EXPECTED").is_some() {
            fs::write(&expected, &lines).expect("written");
            continue;
        }
        let want = fs::read_to_string(&expected).unwrap_or_default();
        if want != lines {
            wrong.push(format!("{shown}:\n--- expected\n{want}--- got\n{lines}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

type Check = (&'static str, fn(), bool);

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let no_schema = schema_file().is_none();
    let no_corpus = shared("corpus/real").is_none();
    if no_schema || no_corpus {
        eprintln!(
            "note: ../shared (the ODCS schema and the corpus) not found: the trials that need it are ignored, not passed"
        );
    }
    let checks: &[Check] = &[
        (
            "fixtures_are_valid_odcs",
            fixtures_are_valid_odcs,
            no_schema,
        ),
        (
            "corpus_is_valid_odcs",
            corpus_is_valid_odcs,
            no_schema || no_corpus,
        ),
        (
            "round_trip_fixtures_default_pack",
            round_trip_fixtures_default_pack,
            false,
        ),
        (
            "round_trip_fixtures_mesh_pack",
            round_trip_fixtures_mesh_pack,
            false,
        ),
        ("round_trip_corpus", round_trip_corpus, no_corpus),
        ("stable_and_a_fixpoint", stable_and_a_fixpoint, false),
        (
            "what_is_not_carried_is_reported",
            what_is_not_carried_is_reported,
            false,
        ),
    ];
    let trials = checks
        .iter()
        .map(|&(name, check, ignored)| {
            libtest_mimic::Trial::test(format!("export::{name}"), move || {
                check();
                Ok(())
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
