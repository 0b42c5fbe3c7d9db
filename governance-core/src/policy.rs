//! Policies: parsing policy files into rules, and the [`PolicySet`] that evaluates them.

pub(crate) mod ast;
pub(crate) mod changes;
mod check;
mod configure;
mod error;
pub(crate) mod formats;
mod parser;
pub(crate) mod quantity;
pub(crate) mod scope;

use std::sync::Arc;

use crate::finding::Severity;
use crate::source::{Position, SourceFile, SourceRef};
use crate::suggest::did_you_mean;

pub use check::PolicyWarning;
pub use configure::{ConfigureError, RuleSetting};
pub use error::{PolicyError, PolicyErrorKind, PolicyErrors};

/// Which pack a policy file belongs to: the global rules, or one domain's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Pack {
    /// Applies to every contract (unless its file has a `scope` line): `global/`, or anywhere
    /// outside `domains/` in a policies directory.
    #[default]
    Global,
    /// Applies to that domain's contracts only (`domains/<domain>/`), compared ignoring case.
    Domain(String),
}

/// A set of rules, compiled and checked, ready for an [`Engine`](crate::Engine) to evaluate.
///
/// ```
/// use governance_core::{Contract, Engine, PolicySet};
/// let policies = PolicySet::parse("pii.policy", "rule pii { fields named email must be encrypted }")?;
/// assert_eq!(policies.len(), 1);
/// let contract = Contract::parse("orders.yaml", "data_product: orders\nschema:\n  - name: email\n    encrypted: false\n")?;
/// let findings = Engine::new(policies).evaluate(&contract);
/// assert_eq!(findings.len(), 1);
/// assert_eq!(findings[0].message(), "field `email` is not encrypted");
/// assert_eq!(findings[0].location().start.line, 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    rules: Vec<ast::Rule>,
    raises: Vec<ast::Raise>,
    warnings: Vec<PolicyWarning>,
    /// Warnings about whole files (a file with no rule), kept across re-checks.
    file_warnings: Vec<PolicyWarning>,
    /// Custom names declared on purpose (`custom names ...` lines, and
    /// [`PolicySet::declare_custom_names`]).
    custom: Vec<String>,
    /// `mandatory RULE` lines.
    mandatory: Vec<ast::Mandatory>,
    /// Whether the built-in change rules are in the set.
    builtin_changes: bool,
}

/// The categories of change rules, as `category` and `[breaking] use` name them.
pub const CHANGE_CATEGORIES: [&str; 5] = ["schema", "governance", "sla", "interface", "version"];

impl PolicySet {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one policy file's text.
    ///
    /// # Errors
    /// Every syntax error, unknown severity, bad regex, unknown format and duplicate rule id.
    pub fn parse(name: impl Into<String>, text: impl Into<String>) -> Result<Self, PolicyErrors> {
        Self::from_sources([SourceFile::new(name, text)])
    }

    /// Parses several policy files as one set of global rules; rule ids must be unique across
    /// them.
    ///
    /// # Errors
    /// All errors of all files, in file order.
    pub fn from_sources(
        sources: impl IntoIterator<Item = SourceFile>,
    ) -> Result<Self, PolicyErrors> {
        Self::from_packs(sources.into_iter().map(|s| (s, Pack::Global)))
    }

    /// Parses policy files into one set, each file in its pack: the global rules, or a
    /// domain's (whose rules only apply to that domain's contracts, and which may only
    /// `raise` global rules). Global files should come first, so that a domain pack redefining
    /// a global rule is reported as such. Nothing is read from disk: an embedding tool can
    /// build a federated set from any source.
    ///
    /// ```
    /// use governance_core::{Pack, PolicySet, SourceFile};
    /// let set = PolicySet::from_packs([
    ///     (SourceFile::new("global.policy", "rule owner { contract must have owner }"), Pack::Global),
    ///     (SourceFile::new("hr.policy", "rule hr { fields tagged pii must be encrypted }"), Pack::Domain("hr".into())),
    /// ])?;
    /// assert_eq!(set.rules().map(|r| r.domain_pack()).collect::<Vec<_>>(), [None, Some("hr")]);
    /// # Ok::<(), governance_core::PolicyErrors>(())
    /// ```
    ///
    /// # Errors
    /// All errors of all files, in file order.
    pub fn from_packs(
        sources: impl IntoIterator<Item = (SourceFile, Pack)>,
    ) -> Result<Self, PolicyErrors> {
        let mut set = PolicySet::new();
        let mut errors = Vec::new();
        for (source, pack) in sources {
            if let Err(more) = set.add_to_pack(source, pack) {
                errors.extend(more);
            }
        }
        if errors.is_empty() {
            // Only on a set that parsed: a rule missing because its file failed would make
            // every `raise` of it look unknown.
            errors.extend(set.check_raises());
            errors.extend(set.apply_mandatory());
            let checked = check::check(&set.rules, &set.custom);
            errors.extend(checked.errors);
            set.warnings = set
                .file_warnings
                .iter()
                .cloned()
                .chain(checked.warnings)
                .collect();
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(PolicyErrors::new(errors))
        }
    }

    /// Adds the rules of one more (global) policy file.
    ///
    /// # Errors
    /// The file's errors; on error the set is unchanged.
    pub fn add(&mut self, source: SourceFile) -> Result<(), PolicyErrors> {
        self.add_to_pack(source, Pack::Global)
            .map_err(PolicyErrors::new)?;
        let mut errors = self.check_raises();
        errors.extend(self.apply_mandatory());
        let checked = check::check(&self.rules, &self.custom);
        errors.extend(checked.errors);
        self.warnings = self
            .file_warnings
            .iter()
            .cloned()
            .chain(checked.warnings)
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(PolicyErrors::new(errors))
        }
    }

    fn add_to_pack(&mut self, source: SourceFile, pack: Pack) -> Result<(), Vec<PolicyError>> {
        let source = Arc::new(source);
        let mut file = parser::parse(&source)?;
        if file.rules.is_empty() && file.raises.is_empty() {
            self.file_warnings.push(PolicyWarning {
                message: format!("policy file `{}` holds no rule", source.name()),
                code: "policy::empty_file",
                span: crate::source::Span::empty(0),
                label: "no rule in this file".to_owned(),
                help: Some("an empty or comment-only policy file checks nothing; write a rule or remove the file".to_owned()),
                src: source.clone(),
            });
        }
        let mut errors = Vec::new();
        if let Pack::Domain(domain) = &pack {
            if file.scope.iter().any(|s| !s.eq_ignore_ascii_case(domain)) {
                errors.push(PolicyError::new(
                    PolicyErrorKind::ScopeOutsidePack {
                        domain: domain.clone(),
                    },
                    source.clone(),
                    file.scope_span.unwrap_or_default(),
                ));
            }
            for rule in &mut file.rules {
                rule.scope = vec![domain.clone()];
                rule.pack = pack.clone();
            }
            for raise in &mut file.raises {
                raise.scope = vec![domain.clone()];
            }
            for mandatory in &mut file.mandatory {
                mandatory.scoped = true;
            }
        }
        for (index, rule) in file.rules.iter().enumerate() {
            let earlier = self
                .rules
                .iter()
                .chain(file.rules.get(..index).unwrap_or(&[]))
                .find(|other| other.id == rule.id);
            let Some(first) = earlier else { continue };
            let first_at = first.source.at(first.id_span.start()).to_string();
            errors.push(match (&first.pack, &rule.pack) {
                (Pack::Global, Pack::Domain(domain)) => PolicyError::new(
                    PolicyErrorKind::RedefinesGlobal {
                        id: rule.id.to_string(),
                        domain: domain.clone(),
                        first: first_at,
                    },
                    source.clone(),
                    rule.id_span,
                ),
                _ => PolicyError::new(
                    PolicyErrorKind::DuplicateRule {
                        id: rule.id.to_string(),
                        first: first_at,
                    },
                    source.clone(),
                    rule.id_span,
                ),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.rules.extend(file.rules);
        self.raises.extend(file.raises);
        self.mandatory.extend(file.mandatory);
        self.custom
            .extend(file.custom.into_iter().map(|path| path.text));
        Ok(())
    }

    /// Whether `id` names a built-in change rule that this set does not hold (it is checked
    /// when `breaking` loads the pack).
    fn deferred(&self, id: &str) -> bool {
        !self.builtin_changes && changes::is_builtin(id)
    }

    /// `mandatory RULE` lines: each names a rule (it becomes mandatory) and is in a global file.
    fn apply_mandatory(&mut self) -> Vec<PolicyError> {
        let mut errors = Vec::new();
        for line in &self.mandatory {
            if line.scoped {
                errors.push(PolicyError::new(
                    PolicyErrorKind::MandatoryOutsideGlobal {
                        id: line.rule.clone(),
                    },
                    line.source.clone(),
                    line.rule_span,
                ));
                continue;
            }
            match self.rules.iter_mut().find(|r| *r.id == line.rule) {
                Some(rule) => {
                    rule.mandatory = true;
                    rule.mandatory_at = Some(line.source.at(line.rule_span.start()).to_string());
                }
                None if !self.builtin_changes && changes::is_builtin(&line.rule) => {}
                None => errors.push(PolicyError::new(
                    PolicyErrorKind::UnknownRule {
                        keyword: "mandatory",
                        id: line.rule.clone(),
                        help: did_you_mean(
                            &line.rule,
                            self.rules
                                .iter()
                                .map(|r| &*r.id)
                                .chain(changes::ids().iter().map(String::as_str)),
                        ),
                    },
                    line.source.clone(),
                    line.rule_span,
                )),
            }
        }
        errors
    }

    /// Adds the built-in change rules (`builtin:breaking.policy`), as `governance-lint
    /// breaking` does; `raise` and `mandatory` lines that name them are checked now. Adding
    /// them twice adds nothing.
    ///
    /// ```
    /// use governance_core::PolicySet;
    /// let mut set = PolicySet::parse("p.policy", "rule owner { contract must have owner }")?;
    /// set.add_builtin_changes()?;
    /// let field_removed = set.rules().find(|r| r.id() == "field-removed");
    /// assert_eq!(field_removed.and_then(|r| r.category()), Some("schema"));
    /// # Ok::<(), governance_core::PolicyErrors>(())
    /// ```
    ///
    /// # Errors
    /// A rule of the set has the id of a built-in change rule, or a `raise` of one does not
    /// raise it.
    pub fn add_builtin_changes(&mut self) -> Result<(), PolicyErrors> {
        if self.builtin_changes {
            return Ok(());
        }
        self.builtin_changes = true;
        let added = self.add(SourceFile::new(changes::NAME, changes::TEXT));
        if added.is_err() && !self.rules.iter().any(|r| r.source.name() == changes::NAME) {
            self.builtin_changes = false;
        }
        added
    }

    /// Whether the built-in change rules are in the set.
    #[must_use]
    pub fn has_builtin_changes(&self) -> bool {
        self.builtin_changes
    }

    /// The ids of the built-in change rules (whether or not the set holds them).
    pub fn builtin_change_ids() -> impl Iterator<Item = &'static str> {
        changes::ids().iter().map(String::as_str)
    }

    /// Every `raise` names a rule and makes it stricter.
    fn check_raises(&self) -> Vec<PolicyError> {
        let mut errors = Vec::new();
        for raise in &self.raises {
            match self.rules.iter().find(|r| *r.id == raise.rule) {
                None if self.deferred(&raise.rule) => {}
                None => errors.push(PolicyError::new(
                    PolicyErrorKind::UnknownRule {
                        keyword: "raise",
                        id: raise.rule.clone(),
                        help: did_you_mean(
                            &raise.rule,
                            self.rules
                                .iter()
                                .map(|r| &*r.id)
                                .chain(changes::ids().iter().map(String::as_str)),
                        ),
                    },
                    raise.source.clone(),
                    raise.rule_span,
                )),
                Some(rule) if raise.severity <= rule.severity => {
                    errors.push(PolicyError::new(
                        PolicyErrorKind::NotARaise {
                            id: raise.rule.clone(),
                            current: rule.severity.to_string(),
                            defined_at: rule.source.at(rule.id_span.start()).to_string(),
                        },
                        raise.source.clone(),
                        raise.rule_span,
                    ));
                }
                Some(_) => {}
            }
        }
        errors
    }

    /// Declares custom names the policies rely on (`custom-names` in governance.toml, say):
    /// raw paths such as `x-hr.legal-basis` that are not canonical names, on purpose. The
    /// static checks no longer warn about them, so `check-policies --strict` accepts them,
    /// while a near-miss of a canonical name (`ownr`) is still an error. A declared `x-hr`
    /// covers `x-hr.legal-basis`.
    ///
    /// ```
    /// use governance_core::PolicySet;
    /// let mut set = PolicySet::parse("p.policy", "rule basis { contract must have x-hr.legal-basis }")?;
    /// assert_eq!(set.warnings().len(), 1);
    /// set.declare_custom_names(["x-hr"]);
    /// assert!(set.warnings().is_empty());
    /// # Ok::<(), governance_core::PolicyErrors>(())
    /// ```
    pub fn declare_custom_names<S: Into<String>>(&mut self, names: impl IntoIterator<Item = S>) {
        self.custom.extend(names.into_iter().map(Into::into));
        let checked = check::check(&self.rules, &self.custom);
        self.warnings = self
            .file_warnings
            .iter()
            .cloned()
            .chain(checked.warnings)
            .collect();
    }

    /// Doubtful things the static checks found (custom names, regexes that never match,
    /// conditions that are never true, identical rules): worth showing, never blocking.
    #[must_use]
    pub fn warnings(&self) -> &[PolicyWarning] {
        &self.warnings
    }

    /// How many rules.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules, in the order they were read.
    pub fn rules(&self) -> impl Iterator<Item = RuleInfo<'_>> {
        self.rules.iter().map(|rule| RuleInfo { rule })
    }

    /// The compiled rules and `raise` lines, for the engine.
    pub(crate) fn parts(&self) -> (&[ast::Rule], &[ast::Raise]) {
        (&self.rules, &self.raises)
    }

    /// Every `raise` of rule `id`, in the order read.
    #[must_use]
    pub fn raises_of(&self, id: &str) -> Vec<RaiseInfo> {
        self.raises
            .iter()
            .filter(|r| r.rule == id)
            .map(|r| RaiseInfo {
                severity: r.severity,
                scope: r.scope.clone(),
                at: r.source.at(r.rule_span.start()).to_string(),
            })
            .collect()
    }
}

/// A `raise` of a rule: which severity, for which domains, where written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RaiseInfo {
    /// The severity it raises the rule to.
    pub severity: Severity,
    /// The domains it applies to (a domain pack's own domain; empty: every contract).
    pub scope: Vec<String>,
    /// `file:line:column` of the `raise` line.
    pub at: String,
}

/// A read-only view of one rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo<'a> {
    rule: &'a ast::Rule,
}

impl<'a> RuleInfo<'a> {
    pub(crate) fn of(rule: &'a ast::Rule) -> Self {
        Self { rule }
    }

    /// The rule id.
    #[must_use]
    pub fn id(&self) -> &'a str {
        &self.rule.id
    }

    /// The rule id, shared (cheap to clone).
    pub(crate) fn shared_id(&self) -> Arc<str> {
        Arc::clone(&self.rule.id)
    }

    /// The severity of its findings.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.rule.severity
    }

    /// What the rule is for.
    #[must_use]
    pub fn description(&self) -> Option<&'a str> {
        self.rule.description.as_deref()
    }

    /// How to fix its findings.
    #[must_use]
    pub fn help(&self) -> Option<&'a str> {
        self.rule.help.as_deref()
    }

    /// Its `example "..."` lines.
    #[must_use]
    pub fn examples(&self) -> &'a [String] {
        &self.rule.examples
    }

    /// Its `docs "https://..."` URL: where the rule is documented (SARIF's `helpUri`).
    #[must_use]
    pub fn docs(&self) -> Option<&'a str> {
        self.rule.docs.as_deref()
    }

    /// Whether it is marked `mandatory`.
    #[must_use]
    pub fn mandatory(&self) -> bool {
        self.rule.mandatory
    }

    /// Whether it is evaluated (configuration may switch it off).
    #[must_use]
    pub fn enabled(&self) -> bool {
        self.rule.enabled
    }

    /// Whether it is a change rule: it compares two versions of a contract, and only
    /// `breaking` evaluates it (`check` never does).
    #[must_use]
    pub fn is_change(&self) -> bool {
        self.rule.change
    }

    /// A change rule's category (`schema`, `governance`, `sla`, `interface`, `version`).
    #[must_use]
    pub fn category(&self) -> Option<&'static str> {
        self.rule.category.map(ast::Category::as_str)
    }

    /// Whether it is one of the built-in change rules.
    #[must_use]
    pub fn is_builtin(&self) -> bool {
        self.rule.source.name() == changes::NAME
    }

    /// The domain pack it belongs to (`domains/<domain>/`), if any.
    #[must_use]
    pub fn domain_pack(&self) -> Option<&'a str> {
        match &self.rule.pack {
            Pack::Domain(domain) => Some(domain),
            Pack::Global => None,
        }
    }

    /// The domains its file is scoped to (empty: all contracts).
    #[must_use]
    pub fn scope(&self) -> &'a [String] {
        &self.rule.scope
    }

    /// The policy file that defines it.
    #[must_use]
    pub fn file(&self) -> &'a SourceFile {
        &self.rule.source
    }

    /// Where its id is written.
    #[must_use]
    pub fn position(&self) -> Position {
        self.rule.source.position(self.rule.id_span.start())
    }

    /// Where its id is written, with the file: `policies/pii.policy:3:6`.
    #[must_use]
    pub fn defined_at(&self) -> SourceRef {
        self.rule.source.at(self.rule.id_span.start())
    }

    /// The rule's source text, `rule id { ... }`.
    #[must_use]
    pub fn text(&self) -> &'a str {
        self.rule.source.slice(self.rule.span)
    }
}
