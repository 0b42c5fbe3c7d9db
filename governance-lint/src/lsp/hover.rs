//! Hover and go to definition.
//!
//! - On a rule id (a diagnostic's range in a contract, a waiver's `rule:`, `rule X` or
//!   `raise X` in a policy): the rule's description, severity, help and examples, and where
//!   it is defined; built-in rules (`parse-error`, `waiver-expired`...) from their registry.
//! - On a canonical name in a policy (`owner`, `sla.availability`, `encrypted`): where each
//!   standard reads it, from `governance_core::read_from` (the normalizers' own tables).
//! - Go to definition: from a rule id to its id in the policy file that defines it.

use governance_core::{read_from, BuiltinRule, PolicySet, RuleInfo};
use lsp_types::{
    GotoDefinitionResponse, Hover, HoverContents, Location, MarkupContent, MarkupKind, Position,
};

use super::analysis::Kind;
use super::server::{Open, Server};
use super::text::{word_at, LineIndex};

pub fn hover(server: &Server, open: &Open, at: Position) -> Option<Hover> {
    let offset = open.doc.offset(at);
    let text = &open.doc.text;
    let word = word_at(text, offset);
    let policies = policies_of(server, open);
    let markdown = match open.kind {
        Kind::Policy => word.and_then(|(start, end, word)| {
            let own = PolicySet::parse(open.name.as_str(), text.as_str()).ok();
            let rule_doc = || {
                own.as_ref()
                    .and_then(|set| rule_markdown(set, word))
                    .or_else(|| policies.and_then(|set| rule_markdown(set, word)))
                    .or_else(|| builtin_markdown(word))
            };
            let keyword = keyword_before(text, start);
            if matches!(keyword, Some("rule" | "raise")) {
                return rule_doc();
            }
            let _ = end;
            canonical_markdown(word).or_else(rule_doc)
        }),
        Kind::Contract | Kind::PolicyTests => {
            let waiver_rule = word
                .filter(|(start, _, _)| is_rule_value(text, *start))
                .and_then(|(_, _, word)| {
                    policies
                        .and_then(|set| rule_markdown(set, word))
                        .or_else(|| builtin_markdown(word))
                });
            waiver_rule.or_else(|| {
                let mark = open
                    .analysis
                    .marks
                    .iter()
                    .find(|m| m.start <= offset && offset <= m.end.max(m.start))?;
                policies
                    .and_then(|set| rule_markdown(set, &mark.rule))
                    .or_else(|| builtin_markdown(&mark.rule))
            })
        }
        Kind::Other => None,
    }?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: word.map(|(start, end, _)| open.doc.range(start, end)),
    })
}

/// The policy set the document is judged with.
fn policies_of<'s>(server: &'s Server, open: &Open) -> Option<&'s PolicySet> {
    server
        .workspaces
        .get(&open.root)
        .and_then(|ws| ws.ready())
        .map(|ready| ready.engine.policies())
}

/// The keyword just before byte `start` (`rule`, `raise`), if any.
fn keyword_before(text: &str, start: usize) -> Option<&str> {
    let before = text.get(..start)?.trim_end();
    let keyword_start = before
        .rfind(|c: char| !c.is_ascii_alphanumeric())
        .map_or(0, |at| at + 1);
    before.get(keyword_start..)
}

/// Whether byte `start` is the value of a `rule:` key (a waiver): `rule: x`, `- rule: x`,
/// `"rule": "x"`.
fn is_rule_value(text: &str, start: usize) -> bool {
    let line_start = text
        .get(..start)
        .and_then(|before| before.rfind(['\n', '\r']))
        .map_or(0, |at| at + 1);
    let Some(before) = text.get(line_start..start) else {
        return false;
    };
    let before = before.trim_end().trim_end_matches(['"', '\'']).trim_end();
    let Some(key) = before.strip_suffix(':') else {
        return false;
    };
    let key = key.trim().trim_start_matches(['-', ' ', '{', ',']).trim();
    matches!(key, "rule" | "\"rule\"" | "'rule'")
}

fn rule_markdown(set: &PolicySet, id: &str) -> Option<String> {
    let rule = set.rules().find(|r| r.id() == id)?;
    Some(describe_rule(&rule))
}

fn describe_rule(rule: &RuleInfo<'_>) -> String {
    let mut out = format!("**`{}`** · {}", rule.id(), rule.severity());
    if rule.mandatory() {
        out.push_str(" · mandatory (cannot be waived)");
    }
    if !rule.enabled() {
        out.push_str(" · switched off in governance.toml");
    }
    if let Some(pack) = rule.domain_pack() {
        out.push_str(&format!(" · `{pack}` domain pack"));
    }
    out.push_str("\n\n");
    match rule.description() {
        Some(description) => out.push_str(description),
        None => out.push_str("_(no description)_"),
    }
    if let Some(help) = rule.help() {
        out.push_str(&format!("\n\n**Help:** {help}"));
    }
    for example in rule.examples() {
        out.push_str(&format!("\n\n**Example:**\n```yaml\n{example}\n```"));
    }
    out.push_str(&format!("\n\nDefined at `{}`", rule.defined_at()));
    out
}

fn builtin_markdown(id: &str) -> Option<String> {
    let rule = BuiltinRule::from_id(id)?;
    Some(format!(
        "**`{}`** · {} · built-in\n\n{}\n\n**Help:** {}",
        rule.id(),
        rule.severity(),
        rule.description(),
        rule.help()
    ))
}

/// What each standard reads for a canonical name.
fn canonical_markdown(name: &str) -> Option<String> {
    let readings = read_from(name);
    if readings.is_empty() {
        return None;
    }
    let mut out =
        format!("**`{name}`**, a canonical name\n\n| standard | read from |\n|---|---|\n");
    for reading in &readings {
        let standard = reading.format.map_or_else(
            || "every standard (on a field)".to_owned(),
            |f| format!("`{f}`"),
        );
        out.push_str(&format!("| {standard} | {} |\n", reading.describe()));
    }
    out.push_str(
        "\nThe first key present wins; a standard not listed reads a top-level key of this name.",
    );
    Some(out)
}

/// From a rule id to where its policy file defines it.
pub fn definition(server: &Server, open: &Open, at: Position) -> Option<GotoDefinitionResponse> {
    let offset = open.doc.offset(at);
    let text = &open.doc.text;
    let id = match word_at(text, offset) {
        Some((_, _, word)) => word.to_owned(),
        None => {
            let mark = open
                .analysis
                .marks
                .iter()
                .find(|m| m.start <= offset && offset <= m.end)?;
            mark.rule.clone()
        }
    };
    let workspace = server.workspaces.get(&open.root)?;
    let (path, source) = match workspace.rule_source(&id) {
        Some(found) => found,
        None if open.kind == Kind::Policy => {
            // A rule of the open policy file itself, saved or not.
            let set = PolicySet::parse(open.name.as_str(), text.as_str()).ok()?;
            let rule = set.rules().find(|r| r.id() == id)?;
            let position = rule.position();
            let start = open
                .doc
                .lines
                .offset_of_engine(text, position.line, position.column);
            let range = open.doc.range(start, start + id.len());
            return Some(GotoDefinitionResponse::Scalar(Location {
                uri: open.uri.clone(),
                range,
            }));
        }
        None => return None,
    };
    let rule_position = workspace
        .ready()?
        .engine
        .policies()
        .rules()
        .find(|r| r.id() == id)?
        .position();
    // The editor's text when the policy file is open, else the file as loaded.
    let open_text = server
        .docs
        .values()
        .find(|d| d.path.as_deref() == Some(&*path))
        .map(|d| d.doc.text.clone());
    let body = open_text.unwrap_or_else(|| source.text().to_owned());
    let lines = LineIndex::new(&body);
    let start = lines.offset_of_engine(&body, rule_position.line, rule_position.column);
    let range = lines.range(&body, start, start + id.len());
    let uri = super::uri::from_path(&path)?;
    if !path.exists() {
        // The built-in pack has no file to open.
        return None;
    }
    Some(GotoDefinitionResponse::Scalar(Location { uri, range }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiver_rule_values() {
        let text = "waivers:\n  - rule: pii-encrypted\n    reason: x\n";
        assert!(is_rule_value(text, text.find("pii").unwrap()));
        assert!(!is_rule_value(text, text.find("x\n").unwrap()));
        let json = r#"{"rule": "owner-is-email"}"#;
        assert!(is_rule_value(json, json.find("owner").unwrap()));
    }

    #[test]
    fn keywords() {
        let text = "raise pii to error";
        assert_eq!(keyword_before(text, 6), Some("raise"));
    }

    #[test]
    fn canonical_names_say_where_each_standard_reads_them() {
        let md = canonical_markdown("owner").unwrap();
        assert!(
            md.contains("| `dcs` | `info.owner`, `info.contact.email` |"),
            "{md}"
        );
        assert!(md.contains("the owner in `team`"), "{md}");
        assert_eq!(canonical_markdown("x-team"), None);
    }
}
