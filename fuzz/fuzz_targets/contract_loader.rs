//! Any text as a YAML and as a JSON contract: loading never panics, and every finding's span
//! lies inside the file on character boundaries.
#![no_main]

use governance_core::{Engine, PolicySet, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let engine = Engine::new(PolicySet::new());
    for name in ["c.yaml", "c.json"] {
        let report = engine.lint(SourceFile::new(name, text));
        for finding in report.findings() {
            let span = finding.span();
            assert!(span.end() <= text.len());
            assert!(text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()));
            let _ = finding.location();
        }
    }
});
