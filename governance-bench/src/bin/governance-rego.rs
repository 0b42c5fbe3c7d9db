//! `governance-rego`: the peer in the benchmark. The same two rules the linter's peer policy
//! states (R1: `domain`, `owner`, `data_product` and `schema_version` exist; R2: a field named
//! `email` is encrypted), written in Rego and evaluated with the `regorus` interpreter (Microsoft's
//! Rust implementation of OPA's language) on every file, YAML read with serde_yaml, in parallel
//! with rayon (one engine per thread). It prints the files and violations it counted, so that
//! the benchmark checks both tools find the same number:
//!
//! ```text
//! files=10000 violations=12345 invalid=0
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use rayon::prelude::*;

#[path = "../walk.rs"]
mod walk;

/// Evaluate the benchmark's two rules, in Rego, on contract files.
#[derive(Debug, Parser)]
#[command(name = "governance-rego")]
struct Args {
    /// Files and directories to read.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

/// R1 and R2 in Rego v1. `violations` is a set of messages, one per missing key and one per
/// unencrypted `email` field, whether `schema:` is a list of fields or a mapping of name to
/// type or attributes (the two seed shapes).
const POLICY: &str = r#"
package bench

required := ["domain", "owner", "data_product", "schema_version"]

present(value) if {
    value != null
    value != ""
}

violations contains sprintf("missing %s", [key]) if {
    some key in required
    not present(input[key])
}

email_fields contains field if {
    is_array(input.schema)
    some field in input.schema
    lower(field.name) == "email"
}

email_fields contains {"name": name, "value": value} if {
    is_object(input.schema)
    some name, value in input.schema
    lower(name) == "email"
}

encrypted(field) if field.encrypted == true

encrypted(field) if field.value.encrypted == true

violations contains sprintf("unencrypted %v", [field]) if {
    some field in email_fields
    not encrypted(field)
}
"#;

#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    files: u64,
    violations: u64,
    invalid: u64,
}

impl Totals {
    fn add(self, other: Self) -> Self {
        Self {
            files: self.files + other.files,
            violations: self.violations + other.violations,
            invalid: self.invalid + other.invalid,
        }
    }
}

fn engine() -> Option<regorus::Engine> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("bench.rego".to_owned(), POLICY.to_owned())
        .ok()?;
    Some(engine)
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(jobs) = args.jobs {
        // Only fails if a global pool already exists, which nothing else creates.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    if engine().is_none() {
        eprintln!("error: the Rego policy does not compile");
        return ExitCode::FAILURE;
    }
    let files = walk::files(&args.paths);
    let totals = files
        .par_iter()
        .map_init(engine, |engine, path| match engine {
            Some(engine) => evaluate(engine, path),
            None => Totals {
                invalid: 1,
                ..Totals::default()
            },
        })
        .reduce(Totals::default, Totals::add);
    println!(
        "files={} violations={} invalid={}",
        totals.files, totals.violations, totals.invalid
    );
    ExitCode::SUCCESS
}

fn evaluate(engine: &mut regorus::Engine, path: &Path) -> Totals {
    let invalid = Totals {
        files: 1,
        invalid: 1,
        ..Totals::default()
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return invalid;
    };
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let input = if is_json {
        regorus::Value::from_json_str(&text)
    } else {
        regorus::Value::from_yaml_str(&text)
    };
    let Ok(input) = input else {
        return invalid;
    };
    engine.set_input(input);
    let Ok(result) = engine.eval_rule("data.bench.violations".to_owned()) else {
        return invalid;
    };
    let violations = result.as_set().map_or(0, |set| set.len() as u64);
    Totals {
        files: 1,
        violations,
        invalid: 0,
    }
}
