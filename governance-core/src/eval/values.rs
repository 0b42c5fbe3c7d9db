//! Comparing contract values with policy literals: equality, membership, quantities.

use crate::document::{Document, NodeId, NodeKind};
use crate::policy::ast::Literal;
use crate::policy::quantity::Quantity;
pub(crate) use crate::text::same_text;

/// Whether `node` equals `literal`. Text compares ignoring case; numbers numerically (`"1"` and
/// `1` are equal); booleans accept `true`/`false` text; quantities compare in their unit. A
/// sequence equals a literal when one of its items does (so `tags is pii` asks "is tagged pii").
pub(crate) fn equals(doc: &Document, node: NodeId, literal: &Literal) -> bool {
    if doc.is_seq(node) {
        return doc
            .items(node)
            .iter()
            .any(|&item| equals(doc, item, literal));
    }
    let kind = &doc.node(node).kind;
    match literal {
        Literal::Null => matches!(kind, NodeKind::Null),
        Literal::Bool(expected) => match kind {
            NodeKind::Bool(b) => b == expected,
            NodeKind::Str(_) => doc.str(node).is_some_and(|s| {
                s.trim()
                    .eq_ignore_ascii_case(if *expected { "true" } else { "false" })
            }),
            _ => false,
        },
        Literal::Number(expected) => number(doc, node).is_some_and(|n| n == *expected),
        Literal::Quantity(expected) => quantity(doc, node)
            .and_then(|q| q.as_kind_of(*expected))
            .is_some_and(|v| v == expected.value()),
        Literal::Str(expected) => doc
            .scalar_text(node)
            .is_some_and(|text| same_text(&text, expected)),
    }
}

/// A node as a number: numbers, and strings that hold one.
pub(crate) fn number(doc: &Document, node: NodeId) -> Option<f64> {
    match &doc.node(node).kind {
        NodeKind::Int(i) => Some(*i as f64),
        NodeKind::Float(f) => Some(*f),
        NodeKind::Str(_) => doc.str(node).and_then(|s| s.trim().parse().ok()),
        _ => None,
    }
}

/// A node as a quantity: `99.9%`, `1 hour`, `PT1H`, or a bare number.
pub(crate) fn quantity(doc: &Document, node: NodeId) -> Option<Quantity> {
    match &doc.node(node).kind {
        NodeKind::Int(i) => Some(Quantity::Number(*i as f64)),
        NodeKind::Float(f) if f.is_finite() => Some(Quantity::Number(*f)),
        NodeKind::Str(_) => doc.str(node).and_then(Quantity::parse),
        _ => None,
    }
}

/// Whether a value is there at all (a `null` counts as absent).
pub(crate) fn exists(doc: &Document, node: NodeId) -> bool {
    !matches!(doc.node(node).kind, NodeKind::Null)
}

/// The text to quote a value by in a message: the scalar, else the source text.
pub(crate) fn shown(doc: &Document, node: NodeId) -> String {
    let text = match doc.scalar_text(node) {
        Some(text) => text.into_owned(),
        None => doc.slice(doc.span(node)).to_owned(),
    };
    // Cut at the first line break of any kind (`\n`, `\r\n` or a lone `\r`), the same way.
    let trimmed = text.trim();
    let one_line = trimmed.split(['\n', '\r']).next().unwrap_or("").trim();
    let mut shortened: String = one_line.chars().take(60).collect();
    if shortened.len() < one_line.len() || one_line.len() < trimmed.len() {
        shortened.push('…');
    }
    shortened
}
