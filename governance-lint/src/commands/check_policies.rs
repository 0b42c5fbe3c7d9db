//! `governance-lint check-policies`: the static checks' warnings, without reading a contract.

use std::collections::BTreeSet;

use super::{policies_as_written, write_out, Output, EXIT_CLEAN, EXIT_FINDINGS};
use crate::args::CheckPoliciesArgs;
use crate::console::Style;
use crate::output;

pub fn check_policies(args: &CheckPoliciesArgs) -> u8 {
    let out = Output::human(args.color);
    let (policies, _) =
        match policies_as_written(&args.paths, args.config.as_ref(), args.locked, &out) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
    let handler = Style::stdout(args.color).handler();
    let warnings = policies.warnings();
    write_out(|w| {
        let mut text = String::new();
        for warning in warnings {
            text.clear();
            if handler.render_report(&mut text, warning).is_err() {
                text = format!("warning: {}\n", warning.message);
            }
            w.write_all(text.as_bytes())?;
        }
        let files: BTreeSet<&str> = policies.rules().map(|r| r.file().name()).collect();
        writeln!(
            w,
            "checked {} in {}: no errors, {}",
            output::plural(policies.len(), "rule"),
            output::plural(files.len(), "file"),
            output::plural(warnings.len(), "warning")
        )?;
        Ok(if args.strict && !warnings.is_empty() {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        })
    })
}
