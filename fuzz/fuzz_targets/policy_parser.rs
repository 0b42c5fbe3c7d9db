//! Any text as a policy file: parsing returns rules or diagnostics, and rendering the
//! diagnostics never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(errors) = governance_core::PolicySet::parse("fuzz.policy", text.as_ref()) {
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        for error in errors.errors() {
            let _ = handler.render_report(&mut out, error);
        }
    }
});
