//! The pre-commit hook definition (`.pre-commit-hooks.yaml`), as pre-commit reads it.

// Helpers of a test binary: a failed step is a failed test.
#![allow(clippy::expect_used)]

/// The keys of the `governance-lint` hook, one `key: value` per line.
fn hook_keys() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).expect(".pre-commit-hooks.yaml");
    text.lines()
        .skip_while(|line| line.trim() != "- id: governance-lint")
        .skip(1)
        .take_while(|line| line.starts_with("  ") || line.trim().is_empty())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// pre-commit would otherwise split the staged files across one process per core, each
/// printing a partial summary.
#[test]
fn the_hook_lints_all_staged_files_in_one_process() {
    let keys = hook_keys();
    assert!(
        keys.iter().any(|key| key == "require_serial: true"),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|key| key == "pass_filenames: true"),
        "{keys:?}"
    );
}
