//! Policies: parsing policy files into rules, and the [`PolicySet`] that evaluates them.

pub(crate) mod ast;
mod check;
mod configure;
mod error;
mod explain;
pub(crate) mod formats;
mod parser;
pub(crate) mod quantity;
pub(crate) mod scope;

use std::path::Path;
use std::sync::Arc;

use crate::contract::Contract;
use crate::finding::{Finding, Severity};
use crate::lint::LintOptions;
use crate::source::{Position, SourceFile};
use crate::suggest::did_you_mean;

pub use check::PolicyWarning;
pub use configure::{ConfigureError, RuleSetting};
pub use error::{PolicyError, PolicyErrors};
pub use explain::{Applicability, RaiseInfo};

/// A set of rules, ready to evaluate against contracts.
///
/// ```
/// use governance_core::{Contract, PolicySet};
/// let policies = PolicySet::parse("pii.policy", "rule pii { fields named email must be encrypted }")?;
/// let contract = Contract::parse("orders.yaml", "data_product: orders\nschema:\n  - name: email\n    encrypted: false\n")?;
/// let findings = policies.evaluate(&contract);
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
}

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
        Self::from_packs(sources.into_iter().map(|s| (s, ast::Pack::Global)))
    }

    fn from_packs(
        sources: impl IntoIterator<Item = (SourceFile, ast::Pack)>,
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
            let checked = check::check(&set.rules);
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

    /// Reads a policy file, or every `*.policy` file below a directory (in path order).
    ///
    /// In a directory, files under `domains/<domain>/` form that domain's pack: their rules apply
    /// only to contracts whose domain is `<domain>` (ignoring case). Everything else (by
    /// convention `global/`) applies to every contract.
    ///
    /// # Errors
    /// Unreadable files and every error in the policies.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, PolicyErrors> {
        Self::load_all([path])
    }

    /// Reads several policy files and directories as one set (see [`PolicySet::load`]).
    ///
    /// # Errors
    /// Unreadable files and every error in the policies.
    pub fn load_all<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
    ) -> Result<Self, PolicyErrors> {
        let mut files = Vec::new();
        for root in paths {
            let root = root.as_ref();
            let mut found = Vec::new();
            collect_policy_files(root, &mut found)?;
            if found.is_empty() {
                // An empty or misnamed policies directory must not pass silently.
                return Err(PolicyError::Io {
                    path: root.display().to_string(),
                    reason: "no `*.policy` files found".to_owned(),
                }
                .into());
            }
            found.sort();
            files.extend(found.into_iter().map(|file| {
                let pack = pack_of(root, &file);
                (file, pack)
            }));
        }
        // Global rules first, so that a domain pack redefining one is reported as such.
        files.sort_by_key(|(_, pack)| matches!(pack, ast::Pack::Domain(_)));
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for (file, pack) in files {
            match std::fs::read_to_string(&file) {
                Ok(text) => sources.push((SourceFile::new(file.display().to_string(), text), pack)),
                Err(error) => errors.push(PolicyError::Io {
                    path: file.display().to_string(),
                    reason: error.to_string(),
                }),
            }
        }
        match PolicySet::from_packs(sources) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(PolicyErrors::new(errors)),
            Err(more) => {
                errors.extend(more);
                Err(PolicyErrors::new(errors))
            }
        }
    }

    /// Adds the rules of one more (global) policy file.
    ///
    /// # Errors
    /// The file's errors; on error the set is unchanged.
    pub fn add(&mut self, source: SourceFile) -> Result<(), PolicyErrors> {
        self.add_to_pack(source, ast::Pack::Global)
            .map_err(PolicyErrors::new)?;
        let mut errors = self.check_raises();
        let checked = check::check(&self.rules);
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

    fn add_to_pack(&mut self, source: SourceFile, pack: ast::Pack) -> Result<(), Vec<PolicyError>> {
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
        if let ast::Pack::Domain(domain) = &pack {
            if file.scope.iter().any(|s| !s.eq_ignore_ascii_case(domain)) {
                errors.push(PolicyError::ScopeOutsidePack {
                    domain: domain.clone(),
                    span: file.scope_span.unwrap_or_default(),
                    src: source.clone(),
                });
            }
            for rule in &mut file.rules {
                rule.scope = vec![domain.clone()];
                rule.pack = pack.clone();
            }
            for raise in &mut file.raises {
                raise.scope = vec![domain.clone()];
            }
        }
        for (index, rule) in file.rules.iter().enumerate() {
            let earlier = self
                .rules
                .iter()
                .chain(file.rules.get(..index).unwrap_or(&[]))
                .find(|other| other.id == rule.id);
            let Some(first) = earlier else { continue };
            let at = first.source.position(first.id_span.start());
            let first_at = format!("{}:{}:{}", first.source.name(), at.line, at.column);
            errors.push(match (&first.pack, &rule.pack) {
                (ast::Pack::Global, ast::Pack::Domain(domain)) => PolicyError::RedefinesGlobal {
                    id: rule.id.to_string(),
                    domain: domain.clone(),
                    span: rule.id_span,
                    first: first_at,
                    src: source.clone(),
                },
                _ => PolicyError::DuplicateRule {
                    id: rule.id.to_string(),
                    span: rule.id_span,
                    first: first_at,
                    src: source.clone(),
                },
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.rules.extend(file.rules);
        self.raises.extend(file.raises);
        Ok(())
    }

    /// Every `raise` names a rule and makes it stricter.
    fn check_raises(&self) -> Vec<PolicyError> {
        let mut errors = Vec::new();
        for raise in &self.raises {
            match self.rules.iter().find(|r| *r.id == raise.rule) {
                None => errors.push(PolicyError::UnknownRule {
                    id: raise.rule.clone(),
                    span: raise.rule_span,
                    help: did_you_mean(&raise.rule, self.rules.iter().map(|r| &*r.id)),
                    src: raise.source.clone(),
                }),
                Some(rule) if raise.severity <= rule.severity => {
                    let at = rule.source.position(rule.id_span.start());
                    errors.push(PolicyError::NotARaise {
                        id: raise.rule.clone(),
                        current: rule.severity.to_string(),
                        defined_at: format!("{}:{}:{}", rule.source.name(), at.line, at.column),
                        span: raise.rule_span,
                        src: raise.source.clone(),
                    });
                }
                Some(_) => {}
            }
        }
        errors
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

    /// Every finding of every rule on `contract`, in position order, with the contract's
    /// waivers applied as of today. Problems found while loading (duplicate keys, content its
    /// reader did not read) are included.
    #[must_use]
    pub fn evaluate(&self, contract: &Contract) -> Vec<Finding> {
        self.evaluate_with(contract, &LintOptions::default())
    }

    /// Like [`PolicySet::evaluate`], with `options`: the waiver clock (a fixed date makes runs
    /// reproducible) and strict mode.
    #[must_use]
    pub fn evaluate_with(&self, contract: &Contract, options: &LintOptions) -> Vec<Finding> {
        let mut findings = crate::lint::load_findings(contract, options.strict());
        crate::eval::evaluate(&self.rules, &self.raises, contract, &mut findings);
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        // Two statements of one rule may flag the same thing (`fields named email` and
        // `fields tagged pii` on a tagged email field): report it once.
        findings.dedup_by(|a, b| a.order_key() == b.order_key());
        crate::eval::waivers::apply(&self.rules, contract, options, &mut findings);
        findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        findings
    }
}

/// A read-only view of one rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo<'a> {
    rule: &'a ast::Rule,
}

impl<'a> RuleInfo<'a> {
    /// The rule id.
    #[must_use]
    pub fn id(&self) -> &'a str {
        &self.rule.id
    }

    /// The rule id, shared (cheap to clone).
    #[must_use]
    pub fn shared_id(&self) -> Arc<str> {
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

    /// The domain pack it belongs to (`domains/<domain>/`), if any.
    #[must_use]
    pub fn domain_pack(&self) -> Option<&'a str> {
        match &self.rule.pack {
            ast::Pack::Domain(domain) => Some(domain),
            ast::Pack::Global => None,
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

    /// The rule's source text, `rule id { ... }`.
    #[must_use]
    pub fn text(&self) -> &'a str {
        self.rule.source.slice(self.rule.span)
    }
}

/// The pack of `file` found below `root`: `domains/<domain>/...` is that domain's pack.
fn pack_of(root: &Path, file: &Path) -> ast::Pack {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(first), Some(domain), Some(_)) if first == "domains" => {
            ast::Pack::Domain(domain.into_owned())
        }
        _ => ast::Pack::Global,
    }
}

fn collect_policy_files(path: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), PolicyError> {
    let io = |error: std::io::Error| PolicyError::Io {
        path: path.display().to_string(),
        reason: error.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?;
        let child = entry.path();
        // Symlinked directories are not followed, so a link loop cannot trap the walk.
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            collect_policy_files(&child, out)?;
        } else if child.extension().is_some_and(|e| e == "policy") {
            out.push(child);
        }
    }
    Ok(())
}
