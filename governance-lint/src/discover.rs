//! Finding the files to lint: walking directories (with `.gitignore`), include/exclude globs.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Directories never walked into.
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// Extensions of files that may be contracts.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

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
}

/// A usage error in the globs.
#[derive(Debug)]
pub struct BadGlob(pub String);

pub struct Filters {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filters {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, BadGlob> {
        let build = |globs: &[String]| -> Result<GlobSet, BadGlob> {
            let mut set = GlobSetBuilder::new();
            for glob in globs {
                let compiled = Glob::new(glob)
                    .map_err(|e| BadGlob(format!("invalid glob `{glob}`: {}", e.kind())))?;
                set.add(compiled);
            }
            set.build().map_err(|e| BadGlob(e.to_string()))
        };
        Ok(Self {
            include: if include.is_empty() {
                None
            } else {
                Some(build(include)?)
            },
            exclude: build(exclude)?,
        })
    }

    fn wants(&self, display: &str) -> bool {
        let path = Path::new(display);
        self.include.as_ref().is_none_or(|set| set.is_match(path)) && !self.exclude.is_match(path)
    }
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

/// Every file to lint below `roots`, sorted by path, without duplicates.
pub fn discover(roots: &[PathBuf], filters: &Filters) -> Discovery {
    let mut found = Discovery::default();
    for root in roots {
        let metadata = std::fs::metadata(root);
        match metadata {
            Ok(meta) if meta.is_dir() => walk(root, filters, &mut found),
            // A file named explicitly is always linted (the pre-commit case).
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
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if !is_file || !has_contract_extension(path) {
                    continue;
                }
                let shown = display(path);
                if filters.wants(&shown) {
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
