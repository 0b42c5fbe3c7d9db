//! `--changed-since REF` in a real git repository, built in a temporary directory: committed,
//! modified, untracked, unchanged and deleted contracts; a subdirectory; an unknown ref.
//! Skipped (with a message) when `git` is not installed.

// Helpers of a test binary: a failed step is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the linter runs")
}

/// The files a JSON report lists.
fn files(output: &Output) -> Vec<String> {
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["file"].as_str().expect("a path").to_owned())
        .collect()
}

const CONTRACT: &str = "data_product: p\ndomain: sales\nowner: team@company.com\nschema:\n  - name: id\n    type: string\n";

#[test]
fn only_files_changed_since_the_ref_are_linted() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    std::fs::create_dir_all(root.join("sub")).expect("mkdir");
    for name in [
        "unchanged.yaml",
        "modified.yaml",
        "deleted.yaml",
        "sub/later.yaml",
    ] {
        std::fs::write(root.join(name), CONTRACT).expect("write");
    }
    std::fs::write(root.join(".gitignore"), "ignored.yaml\n").expect("write");
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);

    // Working-tree changes: modified, deleted, untracked, ignored.
    std::fs::write(root.join("modified.yaml"), format!("{CONTRACT}# edited\n")).expect("write");
    std::fs::remove_file(root.join("deleted.yaml")).expect("remove");
    std::fs::write(root.join("untracked.yaml"), CONTRACT).expect("write");
    std::fs::write(root.join("ignored.yaml"), CONTRACT).expect("write");
    let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(files(&output), ["modified.yaml", "untracked.yaml"]);

    // A committed change is seen from an older ref, not from HEAD; and from a subdirectory only
    // the files below it are walked.
    std::fs::write(root.join("sub/later.yaml"), format!("{CONTRACT}# later\n")).expect("write");
    git(root, &["add", "sub/later.yaml"]);
    git(root, &["commit", "-q", "-m", "second"]);
    let output = lint(root, &["--changed-since", "HEAD~1", "--format", "json"]);
    assert_eq!(
        files(&output),
        ["modified.yaml", "sub/later.yaml", "untracked.yaml"]
    );
    let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(files(&output), ["modified.yaml", "untracked.yaml"]);
    let output = lint(
        &root.join("sub"),
        &["--changed-since", "HEAD~1", "--format", "json"],
    );
    assert_eq!(files(&output), ["later.yaml"]);
    // Explicit paths are intersected too (the pre-commit case).
    let output = lint(
        root,
        &[
            "unchanged.yaml",
            "modified.yaml",
            "--changed-since",
            "HEAD",
            "--format",
            "json",
        ],
    );
    assert_eq!(files(&output), ["modified.yaml"]);
}

#[test]
fn an_unknown_ref_is_a_usage_error() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(repo.path().join("c.yaml"), CONTRACT).expect("write");
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "first"]);
    let output = lint(repo.path(), &["--changed-since", "no-such-branch"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("git cannot compare with `no-such-branch`"),
        "{stderr}"
    );
    assert!(stderr.contains("git says: fatal:"), "{stderr}");
    let output = lint(repo.path(), &["--changed-since=--cached"]);
    assert_eq!(output.status.code(), Some(2), "an option is not a ref");
}

fn git_installed() -> bool {
    let installed = Command::new("git").arg("--version").output().is_ok();
    if !installed {
        eprintln!("skipped: git is not installed");
    }
    installed
}

/// `(file, status)` for every file of a JSON report.
fn statuses(output: &Output) -> Vec<(String, String)> {
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let field = |name: &str| f[name].as_str().expect("a string").to_owned();
            (field("file"), field("status"))
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn commit_all(root: &Path) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "commit"]);
}

#[cfg(unix)]
#[test]
fn changed_names_that_are_not_utf8_are_kept() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    let latin1 = OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(root.join(latin1), CONTRACT).expect("write");
    std::fs::write(root.join("plain.yaml"), CONTRACT).expect("write");
    git(root, &["init", "-q"]);
    commit_all(root);
    std::fs::write(root.join(latin1), format!("{CONTRACT}# edited\n")).expect("write");
    let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(statuses(&output), pairs(&[("caf\u{fffd}.yaml", "linted")]));
}

#[test]
fn a_change_to_the_policies_or_the_configuration_lints_every_contract() {
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    write(
        root,
        "policies/team.policy",
        "rule has-version {\n  severity error\n  contract must have version\n}\n",
    );
    write(root, "policies/team.tests.yaml", "# tests\n");
    write(root, "governance.toml", "policies = [\"policies\"]\n");
    write(root, "contracts/a.yaml", CONTRACT);
    write(root, "contracts/b.yaml", CONTRACT);
    write(root, "README.md", "# contracts\n");
    git(root, &["init", "-q"]);
    commit_all(root);

    // Nothing changed: a note, exit 0, and a valid document.
    let output = lint(root, &["--changed-since", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: no contract changed since HEAD"),
        "{stderr}"
    );
    let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(files(&output).is_empty());
    // A change elsewhere is no reason to lint everything.
    write(root, "README.md", "# contracts, edited\n");
    let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
    assert!(files(&output).is_empty());

    for (changed, what) in [
        ("policies/team.policy", "policies"),
        ("policies/team.tests.yaml", "policies"),
        ("governance.toml", "the configuration"),
    ] {
        let before = std::fs::read_to_string(root.join(changed)).expect("read");
        write(root, changed, &format!("{before}# edited\n"));
        let output = lint(root, &["--changed-since", "HEAD"]);
        assert_eq!(output.status.code(), Some(1), "{changed}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!(
                "note: {what} changed since HEAD ({changed}): linting every contract"
            )),
            "{stderr}"
        );
        let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
        assert_eq!(
            files(&output),
            [
                "contracts/a.yaml",
                "contracts/b.yaml",
                "policies/team.tests.yaml"
            ]
        );
        write(root, changed, &before);
    }
    // From a subdirectory, with the configuration found above it.
    write(
        root,
        "policies/team.policy",
        "rule has-version {\n  severity error\n  contract must have version\n}\n# edited\n",
    );
    let output = lint(&root.join("contracts"), &["--changed-since", "HEAD"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: policies changed since HEAD (../policies/team.policy)"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1));
    // A deleted policy test file is not a change that lints everything.
    write(
        root,
        "policies/team.policy",
        "rule has-version {\n  severity error\n  contract must have version\n}\n",
    );
    std::fs::remove_file(root.join("policies/team.tests.yaml")).expect("remove");
    let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
    assert!(files(&output).is_empty());
}
