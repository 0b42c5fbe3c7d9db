//! `governance-lint test`: runs the policy unit tests and prints them like `cargo test`, with
//! rule coverage, ending on `N passed, N failed`.

use std::io::{self, Write};

use governance_core::TestReport;

use crate::output::{plural, printable};

/// Prints the report; returns whether the run passed: at least one test, every test passed,
/// and (with `require_coverage`) every rule triggered by a test.
pub fn render(
    out: &mut dyn Write,
    report: &TestReport,
    require_coverage: bool,
) -> io::Result<bool> {
    writeln!(out, "running {}", plural(report.outcomes.len(), "test"))?;
    for outcome in &report.outcomes {
        let verdict = if outcome.passed() { "ok" } else { "FAILED" };
        writeln!(
            out,
            "test {} :: {} ... {verdict}",
            outcome.file,
            printable(&outcome.name)
        )?;
    }
    let failed: Vec<_> = report.outcomes.iter().filter(|o| !o.passed()).collect();
    if !failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "failures:")?;
        for outcome in &failed {
            writeln!(out)?;
            writeln!(
                out,
                "---- {}:{} :: {} ----",
                outcome.file,
                outcome.line,
                printable(&outcome.name)
            )?;
            for problem in &outcome.problems {
                writeln!(out, "  {}", printable(problem))?;
            }
        }
    }
    writeln!(out)?;
    let covered = report.coverage.iter().filter(|c| c.expected > 0).count();
    writeln!(
        out,
        "rule coverage: {covered} of {} triggered by a test",
        plural(report.coverage.len(), "rule")
    )?;
    for rule in report.coverage.iter().filter(|c| c.expected == 0) {
        writeln!(out, "  not covered: {} ({})", rule.rule, rule.defined_at)?;
    }
    writeln!(out)?;
    let uncovered = report.coverage.len() - covered;
    let no_tests = report.outcomes.is_empty();
    if no_tests {
        writeln!(
            out,
            "error: no tests found: a policy pack without tests proves nothing (write a `*.tests.yaml` beside each policy file)"
        )?;
    }
    if require_coverage && uncovered > 0 {
        let rules = if uncovered == 1 {
            "1 rule is".to_owned()
        } else {
            format!("{uncovered} rules are")
        };
        writeln!(
            out,
            "error: {rules} triggered by no test (`--require-coverage`)"
        )?;
    }
    let passed = failed.is_empty() && !no_tests && !(require_coverage && uncovered > 0);
    let verdict = if passed { "ok" } else { "FAILED" };
    writeln!(out, "test result: {verdict}")?;
    writeln!(
        out,
        "{} passed, {} failed",
        report.passed(),
        report.failed()
    )?;
    Ok(passed)
}
