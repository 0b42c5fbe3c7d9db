//! CLI tests as data: each `tests/cli/<case>.toml` names the arguments, its `.in/` folder (or
//! `fs.cwd`) is the input tree, `.stdout` / `.stderr` hold exactly what a user sees, and an
//! `.out/` folder the files the run writes (the GitHub step summary).
//! `TRYCMD=overwrite cargo test --test cli` rewrites the expected output; review the diff.

#[test]
fn cli() {
    // The cases say when they run inside GitHub Actions; the outer CI must not say it for them.
    // (Edition 2021: `remove_var` is safe; this is the only test in this binary.)
    for inherited in ["GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"] {
        std::env::remove_var(inherited);
    }
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        // Waivers are judged as of a fixed day, so that the expected output never ages.
        .env("GOVERNANCE_LINT_TODAY", "2026-11-25")
        .case("tests/cli/*.toml");
}
