//! Choosing the policies: `--policies`, else `./policies`, else the default pack in the binary.

use std::path::{Path, PathBuf};

use governance_core::{PolicyErrors, PolicySet, SourceFile};

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

/// The active policy set for `--policies` arguments.
pub fn load(paths: &[PathBuf]) -> Result<PolicySet, PolicyErrors> {
    if !paths.is_empty() {
        return PolicySet::load_all(paths);
    }
    let local = Path::new("policies");
    if local.is_dir() {
        return PolicySet::load(local);
    }
    built_in()
}

/// The default pack.
pub fn built_in() -> Result<PolicySet, PolicyErrors> {
    PolicySet::from_sources(
        DEFAULT_PACK
            .iter()
            .map(|(name, text)| SourceFile::new(*name, *text)),
    )
}
