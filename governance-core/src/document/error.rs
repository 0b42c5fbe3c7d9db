//! Errors raised while reading a file into a [`Document`](super::Document).

use crate::builtin::BuiltinRule;
use crate::source::Span;

/// Why a file could not be loaded. Each becomes a `parse-error` or `limit-exceeded` finding.
///
/// As a [`miette::Diagnostic`] its code is the rule id and its help says which setting raises
/// a limit; it carries no source (the caller has the file), so attach one with
/// `miette::Report::with_source_code` to see the snippet.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The text is not valid YAML or (for `.json` files) strict JSON.
    #[error("{message}")]
    Syntax {
        /// What the parser says, lowercase, without a final period.
        message: String,
        /// Where the parser stopped.
        span: Span,
    },
    /// The file nests deeper than [`Limits::max_depth`](super::Limits::max_depth).
    #[error("nesting is deeper than the limit of {limit} levels")]
    TooDeep {
        /// The limit in force.
        limit: usize,
        /// The node that went over it.
        span: Span,
    },
    /// A key or value longer than [`Limits::max_string_bytes`](super::Limits::max_string_bytes).
    #[error("a string of {length} bytes is longer than the limit of {limit} bytes")]
    TooLong {
        /// Its length.
        length: usize,
        /// The limit in force.
        limit: usize,
        /// The string.
        span: Span,
    },
    /// More YAML documents than [`Limits::max_documents`](super::Limits::max_documents).
    #[error("the file holds more than {limit} YAML document{}", if *limit == 1 { "" } else { "s" })]
    TooManyDocuments {
        /// The limit in force.
        limit: usize,
        /// The first document over the limit.
        span: Span,
    },
    /// Counting aliases as expanded, the file holds more nodes than
    /// [`Limits::max_nodes`](super::Limits::max_nodes) ("billion laughs").
    #[error("the document expands to more than {limit} nodes (YAML aliases counted as copies)")]
    TooManyNodes {
        /// The limit in force.
        limit: u64,
        /// The node that went over it.
        span: Span,
    },
}

impl LoadError {
    /// Where the error is.
    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            LoadError::Syntax { span, .. }
            | LoadError::TooDeep { span, .. }
            | LoadError::TooLong { span, .. }
            | LoadError::TooManyDocuments { span, .. }
            | LoadError::TooManyNodes { span, .. } => *span,
        }
    }

    /// The rule id the error is reported under.
    #[must_use]
    pub fn rule(&self) -> &'static str {
        match self {
            LoadError::Syntax { .. } => BuiltinRule::ParseError.id(),
            LoadError::TooDeep { .. }
            | LoadError::TooLong { .. }
            | LoadError::TooManyDocuments { .. }
            | LoadError::TooManyNodes { .. } => BuiltinRule::LimitExceeded.id(),
        }
    }

    /// A hint for the reader: how to fix a common YAML mistake, or which setting raises the
    /// limit.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        let setting = match self {
            LoadError::Syntax { message, .. } => return syntax_help(message),
            LoadError::TooDeep { .. } => "max-depth",
            LoadError::TooLong { .. } => "max-string-bytes",
            LoadError::TooManyDocuments { .. } => "max-documents",
            LoadError::TooManyNodes { .. } => "max-nodes",
        };
        Some(format!(
            "a data contract should never need this; if it really does, raise `{setting}` under `[limits]` in `governance.toml`"
        ))
    }
}

/// How to fix the YAML mistakes contracts make most often, from the parser's message.
fn syntax_help(message: &str) -> Option<String> {
    let help = if message.contains("indentation in quoted scalar") {
        "the continuation lines of a quoted text must be indented more than its key: indent them, write the text on one line, or use a block scalar (`description: >-` with the text indented on the lines below)"
    } else if message.contains("tab") {
        "YAML does not allow tabs for indentation: indent with spaces"
    } else if message.contains("mapping values are not allowed") {
        "a value that contains `: ` must be quoted (`owner: \"name: bob\"`); or this line is indented under a key that already has a value"
    } else if message.contains("simple key expect")
        || message.contains("could not find expected ':'")
    {
        "this line is neither `key: value` nor a list item: if it continues a text (after `>`, `|` or a quote), indent it more than the key"
    } else {
        return None;
    };
    Some(help.to_owned())
}

impl miette::Diagnostic for LoadError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.rule()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        LoadError::help(self).map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let label = match self {
            LoadError::Syntax { .. } => "here",
            _ => "limit reached here",
        };
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(label.to_owned()), self.span()),
        )))
    }
}

/// A problem that does not stop the file from loading.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LoadIssue {
    /// The same key twice in one mapping; the last one is kept.
    DuplicateKey {
        key: String,
        first: Span,
        second: Span,
    },
}
