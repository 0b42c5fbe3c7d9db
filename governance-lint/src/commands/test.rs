//! `governance-lint test`: the policy unit tests beside the policies, and rule coverage.

use std::io::{self, Write};
use std::path::PathBuf;

use governance_core::Engine;

use super::{policies_as_written, write_out, Output, EXIT_CLEAN, EXIT_FINDINGS};
use crate::args::TestArgs;
use crate::policy_tests;

pub fn test(args: &TestArgs) -> u8 {
    let out = Output::human(args.color);
    let (policies, dirs) =
        match policies_as_written(&args.dirs, args.config.as_ref(), args.locked, &out) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
    let files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| governance_core::find_test_files(dir))
        .collect();
    if files.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "warning: no `*.tests.yaml` files beside the policies; write one per policy file (see docs/governance.md)"
        );
    }
    let report = Engine::new(policies).run_tests(&files);
    write_out(|w| {
        let passed = policy_tests::render(w, &report, args.require_coverage)?;
        Ok(if passed { EXIT_CLEAN } else { EXIT_FINDINGS })
    })
}
