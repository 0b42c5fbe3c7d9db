//! The machine formats, checked the way their consumers read them: SARIF against the OASIS
//! SARIF 2.1.0 schema, JSON against `docs/json-report.schema.json`, JUnit as XML, GitHub
//! workflow commands line by line. Each runs on the inputs most likely to break a format: the
//! README demo (with a file that does not parse), files that cannot be read (a NUL byte,
//! invalid UTF-8, a missing path), contract text full of `::`, `%`, commas,
//! newlines and control characters, an invalid policy, an unknown configuration key and a
//! refused mandatory rule. And a reader that stops early never makes the linter panic.

// Helpers of a test binary: a failed step is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lint_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .output()
        .expect("the linter runs")
}

/// Every input each format must turn into a valid document: (directory, arguments, exit code).
fn scenarios() -> Vec<(PathBuf, Vec<&'static str>, i32)> {
    let cli = repo().join("tests/cli");
    vec![
        (repo(), vec!["fixtures/"], 1),
        (cli.join("escaping.in"), vec![], 1),
        (cli.join("hostile-text.in"), vec![], 1),
        (cli.join("unreadable.in"), vec![".", "missing.yaml"], 1),
        (cli.join("policy-error.in"), vec![], 2),
        (cli.join("config-unknown-key.in"), vec![], 2),
        (cli.join("config-mandatory.in"), vec![], 2),
        // `breaking`: change findings with previous locations, new and deleted files.
        (
            cli.join("breaking.in"),
            vec!["breaking", "new", "--against", "old"],
            1,
        ),
        (
            cli.join("breaking-config.in"),
            vec!["breaking", "new", "--against", "old"],
            1,
        ),
        (
            cli.join("breaking-mandatory.in"),
            vec!["breaking", "new", "--against", "old"],
            2,
        ),
    ]
}

/// The output of every scenario in `format`, parsed as JSON.
fn json_outputs(format: &str) -> Vec<(String, Value)> {
    scenarios()
        .into_iter()
        .map(|(dir, mut args, code)| {
            args.extend(["--format", format]);
            let output = lint_in(&dir, &args);
            let name = format!("{} {}", dir.display(), args.join(" "));
            assert_eq!(output.status.code(), Some(code), "{name}");
            let value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
            (name, value)
        })
        .collect()
}

fn assert_valid(schema: &Value, documents: &[(String, Value)]) {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    // The validator does reject: a document without its required parts is invalid.
    assert!(!validator.is_valid(&serde_json::json!({"version": 1})));
    for (name, document) in documents {
        let errors: Vec<String> = validator
            .iter_errors(document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
}

/// The OASIS SARIF 2.1.0 schema, which lives in the shared folder beside the repository.
fn sarif_schema_path() -> PathBuf {
    repo().join("../shared/schemas/sarif-schema-2.1.0.json")
}

fn sarif_is_valid_sarif_2_1_0() {
    let text = std::fs::read_to_string(sarif_schema_path()).expect("the SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    let documents = json_outputs("sarif");
    assert_valid(&schema, &documents);
    for (name, log) in &documents {
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints", "{name}");
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        for result in run["results"].as_array().expect("results") {
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{name}: ruleIndex");
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            assert!(
                !uri.contains('\\') && !uri.starts_with('/'),
                "{name}: {uri}"
            );
        }
    }
}

fn json_matches_its_documented_schema() {
    let text = std::fs::read_to_string(repo().join("docs/json-report.schema.json"))
        .expect("docs/json-report.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    assert_valid(&schema, &json_outputs("json"));
}

fn junit_is_well_formed_xml_that_keeps_contract_text() {
    for (dir, mut args, code) in scenarios() {
        args.extend(["--format", "junit"]);
        let output = lint_in(&dir, &args);
        assert_eq!(output.status.code(), Some(code));
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        let xml = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{}: not XML: {e}\n{text}", dir.display()));
        let root = xml.root_element();
        let count = |tag: &str| root.descendants().filter(|n| n.has_tag_name(tag)).count();
        assert_eq!(
            root.attribute("tests"),
            Some(count("testcase").to_string().as_str())
        );
        assert_eq!(
            root.attribute("failures"),
            Some(count("failure").to_string().as_str())
        );
        assert_eq!(
            root.attribute("errors"),
            Some(count("error").to_string().as_str())
        );
    }
    // With --fail-on info every finding is a failure, its message in an attribute.
    let output = lint_in(
        &repo().join("tests/cli/escaping.in"),
        &["--format", "junit", "--fail-on", "info"],
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let xml = roxmltree::Document::parse(&text).expect("XML");
    let messages: Vec<&str> = xml
        .descendants()
        .filter_map(|n| n.attribute("message"))
        .collect();
    assert!(messages.contains(&"field `phone\r\n::error::injected` has no `description`"));
    let bodies: String = xml.descendants().filter_map(|n| n.text()).collect();
    assert!(
        bodies.contains("field `ssn,%0A,a:b\u{FFFD}` is not encrypted"),
        "{bodies}"
    );
}

/// JUnit fails exactly when the run does: a `<failure>` holds only findings at or above
/// `--fail-on`, the test case's `<system-out>` only those below it, and together they list
/// every finding that is not waived.
#[test]
fn junit_fails_exactly_when_the_run_does() {
    let cli = repo().join("tests/cli");
    for (dir, paths) in [
        (repo(), vec!["fixtures/"]),
        (cli.join("escaping.in"), vec![]),
        (
            cli.join("breaking.in"),
            vec!["breaking", "new", "--against", "old"],
        ),
    ] {
        let json = lint_in(&dir, &[paths.as_slice(), &["--format", "json"]].concat());
        let json: Value = serde_json::from_slice(&json.stdout).expect("JSON");
        let unwaived = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["suppressed"] == false)
            .count();
        let rank = |severity: &str| match severity {
            "info" => 1,
            "warning" => 2,
            "error" => 3,
            other => panic!("unknown severity `{other}`"),
        };
        for (fail_on, threshold) in [("error", 3), ("warning", 2), ("info", 1), ("never", 4)] {
            let args = [
                paths.as_slice(),
                &["--format", "junit", "--fail-on", fail_on],
            ]
            .concat();
            let output = lint_in(&dir, &args);
            let name = format!("{} --fail-on {fail_on}", dir.display());
            let text = String::from_utf8(output.stdout).expect("UTF-8");
            let xml = roxmltree::Document::parse(&text).expect("XML");
            let failures: Vec<_> = xml
                .descendants()
                .filter(|n| n.has_tag_name("failure"))
                .collect();
            let code = output.status.code();
            assert_eq!(
                code == Some(1),
                !failures.is_empty(),
                "{name}: exit {code:?}"
            );
            // Each listed finding is a `file:line:column: severity: message` line.
            let severities = |node: roxmltree::Node<'_, '_>| -> Vec<i32> {
                node.text()
                    .unwrap_or("")
                    .lines()
                    .filter(|line| !line.starts_with("  help: "))
                    .filter_map(|line| {
                        ["error", "warning", "info"]
                            .into_iter()
                            .find(|s| line.contains(&format!(": {s}: ")))
                    })
                    .map(rank)
                    .collect()
            };
            let failing: Vec<i32> = failures.iter().flat_map(|n| severities(*n)).collect();
            let passing: Vec<i32> = xml
                .descendants()
                .filter(|n| n.has_tag_name("system-out"))
                .flat_map(severities)
                .collect();
            assert!(
                failing.iter().all(|&s| s >= threshold),
                "{name}: {failing:?}"
            );
            assert!(
                passing.iter().all(|&s| s < threshold),
                "{name}: {passing:?}"
            );
            assert_eq!(failing.len() + passing.len(), unwaived, "{name}");
            for failure in &failures {
                let severity = failure.attribute("type").expect("type");
                assert!(rank(severity) >= threshold, "{name}: {severity}");
            }
        }
    }
}

/// Reverses the escaping of a command's message or property: the toolkit's `%25`, `%0D`, `%0A`,
/// `%3A`, `%2C`, and the percent-encoded bytes of the other control and bidirectional
/// characters. Lossless: the message the JSON report has comes back exactly.
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8 once unescaped")
}

/// Whether a CI log would act on `c` rather than show it.
fn acts_on_a_log(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn github_output_is_exactly_one_command_per_finding() {
    let dir = repo().join("tests/cli/escaping.in");
    let json: Value =
        serde_json::from_slice(&lint_in(&dir, &["--format", "json"]).stdout).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    assert!(findings.len() >= 5);
    let output = lint_in(&dir, &["--format", "github"]);
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    // Only `\n` ends a line for the runner; `\r` and every other control or bidirectional
    // character (the contract has `\u0001`) must not appear raw.
    assert!(
        !text.chars().any(|c| c != '\n' && acts_on_a_log(c)),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    // The commands, then plain lines: the policies in use and the summary.
    let commands: Vec<&str> = lines
        .iter()
        .copied()
        .take_while(|line| line.starts_with("::"))
        .collect();
    let plain = lines.get(commands.len()..).unwrap_or_default();
    assert_eq!(plain.len(), 2, "{text}");
    assert!(plain[0].starts_with("policies: ") && !plain[1].starts_with("::"));
    assert_eq!(commands.len(), findings.len(), "{text}");
    for (line, finding) in commands.iter().zip(findings) {
        let rest = line.strip_prefix("::").expect("a command");
        let (command, rest) = rest.split_once(' ').expect("properties");
        let (properties, data) = rest.split_once("::").expect("a message");
        let expected = match finding["severity"].as_str() {
            Some("error") => "error",
            Some("warning") => "warning",
            _ => "notice",
        };
        assert_eq!(command, expected);
        let properties: Vec<(&str, String)> = properties
            .split(',')
            .map(|p| {
                let (key, value) = p.split_once('=').expect("key=value");
                (key, unescape(value))
            })
            .collect();
        let keys: Vec<&str> = properties.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert_eq!(
            properties[0].1,
            "tests/cli/escaping.in/contracts/odd,name%.yaml"
        );
        assert_eq!(properties[1].1, finding["line"].to_string());
        assert_eq!(properties[5].1, finding["rule"].as_str().expect("rule"));
        let mut message = finding["message"].as_str().expect("message").to_owned();
        if let Some(help) = finding["help"].as_str() {
            message = format!("{message}\nhelp: {help}");
        }
        assert_eq!(unescape(data), message);
    }
}

fn the_step_summary_escapes_contract_text() {
    let summary = tempfile::NamedTempFile::new().expect("a temporary file");
    let output = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(["--format", "github"])
        .current_dir(repo().join("tests/cli/escaping.in"))
        .env("GITHUB_STEP_SUMMARY", summary.path())
        .output()
        .expect("the linter runs");
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(summary.path()).expect("the summary");
    assert!(
        text.contains("| sales\\|ops \\<b\\>\\&amp;\\</b\\> \\`x\\` | 1 | 3 | 2 | 2 |\n"),
        "{text}"
    );
}

/// GitHub shows at most 10 error and 10 warning annotations per step: the step summary lists
/// the first 50 findings (file:line:column, severity, rule, message), then counts the rest.
fn the_step_summary_lists_the_first_50_findings() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let contract = std::fs::read(repo().join("fixtures/bad/customers-pii.yaml")).expect("read");
    for i in 0..30 {
        std::fs::write(dir.path().join(format!("c{i:02}.yaml")), &contract).expect("write");
    }
    let summary = dir.path().join("summary.md");
    let output = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(["--format", "github", "--policies"])
        .arg(repo().join("policies"))
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("the linter runs");
    assert_eq!(output.status.code(), Some(1));
    let annotations = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.starts_with("::error file=") || l.starts_with("::warning file="))
        .count();
    assert!(annotations > 50, "{annotations} findings");
    let text = std::fs::read_to_string(&summary).expect("the summary");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(".yaml:")).collect();
    assert_eq!(rows.len(), 50, "{text}");
    assert!(rows[0].starts_with("| c00.yaml:"), "{}", rows[0]);
    let more = format!("_… and {} more findings not listed here", annotations - 50);
    assert!(text.contains(&more), "{text}");
}

fn sarif_fingerprints_survive_unrelated_edits() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let contract = std::fs::read_to_string(repo().join("fixtures/bad/customers-pii.yaml"))
        .expect("the fixture");
    let policies = repo().join("policies");
    let policies = policies.to_str().expect("UTF-8 path");
    let results = |text: &str| -> Vec<(String, u64)> {
        std::fs::write(dir.path().join("customers.yaml"), text).expect("write");
        let output = lint_in(dir.path(), &["--format", "sarif", "--policies", policies]);
        let log: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["governanceLint/v1"]
                        .as_str()
                        .expect("a fingerprint")
                        .to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .expect("a line"),
                )
            })
            .collect()
    };
    let before = results(&contract);
    let after = results(&format!(
        "# owned by the CRM team\n# reviewed 2026-01\n{contract}"
    ));
    assert!(before.len() >= 3);
    assert_eq!(before.len(), after.len());
    for ((print_before, line_before), (print_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(print_before, print_after);
        assert_eq!(line_before + 2, *line_after);
    }
    let mut prints: Vec<&String> = before.iter().map(|(p, _)| p).collect();
    prints.dedup();
    assert_eq!(prints.len(), before.len(), "fingerprints are distinct");
}

/// What GitHub Advanced Security for Azure DevOps requires and Microsoft's SARIF validator
/// asks for: a category, the tool's full name, and a PascalCase `name` and an absolute
/// `helpUri` on every rule (a rule's own `docs` URL when it has one).
fn sarif_names_the_run_and_documents_every_rule() {
    let dir = repo().join("tests/cli/rules-scope.in");
    let output = lint_in(&dir, &["contracts", "--format", "sarif"]);
    let log: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "governance-lint/");
    let full_name = run["tool"]["driver"]["fullName"]
        .as_str()
        .expect("fullName");
    assert!(full_name.starts_with(&format!("governance-lint {}", env!("CARGO_PKG_VERSION"))));
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() > 4, "the policy rules and the built-in ones");
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        let name = rule["name"].as_str().expect("name");
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "{id}: {name}"
        );
        let uri = rule["helpUri"].as_str().expect("helpUri");
        assert!(uri.starts_with("https://"), "{id}: {uri}");
    }
    let by_id = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("rule {id}"))
    };
    assert_eq!(by_id("pii-encrypted")["name"], "PiiEncrypted");
    assert_eq!(
        by_id("pii-encrypted")["helpUri"],
        "https://wiki.example.com/governance/pii-encrypted"
    );
    let version = env!("CARGO_PKG_VERSION");
    assert!(by_id("owner-declared")["helpUri"]
        .as_str()
        .is_some_and(|u| u.ends_with(&format!(
            "/blob/v{version}/docs/policy-language.md#documenting-a-rule"
        ))));
    assert!(by_id("parse-error")["helpUri"]
        .as_str()
        .is_some_and(|u| u.ends_with("docs/contracts.md#built-in-rules")));
}

fn a_closed_pipe_ends_every_format_quietly() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let contract = std::fs::read(repo().join("fixtures/bad/customers-pii.yaml")).expect("read");
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("c{i:03}.yaml")), &contract).expect("write");
    }
    let policies = repo().join("policies");
    for format in ["human", "json", "github", "sarif", "junit"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
            .args(["--format", format, "--policies"])
            .arg(&policies)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the linter starts");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut start = [0u8; 64];
        stdout.read_exact(&mut start).expect("some output");
        drop(stdout);
        let output = child.wait_with_output().expect("the linter ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{format}: {stderr}");
        assert_eq!(output.status.code(), Some(1), "{format}");
    }
}

/// Files of [`large_repository`], and the skipped ones among them.
const FILES: usize = 2000;
const SKIPPED: usize = FILES / 50;
/// More than a spool keeps in memory (1 MiB), with room for what is not spooled.
const SPOOLED: usize = (5 << 20) / 4;

/// A repository large enough that SARIF and JUnit spool their results to a temporary file
/// (past 1 MiB): a few hundred contracts with findings, files that are skipped and one that
/// does not parse, all interleaved.
fn large_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let read = |path: &str| std::fs::read(repo().join(path)).expect("read a fixture");
    let contracts = [
        read("fixtures/bad/customers-pii.yaml"),
        read("fixtures/bad/payments-sla.yaml"),
        read("fixtures/bad/customer_360.json"),
        read("fixtures/good/customer-360.yaml"),
    ];
    let not_contract = read("fixtures/not-contracts/docker-compose.yaml");
    let broken = read("fixtures/bad/broken-indentation.yaml");
    for i in 0..FILES {
        let (name, text) = match i % 50 {
            7 => (
                format!("d{:02}/compose-{i:04}.yaml", i / 100),
                &not_contract,
            ),
            31 => (format!("d{:02}/broken-{i:04}.yaml", i / 100), &broken),
            n => {
                let contract = &contracts[n % contracts.len()];
                let extension = if n % contracts.len() == 2 {
                    "json"
                } else {
                    "yaml"
                };
                (format!("d{:02}/c{i:04}.{extension}", i / 100), contract)
            }
        };
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// The output of `format` on the large repository: the same bytes at 1 and 3 threads, and with
/// the spool on disk or in memory.
fn large_output(dir: &Path, format: &str) -> Vec<u8> {
    let policies = repo().join("policies");
    let run = |jobs: &str| {
        let policies = policies.to_str().expect("a UTF-8 path");
        let output = lint_in(
            dir,
            &["--format", format, "--policies", policies, "--jobs", jobs],
        );
        assert_eq!(output.status.code(), Some(1), "{format}");
        output.stdout
    };
    let one = run("1");
    assert!(
        one == run("3"),
        "{format}: the output depends on the threads"
    );
    // Where no temporary file can be made, the spool stays in memory: the same bytes.
    let in_memory = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(["--format", format, "--policies"])
        .arg(&policies)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("TMPDIR", dir.join("no-such-folder"))
        .output()
        .expect("the linter runs");
    assert_eq!(in_memory.status.code(), Some(1), "{format}");
    assert!(in_memory.stderr.is_empty(), "{format}");
    assert!(
        one == in_memory.stdout,
        "{format}: the output depends on the temporary file"
    );
    one
}

/// The JSON report on the large repository, as the reference the other formats must agree with.
fn large_json(dir: &Path) -> Value {
    let policies = repo().join("policies");
    let policies = policies.to_str().expect("a UTF-8 path");
    let output = lint_in(dir, &["--format", "json", "--policies", policies]);
    assert_eq!(output.status.code(), Some(1));
    serde_json::from_slice(&output.stdout).expect("JSON is JSON")
}

/// Streamed SARIF (results spooled past 1 MiB) is still one valid SARIF 2.1.0 log, with its
/// results in path order, one per finding of the JSON report, and every skipped file named.
fn streamed_sarif_is_valid_sarif_2_1_0() {
    let text = std::fs::read_to_string(sarif_schema_path()).expect("the SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    let dir = large_repository();
    let sarif = large_output(dir.path(), "sarif");
    assert!(
        sarif.len() > SPOOLED,
        "{} bytes: too small to spool",
        sarif.len()
    );
    let log: Value = serde_json::from_slice(&sarif).expect("SARIF is JSON");
    assert_valid(&schema, &[("large repository".to_owned(), log.clone())]);
    let json: Value = large_json(dir.path());
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(results.len(), findings.len());
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["rule"]);
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let place = &result["locations"][0]["physicalLocation"];
        let uri = place["artifactLocation"]["uri"].as_str().expect("uri");
        let file = finding["file"].as_str().expect("file");
        assert!(uri.ends_with(file), "{uri} is not {file}");
        assert_eq!(place["region"]["startLine"], finding["line"]);
    }
    let skipped: Vec<&Value> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["status"] == "skipped")
        .map(|f| &f["file"])
        .collect();
    assert_eq!(skipped.len(), SKIPPED);
    let notified: Vec<&str> = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .filter_map(|n| n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(notified.len(), skipped.len());
    for (uri, file) in notified.iter().zip(skipped) {
        assert!(uri.ends_with(file.as_str().expect("a name")), "{uri}");
    }
}

/// Streamed JUnit (suites spooled past 1 MiB) is still well-formed XML whose root carries the
/// totals of its suites, one suite per file that is not skipped, in path order.
fn streamed_junit_is_well_formed_xml_with_its_totals() {
    let dir = large_repository();
    let junit = large_output(dir.path(), "junit");
    assert!(
        junit.len() > SPOOLED,
        "{} bytes: too small to spool",
        junit.len()
    );
    let text = String::from_utf8(junit).expect("UTF-8");
    let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = xml.root_element();
    let count = |tag: &str| root.descendants().filter(|n| n.has_tag_name(tag)).count();
    assert_eq!(
        root.attribute("tests"),
        Some(count("testcase").to_string().as_str())
    );
    assert_eq!(
        root.attribute("failures"),
        Some(count("failure").to_string().as_str())
    );
    let suites: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    let json: Value = large_json(dir.path());
    let mut expected: Vec<&str> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["status"] != "skipped")
        .filter_map(|f| f["file"].as_str())
        .collect();
    expected.push("governance-lint");
    assert_eq!(suites, expected);
    let last = root
        .children()
        .rfind(|n| n.has_tag_name("testsuite"))
        .expect("the run's suite");
    let skipped = last
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(skipped, SKIPPED);
    assert_eq!(
        last.attribute("skipped"),
        Some(SKIPPED.to_string().as_str())
    );
}

/// Every check a trial; the SARIF schema check is ignored (and says why) where the shared
/// folder with the OASIS schema is absent, never passed without checking.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let no_schema = !sarif_schema_path().is_file();
    if no_schema {
        eprintln!(
            "note: {} not found (the shared folder sits beside the repository in CI): `sarif_is_valid_sarif_2_1_0` and `streamed_sarif_is_valid_sarif_2_1_0` are ignored",
            sarif_schema_path().display()
        );
    }
    let checks: &[(&str, fn())] = &[
        ("sarif_is_valid_sarif_2_1_0", sarif_is_valid_sarif_2_1_0),
        (
            "sarif_names_the_run_and_documents_every_rule",
            sarif_names_the_run_and_documents_every_rule,
        ),
        (
            "json_matches_its_documented_schema",
            json_matches_its_documented_schema,
        ),
        (
            "junit_is_well_formed_xml_that_keeps_contract_text",
            junit_is_well_formed_xml_that_keeps_contract_text,
        ),
        (
            "github_output_is_exactly_one_command_per_finding",
            github_output_is_exactly_one_command_per_finding,
        ),
        (
            "the_step_summary_lists_the_first_50_findings",
            the_step_summary_lists_the_first_50_findings,
        ),
        (
            "the_step_summary_escapes_contract_text",
            the_step_summary_escapes_contract_text,
        ),
        (
            "sarif_fingerprints_survive_unrelated_edits",
            sarif_fingerprints_survive_unrelated_edits,
        ),
        (
            "a_closed_pipe_ends_every_format_quietly",
            a_closed_pipe_ends_every_format_quietly,
        ),
        (
            "streamed_sarif_is_valid_sarif_2_1_0",
            streamed_sarif_is_valid_sarif_2_1_0,
        ),
        (
            "streamed_junit_is_well_formed_xml_with_its_totals",
            streamed_junit_is_well_formed_xml_with_its_totals,
        ),
    ];
    let trials = checks
        .iter()
        .map(|&(name, check)| {
            libtest_mimic::Trial::test(name, move || {
                check();
                Ok(())
            })
            .with_ignored_flag(
                no_schema
                    && matches!(
                        name,
                        "sarif_is_valid_sarif_2_1_0" | "streamed_sarif_is_valid_sarif_2_1_0"
                    ),
            )
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
