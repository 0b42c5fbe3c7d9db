//! `--changed-since REF`: the files git says changed since a ref.
//!
//! Changed means: listed by `git diff --name-only --diff-filter=d REF` (committed, staged and
//! unstaged changes between REF and the working tree, deleted files left out), or untracked and
//! not ignored (`git ls-files --others --exclude-standard`), so that a new contract is linted
//! before it is added. REF is anything `git diff` accepts: a branch, a tag, a commit, or
//! `A...B` (changes since the merge base of A and B).
//!
//! When a policy file, a policy test file or the configuration in use changed, every contract
//! may now have other findings: then every selected contract is linted, not only the changed
//! ones.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::discover::{relative_to, Candidate, Discovery};
use crate::git;
use crate::policies::PolicySource;

/// Why the changed files could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedError {
    pub message: String,
    pub help: Option<String>,
}

/// What a changed rule file is: a policy (or policy test) file, or the configuration.
const POLICIES: &str = "policies";
const CONFIGURATION: &str = "the configuration";

/// The changed files.
#[derive(Debug, Default)]
pub struct Changed {
    /// The ref, as given.
    reference: String,
    /// The changed files that exist, as canonical paths.
    files: HashSet<PathBuf>,
}

/// The files whose change can change the findings of every contract: the policy paths in use,
/// the configuration file and the lock of its packs, as canonical paths.
#[derive(Debug, Default)]
pub struct RuleFiles {
    policies: Vec<PathBuf>,
    config: Option<PathBuf>,
    lock: Option<PathBuf>,
}

impl RuleFiles {
    /// The policy paths of `source` and the configuration file at `config` (relative to `cwd`
    /// or absolute). Paths that do not exist are left out.
    pub fn new(source: &PolicySource, config: Option<&Path>, cwd: &Path) -> Self {
        let policies = match source {
            PolicySource::Paths(paths) => paths
                .iter()
                .filter_map(|path| cwd.join(path).canonicalize().ok())
                .collect(),
            PolicySource::BuiltIn => Vec::new(),
        };
        Self {
            policies,
            config: config.and_then(|path| cwd.join(path).canonicalize().ok()),
            lock: None,
        }
    }

    /// Also the lock of the configuration's packs (`governance.lock`): a changed lock is a
    /// changed configuration, since it moves the packs to other commits.
    pub fn with_lock(mut self, lock: Option<&Path>, cwd: &Path) -> Self {
        self.lock = lock.and_then(|path| cwd.join(path).canonicalize().ok());
        self
    }

    /// What `file` (canonical) is to the rules: `Some("policies")` for a policy or policy test
    /// file under a policy path, `Some("the configuration")` for the configuration file.
    fn kind(&self, file: &Path) -> Option<&'static str> {
        if self.config.as_deref() == Some(file) || self.lock.as_deref() == Some(file) {
            return Some(CONFIGURATION);
        }
        let name = file.file_name()?.to_string_lossy();
        let policy = name.ends_with(".policy");
        let test = name.ends_with(".tests.yaml") || name.ends_with(".tests.yml");
        let under_policies = self.policies.iter().any(|path| {
            if file == path {
                return true;
            }
            if path.is_dir() {
                return file.starts_with(path) && (policy || test);
            }
            // A policy file: its tests are beside it, `pii.policy` + `pii.tests.yaml`.
            let stem = path.file_stem().map(|s| s.to_string_lossy());
            test && file.parent() == path.parent()
                && stem.is_some_and(|stem| {
                    name.strip_prefix(stem.as_ref())
                        .is_some_and(|rest| rest == ".tests.yaml" || rest == ".tests.yml")
                })
        });
        under_policies.then_some(POLICIES)
    }
}

impl Changed {
    /// Asks git, in `cwd`.
    pub fn since(reference: &str, cwd: &Path) -> Result<Self, ChangedError> {
        if reference.starts_with('-') || reference.is_empty() {
            return Err(ChangedError {
                message: format!("`{reference}` is not a git ref"),
                help: Some("pass a branch, tag or commit: `--changed-since origin/main`".into()),
            });
        }
        let root = git::toplevel(cwd).map_err(|error| ChangedError {
            message: "`--changed-since` needs a git repository".to_owned(),
            help: Some(error.reason().to_owned()),
        })?;
        let diff = git::run(
            &root,
            &[
                "diff",
                "--name-only",
                "-z",
                "--no-renames",
                "--diff-filter=d",
                reference,
                "--",
            ],
        )
        .map_err(|error| ChangedError {
            message: format!("git cannot compare with `{reference}`"),
            help: Some(error.reason().to_owned()),
        })?;
        let untracked = git::run(&root, &["ls-files", "--others", "--exclude-standard", "-z"])
            .map_err(|error| ChangedError {
                message: "git cannot list the untracked files".to_owned(),
                help: Some(error.reason().to_owned()),
            })?;
        let files = git::names(&diff)
            .chain(git::names(&untracked))
            .filter_map(|name| root.join(name).canonicalize().ok())
            .collect();
        Ok(Self {
            reference: reference.to_owned(),
            files,
        })
    }

    /// Narrows `found` to what changed, and returns what to tell a person about it, if
    /// anything. When the policies or the configuration changed, nothing is left out.
    pub fn narrow(&self, found: &mut Discovery, rules: &RuleFiles, cwd: &Path) -> Option<String> {
        let reference = &self.reference;
        let mut changed_rules: Vec<(&'static str, &PathBuf)> = self
            .files
            .iter()
            .filter_map(|file| Some((rules.kind(file)?, file)))
            .collect();
        changed_rules.sort();
        if let Some((_, first)) = changed_rules.first() {
            let policies = changed_rules.iter().any(|(kind, _)| *kind == POLICIES);
            let config = changed_rules.iter().any(|(kind, _)| *kind == CONFIGURATION);
            let what = match (policies, config) {
                (true, true) => "policies and the configuration",
                (true, false) => "policies",
                (false, _) => "the configuration",
            };
            let more = match changed_rules.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
            return Some(format!(
                "{what} changed since {reference} ({}{more}): linting every contract",
                relative_to(first, &cwd)
            ));
        }
        self.retain(&mut found.files);
        // Listing what is not linted only makes sense for a whole walk.
        found.skipped.clear();
        found
            .files
            .is_empty()
            .then(|| format!("no contract changed since {reference}"))
    }

    /// Keeps the candidates that changed.
    fn retain(&self, candidates: &mut Vec<Candidate>) {
        candidates.retain(|candidate| {
            candidate
                .path
                .canonicalize()
                .is_ok_and(|path| self.files.contains(&path))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_and_test_files_under_the_policy_paths_are_rules() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("policies/domains/sales"))?;
        std::fs::create_dir_all(root.join("contracts"))?;
        for file in [
            "policies/pii.policy",
            "policies/pii.tests.yaml",
            "policies/domains/sales/sales.policy",
            "policies/README.md",
            "team.policy",
            "team.tests.yaml",
            "other.tests.yaml",
            "governance.toml",
            "governance.lock",
            "contracts/orders.yaml",
        ] {
            std::fs::write(root.join(file), "")?;
        }
        let source = PolicySource::Paths(vec![PathBuf::from("policies"), "team.policy".into()]);
        let rules = RuleFiles::new(&source, Some(Path::new("governance.toml")), root)
            .with_lock(Some(Path::new("governance.lock")), root);
        let kind = |file: &str| {
            root.join(file)
                .canonicalize()
                .ok()
                .and_then(|f| rules.kind(&f))
        };
        assert_eq!(kind("policies/pii.policy"), Some("policies"));
        assert_eq!(kind("policies/pii.tests.yaml"), Some("policies"));
        assert_eq!(
            kind("policies/domains/sales/sales.policy"),
            Some("policies")
        );
        assert_eq!(kind("team.policy"), Some("policies"));
        assert_eq!(kind("team.tests.yaml"), Some("policies"));
        assert_eq!(kind("governance.toml"), Some("the configuration"));
        assert_eq!(kind("governance.lock"), Some("the configuration"));
        assert_eq!(kind("policies/README.md"), None);
        assert_eq!(kind("other.tests.yaml"), None);
        assert_eq!(kind("contracts/orders.yaml"), None);
        Ok(())
    }
}
