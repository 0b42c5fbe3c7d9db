//! A policy and a contract from one input (split at the first NUL byte): evaluation of any
//! policy that parses on any contract that loads never panics, and spans stay in the file.
#![no_main]

use governance_core::{Engine, PolicySet, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (policy, contract) = text.split_once('\0').unwrap_or((text, "data_product: p\nschema:\n  - name: email\n"));
    let Ok(policies) = PolicySet::parse("fuzz.policy", policy) else {
        return;
    };
    let report = Engine::new(policies).lint(SourceFile::new("c.yaml", contract));
    for finding in report.findings() {
        assert!(finding.span().end() <= contract.len());
        let _ = finding.location();
    }
});
