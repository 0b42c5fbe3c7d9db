//! `--against BASE` (`breaking`, `diff`): the previous version of each selected contract.
//!
//! - A **git ref** (`main`, `origin/main`, a commit): one `git diff --raw -M REF` says which
//!   files changed since REF (committed, staged or not), which were renamed (followed as `git
//!   diff -M` does) and which were deleted; one `git cat-file --batch` reads every previous
//!   version. Files that did not change are not compared; those git does not track are new.
//! - A **directory** (or a file) of previous versions: each current file is paired with the
//!   previous one whose first contract has the same id (ODCS and DCS `id`, the seed's
//!   `data_product`), else with the one at the same path relative to the directory walked.
//!   Files with the same text are not compared.
//!
//! An existing path wins over a git ref of the same name. The previous versions are named
//! `REF:path` (git's own notation, the path from the repository root) or by their path.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::discover::{self, Candidate, Filters};
use crate::git;

mod blobs;

pub use blobs::Blobs;

/// What the contracts are compared with.
#[derive(Debug, Clone)]
pub enum Base {
    /// A git ref of the repository at `root`.
    Git { reference: String, root: PathBuf },
    /// A directory or file of previous versions, as named on the command line.
    Path { path: PathBuf, shown: String },
}

/// Why the base cannot be used: the run stops (exit code 2).
#[derive(Debug, Clone)]
pub struct AgainstError {
    pub message: String,
    pub help: Option<String>,
}

/// The previous version of one file.
#[derive(Debug)]
pub struct Previous {
    /// As findings name it: `main:contracts/orders.yaml`, `old/orders.yaml`.
    pub name: String,
    text: Text,
}

/// Where the text of a previous version is.
#[derive(Debug)]
enum Text {
    /// Read: the text, or why it cannot be read.
    Read(Result<String, String>),
    /// The blob `id`, which git reads on another thread.
    Git { id: String, blobs: Arc<Blobs> },
}

impl Previous {
    /// A previous version already read.
    pub fn read(name: String, text: Result<String, String>) -> Previous {
        Previous {
            name,
            text: Text::Read(text),
        }
    }

    /// Its text, or why it cannot be read; one git is still reading is waited for. A pair
    /// asks once: a version git read is handed over, not kept.
    pub fn text(&self) -> Result<Cow<'_, str>, String> {
        match &self.text {
            Text::Read(text) => text.as_deref().map(Cow::Borrowed).map_err(Clone::clone),
            Text::Git { id, blobs } => match blobs.take(id)? {
                git::Blob::Content(bytes) => String::from_utf8(bytes)
                    .map(Cow::Owned)
                    .map_err(|_| "the previous version is not UTF-8 text".to_owned()),
                git::Blob::Missing => Err(format!("git has no `{}`", self.name)),
                git::Blob::TooLarge { size, limit } => Err(too_large(size, limit)),
            },
        }
    }
}

/// One file to compare: its current version, its previous one, or both. Not `Clone`: a
/// previous version git reads is taken from the store once per pair.
#[derive(Debug)]
pub struct Pair {
    /// The path as reports show it (of the current file, else of the deleted one).
    pub display: String,
    /// `None`: the file was deleted.
    pub current: Option<Candidate>,
    /// `None`: the file is new.
    pub previous: Option<Previous>,
}

/// What pairing found: the pairs to compare, and how many selected files did not change.
#[derive(Debug, Default)]
pub struct Pairs {
    pub pairs: Vec<Pair>,
    pub unchanged: usize,
    /// The previous versions git is still reading (a git base).
    pub reading: Option<Arc<Blobs>>,
}

/// Waits until git has read every previous version ([`Pairs::reading`]), and says why it could
/// not, if so: then the comparisons that waited for the missing ones reported them unreadable,
/// and the run must stop as if the base could not be read.
pub fn finished(reading: Option<&Blobs>, base: &Base) -> Result<(), AgainstError> {
    let Some(failure) = reading.and_then(Blobs::failure) else {
        return Ok(());
    };
    let reference = match base {
        Base::Git { reference, .. } => reference.as_str(),
        Base::Path { shown, .. } => shown.as_str(),
    };
    Err(AgainstError {
        message: format!("git cannot compare with `{reference}`"),
        help: Some(failure),
    })
}

impl Base {
    /// Reads `--against` in `cwd`.
    pub fn resolve(against: &str, cwd: &Path) -> Result<Base, AgainstError> {
        if against.is_empty() || against.starts_with('-') {
            return Err(AgainstError {
                message: format!("`{against}` is not a git ref or a path"),
                help: Some(
                    "pass a branch, tag, commit or directory: `--against origin/main`".to_owned(),
                ),
            });
        }
        let path = cwd.join(against);
        if path.exists() {
            return Ok(Base::Path {
                path: PathBuf::from(against),
                shown: discover::display(Path::new(against)),
            });
        }
        let commit = format!("{against}^{{commit}}");
        // The work tree and the commit in one question; when git says no, the two are asked
        // apart to say which is missing.
        if let Ok(answer) = git::run(
            cwd,
            &[
                "rev-parse",
                "--show-toplevel",
                "--verify",
                "--quiet",
                &commit,
            ],
        ) {
            if let Some(line) = answer
                .split(|&b| b == b'\n')
                .next()
                .filter(|l| !l.is_empty())
            {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                return Ok(Base::Git {
                    reference: against.to_owned(),
                    root: git::path_from_bytes(line),
                });
            }
        }
        let root = git::toplevel(cwd).map_err(|error| AgainstError {
            message: format!(
                "`{against}` is no file or directory, and a git ref needs a git repository"
            ),
            help: Some(error.reason().to_owned()),
        })?;
        git::run(&root, &["rev-parse", "--verify", "--quiet", &commit]).map_err(|_| {
            AgainstError {
                message: format!("`{against}` is neither a path nor a git ref of this repository"),
                help: Some(
                    "pass a branch, tag or commit (in CI, check out with `fetch-depth: 0`), or a directory of previous versions".to_owned(),
                ),
            }
        })?;
        Ok(Base::Git {
            reference: against.to_owned(),
            root,
        })
    }

    /// How reports name it: `main (git)`, `directory old/`.
    pub fn describe(&self) -> String {
        match self {
            Base::Git { reference, .. } => format!("git ref `{reference}`"),
            Base::Path { shown, path } => {
                if path.is_dir() {
                    format!("directory `{shown}`")
                } else {
                    format!("file `{shown}`")
                }
            }
        }
    }

    /// The prefix previous versions are named with in git (`main:`), for outputs that point at
    /// the current path with the ref said aside (SARIF).
    pub fn git_prefix(&self) -> Option<String> {
        match self {
            Base::Git { reference, .. } => Some(format!("{reference}:")),
            Base::Path { .. } => None,
        }
    }

    /// What git says changed since a git base (`git diff --raw -M`), with the previous
    /// versions of the changed files named like contracts being read (`git cat-file --batch`;
    /// none over `limit` bytes). Nothing for a directory or file of previous versions.
    pub fn changes(&self, limit: u64) -> Result<Option<Changes>, AgainstError> {
        let Base::Git { reference, root } = self else {
            return Ok(None);
        };
        Changes::read(reference, root, limit).map(Some)
    }

    /// Pairs the selected files (`found`, below `roots`) with their previous versions, and adds
    /// the deleted ones that the roots and filters would have selected. `changes` is what
    /// [`Base::changes`] said; a file over `limit` bytes is not read.
    pub fn pairs(
        &self,
        changes: Option<Changes>,
        found: &[Candidate],
        roots: &[PathBuf],
        filters: &Filters,
        cwd: &Path,
        limit: u64,
    ) -> Result<Pairs, AgainstError> {
        match (self, changes) {
            (Base::Git { reference, root }, Some(changes)) => {
                git_pairs(reference, root, changes, found, roots, filters, cwd)
            }
            (Base::Git { reference, .. }, None) => Err(AgainstError {
                message: format!("git cannot compare with `{reference}`"),
                help: Some("git was not asked what changed".to_owned()),
            }),
            (Base::Path { path, .. }, _) => Ok(path_pairs(path, found, roots, cwd, limit)),
        }
    }
}

/// What git says changed since a git base, before it is paired with the selected files.
pub struct Changes {
    /// The repository's root, canonical: the paths below are in it.
    canonical_root: PathBuf,
    /// The changed, added, renamed and copied files by their (canonical) path now.
    by_new: HashMap<PathBuf, Entry>,
    deleted: Vec<Entry>,
    /// The previous versions of the files named like contracts, which git reads on another
    /// thread (`asked`: their blob ids).
    blobs: Arc<Blobs>,
    asked: HashSet<String>,
    /// No previous version over this many bytes is read (`max-file-bytes`).
    limit: u64,
}

impl Changes {
    fn read(reference: &str, root: &Path, limit: u64) -> Result<Changes, AgainstError> {
        let failed = |error: git::GitError| git_failed(reference, &error);
        let raw = git::run(
            root,
            &["diff", "--raw", "-z", "-M", "--no-abbrev", reference, "--"],
        )
        .map_err(failed)?;
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut by_new: HashMap<PathBuf, Entry> = HashMap::new();
        let mut deleted: Vec<Entry> = Vec::new();
        let mut fields = git::name_bytes(&raw);
        while let Some(header) = fields.next() {
            let header = String::from_utf8_lossy(header);
            let Some(header) = header.strip_prefix(':') else {
                continue;
            };
            let words: Vec<&str> = header.split(' ').collect();
            let (Some(old_id), Some(status)) = (words.get(2), words.get(4)) else {
                continue;
            };
            let status = status.bytes().next().unwrap_or(b'M');
            let Some(first) = fields.next() else { break };
            let first = git::path_from_bytes(first);
            let entry = |old_path: PathBuf| Entry {
                status,
                old_id: (*old_id).to_owned(),
                old_path,
            };
            match status {
                b'R' | b'C' => {
                    let Some(second) = fields.next() else { break };
                    let new = git::path_from_bytes(second);
                    by_new.insert(canonical_root.join(new), entry(first));
                }
                b'D' => deleted.push(entry(first)),
                _ => {
                    by_new.insert(canonical_root.join(&first), entry(first));
                }
            }
        }
        // The previous versions of the files named like contracts, read on another thread
        // from now on (while the tree is walked, the files paired and the first ones
        // compared), in about the order the report takes them; any other one a pairing needs
        // is read then.
        let mut wanted: Vec<(&Path, &String)> = by_new
            .iter()
            .filter(|(new, entry)| entry.status != b'A' && discover::has_contract_extension(new))
            .map(|(new, entry)| (new.as_path(), &entry.old_id))
            .chain(
                deleted
                    .iter()
                    .filter(|entry| discover::has_contract_extension(&entry.old_path))
                    .map(|entry| (entry.old_path.as_path(), &entry.old_id)),
            )
            .collect();
        wanted.sort_unstable();
        let mut asked = HashSet::with_capacity(wanted.len());
        let ids: Vec<String> = wanted
            .into_iter()
            .filter(|(_, id)| asked.insert((*id).clone()))
            .map(|(_, id)| id.clone())
            .collect();
        let blobs = Blobs::fetch(root.to_path_buf(), ids, limit);
        Ok(Changes {
            canonical_root,
            by_new,
            deleted,
            blobs,
            asked,
            limit,
        })
    }
}

/// Resolves `--against` and asks git what changed since it on another thread while `walk`
/// (the discovery of the selected files) runs on this one: git and the walk each take a core.
pub fn resolve_while<T>(
    against: &str,
    cwd: &Path,
    limit: u64,
    walk: impl FnOnce() -> T,
) -> (T, Result<(Base, Option<Changes>), AgainstError>) {
    std::thread::scope(|scope| {
        let git = scope.spawn(|| {
            let base = Base::resolve(against, cwd)?;
            let changes = base.changes(limit)?;
            Ok((base, changes))
        });
        let walked = walk();
        let based = git.join().unwrap_or_else(|_| {
            Err(AgainstError {
                message: format!("`--against {against}` could not be read"),
                help: Some("the thread that asked git stopped; please report it".to_owned()),
            })
        });
        (walked, based)
    })
}

fn git_failed(reference: &str, error: &git::GitError) -> AgainstError {
    AgainstError {
        message: format!("git cannot compare with `{reference}`"),
        help: Some(error.reason().to_owned()),
    }
}

/// One line of `git diff --raw -z`.
struct Entry {
    status: u8,
    old_id: String,
    old_path: PathBuf,
}

fn git_pairs(
    reference: &str,
    root: &Path,
    changes: Changes,
    found: &[Candidate],
    roots: &[PathBuf],
    filters: &Filters,
    cwd: &Path,
) -> Result<Pairs, AgainstError> {
    let failed = |error: git::GitError| git_failed(reference, &error);
    let Changes {
        canonical_root,
        by_new,
        deleted,
        blobs,
        asked,
        limit,
    } = changes;
    let name_of =
        |path: &Path| format!("{reference}:{}", path.to_string_lossy().replace('\\', "/"));
    let mut pending: Vec<(Pair, Option<String>)> = Vec::new();
    let mut unchanged = 0;
    // Only a file named like a changed one can be one (its directory may be a link, not its
    // name), unless it is itself a symbolic link; and one git does not track is new. The other
    // files are unchanged without a system call.
    let names: HashSet<&std::ffi::OsStr> =
        by_new.keys().filter_map(|path| path.file_name()).collect();
    // Canonical paths without a `realpath` per file: the directories are resolved once each,
    // and only a file that is itself a symbolic link is resolved whole.
    let mut directories: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    // Where a path is, in canonical terms, without resolving its last component.
    let mut location_of = |path: &Path| -> Option<PathBuf> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return path.canonicalize().ok();
        };
        let directory = directories
            .entry(parent.to_path_buf())
            .or_insert_with(|| parent.canonicalize().ok())
            .clone()?;
        Some(directory.join(name))
    };
    // Files that are neither changed nor known to be tracked (named on the command line, or
    // untracked): asked of git together below. Positions in `pending`, with their location.
    let mut unsure: Vec<(usize, PathBuf)> = Vec::new();
    for candidate in found {
        let named_like_a_change = candidate
            .path
            .file_name()
            .is_some_and(|name| names.contains(name));
        if !candidate.link && !named_like_a_change && candidate.tracked {
            unchanged += 1;
            continue;
        }
        let path = cwd.join(&candidate.path);
        let Some(location) = location_of(&path) else {
            continue;
        };
        let canonical = if candidate.link {
            let Ok(target) = path.canonicalize() else {
                continue;
            };
            target
        } else {
            location.clone()
        };
        let pair = |previous: Option<Previous>| Pair {
            display: candidate.display.clone(),
            current: Some(candidate.clone()),
            previous,
        };
        match by_new.get(&canonical) {
            Some(entry) if entry.status == b'A' => pending.push((pair(None), None)),
            Some(entry) => pending.push((
                pair(Some(Previous::read(
                    name_of(&entry.old_path),
                    Err(String::new()),
                ))),
                Some(entry.old_id.clone()),
            )),
            None if candidate.tracked => unchanged += 1,
            None => {
                unsure.push((pending.len(), location));
                pending.push((pair(None), None));
            }
        }
    }
    // Of those, the ones git tracks did not change; the others are new.
    let tracked = tracked_among(root, &canonical_root, &unsure).map_err(failed)?;
    let mut unchanged_at: HashSet<usize> = HashSet::new();
    for (at, location) in &unsure {
        if tracked.contains(location) {
            unchanged_at.insert(*at);
        }
    }
    if !unchanged_at.is_empty() {
        unchanged += unchanged_at.len();
        let mut at = 0;
        pending.retain(|_| {
            at += 1;
            !unchanged_at.contains(&(at - 1))
        });
    }
    // Deleted files the roots and globs would have selected.
    let cwd_canonical = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    // A root that no longer exists is a deleted file named on the command line.
    let canonical_roots: Vec<(PathBuf, bool)> = roots
        .iter()
        .map(|r| {
            let path = cwd.join(r);
            let dir = path.is_dir();
            let canonical = path
                .canonicalize()
                .unwrap_or_else(|_| discover::normalize(&cwd_canonical.join(r)));
            (canonical, dir)
        })
        .collect();
    for entry in deleted {
        let absolute = canonical_root.join(&entry.old_path);
        let under = canonical_roots.iter().any(|(root, dir)| {
            if *dir {
                absolute.starts_with(root)
            } else {
                absolute == *root
            }
        });
        let display = discover::relative_to(&absolute, &cwd_canonical);
        if !under || !discover::has_contract_extension(&absolute) || !filters.wants(&display) {
            continue;
        }
        pending.push((
            Pair {
                display,
                current: None,
                previous: Some(Previous::read(name_of(&entry.old_path), Err(String::new()))),
            },
            Some(entry.old_id),
        ));
    }
    // The previous versions not asked for with the others (files named on the command line
    // whatever their extension), read now.
    let mut missing: Vec<String> = pending
        .iter()
        .filter_map(|(_, id)| id.clone())
        .filter(|id| !asked.contains(id))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    let read = git::blobs(root, &missing, limit).map_err(failed)?;
    for (id, blob) in missing.into_iter().zip(read) {
        blobs.insert(id, blob);
    }
    // Each pair takes its previous version when it is compared, waiting for git if need be.
    let mut pairs = Vec::with_capacity(pending.len());
    for (mut pair, id) in pending {
        if let (Some(id), Some(previous)) = (id, &mut pair.previous) {
            blobs.will_take(&id);
            previous.text = Text::Git {
                id,
                blobs: Arc::clone(&blobs),
            };
        }
        pairs.push(pair);
    }
    pairs.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(Pairs {
        pairs,
        unchanged,
        reading: Some(blobs),
    })
}

/// Which of the `files` (by canonical location) git tracks in the work tree at `root`:
/// `git ls-files` on a few hundred of them at a time, their paths read literally.
fn tracked_among(
    root: &Path,
    canonical_root: &Path,
    files: &[(usize, PathBuf)],
) -> Result<HashSet<PathBuf>, git::GitError> {
    // As the system spells them: a name that is not UTF-8 is looked up as it is.
    let relative: Vec<&std::ffi::OsStr> = files
        .iter()
        .filter_map(|(_, location)| location.strip_prefix(canonical_root).ok())
        .map(Path::as_os_str)
        .collect();
    let mut tracked = HashSet::new();
    for chunk in relative.chunks(500) {
        let mut args: Vec<&std::ffi::OsStr> =
            ["--literal-pathspecs", "ls-files", "-z", "--full-name", "--"]
                .into_iter()
                .map(std::ffi::OsStr::new)
                .collect();
        args.extend(chunk);
        let listed = git::run(root, &args)?;
        tracked.extend(git::names(&listed).map(|name| canonical_root.join(name)));
    }
    Ok(tracked)
}

/// Why a version over `max-file-bytes` is not read.
fn too_large(size: u64, limit: u64) -> String {
    format!("it is {size} bytes, over the limit of {limit} bytes (`max-file-bytes`)")
}

/// The id a file's first contract goes by, lowercased.
fn contract_id(text: &str, name: &str) -> Option<String> {
    let source = std::sync::Arc::new(governance_core::SourceFile::new(name, text));
    let contracts =
        governance_core::Contract::load(&source, governance_core::Limits::default()).ok()?;
    let (id, _) = contracts.first()?.get("id")?;
    Some(id.trim().to_lowercase())
}

fn path_pairs(
    base: &Path,
    found: &[Candidate],
    roots: &[PathBuf],
    cwd: &Path,
    limit: u64,
) -> Pairs {
    let full = cwd.join(base);
    // The previous files, with the path they are paired by.
    let previous: Vec<(Candidate, String)> = if full.is_dir() {
        let filters = Filters::new(
            discover::GlobList {
                globs: &[],
                base: None,
            },
            discover::GlobList {
                globs: &[],
                base: None,
            },
            cwd,
        );
        let walked = match filters {
            Ok(filters) => discover::discover(&[base.to_path_buf()], &filters, false, None).files,
            Err(_) => Vec::new(),
        };
        walked
            .into_iter()
            .map(|candidate| {
                let relative = discover::normalize(&cwd.join(&candidate.path))
                    .strip_prefix(discover::normalize(&full))
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_else(|_| candidate.display.clone());
                (candidate, relative)
            })
            .collect()
    } else {
        let name = base
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        vec![(
            Candidate {
                display: discover::display(base),
                path: base.to_path_buf(),
                link: false,
                tracked: false,
            },
            name,
        )]
    };
    let read = |path: &Path| {
        let path = cwd.join(path);
        let cannot = |error: std::io::Error| format!("cannot read it: {error}");
        let size = std::fs::metadata(&path).map_err(cannot)?.len();
        if size > limit {
            return Err(too_large(size, limit));
        }
        std::fs::read_to_string(&path).map_err(cannot)
    };
    let texts: Vec<Result<String, String>> = previous.iter().map(|(c, _)| read(&c.path)).collect();
    let ids: Vec<Option<String>> = previous
        .iter()
        .zip(&texts)
        .map(|((candidate, _), text)| {
            text.as_ref()
                .ok()
                .and_then(|t| contract_id(t, &candidate.display))
        })
        .collect();
    let mut taken = vec![false; previous.len()];
    let mut pairs = Pairs::default();
    let roots: Vec<PathBuf> = roots
        .iter()
        .map(|r| discover::normalize(&cwd.join(r)))
        .collect();
    // Comparing one file with one file: those two.
    let one_to_one = found.len() == 1 && previous.len() == 1 && !full.is_dir();
    for candidate in found {
        let text = read(&candidate.path);
        let id = text
            .as_ref()
            .ok()
            .and_then(|t| contract_id(t, &candidate.display));
        let absolute = discover::normalize(&cwd.join(&candidate.path));
        let relative = roots
            .iter()
            .find_map(|root| {
                absolute
                    .strip_prefix(root)
                    .ok()
                    .filter(|r| !r.as_os_str().is_empty())
            })
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .or_else(|| {
                absolute
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        let free = |index: usize| !taken.get(index).copied().unwrap_or(true);
        let by_id = id.as_ref().and_then(|id| {
            (0..previous.len())
                .find(|&i| free(i) && ids.get(i).and_then(Option::as_ref) == Some(id))
        });
        let by_path = || {
            previous
                .iter()
                .enumerate()
                .find(|(i, (_, path))| free(*i) && *path == relative)
                .map(|(i, _)| i)
        };
        let matched = if one_to_one {
            Some(0)
        } else {
            by_id.or_else(by_path)
        };
        let Some(index) = matched else {
            pairs.pairs.push(Pair {
                display: candidate.display.clone(),
                current: Some(candidate.clone()),
                previous: None,
            });
            continue;
        };
        if let Some(flag) = taken.get_mut(index) {
            *flag = true;
        }
        let (Some((old, _)), Some(old_text)) = (previous.get(index), texts.get(index)) else {
            continue;
        };
        if old_text.as_ref().ok() == text.as_ref().ok() && old_text.is_ok() {
            pairs.unchanged += 1;
            continue;
        }
        pairs.pairs.push(Pair {
            display: candidate.display.clone(),
            current: Some(candidate.clone()),
            previous: Some(Previous::read(old.display.clone(), old_text.clone())),
        });
    }
    for (index, (old, _)) in previous.iter().enumerate() {
        if taken.get(index).copied().unwrap_or(true) {
            continue;
        }
        pairs.pairs.push(Pair {
            display: old.display.clone(),
            current: None,
            previous: Some(Previous::read(
                old.display.clone(),
                texts
                    .get(index)
                    .cloned()
                    .unwrap_or_else(|| Err(String::new())),
            )),
        });
    }
    pairs.pairs.sort_by(|a, b| a.display.cmp(&b.display));
    pairs
}
