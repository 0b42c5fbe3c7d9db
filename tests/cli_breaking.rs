//! `governance-lint breaking --against REF` and `diff --against REF` in a real git repository
//! built in a temporary directory: two commits with a renamed and changed contract, a deleted
//! one (and a deprecated one deleted quietly), a new one, an unchanged one; working-tree
//! changes; the previous locations in every output format; exit codes; and the Markdown
//! changelog against its snapshot (`tests/cli/diff-markdown.md`). Skipped (with a message)
//! when `git` is not installed.

// Helpers of a test binary: a failed step is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

#[path = "support/git.rs"]
mod support_git;
use support_git::{git, git_installed};

fn lint(dir: &Path, args: &[&str]) -> Output {
    linter(dir, args).output().expect("the linter runs")
}

/// The linter in `dir` with `args`, as a person runs it outside CI, still to be started.
fn linter<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_governance-lint"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("GOVERNANCE_LINT_TODAY", "2026-11-25")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY");
    command
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn commit_all(root: &Path, message: &str) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", message]);
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// `(rule, file, line, previous file, previous line)` of every finding of a JSON report.
fn findings(report: &Value) -> Vec<(String, String, u64, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
            (
                text(&f["rule"]),
                text(&f["file"]),
                f["line"].as_u64().unwrap_or(0),
                text(&f["previous"]["file"]),
                f["previous"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// `(file, comparison status)` of every file of a JSON report.
fn compared(report: &Value) -> Vec<(String, String)> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_owned(),
                f["compared"]["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

const ORDERS_V1: &str = "\
data_product: orders
domain: sales
owner: sales-data@company.com
version: 1.4.0
description: Every order placed in the web shop, one row per order line.
schema:
  - name: order_id
    type: string
    required: true
    description: The order's id.
  - name: customer_id
    type: string
    description: Who ordered.
  - name: quantity
    type: long
    description: How many items.
  - name: email
    type: string
    pii: true
    encrypted: true
    description: Where the confirmation went.
sla:
  availability: 99.9%
  freshness: 1 hour
";

/// The same contract, one field removed and the version bumped by a minor: git sees a rename
/// when the file moves.
const ORDERS_V2: &str = "\
data_product: orders
domain: sales
owner: sales-data@company.com
version: 1.5.0
description: Every order placed in the web shop, one row per order line.
schema:
  - name: order_id
    type: string
    required: true
    description: The order's id.
  - name: quantity
    type: long
    description: How many items.
  - name: email
    type: string
    pii: true
    encrypted: true
    description: Where the confirmation went.
sla:
  availability: 99.9%
  freshness: 1 hour
";

const ACTIVE: &str =
    "kind: DataContract\napiVersion: v3.0.2\nid: clickstream\nversion: 3.1.0\nstatus: active\n";
const DEPRECATED: &str =
    "kind: DataContract\napiVersion: v3.0.2\nid: old-feed\nversion: 1.0.0\nstatus: deprecated\n";
const SAME: &str = "data_product: same\ndomain: sales\nowner: a@company.com\nversion: 1.0.0\nschema:\n  - name: id\n    type: string\n";
const NEW: &str = "data_product: invoices\ndomain: billing\nowner: b@company.com\nversion: 0.1.0\nschema:\n  - name: invoice_id\n    type: string\n";

/// A repository with two commits: the second renames and changes `orders.yaml`, deletes two
/// contracts (one deprecated first), adds one, and leaves one alone.
fn two_commits() -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    git(root, &["init", "-q"]);
    write(root, "contracts/orders.yaml", ORDERS_V1);
    write(root, "contracts/clickstream.yaml", ACTIVE);
    write(root, "contracts/old-feed.yaml", DEPRECATED);
    write(root, "contracts/same.yaml", SAME);
    write(root, "README.md", "# contracts\n");
    commit_all(root, "first");
    std::fs::create_dir_all(root.join("contracts/sales")).expect("mkdir");
    git(
        root,
        &["mv", "contracts/orders.yaml", "contracts/sales/orders.yaml"],
    );
    write(root, "contracts/sales/orders.yaml", ORDERS_V2);
    std::fs::remove_file(root.join("contracts/clickstream.yaml")).expect("remove");
    std::fs::remove_file(root.join("contracts/old-feed.yaml")).expect("remove");
    write(root, "contracts/invoices.yaml", NEW);
    commit_all(root, "second");
    repo
}

#[test]
fn a_git_ref_is_the_baseline_with_renames_new_and_deleted_contracts() {
    if !git_installed() {
        return;
    }
    let repo = two_commits();
    let root = repo.path();
    let output = lint(
        root,
        &["breaking", "--against", "HEAD~1", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json(&output);
    // The renamed file is compared with its old path at the ref; the removed field is reported
    // at its parent (`schema:`, line 6) in the new file, and was on line 11 before.
    assert_eq!(
        findings(&report),
        [
            (
                "contract-deleted".to_owned(),
                "HEAD~1:contracts/clickstream.yaml".to_owned(),
                1,
                "HEAD~1:contracts/clickstream.yaml".to_owned(),
                1
            ),
            (
                "major-version-not-bumped".to_owned(),
                "contracts/sales/orders.yaml".to_owned(),
                4,
                "HEAD~1:contracts/orders.yaml".to_owned(),
                4
            ),
            (
                "field-removed".to_owned(),
                "contracts/sales/orders.yaml".to_owned(),
                6,
                "HEAD~1:contracts/orders.yaml".to_owned(),
                11
            ),
        ]
    );
    // The deprecated contract is deleted quietly; the new one has nothing to compare; the
    // unchanged one is not compared (and counted).
    assert_eq!(
        compared(&report),
        [
            ("HEAD~1:contracts/clickstream.yaml".into(), "deleted".into()),
            ("contracts/invoices.yaml".into(), "new".into()),
            ("HEAD~1:contracts/old-feed.yaml".into(), "deleted".into()),
            ("contracts/sales/orders.yaml".into(), "compared".into()),
        ]
    );
    assert_eq!(
        report["files"][3]["compared"]["previous"],
        "HEAD~1:contracts/orders.yaml"
    );
    assert_eq!(report["run"]["against"]["base"], "git ref `HEAD~1`");
    assert_eq!(report["run"]["against"]["unchanged"], 1);

    // A path selects among them, deleted files included.
    let output = lint(
        root,
        &[
            "breaking",
            "contracts/sales",
            "--against",
            "HEAD~1",
            "--format",
            "json",
        ],
    );
    let rules: Vec<String> = findings(&json(&output)).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["major-version-not-bumped", "field-removed"]);

    // Against HEAD nothing changed: exit 0, and a note.
    let output = lint(root, &["breaking", "--against", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: no contract changed against git ref `HEAD`"),
        "{stderr}"
    );

    // Working-tree changes count, staged or not: a dropped encryption is an error whatever
    // the version says; `--fail-on never` reports it and exits 0.
    write(
        root,
        "contracts/same.yaml",
        &SAME.replace("version: 1.0.0", "version: 2.0.0").replace(
            "  - name: id\n    type: string\n",
            "  - name: id\n    type: string\n  - name: email\n    pii: true\n",
        ),
    );
    let output = lint(root, &["breaking", "--against", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "an addition breaks nothing");
    write(
        root,
        "contracts/sales/orders.yaml",
        &ORDERS_V2.replace("    encrypted: true\n", ""),
    );
    let output = lint(root, &["breaking", "--against", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let rules: Vec<String> = findings(&json(&output)).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["version-not-bumped", "field-protection-dropped"]);
    let output = lint(
        root,
        &["breaking", "--against", "HEAD", "--fail-on", "never"],
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn every_format_carries_the_previous_location() {
    if !git_installed() {
        return;
    }
    let repo = two_commits();
    let root = repo.path();
    let run = |format: &str| {
        let output = lint(
            root,
            &[
                "breaking",
                "contracts/sales",
                "--against",
                "HEAD~1",
                "--format",
                format,
            ],
        );
        assert_eq!(output.status.code(), Some(1), "{format}: {output:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };

    // Human: both snippets, the ref named.
    let human = run("human");
    for needle in [
        "╭─[contracts/sales/orders.yaml:6:1]",
        "☞ before, in HEAD~1:contracts/orders.yaml",
        "╭─[HEAD~1:contracts/orders.yaml:11:11]",
        "compared with git ref `HEAD~1`: 23 change rules (23 built-in)",
    ] {
        assert!(human.contains(needle), "{needle}\n{human}");
    }

    // SARIF: the result at the new path, a related location at the old path with the ref.
    let sarif: Value = serde_json::from_str(&run("sarif")).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let removed = results
        .iter()
        .find(|r| r["ruleId"] == "field-removed")
        .expect("field-removed");
    let location = &removed["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "contracts/sales/orders.yaml"
    );
    assert_eq!(location["region"]["startLine"], 6);
    let related = &removed["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "contracts/orders.yaml"
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 11);
    assert_eq!(related["message"]["text"], "before, at `HEAD~1`");

    // GitHub: the annotation on the new line, the old one in its text.
    let github = run("github");
    let line = github
        .lines()
        .find(|l| l.contains("title=field-removed"))
        .expect("a field-removed annotation");
    assert!(
        line.starts_with("::error file=contracts/sales/orders.yaml,line=6,col=1,"),
        "{line}"
    );
    assert!(
        line.contains("%0Abefore: HEAD~1:contracts/orders.yaml:11:11%0A"),
        "{line}"
    );

    // The step summary says it is the comparison, and with what.
    let summary = root.join("summary.md");
    let output = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args([
            "breaking",
            "contracts/sales",
            "--against",
            "HEAD~1",
            "--format",
            "github",
        ])
        .current_dir(root)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("the linter runs");
    assert_eq!(output.status.code(), Some(1));
    let markdown = std::fs::read_to_string(&summary).expect("the step summary");
    assert!(
        markdown.starts_with("### governance-lint breaking\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("compared with git ref \\`HEAD\\~1\\`: 23 change rules"),
        "{markdown}"
    );
    std::fs::remove_file(&summary).expect("remove");

    // JUnit: the failure text says where it was.
    let junit = run("junit");
    let xml = roxmltree::Document::parse(&junit).expect("XML");
    let failure = xml
        .descendants()
        .find(|n| n.has_tag_name("failure") && n.text().is_some_and(|t| t.contains("customer_id")))
        .expect("a failure about customer_id");
    assert!(
        failure
            .text()
            .is_some_and(|t| t.contains("before: HEAD~1:contracts/orders.yaml:11:11")),
        "{failure:?}"
    );

    // JSON: `previous` with the old line's text.
    let report: Value = serde_json::from_str(&run("json")).expect("JSON");
    let removed = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "field-removed")
        .expect("field-removed");
    assert_eq!(removed["previous"]["file"], "HEAD~1:contracts/orders.yaml");
    assert_eq!(removed["previous"]["line"], 11);
    assert_eq!(removed["previous"]["column"], 11);
    assert_eq!(removed["previous"]["snippet"], "customer_id");
}

/// What the git pairing does to be quick (only files named like a changed one are looked at,
/// previous versions read while the tree is walked, fields written alike not evaluated) must
/// not hide a change: a link to a changed file, two files that had the same text, and a field
/// changed among fields left alone.
#[cfg(unix)]
#[test]
fn the_shortcuts_of_the_git_pairing_hide_no_change() {
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    git(root, &["init", "-q"]);
    // `orders.yaml` is a link to a file git sees under another name.
    write(root, "data/orders-source.txt", ORDERS_V1);
    std::os::unix::fs::symlink("data/orders-source.txt", root.join("orders.yaml"))
        .expect("symlink");
    write(root, "copies/a.yaml", ORDERS_V1);
    write(root, "copies/b.yaml", ORDERS_V1);
    commit_all(root, "first");
    write(root, "data/orders-source.txt", ORDERS_V2);
    write(root, "copies/a.yaml", ORDERS_V2);
    // Only `quantity` changes type (long to int narrows); every other field stays as it was.
    write(
        root,
        "copies/b.yaml",
        &ORDERS_V1.replace("    type: long\n", "    type: int\n"),
    );
    let output = lint(root, &["breaking", "--against", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json(&output);
    let rules: Vec<(String, String)> = findings(&report)
        .into_iter()
        .filter(|f| !f.0.contains("version"))
        .map(|f| (f.0, f.1))
        .collect();
    assert_eq!(
        rules,
        [
            ("field-removed".to_owned(), "copies/a.yaml".to_owned()),
            ("field-type-narrowed".to_owned(), "copies/b.yaml".to_owned()),
            ("field-removed".to_owned(), "orders.yaml".to_owned()),
        ],
        "{report:#}"
    );
    assert_eq!(
        compared(&report),
        [
            ("copies/a.yaml".into(), "compared".into()),
            ("copies/b.yaml".into(), "compared".into()),
            ("orders.yaml".into(), "compared".into()),
        ]
    );
}

/// A file git does not track is new, one it tracks and that did not change is unchanged,
/// whether the walk found it or it was named on the command line; names are read literally
/// (`[1]` is no glob).
#[test]
fn untracked_files_are_new_and_named_files_are_looked_up_in_git() {
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    git(root, &["init", "-q"]);
    write(root, "contracts/same.yaml", SAME);
    write(root, "contracts/orders.yaml", ORDERS_V1);
    write(root, "contracts/o[1].yaml", SAME);
    commit_all(root, "first");
    write(root, "contracts/orders.yaml", ORDERS_V2);
    // Untracked, and named like a tracked one that a glob would match.
    write(root, "contracts/o1.yaml", NEW);
    let output = lint(root, &["breaking", "--against", "HEAD", "--format", "json"]);
    let report = json(&output);
    assert_eq!(
        compared(&report),
        [
            ("contracts/o1.yaml".into(), "new".into()),
            ("contracts/orders.yaml".into(), "compared".into()),
        ]
    );
    assert_eq!(report["run"]["against"]["unchanged"], 2);
    let named = [
        "breaking",
        "contracts/same.yaml",
        "contracts/o[1].yaml",
        "contracts/o1.yaml",
        "contracts/orders.yaml",
        "--against",
        "HEAD",
        "--format",
        "json",
    ];
    let report = json(&lint(root, &named));
    assert_eq!(
        compared(&report),
        [
            ("contracts/o1.yaml".into(), "new".into()),
            ("contracts/orders.yaml".into(), "compared".into()),
        ]
    );
    assert_eq!(report["run"]["against"]["unchanged"], 2);

    // A file named on the command line is compared whatever its extension: its previous
    // version is read from git too (not with those named like contracts).
    write(root, "notes/orders.txt", ORDERS_V1);
    commit_all(root, "second");
    write(root, "notes/orders.txt", ORDERS_V2);
    let report = json(&lint(
        root,
        &[
            "breaking",
            "notes/orders.txt",
            "--against",
            "HEAD",
            "--format",
            "json",
        ],
    ));
    assert_eq!(
        compared(&report),
        [("notes/orders.txt".into(), "compared".into())]
    );
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert!(rules.contains(&"field-removed".to_owned()), "{report:#}");
}

#[test]
fn bad_bases_stop_the_run() {
    if !git_installed() {
        return;
    }
    let repo = two_commits();
    let root = repo.path();
    for (args, message) in [
        (
            vec!["breaking", "--against", "no-such-branch"],
            "`no-such-branch` is neither a path nor a git ref of this repository",
        ),
        (
            vec!["breaking", "--against=--cached"],
            "`--cached` is not a git ref or a path",
        ),
        (
            vec!["diff", "--against", "HEAD~9"],
            "`HEAD~9` is neither a path nor a git ref of this repository",
        ),
    ] {
        let output = lint(root, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // Outside a repository a ref cannot be read.
    let outside = tempfile::tempdir().expect("a temporary directory");
    write(outside.path(), "c.yaml", SAME);
    let output = lint(outside.path(), &["breaking", "--against", "main"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`main` is no file or directory, and a git ref needs a git repository"),
        "{stderr}"
    );
}

#[test]
fn a_previous_version_that_cannot_be_read_is_reported_not_taken_as_new() {
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    git(root, &["init", "-q"]);
    write(root, "broken.yaml", "data_product: [\n");
    std::fs::write(root.join("latin1.yaml"), b"data_product: caf\xe9\n").expect("write");
    commit_all(root, "first");
    write(root, "broken.yaml", SAME);
    write(root, "latin1.yaml", NEW);
    let output = lint(root, &["breaking", "--against", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "a warning");
    let report = json(&output);
    let rules: Vec<(String, String)> = findings(&report).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        rules,
        [
            ("baseline-unreadable".into(), "broken.yaml".into()),
            ("baseline-unreadable".into(), "latin1.yaml".into()),
        ]
    );
    assert_eq!(
        compared(&report),
        [
            ("broken.yaml".into(), "baseline-unreadable".into()),
            ("latin1.yaml".into(), "baseline-unreadable".into()),
        ]
    );
    // In strict mode, an error.
    let output = lint(root, &["breaking", "--against", "HEAD", "--strict"]);
    assert_eq!(output.status.code(), Some(1));
}

/// A tracked file whose name is not UTF-8, named on the command line: git is asked about it by
/// its bytes, so that unchanged it is unchanged (not new) and changed it is compared.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_looked_up_in_git_as_it_is() {
    use std::os::unix::ffi::OsStrExt;
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    git(root, &["init", "-q"]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    if std::fs::write(root.join(name), ORDERS_V1).is_err() {
        eprintln!("skipped: the file system refuses a name that is not UTF-8");
        return;
    }
    commit_all(root, "first");
    let run = || {
        let args = [
            std::ffi::OsStr::new("breaking"),
            name,
            "--against".as_ref(),
            "HEAD".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ];
        json(&linter(root, &args).output().expect("the linter runs"))
    };
    let report = run();
    assert_eq!(compared(&report), [], "{report:#}");
    assert_eq!(report["run"]["against"]["unchanged"], 1, "{report:#}");
    std::fs::write(root.join(name), ORDERS_V2).expect("write");
    let report = run();
    let statuses: Vec<String> = compared(&report).into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["compared"], "{report:#}");
}

/// A previous version over `max-file-bytes` is not read into memory: like a current file over
/// the limit, it is reported (`baseline-unreadable`, with its size), never taken as new, from a
/// git ref and from a directory alike.
#[test]
fn a_previous_version_over_the_size_limit_is_reported_not_read() {
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    git(root, &["init", "-q"]);
    write(root, "governance.toml", "max-file-bytes = 2048\n");
    let padded = format!("{ORDERS_V1}# {}\n", "x".repeat(4096));
    write(root, "contracts/orders.yaml", &padded);
    write(root, "old/contracts/orders.yaml", &padded);
    commit_all(root, "first");
    write(root, "contracts/orders.yaml", ORDERS_V2);
    for against in ["HEAD", "old/contracts"] {
        let output = lint(
            root,
            &[
                "breaking",
                "contracts",
                "--against",
                against,
                "--format",
                "json",
            ],
        );
        let report = json(&output);
        assert_eq!(
            compared(&report),
            [("contracts/orders.yaml".into(), "baseline-unreadable".into())],
            "{against}: {report:#}"
        );
        let message = report["findings"][0]["message"].as_str().unwrap_or("");
        assert!(
            message.contains("bytes, over the limit of 2048 bytes"),
            "{against}: {message}"
        );
    }
}

/// Fields defined in another file (`$ref`) are compared as `check` reads them: both versions
/// resolve their references against the files as they are now, so pointing a PII field at a
/// definition without the PII flag is a break, not a change nobody can see.
#[test]
fn references_are_followed_in_both_versions() {
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    git(root, &["init", "-q"]);
    let definitions = "definitions:\n  email:\n    type: string\n    pii: true\n    encrypted: true\n  text:\n    type: string\n";
    write(root, "contracts/definitions.yaml", definitions);
    let orders = |definition: &str| {
        format!(
            "dataContractSpecification: 1.1.0\nid: orders\ninfo:\n  title: orders\n  version: 1.0.0\n  owner: checkout@company.com\nmodels:\n  orders:\n    fields:\n      email:\n        $ref: 'definitions.yaml#/definitions/{definition}'\n"
        )
    };
    write(root, "contracts/orders.yaml", &orders("email"));
    commit_all(root, "first");
    write(root, "contracts/orders.yaml", &orders("text"));
    for against in ["HEAD", "old"] {
        if against == "old" {
            write(root, "old/orders.yaml", &orders("email"));
            write(root, "old/definitions.yaml", definitions);
        }
        let output = lint(
            root,
            &[
                "breaking",
                "contracts/orders.yaml",
                "--against",
                against,
                "--format",
                "json",
            ],
        );
        let report = json(&output);
        let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
        assert!(
            rules.contains(&"pii-flag-removed".to_owned()),
            "{against}: {report:#}"
        );
        assert!(!rules.iter().any(|r| r == "external-ref"), "{report:#}");
    }
    // From the contract's own directory: the previous version's path (from the repository's
    // root) is found relative to it.
    let report = json(&lint(
        &root.join("contracts"),
        &[
            "breaking",
            "orders.yaml",
            "--against",
            "HEAD",
            "--format",
            "json",
        ],
    ));
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert!(rules.contains(&"pii-flag-removed".to_owned()), "{report:#}");
}

/// A `git` that runs the real one, except that `git cat-file` does what `cat_file` (a shell
/// command, given the real git as `$real`) does: in a directory to put first on `PATH`.
#[cfg(unix)]
fn git_with_cat_file(cat_file: &str) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let found = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .expect("sh runs");
    let real = String::from_utf8_lossy(&found.stdout).trim().to_owned();
    assert!(!real.is_empty(), "git is on PATH");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let script = dir.path().join("git");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nreal='{real}'\nif [ \"$1\" = cat-file ]; then\n{cat_file}\nfi\nexec \"$real\" \"$@\"\n"
        ),
    )
    .expect("write the script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

/// git reads the previous versions while the first files are compared: when it fails, or
/// stops answering, after the report has begun, the comparisons that waited report the
/// previous version unreadable and the run still stops (exit code 2), in every command.
#[cfg(unix)]
#[test]
fn git_failing_while_the_files_are_compared_stops_the_run() {
    if !git_installed() {
        return;
    }
    let repo = two_commits();
    let root = repo.path();
    for (cat_file, reason) in [
        (
            "echo 'fatal: the object store is gone' >&2; exit 128",
            "git says: fatal: the object store is gone",
        ),
        (
            // The first header, then nothing: an answer cut short, though git says success.
            "\"$real\" \"$@\" | head -n 1; exit 0",
            "`git cat-file` answered for 0 of 3 previous versions",
        ),
    ] {
        let fake = git_with_cat_file(cat_file);
        let path = format!(
            "{}:{}",
            fake.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let run = |args: &[&str]| {
            linter(root, args)
                .env("PATH", &path)
                .output()
                .expect("the linter runs")
        };
        for args in [
            vec!["breaking", "--against", "HEAD~1", "--format", "json"],
            vec!["breaking", "--against", "HEAD~1"],
            vec!["diff", "--against", "HEAD~1"],
            vec!["diff", "--against", "HEAD~1", "--format", "json"],
        ] {
            let output = run(&args);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{cat_file}: {args:?}: {output:?}"
            );
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("git cannot compare with `HEAD~1`") && stderr.contains(reason),
                "{cat_file}: {args:?}: {stderr}"
            );
        }
        let stderr =
            String::from_utf8_lossy(&run(&["breaking", "--against", "HEAD~1"]).stderr).into_owned();
        assert!(
            stderr.contains("1 problem after the files were compared; the report is incomplete")
                && !stderr.contains("nothing was linted"),
            "{stderr}"
        );
        // Every machine format says the run failed, as when a base cannot be read at all.
        let sarif: Value = serde_json::from_slice(
            &run(&["breaking", "--against", "HEAD~1", "--format", "sarif"]).stdout,
        )
        .expect("SARIF is JSON");
        let invocation = &sarif["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false, "{sarif:#}");
        assert_eq!(
            invocation["toolExecutionNotifications"][0]["descriptor"]["id"], "usage::against",
            "{sarif:#}"
        );
        let junit = run(&["breaking", "--against", "HEAD~1", "--format", "junit"]);
        let junit = String::from_utf8_lossy(&junit.stdout);
        assert!(
            junit.contains("failures=\"0\" errors=\"1\">")
                && junit.contains("<error type=\"usage::against\""),
            "{junit}"
        );
        let github = run(&["breaking", "--against", "HEAD~1", "--format", "github"]);
        let github = String::from_utf8_lossy(&github.stdout);
        assert!(
            github.contains("::error title=usage%3A%3Aagainst::git cannot compare with `HEAD~1`"),
            "{github}"
        );
        // The report itself stays whole and says which previous versions were not read.
        let output = run(&["breaking", "--against", "HEAD~1", "--format", "json"]);
        let report = json(&output);
        assert_eq!(report["errors"][0]["code"], "usage::against", "{report:#}");
        // Each on the first line of its file (a deleted one: of its previous version).
        let unread: Vec<(String, u64)> = findings(&report)
            .into_iter()
            .filter(|f| f.0 == "baseline-unreadable")
            .map(|f| (f.1, f.2))
            .collect();
        assert_eq!(
            unread,
            [
                ("HEAD~1:contracts/clickstream.yaml".into(), 1),
                ("HEAD~1:contracts/old-feed.yaml".into(), 1),
                ("contracts/sales/orders.yaml".into(), 1),
            ],
            "{report:#}"
        );
        assert_eq!(
            compared(&report),
            [
                // Deleted, and not read: reported, never passed.
                (
                    "HEAD~1:contracts/clickstream.yaml".into(),
                    "baseline-unreadable".into()
                ),
                ("contracts/invoices.yaml".into(), "new".into()),
                (
                    "HEAD~1:contracts/old-feed.yaml".into(),
                    "baseline-unreadable".into()
                ),
                (
                    "contracts/sales/orders.yaml".into(),
                    "baseline-unreadable".into()
                ),
            ],
            "{cat_file}"
        );
    }
}

/// The Markdown changelog, as a pull-request comment shows it, against its snapshot
/// (`UPDATE_EXPECTED=1` rewrites it; review the diff).
#[test]
fn the_markdown_changelog_matches_its_snapshot() {
    if !git_installed() {
        return;
    }
    let repo = two_commits();
    let root = repo.path();
    let output = lint(
        root,
        &["diff", "--against", "HEAD~1", "--format", "markdown"],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let markdown = String::from_utf8(output.stdout).expect("UTF-8");
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/diff-markdown.md");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&snapshot, &markdown).expect("write the snapshot");
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert_eq!(markdown, expected, "tests/cli/diff-markdown.md");

    // The same in JSON: every change, the rename followed.
    let output = lint(root, &["diff", "--against", "HEAD~1", "--format", "json"]);
    let report = json(&output);
    let files: Vec<(String, String)> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_owned(),
                f["previous"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            (
                "contracts/clickstream.yaml".into(),
                "HEAD~1:contracts/clickstream.yaml".into()
            ),
            ("contracts/invoices.yaml".into(), "-".into()),
            (
                "contracts/old-feed.yaml".into(),
                "HEAD~1:contracts/old-feed.yaml".into()
            ),
            (
                "contracts/sales/orders.yaml".into(),
                "HEAD~1:contracts/orders.yaml".into()
            ),
        ]
    );
}
