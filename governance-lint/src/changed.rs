//! `--changed-since REF`: the files git says changed since a ref.
//!
//! Changed means: listed by `git diff --name-only --diff-filter=d REF` (committed, staged and
//! unstaged changes between REF and the working tree, deleted files left out), or untracked and
//! not ignored (`git ls-files --others --exclude-standard`), so that a new contract is linted
//! before it is added. REF is anything `git diff` accepts: a branch, a tag, a commit, or
//! `A...B` (changes since the merge base of A and B).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::discover::Candidate;

/// Why the changed files could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedError {
    pub message: String,
    pub help: Option<String>,
}

/// The changed files, as canonical paths.
#[derive(Debug, Default)]
pub struct Changed {
    files: HashSet<PathBuf>,
}

impl Changed {
    /// Asks git, in `cwd`.
    pub fn since(reference: &str, cwd: &Path) -> Result<Self, ChangedError> {
        if reference.starts_with('-') || reference.is_empty() {
            return Err(ChangedError {
                message: format!("`{reference}` is not a git ref"),
                help: Some("pass a branch, tag or commit: `--changed-since origin/main`".into()),
            });
        }
        let root = git(cwd, &["rev-parse", "--show-toplevel"]).map_err(|reason| ChangedError {
            message: "`--changed-since` needs a git repository".to_owned(),
            help: Some(reason),
        })?;
        let root = PathBuf::from(root.trim_end_matches(['\n', '\r']));
        let diff = git(
            &root,
            &[
                "diff",
                "--name-only",
                "-z",
                "--no-renames",
                "--diff-filter=d",
                reference,
                "--",
            ],
        )
        .map_err(|reason| ChangedError {
            message: format!("git cannot compare with `{reference}`"),
            help: Some(reason),
        })?;
        let untracked = git(&root, &["ls-files", "--others", "--exclude-standard", "-z"]).map_err(
            |reason| ChangedError {
                message: "git cannot list the untracked files".to_owned(),
                help: Some(reason),
            },
        )?;
        let files = diff
            .split('\0')
            .chain(untracked.split('\0'))
            .filter(|name| !name.is_empty())
            .filter_map(|name| root.join(name).canonicalize().ok())
            .collect();
        Ok(Self { files })
    }

    /// Keeps the candidates that changed.
    pub fn retain(&self, candidates: &mut Vec<Candidate>) {
        candidates.retain(|candidate| {
            candidate
                .path
                .canonicalize()
                .is_ok_and(|path| self.files.contains(&path))
        });
    }
}

/// Runs git and returns its standard output, or a one-line reason.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .map_err(|error| format!("cannot run `git`: {error}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(format!("git says: {}", first.trim()))
    }
}
