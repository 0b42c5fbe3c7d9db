//! Which policies a run uses (the command line, governance.toml, a `policies/` folder, the
//! built-in pack), loading them, and how every output names them.

use std::path::{Path, PathBuf};

use governance_core::{PolicyErrors, PolicySet, SourceFile};

use crate::config::Config;

/// Where the policies come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// These files and directories.
    Paths(Vec<PathBuf>),
    /// The default pack compiled into the binary.
    BuiltIn,
}

/// `--policies`, else `policies` of the configuration (relative to the configuration file),
/// else a `policies/` folder beside the configuration, in `cwd`, or at the repository root,
/// else the built-in pack. Whichever it is, every output names it.
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
}

impl PoliciesUsed {
    pub fn of(source: &PolicySource, policies: &PolicySet) -> Self {
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
        }
    }

    /// `policies/ — 13 rules, 2 domain packs (hr, sales)`, `built-in default pack — 5 rules`.
    pub fn describe(&self) -> String {
        let source = if self.built_in {
            "built-in default pack".to_owned()
        } else if self.paths.is_empty() {
            "no policy files (`policies = []`)".to_owned()
        } else {
            self.paths.join(", ")
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

/// The policy set.
pub fn load(source: &PolicySource) -> Result<PolicySet, PolicyErrors> {
    match source {
        PolicySource::Paths(paths) => PolicySet::load_all(paths),
        PolicySource::BuiltIn => built_in(),
    }
}

/// The default pack.
pub fn built_in() -> Result<PolicySet, PolicyErrors> {
    PolicySet::from_sources(
        DEFAULT_PACK
            .iter()
            .map(|(name, text)| SourceFile::new(*name, *text)),
    )
}
