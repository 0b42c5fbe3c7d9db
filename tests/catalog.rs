//! `governance-lint catalog`: what it writes for the fixtures, the federated mesh and the demo
//! mesh of `tests/catalog/demo/` (snapshots: `UPDATE_EXPECTED=1` rewrites them), that every
//! `catalog.json` is valid against `docs/catalog.schema.json`, that the domain scorecards add
//! up to the products', and that the page is self-contained and escapes contract text.
//!
//! The shared corpus (`../shared/corpus/real/`) is catalogued too, where it is present; without
//! it that trial is reported as ignored, never as passed.

// Test helpers fail the test by panicking, like assertions do.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus/real");
    dir.is_dir().then_some(dir)
}

/// Runs `governance-lint catalog ARGS --out TMP` from the repository root; the outputs and
/// what it printed.
struct Run {
    _dir: tempfile::TempDir,
    out: PathBuf,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        let text = fs::read_to_string(self.out.join("catalog.json")).expect("catalog.json");
        serde_json::from_str(&text).expect("catalog.json is JSON")
    }

    fn html(&self) -> String {
        fs::read_to_string(self.out.join("index.html")).expect("index.html")
    }
}

fn catalog(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .arg("catalog")
        .args(args)
        .arg("--out")
        .arg(&out)
        .current_dir(root())
        .env_remove("GOVERNANCE_LINT_TODAY")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(0),
        "catalog {args:?} failed:\n{stdout}\n{stderr}"
    );
    Run {
        _dir: dir,
        out,
        stdout,
        stderr,
    }
}

fn schema() -> jsonschema::Validator {
    let text = fs::read_to_string(root().join("docs/catalog.schema.json")).expect("the schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(name: &str, document: &Value) {
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
}

/// The snapshot in `tests/catalog/<name>.catalog.json`, with the generator's version left out.
fn assert_snapshot(name: &str, mut document: Value) {
    if let Some(generator) = document.get_mut("generator") {
        *generator = Value::String("governance-lint".to_owned());
    }
    let text = serde_json::to_string_pretty(&document).expect("serialises") + "\n";
    let path = root().join(format!("tests/catalog/{name}.catalog.json"));
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        fs::write(&path, &text).expect("the snapshot is written");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    if expected != text {
        let diff: Vec<String> = expected
            .lines()
            .zip(text.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(10)
            .map(|(n, (a, b))| format!("line {}:\n  expected {a}\n  actual   {b}", n + 1))
            .collect();
        panic!(
            "{} differs from the catalog (UPDATE_EXPECTED=1 rewrites it):\n{}",
            path.display(),
            diff.join("\n")
        );
    }
}

fn count(value: &Value, key: &str) -> u64 {
    value
        .get(key)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no count `{key}` in {value}"))
}

/// Recomputes each domain's scorecard from its products, independently of the catalog's own
/// arithmetic, and checks the catalog's `domains` and `summary` say the same.
fn assert_domains_add_up(document: &Value) {
    let products = document["products"].as_array().expect("products");
    let mut expected: BTreeMap<String, [u64; 7]> = BTreeMap::new();
    for product in products {
        let key = product["domain"]
            .as_str()
            .map_or_else(|| "\u{0}none".to_owned(), |d| d.trim().to_lowercase());
        let entry = expected.entry(key).or_default();
        let compliance = &product["compliance"];
        entry[0] += 1;
        entry[1] += u64::from(count(compliance, "errors") == 0);
        entry[2] += count(compliance, "errors");
        entry[3] += count(compliance, "warnings");
        for waiver in product["waivers"].as_array().expect("waivers") {
            match waiver["state"].as_str() {
                Some("expiring") => entry[4] += 1,
                Some("expired") => entry[5] += 1,
                _ => {}
            }
        }
        entry[6] += product["fields"].as_array().map_or(0, |f| f.len() as u64);
    }
    let domains = document["domains"].as_array().expect("domains");
    assert_eq!(domains.len(), expected.len(), "one scorecard per domain");
    for domain in domains {
        let key = domain["domain"]
            .as_str()
            .map_or_else(|| "\u{0}none".to_owned(), |d| d.trim().to_lowercase());
        let want = expected
            .get(&key)
            .unwrap_or_else(|| panic!("no products for domain {key}"));
        let waivers = &domain["waivers"];
        let got = [
            count(domain, "products"),
            count(domain, "without_errors"),
            count(domain, "errors"),
            count(domain, "warnings"),
            count(waivers, "expiring"),
            count(waivers, "expired"),
            count(domain, "fields"),
        ];
        assert_eq!(&got, want, "domain {key}");
        let share = domain["share_without_errors"].as_f64().expect("a share");
        let exact = want[1] as f64 / want[0] as f64;
        assert!(
            (share - exact).abs() < 0.0001,
            "domain {key}: {share} vs {exact}"
        );
    }
    let summary = &document["summary"];
    assert_eq!(count(summary, "products"), products.len() as u64);
    assert_eq!(
        count(summary, "without_errors"),
        expected.values().map(|v| v[1]).sum::<u64>()
    );
    assert_eq!(
        count(summary, "lineage_edges"),
        document["lineage"].as_array().map_or(0, |l| l.len() as u64)
    );
    // Every edge joins two products of the catalog.
    let keys: Vec<&str> = products.iter().filter_map(|p| p["key"].as_str()).collect();
    for edge in document["lineage"].as_array().expect("lineage") {
        for end in ["from", "to"] {
            let key = edge[end].as_str().expect("a key");
            assert!(keys.contains(&key), "edge {edge} names no product");
        }
    }
}

fn fixtures_snapshot() {
    let run = catalog(&["fixtures/", "--today", "2026-11-25"]);
    let document = run.json();
    assert_valid("fixtures", &document);
    assert_domains_add_up(&document);
    assert_eq!(
        run.stdout,
        format!(
            "catalog: 10 products in 7 domains, 3 without errors; 0 lineage edges (16 files read)\nwrote {0}/catalog.json and {0}/index.html\n",
            run.out.display()
        )
    );
    // Standard error is no terminal here: no progress bar.
    assert_eq!(run.stderr, "");
    assert_snapshot("fixtures", document);
}

fn mesh_snapshot() {
    let run = catalog(&[
        "fixtures/mesh/contracts",
        "--policies",
        "fixtures/mesh/policies",
        "--today",
        "2026-11-25",
    ]);
    let document = run.json();
    assert_valid("mesh", &document);
    assert_domains_add_up(&document);
    // The waivers of the mesh, as `check` judges them on that day.
    let states: Vec<(String, String)> = document["products"]
        .as_array()
        .expect("products")
        .iter()
        .flat_map(|p| p["waivers"].as_array().cloned().unwrap_or_default())
        .map(|w| {
            (
                w["rule"].as_str().unwrap_or("").to_owned(),
                w["state"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let states: Vec<(&str, &str)> = states
        .iter()
        .map(|(r, s)| (r.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("pii-encrypted", "mandatory"),
            ("owner-is-email", "expiring"),
            ("sales-orders-have-currency", "unused"),
            ("metadata", "expired"),
            ("owner-is-email", "active"),
        ]
    );
    assert_snapshot("mesh", document);
}

fn demo_snapshot() {
    let run = catalog(&["tests/catalog/demo", "--today", "2026-11-25"]);
    let document = run.json();
    assert_valid("demo", &document);
    assert_domains_add_up(&document);
    let edges: Vec<String> = document["lineage"]
        .as_array()
        .expect("lineage")
        .iter()
        .map(|e| {
            let name = |key: &str| {
                let key = e[key].as_str().unwrap_or("");
                key.rsplit('/').next().unwrap_or(key).to_owned()
            };
            format!(
                "{} -> {} ({})",
                name("from"),
                name("to"),
                e["via"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            "orders.yaml -> customer-360.yaml (port)",
            "revenue.dcs.yaml -> revenue-dashboard.odps.yaml (product)",
            "payments.odcs-v2.yaml -> revenue-dashboard.odps.yaml (product)",
            "shipment-tracking.yaml -> logistics-hub.odps.yaml (port)",
            "orders.yaml -> shipment-tracking.yaml (port)",
            "product-views.yaml -> campaign-performance.yaml (port)",
            "orders.yaml -> campaign-performance.yaml (port)",
            "clickstream.yaml -> product-views.yaml (port)",
        ]
    );
    assert_snapshot("demo", document);
}

/// A field name, a description and a waiver reason that try to break out of the page.
fn page_escapes_contract_text() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let contract = dir.path().join("evil.yaml");
    fs::write(
        &contract,
        "data_product: \"</script><script>alert('name')</script>\"\ndomain: \"<img src=x onerror=alert(1)>\"\nowner: a@b.co\nschema_version: \"1\"\ndescription: \"<!-- & -->\"\nschema:\n  - name: \"</script><svg onload=alert(2)>\"\n    type: string\n",
    )
    .expect("written");
    let contract = contract.to_string_lossy().into_owned();
    let run = catalog(&[contract.as_str()]);
    let html = run.html();
    for hostile in ["</script><script>", "<img src=x", "<svg onload", "<!-- &"] {
        assert!(!html.contains(hostile), "the page holds `{hostile}` raw");
    }
    // The data is still all there, escaped, and the page has exactly its own two scripts.
    assert!(html.contains("\\u003c/script\\u003e\\u003csvg onload=alert(2)\\u003e"));
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script>").count(), 2);
}

/// Nothing is loaded from anywhere: no `src`/`href` to a URL, no `@import`, no `url(...)`, a
/// content security policy that forbids any fetch.
fn page_is_self_contained() {
    let run = catalog(&["fixtures/good", "--today", "2026-11-25"]);
    let html = run.html();
    let code: String = html
        .split("<script id=\"catalog-data\"")
        .next()
        .unwrap_or("")
        .to_owned()
        + html.rsplit("</script>\n<script>").next().unwrap_or("");
    for banned in [
        "src=\"http",
        "href=\"http",
        "@import",
        "url(http",
        "url(data",
        "url(/",
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "EventSource",
        "sendBeacon",
        "import(",
        "<link rel=\"stylesheet\"",
    ] {
        assert!(!code.contains(banned), "the page uses `{banned}`");
    }
    // The only absolute URL is the SVG namespace, which is a name, not a download.
    let urls: Vec<&str> = code
        .match_indices("http")
        .map(|(at, _)| code.get(at..at + 30).unwrap_or(""))
        .filter(|u| !u.starts_with("http://www.w3.org/2000/svg") && !u.starts_with("http-equiv"))
        .collect();
    assert!(urls.is_empty(), "{urls:?}");
    assert!(html.contains("content=\"default-src 'none'"));
}

fn corpus_validates() {
    let Some(corpus) = corpus() else { return };
    let corpus = corpus.to_string_lossy().into_owned();
    let run = catalog(&[corpus.as_str(), "--today", "2026-11-25"]);
    let document = run.json();
    assert_valid("corpus", &document);
    assert_domains_add_up(&document);
    // The same files as `check` sees, and one product per contract it lints.
    let check = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args([
            "check",
            corpus.as_str(),
            "--format",
            "json",
            "--today",
            "2026-11-25",
        ])
        .current_dir(root())
        .output()
        .expect("check runs");
    let check: Value = serde_json::from_slice(&check.stdout).expect("the JSON report");
    let (files, lint) = (&document["summary"]["files"], &check["summary"]);
    for key in ["linted", "skipped", "unrecognised", "failed"] {
        assert_eq!(count(files, key), count(lint, key), "{key}");
    }
    assert_eq!(
        count(&document["summary"], "products"),
        count(lint, "contracts")
    );
    assert_eq!(
        document["uncatalogued"]
            .as_array()
            .map_or(0, |u| u.len() as u64),
        count(lint, "unrecognised") + count(lint, "failed")
    );
    // Every finding of `check` is in the catalog, on its product or its uncatalogued file.
    let in_catalog: usize = document["products"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| p["compliance"]["findings"].as_array().map_or(0, Vec::len))
        .sum::<usize>()
        + document["uncatalogued"]
            .as_array()
            .expect("uncatalogued")
            .iter()
            .map(|u| u["findings"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
    assert_eq!(Some(in_catalog), check["findings"].as_array().map(Vec::len));
}

/// The catalog's findings are `check`'s, also where contracts refer to other files (`$ref`,
/// port files, `contractId`): both follow the references, so a PII field defined in another
/// file is PII in the catalog too.
fn findings_are_checks() {
    let dir = "tests/cli/references.in";
    let run = catalog(&[dir, "--today", "2026-11-25"]);
    let document = run.json();
    let check = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(["check", dir, "--format", "json", "--today", "2026-11-25"])
        .current_dir(root())
        .output()
        .expect("check runs");
    let check: Value = serde_json::from_slice(&check.stdout).expect("the JSON report");
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let key = |f: &Value| {
        (
            text(&f["file"]),
            text(&f["rule"]),
            f["line"].as_u64().unwrap_or(0),
        )
    };
    let mut expected: Vec<(String, String, u64)> = check["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(key)
        .collect();
    // A finding inside a referenced file (a `.proto`, `definitions.yaml`) is listed under the
    // product that refers to it, with that file's name.
    let mut found: Vec<(String, String, u64)> = Vec::new();
    for list in ["products", "uncatalogued"] {
        for item in document[list].as_array().expect("a list") {
            let findings = item["compliance"]["findings"]
                .as_array()
                .or_else(|| item["findings"].as_array())
                .expect("findings");
            found.extend(findings.iter().map(key));
        }
    }
    expected.sort();
    found.sort();
    assert_eq!(found, expected);
    let orders = document["products"]
        .as_array()
        .expect("products")
        .iter()
        .find(|p| p["id"] == "orders")
        .expect("the orders contract");
    let email = orders["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == "email")
        .expect("the email field");
    assert_eq!(email["pii"], true, "{email:#}");
    assert_eq!(email["type"], "string", "{email:#}");
}

type Check = (&'static str, fn(), bool);

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let no_corpus = corpus().is_none();
    if no_corpus {
        eprintln!("note: ../shared/corpus/real not found: the corpus trial is ignored, not passed");
    }
    let checks: &[Check] = &[
        ("fixtures_snapshot", fixtures_snapshot, false),
        ("mesh_snapshot", mesh_snapshot, false),
        ("demo_snapshot", demo_snapshot, false),
        (
            "page_escapes_contract_text",
            page_escapes_contract_text,
            false,
        ),
        ("page_is_self_contained", page_is_self_contained, false),
        ("findings_are_checks", findings_are_checks, false),
        ("corpus_validates", corpus_validates, no_corpus),
    ];
    let trials = checks
        .iter()
        .map(|&(name, check, ignored)| {
            libtest_mimic::Trial::test(format!("catalog::{name}"), move || {
                check();
                Ok(())
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
