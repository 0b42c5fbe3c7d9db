//! How files are linted: limits, the waiver clock, strict mode, dbt project enforcement.

use super::waivers::WaiverClock;
use crate::contract::Format;
use crate::document::Limits;
use crate::finding::Severity;

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
    conformance: Conformance,
    allow_urls: bool,
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

    /// How conformance findings (`schema-violation`, `unknown-version`) are reported.
    #[must_use]
    pub fn with_conformance(mut self, conformance: Conformance) -> Self {
        self.conformance = conformance;
        self
    }

    /// Accepts references to URLs unread (`[references] allow-urls`): they are not reported
    /// as `external-ref`. Nothing is ever fetched.
    #[must_use]
    pub fn with_allow_urls(mut self, allow: bool) -> Self {
        self.allow_urls = allow;
        self
    }

    /// Whether references to URLs are accepted unread.
    #[must_use]
    pub fn allow_urls(&self) -> bool {
        self.allow_urls
    }

    /// The conformance settings.
    #[must_use]
    pub fn conformance(&self) -> Conformance {
        self.conformance
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

/// How the conformance findings of a run are reported (`[conformance]` in governance.toml):
/// per standard a severity or off, and whether keys a standard does not allow are reported.
/// In strict mode conformance findings are errors whatever these settings say.
///
/// ```
/// use governance_core::{Conformance, Format, Severity};
/// let conformance = Conformance::default()
///     .with_severity(Format::Dcs, Some(Severity::Warning))
///     .with_severity(Format::OdcsV2, None)
///     .allowing_unknown_keys(true);
/// assert_eq!(conformance.severity(Format::Dcs, false), Some(Severity::Warning));
/// assert_eq!(conformance.severity(Format::OdcsV2, false), None);
/// assert_eq!(conformance.severity(Format::OdcsV2, true), Some(Severity::Error));
/// assert!(conformance.allows_unknown_keys());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Conformance {
    levels: [Level; Format::ALL.len()],
    allow_unknown_keys: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Level {
    #[default]
    Default,
    Off,
    At(Severity),
}

impl Conformance {
    /// The severity of conformance findings on contracts of `format`; `None` switches them
    /// off.
    #[must_use]
    pub fn with_severity(mut self, format: Format, severity: Option<Severity>) -> Self {
        if let Some(index) = Format::ALL.iter().position(|f| *f == format) {
            if let Some(level) = self.levels.get_mut(index) {
                *level = severity.map_or(Level::Off, Level::At);
            }
        }
        self
    }

    /// Whether keys the standard does not allow are left unreported (extensions written
    /// outside `customProperties`).
    #[must_use]
    pub fn allowing_unknown_keys(mut self, allow: bool) -> Self {
        self.allow_unknown_keys = allow;
        self
    }

    /// The severity conformance findings on `format` get (`None`: switched off). In strict
    /// mode they are errors, whatever the settings.
    #[must_use]
    pub fn severity(&self, format: Format, strict: bool) -> Option<Severity> {
        if strict {
            return Some(Severity::Error);
        }
        let level = Format::ALL
            .iter()
            .position(|f| *f == format)
            .and_then(|index| self.levels.get(index))
            .copied()
            .unwrap_or_default();
        match level {
            Level::Default => Some(Severity::Error),
            Level::Off => None,
            Level::At(severity) => Some(severity),
        }
    }

    /// Whether unknown keys are left unreported.
    #[must_use]
    pub fn allows_unknown_keys(&self) -> bool {
        self.allow_unknown_keys
    }
}
