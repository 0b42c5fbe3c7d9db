//! The built-in change rules (`policies/breaking.policy`) are tested code, as the default pack
//! is: their `breaking.tests.yaml` passes, every rule is triggered by a test, every rule has a
//! category, a description, a help and an example, and the pack has no doubtful statement.

// A test fails by panicking.
#![allow(clippy::panic)]

use std::path::Path;

use governance_core::{Engine, PolicySet, CHANGE_CATEGORIES};

fn pack() -> PolicySet {
    let mut set = PolicySet::new();
    if let Err(errors) = set.add_builtin_changes() {
        panic!("the built-in change rules do not load: {errors:?}");
    }
    set
}

#[test]
fn every_test_passes_and_covers_every_rule() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/breaking.tests.yaml");
    let report = Engine::new(pack()).run_tests(&[tests]);
    assert!(
        report.outcomes.len() >= 20,
        "{} tests",
        report.outcomes.len()
    );
    let failures: Vec<String> = report
        .outcomes
        .iter()
        .filter(|o| !o.passed())
        .map(|o| {
            format!(
                "{}:{} :: {}\n  {}",
                o.file,
                o.line,
                o.name,
                o.problems.join("\n  ")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "failing tests:\n{}",
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
fn every_rule_documents_itself_and_has_a_category() {
    let set = pack();
    assert!(set.len() >= 20);
    for rule in set.rules() {
        assert!(rule.is_change() && rule.is_builtin(), "`{}`", rule.id());
        assert!(
            rule.category()
                .is_some_and(|c| CHANGE_CATEGORIES.contains(&c)),
            "`{}` has no category",
            rule.id()
        );
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
    let ids: Vec<&str> = PolicySet::builtin_change_ids().collect();
    let loaded: Vec<&str> = set.rules().map(|r| r.id()).collect();
    assert_eq!(ids, loaded);
}

#[test]
fn the_pack_has_no_doubtful_statements() {
    let warnings: Vec<String> = pack()
        .warnings()
        .iter()
        .map(|w| w.message.clone())
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// docs/breaking.md documents every built-in change rule, with its category and severity.
#[test]
fn every_rule_is_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/breaking.md"))
            .unwrap_or_default();
    for rule in pack().rules() {
        let row = format!(
            "| `{}` | {} | {} |",
            rule.id(),
            rule.category().unwrap_or(""),
            rule.severity()
        );
        assert!(docs.contains(&row), "docs/breaking.md has no row `{row}`");
        assert!(
            docs.contains(&format!("### `{}`", rule.id())),
            "docs/breaking.md has no section for `{}`",
            rule.id()
        );
    }
}

/// In each standard, every built-in change rule the standard can express fires in at least one
/// case of `tests/breaking/` (whose folder names say the standard; see its README).
#[test]
fn every_rule_fires_in_each_standard() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking");
    let cannot: [(&str, &[&str]); 3] = [
        ("seed", &["table-removed", "server-removed"]),
        (
            "odcs-v3",
            &[
                "output-port-removed",
                "output-port-type-changed",
                "enum-values-removed",
                "field-made-not-null",
            ],
        ),
        (
            "dcs",
            &[
                "output-port-removed",
                "output-port-type-changed",
                "field-made-not-null",
            ],
        ),
    ];
    let cases: Vec<(String, String)> = std::fs::read_dir(&root)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| {
                    let expected =
                        std::fs::read_to_string(e.path().join("expected.txt")).unwrap_or_default();
                    (e.file_name().to_string_lossy().into_owned(), expected)
                })
                .collect()
        })
        .unwrap_or_default();
    for (standard, inexpressible) in cannot {
        for rule in pack().rules() {
            if inexpressible.contains(&rule.id()) {
                continue;
            }
            let fires = cases.iter().any(|(name, expected)| {
                let in_standard = format!("-{name}-").contains(&format!("-{standard}-"));
                in_standard
                    && expected
                        .lines()
                        .any(|line| line.starts_with(&format!("{} ", rule.id())))
            });
            assert!(
                fires,
                "no {standard} case of tests/breaking/ fires `{}`",
                rule.id()
            );
        }
    }
}
