//! The fast YAML reader against saphyr's, on every YAML file we have and on generated YAML:
//! whenever the fast reader accepts a text, it must build exactly the tree saphyr builds (every
//! node, kind, span, entry and duplicate-key issue), and the engine's reader (fast, else
//! saphyr) must always give saphyr's result, errors and limits included.
//!
//! Each file is a trial, and each set of files has a trial that checks how many of its files
//! the fast reader took, so that the comparison cannot pass by always giving up:
//!
//! - `yaml-readers/<name>.yaml` (this folder): hand-written and fuzzer-found edge cases. A
//!   name starting with `fast-` must be read by the fast reader, one starting with `saphyr-`
//!   must be left to saphyr;
//! - `../shared/corpus/real/` (81 public contracts): ignored, and said so, when absent;
//! - `fixtures/` and the contracts of `tests/cases/*/`;
//! - generated YAML (proptest): nested block and flow collections with every scalar style,
//!   comments, blank lines, line ends, byte order marks and documents, then the same texts
//!   with a character inserted or removed.

// Test helpers fail the test by panicking, like assertions do.
#![allow(clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use governance_core::__yaml_readers::{dump_yaml, YamlReader};
use governance_core::Limits;
use libtest_mimic::{Arguments, Failed, Trial};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// How a text was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    Fast,
    Saphyr,
}

/// Reads `text` with both readers (and the engine's) under `limits`; an error describes the
/// first difference.
fn compare_with(text: &str, limits: Limits) -> Result<Read, String> {
    let Some(reference) = dump_yaml(text, limits, YamlReader::Saphyr) else {
        return Err("saphyr gave no result".to_owned());
    };
    let auto = dump_yaml(text, limits, YamlReader::Auto);
    if auto.as_ref() != Some(&reference) {
        return Err(format!(
            "the engine's reader differs from saphyr's\n--- saphyr:\n{reference:#?}\n--- engine:\n{auto:#?}"
        ));
    }
    match dump_yaml(text, limits, YamlReader::Fast) {
        None => Ok(Read::Saphyr),
        Some(fast) if fast == reference => Ok(Read::Fast),
        Some(fast) => Err(match (&fast, &reference) {
            (Ok(fast), Ok(reference)) => format!("trees differ\n{}", diff(reference, fast)),
            _ => format!("results differ\n--- saphyr:\n{reference:#?}\n--- fast:\n{fast:#?}"),
        }),
    }
}

/// With the default limits, then with tight ones (which the fast reader must leave to saphyr
/// when reached, so that the error is saphyr's).
fn compare(text: &str) -> Result<Read, String> {
    let read = compare_with(text, Limits::default())?;
    let mut tight = Limits::default();
    tight.max_depth = 3;
    tight.max_nodes = 24;
    tight.max_string_bytes = 12;
    tight.max_documents = 1;
    compare_with(text, tight).map_err(|e| format!("with tight limits: {e}"))?;
    Ok(read)
}

/// The first differing line of two dumps, with its neighbours.
fn diff(saphyr: &str, fast: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (saphyr.lines().collect(), fast.lines().collect());
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(3);
    let show = |lines: &[&str]| {
        lines
            .get(from..(at + 4).min(lines.len()))
            .unwrap_or(&[])
            .join("\n")
    };
    format!(
        "at line {}:\n--- saphyr:\n{}\n--- fast:\n{}",
        at + 1,
        show(&a),
        show(&b)
    )
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if is_yaml(&path) {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A set of files: one trial per file, and one checking that the fast reader took at least
/// `min_fast` of them (a fraction).
fn file_trials(
    set: &str,
    dir: &Path,
    files: Vec<PathBuf>,
    min_fast: f64,
    ignored: bool,
) -> Vec<Trial> {
    let files = Arc::new(files);
    let mut trials: Vec<Trial> = files
        .iter()
        .map(|path| {
            let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
            let path = path.clone();
            Trial::test(format!("{set}::{name}"), move || {
                compare(&read(&path)).map(|_| ()).map_err(Failed::from)
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    let all = Arc::clone(&files);
    let set = set.to_owned();
    trials.push(
        Trial::test(format!("{set}::share_read_fast"), move || {
            let fast = all
                .iter()
                .filter(|path| compare(&read(path)) == Ok(Read::Fast))
                .count();
            let share = fast as f64 / all.len().max(1) as f64;
            eprintln!(
                "{set}: the fast reader took {fast} of {} YAML files ({:.0} %)",
                all.len(),
                share * 100.0
            );
            if all.is_empty() || share < min_fast {
                return Err(format!(
                    "the fast reader took {fast} of {} files, under {:.0} %",
                    all.len(),
                    min_fast * 100.0
                )
                .into());
            }
            Ok(())
        })
        .with_ignored_flag(ignored),
    );
    trials
}

/// `yaml-readers/fast-*.yaml` must be read fast, `saphyr-*.yaml` left to saphyr.
fn edge_case_trials() -> Vec<Trial> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/yaml-readers");
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    assert!(!files.is_empty(), "no cases under {}", dir.display());
    files
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Trial::test(format!("edge::{name}"), move || {
                let read = compare(&read(&path)).map_err(Failed::from)?;
                let expected = if name.starts_with("fast-") {
                    Read::Fast
                } else if name.starts_with("saphyr-") {
                    Read::Saphyr
                } else {
                    return Err(format!("{name}: name it fast-* or saphyr-*").into());
                };
                if read != expected {
                    return Err(format!("read by {read:?}, expected {expected:?}").into());
                }
                Ok(())
            })
        })
        .collect()
}

fn main() {
    let args = Arguments::from_args();
    let root = root();
    let mut trials = edge_case_trials();

    let corpus = root.join("../shared/corpus/real");
    let have_corpus = corpus.is_dir();
    if !have_corpus {
        eprintln!(
            "note: ../shared/corpus/real not found (the shared corpus sits next to the project in CI): the corpus trials are ignored, not passed"
        );
    }
    let mut files = Vec::new();
    yaml_files(&corpus, &mut files);
    // A block scalar (`description: |`) sends a file to saphyr; the public corpus has a few.
    let real = file_trials("real", &corpus, files, 0.75, !have_corpus);
    if have_corpus {
        trials.extend(real);
    } else {
        // One ignored trial says what is missing.
        trials.push(Trial::test("real::corpus", || Ok(())).with_ignored_flag(true));
    }

    let mut files = Vec::new();
    yaml_files(&root.join("fixtures"), &mut files);
    trials.extend(file_trials(
        "fixtures",
        &root.join("fixtures"),
        files,
        0.9,
        false,
    ));

    let cases = root.join("governance-core/tests/cases");
    let mut files = Vec::new();
    yaml_files(&cases, &mut files);
    trials.extend(file_trials("cases", &cases, files, 0.75, false));

    trials.push(Trial::test("generated::documents", || generated(false)));
    trials.push(Trial::test("generated::mutated", || generated(true)));
    libtest_mimic::run(&args, trials).exit();
}

/// A tree to write as YAML.
#[derive(Debug, Clone)]
enum Tree {
    Scalar(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

/// Scalars as they are written, in every style, including ones the fast reader leaves to
/// saphyr and ones saphyr rejects.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z][a-z_ ]{0,10}[a-z]",
        2 => prop::sample::select(vec![
            "12", "-3", "+7", "0x1F", "0o17", "1e3", "-1.5", ".5", "+.inf", "-.Inf", ".nan",
            "~", "null", "Null", "true", "FALSE", "yes", "99.9%", "2 hours", "3.0.2",
            "2024-01-01", "email", "a:b", "http://x.io/a?b=c#d", "a #b", "a#b", "a , b",
            "a[0]", "x}", "é", "📦 box", "\u{a0}nbsp", "-x", "--", "a  b", "a\tb", "ok ",
            "'it''s'", "'x'", "''", "' lead'", "\"a\\\"b\"", "\"\\u00e9\\x41\\t\\n\"",
            "\"q\"", "\"\"", "\"a\" ", "\"a\"  # c", "'a'# c", "\"\\q\"", "\"\\U0001F4E6\"",
            "\"\\ud800\"", "\"\\/\\_\\N\"", "\"tab\there\"", "\"open", "'open",
            "[a, b]", "[a, [b, c], {d: e}]", "[ ]", "[]", "{}", "{a: 1, b: [x]}", "{\"k\":1}",
            "[a,]", "{a: 1,}", "{a: 1, }", "[,a]", "[a: b]", "{a}", "{a:1}", "{a: }", "[a, b] # c", "[a]#c",
            "&x a", "*x", "!t a", "!!str 1", "|", ">-", "%x", "@x", "`x", "?x", ":x", "-",
            "- a", "a: b", "---", "...", "<<", "#", "a\u{feff}b", "a\u{0}b",
        ])
        .prop_map(str::to_owned),
        1 => "[ -~]{0,8}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "name", "type", "schema", "owner", "tags", "a", "b", "description", "pii",
        ])
        .prop_map(str::to_owned),
        2 => "[a-z_]{1,8}",
        1 => prop::sample::select(vec![
            "\"quoted\"", "'single'", "\"a b\" ", "with space", "200", "true", "<<", "\"<<\"",
            "a:b", "é", "-k", "? k", "[k]", "&a k", "\"es\\tc\"",
        ])
        .prop_map(str::to_owned),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = scalar().prop_map(Tree::Scalar);
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
            prop::collection::vec((key(), inner), 0..6).prop_map(Tree::Map),
        ]
    })
}

/// How to write a tree: choices drawn from a byte string as the writer goes.
struct Style {
    choices: Vec<u8>,
    at: usize,
    newline: &'static str,
}

impl Style {
    fn pick(&mut self, n: u8) -> u8 {
        let byte = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte % n.max(1)
    }

    /// Now and then a blank line, a comment line or a line of blanks with a tab.
    fn filler(&mut self, out: &mut String, indent: usize) {
        match self.pick(12) {
            0 => out.push_str(self.newline),
            1 => {
                out.push_str(&" ".repeat(indent));
                out.push_str("# note é");
                out.push_str(self.newline);
            }
            2 => {
                out.push_str(" \t ");
                out.push_str(self.newline);
            }
            _ => {}
        }
    }

    /// After a value on its line: nothing, trailing blanks or a comment.
    fn end(&mut self, out: &mut String) {
        match self.pick(8) {
            0 => out.push_str("  "),
            1 => out.push_str(" # c"),
            2 => out.push_str("\t# tab c"),
            _ => {}
        }
        out.push_str(self.newline);
    }

    fn step(&mut self) -> usize {
        [2, 2, 4, 1, 3][usize::from(self.pick(5))]
    }

    fn map(
        &mut self,
        out: &mut String,
        entries: &[(String, Tree)],
        indent: usize,
        first_inline: bool,
    ) {
        for (i, (key, value)) in entries.iter().enumerate() {
            self.filler(out, indent);
            if !(first_inline && i == 0) {
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(key);
            out.push(':');
            self.value(out, value, indent, true);
        }
    }

    /// The value after `key:` or `-`.
    fn value(&mut self, out: &mut String, value: &Tree, indent: usize, in_map: bool) {
        match value {
            Tree::Scalar(s) => {
                if self.pick(6) == 0 {
                    // On the next line, more indented.
                    out.push_str(self.newline);
                    out.push_str(&" ".repeat(indent + self.step()));
                } else {
                    out.push(' ');
                }
                out.push_str(s);
                self.end(out);
            }
            Tree::Seq(items) if items.is_empty() => self.end(out),
            Tree::Map(entries) if entries.is_empty() => self.end(out),
            Tree::Seq(items) => {
                if !in_map && self.pick(4) == 0 {
                    // `- - a`, left to saphyr.
                    out.push(' ');
                    self.seq(out, items, indent + 2, true);
                    return;
                }
                self.end(out);
                // Under a key, a sequence may sit at the key's own indentation.
                let inner = if in_map && self.pick(3) == 0 {
                    indent
                } else {
                    indent + self.step()
                };
                self.seq(out, items, inner, false);
            }
            Tree::Map(entries) => {
                if !in_map && self.pick(3) != 0 {
                    // `- key: value`, the rest of the mapping below the first key.
                    out.push(' ');
                    self.map(out, entries, indent + 2, true);
                    return;
                }
                self.end(out);
                let inner = indent + self.step();
                self.map(out, entries, inner, false);
            }
        }
    }

    fn seq(&mut self, out: &mut String, items: &[Tree], indent: usize, first_inline: bool) {
        for (i, item) in items.iter().enumerate() {
            self.filler(out, indent);
            if !(first_inline && i == 0) {
                out.push_str(&" ".repeat(indent));
            }
            out.push('-');
            match item {
                Tree::Seq(items) if items.is_empty() => self.end(out),
                Tree::Map(entries) if entries.is_empty() => self.end(out),
                _ => self.value(out, item, indent, false),
            }
        }
    }
}

/// Writes one to three documents.
fn write(trees: &[Tree], choices: Vec<u8>) -> String {
    let mut style = Style {
        choices,
        at: 0,
        newline: "\n",
    };
    style.newline = ["\n", "\n", "\r\n", "\r"][usize::from(style.pick(4))];
    let mut out = String::new();
    if style.pick(6) == 0 {
        out.push('\u{feff}');
    }
    for (i, tree) in trees.iter().enumerate() {
        if i > 0 || style.pick(3) == 0 {
            out.push_str("---");
            if style.pick(4) == 0 {
                out.push_str(" # doc");
            }
            out.push_str(style.newline);
        }
        match tree {
            Tree::Scalar(s) => {
                out.push_str(s);
                style.end(&mut out);
            }
            Tree::Seq(items) => style.seq(&mut out, items, 0, false),
            Tree::Map(entries) => style.map(&mut out, entries, 0, false),
        }
    }
    out
}

fn documents() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(tree(), 1..3),
        prop::collection::vec(any::<u8>(), 64),
    )
        .prop_map(|(trees, choices)| write(&trees, choices))
}

/// A document with one character inserted, replaced or removed.
fn mutated() -> impl Strategy<Value = String> {
    (
        documents(),
        any::<prop::sample::Index>(),
        prop::sample::select(vec![
            " ", "\t", ":", "-", "#", "'", "\"", "[", "]", "{", "}", ",", "\n", "\r", "&", "*",
            "!", "|", ">", "?", "\\", "é", "",
        ]),
        any::<bool>(),
    )
        .prop_map(|(text, at, piece, replace)| {
            let mut cut = at.index(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let mut rest = &text[cut..];
            if replace {
                let mut chars = rest.chars();
                chars.next();
                rest = chars.as_str();
            }
            format!("{}{piece}{rest}", &text[..cut])
        })
}

/// The property over 2,000 generated texts; the fast reader must take a fair share of them,
/// so the property is not vacuous.
fn generated(mutate: bool) -> Result<(), Failed> {
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    let counts = std::cell::Cell::new((0_u32, 0_u32));
    let check = |text: String| {
        let read = compare(&text)
            .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{text:?}\n{e}")))?;
        let (fast, all) = counts.get();
        counts.set((fast + u32::from(read == Read::Fast), all + 1));
        Ok(())
    };
    let result = if mutate {
        runner.run(&mutated(), check)
    } else {
        runner.run(&documents(), check)
    };
    result.map_err(|e| Failed::from(e.to_string()))?;
    let (fast, all) = counts.get();
    eprintln!("generated (mutated: {mutate}): the fast reader took {fast} of {all} texts");
    let min = if mutate { all / 10 } else { all / 4 };
    if fast < min {
        return Err(format!("the fast reader took only {fast} of {all} generated texts").into());
    }
    Ok(())
}
