//! The real-world corpus in `../shared/corpus/real/` (81 public contracts in every major
//! format): every file loads without a panic, every standard is detected for the files of its
//! folder, the canonical model holds what the files say (expected values are read from the
//! files' text here, not from our own output), paired files agree, and the default policy pack
//! runs unchanged on all of them.
//!
//! The corpus is not part of this repository. Where `../shared` is absent (a user's clone) every
//! trial is reported as **ignored**, with a note saying why: never as passed.

// Test helpers fail the test by panicking, like assertions do.
#![allow(clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use governance_core::{
    Contract, Engine, FileStatus, Format, PolicySet, Resolver, SourceFile, Unresolved,
};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    dir.is_dir().then_some(dir)
}

/// A named check of the corpus.
type Check = (&'static str, fn(&Path));

/// One trial per check; all ignored (and said so) without the corpus.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let dir = corpus();
    if dir.is_none() {
        eprintln!(
            "note: ../shared/corpus/real not found (the shared corpus sits next to the project in CI): the corpus trials are ignored, not passed"
        );
    }
    let checks: &[Check] = &[
        (
            "every_file_is_detected_as_its_standard",
            every_file_is_detected_as_its_standard,
        ),
        ("odcs_v3_full_example", odcs_v3_full_example),
        (
            "odcs_v3_nested_properties_and_arrays",
            odcs_v3_nested_properties_and_arrays,
        ),
        ("odcs_v2_full_example", odcs_v2_full_example),
        ("dcs_orders_with_definitions", dcs_orders_with_definitions),
        ("dcs_nested_fields", dcs_nested_fields),
        ("dbt_enforced_models_only", dbt_enforced_models_only),
        ("dpds_and_odps_products", dpds_and_odps_products),
        (
            "paired_files_give_the_same_fields",
            paired_files_give_the_same_fields,
        ),
        (
            "default_pack_runs_on_every_format",
            default_pack_runs_on_every_format,
        ),
    ];
    let trials = checks
        .iter()
        .map(|&(name, check)| {
            let dir = dir.clone();
            let ignored = dir.is_none();
            libtest_mimic::Trial::test(format!("corpus::{name}"), move || {
                if let Some(dir) = &dir {
                    check(dir);
                }
                Ok(())
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn contract(dir: &Path, file: &str) -> Contract {
    Contract::parse(file, read(dir, file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// 1-based line of the `nth` (0-based) line containing `needle`.
fn line_of(text: &str, needle: &str, nth: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .nth(nth)
        .map(|(index, _)| index + 1)
        .unwrap_or_else(|| panic!("`{needle}` not found"))
}

fn field_paths(contract: &Contract) -> Vec<String> {
    contract.fields().map(|f| f.path().to_owned()).collect()
}

fn field<'c>(contract: &'c Contract, path: &str) -> governance_core::Field<'c> {
    contract
        .fields()
        .find(|f| f.path() == path)
        .unwrap_or_else(|| panic!("no field `{path}` in {:?}", field_paths(contract)))
}

fn field_line(contract: &Contract, path: &str) -> usize {
    contract
        .source()
        .position(field(contract, path).span().start())
        .line
}

/// Files of the corpus that are, by design, not contracts of their folder's standard.
const NOT_CONTRACTS: &[(&str, &str)] = &[
    (
        "dbt/dbt-jsonschema__tests__latest__invalid__dbt_yml_files.yml",
        "no model enforces its contract",
    ),
    (
        "dbt/dc-cli__dbt_schema.yaml",
        "no model enforces its contract",
    ),
    (
        "dpds/odm-dpds__examples__tripexecution__ports__health-obport-api.yaml",
        "a port's OpenAPI document, not a descriptor",
    ),
    (
        "dpds/odm-dpds__examples__tripexecution__ports__trip-status-oport-api.json",
        "a port's API definition, not a descriptor",
    ),
    (
        "dpds/odm-dpds__examples__tripexecution__ports__trip-status-oport-schema.json",
        "a port's table schema, not a descriptor",
    ),
    (
        "dpds/odm-dpds__examples__tripexecution__ports__trip-status-oport.json",
        "a port referenced by the descriptor, not a descriptor",
    ),
];

/// Files that look like contracts but match no standard: reported `not-recognised`, not
/// skipped (a gate must not let a misspelt marker through silently).
const UNRECOGNISED: &[(&str, &str)] = &[(
    "odps/dc-dataproduct-cli__tests__fixtures__lint__wrong-kind.odps.yaml",
    "KNOWN-INVALID upstream: `kind: SomethingElse` beside an ODPS body",
)];

/// Not YAML at all (the DCS 0.0.1 pre-release example): a parse error, not a panic.
const NOT_YAML: &[&str] = &["dcs/dcs-spec__example.yaml"];

fn corpus_files(dir: &Path) -> Vec<(String, String)> {
    let index: serde_json::Value = serde_json::from_str(&read(dir, "index.json"))
        .unwrap_or_else(|e| panic!("index.json: {e}"));
    index
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| {
                    Some((
                        f["file"].as_str()?.to_owned(),
                        f["format"].as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The corpus as the repositories it was copied from: a reference is resolved against the
/// original path of the file that holds it (`index.json`) and read from the corpus copy of
/// the file it names, in the same source repository; contract ids are those of every ODCS and
/// DCS contract of the corpus.
#[derive(Debug)]
struct CorpusFiles {
    dir: PathBuf,
    /// (corpus file, source repository, original path).
    files: Vec<(String, String, String)>,
    ids: Vec<String>,
}

impl CorpusFiles {
    fn new(dir: &Path) -> Self {
        let index: serde_json::Value =
            serde_json::from_str(&read(dir, "index.json")).unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<(String, String, String)> = index
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| {
                Some((
                    f["file"].as_str()?.to_owned(),
                    f["repo"].as_str()?.to_owned(),
                    f["path"].as_str()?.to_owned(),
                ))
            })
            .collect();
        let ids = files
            .iter()
            .filter_map(|(file, _, _)| {
                let source = std::sync::Arc::new(SourceFile::new(file.clone(), read(dir, file)));
                Contract::load(&source, governance_core::Limits::default()).ok()
            })
            .flatten()
            .filter(|c| matches!(c.format(), Format::OdcsV3 | Format::OdcsV2 | Format::Dcs))
            .filter_map(|c| c.get("id").map(|(id, _)| id))
            .collect();
        Self {
            dir: dir.to_path_buf(),
            files,
            ids,
        }
    }
}

impl Resolver for CorpusFiles {
    fn read(&self, from: &str, reference: &str) -> Result<SourceFile, Unresolved> {
        let (_, repo, path) = self
            .files
            .iter()
            .find(|(file, _, _)| file == from)
            .ok_or(Unresolved::NotFound)?;
        let mut wanted: Vec<&str> = path.split('/').collect();
        wanted.pop();
        for part in reference.split('/') {
            match part {
                "." | "" => {}
                ".." => {
                    wanted.pop().ok_or(Unresolved::OutsideRoot)?;
                }
                name => wanted.push(name),
            }
        }
        let wanted = wanted.join("/");
        let (file, _, _) = self
            .files
            .iter()
            .find(|(_, r, p)| r == repo && *p == wanted)
            .ok_or(Unresolved::NotFound)?;
        let text = fs::read_to_string(self.dir.join(file)).map_err(|_| Unresolved::NotFound)?;
        Ok(SourceFile::new(file.clone(), text))
    }

    fn has_contract(&self, id: &str) -> Option<bool> {
        Some(self.ids.iter().any(|known| known == id))
    }
}

fn every_file_is_detected_as_its_standard(dir: &Path) {
    let engine = Engine::new(PolicySet::new());
    let files = corpus_files(dir);
    assert_eq!(files.len(), 81, "the corpus index lists 81 files");
    let mut checked = 0;
    for (file, folder_format) in files {
        let report = engine.lint(SourceFile::new(file.clone(), read(dir, &file)));
        if !Format::ALL.iter().any(|f| f.as_str() == folder_format) {
            // `json-schema/`: the standards' own schemas, not contracts.
            assert_eq!(report.status(), FileStatus::Skipped, "{file}");
        } else if NOT_YAML.contains(&file.as_str()) {
            assert_eq!(report.status(), FileStatus::Failed, "{file}");
            assert_eq!(report.findings()[0].rule(), "parse-error", "{file}");
        } else if let Some((_, why)) = UNRECOGNISED.iter().find(|(f, _)| *f == file) {
            assert_eq!(
                report.status(),
                FileStatus::Unrecognised,
                "{file} should be reported: {why}"
            );
            assert_eq!(report.findings()[0].rule(), "not-recognised", "{file}");
        } else if let Some((_, why)) = NOT_CONTRACTS.iter().find(|(f, _)| *f == file) {
            assert_eq!(
                report.status(),
                FileStatus::Skipped,
                "{file} should be skipped: {why}"
            );
        } else {
            assert_eq!(report.status(), FileStatus::Linted, "{file}");
            let format = report.format().map(Format::as_str);
            assert_eq!(format, Some(folder_format.as_str()), "{file}");
        }
        checked += 1;
    }
    assert_eq!(checked, 81);
}

fn odcs_v3_full_example(dir: &Path) {
    let file = "odcs-v3/bitol-odcs__docs__examples__all__full-example.odcs.yaml";
    let text = read(dir, file);
    let c = contract(dir, file);
    assert_eq!(c.format(), Format::OdcsV3);
    assert_eq!(
        field_paths(&c),
        [
            "tbl.transaction_reference_date",
            "tbl.rcvr_id",
            "tbl.rcvr_cntry_code",
            "receivers.id",
            "receivers.country_code",
            "receivers.receiver_name",
            "receivers.receiver_type",
        ]
    );
    // The team object's member with `role: Owner`.
    assert_eq!(c.owner().as_deref(), Some("daustin"));
    assert_eq!(c.domain().as_deref(), Some("seller"));
    assert_eq!(
        field(&c, "tbl.rcvr_id").get("classification").as_deref(),
        Some("restricted")
    );
    // `encryptedName: rcvr_cntry_code_encrypted` means encrypted.
    assert!(field(&c, "tbl.rcvr_cntry_code").is("encrypted"));
    assert!(!field(&c, "tbl.rcvr_id").is("encrypted"));
    assert_eq!(
        field(&c, "tbl.rcvr_id").get("type").as_deref(),
        Some("string")
    );
    assert_eq!(
        field(&c, "tbl.rcvr_id").get("physical_type").as_deref(),
        Some("varchar(18)")
    );
    assert_eq!(
        field_line(&c, "tbl.rcvr_cntry_code"),
        line_of(&text, "name: rcvr_cntry_code", 0)
    );
    assert_eq!(
        field_line(&c, "receivers.id"),
        line_of(&text, "- id: receiver_id_prop", 0) + 1
    );
    // slaProperties: `latency` 4 d, `retention` 3 y.
    assert_eq!(c.get("sla.latency").map(|v| v.0).as_deref(), Some("4 d"));
    assert_eq!(c.get("sla.retention").map(|v| v.0).as_deref(), Some("3 y"));
}

fn odcs_v3_nested_properties_and_arrays(dir: &Path) {
    let file = "odcs-v3/bitol-odcs__docs__examples__schema__all-schema-types.odcs.yaml";
    let text = read(dir, file);
    let c = contract(dir, file);
    let paths = field_paths(&c);
    // `items` of an array is not a field; the named properties inside it are.
    assert!(
        paths.contains(&"AnotherObject.x.id".to_owned()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"AnotherObject.x.zip".to_owned()),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("items")), "{paths:?}");
    assert_eq!(
        field_line(&c, "AnotherObject.x.zip"),
        line_of(&text, "name: zip", 0)
    );
    assert_eq!(c.field_count(), paths.len());
}

fn odcs_v2_full_example(dir: &Path) {
    let file = "odcs-v2/bitol-odcs__examples__all__full-example.yaml";
    let text = read(dir, file);
    let c = contract(dir, file);
    assert_eq!(c.format(), Format::OdcsV2);
    assert_eq!(
        field_paths(&c),
        ["tbl.txn_ref_dt", "tbl.rcvr_id", "tbl.rcvr_cntry_code"]
    );
    assert_eq!(c.owner().as_deref(), Some("daustin"));
    assert_eq!(c.domain().as_deref(), Some("seller"));
    // `encryptedColumnName: rcvr_cntry_code_encrypted`, and `null` elsewhere.
    assert!(field(&c, "tbl.rcvr_cntry_code").is("encrypted"));
    assert!(!field(&c, "tbl.txn_ref_dt").is("encrypted"));
    // `isNullable: false` is `required: true`.
    assert!(field(&c, "tbl.rcvr_id").is("required"));
    assert_eq!(
        field_line(&c, "tbl.rcvr_id"),
        line_of(&text, "- column: rcvr_id", 0)
    );
}

fn dcs_orders_with_definitions(dir: &Path) {
    let file = "dcs/dcs-spec__examples__orders-latest__datacontract.yaml";
    let text = read(dir, file);
    let c = contract(dir, file);
    assert_eq!(c.format(), Format::Dcs);
    assert_eq!(
        field_paths(&c),
        [
            "orders.order_id",
            "orders.order_timestamp",
            "orders.order_total",
            "orders.customer_id",
            "orders.customer_email_address",
            "orders.processed_timestamp",
            "line_items.line_item_id",
            "line_items.order_id",
            "line_items.sku",
        ]
    );
    assert_eq!(c.owner().as_deref(), Some("Checkout Team"));
    assert!(field(&c, "orders.customer_email_address").is("pii"));
    assert_eq!(
        field(&c, "orders.customer_email_address")
            .get("classification")
            .as_deref(),
        Some("sensitive")
    );
    // `$ref: '#/definitions/order_id'`: type, pii and classification come from the definition.
    let order_id = field(&c, "orders.order_id");
    assert_eq!(order_id.get("type").as_deref(), Some("text"));
    assert!(order_id.is("pii"));
    assert_eq!(
        order_id.get("classification").as_deref(),
        Some("restricted")
    );
    assert_eq!(
        field_line(&c, "orders.order_id"),
        line_of(&text, "order_id:", 0)
    );
    assert_eq!(
        field_line(&c, "line_items.sku"),
        line_of(&text, "      sku:", 0)
    );
    assert_eq!(
        c.get("sla.availability").map(|v| v.0).as_deref(),
        Some("99.9%")
    );
    assert_eq!(c.get("sla.freshness").map(|v| v.0).as_deref(), Some("25h"));
}

fn dcs_nested_fields(dir: &Path) {
    let file = "dcs/dcs-spec__examples__orders-latest-nested__datacontract.yaml";
    let text = read(dir, file);
    let c = contract(dir, file);
    let paths = field_paths(&c);
    for nested in [
        "orders.address.street",
        "orders.address.city",
        "orders.address.additional_lines",
    ] {
        assert!(paths.contains(&nested.to_owned()), "{nested} in {paths:?}");
    }
    assert!(!paths.iter().any(|p| p.ends_with("items")), "{paths:?}");
    assert_eq!(
        field_line(&c, "orders.address.city"),
        line_of(&text, "city:", 0)
    );
}

fn dbt_enforced_models_only(dir: &Path) {
    let file = "dbt/dbt-jsonschema__tests__latest__valid__dbt_yml_files.yml";
    let text = read(dir, file);
    let c = contract(dir, file);
    assert_eq!(c.format(), Format::Dbt);
    // Two models enforce their contract; `my_first_dbt_model` and others do not.
    assert_eq!(
        c.tables().collect::<Vec<_>>(),
        ["my_contracted_dbt_model", "my_model_level_contract_model"]
    );
    assert_eq!(field_paths(&c), ["my_contracted_dbt_model.id"]);
    assert_eq!(
        field(&c, "my_contracted_dbt_model.id")
            .get("type")
            .as_deref(),
        Some("int")
    );
    // `constraints: [{type: not_null}]`.
    assert!(field(&c, "my_contracted_dbt_model.id").is("required"));
    // `group: analytics` → the group's owner.
    assert_eq!(c.owner().as_deref(), Some("dave"));
    assert_eq!(
        field_line(&c, "my_contracted_dbt_model.id"),
        line_of(&text, "- name: id", 2)
    );

    // Jinja in `data_type` is text, not an error.
    let jinja = contract(
        dir,
        "dbt/dbt-project-evaluator__integration_tests__models__reports__reports.yml",
    );
    assert_eq!(
        field(&jinja, "report_2.id").get("type").as_deref(),
        Some("{{ 'UInt8' if target.type in ['clickhouse'] else 'integer' }}")
    );
    assert_eq!(jinja.owner().as_deref(), Some("thegoat@jaffleshop.com"));
}

fn dpds_and_odps_products(dir: &Path) {
    let dpds = contract(
        dir,
        "dpds/odm-dpds__examples__tripexecution__data-product-descriptor.json",
    );
    assert_eq!(dpds.format(), Format::Dpds);
    assert_eq!(dpds.owner().as_deref(), Some("john.doe@company-xyz.com"));
    assert_eq!(dpds.domain().as_deref(), Some("Transport Management"));

    let odps = contract(
        dir,
        "odps/bitol-odps__docs__examples__customer-data-product.odps.yaml",
    );
    assert_eq!(odps.format(), Format::Odps);
    assert_eq!(odps.owner().as_deref(), Some("john.doe@retailcorp.com"));
    assert_eq!(odps.domain().as_deref(), Some("seller"));
}

fn paired_files_give_the_same_fields(dir: &Path) {
    for (dcs, odcs, only_in_odcs) in [
        (
            "dcs/dc-cli__tests__fixtures__dbml__datacontract.yaml",
            "odcs-v3/dc-cli__tests__fixtures__dbml__datacontract.odcs.yaml",
            &[][..],
        ),
        (
            "dcs/dc-editor__public__big-contract.yaml",
            "odcs-v3/dc-editor__public__big-contract-odcs.yaml",
            &[],
        ),
        (
            "dcs/dc-cli__tests__fixtures__odcs_v3__full-example.datacontract.yml",
            "odcs-v3/dc-cli__tests__fixtures__odcs_v3__full-example.odcs.yaml",
            &[],
        ),
        // Hand-maintained in both formats; the ODCS copy has two fields more (checked by grep:
        // neither name appears in the DCS file).
        (
            "dcs/dc-cli__tests__fixtures__bigquery__export__datacontract.yaml",
            "odcs-v3/dc-cli__tests__fixtures__bigquery__export__datacontract.odcs.yaml",
            &["time_field", "parameterized_numeric_field"],
        ),
    ] {
        // Compared below the table: one conversion names the table by its physical name.
        let below_table = |c: &Contract| -> Vec<String> {
            field_paths(c)
                .into_iter()
                .map(|p| {
                    p.split_once('.')
                        .map_or(p.clone(), |(_, rest)| rest.to_owned())
                })
                .collect()
        };
        let from_dcs = below_table(&contract(dir, dcs));
        let mut from_odcs = below_table(&contract(dir, odcs));
        for extra in only_in_odcs {
            assert!(!read(dir, dcs).contains(extra));
            from_odcs.retain(|p| p != extra);
        }
        assert_eq!(from_dcs, from_odcs, "{dcs} vs {odcs}");
    }
}

/// The default pack runs unchanged on every file; its findings per rule and format are
/// snapshotted in `tests/corpus/default-pack.txt` (`UPDATE_EXPECTED=1` rewrites it).
fn default_pack_runs_on_every_format(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policies = PolicySet::load(root.join("policies")).unwrap_or_else(|e| panic!("{e:?}"));
    let engine = Engine::new(policies).with_resolver(std::sync::Arc::new(CorpusFiles::new(dir)));
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_rule: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (file, _) in corpus_files(dir) {
        let source = SourceFile::new(file.clone(), read(dir, &file));
        let report = engine.lint(source);
        let format = report.format().map_or("-", Format::as_str).to_owned();
        *statuses
            .entry(format!("{} {}", report.status().as_str(), format))
            .or_default() += 1;
        for finding in report.findings() {
            // Every finding lies inside its file (the contract's, or one it refers to).
            assert!(finding.span().end() <= finding.file().text().len());
            if finding.file().name() != report.source().name() {
                *per_rule
                    .entry((
                        format!("{} (in a referenced file)", finding.rule()),
                        format.clone(),
                    ))
                    .or_default() += 1;
            }
            *per_rule
                .entry((finding.rule().to_owned(), format.clone()))
                .or_default() += 1;
        }
    }
    let mut summary = String::from("# files by status and format\n");
    for (key, count) in &statuses {
        summary.push_str(&format!("{key}: {count}\n"));
    }
    summary.push_str("# findings by rule and format\n");
    for ((rule, format), count) in &per_rule {
        summary.push_str(&format!("{rule} {format}: {count}\n"));
    }
    let expected_path = root.join("tests/corpus/default-pack.txt");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        fs::write(&expected_path, &summary).unwrap_or_else(|e| panic!("{e}"));
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        summary, expected,
        "the default pack's results on the corpus changed"
    );
}
