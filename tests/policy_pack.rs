//! The default policy pack (`policies/`) is itself tested code: its `*.tests.yaml` pass, every
//! rule is triggered by at least one test, and every rule documents itself (description, help
//! and an example), as ruff requires of its rules.

// A test fails by panicking.
#![allow(clippy::panic)]

use std::path::Path;

use governance_core::{find_test_files, Engine, PolicySet};

fn pack() -> PolicySet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    match PolicySet::load(&dir) {
        Ok(set) => set,
        Err(errors) => panic!("the default pack does not load: {errors:?}"),
    }
}

#[test]
fn every_test_of_the_default_pack_passes_and_covers_every_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let policies = pack();
    let report = Engine::new(policies).run_tests(&find_test_files(&dir));
    assert!(
        report.outcomes.len() >= 10,
        "{} tests",
        report.outcomes.len()
    );
    let failures: Vec<String> = report
        .outcomes
        .iter()
        .filter(|o| !o.passed())
        .map(|o| format!("{} :: {}\n  {}", o.file, o.name, o.problems.join("\n  ")))
        .collect();
    assert!(
        failures.is_empty(),
        "failing policy tests:\n{}",
        failures.join("\n")
    );
    let uncovered: Vec<&str> = report
        .coverage
        .iter()
        .filter(|c| c.expected == 0)
        .map(|c| c.rule.as_str())
        .collect();
    assert!(
        uncovered.is_empty(),
        "rules no test triggers: {uncovered:?}"
    );
}

#[test]
fn every_rule_documents_itself() {
    for rule in pack().rules() {
        assert!(
            rule.description().is_some(),
            "`{}` has no description",
            rule.id()
        );
        assert!(rule.help().is_some(), "`{}` has no help", rule.id());
        assert!(
            !rule.examples().is_empty(),
            "`{}` has no example",
            rule.id()
        );
    }
}

#[test]
fn the_default_pack_has_no_doubtful_statements() {
    let warnings: Vec<String> = pack()
        .warnings()
        .iter()
        .map(|w| w.message.clone())
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// Every built-in rule the engine can raise has a row in docs/contracts.md's table.
#[test]
fn every_builtin_rule_is_documented() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/contracts.md"),
    )
    .unwrap_or_default();
    let table = docs.split("## Built-in rules").nth(1).unwrap_or_default();
    for rule in governance_core::BuiltinRule::ALL {
        assert!(
            table.contains(&format!("| `{}` |", rule.id())),
            "`{}` is not in docs/contracts.md's built-in rules table",
            rule.id()
        );
    }
}

/// The reserved words of the grammar (`reserved` in grammar.pest) are the ones
/// docs/policy-language.md lists, so a keyword added to the grammar cannot be forgotten there;
/// and each is refused as a bare name.
#[test]
fn reserved_words_come_from_the_grammar() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let grammar =
        std::fs::read_to_string(root.join("governance-core/src/policy/grammar.pest")).unwrap();
    let rule = grammar
        .split("reserved = _{")
        .nth(1)
        .and_then(|rest| rest.split("~ !ident_char").next())
        .expect("a `reserved` rule in grammar.pest");
    let words: Vec<&str> = rule.split('"').skip(1).step_by(2).collect();
    assert!(words.len() >= 10, "{words:?}");
    let docs = std::fs::read_to_string(root.join("docs/policy-language.md")).unwrap();
    let listed = docs
        .split("## Reserved words and quoting")
        .nth(1)
        .and_then(|rest| rest.split("```").nth(1))
        .unwrap_or_default();
    let mut listed: Vec<&str> = listed.split_whitespace().collect();
    let mut from_grammar = words.clone();
    listed.sort_unstable();
    from_grammar.sort_unstable();
    assert_eq!(
        listed, from_grammar,
        "docs/policy-language.md lists the reserved words"
    );
    for word in words {
        let policy = format!("rule r {{ fields named {word} must be encrypted }}");
        assert!(
            PolicySet::parse("p.policy", policy).is_err(),
            "`{word}` is accepted as a bare name"
        );
    }
}

/// The JSON report schema names every format the engine reads, and nothing else.
#[test]
fn the_json_schema_lists_every_format() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("docs/json-report.schema.json")).unwrap(),
    )
    .unwrap();
    let listed: Vec<&str> = schema["properties"]["files"]["items"]["properties"]["format"]
        ["examples"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let formats: Vec<&str> = governance_core::Format::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(listed, formats);
}
