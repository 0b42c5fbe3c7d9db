//! Any text through both YAML readers: whenever the fast reader accepts it, it builds exactly
//! the tree saphyr builds (every node, kind, span, entry and duplicate-key issue), and the
//! engine's reader (fast, else saphyr) always gives saphyr's result, errors and limits
//! included. Checked with the default limits and with tight ones.
#![no_main]

use governance_core::__yaml_readers::{dump_yaml, YamlReader};
use governance_core::Limits;
use libfuzzer_sys::fuzz_target;

fn check(text: &str, limits: Limits) {
    let saphyr = dump_yaml(text, limits, YamlReader::Saphyr);
    assert!(saphyr.is_some(), "saphyr gave no result");
    let auto = dump_yaml(text, limits, YamlReader::Auto);
    assert_eq!(auto, saphyr, "the engine's reader differs from saphyr's on {text:?}");
    if let Some(fast) = dump_yaml(text, limits, YamlReader::Fast) {
        assert_eq!(Some(fast), saphyr, "the fast reader differs from saphyr's on {text:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(text, Limits::default());
    let mut tight = Limits::default();
    tight.max_depth = 3;
    tight.max_nodes = 24;
    tight.max_string_bytes = 12;
    tight.max_documents = 1;
    check(text, tight);
});
