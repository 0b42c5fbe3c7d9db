//! SARIF 2.1.0 output, as GitHub code scanning reads it (`github/codeql-action/upload-sarif`).
//!
//! - `tool.driver.rules`: every policy rule (switched-off ones with `enabled: false`), then the
//!   findings that no policy defines (`parse-error`, `io-error`, `duplicate-key`...), then any
//!   other id a finding carries, so that every result's `ruleIndex` resolves.
//! - The log is written as the files are linted: each file's results are rendered on the
//!   worker thread that linted it and spooled in path order (in memory up to 1 MiB, then in a
//!   temporary file, [`Spool`]); `tool` and `invocations`, which list the skipped files, are
//!   written at the end, followed by the spooled results. Memory does not grow with the
//!   findings of a run, and the log is the same bytes as one serialised at once.
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

use governance_core::{BuiltinRule, FileReport, Finding, Severity, Skip};
use serde::Serialize;

use super::json::pretty_at;
use super::spool::Spool;
use super::{Locator, Renderer, Setup, Summary};
use crate::problem::Problem;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT: &str = "governanceLint/v1";

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
    rules: Rules<'a>,
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

/// The rule descriptors (the policy rules, then the built-in ones) and the index of each id
/// among them.
fn descriptors<'a>(setup: &Setup<'a>) -> (Vec<Descriptor<'a>>, HashMap<&'a str, usize>) {
    let mut rules = Vec::new();
    // `check` lists the rules it evaluates, `breaking` the change rules.
    let changes = setup.context.against.is_some();
    if let Some(policies) = setup.policies {
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
    let strict = setup.context.strict;
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

/// The SARIF renderer: it streams. Each file's results are rendered (and fingerprinted) on the
/// worker thread that linted it and written in path order to a [`Spool`]; the skipped files
/// (a name and a reason each) and any rule id no policy defines wait for the end, where the
/// log is written with its `tool` and `invocations` first and then the spooled results, the
/// same bytes as a log serialised at once.
pub struct Sarif<'a> {
    setup: Setup<'a>,
    locator: Locator,
    /// The policy rules, then the built-in ones: known before any file is linted.
    rules: Vec<Descriptor<'a>>,
    /// The index of each rule id in [`Sarif::rules`].
    index: HashMap<&'a str, usize>,
}

impl<'a> Sarif<'a> {
    pub fn new(setup: &Setup<'a>) -> Self {
        let (rules, index) = descriptors(setup);
        Self {
            setup: *setup,
            locator: Locator::of(setup.cwd),
            rules,
            index,
        }
    }

    /// Where a file is. A deleted file (`breaking`) is named `REF:path`: it is located at its
    /// path.
    fn artifact(&self, shown: &str) -> ArtifactLocation {
        let name = match &self.setup.context.against {
            Some(against) => against.split(shown).0,
            None => shown,
        };
        artifact(name, &self.locator)
    }

    /// The whole log: `tool` (with the rules found only in findings after the others),
    /// `automationDetails`, `invocations` (the problems that stopped the run, then the skipped
    /// files), `columnKind`, the spooled `results`, and `properties`.
    fn write(&self, out: &mut dyn Write, stream: Stream, problems: &[Problem]) -> io::Result<()> {
        let extra: Vec<Descriptor<'_>> = stream.extra.iter().map(Extra::descriptor).collect();
        let tool = pretty_at(
            &Tool {
                driver: Driver {
                    name: "governance-lint",
                    full_name: format!(
                        "governance-lint {}: policy-as-code governance for data contracts",
                        env!("CARGO_PKG_VERSION")
                    ),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_HOMEPAGE"),
                    rules: Rules {
                        known: &self.rules,
                        extra: &extra,
                    },
                },
            },
            3,
        );
        let automation = pretty_at(
            &AutomationDetails {
                id: "governance-lint/",
            },
            3,
        );
        let invocations = pretty_at(
            &[Invocation {
                execution_successful: problems.is_empty(),
                tool_execution_notifications: problems
                    .iter()
                    .map(|p| notification(p, &self.locator))
                    .chain(stream.skipped.iter().map(SkippedFile::notification))
                    .collect(),
            }],
            3,
        );
        write!(
            out,
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"automationDetails\": {},\n      \"invocations\": {},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
            tool.trim_start(),
            automation.trim_start(),
            invocations.trim_start(),
        )?;
        drop((tool, invocations));
        let any = !stream.results.is_empty();
        if any {
            out.write_all(b"\n")?;
            stream.results.copy_to(out)?;
            out.write_all(b"\n      ")?;
        }
        let context = self.setup.context;
        let properties = pretty_at(
            &RunProperties {
                policies: context.policies.as_ref().map(|p| p.describe()),
                policy_paths: context
                    .policies
                    .as_ref()
                    .map_or(&[][..], |p| p.paths.as_slice()),
                policy_packs: context
                    .policies
                    .as_ref()
                    .map_or(&[][..], |p| p.packs.as_slice()),
                built_in_policies: context.policies.as_ref().is_some_and(|p| p.built_in),
                configuration: context.config.as_deref(),
                strict: context.strict,
                waivers_judged_as_of: context
                    .today
                    .map(|(date, by)| format!("{date} (set by {by})")),
            },
            3,
        );
        writeln!(
            out,
            "],\n      \"properties\": {}\n    }}\n  ]\n}}",
            properties.trim_start(),
        )
    }

    /// The results of one report's findings, each as pretty JSON at its depth in the log,
    /// separated by `,\n`, and the occurrence key of each. `index` resolves every rule id of
    /// the report; `prior` says how many findings of a key came in earlier reports (a file a
    /// contract refers to can have findings in several reports).
    fn results(
        &self,
        report: &FileReport,
        index: &dyn Fn(&str) -> usize,
        prior: &dyn Fn(u64) -> usize,
    ) -> (String, Vec<u64>) {
        // How many findings of each key came before in this report.
        let mut occurrences: HashMap<u64, usize> = HashMap::new();
        let mut results = String::new();
        let mut keys = Vec::with_capacity(report.findings().len());
        for finding in report.findings() {
            // The file the finding is in: the contract's, or a file it refers to.
            let artifact = self.artifact(finding.file().name());
            let key = occurrence_key(finding, &artifact.uri);
            keys.push(key);
            let local = occurrences.entry(key).or_insert(0);
            let fingerprint = fingerprint(finding, &artifact.uri, prior(key) + *local);
            *local += 1;
            if !results.is_empty() {
                results.push_str(",\n");
            }
            let result = SarifResult {
                rule_id: finding.rule(),
                rule_index: index(finding.rule()),
                level: level(finding.severity()),
                message: Text {
                    text: finding.message(),
                },
                locations: [location(artifact.clone(), finding.location())],
                related_locations: finding
                    .previous()
                    .map(|previous| {
                        related(previous, self.setup.context.against.as_ref(), &self.locator)
                    })
                    .into_iter()
                    .collect(),
                partial_fingerprints: Fingerprints(fingerprint),
                suppressions: finding
                    .suppression()
                    .map(|waiver| Suppression {
                        kind: "inSource",
                        status: "accepted",
                        justification: &waiver.reason,
                    })
                    .into_iter()
                    .collect(),
            };
            results.push_str(&pretty_at(&result, 4));
        }
        (results, keys)
    }
}

/// `tool.driver.rules`: the rules known up front, then those found only in findings.
struct Rules<'r> {
    known: &'r [Descriptor<'r>],
    extra: &'r [Descriptor<'r>],
}

impl Serialize for Rules<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.known.iter().chain(self.extra))
    }
}

/// One file's part of the log, made on the worker thread that linted it.
pub enum Prepared {
    /// Its results (possibly none), and where it is and why when it was skipped.
    Rendered {
        results: String,
        /// The occurrence key of each finding.
        keys: Vec<u64>,
        skipped: Option<SkippedFile>,
    },
    /// A finding's rule is neither a policy rule nor a built-in one (none is, today): its
    /// `ruleIndex` depends on the files before it, so the report (detached, which the driver
    /// hands on) is rendered in path order.
    Later,
}

/// What the log keeps from one file to the next.
pub struct Stream {
    /// The results so far, separated by `,\n`.
    results: Spool,
    /// The skipped files, in path order, for `invocations`.
    skipped: Vec<SkippedFile>,
    /// The rule ids that only findings carry, in the order they first appeared.
    extra: Vec<Extra>,
    /// How many findings of each occurrence key came so far: a file that contracts refer to
    /// can have findings in several reports, and its fingerprints count them all (about 40
    /// bytes per distinct key).
    seen: HashMap<u64, usize>,
}

impl Stream {
    fn new() -> Self {
        Self {
            results: Spool::default(),
            skipped: Vec::new(),
            extra: Vec::new(),
            seen: HashMap::new(),
        }
    }
}

/// A rule id that no policy and no built-in rule defines, described by its first finding.
struct Extra {
    id: String,
    name: String,
    help: Option<String>,
    level: &'static str,
}

impl Extra {
    fn descriptor(&self) -> Descriptor<'_> {
        Descriptor {
            id: &self.id,
            name: self.name.clone(),
            help_uri: docs_page(BUILTIN_DOCS),
            short_description: Text { text: &self.id },
            full_description: Text { text: &self.id },
            help: Text {
                text: self.help.as_deref().unwrap_or(&self.id),
            },
            default_configuration: Configuration {
                enabled: true,
                level: self.level,
            },
        }
    }
}

/// A skipped file, as `invocations` will name it.
pub struct SkippedFile {
    artifact: ArtifactLocation,
    skip: Skip,
}

impl SkippedFile {
    fn of(report: &FileReport, locator: &Locator) -> Option<Self> {
        Some(Self {
            artifact: artifact(report.source().name(), locator),
            skip: report.skip()?.clone(),
        })
    }

    /// As a `note` notification: the file was seen and deliberately not linted.
    fn notification(&self) -> Notification<'_> {
        let start = governance_core::Position { line: 1, column: 1 };
        Notification {
            level: "note",
            message: Text {
                text: self.skip.reason(),
            },
            descriptor: Reference {
                id: self.skip.code(),
            },
            locations: vec![location(
                self.artifact.clone(),
                governance_core::Location { start, end: start },
            )],
        }
    }
}

impl Renderer for Sarif<'_> {
    type Prepared = Prepared;
    type State = Stream;

    fn prepare(&self, report: &mut FileReport) -> Prepared {
        // The fingerprints hash the offending text as a detached finding keeps it (its first
        // 256 bytes), as they always have.
        report.detach();
        let known = |rule: &str| self.index.get(rule).copied();
        if report.findings().iter().any(|f| known(f.rule()).is_none()) {
            return Prepared::Later;
        }
        // As if no earlier report had findings of the same keys; `file` renders the report
        // again in the rare case one had.
        let (results, keys) = self.results(report, &|rule| known(rule).unwrap_or(0), &|_| 0);
        Prepared::Rendered {
            results,
            keys,
            skipped: SkippedFile::of(report, &self.locator),
        }
    }

    fn begin(&self, _out: &mut dyn Write, _files: usize) -> io::Result<Stream> {
        Ok(Stream::new())
    }

    fn file(
        &self,
        stream: &mut Stream,
        _out: &mut dyn Write,
        report: FileReport,
        prepared: Prepared,
    ) -> io::Result<()> {
        let (results, keys, skipped) = match prepared {
            Prepared::Rendered {
                results,
                keys,
                skipped,
            } if keys.iter().all(|key| !stream.seen.contains_key(key)) => (results, keys, skipped),
            Prepared::Rendered { skipped, .. } => {
                let index = |rule: &str| self.index.get(rule).copied().unwrap_or(0);
                let seen = &stream.seen;
                let prior = |key: u64| seen.get(&key).copied().unwrap_or(0);
                let (results, keys) = self.results(&report, &index, &prior);
                (results, keys, skipped)
            }
            Prepared::Later => {
                for finding in report.findings() {
                    let rule = finding.rule();
                    if !self.index.contains_key(rule) && !stream.extra.iter().any(|e| e.id == rule)
                    {
                        stream.extra.push(Extra {
                            id: rule.to_owned(),
                            name: pascal_case(rule),
                            help: finding.help().map(str::to_owned),
                            level: level(finding.severity()),
                        });
                    }
                }
                let extra = &stream.extra;
                let index = |rule: &str| {
                    self.index.get(rule).copied().unwrap_or_else(|| {
                        self.rules.len() + extra.iter().position(|e| e.id == rule).unwrap_or(0)
                    })
                };
                let seen = &stream.seen;
                let prior = |key: u64| seen.get(&key).copied().unwrap_or(0);
                let (results, keys) = self.results(&report, &index, &prior);
                (results, keys, SkippedFile::of(&report, &self.locator))
            }
        };
        for key in keys {
            *stream.seen.entry(key).or_insert(0) += 1;
        }
        stream.skipped.extend(skipped);
        if results.is_empty() {
            return Ok(());
        }
        if !stream.results.is_empty() {
            stream.results.write_all(b",\n")?;
        }
        stream.results.write_all(results.as_bytes())
    }

    fn end(
        &self,
        stream: Stream,
        out: &mut dyn Write,
        _summary: &Summary,
        problems: &[Problem],
    ) -> io::Result<()> {
        self.write(out, stream, problems)
    }

    fn stopped(&self, out: &mut dyn Write, problems: &[Problem]) -> io::Result<()> {
        self.write(out, Stream::new(), problems)
    }
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
fn fingerprint(finding: &Finding, uri: &str, occurrence: usize) -> u64 {
    fnv([
        finding.rule(),
        uri,
        offending_text(finding),
        &occurrence.to_string(),
    ])
}

/// The text a fingerprint hashes: the offending source text, or the message for a finding
/// with an empty span.
fn offending_text(finding: &Finding) -> &str {
    let text = finding.snippet().trim();
    if text.is_empty() {
        finding.message()
    } else {
        text
    }
}

/// The (rule, file, text) triple whose occurrences a fingerprint counts, hashed: what the log
/// keeps of each finding to count them over the run.
fn occurrence_key(finding: &Finding, uri: &str) -> u64 {
    fnv([finding.rule(), uri, offending_text(finding)])
}

/// 64-bit FNV-1a of `parts`, each followed by a 0 byte.
fn fnv<const N: usize>(parts: [&str; N]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
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
