//! One workspace folder: its `governance.toml` and policies, found and loaded exactly as
//! `check` finds them when run in that folder (`settings::setup`), and what tells that they
//! changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use governance_core::{Date, Engine, LintOptions, PolicyErrors, PolicySet, SourceFile};

use crate::args::PolicyArgs;
use crate::config::Config;
use crate::discover::Candidate;
use crate::policies::PolicySource;
use crate::problem::Problem;
use crate::settings;

/// A workspace folder and what `check` would lint with there.
pub struct Workspace {
    pub root: PathBuf,
    pub state: State,
    /// The files the rules came from, as last seen: a change reloads them.
    pub fingerprint: Fingerprint,
    /// Whether a dbt project enforces model contracts in a directory (cached until reload).
    dbt: HashMap<PathBuf, bool>,
}

/// The rules in force, or why there are none.
pub enum State {
    Ready(Box<Ready>),
    /// `check` would stop with these problems (exit code 2) before linting anything.
    Stopped(Vec<Problem>),
}

pub struct Ready {
    pub engine: Engine,
    pub config: Option<Config>,
    pub source: PolicySource,
}

/// The configuration and policy files with their modification times and sizes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint(Vec<(PathBuf, Option<(SystemTime, u64)>)>);

impl Workspace {
    pub fn load(root: &Path) -> Self {
        let root = crate::paths::normalize(root);
        // Policy paths are resolved and named relative to the current directory, as for a
        // `check` started in the folder: the server moves there for the time of the load.
        let _ = std::env::set_current_dir(&root);
        let state = match settings::setup(&PolicyArgs::default(), &root) {
            Ok(setup) => {
                let config = setup.config;
                let engine = Engine::new(setup.policies)
                    .with_options(
                        LintOptions::default()
                            .with_limits(settings::limits(config.as_ref()))
                            .with_strict(settings::strict(false, config.as_ref()))
                            .with_conformance(settings::conformance(config.as_ref()))
                            .with_allow_urls(settings::allow_urls(config.as_ref())),
                    )
                    .with_resolver(crate::references::Repository::new(
                        &crate::paths::repository_root(&root),
                    ));
                State::Ready(Box::new(Ready {
                    engine,
                    config,
                    source: setup.source,
                }))
            }
            Err(stopped) => State::Stopped(stopped.problems),
        };
        let fingerprint = Fingerprint::of(&root);
        Self {
            root,
            state,
            fingerprint,
            dbt: HashMap::new(),
        }
    }

    pub fn ready(&self) -> Option<&Ready> {
        match &self.state {
            State::Ready(ready) => Some(ready),
            State::Stopped(_) => None,
        }
    }

    /// The options one file is linted with: the configuration's, today's date (or
    /// `GOVERNANCE_LINT_TODAY`) at the time of the lint, and its dbt project's enforcement.
    pub fn options_for(&mut self, path: Option<&Path>) -> Option<LintOptions> {
        let enforced = path.is_some_and(|path| self.dbt_enforced(path));
        let ready = self.ready()?;
        let today = std::env::var("GOVERNANCE_LINT_TODAY")
            .ok()
            .and_then(|t| t.parse::<Date>().ok());
        Some(
            (*ready.engine.options())
                .with_clock(settings::clock(today, ready.config.as_ref()))
                .with_dbt_enforced(enforced),
        )
    }

    fn dbt_enforced(&mut self, path: &Path) -> bool {
        let Some(dir) = path.parent() else {
            return false;
        };
        if let Some(&known) = self.dbt.get(dir) {
            return known;
        }
        let candidate = Candidate {
            display: path.to_string_lossy().into_owned(),
            path: path.to_path_buf(),
            link: false,
            tracked: false,
        };
        let repository = crate::discover::repository_root(&self.root);
        let found =
            crate::dbt::Enforced::find(std::slice::from_ref(&candidate), &self.root, &repository);
        let enforced = found.of(&candidate);
        self.dbt.insert(dir.to_path_buf(), enforced);
        enforced
    }

    /// The largest file `check` reads here.
    pub fn max_bytes(&self) -> u64 {
        settings::max_file_bytes(self.ready().and_then(|r| r.config.as_ref()))
    }

    /// The policy files of this folder's set, absolute (none for the built-in pack).
    pub fn policy_files(&self) -> Vec<PathBuf> {
        self.fingerprint
            .0
            .iter()
            .map(|(path, _)| path)
            .filter(|path| path.extension().is_some_and(|e| e == "policy"))
            .cloned()
            .collect()
    }

    /// The policy paths as `check` resolves them here, absolute.
    fn policy_roots(&self) -> Option<Vec<PathBuf>> {
        let source = match &self.state {
            State::Ready(ready) => ready.source.clone(),
            State::Stopped(_) => {
                let config = settings::config(&PolicyArgs::default(), &self.root)
                    .ok()
                    .flatten();
                crate::policies::resolve(&[], config.as_ref(), &self.root)
            }
        };
        match source {
            PolicySource::Paths(paths) => Some(
                paths
                    .iter()
                    .map(|p| crate::paths::normalize(&self.root.join(p)))
                    .collect(),
            ),
            PolicySource::BuiltIn => None,
        }
    }

    /// The whole policy set of this folder with the open files' unsaved text: what an open
    /// policy file's diagnostics come from, so that a duplicate id in another file or a
    /// `raise` of a rule defined elsewhere is judged as `check` will judge it once saved.
    /// `None` when `path` is not one of the folder's policy files.
    pub fn policies_with(
        &self,
        path: &Path,
        unsaved: &dyn Fn(&Path) -> Option<String>,
    ) -> Option<Result<PolicySet, PolicyErrors>> {
        let roots = self.policy_roots()?;
        if !self.policy_files().iter().any(|p| p == path) {
            return None;
        }
        let _ = std::env::set_current_dir(&self.root);
        let loaded = PolicySet::load_all_reading(&roots, |file| {
            let absolute = crate::paths::normalize(&self.root.join(file));
            match unsaved(&absolute) {
                Some(text) => Ok(text),
                None => std::fs::read_to_string(file),
            }
        });
        Some(loaded.map(|mut set| {
            set.declare_custom_names(self.custom_names());
            set
        }))
    }

    /// `custom-names` of the configuration.
    pub fn custom_names(&self) -> Vec<String> {
        match &self.state {
            State::Ready(ready) => ready
                .config
                .as_ref()
                .map(|c| c.custom_names.clone())
                .unwrap_or_default(),
            State::Stopped(_) => Vec::new(),
        }
    }

    /// The absolute path of a file as the folder's messages name it.
    pub fn absolute(&self, shown: &str) -> PathBuf {
        crate::paths::normalize(&self.root.join(shown))
    }

    /// Whether the rules' files changed since they were loaded.
    pub fn changed(&self) -> bool {
        Fingerprint::of(&self.root) != self.fingerprint
    }

    /// A policy file's text as the engine read it, and its name there.
    pub fn rule_source(&self, id: &str) -> Option<(PathBuf, SourceFile)> {
        let ready = self.ready()?;
        let rule = ready.engine.policies().rules().find(|r| r.id() == id)?;
        let file = rule.file();
        Some((
            self.absolute(file.name()),
            SourceFile::new(file.name(), file.text()),
        ))
    }
}

impl Fingerprint {
    /// The configuration `check` would read in `root`, and every file of the policy
    /// directories it names (or the `policies/` folder it would use).
    pub fn of(root: &Path) -> Self {
        let mut files = Vec::new();
        let config_path = crate::config::find(root);
        let config = config_path.as_ref().and_then(|path| {
            let _ = std::env::set_current_dir(root);
            crate::config::load(path, root).ok()
        });
        // The lock pins the packs: a `packs update` changes what is loaded.
        files.extend(config.as_ref().map(|c| c.dir.join(crate::packs::LOCK_FILE)));
        files.extend(config_path);
        if let PolicySource::Paths(paths) = crate::policies::resolve(&[], config.as_ref(), root) {
            for path in paths {
                collect(&crate::paths::normalize(&root.join(path)), &mut files, 0);
            }
        }
        files.sort();
        files.dedup();
        Self(
            files
                .into_iter()
                .map(|path| {
                    let seen = std::fs::metadata(&path)
                        .ok()
                        .and_then(|m| Some((m.modified().ok()?, m.len())));
                    (path, seen)
                })
                .collect(),
        )
    }
}

/// Policy files and policy test files below `path` (not following directory links).
fn collect(path: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(kind) = std::fs::symlink_metadata(path) else {
        out.push(path.to_path_buf());
        return;
    };
    if !kind.is_dir() {
        out.push(path.to_path_buf());
        return;
    }
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let child = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect(&child, out, depth + 1);
        } else {
            let name = child.to_string_lossy();
            if name.ends_with(".policy") || name.ends_with(".tests.yaml") {
                out.push(child);
            }
        }
    }
}
