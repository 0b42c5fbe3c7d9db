//! References from a contract to other files: a DPDS port in its own file, a DCS definition
//! in another file, a `.proto`, `.avsc` or JSON Schema file a port names as its schema, an
//! ODPS port's `contractId`.
//!
//! The library reads no files itself: a [`Resolver`] (the CLI's reads the repository) gives
//! the text of a file a reference names. What it gives is loaded here and grafted into the
//! contract's document, so that its fields are linted like inline ones, at their positions in
//! their own file. Fail closed: a reference that cannot be followed is a finding at the
//! reference, never a silent empty schema.

use std::fmt;
use std::sync::Arc;

use super::model::Attr;
use super::normalize::Issue;
use super::schema_file;
use crate::builtin::BuiltinRule;
use crate::document::{self, Document, Limits, NodeId, Syntax};
use crate::source::SourceFile;

/// Reads the files that contracts refer to, and knows the repository's contracts.
///
/// The CLI's resolver reads files relative to the file that refers to them and refuses any
/// path that leads outside the repository; an embedder may serve files from memory. URLs
/// never reach a resolver: the linter does not fetch over the network.
///
/// ```
/// use std::collections::HashMap;
/// use governance_core::{Resolver, SourceFile, Unresolved};
///
/// #[derive(Debug)]
/// struct InMemory(HashMap<String, String>);
///
/// impl Resolver for InMemory {
///     fn read(&self, _from: &str, reference: &str) -> Result<SourceFile, Unresolved> {
///         let text = self.0.get(reference).ok_or(Unresolved::NotFound)?;
///         Ok(SourceFile::new(reference, text.clone()))
///     }
/// }
/// let files = InMemory(HashMap::from([("port.yaml".to_owned(), "name: events\n".to_owned())]));
/// assert!(files.read("dp.yaml", "port.yaml").is_ok());
/// assert_eq!(files.has_contract("orders"), None);
/// ```
pub trait Resolver: fmt::Debug + Send + Sync {
    /// The file `reference` names (a path as written in the file named `from`, relative to
    /// it), named as findings should show it.
    ///
    /// # Errors
    /// Why the file cannot be given: it does not exist, it lies outside the repository, it
    /// cannot be read.
    fn read(&self, from: &str, reference: &str) -> Result<SourceFile, Unresolved>;

    /// Whether a contract of the repository has `id` as its id (ODCS `id`, DCS `id`); `None`
    /// when the resolver does not know the repository's contracts.
    fn has_contract(&self, id: &str) -> Option<bool> {
        let _ = id;
        None
    }
}

/// Why a [`Resolver`] could not give a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unresolved {
    /// No file at that path.
    #[error("there is no such file")]
    NotFound,
    /// The path leads outside the repository (`../../elsewhere`, an absolute path, a link).
    #[error("it leads outside the repository, and files outside it are never read")]
    OutsideRoot,
    /// The file exists but cannot be read (too large, not UTF-8, permissions...).
    #[error("it cannot be read: {0}")]
    Unreadable(String),
}

/// The most files one contract may pull in through references.
const MAX_FILES: usize = 256;

/// What kind of file a followed reference gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A `.proto` file, as a list of message records (see [`schema_file::proto`]).
    Proto,
    /// An Avro schema (`.avsc`).
    Avro,
    /// Any other YAML or JSON file (a DPDS port, a datastoreapi definition, a JSON Schema, a
    /// DCS file of definitions).
    Data,
}

/// A followed reference: the root of the file's document, grafted into the contract's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Followed {
    pub root: NodeId,
    pub kind: FileKind,
}

/// The references of one contract being read: the resolver, the files already read (each is
/// read once), and the limits every file keeps to.
#[derive(Debug)]
pub(crate) struct Refs<'a> {
    resolver: Option<&'a dyn Resolver>,
    limits: Limits,
    allow_urls: bool,
    read: Vec<(Arc<str>, Followed)>,
}

impl<'a> Refs<'a> {
    pub fn new(resolver: Option<&'a dyn Resolver>, limits: Limits, allow_urls: bool) -> Self {
        Self {
            resolver,
            limits,
            allow_urls,
            read: Vec::new(),
        }
    }

    /// No resolver: every file reference is reported as not followed (an inline contract of a
    /// policy test, a contract parsed from memory).
    pub fn none() -> Refs<'static> {
        Refs::new(None, Limits::default(), false)
    }

    /// The same settings, with no file read yet (for the next contract).
    pub fn fresh(&self) -> Refs<'a> {
        Refs::new(self.resolver, self.limits, self.allow_urls)
    }

    /// Whether `id` names a contract of the repository (`None`: not known).
    pub fn has_contract(&self, id: &str) -> Option<bool> {
        self.resolver.and_then(|r| r.has_contract(id))
    }

    /// Follows the file reference written at `at` (`target` is the file part, without a
    /// `#fragment`): reads the file, loads it and grafts it into `doc`. `None`, with the
    /// reason in `issues` (or silently for a URL when `allow-urls` is set), when it cannot be.
    pub fn follow(
        &mut self,
        doc: &mut Document,
        at: Attr,
        target: &str,
        issues: &mut Vec<Issue>,
    ) -> Option<Followed> {
        let target = target.trim();
        if is_url(target) {
            if !self.allow_urls {
                issues.push(
                    Issue::new(
                        BuiltinRule::ExternalRef,
                        at.span,
                        format!("reference `{target}` is a URL, and the linter never fetches over the network: what it names is not linted"),
                        "not followed",
                    )
                    .with_help("keep the file in the repository and refer to it by a relative path (or set `allow-urls = true` under `[references]` to accept URL references unread)".to_owned()),
                );
            }
            return None;
        }
        let Some(resolver) = self.resolver else {
            issues.push(
                Issue::new(
                    BuiltinRule::ExternalRef,
                    at.span,
                    format!("reference `{target}` names another file, and no files are read here: what it names is not linted"),
                    "not followed",
                )
                .with_help("lint the contract from its repository (`governance-lint check`), where files it refers to are read".to_owned()),
            );
            return None;
        };
        let from = doc.locate(at.span).0.name().to_owned();
        let unresolved = |message: String, label: &'static str| {
            Issue::new(BuiltinRule::UnresolvedRef, at.span, message, label)
        };
        let source = match resolver.read(&from, target) {
            Ok(source) => Arc::new(source),
            Err(why) => {
                let label = match why {
                    Unresolved::NotFound => "no such file",
                    Unresolved::OutsideRoot => "outside the repository",
                    Unresolved::Unreadable(_) => "cannot be read",
                };
                issues.push(
                    unresolved(
                        format!("reference `{target}` cannot be followed: {why}; nothing it names is linted"),
                        label,
                    )
                    .with_help(format!(
                        "the path is relative to `{from}`; point it at a file of the repository"
                    )),
                );
                return None;
            }
        };
        if let Some((_, followed)) = self.read.iter().find(|(name, _)| **name == *source.name()) {
            return Some(*followed);
        }
        if self.read.len() >= MAX_FILES {
            issues.push(unresolved(
                format!("reference `{target}` is not followed: the contract already refers to {MAX_FILES} files, the most one contract may"),
                "too many files",
            ));
            return None;
        }
        let name: Arc<str> = Arc::from(source.name());
        let loaded = if has_extension(&name, "proto") {
            schema_file::proto(&source).map(|d| (d, FileKind::Proto))
        } else {
            load_data(&source, self.limits).map(|d| {
                let kind = if has_extension(&name, "avsc") {
                    FileKind::Avro
                } else {
                    FileKind::Data
                };
                (d, kind)
            })
        };
        // The node limit holds for the contract and every file it pulls in, together.
        let budget = usize::try_from(self.limits.node_limit()).unwrap_or(usize::MAX);
        if let Ok((referenced, _)) = &loaded {
            if doc.node_count() + referenced.node_count() > budget {
                issues.push(unresolved(
                    format!("reference `{target}` is not followed: with the files already read, the contract would hold more than {budget} nodes (`max-nodes` in `[limits]`)"),
                    "limit reached",
                ));
                return None;
            }
        }
        match loaded {
            Ok((referenced, kind)) => {
                let root = doc.graft(referenced);
                let followed = Followed { root, kind };
                self.read.push((name, followed));
                Some(followed)
            }
            Err((message, line)) => {
                issues.push(
                    unresolved(
                        format!("`{name}` (named by this reference) does not parse: {message} (line {line}); nothing in it is linted"),
                        "does not parse",
                    )
                    .with_help(format!("fix `{name}`, or lint it on its own to see the error in place")),
                );
                None
            }
        }
    }
}

/// The first document of a YAML or JSON file, or what is wrong with it and on which line.
fn load_data(source: &Arc<SourceFile>, limits: Limits) -> Result<Document, (String, usize)> {
    let syntax = Syntax::for_name(source.name());
    // A `.avsc` file is JSON.
    let syntax = if has_extension(source.name(), "avsc") {
        Syntax::Json
    } else {
        syntax
    };
    match document::load(source, syntax, limits) {
        Ok(documents) => documents
            .into_iter()
            .next()
            .ok_or_else(|| ("the file is empty".to_owned(), 1)),
        Err(error) => {
            let line = source.position(error.span().start()).line;
            Err((error.to_string(), line))
        }
    }
}

/// `https://...`, `s3://...`, `//host/...`: a reference that would need the network.
pub(crate) fn is_url(target: &str) -> bool {
    target.contains("://") || target.starts_with("//")
}

pub(crate) fn has_extension(name: &str, extension: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case(extension))
}

/// A reference split into its file and its `#fragment` (`defs.yaml#/definitions/id` →
/// (`defs.yaml`, `/definitions/id`)); a local reference has an empty file.
pub(crate) fn split_reference(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('#') {
        Some((file, fragment)) => (file, Some(fragment)),
        None => (reference, None),
    }
}
