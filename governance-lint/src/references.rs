//! The files contracts refer to: read from the repository, never from outside it or over the
//! network, and the ids of the repository's contracts for ODPS `contractId`s.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use governance_core::{Contract, FileResolver, Format, Limits, Resolver, SourceFile, Unresolved};

/// The largest file read when collecting contract ids.
const MAX_INDEXED_BYTES: u64 = 4 * 1024 * 1024;

/// Reads referenced files below the repository root; knows the ids of the repository's ODCS
/// and DCS contracts (collected on first use, once per run).
#[derive(Debug)]
pub struct Repository {
    root: PathBuf,
    files: FileResolver,
    ids: OnceLock<HashSet<String>>,
}

impl Repository {
    pub fn new(root: &Path) -> Arc<Self> {
        Arc::new(Self {
            root: root.to_path_buf(),
            files: FileResolver::new(root),
            ids: OnceLock::new(),
        })
    }

    fn ids(&self) -> &HashSet<String> {
        self.ids.get_or_init(|| contract_ids(&self.root))
    }
}

impl Resolver for Repository {
    fn read(&self, from: &str, reference: &str) -> Result<SourceFile, Unresolved> {
        self.files.read(from, reference)
    }

    fn has_contract(&self, id: &str) -> Option<bool> {
        Some(self.ids().contains(id.trim()))
    }
}

/// Follows references as [`Repository`] does, and reads a previous version from a git base
/// (named `REF:path`, the path from the repository's root) as if it were the work tree's
/// `path`: the files it refers to are read as they are now, as for the current version, so
/// that only the contract's own text can make the two versions differ.
#[derive(Debug)]
pub struct AtBase {
    repository: Arc<Repository>,
    /// `REF:` and the repository's root, for a git base.
    git: Option<(String, PathBuf)>,
    /// The current directory, canonical as git's root is, so that a previous version's path
    /// is made relative to it even when the directory was reached through a link.
    cwd: PathBuf,
}

impl AtBase {
    /// For the repository `cwd` is in, comparing with `base`.
    pub fn new(base: &crate::against::Base, cwd: &Path) -> Arc<Self> {
        let git = match base {
            crate::against::Base::Git { reference, root } => {
                Some((format!("{reference}:"), root.clone()))
            }
            crate::against::Base::Path { .. } => None,
        };
        Arc::new(Self {
            repository: Repository::new(&crate::discover::repository_root(cwd)),
            git,
            cwd: std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf()),
        })
    }
}

impl Resolver for AtBase {
    fn read(&self, from: &str, reference: &str) -> Result<SourceFile, Unresolved> {
        let in_base = self
            .git
            .as_ref()
            .and_then(|(prefix, root)| Some((from.strip_prefix(prefix.as_str())?, root)));
        match in_base {
            Some((path, root)) => {
                let here = crate::paths::relative_to(&root.join(path), &self.cwd);
                self.repository.read(&here, reference)
            }
            None => self.repository.read(from, reference),
        }
    }

    fn has_contract(&self, id: &str) -> Option<bool> {
        self.repository.has_contract(id)
    }
}

/// The `id` of every ODCS and DCS contract below `root` (the walk respects `.gitignore`).
fn contract_ids(root: &Path) -> HashSet<String> {
    let mut ids = HashSet::new();
    for entry in ignore::WalkBuilder::new(root).build().flatten() {
        let path = entry.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"));
        if !wanted || !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if entry
            .metadata()
            .map_or(true, |m| m.len() > MAX_INDEXED_BYTES)
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if !(text.contains("DataContract") || text.contains("dataContractSpecification")) {
            continue;
        }
        let source = Arc::new(SourceFile::new(path.to_string_lossy(), text));
        let Ok(contracts) = Contract::load(&source, Limits::default()) else {
            continue;
        };
        for contract in contracts {
            if matches!(
                contract.format(),
                Format::OdcsV3 | Format::OdcsV2 | Format::Dcs
            ) {
                if let Some(id) = contract.get("id").map(|(id, _)| id.trim().to_owned()) {
                    ids.insert(id);
                }
            }
        }
    }
    ids
}
