//! Quick fixes for the diagnostics under the cursor:
//!
//! - **"did you mean"**: a misspelt canonical name, rule id, format or contract key replaced
//!   by the name the help proposes;
//! - **a waiver skeleton** for a finding of a policy rule, where the contract's standard keeps
//!   waivers (docs/contracts.md, "Where waivers live"): `x-governance.waivers` at the top,
//!   `info.x-governance.waivers` in DCS, a `customProperties` item `x-governance` in ODCS and
//!   ODPS. It names the rule and the finding's field, port or path, expires in 90 days, and
//!   says `reason: TODO` and `owner: TODO`: the linter rejects `TODO` as a reason, so the
//!   waiver works only once someone writes why.
//!
//! YAML contracts in block style get both; in a JSON contract the waiver is added when the
//! contract has no waivers yet (a new top-level key), else only the "did you mean".

use governance_core::{Date, Format};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, WorkspaceEdit,
};

use super::analysis::{Kind, Mark};
use super::server::Open;

/// How long a new waiver lasts.
const WAIVER_DAYS: i64 = 90;

pub fn code_actions(open: &Open, range: Range) -> Vec<CodeActionOrCommand> {
    let start = open.doc.offset(range.start);
    let end = open.doc.offset(range.end);
    let mut actions = Vec::new();
    for mark in &open.analysis.marks {
        let overlaps = mark.start <= end && start <= mark.end;
        if !overlaps {
            continue;
        }
        if let Some(action) = did_you_mean(open, mark) {
            actions.push(action);
        }
        if open.kind == Kind::Contract && mark.waivable {
            if let Some(action) = waiver(open, mark) {
                actions.push(action);
            }
        }
    }
    actions
}

fn edit_action(
    open: &Open,
    title: String,
    mark: &Mark,
    edit: TextEdit,
    preferred: bool,
) -> CodeActionOrCommand {
    // Versioned, so that a client applies it only to the text it was computed on.
    let changes = DocumentChanges::Edits(vec![TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: open.uri.clone(),
            version: Some(open.doc.version),
        },
        edits: vec![OneOf::Left(edit)],
    }]);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![mark.diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            document_changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    })
}

/// Replaces the misspelt text with the suggestion: the whole span when it is one word
/// (`ownr`), or a `key: value` span whose key the suggestion repeats (`kind: DataContract`).
fn did_you_mean(open: &Open, mark: &Mark) -> Option<CodeActionOrCommand> {
    let suggestion = mark.suggestion.as_deref()?;
    let written = open.doc.text.get(mark.start..mark.end)?;
    let one_word = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == ':');
    let fits = if one_word(written) && one_word(suggestion) {
        true
    } else {
        match (written.split_once(':'), suggestion.split_once(": ")) {
            (Some((key, _)), Some((wanted, _))) => {
                key.trim().trim_matches(['"', '\'']) == wanted && !written.contains('\n')
            }
            _ => false,
        }
    };
    if !fits || written == suggestion {
        return None;
    }
    let edit = TextEdit {
        range: mark.diagnostic.range,
        new_text: suggestion.to_owned(),
    };
    let title = format!("Replace `{written}` with `{suggestion}`");
    Some(edit_action(open, title, mark, edit, true))
}

fn waiver(open: &Open, mark: &Mark) -> Option<CodeActionOrCommand> {
    // Today as the linter judges waivers (`GOVERNANCE_LINT_TODAY` moves it, as for `check`).
    let today = std::env::var("GOVERNANCE_LINT_TODAY")
        .ok()
        .and_then(|t| t.parse::<Date>().ok())
        .unwrap_or_else(Date::today);
    let expires = today.add_days(WAIVER_DAYS);
    let waiver = Waiver {
        rule: &mark.rule,
        target: mark
            .target
            .as_deref()
            .map(|t| (mark.noun.unwrap_or("path"), t)),
        expires,
    };
    let json = open.name.to_ascii_lowercase().ends_with(".json");
    let (at, new_text) = if json {
        json_insertion(&open.doc.text, open.analysis.format, &waiver)?
    } else {
        yaml_insertion(&open.doc.text, open.analysis.format, &waiver)?
    };
    let position = open.doc.range(at, at).start;
    let edit = TextEdit {
        range: Range::new(position, position),
        new_text,
    };
    let about = waiver
        .target
        .map(|(_, t)| format!(" for `{t}`"))
        .unwrap_or_default();
    let title = format!(
        "Waive `{}`{about} until {expires} (a waiver to complete)",
        mark.rule
    );
    Some(edit_action(open, title, mark, edit, false))
}

struct Waiver<'a> {
    rule: &'a str,
    /// The waiver key (`field`, `port`, `table`, `path`) and the value.
    target: Option<(&'a str, &'a str)>,
    expires: Date,
}

impl Waiver<'_> {
    /// The entry's lines, the first starting with `- `, the others indented by two.
    fn yaml_lines(&self) -> Vec<String> {
        let mut lines = vec![format!("- rule: {}", yaml_scalar(self.rule))];
        if let Some((key, value)) = self.target {
            lines.push(format!("  {key}: {}", yaml_scalar(value)));
        }
        lines.push("  reason: TODO".to_owned());
        lines.push("  owner: TODO".to_owned());
        lines.push(format!("  expires: {}", self.expires));
        lines
    }

    fn json(&self) -> String {
        let mut object = serde_json::Map::new();
        object.insert("rule".to_owned(), self.rule.into());
        if let Some((key, value)) = self.target {
            object.insert(key.to_owned(), value.into());
        }
        object.insert("reason".to_owned(), "TODO".into());
        object.insert("owner".to_owned(), "TODO".into());
        object.insert("expires".to_owned(), self.expires.to_string().into());
        serde_json::Value::Object(object).to_string()
    }
}

/// A plain YAML scalar when the text is safe as one, else double-quoted.
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        );
    if plain {
        text.to_owned()
    } else {
        serde_json::Value::from(text).to_string()
    }
}

/// The path to the waiver list in each standard, as YAML keys.
fn place(format: Option<Format>) -> Place {
    match format {
        Some(Format::Dcs) => Place::Keys(&["info", "x-governance", "waivers"]),
        Some(Format::OdcsV3 | Format::OdcsV2 | Format::Odps) => Place::CustomProperties,
        _ => Place::Keys(&["x-governance", "waivers"]),
    }
}

enum Place {
    Keys(&'static [&'static str]),
    CustomProperties,
}

/// A line of a YAML text: where it starts, its indentation, its content (no line break).
#[derive(Debug, Clone, Copy)]
struct Line<'t> {
    start: usize,
    end: usize,
    indent: usize,
    content: &'t str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let content = piece.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches(' ');
        out.push(Line {
            start,
            end: start + piece.len(),
            indent: content.len() - trimmed.len(),
            content: trimmed,
        });
        start += piece.len();
    }
    out
}

fn is_blank(line: &Line<'_>) -> bool {
    line.content.is_empty() || line.content.starts_with('#')
}

/// The lines of the block below line `index` (more indented, or a compact `- ` list at the
/// same indentation when `list_same_indent`), up to its last non-blank line.
fn block_end(
    all: &[Line<'_>],
    index: usize,
    indent: Option<usize>,
    list_same_indent: bool,
) -> usize {
    let mut last = index;
    for (at, line) in all.iter().enumerate().skip(index + 1) {
        if is_blank(line) {
            continue;
        }
        if line.content == "---" || line.content == "..." {
            break;
        }
        let inside = match indent {
            None => true,
            Some(parent) => {
                line.indent > parent
                    || (list_same_indent && line.indent == parent && line.content.starts_with("- "))
            }
        };
        if !inside {
            break;
        }
        last = at;
    }
    last
}

/// The line holding `key:` as a direct child of the block after line `parent` (or of the
/// top level), with nothing after the colon (a block, not a flow value or a scalar).
fn child_key(all: &[Line<'_>], parent: Option<usize>, key: &str) -> Option<(usize, bool)> {
    let (from, parent_indent) = match parent {
        Some(index) => (index + 1, Some(all.get(index)?.indent)),
        None => (0, None),
    };
    let end = match parent {
        Some(index) => block_end(all, index, parent_indent, false),
        None => all.len().saturating_sub(1),
    };
    let child_indent = all
        .iter()
        .take(end + 1)
        .skip(from)
        .find(|l| !is_blank(l) && l.content != "---")
        .map(|l| l.indent)?;
    for (at, line) in all.iter().enumerate().take(end + 1).skip(from) {
        if line.indent != child_indent || is_blank(line) {
            continue;
        }
        for spelling in [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ] {
            if let Some(rest) = line.content.strip_prefix(&spelling) {
                let rest = rest.trim();
                let empty = rest.is_empty() || rest.starts_with('#');
                return Some((at, empty));
            }
        }
    }
    None
}

/// The text to insert after the block of line `index`, and where.
fn after_block(
    text: &str,
    all: &[Line<'_>],
    last: usize,
    body: &[String],
    indent: usize,
) -> (usize, String) {
    let at = all.get(last).map_or(text.len(), |l| l.end);
    let mut out = String::new();
    if !text.get(..at).unwrap_or("").ends_with('\n') && at > 0 {
        out.push('\n');
    }
    for line in body {
        out.push_str(&" ".repeat(indent));
        out.push_str(line);
        out.push('\n');
    }
    (at, out)
}

/// Nested mapping keys, then the waiver entry, each level indented by two.
fn nest(keys: &[&str], entry: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (depth, key) in keys.iter().enumerate() {
        out.push(format!("{}{key}:", "  ".repeat(depth)));
    }
    let depth = "  ".repeat(keys.len());
    out.extend(entry.iter().map(|line| format!("{depth}{line}")));
    out
}

fn yaml_insertion(
    text: &str,
    format: Option<Format>,
    waiver: &Waiver<'_>,
) -> Option<(usize, String)> {
    let all = lines(text);
    if all.iter().any(|l| l.content == "---" && l.start > 0) {
        // Several documents: which one holds the contract is not known here.
        return None;
    }
    if all
        .iter()
        .any(|l| !is_blank(l) && l.indent == 0 && l.content.starts_with('{'))
    {
        return None;
    }
    let entry = waiver.yaml_lines();
    match place(format) {
        Place::Keys(keys) => insert_under(text, &all, None, keys, &entry),
        Place::CustomProperties => {
            let Some((list, empty)) = child_key(&all, None, "customProperties") else {
                let body = nest(&[], &custom_property(&entry));
                let mut lines = vec!["customProperties:".to_owned()];
                lines.extend(body.into_iter().map(|l| format!("  {l}")));
                return Some(after_block(
                    text,
                    &all,
                    all.len().saturating_sub(1),
                    &lines,
                    0,
                ));
            };
            if !empty {
                return None;
            }
            // The `- property: x-governance` item, if there is one.
            let list_indent = all.get(list)?.indent;
            let end = block_end(&all, list, Some(list_indent), true);
            let item = (list + 1..=end).find(|&at| {
                all.get(at).is_some_and(|l| {
                    let c = l.content.trim_start_matches("- ").trim();
                    c == "property: x-governance"
                        || c == "property: \"x-governance\""
                        || c == "property: 'x-governance'"
                })
            });
            match item {
                Some(item) => {
                    // Its `value:` key is a sibling of `property:`.
                    let property = all.get(item)?;
                    let key_indent = property.indent
                        + (property.content.len()
                            - property.content.trim_start_matches("- ").len());
                    let value = (item + 1..=end).find(|&at| {
                        all.get(at).is_some_and(|l| {
                            l.indent == key_indent && l.content.trim_end() == "value:"
                        })
                    })?;
                    insert_under(text, &all, Some(value), &["waivers"], &entry)
                }
                None => {
                    let items_indent = (list + 1..=end)
                        .filter_map(|at| all.get(at))
                        .find(|l| !is_blank(l))
                        .map_or(list_indent + 2, |l| l.indent);
                    Some(after_block(
                        text,
                        &all,
                        end,
                        &custom_property(&entry),
                        items_indent,
                    ))
                }
            }
        }
    }
}

/// `- property: x-governance`, `value: {waivers: [entry]}` in block style.
fn custom_property(entry: &[String]) -> Vec<String> {
    let mut lines = vec![
        "- property: x-governance".to_owned(),
        "  value:".to_owned(),
        "    waivers:".to_owned(),
    ];
    lines.extend(entry.iter().map(|l| format!("      {l}")));
    lines
}

/// Descends `keys` below line `parent` (or the top), creating what is missing, and appends
/// the entry to the `waivers` list.
fn insert_under(
    text: &str,
    all: &[Line<'_>],
    parent: Option<usize>,
    keys: &[&str],
    entry: &[String],
) -> Option<(usize, String)> {
    let (&key, rest) = keys.split_first()?;
    let parent_indent = match parent {
        Some(index) => Some(all.get(index)?.indent),
        None => None,
    };
    match child_key(all, parent, key) {
        Some((line, true)) => {
            let indent = all.get(line)?.indent;
            if rest.is_empty() {
                // The `waivers:` list: append after its last item.
                let end = block_end(all, line, Some(indent), true);
                let item_indent = (line + 1..=end)
                    .filter_map(|at| all.get(at))
                    .find(|l| !is_blank(l))
                    .map_or(indent + 2, |l| l.indent);
                Some(after_block(text, all, end, entry, item_indent))
            } else {
                insert_under(text, all, Some(line), rest, entry)
            }
        }
        // `key: value` or a flow collection: not edited.
        Some((_, false)) => None,
        None => {
            // Add the missing keys at the end of the parent's block.
            let (end, indent) = match parent {
                None => (all.len().saturating_sub(1), 0),
                Some(index) => {
                    let end = block_end(all, index, parent_indent, false);
                    let indent = (index + 1..=end)
                        .filter_map(|at| all.get(at))
                        .find(|l| !is_blank(l))
                        .map_or(parent_indent.unwrap_or(0) + 2, |l| l.indent);
                    (end, indent)
                }
            };
            let end = if parent.is_none() {
                // The last non-blank line of the document.
                all.iter().rposition(|l| !is_blank(l)).unwrap_or(0)
            } else {
                end
            };
            Some(after_block(text, all, end, &nest(keys, entry), indent))
        }
    }
}

/// A JSON contract without waivers: a new top-level key before the closing brace.
fn json_insertion(
    text: &str,
    format: Option<Format>,
    waiver: &Waiver<'_>,
) -> Option<(usize, String)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let root = value.as_object()?;
    let entry = waiver.json();
    let (key, body) = match place(format) {
        Place::CustomProperties => (
            "customProperties",
            format!(r#"[{{"property": "x-governance", "value": {{"waivers": [{entry}]}}}}]"#),
        ),
        Place::Keys(keys) if keys.first() == Some(&"info") => return None,
        Place::Keys(_) => ("x-governance", format!(r#"{{"waivers": [{entry}]}}"#)),
    };
    if root.contains_key(key) {
        return None;
    }
    let close = text.rfind('}')?;
    let before = text.get(..close)?.trim_end();
    let comma = if before.ends_with('{') { "" } else { "," };
    let at = before.len();
    Some((at, format!("{comma}\n  \"{key}\": {body}\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiver() -> Waiver<'static> {
        Waiver {
            rule: "pii-encrypted",
            target: Some(("field", "orders.email")),
            expires: "2027-01-30".parse().unwrap(),
        }
    }

    fn apply(text: &str, (at, insert): (usize, String)) -> String {
        format!("{}{insert}{}", &text[..at], &text[at..])
    }

    #[test]
    fn a_seed_contract_gets_x_governance() {
        let text = "data_product: p\nschema:\n  - name: email\n";
        let out = apply(
            text,
            yaml_insertion(text, Some(Format::Seed), &waiver()).unwrap(),
        );
        assert_eq!(
            out,
            "data_product: p\nschema:\n  - name: email\nx-governance:\n  waivers:\n    - rule: pii-encrypted\n      field: orders.email\n      reason: TODO\n      owner: TODO\n      expires: 2027-01-30\n"
        );
    }

    #[test]
    fn an_existing_list_is_appended_to() {
        let text = "data_product: p\nx-governance:\n  waivers:\n  - rule: a\n    reason: r\n# end\nowner: x\n";
        let out = apply(
            text,
            yaml_insertion(text, Some(Format::Seed), &waiver()).unwrap(),
        );
        assert!(
            out.contains("    reason: r\n  - rule: pii-encrypted\n    field: orders.email\n"),
            "{out}"
        );
        assert!(out.ends_with("# end\nowner: x\n"), "{out}");
    }

    #[test]
    fn dcs_waivers_go_under_info() {
        let text = "dataContractSpecification: 1.1.0\ninfo:\n  title: t\nmodels: {}\n";
        let out = apply(
            text,
            yaml_insertion(text, Some(Format::Dcs), &waiver()).unwrap(),
        );
        assert!(
            out.starts_with("dataContractSpecification: 1.1.0\ninfo:\n  title: t\n  x-governance:\n    waivers:\n      - rule: pii-encrypted\n"),
            "{out}"
        );
        assert!(out.ends_with("models: {}\n"));
    }

    #[test]
    fn odcs_waivers_are_a_custom_property() {
        let text = "kind: DataContract\ncustomProperties:\n  - property: team\n    value: x\n";
        let out = apply(
            text,
            yaml_insertion(text, Some(Format::OdcsV3), &waiver()).unwrap(),
        );
        assert!(
            out.ends_with("    value: x\n  - property: x-governance\n    value:\n      waivers:\n        - rule: pii-encrypted\n          field: orders.email\n          reason: TODO\n          owner: TODO\n          expires: 2027-01-30\n"),
            "{out}"
        );
        let text = "kind: DataContract\ncustomProperties:\n  - property: x-governance\n    value:\n      waivers:\n        - rule: a\n";
        let out = apply(
            text,
            yaml_insertion(text, Some(Format::OdcsV3), &waiver()).unwrap(),
        );
        assert!(out.ends_with("        - rule: a\n        - rule: pii-encrypted\n          field: orders.email\n          reason: TODO\n          owner: TODO\n          expires: 2027-01-30\n"), "{out}");
        let text = "kind: DataProduct\nid: x";
        let out = apply(
            text,
            yaml_insertion(text, Some(Format::Odps), &waiver()).unwrap(),
        );
        assert!(
            out.starts_with(
                "kind: DataProduct\nid: x\ncustomProperties:\n  - property: x-governance\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn json_gets_a_new_key() {
        let text = "{\n  \"data_product\": \"p\"\n}\n";
        let out = apply(
            text,
            json_insertion(text, Some(Format::Seed), &waiver()).unwrap(),
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["x-governance"]["waivers"][0]["rule"], "pii-encrypted");
        let text = "{\"x-governance\": {}}";
        assert!(json_insertion(text, Some(Format::Seed), &waiver()).is_none());
    }

    #[test]
    fn flow_values_are_left_alone() {
        let text = "data_product: p\nx-governance: {waivers: []}\n";
        assert!(yaml_insertion(text, Some(Format::Seed), &waiver()).is_none());
    }
}
