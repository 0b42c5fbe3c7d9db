//! Policy packs from git repositories: `[[packs]]` in governance.toml, pinned in
//! `governance.lock` beside it, fetched with the system `git` into a cache.
//!
//! ```toml
//! [[packs]]
//! git = "https://git.example.com/governance/policies.git"   # any URL git understands
//! rev = "v1.4.0"                                            # tag, branch or full commit id
//! path = "global"                                           # folder inside it (optional)
//! ```
//!
//! - `governance-lint packs update` fetches every pack's `rev` and writes its commit and
//!   content hash to the lock.
//! - Every other command uses the locked commit: from the cache when it is there, without the
//!   network; else fetched. The content hash of the files read is checked against the lock on
//!   every run. Without `--locked`, a pack the lock does not pin yet is resolved and added to
//!   the lock (and entries of packs no longer listed are dropped); with `--locked`, that and a
//!   missing lock stop the run (exit code 2).
//! - The cache is `$XDG_CACHE_HOME/governance-lint/packs/`, else `~/.cache/governance-lint/
//!   packs/`: one folder per repository, holding `repo.git` (a bare repository of the fetched
//!   commits) and `trees/<commit>/` (the files of each commit used, exactly as git stores them:
//!   no end-of-line conversion, no filters, and no symbolic links, which are left out).
//!
//! The content hash is `sha256:` and the hex SHA-256 of the pack's folder: for every file
//! below it, in byte order of their `/`-separated relative paths, the path, a NUL byte, the
//! length in decimal, a NUL byte, and the bytes of the file.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use governance_core::{SourceFile, Span};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::config::{Config, PackSpec};
use crate::git::{self, GitError};
use crate::problem::Problem;

/// The lock file's name, beside governance.toml.
pub const LOCK_FILE: &str = "governance.lock";

/// The lock format this version writes and reads.
const LOCK_VERSION: u32 = 1;

/// One pack as the lock pins it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Locked {
    /// The repository, as governance.toml writes it.
    pub git: String,
    /// The revision asked for.
    pub rev: String,
    /// The folder inside the repository (empty: its root).
    pub path: String,
    /// The commit `rev` resolved to.
    pub commit: String,
    /// `sha256:...` of the pack's files (see the module documentation).
    pub hash: String,
}

impl Locked {
    /// Whether this entry pins the configured pack `spec`.
    fn pins(&self, spec: &PackSpec) -> bool {
        self.git == spec.git && self.rev == spec.rev && self.path == spec.path
    }

    /// `https://host/policies.git (global/) at v1.4.0 (commit 0123456789ab)`.
    pub fn describe(&self) -> String {
        let short: String = self.commit.chars().take(12).collect();
        format!(
            "{} at {} (commit {short})",
            name(&self.git, &self.path),
            self.rev
        )
    }
}

/// `https://host/policies.git (global/)`, or the repository alone for its root.
fn name(git: &str, path: &str) -> String {
    if path.is_empty() {
        git.to_owned()
    } else {
        format!("{git} ({path}/)")
    }
}

/// A pack ready to load: the lock's entry, and the folder of its files in the cache.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub locked: Locked,
    /// The pack's folder (absolute): a policy directory like any other.
    pub dir: PathBuf,
}

/// Why the packs cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PackError {
    /// `--locked`, and a configured pack that the lock does not pin (or there is no lock).
    #[error("{message}")]
    #[diagnostic(code(packs::not_locked))]
    NotLocked {
        message: String,
        #[label("not pinned in the lock")]
        span: Span,
        #[help]
        help: String,
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// `--locked`, and the lock pins a pack that the configuration no longer lists.
    #[error("{message}")]
    #[diagnostic(code(packs::stale_lock))]
    Unlisted {
        message: String,
        #[label("not listed in the configuration")]
        span: Span,
        #[help]
        help: String,
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// The lock file cannot be read, or is not a lock.
    #[error("{message}")]
    #[diagnostic(code(packs::bad_lock))]
    BadLock {
        message: String,
        #[label("here")]
        span: Option<Span>,
        #[help]
        help: Option<String>,
        #[source_code]
        src: Option<Arc<SourceFile>>,
    },
    /// git could not fetch a pack, or the commit has no such folder.
    #[error("{message}")]
    #[diagnostic(code(packs::fetch))]
    Fetch {
        message: String,
        #[label("this pack")]
        span: Span,
        #[help]
        help: String,
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// The files of a pack do not have the content hash the lock pins.
    #[error("{message}")]
    #[diagnostic(code(packs::hash_mismatch))]
    HashMismatch {
        message: String,
        #[label("pinned to another content")]
        span: Span,
        #[help]
        help: String,
        #[source_code]
        src: Arc<SourceFile>,
    },
    /// The cache cannot be found or written, or the lock cannot be written.
    #[error("{message}")]
    #[diagnostic(code(packs::io))]
    Io {
        message: String,
        #[help]
        help: Option<String>,
    },
    /// The policies of a pack have errors (shown with it).
    #[error("{message}")]
    #[diagnostic(code(packs::invalid))]
    Invalid {
        message: String,
        #[help]
        help: String,
    },
}

/// What [`prepare`] found.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The packs, in configuration order.
    pub packs: Vec<Fetched>,
}

/// The configured packs, at their locked commits, in the cache (fetched when they are not
/// there yet). Without `locked`, packs the lock does not pin are resolved and the lock is
/// rewritten (a note on stderr says so); with `locked`, a missing or stale lock stops the run.
pub fn prepare(config: &Config, locked: bool) -> Result<Prepared, Vec<Problem>> {
    let lock_path = config.dir.join(LOCK_FILE);
    let lock = read_lock(&lock_path, config).map_err(|e| vec![Problem::new(e)])?;
    if config.packs.is_empty() && lock.as_ref().is_none_or(|l| l.entries.is_empty()) {
        return Ok(Prepared::default());
    }
    let lock_name = lock_shown(config);
    let mut problems = Vec::new();
    let mut entries: Vec<Locked> = Vec::new();
    let mut added: Vec<String> = Vec::new();
    let mut cache = None;
    for spec in &config.packs {
        let pinned = lock
            .as_ref()
            .and_then(|l| l.entries.iter().find(|(e, _)| e.pins(spec)));
        match (pinned, locked) {
            (Some((entry, _)), _) => entries.push(entry.clone()),
            (None, true) => problems.push(Problem::new(PackError::NotLocked {
                message: if lock.is_some() {
                    format!("pack `{}` at `{}` is not pinned in `{lock_name}`", spec.git, spec.rev)
                } else {
                    format!(
                        "`{lock_name}` is missing: pack `{}` at `{}` is not pinned",
                        spec.git, spec.rev
                    )
                },
                span: spec.span,
                help: format!(
                    "`--locked` uses only pinned packs: run `governance-lint packs update` and commit `{LOCK_FILE}`"
                ),
                src: config.source.clone(),
            })),
            (None, false) => {
                let cache = match cache_for(&mut cache) {
                    Ok(cache) => cache,
                    Err(error) => return Err(vec![Problem::new(error)]),
                };
                match resolve(cache, spec, config) {
                    Ok((entry, _)) => {
                        added.push(entry.describe());
                        entries.push(entry);
                    }
                    Err(error) => problems.push(Problem::new(error)),
                }
            }
        }
    }
    let unlisted: Vec<&(Locked, Span)> = lock
        .as_ref()
        .map(|l| {
            l.entries
                .iter()
                .filter(|(e, _)| !config.packs.iter().any(|spec| e.pins(spec)))
                .collect()
        })
        .unwrap_or_default();
    if locked {
        if let Some(lock) = &lock {
            for (entry, span) in &unlisted {
                problems.push(Problem::new(PackError::Unlisted {
                    message: format!(
                        "`{lock_name}` pins pack `{}` at `{}`, which `{}` does not list",
                        entry.git,
                        entry.rev,
                        config.source.name()
                    ),
                    span: *span,
                    help: format!(
                        "the lock is stale: run `governance-lint packs update` and commit `{LOCK_FILE}`"
                    ),
                    src: lock.source.clone(),
                }));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut packs = Vec::new();
    for (entry, spec) in entries.iter().zip(&config.packs) {
        let cache = match cache_for(&mut cache) {
            Ok(cache) => cache,
            Err(error) => return Err(vec![Problem::new(error)]),
        };
        match checkout(cache, spec, entry, config) {
            Ok(dir) => packs.push(Fetched {
                locked: entry.clone(),
                dir,
            }),
            Err(error) => problems.push(Problem::new(error)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !added.is_empty() || !unlisted.is_empty() {
        write_lock(&lock_path, &entries).map_err(|e| vec![Problem::new(e)])?;
        let mut note = String::new();
        for pack in &added {
            note.push_str(&format!("note: `{lock_name}`: pinned {pack}\n"));
        }
        for (entry, _) in &unlisted {
            note.push_str(&format!(
                "note: `{lock_name}`: dropped {}, which the configuration no longer lists\n",
                entry.describe()
            ));
        }
        note.push_str(
            "note: commit the lock; in CI, `--locked` refuses a lock that is missing or stale\n",
        );
        let _ = std::io::stderr().write_all(note.as_bytes());
    }
    Ok(Prepared { packs })
}

/// `governance-lint packs update`: fetches every configured pack's `rev`, and writes the lock.
/// Returns what changed, one line per pack. Nothing is written unless every pack was fetched.
pub fn update(config: &Config) -> Result<Vec<String>, Vec<Problem>> {
    let lock_path = config.dir.join(LOCK_FILE);
    if config.packs.is_empty() && !lock_path.exists() {
        return Ok(vec![format!(
            "`{}` lists no `[[packs]]`: there is nothing to pin, and no lock was written",
            config.source.name()
        )]);
    }
    // A lock that cannot be read is replaced: that is what an update is for.
    let old = read_lock(&lock_path, config).ok().flatten();
    let mut cache = None;
    let mut entries = Vec::new();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for spec in &config.packs {
        let cache = match cache_for(&mut cache) {
            Ok(cache) => cache,
            Err(error) => return Err(vec![Problem::new(error)]),
        };
        match resolve(cache, spec, config) {
            Ok((entry, _)) => {
                let before = old
                    .as_ref()
                    .and_then(|l| l.entries.iter().find(|(e, _)| e.pins(spec)))
                    .map(|(e, _)| e);
                let short = |commit: &str| commit.chars().take(12).collect::<String>();
                let what = match before {
                    None => "newly pinned".to_owned(),
                    Some(before) if before.commit == entry.commit && before.hash == entry.hash => {
                        "unchanged".to_owned()
                    }
                    Some(before) if before.commit == entry.commit => {
                        format!("the hash changed from {}", before.hash)
                    }
                    Some(before) => format!("was {}: `{}` moved", short(&before.commit), entry.rev),
                };
                lines.push(format!("pinned {}: {what}", entry.describe()));
                entries.push(entry);
            }
            Err(error) => problems.push(Problem::new(error)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(old) = &old {
        for (entry, _) in &old.entries {
            if !config.packs.iter().any(|spec| entry.pins(spec)) {
                lines.push(format!("dropped {}: no longer listed", entry.describe()));
            }
        }
    }
    write_lock(&lock_path, &entries).map_err(|e| vec![Problem::new(e)])?;
    lines.push(format!(
        "wrote `{}` ({})",
        lock_shown(config),
        crate::text::plural(entries.len(), "pack")
    ));
    Ok(lines)
}

/// The lock as named in messages: beside the configuration as it is named.
fn lock_shown(config: &Config) -> String {
    let shown = Path::new(config.source.name()).with_file_name(LOCK_FILE);
    shown.to_string_lossy().replace('\\', "/")
}

/// A parsed lock file.
#[derive(Debug)]
struct Lock {
    source: Arc<SourceFile>,
    /// The entries, with their place in the file.
    entries: Vec<(Locked, Span)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLock {
    version: Spanned<u32>,
    #[serde(default)]
    packs: Vec<Spanned<RawLocked>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocked {
    git: String,
    rev: String,
    #[serde(default)]
    path: String,
    commit: Spanned<String>,
    hash: Spanned<String>,
}

/// The lock beside the configuration; `None` when there is none.
fn read_lock(path: &Path, config: &Config) -> Result<Option<Lock>, PackError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(PackError::BadLock {
                message: format!("cannot read `{}`: {error}", lock_shown(config)),
                span: None,
                help: None,
                src: None,
            })
        }
    };
    let source = Arc::new(SourceFile::new(lock_shown(config), text));
    let bad = |message: String, span: Span, help: Option<String>| PackError::BadLock {
        message,
        span: Some(span),
        help: help.or_else(|| {
            Some(format!(
                "`{LOCK_FILE}` is written by `governance-lint packs update`; run it again"
            ))
        }),
        src: Some(source.clone()),
    };
    let raw: RawLock = toml::from_str(source.text()).map_err(|error| {
        let span = error
            .span()
            .map_or_else(|| Span::empty(0), |r| Span::new(r.start, r.end));
        bad(
            format!(
                "`{}` is not a lock file: {}",
                source.name(),
                error.message().trim_end()
            ),
            span,
            None,
        )
    })?;
    if *raw.version.get_ref() != LOCK_VERSION {
        return Err(bad(
            format!(
                "`{}` has version {}; this governance-lint reads version {LOCK_VERSION}",
                source.name(),
                raw.version.get_ref()
            ),
            Span::new(raw.version.span().start, raw.version.span().end),
            Some(
                "use the governance-lint that wrote it, or run `governance-lint packs update`"
                    .to_owned(),
            ),
        ));
    }
    let mut entries = Vec::new();
    for raw_entry in raw.packs {
        let span = Span::new(raw_entry.span().start, raw_entry.span().end);
        let entry = raw_entry.into_inner();
        let commit = entry.commit.get_ref();
        if !is_commit_id(commit) {
            return Err(bad(
                format!("`{commit}` is not a full commit id"),
                Span::new(entry.commit.span().start, entry.commit.span().end),
                None,
            ));
        }
        let hash = entry.hash.get_ref();
        let hex = hash.strip_prefix("sha256:").unwrap_or("");
        if hex.len() != 64
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(bad(
                format!("`{hash}` is not a content hash (`sha256:` and 64 hex digits)"),
                Span::new(entry.hash.span().start, entry.hash.span().end),
                None,
            ));
        }
        entries.push((
            Locked {
                git: entry.git,
                rev: entry.rev,
                path: entry.path,
                commit: commit.clone(),
                hash: hash.clone(),
            },
            span,
        ));
    }
    Ok(Some(Lock { source, entries }))
}

/// 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64)
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Writes the lock: to a temporary file beside it, then renamed over it.
fn write_lock(path: &Path, entries: &[Locked]) -> Result<(), PackError> {
    let quote = |text: &str| toml::Value::String(text.to_owned()).to_string();
    let mut text = String::from(
        "# The policy packs of governance.toml, each pinned to a commit and a content hash.\n\
         # Written by `governance-lint packs update`: commit this file, do not edit it.\n",
    );
    text.push_str(&format!("version = {LOCK_VERSION}\n"));
    for entry in entries {
        text.push_str(&format!(
            "\n[[packs]]\ngit = {}\nrev = {}\npath = {}\ncommit = {}\nhash = {}\n",
            quote(&entry.git),
            quote(&entry.rev),
            quote(&entry.path),
            quote(&entry.commit),
            quote(&entry.hash)
        ));
    }
    let failed = |error: std::io::Error| PackError::Io {
        message: format!("cannot write `{}`: {error}", path.display()),
        help: None,
    };
    let temporary = path.with_file_name(format!("{LOCK_FILE}.{}.tmp", unique()));
    std::fs::write(&temporary, text).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        failed(error)
    })
}

/// A name no other process uses at the same time.
fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// The cache root, found once per run.
fn cache_for(cache: &mut Option<PathBuf>) -> Result<&Path, PackError> {
    if cache.is_none() {
        *cache = Some(cache_root()?);
    }
    cache.as_deref().ok_or_else(|| PackError::Io {
        message: "no cache directory".to_owned(),
        help: None,
    })
}

/// `$XDG_CACHE_HOME/governance-lint/packs`, else `~/.cache/governance-lint/packs` (`HOME`,
/// else `USERPROFILE`). A relative `XDG_CACHE_HOME` is ignored, as the XDG specification says.
pub fn cache_root() -> Result<PathBuf, PackError> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    let base = absolute("XDG_CACHE_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".cache")))
        .or_else(|| absolute("USERPROFILE").map(|home| home.join(".cache")))
        .ok_or_else(|| PackError::Io {
            message:
                "no cache directory for policy packs: neither `XDG_CACHE_HOME` nor `HOME` is set"
                    .to_owned(),
            help: Some("set `XDG_CACHE_HOME` to a directory governance-lint may write".to_owned()),
        })?;
    Ok(base.join("governance-lint").join("packs"))
}

/// The cache folder of one repository: a readable name and a hash of the address git is
/// given, so that two repositories never share one.
fn repository_dir(cache: &Path, spec: &PackSpec) -> PathBuf {
    let trimmed = spec
        .git
        .rsplit("://")
        .next()
        .unwrap_or(&spec.git)
        .trim_end_matches('/')
        .trim_end_matches(".git");
    let mut readable: String = trimmed
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let chars: Vec<char> = readable.chars().collect();
    if chars.len() > 48 {
        readable = chars.iter().skip(chars.len() - 48).collect();
    }
    let readable = readable.trim_matches(|c| c == '-' || c == '.');
    let digest = Sha256::digest(spec.url.as_bytes());
    let key: String = hex(&digest).chars().take(16).collect();
    cache.join(format!("{readable}-{key}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fetches `spec.rev` (needs the network), extracts it, and returns its lock entry and
/// folder.
fn resolve(cache: &Path, spec: &PackSpec, config: &Config) -> Result<(Locked, PathBuf), PackError> {
    let repo = repository(cache, spec)?;
    let commit = fetch(&repo, &spec.url, &spec.rev)
        .map_err(|error| fetch_error(spec, config, &error, None))?;
    let tree = extract(&repo, &commit).map_err(|error| cache_error(&repo, &error))?;
    let dir = folder(&tree, spec, &commit, config)?;
    let hash = content_hash(&dir).map_err(|error| PackError::Io {
        message: format!("cannot read the pack in `{}`: {error}", dir.display()),
        help: None,
    })?;
    Ok((
        Locked {
            git: spec.git.clone(),
            rev: spec.rev.clone(),
            path: spec.path.clone(),
            commit,
            hash,
        },
        dir,
    ))
}

/// The folder of the locked commit in the cache, fetched when it is not there, and checked
/// against the lock's content hash.
fn checkout(
    cache: &Path,
    spec: &PackSpec,
    entry: &Locked,
    config: &Config,
) -> Result<PathBuf, PackError> {
    let repo_dir = repository_dir(cache, spec);
    let tree = repo_dir.join("trees").join(&entry.commit);
    let mut fresh = false;
    if !tree.is_dir() {
        let repo = repository(cache, spec)?;
        if !has_commit(&repo, &entry.commit) {
            // The rev first (it usually still points at the commit), then the commit itself.
            let by_rev = fetch(&repo, &spec.url, &spec.rev);
            if !has_commit(&repo, &entry.commit) {
                fetch(&repo, &spec.url, &entry.commit).map_err(|error| {
                    let error = by_rev.err().unwrap_or(error);
                    fetch_error(spec, config, &error, Some(&entry.commit))
                })?;
            }
        }
        extract(&repo, &entry.commit).map_err(|error| cache_error(&repo, &error))?;
        fresh = true;
    }
    let dir = folder(&tree, spec, &entry.commit, config)?;
    let mut hash = content_hash(&dir);
    if !fresh && hash.as_ref().ok() != Some(&entry.hash) {
        // A cached tree that was changed or cut short: extract it again from the repository.
        let repo = repository(cache, spec)?;
        if has_commit(&repo, &entry.commit) {
            let _ = std::fs::remove_dir_all(&tree);
            extract(&repo, &entry.commit).map_err(|error| cache_error(&repo, &error))?;
            hash = content_hash(&dir);
        }
    }
    let hash = hash.map_err(|error| PackError::Io {
        message: format!("cannot read the pack in `{}`: {error}", dir.display()),
        help: None,
    })?;
    if hash != entry.hash {
        return Err(PackError::HashMismatch {
            message: format!(
                "the files of pack {} do not match `{}`: their hash is {hash}, the lock pins {}",
                entry.describe(),
                lock_shown(config),
                entry.hash
            ),
            span: spec.span,
            help: format!(
                "the lock was edited, or the commit's files differ from when it was locked; run `governance-lint packs update`, review the change, and commit `{LOCK_FILE}`"
            ),
            src: config.source.clone(),
        });
    }
    Ok(dir)
}

/// The pack's folder inside an extracted commit.
fn folder(
    tree: &Path,
    spec: &PackSpec,
    commit: &str,
    config: &Config,
) -> Result<PathBuf, PackError> {
    let dir = if spec.path.is_empty() {
        tree.to_path_buf()
    } else {
        tree.join(&spec.path)
    };
    if dir.is_dir() {
        return Ok(dir);
    }
    let short: String = commit.chars().take(12).collect();
    Err(PackError::Fetch {
        message: format!(
            "pack `{}` has no folder `{}` at `{}` (commit {short})",
            spec.git, spec.path, spec.rev
        ),
        span: spec.span,
        help: "`path` names a folder of the repository, relative to its root".to_owned(),
        src: config.source.clone(),
    })
}

fn fetch_error(
    spec: &PackSpec,
    config: &Config,
    error: &GitError,
    commit: Option<&str>,
) -> PackError {
    let message = match commit {
        Some(commit) => format!(
            "cannot fetch pack `{}` at its locked commit {commit} (`{}`), which is not in the cache",
            spec.git, spec.rev
        ),
        None => format!("cannot fetch pack `{}` at `{}`", spec.git, spec.rev),
    };
    let mut help = error.reason().to_owned();
    help.push_str(if commit.is_some() {
        "; the cache is filled by any run that can reach the repository (or `governance-lint packs update`)"
    } else {
        "; check the address and the revision (a tag, a branch or a full commit id), and that git can reach it"
    });
    PackError::Fetch {
        message,
        span: spec.span,
        help,
        src: config.source.clone(),
    }
}

fn cache_error(repo: &Path, error: &GitError) -> PackError {
    PackError::Io {
        message: format!("cannot extract a pack from `{}`", repo.display()),
        help: Some(error.reason().to_owned()),
    }
}

/// The cache's bare repository for `spec`, created when missing.
fn repository(cache: &Path, spec: &PackSpec) -> Result<PathBuf, PackError> {
    let dir = repository_dir(cache, spec);
    let repo = dir.join("repo.git");
    if repo.join("HEAD").is_file() {
        return Ok(repo);
    }
    std::fs::create_dir_all(&repo).map_err(|error| PackError::Io {
        message: format!("cannot create the pack cache `{}`: {error}", repo.display()),
        help: Some("set `XDG_CACHE_HOME` to a directory governance-lint may write".to_owned()),
    })?;
    git::run_on(&repo, &["init", "--bare", "--quiet"], None).map_err(|error| PackError::Io {
        message: format!("cannot create the pack cache `{}`", repo.display()),
        help: Some(error.reason().to_owned()),
    })?;
    Ok(repo)
}

fn has_commit(repo: &Path, commit: &str) -> bool {
    git::run_on(
        repo,
        &["cat-file", "-e", &format!("{commit}^{{commit}}")],
        None,
    )
    .is_ok()
}

/// Fetches `what` (a rev, or a full commit id) from `url` into `repo`, and returns the commit
/// it is. The commit is kept under `refs/governance-lint/`, so that git never collects it.
fn fetch(repo: &Path, url: &str, what: &str) -> Result<String, GitError> {
    let temporary = format!("refs/governance-lint/fetch/{}", unique());
    let refspec = format!("+{what}:{temporary}");
    git::run_on(
        repo,
        &[
            "fetch",
            "--quiet",
            "--no-tags",
            "--depth=1",
            "--",
            url,
            &refspec,
        ],
        None,
    )?;
    let peeled = git::run_on(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{temporary}^{{commit}}"),
        ],
        None,
    );
    let _ = git::run_on(repo, &["update-ref", "-d", &temporary], None);
    let commit = String::from_utf8_lossy(&peeled?).trim().to_owned();
    if !is_commit_id(&commit) {
        return Err(GitError::Failed(format!("`{what}` is not a commit")));
    }
    git::run_on(
        repo,
        &[
            "update-ref",
            &format!("refs/governance-lint/commits/{commit}"),
            &commit,
        ],
        None,
    )?;
    Ok(commit)
}

/// Writes the files of `commit` to `trees/<commit>/` beside `repo` (unless they are there),
/// exactly as git stores them; returns that folder. Symbolic links and submodules are left
/// out, and so is any entry whose path would leave the folder.
fn extract(repo: &Path, commit: &str) -> Result<PathBuf, GitError> {
    let trees = repo
        .parent()
        .map_or_else(|| repo.join("trees"), |p| p.join("trees"));
    let tree = trees.join(commit);
    if tree.is_dir() {
        return Ok(tree);
    }
    let listing = git::run_on(repo, &["ls-tree", "-r", "-z", "--full-tree", commit], None)?;
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for entry in git::name_bytes(&listing) {
        // `<mode> SP <type> SP <object> TAB <path>`
        let Some(tab) = entry.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let (meta, path) = (
            entry.get(..tab).unwrap_or_default(),
            entry.get(tab + 1..).unwrap_or_default(),
        );
        let meta = String::from_utf8_lossy(meta);
        let mut parts = meta.split(' ');
        let (Some(mode), Some("blob"), Some(object)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if mode != "100644" && mode != "100755" {
            continue;
        }
        let Some(path) = safe_path(path) else {
            continue;
        };
        files.push((path, object.to_owned()));
    }
    let input: String = files
        .iter()
        .map(|(_, object)| format!("{object}\n"))
        .collect();
    let contents = git::run_on(repo, &["cat-file", "--batch"], Some(input.as_bytes()))?;
    let io =
        |error: std::io::Error| GitError::Failed(format!("cannot write the pack cache: {error}"));
    let temporary = trees.join(format!(".tmp-{}", unique()));
    std::fs::create_dir_all(&temporary).map_err(io)?;
    let written = write_batch(&temporary, &files, &contents);
    if let Err(error) = written {
        let _ = std::fs::remove_dir_all(&temporary);
        return Err(error);
    }
    if std::fs::rename(&temporary, &tree).is_err() {
        // Another run extracted it at the same time: keep theirs.
        let _ = std::fs::remove_dir_all(&temporary);
        if !tree.is_dir() {
            return Err(GitError::Failed(format!(
                "cannot write the pack cache `{}`",
                tree.display()
            )));
        }
    }
    Ok(tree)
}

/// Writes each file of `files` below `dir` from `git cat-file --batch` output.
fn write_batch(dir: &Path, files: &[(PathBuf, String)], mut output: &[u8]) -> Result<(), GitError> {
    let io =
        |error: std::io::Error| GitError::Failed(format!("cannot write the pack cache: {error}"));
    let garbled = || GitError::Failed("git wrote an unexpected `cat-file` answer".to_owned());
    for (path, _) in files {
        // `<object> SP blob SP <size> LF <contents> LF`
        let newline = output
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(garbled)?;
        let header =
            String::from_utf8_lossy(output.get(..newline).unwrap_or_default()).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(garbled)?;
        let body = output
            .get(newline + 1..newline + 1 + size)
            .ok_or_else(garbled)?;
        output = output.get(newline + 2 + size..).unwrap_or_default();
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&target, body).map_err(io)?;
    }
    Ok(())
}

/// A path from a git tree that stays below its folder: plain names only, no `.git`.
fn safe_path(bytes: &[u8]) -> Option<PathBuf> {
    let text = std::str::from_utf8(bytes).ok()?;
    let path = PathBuf::from(text);
    let fine = path.components().all(|component| match component {
        Component::Normal(name) => !name.eq_ignore_ascii_case(".git"),
        _ => false,
    });
    (fine && !text.contains('\\') && !text.is_empty()).then_some(path)
}

/// `sha256:<hex>` of the files below `dir` (see the module documentation).
pub fn content_hash(dir: &Path) -> std::io::Result<String> {
    let mut files: Vec<(Vec<u8>, PathBuf)> = Vec::new();
    collect(dir, &mut Vec::new(), &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for (name, path) in &files {
        let bytes = std::fs::read(path)?;
        hasher.update(name);
        hasher.update([0]);
        hasher.update(bytes.len().to_string().as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
    }
    Ok(format!("sha256:{}", hex(&hasher.finalize())))
}

/// Every regular file below `dir`, with its `/`-separated path relative to the start.
fn collect(
    dir: &Path,
    prefix: &mut Vec<u8>,
    out: &mut Vec<(Vec<u8>, PathBuf)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let length = prefix.len();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(entry.file_name().as_encoded_bytes());
        if kind.is_dir() {
            collect(&entry.path(), prefix, out)?;
        } else if kind.is_file() {
            out.push((prefix.clone(), entry.path()));
        }
        prefix.truncate(length);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_covers_names_and_bytes() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("domains/sales"))?;
        std::fs::write(dir.path().join("a.policy"), "rule a {}\n")?;
        std::fs::write(dir.path().join("domains/sales/b.policy"), "rule b {}\n")?;
        let first = content_hash(dir.path())?;
        assert!(first.starts_with("sha256:") && first.len() == 71, "{first}");
        assert_eq!(
            content_hash(dir.path())?,
            first,
            "the same files, the same hash"
        );
        std::fs::write(dir.path().join("a.policy"), "rule a { }\n")?;
        let edited = content_hash(dir.path())?;
        assert_ne!(edited, first);
        std::fs::rename(dir.path().join("a.policy"), dir.path().join("c.policy"))?;
        assert_ne!(
            content_hash(dir.path())?,
            edited,
            "a renamed file changes the hash"
        );
        Ok(())
    }

    #[test]
    fn tree_paths_stay_below_the_folder() {
        assert_eq!(
            safe_path(b"global/a.policy"),
            Some(PathBuf::from("global/a.policy"))
        );
        for bad in [
            &b"../a.policy"[..],
            b"/etc/passwd",
            b"a/../../b",
            b".git/config",
            b"x/.GIT/hooks",
            b"",
            b"a\\..\\b",
        ] {
            assert_eq!(safe_path(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn commit_ids_are_full() {
        assert!(is_commit_id("0123456789abcdef0123456789abcdef01234567"));
        assert!(!is_commit_id("0123456789ab"));
        assert!(!is_commit_id("0123456789ABCDEF0123456789ABCDEF01234567"));
    }
}
