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

/// Outside any repository and without a `policies/` folder, the built-in pack is used, and
/// the output says so; run from a subdirectory of a repository, the repository's
/// `policies/` is found at its root (not silently replaced by the built-in pack).
#[test]
fn the_policies_in_use_are_named_and_found_at_the_repository_root() {
    let outside = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(outside.path().join("c.yaml"), CONTRACT).expect("write");
    let output = lint(outside.path(), &["check", "c.yaml"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("policies: built-in default pack — 5 rules"),
        "{stdout}"
    );

    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    std::fs::create_dir_all(root.join("policies")).expect("mkdir");
    std::fs::create_dir_all(root.join("contracts/sales")).expect("mkdir");
    std::fs::write(
        root.join("policies/owner.policy"),
        "rule owner-named { contract must have owner }\n",
    )
    .expect("write");
    std::fs::write(
        root.join("contracts/sales/c.yaml"),
        "data_product: p\ndomain: sales\nschema:\n  - name: id\n",
    )
    .expect("write");
    git(root, &["init", "-q"]);
    let output = lint(&root.join("contracts/sales"), &["check", "c.yaml"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("owner-named"), "{stdout}");
    assert!(
        stdout.contains("policies: ../../policies/ — 1 rule"),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(1));
}
