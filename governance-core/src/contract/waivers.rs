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
use crate::document::{Document, NodeId};
use crate::source::Span;

/// One waiver as written; validation happens when it is applied.
#[derive(Debug, Clone)]
pub(crate) struct Waiver {
    /// Its first line, where problems with the waiver as a whole are reported.
    pub span: Span,
    pub rule: Option<(String, Span)>,
    /// The field, port or path it is limited to.
    pub target: Option<String>,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<(String, Span)>,
}

impl Contract {
    /// The waivers the contract declares, in document order.
    pub(crate) fn waivers(&self) -> Vec<Waiver> {
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
            .into_iter()
            .flat_map(|list| doc.items(list).iter().copied())
            .filter(|&item| doc.is_map(item))
            .map(|item| read(doc, item))
            .collect()
    }
}

fn read(doc: &Document, item: NodeId) -> Waiver {
    let text = |key: &str| {
        doc.get(item, key)
            .and_then(|v| doc.scalar_text(v))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    };
    let spanned = |key: &str| {
        let found = attr(doc, item, key)?;
        let value = doc.scalar_text(found.node)?.trim().to_owned();
        Some((value, found.span))
    };
    Waiver {
        span: first_line(doc, item),
        rule: spanned("rule"),
        target: ["field", "port", "path", "target"]
            .iter()
            .find_map(|k| text(k)),
        reason: text("reason"),
        owner: text("owner"),
        // `expires:` with nothing after it is no expiry.
        expires: spanned("expires").filter(|(text, _)| !text.is_empty()),
    }
}
