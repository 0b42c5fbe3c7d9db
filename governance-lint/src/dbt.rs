//! dbt projects: which files lie in folders where `dbt_project.yml` enforces model contracts
//! (`+contract: {enforced: true}`), so that their `schema.yml` models are linted as contracts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use governance_core::{DbtProject, SourceFile};

use crate::discover::Candidate;

/// For each directory holding a candidate, whether a dbt project enforces contracts there.
#[derive(Debug, Default)]
pub struct Enforced {
    dirs: HashMap<PathBuf, bool>,
}

impl Enforced {
    /// Looks up the dbt project (the nearest `dbt_project.yml` up to `root`) of every
    /// candidate's directory, reading each project file once.
    pub fn find(candidates: &[Candidate], cwd: &Path, root: &Path) -> Self {
        let mut projects: HashMap<PathBuf, Option<(PathBuf, DbtProject)>> = HashMap::new();
        let mut dirs = HashMap::new();
        for candidate in candidates {
            let Some(dir) = candidate.path.parent() else {
                continue;
            };
            if dirs.contains_key(dir) {
                continue;
            }
            let absolute = crate::discover::normalize(&cwd.join(dir));
            let enforced =
                project_of(&absolute, root, &mut projects).is_some_and(|(project_dir, project)| {
                    let relative = absolute
                        .strip_prefix(project_dir)
                        .map(|r| r.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default();
                    project.enforces(&relative)
                });
            dirs.insert(dir.to_path_buf(), enforced);
        }
        Self { dirs }
    }

    /// Whether the candidate's models are enforced by its dbt project.
    pub fn of(&self, candidate: &Candidate) -> bool {
        candidate
            .path
            .parent()
            .and_then(|dir| self.dirs.get(dir))
            .copied()
            .unwrap_or(false)
    }
}

/// The nearest project at or above `dir` (not above `root`), cached per directory.
fn project_of<'a>(
    dir: &Path,
    root: &Path,
    cache: &'a mut HashMap<PathBuf, Option<(PathBuf, DbtProject)>>,
) -> Option<&'a (PathBuf, DbtProject)> {
    if !cache.contains_key(dir) {
        let file = dir.join("dbt_project.yml");
        let found = if file.is_file() {
            std::fs::read_to_string(&file)
                .ok()
                .and_then(|text| DbtProject::parse(&SourceFile::new("dbt_project.yml", text)).ok())
                .map(|project| (dir.to_path_buf(), project))
        } else if dir == root {
            None
        } else {
            match dir.parent() {
                Some(parent) if parent.starts_with(root) || !dir.starts_with(root) => {
                    project_of(parent, root, cache).cloned()
                }
                _ => None,
            }
        };
        cache.insert(dir.to_path_buf(), found);
    }
    cache.get(dir).and_then(Option::as_ref)
}
