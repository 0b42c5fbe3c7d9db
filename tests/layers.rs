//! The architecture as a test: data flows one way, so a module may only use modules of its own
//! layer or of lower ones (docs/architecture.md draws the same picture). A `use crate::x` (or
//! any `crate::x::` path) from a lower layer into a higher one fails here, naming the file.
//! Test modules (`#[cfg(test)]` to the end of a file) are not checked.

use std::fs;
use std::path::{Path, PathBuf};

/// governance-core, lowest layer first.
const CORE: &[&[&str]] = &[
    &["source", "date", "text", "suggest"],
    &["finding"],
    &["builtin"],
    &["document"],
    &["contract"],
    &["policy"],
    &["eval"],
    &["engine"],
    &["catalog"],
    &["export"],
    &["scaffold"],
    &["fs", "testing"],
];

/// governance-lint, lowest layer first.
const CLI: &[&[&str]] = &[
    &[
        "args", "git", "text", "paths", "problem", "console", "progress",
    ],
    &["config"],
    &["discover", "packs"],
    &["policies", "changed", "dbt", "against", "references"],
    &["settings"],
    &["run"],
    &["output"],
    &["explain", "policy_tests", "catalog_page", "lsp"],
    &["commands"],
    &["main"],
];

fn layer_of(layers: &[&[&str]], module: &str) -> Option<usize> {
    layers.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<module>` a text names, outside its test module.
fn uses(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let name = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect()
    };
    let mut modules = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            // `use crate::{a, b::C, c::{d, e}}`: the first segment of each top-level item.
            Some(group) => {
                let mut depth = 0usize;
                let mut item_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            modules.push(name(&group[i..]));
                            item_start = false;
                        }
                        _ => {}
                    }
                }
            }
            None => modules.push(name(rest)),
        }
    }
    modules.retain(|module| !module.is_empty() && module != "self");
    modules
}

fn check(src: &Path, layers: &[&[&str]]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    assert!(!files.is_empty(), "no sources under {}", src.display());
    let mut wrong = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap_or(&file);
        let module = relative
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_owned()
            })
            .unwrap_or_default();
        if module == "lib" {
            // The facade re-exports every layer.
            continue;
        }
        let Some(own) = layer_of(layers, &module) else {
            wrong.push(format!(
                "{}: module `{module}` is in no layer of tests/layers.rs",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(&file).unwrap_or_default();
        for used in uses(&text) {
            match layer_of(layers, &used) {
                Some(layer) if layer > own => wrong.push(format!(
                    "{}: `{module}` (layer {own}) uses `crate::{used}` (layer {layer}), a higher layer",
                    file.display()
                )),
                _ => {}
            }
        }
    }
    wrong
}

#[test]
fn the_core_is_a_dag_of_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("governance-core/src");
    let wrong = check(&src, CORE);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_cli_is_a_dag_of_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("governance-lint/src");
    let wrong = check(&src, CLI);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_use_of_a_higher_layer_is_caught() {
    assert_eq!(
        uses("use crate::engine::Engine;\nfn f() { crate::policy::x() }"),
        ["engine", "policy"]
    );
    assert_eq!(
        uses("use crate::a;\n#[cfg(test)]\nmod tests { use crate::b; }"),
        ["a"]
    );
    // Grouped imports name every module they reach into, nested groups included.
    assert_eq!(
        uses("use crate::{changed, output::{self, Run}, settings};"),
        ["changed", "output", "settings"]
    );
}
