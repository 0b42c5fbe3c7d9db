//! SARIF 2.1.0 output, as GitHub code scanning reads it (`github/codeql-action/upload-sarif`).
//!
//! - `tool.driver.rules`: every policy rule (switched-off ones with `enabled: false`), then the
//!   findings that no policy defines (`parse-error`, `io-error`, `duplicate-key`...), then any
//!   other id a finding carries, so that every result's `ruleIndex` resolves.
//! - Results point at `uri` relative to the repository root (`uriBaseId` `%SRCROOT%`, forward
//!   slashes, percent-encoded); a file outside the repository gets an absolute `file://` URI.
//! - Columns count Unicode code points and `endColumn` is exclusive (`columnKind`
//!   `unicodeCodePoints`), as the engine computes them.
//! - `partialFingerprints` hash the rule id, the file, the offending source text (the message,
//!   for a finding with an empty span) and the occurrence index of that triple: not the line,
//!   so an edit elsewhere in the file does not change them.
//! - Problems that stop the run (invalid policies, configuration) make a valid log with no
//!   results, `executionSuccessful: false` and one `toolExecutionNotifications` entry each.

use std::collections::HashMap;
use std::io::{self, Write};

use governance_core::{BuiltinRule, FileReport, Finding, Severity};
use serde::Serialize;

use super::{Locator, Renderer, Run, Setup, Summary};
use crate::problem::Problem;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT: &str = "governanceLint/v1";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    invocations: [Invocation<'a>; 1],
    column_kind: &'static str,
    results: Results<'a>,
    /// What the run used: the policies, the configuration, strict mode, a moved date.
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    policies: Option<String>,
    policy_paths: &'a [String],
    /// The packs fetched from git, with their commit and content hash.
    policy_packs: &'a [crate::packs::Locked],
    built_in_policies: bool,
    configuration: Option<&'a str>,
    strict: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    waivers_judged_as_of: Option<String>,
}

/// `automationDetails.id`: the analysis category (`governance-lint/`), which GitHub code
/// scanning and GitHub Advanced Security for Azure DevOps use to tell runs of different tools
/// apart; upload-sarif's `category` input replaces it.
#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    full_name: String,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    /// The id in PascalCase (`pii-encrypted` → `PiiEncrypted`), as SARIF readers expect.
    name: String,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Text<'a>,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    enabled: bool,
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
    descriptor: Reference<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Reference<'a> {
    id: &'a str,
}

/// The results of every report, made and serialised one by one.
struct Results<'a> {
    reports: &'a [FileReport],
    /// One per finding, in order: the file it is in.
    artifacts: &'a [ArtifactLocation],
    /// One per finding, in order.
    fingerprints: &'a [u64],
    /// The index of each rule id in `tool.driver.rules`.
    index: &'a HashMap<&'a str, usize>,
    /// `breaking`: what previous versions are named after.
    against: Option<&'a super::Against>,
    locator: &'a Locator,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let findings = self
            .reports
            .iter()
            .flat_map(FileReport::findings)
            .zip(self.artifacts);
        serializer.collect_seq(findings.zip(self.fingerprints).map(
            |((finding, artifact), fingerprint)| {
                SarifResult {
                    rule_id: finding.rule(),
                    rule_index: self.index.get(finding.rule()).copied().unwrap_or(0),
                    level: level(finding.severity()),
                    message: Text {
                        text: finding.message(),
                    },
                    locations: [location(artifact.clone(), finding.location())],
                    related_locations: finding
                        .previous()
                        .map(|previous| related(previous, self.against, self.locator))
                        .into_iter()
                        .collect(),
                    partial_fingerprints: Fingerprints(*fingerprint),
                    suppressions: finding
                        .suppression()
                        .map(|waiver| Suppression {
                            kind: "inSource",
                            status: "accepted",
                            justification: &waiver.reason,
                        })
                        .into_iter()
                        .collect(),
                }
            },
        ))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [Location; 1],
    /// A change finding (`breaking`): where the thing was in the previous version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: Fingerprints,
    /// A waiver in the contract: GitHub code scanning shows the result as dismissed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

/// `partialFingerprints`: one key, [`FINGERPRINT`], and its 16 hex digits.
struct Fingerprints(u64);

impl Serialize for Fingerprints {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(FINGERPRINT, &format!("{:016x}", self.0))?;
        map.end()
    }
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: OwnedText,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

/// The previous version of a change finding's subject: the same path at the git ref (said in
/// the message), or the previous file itself.
fn related(
    previous: &governance_core::Previous,
    against: Option<&super::Against>,
    locator: &Locator,
) -> RelatedLocation {
    let (path, reference) = match against {
        Some(against) => against.split(previous.file()),
        None => (previous.file(), None),
    };
    let (artifact, text) = match reference {
        Some(reference) => (
            ArtifactLocation {
                uri: percent_encode(path),
                uri_base_id: Some("%SRCROOT%"),
            },
            format!("before, at `{reference}`"),
        ),
        None => (artifact(path, locator), format!("before, in {path}")),
    };
    let Location { physical_location } = location(artifact, previous.location());
    RelatedLocation {
        id: 1,
        physical_location,
        message: OwnedText { text },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// The SARIF level of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The rule descriptors and the index of each id among them.
fn descriptors<'a>(run: &Run<'a>) -> (Vec<Descriptor<'a>>, HashMap<&'a str, usize>) {
    let mut rules = Vec::new();
    // `check` lists the rules it evaluates, `breaking` the change rules.
    let changes = run.context.against.is_some();
    if let Some(policies) = run.policies {
        for rule in policies.rules().filter(|r| r.is_change() == changes) {
            let description = rule.description().unwrap_or(rule.id());
            rules.push(Descriptor {
                id: rule.id(),
                name: pascal_case(rule.id()),
                help_uri: rule
                    .docs()
                    .map_or_else(|| docs_page(RULE_DOCS), str::to_owned),
                short_description: Text {
                    text: first_sentence(description),
                },
                full_description: Text { text: description },
                help: Text {
                    text: rule.help().unwrap_or(description),
                },
                default_configuration: Configuration {
                    enabled: rule.enabled(),
                    level: level(rule.severity()),
                },
            });
        }
    }
    let strict = run.context.strict;
    for builtin in BuiltinRule::ALL {
        rules.push(Descriptor {
            id: builtin.id(),
            name: pascal_case(builtin.id()),
            help_uri: docs_page(BUILTIN_DOCS),
            short_description: Text {
                text: first_sentence(builtin.description()),
            },
            full_description: Text {
                text: builtin.description(),
            },
            help: Text {
                text: builtin.help(),
            },
            default_configuration: Configuration {
                enabled: true,
                level: level(if strict {
                    builtin.strict_severity()
                } else {
                    builtin.severity()
                }),
            },
        });
    }
    let mut index: HashMap<&'a str, usize> = HashMap::new();
    for (i, rule) in rules.iter().enumerate() {
        index.entry(rule.id).or_insert(i);
    }
    for finding in run.reports.iter().flat_map(|r| r.findings()) {
        if !index.contains_key(finding.rule()) {
            index.insert(finding.rule(), rules.len());
            rules.push(Descriptor {
                id: finding.rule(),
                name: pascal_case(finding.rule()),
                help_uri: docs_page(BUILTIN_DOCS),
                short_description: Text {
                    text: finding.rule(),
                },
                full_description: Text {
                    text: finding.rule(),
                },
                help: Text {
                    text: finding.help().unwrap_or(finding.rule()),
                },
                default_configuration: Configuration {
                    enabled: true,
                    level: level(finding.severity()),
                },
            });
        }
    }
    (rules, index)
}

/// Where a rule without `docs "..."` is documented: how to read a rule (`explain`) and give
/// it a page of its own.
const RULE_DOCS: &str = "docs/policy-language.md#documenting-a-rule";
/// Where the findings the engine raises on its own are documented.
const BUILTIN_DOCS: &str = "docs/contracts.md#built-in-rules";

/// A page of this version's documentation, as an absolute URL.
fn docs_page(page: &str) -> String {
    format!(
        "{}/blob/v{}/{page}",
        env!("CARGO_PKG_HOMEPAGE"),
        env!("CARGO_PKG_VERSION")
    )
}

/// `pii-encrypted` → `PiiEncrypted`: every run of letters and digits, capitalised.
fn pascal_case(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for part in id.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// Up to and including the first `. `, or all of it.
fn first_sentence(text: &str) -> &str {
    text.find(". ")
        .map_or(text, |end| text.get(..=end).unwrap_or(text))
}

/// The SARIF renderer: it buffers. The log's `invocations` (with a notification per skipped
/// file) come before its `results`, so the whole run is needed first: each report is kept,
/// detached from its file's text on its worker thread, and the log is written at the end,
/// its results serialised one by one.
pub struct Sarif<'a> {
    setup: Setup<'a>,
    locator: Locator,
}

impl<'a> Sarif<'a> {
    pub fn new(setup: &Setup<'a>) -> Self {
        Self {
            setup: *setup,
            locator: Locator::of(setup.cwd),
        }
    }
}

impl Renderer for Sarif<'_> {
    type Prepared = ();
    type State = Vec<FileReport>;

    fn prepare(&self, report: &mut FileReport) {
        report.detach();
    }

    fn begin(&self, _out: &mut dyn Write, files: usize) -> io::Result<Vec<FileReport>> {
        Ok(Vec::with_capacity(files))
    }

    fn file(
        &self,
        reports: &mut Vec<FileReport>,
        _out: &mut dyn Write,
        report: FileReport,
        (): (),
    ) -> io::Result<()> {
        reports.push(report);
        Ok(())
    }

    fn end(
        &self,
        reports: Vec<FileReport>,
        out: &mut dyn Write,
        _summary: &Summary,
    ) -> io::Result<()> {
        render(out, &Run::linted(&self.setup, &reports), &self.locator)
    }

    fn stopped(&self, out: &mut dyn Write, problems: &[Problem]) -> io::Result<()> {
        render(out, &Run::stopped(&self.setup, problems), &self.locator)
    }
}

/// The whole log of `run`.
fn render(out: &mut dyn Write, run: &Run<'_>, locator: &Locator) -> io::Result<()> {
    let (rules, index) = descriptors(run);
    // One per finding: a finding may be in a file its contract refers to (a DPDS port file,
    // a `.proto`), not in the contract's own.
    let artifacts: Vec<ArtifactLocation> = run
        .reports
        .iter()
        .flat_map(FileReport::findings)
        .map(|finding| {
            // A deleted file (`breaking`) is named `REF:path`: it is located at its path.
            let name = finding.file().name();
            let name = match &run.context.against {
                Some(against) => against.split(name).0,
                None => name,
            };
            artifact(name, locator)
        })
        .collect();
    // The fingerprints first (an occurrence index needs every earlier finding); the results
    // themselves are then serialised one at a time (`Results`), never all held at once.
    let mut occurrences: HashMap<(&str, &str, &str), usize> = HashMap::new();
    let mut fingerprints = Vec::new();
    for (finding, artifact) in run
        .reports
        .iter()
        .flat_map(FileReport::findings)
        .zip(&artifacts)
    {
        fingerprints.push(fingerprint(finding, &artifact.uri, &mut occurrences));
    }
    drop(occurrences);
    let results = Results {
        reports: run.reports,
        artifacts: &artifacts,
        fingerprints: &fingerprints,
        index: &index,
        against: run.context.against.as_ref(),
        locator,
    };
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "governance-lint",
                    full_name: format!(
                        "governance-lint {}: policy-as-code governance for data contracts",
                        env!("CARGO_PKG_VERSION")
                    ),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_HOMEPAGE"),
                    rules,
                },
            },
            automation_details: AutomationDetails {
                id: "governance-lint/",
            },
            invocations: [Invocation {
                execution_successful: run.problems.is_empty(),
                tool_execution_notifications: run
                    .problems
                    .iter()
                    .map(|p| notification(p, locator))
                    .chain(run.reports.iter().filter_map(|r| skipped(r, locator)))
                    .collect(),
            }],
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                policies: run.context.policies.as_ref().map(|p| p.describe()),
                policy_paths: run
                    .context
                    .policies
                    .as_ref()
                    .map_or(&[][..], |p| p.paths.as_slice()),
                policy_packs: run
                    .context
                    .policies
                    .as_ref()
                    .map_or(&[][..], |p| p.packs.as_slice()),
                built_in_policies: run.context.policies.as_ref().is_some_and(|p| p.built_in),
                configuration: run.context.config.as_deref(),
                strict: run.context.strict,
                waivers_judged_as_of: run
                    .context
                    .today
                    .map(|(date, by)| format!("{date} (set by {by})")),
            },
        }],
    };
    super::write_json(out, &log)
}

fn notification<'a>(problem: &'a Problem, locator: &Locator) -> Notification<'a> {
    Notification {
        level: "error",
        message: Text {
            text: &problem.message,
        },
        descriptor: Reference { id: &problem.code },
        locations: problem
            .location
            .iter()
            .map(|at| {
                location(
                    artifact(&at.file, locator),
                    governance_core::Location {
                        start: at.start,
                        end: at.end,
                    },
                )
            })
            .collect(),
    }
}

/// A skipped file, as a `note` notification: it was seen and deliberately not linted.
fn skipped<'a>(
    report: &'a governance_core::FileReport,
    locator: &Locator,
) -> Option<Notification<'a>> {
    let skip = report.skip()?;
    let start = governance_core::Position { line: 1, column: 1 };
    Some(Notification {
        level: "note",
        message: Text {
            text: skip.reason(),
        },
        descriptor: Reference { id: skip.code() },
        locations: vec![location(
            artifact(report.source().name(), locator),
            governance_core::Location { start, end: start },
        )],
    })
}

fn location(artifact: ArtifactLocation, at: governance_core::Location) -> Location {
    Location {
        physical_location: PhysicalLocation {
            artifact_location: artifact,
            region: Region {
                start_line: at.start.line,
                start_column: at.start.column,
                end_line: at.end.line,
                end_column: at.end.column,
            },
        },
    }
}

/// The file relative to `%SRCROOT%`, else an absolute `file://` URI.
fn artifact(shown: &str, locator: &Locator) -> ArtifactLocation {
    match locator.relative(shown) {
        Some(relative) => ArtifactLocation {
            uri: percent_encode(&relative),
            uri_base_id: Some("%SRCROOT%"),
        },
        None => {
            let absolute = locator.absolute(shown);
            let slash = if absolute.starts_with('/') { "" } else { "/" };
            ArtifactLocation {
                uri: format!("file://{slash}{}", percent_encode(&absolute)),
                uri_base_id: None,
            }
        }
    }
}

/// A path as a URI path: every byte but unreserved characters and `/` percent-encoded.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A stable id for a finding: rule, file, offending text and which occurrence of that triple
/// it is, hashed with 64-bit FNV-1a (a fixed algorithm, so the value never changes between
/// versions of Rust or of this tool).
fn fingerprint<'a>(
    finding: &'a Finding,
    uri: &'a str,
    occurrences: &mut HashMap<(&'a str, &'a str, &'a str), usize>,
) -> u64 {
    let text = finding.snippet().trim();
    let text = if text.is_empty() {
        finding.message()
    } else {
        text
    };
    let occurrence = occurrences.entry((finding.rule(), uri, text)).or_insert(0);
    let index = *occurrence;
    *occurrence += 1;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [finding.rule(), uri, text, &index.to_string()] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(percent_encode("a b/c:d%e.yaml"), "a%20b/c%3Ad%25e.yaml");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("pii-encrypted"), "PiiEncrypted");
        assert_eq!(pascal_case("sla_v2.check"), "SlaV2Check");
        assert_eq!(pascal_case("x"), "X");
    }

    #[test]
    fn the_short_description_is_the_first_sentence() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("Only one."), "Only one.");
    }
}
