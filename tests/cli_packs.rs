//! Policy packs from git (`[[packs]]` in governance.toml, `governance.lock`), offline: a
//! central policy repository is a local bare repository reached by a `file://` URL, and the
//! cache lives in a temporary `XDG_CACHE_HOME`. Fetch and lock, the pack's domain layout and
//! mandatory rules, a stale or missing lock with `--locked`, a moved tag, a repository that
//! cannot be reached (warm and cold cache), a lock whose hash was edited, a pack that does not
//! parse, and `--changed-since` after the lock changed. Skipped (with a message) when `git` is
//! not installed.

// Helpers of a test binary: a failed step is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

#[path = "support/git.rs"]
mod support_git;
use support_git::{git, git_installed};

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

const PRIVACY: &str = "rule pii-encrypted {\n  severity error\n  mandatory\n  description \"Personal data is encrypted.\"\n  fields named email must be encrypted\n}\n\nrule owner-is-email {\n  severity warning\n  description \"Owners are mailing lists.\"\n  owner must match email\n}\n";

const SALES: &str = "raise owner-is-email to error\n\nrule sales-has-currency {\n  severity error\n  description \"Sales amounts name their currency.\"\n  fields named currency must exist\n}\n";

/// A sales contract: an unencrypted email, an owner that is not an address, no currency.
const SALES_CONTRACT: &str = "data_product: customers\ndomain: sales\nowner: sales team\nschema:\n  - name: email\n    type: string\n";

/// An HR contract with the same faults: the sales pack does not apply to it.
const HR_CONTRACT: &str =
    "data_product: staff\ndomain: hr\nowner: hr team\nschema:\n  - name: email\n    type: string\n";

/// A central policy repository (`mesh/global/`, `mesh/domains/sales/`), tagged `v1`, and a
/// domain repository whose governance.toml uses its `mesh` folder at `v1`.
struct Mesh {
    _temp: tempfile::TempDir,
    /// The work tree the central team commits in.
    central: PathBuf,
    /// The bare repository the packs are fetched from.
    remote: PathBuf,
    /// The domain repository.
    domain: PathBuf,
    /// `XDG_CACHE_HOME`.
    cache: PathBuf,
}

impl Mesh {
    fn new() -> Self {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let central = temp.path().join("central");
        let remote = temp.path().join("central.git");
        let domain = temp.path().join("domain");
        let cache = temp.path().join("cache");
        write(&central, "mesh/global/privacy.policy", PRIVACY);
        write(&central, "mesh/domains/sales/sales.policy", SALES);
        write(&central, "README.md", "The central team's policies.\n");
        git(&central, &["init", "-q"]);
        git(&central, &["add", "-A"]);
        git(&central, &["commit", "-q", "-m", "v1"]);
        git(&central, &["tag", "-a", "v1", "-m", "v1"]);
        git(
            temp.path(),
            &["clone", "-q", "--bare", "central", "central.git"],
        );
        let mesh = Self {
            _temp: temp,
            central,
            remote,
            domain,
            cache,
        };
        write(
            &mesh.domain,
            "contracts/sales/customers.yaml",
            SALES_CONTRACT,
        );
        write(&mesh.domain, "contracts/hr/staff.yaml", HR_CONTRACT);
        mesh.configure("v1", "");
        git(&mesh.domain, &["init", "-q"]);
        mesh
    }

    fn url(&self) -> String {
        format!("file://{}", self.remote.display())
    }

    /// Writes the domain's governance.toml: the central `mesh` pack at `rev`, and `extra`.
    fn configure(&self, rev: &str, extra: &str) {
        write(
            &self.domain,
            "governance.toml",
            &format!(
                "{extra}\n[[packs]]\ngit = \"{}\"\nrev = \"{rev}\"\npath = \"mesh\"\n",
                self.url()
            ),
        );
    }

    /// Commits `text` as `name` in the central repository and pushes it, moving `tag` there.
    fn publish(&self, name: &str, text: &str, tag: &str) -> String {
        write(&self.central, name, text);
        git(&self.central, &["add", "-A"]);
        git(&self.central, &["commit", "-q", "-m", "change"]);
        git(&self.central, &["tag", "-f", "-a", tag, "-m", tag]);
        let remote = self.remote.display().to_string();
        git(&self.central, &["push", "-q", "-f", &remote, "main", tag]);
        git(&self.central, &["rev-parse", "HEAD"])
    }

    fn commit_of(&self, tag: &str) -> String {
        git(&self.central, &["rev-parse", &format!("{tag}^{{commit}}")])
    }

    fn lint(&self, args: &[&str]) -> Output {
        self.lint_in(&self.domain, args)
    }

    fn lint_in(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_governance-lint"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "200")
            .env("XDG_CACHE_HOME", &self.cache)
            .env("GOVERNANCE_LINT_TODAY", "2026-11-25")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .expect("the linter runs")
    }

    fn lock(&self) -> String {
        std::fs::read_to_string(self.domain.join("governance.lock")).unwrap_or_default()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(output), stderr(output)))
}

/// `(file, rule, severity)` of every finding of a JSON report.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap_or_default().to_owned();
            (text("file"), text("rule"), text("severity"))
        })
        .collect();
    found.sort();
    found
}

fn triples(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect()
}

#[test]
fn a_pack_is_fetched_locked_and_applied_like_local_policies() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    let v1 = mesh.commit_of("v1");

    let update = mesh.lint(&["packs", "update"]);
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    assert!(
        stdout(&update).contains(&format!(
            "pinned {} (mesh/) at v1 (commit {}): newly pinned",
            mesh.url(),
            &v1[..12]
        )),
        "{}",
        stdout(&update)
    );
    let lock = mesh.lock();
    assert!(lock.contains(&format!("commit = \"{v1}\"")), "{lock}");
    assert!(lock.contains("rev = \"v1\""), "{lock}");
    assert!(lock.contains("path = \"mesh\""), "{lock}");
    assert!(lock.contains("hash = \"sha256:"), "{lock}");
    // The cache holds the pack; nothing else was written in the repository.
    assert!(mesh.cache.join("governance-lint/packs").is_dir());

    // The pack's domain layout, mandatory rule and `raise` work as local ones do.
    let report = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    assert_eq!(report.status.code(), Some(1), "{}", stderr(&report));
    let report = json(&report);
    assert_eq!(
        findings(&report),
        triples(&[
            ("contracts/hr/staff.yaml", "owner-is-email", "warning"),
            ("contracts/hr/staff.yaml", "pii-encrypted", "error"),
            ("contracts/sales/customers.yaml", "owner-is-email", "error"),
            ("contracts/sales/customers.yaml", "pii-encrypted", "error"),
            (
                "contracts/sales/customers.yaml",
                "sales-has-currency",
                "error"
            ),
        ])
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/json-report.schema.json"
        ))
        .expect("the schema"),
    )
    .expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let packs = &report["run"]["policies"]["packs"];
    assert_eq!(packs[0]["git"], mesh.url().as_str());
    assert_eq!(packs[0]["rev"], "v1");
    assert_eq!(packs[0]["path"], "mesh");
    assert_eq!(packs[0]["commit"], v1.as_str());
    assert_eq!(report["run"]["policies"]["domain_packs"][0], "sales");
    // No local policies: the built-in default pack does not mix with a central one.
    assert_eq!(report["run"]["policies"]["source"], "files");
    assert_eq!(report["run"]["policies"]["rules"], 3);

    // The human summary and SARIF name the pack with its source and commit.
    let human = mesh.lint(&["check", "contracts", "--locked"]);
    let text = stdout(&human);
    assert!(
        text.contains(&format!(
            "policies: {} (mesh/) at v1 (commit {}) — 3 rules, 1 domain pack (sales)",
            mesh.url(),
            &v1[..12]
        )),
        "{text}"
    );
    let sarif = mesh.lint(&["check", "contracts", "--locked", "--format", "sarif"]);
    let sarif = json(&sarif);
    let properties = &sarif["runs"][0]["properties"];
    assert_eq!(properties["policyPacks"][0]["commit"], v1.as_str());
    assert!(properties["policies"]
        .as_str()
        .is_some_and(|p| p.contains(&v1[..12])));

    // `rules` and `explain` see the pack too.
    let rules = mesh.lint(&["rules", "--locked"]);
    assert!(
        stdout(&rules).contains("sales-has-currency"),
        "{}",
        stdout(&rules)
    );
    let explain = mesh.lint(&["explain", "contracts/hr/staff.yaml", "--locked"]);
    assert!(
        stdout(&explain).contains("domain pack `sales`; the contract's domain is `hr`"),
        "{}",
        stdout(&explain)
    );
}

#[test]
fn local_policies_cannot_weaken_a_mandatory_rule_of_a_pack() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));

    // Switched off in governance.toml.
    mesh.configure("v1", "[rules]\npii-encrypted = \"off\"\n");
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("config::mandatory_rule"),
        "{}",
        stderr(&output)
    );

    // Redefined by a local policy.
    mesh.configure("v1", "policies = [\"policies\"]\n");
    write(
        &mesh.domain,
        "policies/mine.policy",
        "rule pii-encrypted {\n  severity info\n  description \"Weaker.\"\n  owner must exist\n}\n",
    );
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("policy::duplicate_rule"),
        "{}",
        stderr(&output)
    );

    // Lowered by a local domain pack's `raise`.
    write(
        &mesh.domain,
        "policies/mine.policy",
        "rule local-owner {\n  severity info\n  description \"Local.\"\n  owner must exist\n}\n",
    );
    write(
        &mesh.domain,
        "policies/domains/sales/lower.policy",
        "raise pii-encrypted to warning\n",
    );
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("policy::not_a_raise"),
        "{}",
        stderr(&output)
    );

    // Waived in a contract.
    std::fs::remove_dir_all(mesh.domain.join("policies/domains")).expect("remove");
    write(
        &mesh.domain,
        "contracts/sales/customers.yaml",
        &format!("{SALES_CONTRACT}x-governance:\n  waivers:\n    - rule: pii-encrypted\n      field: email\n      reason: later\n      owner: a@company.com\n      expires: 2026-12-01\n"),
    );
    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    let report = json(&output);
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.1).collect();
    assert!(rules.contains(&"waiver-mandatory".to_owned()), "{rules:?}");
    assert!(rules.contains(&"pii-encrypted".to_owned()), "{rules:?}");
}

#[test]
fn locked_refuses_a_missing_or_stale_lock_and_unlocked_runs_write_it() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();

    // No lock: `--locked` stops, naming the pack.
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("packs::not_locked"), "{text}");
    assert!(text.contains("`governance.lock` is missing"), "{text}");
    assert!(text.contains(&mesh.url()), "{text}");
    assert_eq!(mesh.lock(), "", "`--locked` writes nothing");
    // The machine formats stay valid documents that say why.
    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output)["errors"][0]["code"], "packs::not_locked");

    // Without `--locked`, the pack is resolved and pinned, and a note says so.
    let output = mesh.lint(&["check", "contracts"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("note: `governance.lock`: pinned"),
        "{}",
        stderr(&output)
    );
    assert!(mesh.lock().contains(&mesh.commit_of("v1")));
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    // governance.toml asks for another rev: the lock is stale.
    mesh.publish(
        "mesh/global/extra.policy",
        "rule extra {\n  severity info\n  description \"More.\"\n  owner must exist\n}\n",
        "v2",
    );
    mesh.configure("v2", "");
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("packs::not_locked"), "{text}");
    assert!(
        text.contains("at `v2` is not pinned in `governance.lock`"),
        "{text}"
    );
    assert!(text.contains("packs::stale_lock"), "{text}");
    assert!(text.contains("governance-lint packs update"), "{text}");

    let update = mesh.lint(&["packs", "update"]);
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    assert!(stdout(&update).contains("dropped"), "{}", stdout(&update));
    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    assert_eq!(json(&output)["run"]["policies"]["rules"], 4);
}

#[test]
fn a_moved_tag_changes_nothing_until_the_lock_is_updated() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    let v1 = mesh.commit_of("v1");
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));
    let moved = mesh.publish(
        "mesh/global/extra.policy",
        "rule extra {\n  severity info\n  description \"More.\"\n  owner must exist\n}\n",
        "v1",
    );
    assert_ne!(moved, v1);

    // The locked commit is used, from the cache.
    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["run"]["policies"]["packs"][0]["commit"], v1.as_str());
    assert_eq!(report["run"]["policies"]["rules"], 3);
    // And with a cold cache too: the old commit is fetched by its id.
    let cold = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(["check", "contracts", "--locked", "--format", "json"])
        .current_dir(&mesh.domain)
        .env("XDG_CACHE_HOME", cold.path())
        .output()
        .expect("runs");
    assert_eq!(
        json(&output)["run"]["policies"]["packs"][0]["commit"],
        v1.as_str(),
        "{}",
        stderr(&output)
    );

    // `packs update` moves the lock, and says the tag moved.
    let update = mesh.lint(&["packs", "update"]);
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    assert!(
        stdout(&update).contains(&format!("was {}: `v1` moved", &v1[..12])),
        "{}",
        stdout(&update)
    );
    assert!(mesh.lock().contains(&moved));
    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    assert_eq!(json(&output)["run"]["policies"]["rules"], 4);
}

#[test]
fn a_warm_cache_works_offline_and_a_cold_one_says_what_failed() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));
    assert_eq!(
        mesh.lint(&["check", "contracts", "--locked"]).status.code(),
        Some(1)
    );
    // The repository can no longer be reached.
    let away = mesh.remote.with_extension("away");
    std::fs::rename(&mesh.remote, &away).expect("rename");

    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(findings(&json(&output)).len(), 5);

    let update = mesh.lint(&["packs", "update"]);
    assert_eq!(update.status.code(), Some(2));
    let text = stderr(&update);
    assert!(text.contains("packs::fetch"), "{text}");
    assert!(
        text.contains(&format!("cannot fetch pack `{}` at `v1`", mesh.url())),
        "{text}"
    );
    assert!(text.contains("git says:"), "{text}");
    assert!(
        mesh.lock().contains("commit = "),
        "a failed update keeps the lock"
    );

    let cold = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
        .args(["check", "contracts", "--locked"])
        .current_dir(&mesh.domain)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", cold.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("packs::fetch"), "{text}");
    assert!(text.contains("at its locked commit"), "{text}");
    std::fs::rename(&away, &mesh.remote).expect("rename back");
}

#[test]
fn the_content_hash_is_checked_on_every_run() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));
    let v1 = mesh.commit_of("v1");
    // A changed file in the cache is extracted again from the cached repository.
    let cached: Vec<PathBuf> = std::fs::read_dir(mesh.cache.join("governance-lint/packs"))
        .expect("the cache")
        .flatten()
        .map(|e| e.path())
        .collect();
    let tree = cached[0].join("trees").join(&v1);
    write(&tree, "mesh/global/privacy.policy", "# emptied\n");
    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    assert_eq!(findings(&json(&output)).len(), 5, "{}", stderr(&output));

    // A lock whose hash was edited is refused.
    let lock = mesh.lock();
    let at = lock.find("sha256:").expect("a hash") + "sha256:".len();
    let edited = format!("{}{}{}", &lock[..at], "0".repeat(64), &lock[at + 64..]);
    std::fs::write(mesh.domain.join("governance.lock"), edited).expect("write");
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("packs::hash_mismatch"), "{text}");
    assert!(text.contains(&mesh.url()), "{text}");

    // A lock that is not a lock.
    std::fs::write(mesh.domain.join("governance.lock"), "version = 7\n").expect("write");
    let output = mesh.lint(&["check", "contracts"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("packs::bad_lock"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_pack_that_does_not_parse_stops_the_run_and_is_named() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    mesh.publish(
        "mesh/global/broken.policy",
        "rule broken {\n  severity fatal\n  owner must exist\n}\n",
        "broken",
    );
    mesh.configure("broken", "");
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));
    let output = mesh.lint(&["check", "contracts", "--locked"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("packs::invalid"), "{text}");
    assert!(
        text.contains(&format!("pack {} (mesh/) at broken (commit", mesh.url())),
        "{text}"
    );
    assert!(text.contains("broken.policy"), "{text}");
    let output = mesh.lint(&["check", "contracts", "--locked", "--format", "json"]);
    let codes: Vec<String> = json(&output)["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["code"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(codes.contains(&"packs::invalid".to_owned()), "{codes:?}");

    // A folder the commit does not have.
    mesh.configure("v1", "");
    let toml = std::fs::read_to_string(mesh.domain.join("governance.toml")).expect("read");
    write(
        &mesh.domain,
        "governance.toml",
        &toml.replace("path = \"mesh\"", "path = \"nowhere\""),
    );
    let update = mesh.lint(&["packs", "update"]);
    assert_eq!(update.status.code(), Some(2));
    assert!(
        stderr(&update).contains("has no folder `nowhere` at `v1`"),
        "{}",
        stderr(&update)
    );
}

#[test]
fn a_changed_lock_makes_changed_since_lint_everything() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));
    git(&mesh.domain, &["add", "-A"]);
    git(&mesh.domain, &["commit", "-q", "-m", "domain"]);
    let output = mesh.lint(&["check", "contracts", "--locked", "--changed-since", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no contract changed since HEAD"),
        "{}",
        stderr(&output)
    );

    mesh.publish(
        "mesh/global/extra.policy",
        "rule extra {\n  severity info\n  description \"More.\"\n  owner must exist\n}\n",
        "v1",
    );
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));
    let output = mesh.lint(&["check", "contracts", "--locked", "--changed-since", "HEAD"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "the configuration changed since HEAD (governance.lock): linting every contract"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn policy_tests_of_a_pack_run_with_the_local_ones() {
    if !git_installed() {
        return;
    }
    let mesh = Mesh::new();
    mesh.publish(
        "mesh/global/privacy.tests.yaml",
        "tests:\n  - name: an unencrypted email\n    contract:\n      data_product: p\n      owner: a@b.com\n      schema:\n        - name: email\n    expect:\n      - rule: pii-encrypted\n        field: email\n",
        "v1",
    );
    assert_eq!(mesh.lint(&["packs", "update"]).status.code(), Some(0));
    let output = mesh.lint(&["test", "--locked"]);
    assert!(
        stdout(&output).contains("an unencrypted email"),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}
