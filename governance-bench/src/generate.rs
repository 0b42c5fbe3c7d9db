//! Deterministic corpora of data contracts on disk, and generated policy files.
//!
//! Contract `i` of a corpus depends only on the seed, the mix and `i`, so generating the same
//! parameters twice gives the same bytes, and a smaller corpus is a prefix of a larger one. A
//! corpus folder records its parameters in `.bench-corpus`; one that matches is reused as is.

mod model;
mod odcs;
mod policy;
mod rng;
mod seed;
mod text;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::{at, Result};
use rng::Rng;
use seed::SchemaForm;

/// Bump when the generator changes in a way the fingerprint might not see.
const GENERATOR_VERSION: u32 = 1;

/// The file in a corpus folder that records how it was generated.
const PARAMS_FILE: &str = ".bench-corpus";

/// Which contract shapes a corpus holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Mix {
    /// The seed shapes only (YAML with `schema:` as a list or a mapping, and JSON).
    Seed,
    /// ODCS v3 only.
    Odcs,
    /// Half seed shapes, half ODCS v3.
    Mixed,
}

impl Mix {
    /// The name used on the command line and in folder names.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mix::Seed => "seed",
            Mix::Odcs => "odcs",
            Mix::Mixed => "mixed",
        }
    }
}

/// The shape one contract is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    SeedYaml(SchemaForm),
    SeedJson(SchemaForm),
    Odcs,
}

impl Shape {
    fn draw(rng: &mut Rng, mix: Mix) -> Self {
        let seed = |rng: &mut Rng| match rng.below(8) {
            0..=3 => Shape::SeedYaml(SchemaForm::List),
            4 | 5 => Shape::SeedYaml(SchemaForm::Map),
            6 => Shape::SeedJson(SchemaForm::List),
            _ => Shape::SeedJson(SchemaForm::Map),
        };
        match mix {
            Mix::Seed => seed(rng),
            Mix::Odcs => Shape::Odcs,
            Mix::Mixed if rng.chance(50) => Shape::Odcs,
            Mix::Mixed => seed(rng),
        }
    }
}

/// One generated contract: where it goes (relative to the corpus folder) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GeneratedFile {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

/// Contract number `index` of the corpus generated from `seed` with `mix`.
pub(crate) fn contract(mix: Mix, seed: u64, index: u64) -> GeneratedFile {
    let mut rng = Rng::for_item(seed, index);
    let shape = Shape::draw(&mut rng, mix);
    let contract = model::draw(&mut rng, index, shape == Shape::Odcs);
    let (text, extension) = match shape {
        Shape::SeedYaml(form) => (seed::yaml(&contract, form), "yaml"),
        Shape::SeedJson(form) => (seed::json(&contract, form), "json"),
        Shape::Odcs => (odcs::yaml(&contract), "odcs.yaml"),
    };
    let path = Path::new(contract.domain)
        .join(format!("batch-{:03}", index / 1000))
        .join(format!("{}.{extension}", contract.product));
    GeneratedFile { path, text }
}

/// The next version of contract number `index`: its last table loses its last field and its
/// description changes (a breaking change and a plain one, as a pull request might make).
pub(crate) fn changed_contract(mix: Mix, seed: u64, index: u64) -> GeneratedFile {
    let mut rng = Rng::for_item(seed, index);
    let shape = Shape::draw(&mut rng, mix);
    let mut contract = model::draw(&mut rng, index, shape == Shape::Odcs);
    if let Some(table) = contract.tables.last_mut() {
        if table.fields.len() > 1 {
            table.fields.pop();
        }
    }
    contract.description.push_str(" (revised)");
    let (text, extension) = match shape {
        Shape::SeedYaml(form) => (seed::yaml(&contract, form), "yaml"),
        Shape::SeedJson(form) => (seed::json(&contract, form), "json"),
        Shape::Odcs => (odcs::yaml(&contract), "odcs.yaml"),
    };
    let path = Path::new(contract.domain)
        .join(format!("batch-{:03}", index / 1000))
        .join(format!("{}.{extension}", contract.product));
    GeneratedFile { path, text }
}

/// What a corpus is generated from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CorpusSpec {
    pub(crate) mix: Mix,
    pub(crate) seed: u64,
    pub(crate) count: usize,
}

/// A corpus on disk.
#[derive(Debug, Clone)]
pub(crate) struct Corpus {
    pub(crate) dir: PathBuf,
    pub(crate) files: usize,
    pub(crate) bytes: u64,
    /// False when an existing folder with the same parameters was reused.
    pub(crate) generated: bool,
}

impl CorpusSpec {
    /// The parameters as recorded in the corpus folder (without the size in bytes).
    fn params(&self) -> String {
        let sample = (0..self.count.min(64) as u64).map(|i| contract(self.mix, self.seed, i));
        let fingerprint = sample.fold(fnv1a(0xCBF2_9CE4_8422_2325, b""), |hash, file| {
            fnv1a(
                fnv1a(hash, file.path.as_os_str().as_encoded_bytes()),
                file.text.as_bytes(),
            )
        });
        format!(
            "# governance-bench corpus: delete this folder to regenerate it.\n\
             generator = {GENERATOR_VERSION}\nmix = {}\nseed = {}\ncount = {}\nfingerprint = {fingerprint:016x}\n",
            self.mix.name(),
            self.seed,
            self.count
        )
    }
}

/// The corpus of `spec` in `dir`: reused when `dir` already holds it, else (re)generated.
pub(crate) fn ensure_corpus(dir: &Path, spec: CorpusSpec) -> Result<Corpus> {
    let params = spec.params();
    let params_path = dir.join(PARAMS_FILE);
    if let Ok(existing) = fs::read_to_string(&params_path) {
        if let Some(bytes) = existing
            .strip_prefix(params.as_str())
            .and_then(|rest| rest.trim().strip_prefix("bytes = "))
            .and_then(|bytes| bytes.parse().ok())
        {
            return Ok(Corpus {
                dir: dir.to_path_buf(),
                files: spec.count,
                bytes,
                generated: false,
            });
        }
    }
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(at(dir))?;
    }
    let bytes = (0..spec.count as u64)
        .into_par_iter()
        .map(|index| -> Result<u64> {
            let file = contract(spec.mix, spec.seed, index);
            let path = dir.join(&file.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(at(parent))?;
            }
            fs::write(&path, &file.text).map_err(at(&path))?;
            Ok(file.text.len() as u64)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    // A few files that are not contracts, as in any repository: the walk must skip them.
    for domain in model::DOMAINS {
        let readme = dir.join(domain).join("README.md");
        if readme.parent().is_some_and(Path::exists) {
            fs::write(&readme, format!("# The {domain} domain's data contracts\n"))
                .map_err(at(&readme))?;
        }
    }
    // Written last: an interrupted generation has no parameters file and is redone.
    fs::write(&params_path, format!("{params}bytes = {bytes}\n")).map_err(at(&params_path))?;
    Ok(Corpus {
        dir: dir.to_path_buf(),
        files: spec.count,
        bytes,
        generated: true,
    })
}

/// A seed contract whose schema lists `fields` fields named `email`, none of them encrypted:
/// the default pack's `pii-encrypted` reports each one, and nothing else, so the file has
/// exactly `fields` findings (all errors). About 33 bytes per field.
pub(crate) fn many_findings_contract(fields: usize) -> String {
    let head = "data_product: many_findings\n\
                domain: sales\n\
                owner: sales-team@company.com\n\
                schema_version: \"1.0.0\"\n\
                sla:\n  availability: 99.9%\n  freshness: 1 hour\n\
                schema:\n";
    let field = "  - name: email\n    type: string\n";
    let mut text = String::with_capacity(head.len() + field.len() * fields);
    text.push_str(head);
    for _ in 0..fields {
        text.push_str(field);
    }
    text
}

/// Writes [`many_findings_contract`] to `path` (unless it is already there) and returns its
/// size in bytes.
pub(crate) fn write_many_findings(path: &Path, fields: usize) -> Result<u64> {
    let text = many_findings_contract(fields);
    if fs::read(path).ok().as_deref() != Some(text.as_bytes()) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(at(parent))?;
        }
        fs::write(path, &text).map_err(at(path))?;
    }
    Ok(text.len() as u64)
}

/// Writes one policy file with `rules` generated rules.
pub(crate) fn write_policy_file(path: &Path, seed: u64, rules: usize) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(at(parent))?;
    }
    fs::write(path, policy::rules(seed, 0, rules)).map_err(at(path))?;
    Ok(())
}

/// Writes a policy folder with `rules` generated rules, ten to a file, replacing its contents.
pub(crate) fn write_policy_dir(dir: &Path, seed: u64, rules: usize) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(at(dir))?;
    }
    fs::create_dir_all(dir).map_err(at(dir))?;
    for first in (0..rules).step_by(10) {
        let path = dir.join(format!("generated-{first:04}.policy"));
        let count = (rules - first).min(10);
        fs::write(&path, policy::rules(seed, first, count)).map_err(at(&path))?;
    }
    Ok(())
}

/// 64-bit FNV-1a, continuing from `hash`.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// The language server benchmark's inputs (`governance-bench lsp`): a pack of `rules`
/// generated rules, and one seed contract of about `lines` lines whose fields cycle through
/// business columns and personal data (so that the pack has findings to report). The
/// contract's line `pii_line` (0-based) is `    encrypted: false` of an `email` field, the
/// line the benchmark's edits toggle.
pub(crate) fn lsp_inputs(seed: u64, rules: usize, lines: usize) -> (String, String, usize) {
    let pack = policy::rules(seed, 0, rules);
    let mut contract = String::from(
        "data_product: lsp_bench\ndomain: sales\nowner: sales@company.com\nschema_version: \"1.0\"\nsla: {availability: 99.9%, freshness: 1 hour}\nschema:\n",
    );
    let mut count = 6;
    let mut pii_line = 0;
    let mut index = 0usize;
    while count + 4 <= lines {
        let personal = index % 10 == 0;
        let name = if index == 250 {
            "email"
        } else if personal {
            model::PII_NAMES[index / 10 % model::PII_NAMES.len()]
        } else {
            model::COLUMNS[index % model::COLUMNS.len()].0
        };
        contract.push_str(&format!("  - name: {name}\n    type: string\n"));
        contract.push_str(&format!(
            "    description: \"Field number {index} of the product\"\n"
        ));
        if index == 250 {
            pii_line = count + 3;
        }
        contract.push_str(if personal || index == 250 {
            "    encrypted: false\n"
        } else {
            "    required: true\n"
        });
        count += 4;
        index += 1;
    }
    (pack, contract, pii_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        for mix in [Mix::Seed, Mix::Odcs, Mix::Mixed] {
            for index in 0..50 {
                assert_eq!(contract(mix, 42, index), contract(mix, 42, index));
            }
        }
        let differs = (0..50).any(|i| contract(Mix::Mixed, 42, i) != contract(Mix::Mixed, 43, i));
        assert!(differs, "another seed gives other contracts");
        assert_eq!(policy::rules(42, 0, 30), policy::rules(42, 0, 30));
    }

    #[test]
    fn the_many_findings_contract_is_yaml_with_one_email_field_per_finding() {
        let text = many_findings_contract(1000);
        assert_eq!(text.matches("- name: email\n").count(), 1000);
        for event in saphyr_parser::Parser::new_from_str(&text) {
            assert!(event.is_ok(), "{text}");
        }
    }

    #[test]
    fn contracts_are_valid_yaml_and_json_of_a_few_kilobytes() {
        let mut bytes = 0;
        let count = 400;
        for index in 0..count {
            let file = contract(Mix::Mixed, 7, index);
            bytes += file.text.len();
            if file.path.extension().is_some_and(|e| e == "json") {
                let parsed = jsonc_parser::parse_to_ast(
                    &file.text,
                    &jsonc_parser::CollectOptions::default(),
                    &jsonc_parser::ParseOptions::default(),
                );
                assert!(parsed.is_ok(), "{}:\n{}", file.path.display(), file.text);
            } else {
                let events = saphyr_parser::Parser::new_from_str(&file.text);
                for event in events {
                    assert!(event.is_ok(), "{}:\n{}", file.path.display(), file.text);
                }
            }
        }
        let average = bytes / count as usize;
        assert!((1500..=3500).contains(&average), "average size {average}");
    }
}
