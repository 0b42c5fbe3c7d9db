//! `governance-floor`: the least work any linter of these files must do, to compare the real
//! linter with.
//!
//! It walks the paths exactly as `governance-lint check` does (the `ignore` crate's walker,
//! honouring `.gitignore`, skipping `.git`, `target` and `node_modules`, keeping `.yaml`, `.yml`
//! and `.json` files, sorted by path), then, in parallel with rayon, reads every file and parses
//! it with the parsers the engine uses: `saphyr-parser`'s event parser for YAML (every event is
//! consumed) and `jsonc-parser`'s `parse_to_ast` with every leniency off for JSON. It does
//! nothing else, and prints what it saw so that none of the work can be optimised away:
//!
//! ```text
//! files=10000 bytes=20480000 events=1234567 unreadable=0 invalid=0
//! ```
//!
//! With `--read-only` it walks and reads (and checks that each file is UTF-8, as the linter
//! does) without parsing: the walk-and-read floor, which no reader of these files can go under.
//! `events` and `invalid` are then 0.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use rayon::prelude::*;

/// Walk, read and parse contract files as governance-lint does, and nothing else.
#[derive(Debug, Parser)]
#[command(name = "governance-floor")]
struct Args {
    /// Files and directories to read.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,

    /// Walk and read only: no parsing.
    #[arg(long)]
    read_only: bool,
}

#[path = "../walk.rs"]
mod walk;

/// What the parsers saw, added up over the files.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    files: u64,
    bytes: u64,
    /// YAML events, plus one per JSON file and per property of its root object.
    events: u64,
    unreadable: u64,
    invalid: u64,
}

impl Totals {
    fn add(self, other: Self) -> Self {
        Self {
            files: self.files + other.files,
            bytes: self.bytes + other.bytes,
            events: self.events + other.events,
            unreadable: self.unreadable + other.unreadable,
            invalid: self.invalid + other.invalid,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(jobs) = args.jobs {
        // Only fails if a global pool already exists, which nothing else creates.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let files = walk::files(&args.paths);
    let totals = files
        .par_iter()
        .map(|path| read_and_parse(path, !args.read_only))
        .reduce(Totals::default, Totals::add);
    println!(
        "files={} bytes={} events={} unreadable={} invalid={}",
        totals.files, totals.bytes, totals.events, totals.unreadable, totals.invalid
    );
    ExitCode::SUCCESS
}

/// Reads `path` and, when `parse` is set, parses it.
fn read_and_parse(path: &Path, parse: bool) -> Totals {
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        _ => {
            return Totals {
                unreadable: 1,
                ..Totals::default()
            }
        }
    };
    if !parse {
        return Totals {
            files: 1,
            bytes: text.len() as u64,
            ..Totals::default()
        };
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let events = if is_json {
        parse_json(&text)
    } else {
        parse_yaml(&text)
    };
    Totals {
        files: 1,
        bytes: text.len() as u64,
        events: events.unwrap_or(0),
        unreadable: 0,
        invalid: u64::from(events.is_none()),
    }
}

/// Consumes every event of every document; `None` on a syntax error.
fn parse_yaml(text: &str) -> Option<u64> {
    let mut events = 0;
    for event in saphyr_parser::Parser::new_from_str(text) {
        event.ok()?;
        events += 1;
    }
    Some(events)
}

/// Parses strict JSON into an AST, as `governance-core` does; `None` on a syntax error.
fn parse_json(text: &str) -> Option<u64> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &collect, &options).ok()?;
    let properties = match parsed.value {
        Some(jsonc_parser::ast::Value::Object(object)) => object.properties.len() as u64,
        Some(_) => 0,
        None => return None,
    };
    Some(1 + properties)
}
