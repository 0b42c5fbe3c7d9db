//! CLI tests as data: each `tests/cli/<case>.toml` names the arguments, its `.in/` folder (or
//! `fs.cwd`) is the input tree, and `.stdout` / `.stderr` hold exactly what a user sees.
//! `TRYCMD=overwrite cargo test --test cli` rewrites the expected output; review the diff.

#[test]
fn cli() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .case("tests/cli/*.toml");
}
