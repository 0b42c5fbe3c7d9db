//! Conformance findings against the standards' official JSON Schemas (in
//! `../shared/schemas/standards/`, used as oracles only):
//!
//! - **corpus**: every ODCS, DCS, ODPS and DPDS file of `../shared/corpus/real/` is validated with the
//!   official schema of the version it declares; a file the schema rejects must get a
//!   conformance finding (`schema-violation` or `unknown-version`), a file it accepts none;
//! - **mutations**: from every file the schemas accept, documents are generated with one change
//!   each (a key dropped, a key misspelt, a text value changed, a value of another kind); each
//!   is written as JSON by this test (which knows the line of every value), linted, and
//!   validated: the verdicts must agree, and the finding must be on the line of the changed
//!   value (a dropped key: on the lines of the mapping that lacks it).
//!
//! The agreement numbers are printed (`cargo test --test conformance -- --nocapture`). Where
//! `../shared` is absent every trial is **ignored**, and says why.

#![allow(clippy::panic, clippy::print_stderr, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use governance_core::{Engine, LintOptions, PolicySet, SourceFile};
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    (dir.join("schemas/standards").is_dir() && dir.join("corpus/real").is_dir()).then_some(dir)
}

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let dir = shared();
    if dir.is_none() {
        eprintln!("note: ../shared (official schemas and corpus) not found: the conformance trials are ignored, not passed");
    }
    type Check = fn(&Path);
    let checks: &[(&str, Check)] = &[
        ("corpus_agrees_with_the_official_schemas", corpus),
        ("mutations_agree_with_the_official_schemas", mutations),
    ];
    let trials = checks
        .iter()
        .map(|&(name, check)| {
            let dir = dir.clone();
            let ignored = dir.is_none();
            libtest_mimic::Trial::test(format!("conformance::{name}"), move || {
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

// --- The oracle ------------------------------------------------------------------------------

/// The official schema for a standard and declared version, as SOURCES.md says to pick it.
fn schema_file(standard: &str, declared: Option<&str>) -> Option<&'static str> {
    let declared = declared.unwrap_or("");
    let v = declared.trim().trim_start_matches('v');
    match standard {
        "odcs-v3" => match v {
            "3.0.0" | "3.0.1" | "3.0.2" => Some("odcs-v3.0.2.schema.json"),
            "3.1.0" => Some("odcs-v3.1.0.schema.json"),
            "3.2.0" => Some("odcs-v3.2.0.schema.json"),
            _ => None,
        },
        "odcs-v2" => Some("odcs-v2.2.2.schema.json"),
        "dcs" => match v {
            "0.9.0" | "0.9.1" | "0.9.2" | "0.9.3" => Some("dcs-0.9.3.schema.json"),
            "1.1.0" => Some("dcs-1.1.0.schema.json"),
            "1.2.0" => Some("dcs-1.2.0.schema.json"),
            "1.2.1" => Some("dcs-1.2.1.schema.json"),
            _ => None,
        },
        "odps" => match v {
            "0.9.0" | "1.0.0" => Some("odps-v1.0.0.schema.json"),
            _ => None,
        },
        "dpds" => match v {
            "1.0.0" => Some(DPDS_SCHEMA),
            _ => None,
        },
        _ => None,
    }
}

/// DPDS publishes its schema in its repository; the corpus keeps a copy of it.
const DPDS_SCHEMA: &str = "odm-dpds__schemas__v1.0.0__schema.json";

struct Oracle {
    validators: BTreeMap<&'static str, jsonschema::Validator>,
}

impl Oracle {
    fn new(dir: &Path) -> Oracle {
        let mut validators = BTreeMap::new();
        for name in [
            "odcs-v3.0.2.schema.json",
            "odcs-v3.1.0.schema.json",
            "odcs-v3.2.0.schema.json",
            "odcs-v2.2.2.schema.json",
            "dcs-0.9.3.schema.json",
            "dcs-1.1.0.schema.json",
            "dcs-1.2.0.schema.json",
            "dcs-1.2.1.schema.json",
            "odps-v1.0.0.schema.json",
            DPDS_SCHEMA,
        ] {
            let path = if name == DPDS_SCHEMA {
                dir.join("corpus/real/json-schema").join(name)
            } else {
                dir.join("schemas/standards").join(name)
            };
            let text = fs::read_to_string(path).unwrap();
            let schema: Value = serde_json::from_str(&text).unwrap();
            // Formats are annotations in draft 2019-09 and are not checked by the linter.
            let validator = jsonschema::options()
                .should_validate_formats(false)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            validators.insert(name, validator);
        }
        Oracle { validators }
    }

    /// The instance paths of the schema's errors (empty: valid).
    fn errors(&self, schema: &str, value: &Value) -> Vec<String> {
        let validator = &self.validators[schema];
        validator
            .iter_errors(value)
            .map(|e| format!("{} ({e})", e.instance_path().as_str()))
            .collect()
    }
}

/// The standard of a document, from its markers (as the corpus folders are named).
fn standard_of(value: &Value) -> Option<(&'static str, Option<String>)> {
    let map = value.as_object()?;
    let text = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    if map.get("kind").and_then(Value::as_str) == Some("DataProduct") {
        return Some(("odps", text("apiVersion")));
    }
    if let Some(v) = map.get("dataProductDescriptor") {
        return Some(("dpds", v.as_str().map(str::to_owned)));
    }
    if let Some(v) = map.get("dataContractSpecification") {
        return Some(("dcs", v.as_str().map(str::to_owned)));
    }
    if map.get("kind").and_then(Value::as_str) == Some("DataContract") {
        let api = text("apiVersion");
        let schema_list = map.get("schema").is_some_and(Value::is_array);
        let v2 = match api.as_deref() {
            Some(a) => a.trim_start_matches('v').starts_with('2') && !schema_list,
            None => map.get("dataset").is_some_and(Value::is_array) && !schema_list,
        };
        return Some((if v2 { "odcs-v2" } else { "odcs-v3" }, api));
    }
    if map.get("dataset").is_some_and(Value::is_array) {
        return Some(("odcs-v2", text("apiVersion")));
    }
    None
}

// --- The linter ------------------------------------------------------------------------------

/// The lines (1-based) of the linter's conformance findings on `name` / `text`.
fn conformance_lines(engine: &Engine, name: &str, text: &str) -> Vec<(usize, String)> {
    // `not-recognised` is about the whole document: line 0 stands for "anywhere".
    let report = engine.lint(SourceFile::new(name, text));
    report
        .findings()
        .iter()
        // A document whose markers no longer make it a contract of a standard is reported as
        // `not-recognised`: a finding about what the file is, too.
        .filter(|f| {
            matches!(
                f.rule(),
                "schema-violation" | "unknown-version" | "not-recognised"
            )
        })
        .map(|f| {
            let line = if f.rule() == "not-recognised" {
                0
            } else {
                f.location().start.line
            };
            (line, f.message().to_owned())
        })
        .collect()
}

/// The lines of the `unread-content` findings: a problem the contract's reader reports itself
/// (a `schema` that is not a list) is not reported a second time as a conformance finding.
fn unread_lines(engine: &Engine, name: &str, text: &str) -> Vec<(usize, String)> {
    let report = engine.lint(SourceFile::new(name, text));
    report
        .findings()
        .iter()
        .filter(|f| f.rule() == "unread-content")
        .map(|f| (f.location().start.line, f.message().to_owned()))
        .collect()
}

fn engine() -> Engine {
    Engine::new(PolicySet::new()).with_options(LintOptions::default())
}

// --- YAML to JSON (YAML 1.2 core schema, as the linter reads it) -----------------------------

fn yaml_to_json(text: &str) -> Option<Value> {
    enum Open {
        Seq(Vec<Value>, usize),
        Map(Map<String, Value>, Option<String>, Vec<Value>, usize),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: BTreeMap<usize, Value> = BTreeMap::new();
    let mut root = None;
    fn attach(stack: &mut [Open], root: &mut Option<Value>, value: Value) {
        match stack.last_mut() {
            None => *root = Some(value),
            Some(Open::Seq(items, _)) => items.push(value),
            Some(Open::Map(map, key, merges, _)) => match key.take() {
                None => *key = Some(key_text(&value)),
                Some(k) if k == "<<" => merges.push(value),
                Some(k) => {
                    map.insert(k, value);
                }
            },
        }
    }
    fn key_text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    for event in Parser::new_from_str(text) {
        let (event, _) = event.ok()?;
        match event {
            Event::DocumentEnd if root.is_some() => break,
            Event::Scalar(value, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none();
                let is_key = matches!(stack.last(), Some(Open::Map(_, None, _, _)));
                let v = if plain && !is_key {
                    resolve(&value)
                } else if plain && is_key && value == "<<" {
                    Value::String("<<".into())
                } else {
                    Value::String(value.into_owned())
                };
                if anchor > 0 {
                    anchors.insert(anchor, v.clone());
                }
                attach(&mut stack, &mut root, v);
            }
            Event::SequenceStart(anchor, _) => stack.push(Open::Seq(Vec::new(), anchor)),
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Map(Map::new(), None, Vec::new(), anchor));
            }
            Event::SequenceEnd => {
                if let Some(Open::Seq(items, anchor)) = stack.pop() {
                    let v = Value::Array(items);
                    if anchor > 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    attach(&mut stack, &mut root, v);
                }
            }
            Event::MappingEnd => {
                if let Some(Open::Map(mut map, _, merges, anchor)) = stack.pop() {
                    for merge in merges {
                        let sources = match merge {
                            Value::Array(items) => items,
                            other => vec![other],
                        };
                        for source in sources {
                            if let Value::Object(m) = source {
                                for (k, v) in m {
                                    map.entry(k).or_insert(v);
                                }
                            }
                        }
                    }
                    let v = Value::Object(map);
                    if anchor > 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    attach(&mut stack, &mut root, v);
                }
            }
            Event::Alias(anchor) => {
                let v = anchors.get(&anchor).cloned().unwrap_or(Value::Null);
                attach(&mut stack, &mut root, v);
            }
            _ => {}
        }
    }
    root
}

fn resolve(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Number(i.into());
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Value::Number(i.into());
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Value::Number(i.into());
        }
    }
    let number_like = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit())
        && (digits.starts_with(|c: char| c.is_ascii_digit() || c == '.'));
    if number_like {
        if let Ok(f) = text.parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(text.to_owned())
}

// --- JSON with the line of every value --------------------------------------------------------

/// Pretty JSON, and for every JSON pointer the first and last line of its value (for a key:
/// from the key's line).
fn write_json(value: &Value) -> (String, BTreeMap<String, (usize, usize)>) {
    struct Out {
        text: String,
        line: usize,
        lines: BTreeMap<String, (usize, usize)>,
    }
    impl Out {
        fn newline(&mut self) {
            self.text.push('\n');
            self.line += 1;
        }
    }
    fn go(v: &Value, pointer: &str, indent: usize, out: &mut Out, start_line: usize) {
        let pad = "  ".repeat(indent + 1);
        match v {
            Value::Object(map) if !map.is_empty() => {
                out.text.push('{');
                out.newline();
                let last = map.len() - 1;
                for (i, (k, child)) in map.iter().enumerate() {
                    let line = out.line;
                    let _ = write!(out.text, "{pad}{}: ", serde_json::to_string(k).unwrap());
                    let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                    go(child, &p, indent + 1, out, line);
                    if i != last {
                        out.text.push(',');
                    }
                    out.newline();
                }
                let _ = write!(out.text, "{}}}", "  ".repeat(indent));
            }
            Value::Array(items) if !items.is_empty() => {
                out.text.push('[');
                out.newline();
                let last = items.len() - 1;
                for (i, child) in items.iter().enumerate() {
                    let line = out.line;
                    out.text.push_str(&pad);
                    go(child, &format!("{pointer}/{i}"), indent + 1, out, line);
                    if i != last {
                        out.text.push(',');
                    }
                    out.newline();
                }
                let _ = write!(out.text, "{}]", "  ".repeat(indent));
            }
            other => out.text.push_str(&serde_json::to_string(other).unwrap()),
        }
        let end = out.line;
        out.lines.insert(pointer.to_owned(), (start_line, end));
    }
    let mut out = Out {
        text: String::new(),
        line: 1,
        lines: BTreeMap::new(),
    };
    go(value, "", 0, &mut out, 1);
    out.newline();
    (out.text, out.lines)
}

// --- The corpus ------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    files: usize,
    schema_valid: usize,
    schema_invalid: usize,
    linter_valid: usize,
    linter_invalid: usize,
    agree: usize,
}

fn corpus(dir: &Path) {
    let oracle = Oracle::new(dir);
    let engine = engine();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let mut not_measured = Vec::new();
    let real = dir.join("corpus/real");
    for folder in ["odcs-v3", "odcs-v2", "dcs", "odps", "dpds"] {
        let mut files: Vec<PathBuf> = fs::read_dir(real.join(folder))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).unwrap();
            let Some(value) = yaml_to_json(&text) else {
                not_measured.push(format!("{folder}/{name}: not YAML"));
                continue;
            };
            let Some((standard, declared)) = standard_of(&value) else {
                not_measured.push(format!(
                    "{folder}/{name}: not a whole contract (a fragment or another kind)"
                ));
                continue;
            };
            let Some(schema) = schema_file(standard, declared.as_deref()) else {
                not_measured.push(format!(
                    "{folder}/{name}: no official schema for {standard} {}",
                    declared.as_deref().unwrap_or("(no version)")
                ));
                continue;
            };
            let errors = oracle.errors(schema, &value);
            let findings = conformance_lines(&engine, &path.to_string_lossy(), &text);
            let key = format!("{standard} ({})", schema.trim_end_matches(".schema.json"));
            let tally = tallies.entry(key).or_default();
            tally.files += 1;
            let schema_ok = errors.is_empty();
            let linter_ok = findings.is_empty();
            if schema_ok {
                tally.schema_valid += 1;
            } else {
                tally.schema_invalid += 1;
            }
            if linter_ok {
                tally.linter_valid += 1;
            } else {
                tally.linter_invalid += 1;
            }
            if schema_ok == linter_ok {
                tally.agree += 1;
            } else {
                disagreements.push(format!(
                    "{folder}/{name} ({schema}): schema {} | linter {}",
                    if schema_ok {
                        "valid".to_owned()
                    } else {
                        errors.join("; ")
                    },
                    if linter_ok {
                        "valid".to_owned()
                    } else {
                        findings
                            .iter()
                            .map(|(l, m)| format!("{l}: {m}"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    }
                ));
            }
        }
    }
    eprintln!("\ncorpus: per standard (schema used), files, valid/invalid per the official schema, per the linter, agreeing verdicts");
    for (standard, t) in &tallies {
        eprintln!(
            "  {standard}: {} files; schema {} valid / {} invalid; linter {} valid / {} invalid; {} agree",
            t.files, t.schema_valid, t.schema_invalid, t.linter_valid, t.linter_invalid, t.agree
        );
    }
    for n in &not_measured {
        eprintln!("  not measured: {n}");
    }
    assert!(
        disagreements.is_empty(),
        "verdicts differ from the official schemas:\n{}",
        disagreements.join("\n")
    );
}

// --- Mutations -------------------------------------------------------------------------------

enum Mutation {
    Drop,
    Misspell,
    NewText,
    OtherKind,
}

/// Every (pointer, value) of a document, depth first.
fn nodes(value: &Value, pointer: String, out: &mut Vec<(String, Value)>) {
    out.push((pointer.clone(), value.clone()));
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                nodes(
                    v,
                    format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                nodes(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn parent_and_key(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

/// The document with one change; the pointer whose lines the finding must be on.
fn mutate(doc: &Value, pointer: &str, how: &Mutation) -> Option<(Value, String)> {
    let (parent, key) = parent_and_key(pointer)?;
    let mut out = doc.clone();
    let target = out.pointer_mut(parent)?;
    match how {
        Mutation::Drop => {
            target.as_object_mut()?.remove(&key)?;
            Some((out, parent.to_owned()))
        }
        Mutation::Misspell => {
            let map = target.as_object_mut()?;
            let value = map.remove(&key)?;
            let mut chars: Vec<char> = key.chars().collect();
            if chars.len() < 3 {
                return None;
            }
            chars.swap(1, 2);
            let misspelt: String = chars.into_iter().collect();
            if misspelt == key || map.contains_key(&misspelt) {
                return None;
            }
            map.insert(misspelt.clone(), value);
            Some((out, format!("{parent}/{misspelt}")))
        }
        Mutation::NewText => {
            let value = out.pointer_mut(pointer)?;
            if !value.is_string() {
                return None;
            }
            *value = Value::String("zz-not-a-value".into());
            Some((out, pointer.to_owned()))
        }
        Mutation::OtherKind => {
            let value = out.pointer_mut(pointer)?;
            *value = match value {
                Value::String(s) => s
                    .parse::<i64>()
                    .map_or(Value::Number(42.into()), |i| Value::Number(i.into())),
                Value::Number(n) => Value::String(n.to_string()),
                Value::Bool(b) => Value::String(b.to_string()),
                Value::Array(_) => Value::String("x".into()),
                Value::Object(_) => Value::Array(vec![]),
                Value::Null => return None,
            };
            Some((out, pointer.to_owned()))
        }
    }
}

fn mutations(dir: &Path) {
    let oracle = Oracle::new(dir);
    let engine = engine();
    let real = dir.join("corpus/real");
    let mut bases = Vec::new();
    for folder in ["odcs-v3", "odcs-v2", "dcs", "odps", "dpds"] {
        let mut files: Vec<PathBuf> = fs::read_dir(real.join(folder))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for path in files {
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let Some(value) = yaml_to_json(&text) else {
                continue;
            };
            let Some((standard, declared)) = standard_of(&value) else {
                continue;
            };
            let Some(schema) = schema_file(standard, declared.as_deref()) else {
                continue;
            };
            // Large files make slow mutants in a debug build; the small ones cover the same keys.
            if text.len() <= 40_000 && oracle.errors(schema, &value).is_empty() {
                bases.push((path, value, schema));
            }
        }
    }
    let kinds = [
        ("drop a key", Mutation::Drop),
        ("misspell a key", Mutation::Misspell),
        ("change a text", Mutation::NewText),
        ("change the kind of a value", Mutation::OtherKind),
    ];
    let mut report = String::new();
    let mut failures = Vec::new();
    let mut total = (0, 0, 0, 0, 0);
    for (label, how) in &kinds {
        // (mutants, schema rejects, agreeing verdicts, findings at the line, linter rejects)
        let mut n = (0, 0, 0, 0, 0);
        for (path, value, schema) in &bases {
            let (base_text, _) = write_json(value);
            let base_name = format!("{}.json", path.file_stem().unwrap().to_string_lossy());
            let base_unread = unread_lines(&engine, &base_name, &base_text).len();
            let mut all = Vec::new();
            nodes(value, String::new(), &mut all);
            // At most 25 mutants of each kind per file, spread over the document.
            let step = (all.len() / 25).max(1);
            for (pointer, _) in all.iter().skip(1).step_by(step) {
                // DPDS's schema only annotates its version's format: a version DPDS does not
                // have is an `unknown-version` finding by design (formats.md, deliberate
                // differences), so that mutant is not compared.
                if pointer == "/dataProductDescriptor" {
                    continue;
                }
                let Some((mutant, at)) = mutate(value, pointer, how) else {
                    continue;
                };
                if standard_of(&mutant).is_none() {
                    continue;
                }
                let (text, lines) = write_json(&mutant);
                let name = format!("{}.json", path.file_stem().unwrap().to_string_lossy());
                let errors = oracle.errors(schema, &mutant);
                let mut findings = conformance_lines(&engine, &name, &text);
                let unread = unread_lines(&engine, &name, &text);
                if unread.len() > base_unread {
                    findings.extend(unread);
                }
                n.0 += 1;
                let rejected = !errors.is_empty();
                if rejected {
                    n.1 += 1;
                }
                if !findings.is_empty() {
                    n.4 += 1;
                }
                if rejected != findings.is_empty() {
                    n.2 += 1;
                } else {
                    failures.push(format!(
                        "{label} at {pointer} of {}: schema {} | linter {:?}",
                        path.file_name().unwrap().to_string_lossy(),
                        if rejected {
                            errors.join("; ")
                        } else {
                            "valid".into()
                        },
                        findings
                    ));
                }
                if rejected {
                    let (first, last) = lines.get(&at).copied().unwrap_or((0, 0));
                    // A missing key is reported at the key of the mapping that lacks it (a
                    // list item: its first line; the document: line 1).
                    let parent = parent_and_key(pointer).map_or("", |(p, _)| p);
                    let (parent_line, parent_end) = lines.get(parent).copied().unwrap_or((0, 0));
                    let at_line = |l: usize| match how {
                        // Dropping a key can also make a key beside it unknown (`map` without
                        // `logicalType: map`): inside the mapping, not at the top level.
                        Mutation::Drop => {
                            l == parent_line
                                || l == parent_line + 1
                                || (!parent.is_empty() && (parent_line..=parent_end).contains(&l))
                        }
                        Mutation::Misspell => {
                            (first..=last).contains(&l) || l == parent_line || l == parent_line + 1
                        }
                        _ => (first..=last).contains(&l),
                    };
                    if findings.iter().any(|(l, _)| *l == 0 || at_line(*l)) {
                        n.3 += 1;
                    } else if !findings.is_empty() {
                        failures.push(format!(
                            "{label} at {pointer} of {}: finding not on lines {first}-{last}: {findings:?}",
                            path.file_name().unwrap().to_string_lossy()
                        ));
                    }
                }
            }
        }
        let _ = writeln!(
            report,
            "  {label}: {} mutants, {} rejected by the schema, {} by the linter; {} agreeing verdicts; {} of the rejected with a finding on the changed value's lines",
            n.0, n.1, n.4, n.2, n.3
        );
        total = (
            total.0 + n.0,
            total.1 + n.1,
            total.2 + n.2,
            total.3 + n.3,
            total.4 + n.4,
        );
    }
    eprintln!(
        "\nmutations of the {} files the official schemas accept:\n{report}  all: {} mutants, {} rejected by the schema, {} by the linter; {} agreeing verdicts; {} at the line",
        bases.len(),
        total.0,
        total.1,
        total.4,
        total.2,
        total.3
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
