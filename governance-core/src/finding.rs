//! Findings: what a policy (or the loader) reports about a contract, as miette diagnostics.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::source::{Location, SourceFile, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails a run unless asked to.
    Info,
    /// Should be fixed.
    Warning,
    /// Must be fixed: fails the run by default.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not `error`, `warning` or `info`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity `{0}`")]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;

    /// ```
    /// # use governance_core::Severity;
    /// assert_eq!("warning".parse::<Severity>(), Ok(Severity::Warning));
    /// assert!("fatal".parse::<Severity>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            other => Err(UnknownSeverity(other.to_owned())),
        }
    }
}

impl From<Severity> for miette::Severity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        }
    }
}

/// One problem in one contract file: which rule, how serious, what and exactly where.
///
/// A `Finding` is a [`miette::Diagnostic`] carrying its source file, so any miette handler
/// renders it with the offending line underlined.
#[derive(Debug, Clone)]
pub struct Finding {
    pub(crate) rule: Arc<str>,
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) label: Option<String>,
    pub(crate) help: Option<Arc<str>>,
    pub(crate) span: Span,
    pub(crate) file: Arc<SourceFile>,
    /// What it is about (`orders.email`, `sla.availability`), for waivers.
    pub(crate) target: Option<String>,
    pub(crate) suppression: Option<Suppression>,
    /// Whether its rule is `mandatory`: no configuration may let it pass.
    pub(crate) mandatory: bool,
    /// Kept by [`Finding::detach`]: the position and text it had in its file.
    pub(crate) detached: Option<Box<Detached>>,
    /// For a change rule: where the changed thing was in the previous version.
    pub(crate) previous: Option<Box<Previous>>,
    /// For a change rule: the attribute it is about (`type`, `encrypted`), to tell which
    /// change of a changelog it flags.
    pub(crate) attribute: Option<String>,
    /// Which file of its contract it is in: 0 for the contract's own file, then the files it
    /// refers to, in the order they were read (findings sort by file first).
    pub(crate) part: u32,
}

/// Where the thing a change finding is about was in the previous version of the contract: its
/// file (named as the run names it, `main:contracts/orders.yaml`), position and text.
///
/// As a [`miette::Diagnostic`] it shows the previous text underlined, so a handler renders
/// both sides: [`Finding`]'s `related()` returns it.
#[derive(Debug, Clone)]
pub struct Previous {
    file: Arc<SourceFile>,
    span: Span,
    label: String,
    detached: Option<Box<Detached>>,
}

impl Previous {
    pub(crate) fn new(file: Arc<SourceFile>, span: Span, label: impl Into<String>) -> Self {
        Self {
            file,
            span,
            label: label.into(),
            detached: None,
        }
    }

    /// The previous version's file name (`main:contracts/orders.yaml`).
    #[must_use]
    pub fn file(&self) -> &str {
        self.file.name()
    }

    /// The previous version's file (its name only, once detached).
    #[must_use]
    pub fn source(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// The bytes it points at in the previous version.
    #[must_use]
    pub fn span(&self) -> Span {
        self.span
    }

    /// Line and column in the previous version.
    #[must_use]
    pub fn location(&self) -> Location {
        match &self.detached {
            Some(detached) => detached.location,
            None => self.file.location(self.span),
        }
    }

    /// The text it points at (at most 256 bytes of it once detached).
    #[must_use]
    pub fn snippet(&self) -> &str {
        match &self.detached {
            Some(detached) => &detached.snippet,
            None => self.file.slice(self.span),
        }
    }

    /// The text under the underline (`before`).
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The same previous location in another file of the same text (one made safe to show).
    #[must_use]
    pub fn in_file(&self, file: Arc<SourceFile>) -> Previous {
        Previous {
            file,
            span: self.span,
            label: self.label.clone(),
            detached: self.detached.clone(),
        }
    }

    fn detach(&mut self) {
        if self.detached.is_none() {
            self.detached = Some(Box::new(Detached::of(&self.file, self.span)));
            self.file = Arc::new(SourceFile::new(self.file.name(), ""));
        }
    }
}

impl fmt::Display for Previous {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "previously, in {}", self.file.name())
    }
}

impl std::error::Error for Previous {}

impl miette::Diagnostic for Previous {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.detached
            .is_none()
            .then_some(&*self.file as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.detached.is_none().then(|| {
            Box::new(std::iter::once(miette::LabeledSpan::new_with_span(
                Some(self.label.clone()),
                self.span,
            ))) as Box<dyn Iterator<Item = miette::LabeledSpan>>
        })
    }
}

/// What a detached finding remembers of the file it no longer holds.
#[derive(Debug, Clone)]
pub(crate) struct Detached {
    location: Location,
    snippet: Box<str>,
}

/// The most of the offending text a detached finding keeps.
const SNIPPET_BYTES: usize = 256;

impl Detached {
    fn of(file: &SourceFile, span: Span) -> Self {
        let text = file.slice(span);
        let mut cut = text.len().min(SNIPPET_BYTES);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        Detached {
            location: file.location(span),
            snippet: text.get(..cut).unwrap_or("").into(),
        }
    }
}

/// A waiver that suppresses a finding: the finding is still reported, but does not fail a run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Suppression {
    /// Why the exception was granted.
    pub reason: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// When it stops applying.
    pub expires: crate::date::Date,
    /// Where the waiver is written in the contract.
    pub span: Span,
    /// The line of [`Suppression::span`].
    pub line: usize,
}

impl Finding {
    /// A finding of `rule` at `span` of `file`.
    pub fn new(
        rule: impl Into<Arc<str>>,
        severity: Severity,
        message: impl Into<String>,
        file: Arc<SourceFile>,
        span: Span,
    ) -> Self {
        Self {
            rule: rule.into(),
            severity,
            message: message.into(),
            label: None,
            help: None,
            span,
            file,
            target: None,
            suppression: None,
            mandatory: false,
            detached: None,
            previous: None,
            attribute: None,
            part: 0,
        }
    }

    /// Adds a hint on how to fix it.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<Arc<str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same finding at another severity (a built-in rule set by `[conformance]`).
    #[must_use]
    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds a short text shown under the underlined source.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The id of the rule that produced it (`pii-encrypted`, `parse-error`...).
    #[must_use]
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// Error, warning or info.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// What is wrong, in one lowercase sentence without a final period.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How to fix it, when the rule says.
    #[must_use]
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// The file it is in.
    #[must_use]
    pub fn file(&self) -> &SourceFile {
        &self.file
    }

    /// The shared handle to the file (cheap to clone).
    #[must_use]
    pub fn source(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// The bytes it points at: the offending value, else the field or key, else the document start.
    #[must_use]
    pub fn span(&self) -> Span {
        self.span
    }

    /// Line and column of [`Finding::span`].
    #[must_use]
    pub fn location(&self) -> Location {
        match &self.detached {
            Some(detached) => detached.location,
            None => self.file.location(self.span),
        }
    }

    /// The text the finding points at (at most 256 bytes of it once detached).
    #[must_use]
    pub fn snippet(&self) -> &str {
        match &self.detached {
            Some(detached) => &detached.snippet,
            None => self.file.slice(self.span),
        }
    }

    /// Lets go of the file's text, keeping the finding's position and snippet: what machine
    /// output needs, at a fraction of the memory. `name_only` replaces the file (same name,
    /// no text); a detached finding can no longer be rendered with its source.
    pub fn detach(&mut self, name_only: &Arc<SourceFile>) {
        if self.detached.is_none() {
            self.detached = Some(Box::new(Detached::of(&self.file, self.span)));
        }
        if let Some(previous) = &mut self.previous {
            previous.detach();
        }
        // A finding in a file its contract refers to keeps that file's name.
        self.file = if self.file.name() == name_only.name() {
            Arc::clone(name_only)
        } else {
            Arc::new(SourceFile::new(self.file.name(), ""))
        };
        self.label = None;
        self.target = None;
    }

    /// Whether its rule is marked `mandatory`: such a finding fails a run whatever the
    /// configuration's `fail-on` says (only a person's explicit `--fail-on never` overrides).
    #[must_use]
    pub fn mandatory(&self) -> bool {
        self.mandatory
    }

    /// For a finding of a change rule (`governance-lint breaking`): where the thing it is about
    /// was in the previous version of the contract.
    #[must_use]
    pub fn previous(&self) -> Option<&Previous> {
        self.previous.as_deref()
    }

    /// The waiver that suppresses it, if any: a suppressed finding is reported but does not
    /// count against `--fail-on`.
    #[must_use]
    pub fn suppression(&self) -> Option<&Suppression> {
        self.suppression.as_ref()
    }

    /// What the finding is about: a field path (`orders.email`), a port name, or a contract path
    /// (`sla.availability`, `owner`).
    #[must_use]
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// Whether the finding is about `wanted`: its target is that path, or ends with `.` and
    /// that name (`email` covers `orders.email`), ignoring case. How waivers and policy tests
    /// name what they cover.
    ///
    /// ```
    /// # use governance_core::{Contract, Engine, PolicySet};
    /// let engine = Engine::new(PolicySet::parse("p.policy", "rule pii { fields named email must be encrypted }")?);
    /// let contract = Contract::parse("c.yaml", "data_product: p\nschema:\n  customer:\n    fields:\n      email: string\n")?;
    /// let finding = &engine.evaluate(&contract)[0];
    /// assert!(finding.is_about("email") && finding.is_about("Customer.Email"));
    /// assert!(!finding.is_about("mail"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_about(&self, wanted: &str) -> bool {
        self.target.as_deref().is_some_and(|target| {
            let (target, wanted) = (target.to_lowercase(), wanted.to_lowercase());
            target == wanted || target.ends_with(&format!(".{wanted}"))
        })
    }

    /// Sort key: by position, then rule, then message.
    pub(crate) fn order_key(&self) -> (u32, usize, usize, &str, &str) {
        (
            self.part,
            self.span.start(),
            self.span.end(),
            &self.rule,
            &self.message,
        )
    }
}

/// A finding as data, for embedders that write their own reports: an object with `rule`,
/// `severity` (`error`, `warning`, `info`), `message`, `help` (or null), `file`, `line`,
/// `column`, `end_line`, `end_column` (1-based; columns count characters; the end is just past
/// the last character), `target` (the field path, port or contract path it is about, or
/// null), `suppressed`, `waiver` (`reason`, `owner`, `expires`, `line`) when a waiver
/// suppresses it, and `previous` (`file`, `line`, `column`, `end_line`, `end_column`,
/// `snippet`) for a change finding.
///
/// ```
/// # use governance_core::{Contract, Engine, PolicySet};
/// let engine = Engine::new(PolicySet::parse("p.policy", "rule owner { contract must have owner }")?);
/// let contract = Contract::parse("c.yaml", "data_product: p\n")?;
/// let json = serde_json::to_value(&engine.evaluate(&contract)[0])?;
/// assert_eq!(json["rule"], "owner");
/// assert_eq!((json["line"].as_u64(), json["target"].as_str()), (Some(1), Some("owner")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let at = self.location();
        let mut out = serializer.serialize_struct("Finding", 13)?;
        out.serialize_field("rule", &*self.rule)?;
        out.serialize_field("severity", self.severity.as_str())?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("help", &self.help.as_deref())?;
        out.serialize_field("file", self.file.name())?;
        out.serialize_field("line", &at.start.line)?;
        out.serialize_field("column", &at.start.column)?;
        out.serialize_field("end_line", &at.end.line)?;
        out.serialize_field("end_column", &at.end.column)?;
        out.serialize_field("target", &self.target.as_deref())?;
        out.serialize_field("suppressed", &self.suppression.is_some())?;
        out.serialize_field("waiver", &self.suppression.as_ref().map(WaiverShape))?;
        if let Some(previous) = self.previous() {
            out.serialize_field("previous", &PreviousShape(previous))?;
        }
        out.end()
    }
}

/// How a previous location is written in a serialized finding.
struct PreviousShape<'a>(&'a Previous);

impl serde::Serialize for PreviousShape<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let at = self.0.location();
        let mut out = serializer.serialize_struct("Previous", 6)?;
        out.serialize_field("file", self.0.file())?;
        out.serialize_field("line", &at.start.line)?;
        out.serialize_field("column", &at.start.column)?;
        out.serialize_field("end_line", &at.end.line)?;
        out.serialize_field("end_column", &at.end.column)?;
        out.serialize_field("snippet", self.0.snippet())?;
        out.end()
    }
}

/// How a suppression is written in a serialized finding.
struct WaiverShape<'a>(&'a Suppression);

impl serde::Serialize for WaiverShape<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Waiver", 4)?;
        out.serialize_field("reason", &self.0.reason)?;
        out.serialize_field("owner", &self.0.owner)?;
        out.serialize_field("expires", &self.0.expires.to_string())?;
        out.serialize_field("line", &self.0.line)?;
        out.end()
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Finding {}

impl miette::Diagnostic for Finding {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&*self.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity.into())
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_deref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&*self.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(self.label.clone(), self.span),
        )))
    }

    /// The previous version of what a change finding is about, with its text.
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        let previous = self.previous.as_deref()?;
        Some(Box::new(std::iter::once(
            previous as &dyn miette::Diagnostic,
        )))
    }
}
