//! `--changed-since REF` in a real git repository, built in a temporary directory: committed,
//! modified, untracked, unchanged and deleted contracts; a subdirectory; an unknown ref.
//! Skipped (with a message) when `git` is not installed.

// Helpers of a test binary: a failed step is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

#[path = "support/git.rs"]
mod support_git;
use support_git::{git, git_installed};

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
    if !git_installed() {
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
    if !git_installed() {
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

#[test]
fn every_tracked_contract_is_linted_whatever_the_ignore_files_say() {
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    for name in [
        "plain.yaml",
        "forced.yaml",
        "sub/dot-ignored.yaml",
        "target/built.yaml",
        "node_modules/pkg/vendored.YML",
        "gone.yaml",
    ] {
        write(root, name, CONTRACT);
    }
    write(root, ".gitignore", "forced.yaml\n");
    write(root, "sub/.ignore", "dot-ignored.yaml\n");
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["add", "-f", "forced.yaml"]);
    git(root, &["commit", "-q", "-m", "first"]);
    // Untracked and ignored, or untracked under a skipped directory: not linted. Tracked but
    // deleted from the work tree: nothing to lint, no error.
    write(root, ".gitignore", "forced.yaml\nlocal.yaml\n");
    write(root, "local.yaml", CONTRACT);
    write(root, "target/untracked.yaml", CONTRACT);
    std::fs::remove_file(root.join("gone.yaml")).expect("remove");

    let linted = |names: &[&str]| -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| ((*n).to_owned(), "linted".to_owned()))
            .collect()
    };
    let output = lint(root, &["--format", "json"]);
    assert_eq!(
        statuses(&output),
        linted(&[
            "forced.yaml",
            "node_modules/pkg/vendored.YML",
            "plain.yaml",
            "sub/dot-ignored.yaml",
            "target/built.yaml",
        ])
    );
    // The globs still apply to tracked files.
    let output = lint(root, &["--format", "json", "--exclude", "node_modules/**"]);
    assert_eq!(
        files(&output),
        [
            "forced.yaml",
            "plain.yaml",
            "sub/dot-ignored.yaml",
            "target/built.yaml"
        ]
    );
    // A walk of a subdirectory, or of a skipped directory named on the command line.
    let output = lint(root, &["--format", "json", "sub", "target"]);
    assert_eq!(
        files(&output),
        [
            "sub/dot-ignored.yaml",
            "target/built.yaml",
            "target/untracked.yaml"
        ]
    );
    // --changed-since sees changes to tracked files that the ignore files hide.
    write(root, "target/built.yaml", &format!("{CONTRACT}# rebuilt\n"));
    write(root, "forced.yaml", &format!("{CONTRACT}# edited\n"));
    let output = lint(root, &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(files(&output), ["forced.yaml", "target/built.yaml"]);
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_walked_and_tracked() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    if !git_installed() {
        return;
    }
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    let latin1 = OsStr::from_bytes(b"caf\xe9.yaml");
    let ignored = OsStr::from_bytes(b"ignor\xe9.yaml");
    std::fs::write(root.join(latin1), CONTRACT).expect("write");
    std::fs::write(root.join(ignored), CONTRACT).expect("write");
    std::fs::write(root.join(".gitignore"), b"ignor\xe9.yaml\n").expect("write");
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    // An ignored name to force-add, written as a pathspec glob (the name is not UTF-8).
    git(root, &["add", "-f", "--", "ignor*.yaml"]);
    git(root, &["commit", "-q", "-m", "first"]);
    let output = lint(root, &["--format", "json"]);
    assert_eq!(
        statuses(&output),
        pairs(&[
            ("caf\u{fffd}.yaml", "linted"),
            ("ignor\u{fffd}.yaml", "linted")
        ])
    );
}

/// `(rule, message)` of the findings about `file` in a JSON report.
fn findings_of(output: &Output, file: &str) -> Vec<(String, String)> {
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"] == file)
        .map(|f| {
            let field = |name: &str| f[name].as_str().expect("a string").to_owned();
            (field("rule"), field("message"))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_linted_once_and_never_lead_out_of_the_repository() {
    use std::os::unix::fs::symlink;
    if !git_installed() {
        return;
    }
    let outside = tempfile::tempdir().expect("a temporary directory");
    write(outside.path(), "secret.yaml", CONTRACT);
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    write(root, "contracts/orders.yaml", CONTRACT);
    write(root, "shared/base.txt", CONTRACT);
    write(root, "vendor/pkg/dep.yaml", CONTRACT);
    write(root, ".gitignore", "vendor/\n");
    // To a file that is linted anyway: listed as skipped.
    symlink("orders.yaml", root.join("contracts/alias.yaml")).expect("symlink");
    // To a file that is not selected (not named like a contract, or ignored): linted under
    // the link's name, once.
    symlink("../shared/base.txt", root.join("contracts/base.yaml")).expect("symlink");
    symlink("../shared/base.txt", root.join("contracts/base2.yaml")).expect("symlink");
    symlink("../vendor/pkg/dep.yaml", root.join("contracts/dep.yaml")).expect("symlink");
    // Out of the repository, to nothing, to a directory.
    symlink(
        outside.path().join("secret.yaml"),
        root.join("contracts/secret.yaml"),
    )
    .expect("symlink");
    symlink("missing.yaml", root.join("contracts/dangling.yaml")).expect("symlink");
    symlink("../shared", root.join("contracts/dir.yaml")).expect("symlink");
    git(root, &["init", "-q"]);
    commit_all(root);

    let output = lint(root, &["contracts", "--format", "json"]);
    assert_eq!(
        statuses(&output),
        pairs(&[
            ("contracts/alias.yaml", "skipped"),
            ("contracts/base.yaml", "linted"),
            ("contracts/base2.yaml", "skipped"),
            ("contracts/dangling.yaml", "failed"),
            ("contracts/dep.yaml", "linted"),
            ("contracts/dir.yaml", "skipped"),
            ("contracts/orders.yaml", "linted"),
            ("contracts/secret.yaml", "failed"),
        ])
    );
    let secret = outside
        .path()
        .canonicalize()
        .expect("canonical")
        .join("secret.yaml");
    assert_eq!(
        findings_of(&output, "contracts/secret.yaml"),
        [(
            "link-outside".to_owned(),
            format!(
                "symbolic link `contracts/secret.yaml` leads outside the repository (to `{}`); it is not read",
                secret.display()
            )
        )]
    );
    assert_eq!(
        findings_of(&output, "contracts/dangling.yaml"),
        [(
            "io-error".to_owned(),
            "symbolic link `contracts/dangling.yaml` leads to `missing.yaml`, which cannot be read: No such file or directory (os error 2)".to_owned()
        )]
    );
    // The reasons, as a person sees them.
    let output = lint(root, &["contracts", "--verbose"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in [
        "skipped contracts/alias.yaml  (a symbolic link to `contracts/orders.yaml`, which is linted)",
        "skipped contracts/base2.yaml  (a symbolic link to the same file as `contracts/base.yaml`, which is linted)",
        "skipped contracts/dir.yaml  (a symbolic link to a directory, not followed)",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    // From the whole repository the ignored target is still not walked, so its link is linted;
    // a link and its target both selected: the target is linted.
    let output = lint(root, &["--format", "json"]);
    let statuses = statuses(&output);
    assert!(statuses.contains(&("contracts/dep.yaml".into(), "linted".into())));
    assert!(!statuses.iter().any(|(f, _)| f.starts_with("vendor/")));
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

    if !git_installed() {
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
