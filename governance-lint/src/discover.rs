//! Finding the files to lint: walking directories (with `.gitignore`), include/exclude globs.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Directories never walked into.
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// Extensions of files that may be contracts.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Why a symbolic link is listed and not linted.
const SYMLINK: governance_core::Skip = governance_core::Skip::new(
    "symlink",
    "a symbolic link, not followed (lint the file it points to where it lives)",
    "symbolic link",
    "symbolic links",
);

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path as shown in reports (relative paths stay relative, `./` is dropped).
    pub display: String,
    pub path: PathBuf,
}

/// A path that could not be walked or read (reported as a failed file).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub display: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Candidate>,
    pub problems: Vec<WalkProblem>,
    /// Contract-named entries that are not linted, and why (a symbolic link is not followed).
    pub skipped: Vec<(String, governance_core::Skip)>,
}

/// A usage error in the globs.
#[derive(Debug)]
pub struct BadGlob(pub String);

/// Globs and the directory their paths are relative to.
struct Globs {
    set: GlobSet,
    /// `None`: match the path as walked (command-line globs); `Some(dir)`: match the path
    /// relative to `dir` (globs from governance.toml, relative to its directory).
    base: Option<PathBuf>,
}

impl Globs {
    fn new(globs: &[String], base: Option<&Path>) -> Result<Self, BadGlob> {
        let mut set = GlobSetBuilder::new();
        for glob in globs {
            let compiled = Glob::new(glob)
                .map_err(|e| BadGlob(format!("invalid glob `{glob}`: {}", e.kind())))?;
            set.add(compiled);
        }
        Ok(Self {
            set: set.build().map_err(|e| BadGlob(e.to_string()))?,
            base: base.map(Path::to_path_buf),
        })
    }

    fn is_match(&self, shown: &str, cwd: &Path) -> bool {
        match &self.base {
            None => self.set.is_match(shown),
            Some(base) => {
                let absolute = normalize(&cwd.join(shown));
                match absolute.strip_prefix(base) {
                    Ok(relative) => self.set.is_match(relative),
                    Err(_) => self.set.is_match(shown),
                }
            }
        }
    }
}

/// Which walked files to lint.
pub struct Filters {
    include: Option<Globs>,
    exclude: Globs,
    cwd: PathBuf,
}

/// Globs as configured: the patterns, and the directory they are relative to (`None`: the
/// current directory, as for command-line globs).
pub struct GlobList<'a> {
    pub globs: &'a [String],
    pub base: Option<&'a Path>,
}

impl Filters {
    pub fn new(include: GlobList<'_>, exclude: GlobList<'_>, cwd: &Path) -> Result<Self, BadGlob> {
        Ok(Self {
            include: if include.globs.is_empty() {
                None
            } else {
                Some(Globs::new(include.globs, include.base)?)
            },
            exclude: Globs::new(exclude.globs, exclude.base)?,
            cwd: cwd.to_path_buf(),
        })
    }

    fn wants(&self, shown: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|globs| globs.is_match(shown, &self.cwd))
            && !self.exclude.is_match(shown, &self.cwd)
    }
}

/// The repository root: the first directory from `cwd` up that holds `.git`; `cwd` itself
/// outside a repository.
pub fn repository_root(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// `path` with `.` and `..` components resolved lexically (symbolic links are not followed).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` (absolute) as shown to a user in `cwd` (absolute): relative when it is below `cwd`
/// or a few levels up (`../governance.toml`), else absolute. Forward slashes.
pub fn relative_to(path: &Path, cwd: &Path) -> String {
    let common = path
        .components()
        .zip(cwd.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = cwd.components().count() - common;
    if common <= 1 || ups > 3 {
        return display(path);
    }
    let mut relative = PathBuf::new();
    for _ in 0..ups {
        relative.push("..");
    }
    relative.extend(path.components().skip(common));
    display(&relative)
}

fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

fn has_contract_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Every file to lint below `roots`, sorted by path, without duplicates. Files named in `roots`
/// are always linted, unless `force` applies the filters to them too.
pub fn discover(roots: &[PathBuf], filters: &Filters, force: bool) -> Discovery {
    let mut found = Discovery::default();
    for root in roots {
        let metadata = std::fs::metadata(root);
        match metadata {
            Ok(meta) if meta.is_dir() => walk(root, filters, &mut found),
            // A file named explicitly is linted whatever its extension (unless filtered out).
            Ok(_) if force && !filters.wants(&display(root)) => {}
            Ok(_) => found.files.push(Candidate {
                display: display(root),
                path: root.clone(),
            }),
            Err(error) => found.problems.push(WalkProblem {
                display: display(root),
                message: format!("cannot read `{}`: {}", display(root), error),
            }),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk(root: &Path, filters: &Filters, found: &mut Discovery) {
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
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let kind = entry.file_type();
                if kind.is_none_or(|t| t.is_dir()) || !has_contract_extension(path) {
                    continue;
                }
                let shown = display(path);
                if !filters.wants(&shown) {
                    continue;
                }
                if kind.is_some_and(|t| t.is_symlink()) {
                    // Not followed (a link can leave the repository or loop), but not lost
                    // either: the report lists it.
                    found.skipped.push((shown, SYMLINK));
                } else {
                    // Regular files, and FIFOs or devices named like contracts: reading one
                    // reports "not a regular file" rather than silently skipping it.
                    found.files.push(Candidate {
                        display: shown,
                        path: path.to_path_buf(),
                    });
                }
            }
            Err(error) => {
                let path = error_path(&error)
                    .map(|p| display(&p))
                    .unwrap_or_else(|| display(root));
                found.problems.push(WalkProblem {
                    message: format!("cannot read `{path}`: {}", io_reason(&error)),
                    display: path,
                });
            }
        }
    }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn io_reason(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => io_reason(err),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_the_current_directory() {
        let cwd = Path::new("/repo/contracts/sales");
        assert_eq!(
            relative_to(Path::new("/repo/governance.toml"), cwd),
            "../../governance.toml"
        );
        assert_eq!(
            relative_to(Path::new("/repo/contracts/sales/g.toml"), cwd),
            "g.toml"
        );
        assert_eq!(relative_to(Path::new("/etc/g.toml"), cwd), "/etc/g.toml");
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn configured_globs_match_paths_relative_to_the_configuration() -> Result<(), BadGlob> {
        let globs = ["contracts/**".to_owned()];
        let filters = Filters::new(
            GlobList {
                globs: &globs,
                base: Some(Path::new("/repo")),
            },
            GlobList {
                globs: &[],
                base: None,
            },
            Path::new("/repo/contracts"),
        )?;
        assert!(filters.wants("sales/orders.yaml"));
        assert!(!filters.wants("../other/orders.yaml"));
        Ok(())
    }
}
