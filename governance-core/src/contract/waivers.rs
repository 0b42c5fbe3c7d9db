//! Waivers: explicit, temporary exceptions written in the contract itself.
//!
//! ```yaml
//! x-governance:
//!   waivers:
//!     - rule: pii-encrypted
//!       field: email            # optional: one field, port or path
//!       reason: "legacy CRM export; encryption lands with the Q3 migration"
//!       owner: crm-team@company.com
//!       expires: 2027-03-31
//! ```
//! Formats that allow no extra top-level keys keep the same list elsewhere: DCS under
//! `info.x-governance`, ODCS/ODPS in `customProperties` (`property: x-governance` with the
//! mapping above as `value`, or `property: waivers` with the list as `value`).

use super::model::{attr, raw_path};
use super::normalize::first_line;
use super::Contract;
use crate::document::{Document, NodeId, NodeKind};
use crate::source::Span;

/// One waiver as written; validation of dates and rules happens when it is applied.
#[derive(Debug, Clone)]
pub(crate) struct Waiver {
    /// Its first line, where problems with the waiver as a whole are reported.
    pub span: Span,
    pub rule: Option<(String, Span)>,
    /// The field, port or path it is limited to (`None`: every finding of the rule).
    pub target: Option<String>,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<(String, Span)>,
    /// What is wrong with how it is written: it then suppresses nothing.
    pub problems: Vec<WaiverProblem>,
}

/// A malformed part of a waiver: reported as `waiver-invalid`.
#[derive(Debug, Clone)]
pub(crate) struct WaiverProblem {
    pub span: Span,
    pub message: String,
    pub label: &'static str,
    pub help: Option<String>,
}

/// The keys a waiver may have.
pub(crate) const WAIVER_KEYS: &[&str] = &[
    "rule", "field", "port", "table", "path", "target", "reason", "owner", "expires", "ticket",
];

/// The keys that limit a waiver to one thing.
const TARGET_KEYS: &[&str] = &["field", "port", "table", "path", "target"];

impl Contract {
    /// The waivers the contract declares, in document order.
    pub(crate) fn waivers(&self) -> Vec<Waiver> {
        let doc = &self.doc;
        let mut waivers = Vec::new();
        for list in self.waiver_lists() {
            for &item in doc.items(list) {
                if doc.is_map(item) {
                    waivers.push(read(doc, item));
                } else {
                    // `- pii-encrypted` is not a waiver: say so rather than ignore it.
                    waivers.push(Waiver {
                        span: doc.span(item),
                        rule: None,
                        target: None,
                        reason: None,
                        owner: None,
                        expires: None,
                        problems: vec![WaiverProblem {
                            span: doc.span(item),
                            message:
                                "a waiver must be a mapping with `rule`, `reason` and `expires`"
                                    .to_owned(),
                            label: "not a waiver",
                            help: None,
                        }],
                    });
                }
            }
        }
        waivers
    }
}

impl Contract {
    /// The lists that hold the contract's waivers, wherever its format keeps them: under
    /// `x-governance`, `info.x-governance`, or a `customProperties` item.
    pub(crate) fn waiver_lists(&self) -> Vec<NodeId> {
        let doc = &self.doc;
        let root = self.root();
        let mut lists: Vec<NodeId> = ["x-governance.waivers", "info.x-governance.waivers"]
            .iter()
            .filter_map(|path| raw_path(doc, root, path).map(|a| a.node))
            .collect();
        if let Some(custom) = doc.get(root, "customProperties") {
            for &property in doc.items(custom) {
                let name = doc.get(property, "property").and_then(|p| doc.str(p));
                let value = doc.get(property, "value");
                match (name, value) {
                    (Some("x-governance"), Some(value)) => lists.extend(doc.get(value, "waivers")),
                    (Some("waivers"), Some(value)) => lists.push(value),
                    _ => {}
                }
            }
        }
        lists
    }
}

/// Text a person wrote: a string with at least one letter or digit (not `false`, not a
/// zero-width space, not a placeholder).
fn visible_text(text: &str) -> bool {
    let trimmed = text.trim();
    trimmed.chars().any(char::is_alphanumeric)
        && ![
            "false", "null", "none", "n/a", "na", "todo", "tbd", "-", "~", "no", "yes", "true",
        ]
        .iter()
        .any(|word| trimmed.eq_ignore_ascii_case(word))
}

fn read(doc: &Document, item: NodeId) -> Waiver {
    let mut problems = Vec::new();
    for entry in doc.entries(item) {
        let key = doc.text(&entry.key);
        if !WAIVER_KEYS.contains(&key) {
            problems.push(WaiverProblem {
                span: entry.key_span,
                message: format!("unknown key `{key}` in a waiver"),
                label: "unknown key",
                help: Some(
                    match crate::suggest::did_you_mean(key, WAIVER_KEYS.iter().copied()) {
                        Some(help) => help,
                        None => format!(
                            "a waiver has {}",
                            WAIVER_KEYS
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    },
                ),
            });
        }
    }
    // A value that must be one piece of text: `Ok(None)` when absent.
    let one = |key: &str, problems: &mut Vec<WaiverProblem>| -> Option<(String, Span)> {
        let found = attr(doc, item, key)?;
        let text = match doc.node(found.node).kind {
            NodeKind::Str(_) | NodeKind::Int(_) | NodeKind::Float(_) | NodeKind::Bool(_) => {
                doc.scalar_text(found.node).map(|t| t.trim().to_owned())
            }
            _ => None,
        };
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            Some((text, found.span))
        } else {
            let what = match doc.node(found.node).kind {
                NodeKind::Seq(_) => "a list",
                NodeKind::Map(_) => "a mapping",
                _ => "empty",
            };
            problems.push(WaiverProblem {
                span: found.span,
                message: format!("`{key}` of a waiver is {what}, not one value"),
                label: "not one value",
                help: Some(if TARGET_KEYS.contains(&key) {
                    format!("a waiver covers one {key}: write one waiver per {key}, or leave `{key}` out to cover every finding of the rule")
                } else {
                    format!("write `{key}:` as one value")
                }),
            });
            None
        }
    };
    let rule = one("rule", &mut problems);
    let targets: Vec<(String, Span)> = TARGET_KEYS
        .iter()
        .filter_map(|key| one(key, &mut problems))
        .collect();
    if let [_, second, ..] = targets.as_slice() {
        problems.push(WaiverProblem {
            span: second.1,
            message:
                "a waiver names more than one of `field`, `port`, `table`, `path` and `target`"
                    .to_owned(),
            label: "second target",
            help: Some("write one waiver per thing it covers".to_owned()),
        });
    }
    let reason = match attr(doc, item, "reason") {
        None => None,
        Some(found) => {
            if let Some(text) = doc.str(found.node).filter(|t| visible_text(t)) {
                Some(text.trim().to_owned())
            } else {
                problems.push(WaiverProblem {
                span: found.span,
                message: "the `reason` of a waiver must say why, in words".to_owned(),
                label: "no reason given",
                help: Some("write who agreed to the exception and why: `reason: \"legacy export; encryption lands in Q3\"`".to_owned()),
            });
                // Present but not a reason: not "missing" as well.
                Some(String::new())
            }
        }
    };
    let owner = one("owner", &mut problems).map(|(text, _)| text);
    let expires = one("expires", &mut problems);
    Waiver {
        span: first_line(doc, item),
        rule,
        target: targets.into_iter().next().map(|(text, _)| text),
        reason,
        owner,
        expires,
        problems,
    }
}
