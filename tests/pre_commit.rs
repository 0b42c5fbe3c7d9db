//! The pre-commit hook definitions (`.pre-commit-hooks.yaml`), as pre-commit reads them: two
//! flavours of one hook, `governance-lint` (python: the wheel) and `governance-lint-rust`
//! (cargo). `.ci/pre-commit-test` runs both with the real pre-commit.

// Helpers of a test binary: a failed step is a failed test.
#![allow(clippy::expect_used)]

/// The keys of the hook `id`, one `key: value` per line.
fn hook_keys(id: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).expect(".pre-commit-hooks.yaml");
    let start = format!("- id: {id}");
    text.lines()
        .skip_while(|line| line.trim() != start)
        .skip(1)
        .take_while(|line| line.starts_with("  ") || line.trim().is_empty())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

const HOOKS: [(&str, &str); 2] = [
    ("governance-lint", "language: python"),
    ("governance-lint-rust", "language: rust"),
];

/// pre-commit would otherwise split the staged files across one process per core, each
/// printing a partial summary.
#[test]
fn each_hook_lints_all_staged_files_in_one_process() {
    for (id, _) in HOOKS {
        let keys = hook_keys(id);
        assert!(
            keys.iter().any(|key| key == "require_serial: true"),
            "{id}: {keys:?}"
        );
        assert!(
            keys.iter().any(|key| key == "pass_filenames: true"),
            "{id}: {keys:?}"
        );
    }
}

/// Both flavours take the same files and flags; only how they are installed differs.
#[test]
fn the_flavours_differ_only_in_how_they_are_installed() {
    for (id, language) in HOOKS {
        let keys = hook_keys(id);
        for expected in [
            language,
            "entry: governance-lint",
            "args: [--force-exclude]",
            "types_or: [yaml, json]",
        ] {
            assert!(keys.iter().any(|key| key == expected), "{id}: {keys:?}");
        }
    }
}
