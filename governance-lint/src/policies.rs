//! Which policies a run uses (the command line, governance.toml, a `policies/` folder, the
//! built-in pack, and the packs governance.toml fetches from git), loading them, and how every
//! output names them.

use std::path::{Path, PathBuf};

use governance_core::{PolicyErrors, PolicySet, SourceFile};

use crate::config::Config;
use crate::packs::{Fetched, Locked, PackError};
use crate::problem::Problem;

/// Where the policies come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// These files and directories.
    Paths(Vec<PathBuf>),
    /// The default pack compiled into the binary.
    BuiltIn,
}

/// The local policies: `--policies`, else `policies` of the configuration (relative to the
/// configuration file), else a `policies/` folder beside the configuration, in `cwd`, or at the
/// repository root, else the built-in pack, unless the configuration lists `[[packs]]` (then
/// no local policy). Whichever it is, every output names it. The packs of the configuration
/// come on top of these, whatever `--policies` says.
pub fn resolve(flags: &[PathBuf], config: Option<&Config>, cwd: &Path) -> PolicySource {
    if !flags.is_empty() {
        return PolicySource::Paths(flags.to_vec());
    }
    if let Some(paths) = config.and_then(|c| c.policies.clone()) {
        return PolicySource::Paths(paths);
    }
    let root = crate::discover::repository_root(cwd);
    let candidates = [
        config.map(|c| c.dir.clone()),
        Some(cwd.to_path_buf()),
        Some(root),
    ];
    for dir in candidates.into_iter().flatten() {
        let local = dir.join("policies");
        if local.is_dir() {
            // Named relative to the current directory in messages: `policies/pii.policy`.
            let shown = crate::discover::relative_to(&local, cwd);
            return PolicySource::Paths(vec![PathBuf::from(shown)]);
        }
    }
    if config.is_some_and(|c| !c.packs.is_empty()) {
        // A central pack replaces the default one, whose rule ids it may well reuse.
        return PolicySource::Paths(Vec::new());
    }
    PolicySource::BuiltIn
}

impl PolicySource {
    /// The paths as named in messages; empty for the built-in pack.
    pub fn shown(&self) -> Vec<String> {
        match self {
            PolicySource::Paths(paths) => paths
                .iter()
                .map(|p| {
                    let text = p.to_string_lossy().replace('\\', "/");
                    if p.is_dir() && !text.ends_with('/') {
                        format!("{text}/")
                    } else {
                        text
                    }
                })
                .collect(),
            PolicySource::BuiltIn => Vec::new(),
        }
    }
}

/// Which policies a run used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoliciesUsed {
    /// The files and directories, as named in messages.
    pub paths: Vec<String>,
    /// The default pack built into the binary.
    pub built_in: bool,
    /// How many rules, and how many of them are switched on.
    pub rules: usize,
    pub enabled: usize,
    /// The domain packs (`domains/<domain>/`), in order.
    pub domain_packs: Vec<String>,
    /// The packs fetched from git (`[[packs]]`), as locked.
    pub packs: Vec<Locked>,
}

impl PoliciesUsed {
    pub fn of(source: &PolicySource, packs: &[Fetched], policies: &PolicySet) -> Self {
        let mut domain_packs: Vec<String> = Vec::new();
        for rule in policies.rules() {
            if let Some(pack) = rule.domain_pack() {
                if !domain_packs.iter().any(|p| p.eq_ignore_ascii_case(pack)) {
                    domain_packs.push(pack.to_owned());
                }
            }
        }
        Self {
            paths: source.shown(),
            built_in: matches!(source, PolicySource::BuiltIn),
            // The built-in change rules are named apart (`breaking` loads them).
            rules: policies.rules().filter(|r| !r.is_builtin()).count(),
            enabled: policies
                .rules()
                .filter(|r| r.enabled() && !r.is_builtin())
                .count(),
            domain_packs,
            packs: packs.iter().map(|p| p.locked.clone()).collect(),
        }
    }

    /// `policies/ — 13 rules, 2 domain packs (hr, sales)`, `built-in default pack — 5 rules`,
    /// `policies/, https://host/policies.git (global/) at v1.4.0 (commit 0123456789ab) — 9 rules`.
    pub fn describe(&self) -> String {
        let mut sources = self.paths.clone();
        sources.extend(self.packs.iter().map(Locked::describe));
        let source = if self.built_in {
            "built-in default pack".to_owned()
        } else if sources.is_empty() {
            "no policy files (`policies = []`)".to_owned()
        } else {
            sources.join(", ")
        };
        let mut counts = crate::text::plural(self.rules, "rule");
        if self.enabled < self.rules {
            counts.push_str(&format!(" ({} switched off)", self.rules - self.enabled));
        }
        if !self.domain_packs.is_empty() {
            counts.push_str(&format!(
                ", {} ({})",
                crate::text::plural(self.domain_packs.len(), "domain pack"),
                self.domain_packs.join(", ")
            ));
        }
        format!("{source} — {counts}")
    }
}

/// The default policy pack (`policies/` of this repository), compiled into the binary.
const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "policies/metadata.policy",
        include_str!("../../policies/metadata.policy"),
    ),
    (
        "policies/pii.policy",
        include_str!("../../policies/pii.policy"),
    ),
    (
        "policies/sla.policy",
        include_str!("../../policies/sla.policy"),
    ),
];

/// The policy set: the local policies and the packs, loaded as one set of policy
/// directories (so that rule ids are unique across them, `raise` reaches any of them, and
/// `mandatory` holds everywhere). Each pack whose files have errors is named by one more
/// problem after them.
pub fn load(source: &PolicySource, packs: &[Fetched]) -> Result<PolicySet, Vec<Problem>> {
    let loaded = match source {
        PolicySource::BuiltIn if packs.is_empty() => built_in(),
        PolicySource::BuiltIn => PolicySet::load_all(packs.iter().map(|p| p.dir.as_path())),
        PolicySource::Paths(paths) => PolicySet::load_all(
            paths
                .iter()
                .map(PathBuf::as_path)
                .chain(packs.iter().map(|p| p.dir.as_path())),
        ),
    };
    loaded.map_err(|errors| {
        let guilty: Vec<&Fetched> = packs
            .iter()
            .filter(|pack| errors.errors().iter().any(|e| in_pack(e, pack)))
            .collect();
        let mut problems: Vec<Problem> = Vec::new();
        for pack in guilty {
            problems.push(Problem::new(PackError::Invalid {
                message: format!("pack {} has errors in its policies", pack.locked.describe()),
                help: format!(
                    "its files are in `{}`; fix the pack in its repository, or pin `rev` to a revision whose policies load, then run `governance-lint packs update`",
                    pack.dir.display()
                ),
            }));
        }
        let mut all: Vec<Problem> = errors.into_iter().map(Problem::new).collect();
        all.extend(problems);
        all
    })
}

/// Whether a policy error is about a file of `pack`.
fn in_pack(error: &governance_core::PolicyError, pack: &Fetched) -> bool {
    let dir = pack.dir.display().to_string();
    let name = match (error.file(), error.kind()) {
        (Some(file), _) => file.name().to_owned(),
        (None, governance_core::PolicyErrorKind::Io { path, .. }) => path.clone(),
        (None, _) => return false,
    };
    Path::new(&name).starts_with(&dir)
}

/// The policy directories to look for `*.tests.yaml` in: the local ones and the packs'.
pub fn test_dirs(source: &PolicySource, packs: &[Fetched]) -> Vec<PathBuf> {
    let mut dirs = match source {
        PolicySource::Paths(paths) => paths.clone(),
        PolicySource::BuiltIn => Vec::new(),
    };
    dirs.extend(packs.iter().map(|p| p.dir.clone()));
    dirs
}

/// The default pack.
pub fn built_in() -> Result<PolicySet, PolicyErrors> {
    PolicySet::from_sources(
        DEFAULT_PACK
            .iter()
            .map(|(name, text)| SourceFile::new(*name, *text)),
    )
}
