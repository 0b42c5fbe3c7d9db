//! Properties that must hold for any input, checked on generated contracts and policies:
//! loading and evaluating never panics, every reported span lies inside its file on character
//! boundaries, line/column agree with the byte offset, and rendering a finding never panics.

// A failed property panics, like an assertion.
#![allow(clippy::panic)]

use governance_core::{Engine, PolicySet, SourceFile};
use proptest::prelude::*;

/// Pieces of YAML that exercise the loader: keys the canonical model reads, odd scalars,
/// flow and block collections, anchors, tags, multi-byte text and every line ending.
fn yaml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("data_product: p".to_owned()),
        Just("domain: sales".to_owned()),
        Just("owner: \"é@x.io\"".to_owned()),
        Just("schema:".to_owned()),
        Just("  - name: email".to_owned()),
        Just("    encrypted: false".to_owned()),
        Just("    tags: [pii, 📦]".to_owned()),
        Just("  email: string".to_owned()),
        Just("sla: {availability: 99.5%, freshness: 2 hours}".to_owned()),
        Just("sla: \"99.9%\"".to_owned()),
        Just("output_ports:\n  - name: o\n    type: kafka".to_owned()),
        Just("a: &x [1, 2]".to_owned()),
        Just("b: *x".to_owned()),
        Just("<<: *x".to_owned()),
        Just("t: !!python/object x".to_owned()),
        Just("d: |\n  block\n  text\n".to_owned()),
        // Standards' markers and shapes, so that conformance checking is exercised too.
        Just("kind: DataContract".to_owned()),
        Just("apiVersion: v3.1.0".to_owned()),
        Just("apiVersion: v9".to_owned()),
        Just("dataContractSpecification: 1.2.1".to_owned()),
        Just("kind: DataProduct".to_owned()),
        Just("dataProductDescriptor: 1.0.0".to_owned()),
        Just("  - name: t\n    properties:\n      - name: p\n        logicalType: map\n        map: {key: {logicalType: string}, value: x}".to_owned()),
        Just("servers:\n  - type: postgres\n    port: \"1\"".to_owned()),
        Just("models: {m: {fields: {f: {type: tabel, items: [1]}}}}".to_owned()),
        Just("quality: [{type: library}, {mustBe: 1, mustNotBe: 2}]".to_owned()),
        Just("team: {members: [x, {username: 5}]}".to_owned()),
        Just("interfaceComponents: {outputPorts: [{$ref: a, name: b, version: c}]}".to_owned()),
        Just("---".to_owned()),
        Just("\t- tab".to_owned()),
        Just("{".to_owned()),
        Just("]".to_owned()),
        "[a-z_]{1,8}: [ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

fn yaml_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(yaml_piece(), 0..14),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        any::<bool>(),
    )
        .prop_map(|(pieces, newline, bom)| {
            let body = pieces.join(newline);
            if bom {
                format!("\u{feff}{body}")
            } else {
                body
            }
        })
}

fn policies() -> PolicySet {
    let text = r#"
        rule a { fields named email must be encrypted }
        rule b { contract must have domain, owner, data_product, schema_version }
        rule c { sla.availability must be at least 99.9% }
        rule d { sla.freshness must be at most 1 hour }
        rule e { owner must match email }
        rule f { fields tagged pii must be masked }
        rule g { output ports must have type }
        rule h { when domain is not "hr": fields named ssn must not exist }
    "#;
    match PolicySet::parse("p.policy", text) {
        Ok(set) => set,
        Err(errors) => panic!("{errors:?}"),
    }
}

fn check_findings(name: &str, text: String) {
    let policies = policies();
    let report = Engine::new(policies).lint(SourceFile::new(name, text));
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    for finding in report.findings() {
        let file = finding.file().text();
        let span = finding.span();
        assert!(span.end() <= file.len(), "span {span:?} past the end");
        assert!(file.is_char_boundary(span.start()) && file.is_char_boundary(span.end()));
        let at = finding.location().start;
        // The line/column recomputed from the prefix agrees with the reported one.
        let prefix = file.get(..span.start()).unwrap_or("");
        let normalized = prefix.replace("\r\n", "\n").replace('\r', "\n");
        let line = normalized.matches('\n').count() + 1;
        let line_start = normalized.rfind('\n').map_or(0, |i| i + 1);
        let column = normalized
            .get(line_start..)
            .unwrap_or("")
            .trim_start_matches('\u{feff}')
            .chars()
            .count()
            + 1;
        assert_eq!((at.line, at.column), (line, column), "{finding:?}");
        let mut out = String::new();
        let _ = handler.render_report(&mut out, finding);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn yaml_contracts_never_panic_and_spans_are_exact(text in yaml_text()) {
        check_findings("c.yaml", text);
    }

    #[test]
    fn json_contracts_never_panic_and_spans_are_exact(text in yaml_text()) {
        check_findings("c.json", text);
    }

    #[test]
    fn policy_text_never_panics(text in "(rule [a-z]{1,4} \\{ |fields |named |must |be |have |not |when |is |\"x\"|: |\\} |[a-z.]{1,6} |/[a-z^$]{0,3}/ |99.9% |1 hour |\\[a, b\\] |\\( |\\) |and |or )*") {
        let _ = PolicySet::parse("p.policy", text);
    }
}
