//! Reading policies from the file system: policy files and directories with their
//! `global/` and `domains/<domain>/` packs, and policy test files. Behind the default-on `fs`
//! feature: everything else in the crate works on in-memory text.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::contract::{Resolver, Unresolved};
use crate::policy::{Pack, PolicyError, PolicyErrorKind, PolicyErrors, PolicySet};
use crate::source::SourceFile;

/// The largest file a reference may name.
const MAX_REFERENCED_BYTES: u64 = 16 * 1024 * 1024;

/// A [`Resolver`] that reads the files of a repository: a reference is a path relative to
/// the file that holds it, and any path that leads outside `root` (with `..`, an absolute
/// path or a symbolic link) is refused. File names are shown as the referring file's name is
/// (relative to the current directory when it is).
///
/// ```no_run
/// use std::sync::Arc;
/// use governance_core::{Engine, FileResolver, PolicySet};
/// let resolver = FileResolver::new(".").with_contract_ids(["orders-v1".to_owned()]);
/// let engine = Engine::new(PolicySet::default()).with_resolver(Arc::new(resolver));
/// ```
#[derive(Debug, Clone)]
pub struct FileResolver {
    root: PathBuf,
    contract_ids: Option<HashSet<String>>,
}

impl FileResolver {
    /// Reads files below `root` (the repository).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            contract_ids: None,
        }
    }

    /// The ids of the repository's contracts, for ODPS `contractId`s.
    #[must_use]
    pub fn with_contract_ids(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.contract_ids = Some(ids.into_iter().map(|id| id.trim().to_owned()).collect());
        self
    }
}

impl Resolver for FileResolver {
    fn read(&self, from: &str, reference: &str) -> Result<SourceFile, Unresolved> {
        let reference = Path::new(reference);
        if reference.has_root()
            || reference
                .components()
                .any(|c| matches!(c, Component::Prefix(_)))
        {
            return Err(Unresolved::OutsideRoot);
        }
        let base = Path::new(from).parent().unwrap_or(Path::new(""));
        let path = lexical(&base.join(reference));
        // Lexically first (`..` that climbs out is refused even where nothing exists), then
        // as the file system resolves it (a symbolic link that leads out is refused too).
        let cwd = std::env::current_dir().unwrap_or_default();
        if !lexical(&cwd.join(&path)).starts_with(lexical(&cwd.join(&self.root))) {
            return Err(Unresolved::OutsideRoot);
        }
        let root = std::fs::canonicalize(&self.root)
            .map_err(|error| Unresolved::Unreadable(error.to_string()))?;
        let real = std::fs::canonicalize(&path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => Unresolved::NotFound,
            _ => Unresolved::Unreadable(error.to_string()),
        })?;
        if !real.starts_with(&root) {
            return Err(Unresolved::OutsideRoot);
        }
        let metadata =
            std::fs::metadata(&real).map_err(|error| Unresolved::Unreadable(error.to_string()))?;
        if !metadata.is_file() {
            return Err(Unresolved::Unreadable(
                "it is not a regular file".to_owned(),
            ));
        }
        if metadata.len() > MAX_REFERENCED_BYTES {
            return Err(Unresolved::Unreadable(format!(
                "it is {} bytes, over the limit of {MAX_REFERENCED_BYTES} bytes",
                metadata.len()
            )));
        }
        let text = std::fs::read_to_string(&real)
            .map_err(|error| Unresolved::Unreadable(error.to_string()))?;
        let name = path.to_string_lossy().replace('\\', "/");
        Ok(SourceFile::new(name, text))
    }

    fn has_contract(&self, id: &str) -> Option<bool> {
        self.contract_ids
            .as_ref()
            .map(|ids| ids.contains(id.trim()))
    }
}

/// `path` with `.` and `..` resolved without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `..` cancels a name, never another `..` (`../..` stays two levels up).
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

impl PolicySet {
    /// Reads a policy file, or every `*.policy` file below a directory (in path order).
    ///
    /// In a directory, files under `domains/<domain>/` form that domain's pack: their rules apply
    /// only to contracts whose domain is `<domain>` (ignoring case). Everything else (by
    /// convention `global/`) applies to every contract.
    ///
    /// # Errors
    /// Unreadable files and every error in the policies.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, PolicyErrors> {
        Self::load_all([path])
    }

    /// Reads several policy files and directories as one set (see [`PolicySet::load`]).
    ///
    /// # Errors
    /// Unreadable files and every error in the policies.
    pub fn load_all<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
    ) -> Result<Self, PolicyErrors> {
        Self::load_all_reading(paths, |file| std::fs::read_to_string(file))
    }

    /// Like [`PolicySet::load_all`], reading each policy file's text with `read`: an editor
    /// passes the unsaved text of the files it has open, and the disk's for the others. The
    /// directories are still walked on disk.
    ///
    /// ```
    /// # use governance_core::PolicySet;
    /// let dir = std::env::temp_dir().join(format!("overlay-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join("a.policy"), "rule a { contract must have owner }")?;
    /// let unsaved = "rule a { contract must have ownr }";
    /// let errors = PolicySet::load_all_reading([&dir], |_| Ok(unsaved.to_owned())).unwrap_err();
    /// assert_eq!(errors.errors()[0].to_string(), "unknown path `ownr`");
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// Unreadable files and every error in the policies.
    pub fn load_all_reading<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
        mut read: impl FnMut(&Path) -> std::io::Result<String>,
    ) -> Result<Self, PolicyErrors> {
        let mut files = Vec::new();
        for root in paths {
            let root = root.as_ref();
            let mut found = Vec::new();
            collect_policy_files(root, &mut found)?;
            if found.is_empty() {
                // An empty or misnamed policies directory must not pass silently.
                return Err(PolicyError::from(PolicyErrorKind::Io {
                    path: root.display().to_string(),
                    reason: "no `*.policy` files found".to_owned(),
                })
                .into());
            }
            found.sort();
            files.extend(found.into_iter().map(|file| {
                let pack = pack_of(root, &file);
                (file, pack)
            }));
        }
        // Global rules first, so that a domain pack redefining one is reported as such.
        files.sort_by_key(|(_, pack)| matches!(pack, Pack::Domain(_)));
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for (file, pack) in files {
            match read(&file) {
                Ok(text) => sources.push((SourceFile::new(file.display().to_string(), text), pack)),
                Err(error) => errors.push(PolicyError::from(PolicyErrorKind::Io {
                    path: file.display().to_string(),
                    reason: error.to_string(),
                })),
            }
        }
        match PolicySet::from_packs(sources) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(PolicyErrors::new(errors)),
            Err(more) => {
                errors.extend(more);
                Err(PolicyErrors::new(errors))
            }
        }
    }
}

/// The pack of `file` found below `root`: `domains/<domain>/...` is that domain's pack.
fn pack_of(root: &Path, file: &Path) -> Pack {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(first), Some(domain), Some(_)) if first == "domains" => {
            Pack::Domain(domain.into_owned())
        }
        _ => Pack::Global,
    }
}

fn collect_policy_files(path: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), PolicyError> {
    let io = |error: std::io::Error| {
        PolicyError::from(PolicyErrorKind::Io {
            path: path.display().to_string(),
            reason: error.to_string(),
        })
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?;
        let child = entry.path();
        // Symlinked directories are not followed, so a link loop cannot trap the walk.
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            collect_policy_files(&child, out)?;
        } else if child.extension().is_some_and(|e| e == "policy") {
            out.push(child);
        }
    }
    Ok(())
}
