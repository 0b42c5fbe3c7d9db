//! A new contract that passes the active policies as it stands
//! ([`Engine::scaffold`](crate::Engine::scaffold)): the skeleton `governance-lint new` writes.
//!
//! The rules that apply to the new contract's domain are read ([`plan`]): the keys they ask
//! for, the strictest `at least` / `at most` bounds, the patterns a value must match, the
//! fields that must exist and the attributes they must have. The skeleton is written
//! ([`write`]) with `TODO` comments where a person must decide, then linted by the same
//! engine: what still fails is returned, never hidden, and the caller writes nothing then.

mod plan;
mod write;

use crate::engine::{Engine, LintOptions};
use crate::finding::{Finding, Severity};
use crate::source::SourceFile;

/// Which standard the new contract follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScaffoldStandard {
    /// The shapes of the data-mesh article (`data_product`, `schema`, `sla`).
    Seed,
    /// Open Data Contract Standard v3.1.0.
    Odcs,
}

/// What to scaffold.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewContract {
    /// The domain (`logistics`).
    pub domain: String,
    /// The data product's name (`shipment_tracking`).
    pub name: String,
    /// The owner's address; default `<domain>-team@company.com`, marked `TODO`.
    pub owner: Option<String>,
    /// The standard to write.
    pub standard: ScaffoldStandard,
    /// The file name the contract will have (findings name it; the standard is told by it).
    pub file: String,
}

impl NewContract {
    /// A request for `name` in `domain`, written as `standard` to `file`.
    #[must_use]
    pub fn new(
        domain: impl Into<String>,
        name: impl Into<String>,
        standard: ScaffoldStandard,
        file: impl Into<String>,
    ) -> Self {
        Self {
            domain: domain.into(),
            name: name.into(),
            owner: None,
            standard,
            file: file.into(),
        }
    }

    /// The owner's address.
    #[must_use]
    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }
}

/// A scaffolded contract.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Scaffold {
    /// The contract, as YAML, with `TODO` comments.
    pub yaml: String,
    /// How many rules apply to it (enabled, in scope for its domain).
    pub rules: usize,
    /// What the engine still finds in it, at warning or above: empty when it passes.
    pub findings: Vec<Finding>,
}

impl Engine {
    /// A new contract for `request` that passes this engine's policies, or the findings that
    /// keep it from passing (a rule asking for something that cannot be guessed, such as a
    /// regex on a free-text key).
    ///
    /// ```
    /// use governance_core::{Engine, NewContract, PolicySet, ScaffoldStandard};
    /// let policies = PolicySet::parse("p.policy", "rule a { sla.availability must be at least 99.95% }\nrule b { contract must have domain, owner, x-team.slack }")?;
    /// let engine = Engine::new(policies);
    /// let new = engine.scaffold(&NewContract::new("logistics", "shipments", ScaffoldStandard::Seed, "shipments.yaml"));
    /// assert!(new.findings.is_empty(), "{:?}", new.findings);
    /// assert!(new.yaml.contains("availability: \"99.95%\""));
    /// assert!(new.yaml.contains("slack: TODO"));
    /// # Ok::<(), governance_core::PolicyErrors>(())
    /// ```
    #[must_use]
    pub fn scaffold(&self, request: &NewContract) -> Scaffold {
        let plan = plan::plan(self.policies(), request);
        let yaml = write::write(&plan, request);
        let source = SourceFile::new(request.file.clone(), yaml.clone());
        let options: LintOptions = *self.options();
        let report = self.lint_with(source, &options);
        let findings = report
            .findings()
            .iter()
            .filter(|f| f.severity() >= Severity::Warning)
            .cloned()
            .collect();
        Scaffold {
            yaml,
            rules: plan.rules,
            findings,
        }
    }
}
