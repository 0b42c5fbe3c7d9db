//! How files are linted: limits, the waiver clock, strict mode, dbt project enforcement.

use super::waivers::WaiverClock;
use crate::document::Limits;

/// How files are linted: resource limits, the date waivers are judged by, strict mode.
///
/// ```
/// use governance_core::{Date, LintOptions, WaiverClock};
/// let today: Date = "2026-11-25".parse()?;
/// let options = LintOptions::default()
///     .with_clock(WaiverClock::on(today))
///     .with_strict(true);
/// assert!(options.strict());
/// # Ok::<(), governance_core::BadDate>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LintOptions {
    limits: Limits,
    clock: WaiverClock,
    strict: bool,
    dbt_enforced: bool,
}

impl LintOptions {
    /// The limits a file must keep to.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The date (and warning window) waivers are judged by.
    #[must_use]
    pub fn with_clock(mut self, clock: WaiverClock) -> Self {
        self.clock = clock;
        self
    }

    /// Strict mode: every "could not read, not recognised, nothing read" warning of a
    /// built-in rule is an error, and a waiver must name what it covers.
    #[must_use]
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The file lies in a folder for which `dbt_project.yml` sets `+contract: {enforced:
    /// true}`: its dbt models are contracts unless they switch enforcement off themselves.
    #[must_use]
    pub fn with_dbt_enforced(mut self, enforced: bool) -> Self {
        self.dbt_enforced = enforced;
        self
    }

    /// The limits.
    #[must_use]
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The waiver clock.
    #[must_use]
    pub fn clock(&self) -> WaiverClock {
        self.clock
    }

    /// Whether strict mode is on.
    #[must_use]
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// Whether a dbt project enforces the file's model contracts.
    #[must_use]
    pub fn dbt_enforced(&self) -> bool {
        self.dbt_enforced
    }
}
