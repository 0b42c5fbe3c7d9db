//! Asking git: the work tree a directory is in, the files it tracks, the files that changed;
//! and the policy-pack cache's own repositories ([`run_on`]).
//!
//! git's output is read as bytes and names are split on NUL (`-z`), so that a file name that
//! is not valid UTF-8 is kept as the operating system spells it. git is always started
//! directly, never through a shell.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

/// Runs git in `dir` and returns its standard output. Arguments may be paths that are not
/// UTF-8.
pub fn run<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .map_err(|error| GitError::Missing(format!("cannot run `git`: {error}")))?;
    answer(output)
}

/// The variables through which an outer git (a hook that pre-commit runs, say) would point
/// this git at another repository, index or object store.
const REPOSITORY_VARIABLES: [&str; 9] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_QUARANTINE_PATH",
];

/// Runs git on the bare repository `git_dir` (and nothing else, whatever the environment
/// says), with `input` on its standard input; never asks for a password on the terminal.
/// The user's git configuration applies (credential helpers, proxies, `insteadOf`).
pub fn run_on(git_dir: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, GitError> {
    let mut command = Command::new("git");
    command.args(args);
    for variable in REPOSITORY_VARIABLES {
        command.env_remove(variable);
    }
    command
        .env("GIT_DIR", git_dir)
        .env("GIT_TERMINAL_PROMPT", "0");
    if let Some(parent) = git_dir.parent() {
        command.current_dir(parent);
    }
    output_with(command, input)
}

/// Starts `command`, writes `input` (if any) to it while it runs, and returns its answer.
fn output_with(mut command: Command, input: Option<&[u8]>) -> Result<Vec<u8>, GitError> {
    command
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|error| GitError::Missing(format!("cannot run `git`: {error}")))?;
    let output = std::thread::scope(|scope| {
        // Written on its own thread, so that git may answer while it reads.
        let writer = child.stdin.take().map(|mut stdin| {
            scope.spawn(move || {
                let _ = stdin.write_all(input.unwrap_or_default());
            })
        });
        let output = child.wait_with_output();
        if let Some(writer) = writer {
            let _ = writer.join();
        }
        output
    })
    .map_err(|error| GitError::Missing(format!("cannot run `git`: {error}")))?;
    answer(output)
}

/// git's standard output when it succeeded, else the first line of its standard error.
fn answer(output: Output) -> Result<Vec<u8>, GitError> {
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut lines = stderr.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines
            .clone()
            .find(|l| !l.starts_with("warning:") && !l.starts_with("hint:"))
            .or_else(|| lines.next())
            .unwrap_or("");
        Err(GitError::Failed(format!("git says: {first}")))
    }
}

/// What git answered for one object name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blob {
    /// The blob's bytes.
    Content(Vec<u8>),
    /// git has no such object, or it is not a blob.
    Missing,
    /// A blob of `size` bytes, over `limit`: not read.
    TooLarge { size: u64, limit: u64 },
}

/// The contents of the blobs `ids` (object names), in order, in one `git cat-file --batch`:
/// what `git show REF:path` would print for each, without a process per file. A blob over
/// `limit` bytes is not read.
pub fn blobs(dir: &Path, ids: &[String], limit: u64) -> Result<Vec<Blob>, GitError> {
    let mut out = Vec::with_capacity(ids.len());
    each_blob(dir, ids, limit, |_, blob| out.push(blob))?;
    Ok(out)
}

/// Reads the blobs `ids` with one `git cat-file --batch` and hands each to `each` (with its
/// position in `ids`) as soon as git has written it, so that the caller may use the first ones
/// while git reads the others. A blob over `limit` bytes is skipped, not held in memory. An
/// error when git fails or its answer ends before the last object: then some objects were
/// never handed on.
pub fn each_blob(
    dir: &Path,
    ids: &[String],
    limit: u64,
    mut each: impl FnMut(usize, Blob),
) -> Result<(), GitError> {
    use std::io::{BufRead, BufReader, Read};
    if ids.is_empty() {
        return Ok(());
    }
    let count = ids.len();
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .current_dir(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| GitError::Missing(format!("cannot run `git`: {error}")))?;
    let mut input = String::with_capacity(ids.len() * 41);
    for id in ids {
        input.push_str(id);
        input.push('\n');
    }
    // Written from another thread, so that a large answer cannot block the question.
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(input.as_bytes());
        }
    });
    let read_failed =
        |error: std::io::Error| GitError::Failed(format!("cannot read git's output: {error}"));
    // `<id> blob <size>\n<content>\n`, or `<id> missing\n`, per object.
    let mut answered = 0;
    let mut reading = Ok(());
    if let Some(stdout) = child.stdout.take() {
        let mut reader = BufReader::with_capacity(1 << 16, stdout);
        let mut header = Vec::new();
        while answered < count {
            header.clear();
            match reader.read_until(b'\n', &mut header) {
                Ok(_) if header.ends_with(b"\n") => {}
                Ok(_) => break,
                Err(error) => {
                    reading = Err(read_failed(error));
                    break;
                }
            }
            let line = String::from_utf8_lossy(&header);
            let mut words = line.trim_end().split(' ');
            let _id = words.next();
            let kind = words.next().unwrap_or("");
            let size: Option<u64> = words.next().and_then(|n| n.parse().ok());
            let Some(size) = size else {
                each(answered, Blob::Missing);
                answered += 1;
                continue;
            };
            let mut newline = [0u8; 1];
            if kind != "blob" || size > limit {
                // Read past it (and the newline after it) without keeping it.
                match std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink()) {
                    Ok(skipped) if skipped == size => {}
                    Ok(_) => break,
                    Err(error) => {
                        reading = Err(read_failed(error));
                        break;
                    }
                }
                if reader.read_exact(&mut newline).is_err() {
                    break;
                }
                let blob = if kind == "blob" {
                    Blob::TooLarge { size, limit }
                } else {
                    Blob::Missing
                };
                each(answered, blob);
                answered += 1;
                continue;
            }
            let mut content = Vec::new();
            let fits = usize::try_from(size)
                .ok()
                .is_some_and(|size| content.try_reserve_exact(size).is_ok());
            if !fits {
                reading = Err(GitError::Failed(format!(
                    "a previous version of {size} bytes does not fit in memory"
                )));
                break;
            }
            // The content and the newline after it.
            if let Err(error) = (&mut reader).take(size).read_to_end(&mut content) {
                reading = Err(read_failed(error));
                break;
            }
            if content.len() as u64 != size || reader.read_exact(&mut newline).is_err() {
                break;
            }
            each(answered, Blob::Content(content));
            answered += 1;
        }
    }
    let _ = writer.join();
    let status = child
        .wait()
        .map_err(|error| GitError::Failed(format!("git did not finish: {error}")))?;
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(GitError::Failed(format!("git says: {}", first.trim())));
    }
    reading?;
    if answered < count {
        return Err(GitError::Failed(format!(
            "`git cat-file` answered for {answered} of {count} previous versions"
        )));
    }
    Ok(())
}

/// The root of the work tree that holds `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    let out = run(dir, &["rev-parse", "--show-toplevel"])?;
    let line = out.strip_suffix(b"\n").unwrap_or(&out);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(path_from_bytes(line))
}

/// The names (or entries) of NUL-separated output (`-z`), as git wrote them; empty ones are
/// left out.
pub fn name_bytes(output: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    output
        .split(|&byte| byte == 0)
        .filter(|name| !name.is_empty())
}

/// The names in NUL-separated output (`-z`), as paths; empty names are left out.
pub fn names(output: &[u8]) -> impl Iterator<Item = PathBuf> + '_ {
    name_bytes(output).map(path_from_bytes)
}

/// A path from the bytes git wrote: exactly those bytes on unix.
#[cfg(unix)]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// A path from the bytes git wrote (UTF-8 on other systems).
#[cfg(not(unix))]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
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
