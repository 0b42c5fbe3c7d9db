//! Asking git: the work tree a directory is in, the files it tracks, the files that changed.
//!
//! git's output is read as bytes and names are split on NUL (`-z`), so that a file name that
//! is not valid UTF-8 is kept as the operating system spells it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why git gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// `git` cannot be started (it is not installed, say); the reason.
    Missing(String),
    /// git ran and failed: the first line it wrote on standard error.
    Failed(String),
}

impl GitError {
    /// A one-line reason: ``cannot run `git`: ...`` or `git says: ...`.
    pub fn reason(&self) -> &str {
        match self {
            GitError::Missing(reason) | GitError::Failed(reason) => reason,
        }
    }
}

/// Runs git in `dir` and returns its standard output.
pub fn run(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .map_err(|error| GitError::Missing(format!("cannot run `git`: {error}")))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(GitError::Failed(format!("git says: {}", first.trim())))
    }
}

/// The root of the work tree that holds `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    let out = run(dir, &["rev-parse", "--show-toplevel"])?;
    let line = out.strip_suffix(b"\n").unwrap_or(&out);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(path_from_bytes(line))
}

/// The names in NUL-separated output (`-z`), as paths; empty names are left out.
pub fn names(output: &[u8]) -> impl Iterator<Item = PathBuf> + '_ {
    output
        .split(|&byte| byte == 0)
        .filter(|name| !name.is_empty())
        .map(path_from_bytes)
}

/// A path from the bytes git wrote: exactly those bytes on unix.
#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// A path from the bytes git wrote (UTF-8 on other systems).
#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_on_nul_and_keep_their_bytes() {
        let names: Vec<PathBuf> = names(b"a.yaml\0sub/b c.yml\0\0").collect();
        assert_eq!(
            names,
            [PathBuf::from("a.yaml"), PathBuf::from("sub/b c.yml")]
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let latin: Vec<PathBuf> = super::names(b"caf\xe9.yaml\0").collect();
            assert_eq!(
                latin.first().map(|p| p.as_os_str().as_bytes()),
                Some(&b"caf\xe9.yaml"[..])
            );
        }
    }
}
