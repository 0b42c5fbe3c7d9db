//! git for the tests that build repositories in temporary directories (`cli_breaking`,
//! `cli_git`, `cli_packs`): included with `#[path = "support/git.rs"] mod support_git;`.

use std::path::Path;
use std::process::Command;

/// Whether git can be run; says the test is skipped when not.
pub fn git_installed() -> bool {
    let installed = Command::new("git").arg("--version").output().is_ok();
    if !installed {
        eprintln!("skipped: git is not installed");
    }
    installed
}

/// Runs git in `dir` with a test identity, no signing and no system configuration, and
/// returns its standard output, trimmed; a failure fails the test.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
