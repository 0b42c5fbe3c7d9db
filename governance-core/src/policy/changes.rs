//! The built-in change rules (`governance-core/policies/breaking.policy`): written in the
//! policy language, compiled into the library, added to a policy set by
//! [`PolicySet::add_builtin_changes`](super::PolicySet::add_builtin_changes) for
//! `governance-lint breaking`.
//!
//! A run that does not load them (`check`) still knows their ids, so that a `[rules]` setting,
//! a `raise`, a `mandatory` line or a waiver that names one is not reported as unknown there.

use std::sync::LazyLock;

use crate::source::SourceFile;

/// The name the pack's rules are defined in (`explain` shows it).
pub(crate) const NAME: &str = "builtin:breaking.policy";

/// The pack's text.
pub(crate) const TEXT: &str = include_str!("../../policies/breaking.policy");

/// The ids of the built-in change rules, in the pack's order.
static IDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let source = std::sync::Arc::new(SourceFile::new(NAME, TEXT));
    super::parser::parse(&source)
        .map(|file| file.rules.iter().map(|r| r.id.to_string()).collect())
        .unwrap_or_default()
});

/// Whether `id` is a built-in change rule.
pub(crate) fn is_builtin(id: &str) -> bool {
    IDS.iter().any(|known| known == id)
}

/// The ids of the built-in change rules.
pub(crate) fn ids() -> &'static [String] {
    &IDS
}
