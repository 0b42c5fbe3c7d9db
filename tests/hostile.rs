//! Hostile trees that only a file system can make (the contents-only cases are data under
//! `governance-core/tests/cases/hostile-*`): invalid UTF-8, UTF-16, a NUL byte, a directory named `x.yaml`, a
//! symlink loop, a symlink out of the repository, a FIFO, a file that disappears, the report
//! being written into the walked directory. For each:
//! no panic, no hang, a finding with the file (and line where there is one), the other files
//! still linted, valid JSON, and every file accounted for (`files = linted + skipped + failed`).
//! Also: the findings are the same whatever the number of threads, and a file name with a line
//! break, terminal escapes and a bidirectional override is shown escaped in every place a
//! person or a CI log sees it, and that the findings of a minified (one-line) JSON contract are
//! located rather than drawn.

// Test helpers fail the test by panicking, like assertions do.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_governance-lint"))
}

/// Runs the linter with JSON output in `dir`, with a deadline: a hang fails the test.
fn lint(dir: &Path, args: &[&str]) -> (i32, Value) {
    let child = Command::new(binary())
        .args(["check", "--format", "json", "--today", "2026-11-25"])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the linter");
    // Read the output on another thread (a full pipe would stall the child) and give up after
    // a deadline: a hang fails the test instead of blocking it.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let output = receiver
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("the linter did not finish within 60 s in {}", dir.display()))
        .expect("output");
    let code = output
        .status
        .code()
        .expect("exited normally, not killed by a signal");
    assert_ne!(
        code,
        101,
        "the linter panicked: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, json)
}

/// Runs the linter in `dir` with a deadline; its exit code and standard output.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let child = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the linter");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let output = receiver
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("the linter did not finish within 60 s in {}", dir.display()))
        .expect("output");
    let code = output.status.code().expect("exited normally");
    assert_ne!(code, 101, "{}", String::from_utf8_lossy(&output.stderr));
    (
        code,
        String::from_utf8(output.stdout).expect("UTF-8 output"),
    )
}

/// Every file is accounted for: the statuses add up.
fn accounted(json: &Value) {
    let s = &json["summary"];
    let total = s["files"].as_u64().unwrap();
    let parts = s["linted"].as_u64().unwrap()
        + s["skipped"].as_u64().unwrap()
        + s["unrecognised"].as_u64().unwrap()
        + s["failed"].as_u64().unwrap();
    assert_eq!(
        total, parts,
        "files = linted + skipped + unrecognised + failed"
    );
    assert_eq!(json["files"].as_array().unwrap().len() as u64, total);
}

fn status_of<'a>(json: &'a Value, file: &str) -> &'a str {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("`{file}` is not in the report: {json:#}"))["status"]
        .as_str()
        .unwrap()
}

fn findings_of<'a>(json: &'a Value, file: &str) -> Vec<&'a Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == file)
        .collect()
}

const GOOD: &str = "data_product: orders\ndomain: sales\nowner: sales@company.com\nschema_version: \"1\"\nsla: {availability: 99.9%, freshness: 1 hour}\nschema:\n  - name: id\n    type: string\n";

#[test]
fn bad_bytes_are_findings_and_the_other_files_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("good.yaml"), GOOD).unwrap();
    std::fs::write(
        root.join("latin1.yaml"),
        b"data_product: caf\xe9\nowner: x\n",
    )
    .unwrap();
    std::fs::write(root.join("utf16.yaml"), b"\xff\xfed\x00a\x00t\x00a\x00").unwrap();
    std::fs::write(
        root.join("binary.yaml"),
        b"data_product: p\n\x00\x01\x02binary",
    )
    .unwrap();
    std::fs::write(root.join("empty.json"), b"").unwrap();
    std::fs::create_dir(root.join("directory.yaml")).unwrap();
    std::fs::write(root.join("directory.yaml/inside.yaml"), GOOD).unwrap();

    let (code, json) = lint(root, &["."]);
    assert_eq!(code, 1, "{json:#}");
    accounted(&json);
    assert_eq!(status_of(&json, "good.yaml"), "linted");
    assert_eq!(status_of(&json, "directory.yaml/inside.yaml"), "linted");
    for (file, words) in [
        ("latin1.yaml", "not valid UTF-8"),
        ("utf16.yaml", "UTF-16"),
        ("binary.yaml", "NUL byte"),
        ("empty.json", "no JSON value"),
    ] {
        assert_eq!(status_of(&json, file), "failed", "{file}");
        let found = findings_of(&json, file);
        assert_eq!(found.len(), 1, "{file}: {found:?}");
        assert_eq!(found[0]["rule"], "parse-error", "{file}");
        assert!(
            found[0]["message"].as_str().unwrap().contains(words),
            "{file}: {}",
            found[0]["message"]
        );
    }
    // The invalid byte is on line 1, after `data_product: caf`.
    let latin = findings_of(&json, "latin1.yaml");
    assert_eq!(
        (latin[0]["line"].as_u64(), latin[0]["column"].as_u64()),
        (Some(1), Some(18))
    );
}

#[cfg(unix)]
#[test]
fn links_fifos_and_vanished_files_never_hang_or_escape() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), GOOD).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("good.yaml"), GOOD).unwrap();
    std::fs::create_dir(root.join("loop")).unwrap();
    symlink(root.join("loop"), root.join("loop/again")).unwrap();
    symlink(outside.path(), root.join("outside")).unwrap();
    symlink(outside.path().join("secret.yaml"), root.join("linked.yaml")).unwrap();
    let fifo = root.join("pipe.yaml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);

    // Walking: links to directories are not followed (no loop); a link named like a contract
    // that leads out of the walked tree (there is no repository here) is a `link-outside`
    // finding, and what it leads to is not read; a FIFO is never opened (that would block
    // forever) and is reported.
    let (_, json) = lint(root, &["."]);
    accounted(&json);
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let expected: &[&str] = if made {
        &["good.yaml", "linked.yaml", "pipe.yaml"]
    } else {
        &["good.yaml", "linked.yaml"]
    };
    assert_eq!(files, expected, "{json:#}");
    assert_eq!(status_of(&json, "good.yaml"), "linted");
    assert_eq!(status_of(&json, "linked.yaml"), "failed");
    let linked = findings_of(&json, "linked.yaml");
    assert_eq!(linked.len(), 1, "{linked:?}");
    assert_eq!(linked[0]["rule"], "link-outside");
    assert!(
        linked[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("symbolic link `linked.yaml` leads outside the directory `.` (to `"),
        "{}",
        linked[0]["message"]
    );
    assert_eq!(
        json["summary"]["contracts"], 1,
        "nothing outside the tree is read"
    );
    if made {
        assert_eq!(status_of(&json, "pipe.yaml"), "failed");
    }

    // Named on the command line: a FIFO is reported, not opened; a missing file is reported.
    let mut args = vec!["good.yaml", "missing.yaml"];
    if made {
        args.push("pipe.yaml");
    }
    let (code, json) = lint(root, &args);
    assert_eq!(code, 1);
    accounted(&json);
    assert_eq!(status_of(&json, "good.yaml"), "linted");
    assert_eq!(status_of(&json, "missing.yaml"), "failed");
    assert_eq!(findings_of(&json, "missing.yaml")[0]["rule"], "io-error");
    if made {
        assert_eq!(status_of(&json, "pipe.yaml"), "failed");
        assert!(findings_of(&json, "pipe.yaml")[0]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file"));
    }
    // No absolute path of the machine leaks into the report.
    let text = json.to_string();
    assert!(!text.contains(&root.display().to_string()), "{text}");
}

/// `governance-lint --format json > report.json` in the walked directory: the shell creates
/// the empty report before the linter starts, and the linter must not lint it.
#[cfg(unix)]
#[test]
fn the_report_being_written_is_never_linted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("good.yaml"), GOOD).unwrap();
    for (format, report) in [
        ("json", "report.json"),
        ("sarif", "results.sarif.json"),
        ("human", "out.yaml"),
    ] {
        let file = std::fs::File::create(root.join(report)).unwrap();
        let output = Command::new(binary())
            .args([
                "check",
                "--verbose",
                "--today",
                "2026-11-25",
                "--format",
                format,
            ])
            .current_dir(root)
            .stdout(std::process::Stdio::from(file))
            .output()
            .expect("run the linter");
        let written = std::fs::read_to_string(root.join(report)).unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {written}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        match format {
            "json" => {
                let json: Value = serde_json::from_str(&written).unwrap();
                accounted(&json);
                assert_eq!(status_of(&json, "good.yaml"), "linted");
                assert_eq!(status_of(&json, "report.json"), "skipped");
                assert_eq!(json["summary"]["failed"], 0);
            }
            "sarif" => {
                let sarif: Value = serde_json::from_str(&written).unwrap();
                assert_eq!(
                    sarif["runs"][0]["results"],
                    serde_json::json!([]),
                    "{sarif:#}"
                );
            }
            _ => assert!(
                written.contains("skipped out.yaml  (the report being written (standard output))"),
                "{written}"
            ),
        }
        std::fs::remove_file(root.join(report)).unwrap();
    }
}

#[test]
fn findings_are_the_same_with_one_thread_and_with_four() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec!["fixtures".to_owned()];
    if repo.join("../shared/corpus/real").is_dir() {
        dirs.push("../shared/corpus/real".to_owned());
    }
    for dir in dirs {
        let (_, one) = lint(repo, &[&dir, "--jobs", "1"]);
        let (_, four) = lint(repo, &[&dir, "--jobs", "4"]);
        assert_eq!(
            one, four,
            "{dir}: output differs with the number of threads"
        );
        accounted(&one);
    }
}

/// What a terminal or a CI log acts on instead of showing: control characters (line feeds
/// apart, which end the output's own lines) and bidirectional controls.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_hostile_file_name_is_escaped_wherever_it_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // A line break, an escape sequence, BEL, FF, a C1 control and a right-to-left override.
    let name = "evil\n\u{1b}[31m\u{7}\u{c}\u{9b}\u{202e}lmay.yaml";
    let contract = format!(
        "{GOOD}  - name: email\n    type: string\n    pii: true\n\
         x-governance:\n  waivers:\n    - rule: owner-is-email\n      reason: ok\n      expires: 2027-06-30\n"
    );
    // `owner-is-email` fires (the owner is not an email) and is waived; `pii-encrypted` fires.
    let contract = contract.replace("owner: sales@company.com", "owner: sales-team");
    std::fs::write(root.join(name), contract).unwrap();
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let policies = policies.to_str().unwrap();

    let (code, human) = run(
        root,
        &[
            "check",
            ".",
            "--policies",
            policies,
            "--verbose",
            "--color",
            "never",
            "--today",
            "2026-11-25",
        ],
    );
    assert_eq!(code, 1, "{human}");
    assert_eq!(raw_controls(&human), Vec::<char>::new(), "{human}");
    let shown = "evil\\n\\u{1b}[31m\\u{7}\\u{c}\\u{9b}\\u{202e}lmay.yaml";
    // The --verbose line, the suppressed line and the finding's header all name the file.
    assert!(
        human.contains(&format!("linted  {shown}  (read as seed")),
        "{human}"
    );
    assert!(human.contains(&format!("suppressed {shown}:")), "{human}");
    assert!(human.contains(&format!("[{shown}:")), "{human}");
    assert!(!human
        .lines()
        .any(|line| line.starts_with("lmay.yaml") || line.starts_with("\u{1b}")));

    let (code, github) = run(
        root,
        &[
            "check",
            ".",
            "--policies",
            policies,
            "--format",
            "github",
            "--today",
            "2026-11-25",
        ],
    );
    assert_eq!(code, 1, "{github}");
    assert_eq!(raw_controls(&github), Vec::<char>::new(), "{github}");
    let commands: Vec<&str> = github.lines().filter(|l| l.starts_with("::")).collect();
    // The findings' annotations name the file; one more notice says the date was moved.
    let (moved, findings): (Vec<&str>, Vec<&str>) = commands
        .iter()
        .partition(|c| c.starts_with("::notice title=governance-lint::"));
    assert_eq!(moved.len(), 1, "{github}");
    assert!(!findings.is_empty(), "{github}");
    for command in &findings {
        assert!(
            command.contains("file=evil%0A%1B[31m%07%0C%C2%9B%E2%80%AElmay.yaml,line="),
            "{command}"
        );
    }
    // One line per annotation, then the policies and the summary: the name's line break did
    // not add any.
    assert_eq!(commands.len() + 2, github.lines().count(), "{github}");
}

/// A minified JSON contract is one line: its findings lie past column 65,535, where miette
/// cannot draw an underline (it panicked), and showing that line once per finding would make
/// the output quadratic. Each finding says where it is instead, with the JSON report's column.
#[test]
fn findings_on_a_very_long_line_are_located_not_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let fields: Vec<String> = (0..2500)
        .map(|_| r#"{"name":"email","type":"string"}"#.to_owned())
        .collect();
    let contract = format!(
        r#"{{"data_product":"orders","domain":"sales","owner":"sales@company.com","schema_version":"1","sla":{{"availability":"99.9%","freshness":"1 hour"}},"schema":[{}]}}"#,
        fields.join(",")
    );
    assert!(contract.len() > 70_000 && !contract.contains('\n'));
    std::fs::write(dir.path().join("minified.json"), &contract).unwrap();
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let policies = policies.to_str().unwrap();

    let (code, json) = lint(dir.path(), &["minified.json", "--policies", policies]);
    assert_eq!(code, 1);
    let columns: Vec<u64> = findings_of(&json, "minified.json")
        .iter()
        .map(|f| f["column"].as_u64().unwrap())
        .collect();
    assert_eq!(columns.len(), 2500);
    assert!(columns.iter().any(|&c| c > 65_535));

    let (code, human) = run(
        dir.path(),
        &[
            "check",
            "minified.json",
            "--policies",
            policies,
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 1, "{human}");
    let shown: Vec<u64> = human
        .lines()
        .filter_map(|line| line.split_once("at minified.json:1:"))
        .map(|(_, rest)| rest.split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        shown, columns,
        "every finding located, with the JSON report's column"
    );
    assert!(human.len() < 2500 * 1024, "{} bytes", human.len());
    assert!(
        human.ends_with("2500 errors in 1 contract (1 file: 1 linted)\n"),
        "{human}"
    );
}
