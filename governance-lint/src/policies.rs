//! Loading the policies chosen by [`crate::settings::policies`], and the default pack.

use governance_core::{PolicyErrors, PolicySet, SourceFile};

use crate::settings::PolicySource;

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
