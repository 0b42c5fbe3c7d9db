//! The walk of `governance-lint`'s `discover.rs`, without include/exclude globs: shared by the
//! programs the linter is compared with, so that they read exactly the same files.

use std::path::{Path, PathBuf};

/// Directories never walked into (as in `governance-lint`).
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// Extensions of files that may be contracts (as in `governance-lint`).
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Every contract-named file below `paths` (files named are kept as they are), sorted.
pub fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for root in paths {
        if root.is_dir() {
            walk(root, &mut files);
        } else {
            files.push(root.clone());
        }
    }
    files.sort();
    files.dedup();
    files
}

/// The walk of `governance-lint`'s `discover.rs`, without include/exclude globs.
fn walk(root: &Path, files: &mut Vec<PathBuf>) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            !(entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| SKIPPED_DIRS.contains(&name)))
        })
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        if entry.file_type().is_some_and(|t| t.is_file()) && has_contract_extension(path) {
            files.push(path.to_path_buf());
        }
    }
}

fn has_contract_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}
