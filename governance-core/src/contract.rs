//! Data contracts: loading a file, recognising its format, and the canonical model.

mod conformance;
mod coverage;
mod dbt;
mod dbt_project;
mod dcs;
mod detect;
mod dpds;
mod mapping;
pub(crate) mod model;
mod normalize;
mod odcs;
mod odps;
mod resolve;
mod schema_file;
mod seed;
mod skip;
pub(crate) mod standard;
pub(crate) mod waivers;

use std::sync::Arc;

use crate::builtin::BuiltinRule;
use crate::document::{self, Document, Limits, LoadError, NodeId, NodeKind, Syntax};
use crate::source::{SourceFile, Span};

pub use dbt_project::DbtProject;
pub use mapping::{mapped_names, read_from, ReadFrom};
pub(crate) use model::{Attr, Entity, Item, ItemKind};
pub(crate) use normalize::Issue;
pub(crate) use resolve::Refs;
pub use resolve::{Resolver, Unresolved};
pub use skip::Skip;
pub use standard::Format;
use standard::Standard;

/// Why [`Contract::parse`] returned no contract. A [`miette::Diagnostic`], so that
/// `Contract::parse(..)?` works in a function returning `miette::Result`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ContractError {
    /// The file is YAML/JSON but not a data contract (a CI workflow, a docker-compose file...).
    #[error("not a data contract")]
    NotAContract,
    /// The file could not be read as YAML or JSON, or broke a limit.
    #[error(transparent)]
    Load(#[from] LoadError),
}

impl miette::Diagnostic for ContractError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match self {
            ContractError::NotAContract => Some(Box::new("not-a-contract")),
            ContractError::Load(error) => miette::Diagnostic::code(error),
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match self {
            ContractError::NotAContract => Some(Box::new(
                "a contract needs the markers of a standard: `data_product:`, `kind: DataContract`, `dataContractSpecification:`...",
            )),
            ContractError::Load(error) => miette::Diagnostic::help(error),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        match self {
            ContractError::NotAContract => None,
            ContractError::Load(error) => miette::Diagnostic::labels(error),
        }
    }
}

/// One data contract, loaded into the canonical model with the source position of every key
/// and value.
///
/// ```
/// use governance_core::{Contract, Format};
/// let contract = Contract::parse("orders.yaml", "data_product: orders\ndomain: sales\nschema:\n  email: string\n")?;
/// assert_eq!(contract.format(), Format::Seed);
/// assert_eq!(contract.fields().map(|f| f.path().to_owned()).collect::<Vec<_>>(), ["email"]);
/// # Ok::<(), governance_core::ContractError>(())
/// ```
#[derive(Debug)]
pub struct Contract {
    pub(crate) doc: Document,
    pub(crate) format: Format,
    pub(crate) top: Entity,
    pub(crate) items: Vec<Item>,
    pub(crate) issues: Vec<Issue>,
    /// The items by name, as (hash of the name trimmed and in lowercase, position) sorted,
    /// built on first use: a `named` filter looks its names up instead of comparing every
    /// item, so many rules cost little more than few, and building it copies no name.
    names: std::sync::OnceLock<Vec<(u64, u32)>>,
}

/// Which issues reading a contract looks for.
#[derive(Debug, Clone, Copy)]
struct Checks {
    /// What its reader leaves unread (`unread-content`).
    coverage: bool,
    /// How it departs from its standard's schema.
    conformance: bool,
}

/// Every document of a file, sorted out: the contracts, why the others were skipped, and the
/// ones that look like contracts but match no standard.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub contracts: Vec<Contract>,
    /// Why the (first) document that is not a contract was skipped.
    pub skipped: Option<Skip>,
    /// One `not-recognised` issue per document that looks like a contract but is none.
    pub unrecognised: Vec<Issue>,
}

impl Contract {
    /// Parses the first contract in `text` (YAML, or strict JSON when `name` ends in `.json`).
    ///
    /// # Errors
    /// [`ContractError::Load`] when the text is not YAML/JSON, [`ContractError::NotAContract`]
    /// when no document in it is a data contract.
    pub fn parse(
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> Result<Contract, ContractError> {
        let source = Arc::new(SourceFile::new(name, text));
        Contract::load(&source, Limits::default())?
            .into_iter()
            .next()
            .ok_or(ContractError::NotAContract)
    }

    /// Every contract in `source` (a YAML file may hold several `---` documents); documents that
    /// are not contracts are left out.
    ///
    /// # Errors
    /// [`LoadError`] when the file cannot be read as YAML/JSON or breaks a limit.
    pub fn load(source: &Arc<SourceFile>, limits: Limits) -> Result<Vec<Contract>, LoadError> {
        Contract::load_all(source, limits, false, &Refs::none(), true)
            .map(|loaded| loaded.contracts)
    }

    /// Every document of `source`, sorted into contracts, skips and unrecognised documents.
    /// `dbt_enforced`: the file lies where `dbt_project.yml` enforces model contracts.
    /// `refs`: how the files its contracts refer to are read (each contract reads them anew).
    /// `conform`: find the issues of each contract (what it leaves unread, how it departs from
    /// its standard's schema); a comparison of two versions reports neither and does without.
    pub(crate) fn load_all(
        source: &Arc<SourceFile>,
        limits: Limits,
        dbt_enforced: bool,
        refs: &Refs<'_>,
        conform: bool,
    ) -> Result<Loaded, LoadError> {
        let syntax = Syntax::for_name(source.name());
        let documents = match document::load(source, syntax, limits) {
            Ok(documents) => documents,
            // One JSON value per line (`.json` data files in JSON Lines form): data, not a
            // contract, and not a broken file either.
            Err(LoadError::Syntax { .. }) if syntax == Syntax::Json && is_json_lines(source) => {
                return Ok(Loaded {
                    skipped: Some(Skip::JSON_LINES),
                    ..Loaded::default()
                });
            }
            Err(error) => return Err(error),
        };
        let mut loaded = Loaded::default();
        for mut doc in documents {
            doc.dbt_project_enforced = dbt_enforced;
            let root = doc.root();
            match standard::detect(&doc, root) {
                Some(standard) => loaded.contracts.push(Contract::from_document(
                    doc,
                    standard,
                    Checks {
                        coverage: conform,
                        conformance: conform,
                    },
                    &mut refs.fresh(),
                )),
                None => match detect::why_not(&doc, root) {
                    detect::NotAContract::Skip(skip) => {
                        loaded.skipped = loaded.skipped.or(Some(skip));
                    }
                    detect::NotAContract::Unrecognised(why) => {
                        loaded.unrecognised.push(unrecognised(&doc, root, why));
                    }
                },
            }
        }
        if loaded.contracts.is_empty() && loaded.skipped.is_none() && loaded.unrecognised.is_empty()
        {
            loaded.skipped = Some(Skip::EMPTY);
        }
        Ok(loaded)
    }

    /// The contract rooted at `node` of `doc` (an inline contract in a policy test file).
    pub(crate) fn from_subtree(doc: &Document, node: NodeId) -> Option<Contract> {
        let sub = doc.rooted_at(node);
        let standard = standard::detect(&sub, node)?;
        // An inline contract of a policy test is a fragment: it is not checked against its
        // standard.
        Some(Contract::from_document(
            sub,
            standard,
            Checks {
                coverage: true,
                conformance: false,
            },
            &mut Refs::none(),
        ))
    }

    fn from_document(
        mut doc: Document,
        standard: &Standard,
        checks: Checks,
        refs: &mut Refs<'_>,
    ) -> Contract {
        let root = doc.root();
        let format = standard.format;
        let mut canonical = (standard.normalize)(&mut doc, root, refs);
        if checks.coverage {
            coverage::check(
                &doc,
                root,
                standard,
                &canonical.items,
                &mut canonical.issues,
            );
        }
        if checks.conformance {
            // One finding per problem: a key the reader already reports (`unread-content`)
            // is not reported again as a violation of the standard.
            let read_issues: Vec<Span> = canonical
                .issues
                .iter()
                .filter(|i| i.rule == BuiltinRule::UnreadContent)
                .map(|i| i.span)
                .collect();
            canonical.issues.extend(
                conformance::check(&doc, root, format)
                    .into_iter()
                    .filter(|issue| issue.about.is_none_or(|key| !read_issues.contains(&key))),
            );
        }
        if let Some(domain) = canonical.top.lookup(&doc, "domain") {
            if let Some(issue) = invalid_domain(&doc, domain) {
                canonical.issues.push(issue);
            }
        }
        // `when format is "odcs-v3"`: the format is a canonical name too.
        let at = Span::empty(doc.span(root).start());
        let format_attr = normalize::synthetic_text(&mut doc, at, format.as_str().to_owned());
        canonical.top.set("format", Some(format_attr));
        Contract {
            doc,
            format,
            top: canonical.top,
            items: canonical.items,
            issues: canonical.issues,
            names: std::sync::OnceLock::new(),
        }
    }

    /// Adds to `out` the positions in `items` of the items called `name` (ignoring case and
    /// surrounding spaces), in document order.
    pub(crate) fn items_named(&self, name: &str, out: &mut Vec<u32>) {
        let index = self.names.get_or_init(|| {
            let mut index: Vec<(u64, u32)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(at, item)| Some((folded_hash(item.name()?), u32::try_from(at).ok()?)))
                .collect();
            index.sort_unstable();
            index
        });
        let key = folded_hash(name);
        let start = index.partition_point(|&(hash, _)| hash < key);
        let same_hash = index
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&(hash, _)| hash == key);
        // Names with the same hash are compared: two different names may share one.
        out.extend(same_hash.map(|&(_, at)| at).filter(|&at| {
            self.items
                .get(at as usize)
                .and_then(Item::name)
                .is_some_and(|item| crate::text::same_text(item, name))
        }));
    }

    /// The standard the contract was read as.
    #[must_use]
    pub fn format(&self) -> Format {
        self.format
    }

    /// The file it came from.
    #[must_use]
    pub fn source(&self) -> &Arc<SourceFile> {
        self.doc.source()
    }

    /// The value of a canonical name (`owner`, `domain`, `sla.availability`...) or of any dotted
    /// path in the raw document, as text, with its span (in the file it is written in: a value
    /// read from a file the contract refers to has its span in that file).
    ///
    /// ```
    /// # use governance_core::Contract;
    /// let c = Contract::parse("c.yaml", "data_product: p\ndomain: sales\nsla_availability: 99.9%\n")?;
    /// let (value, span) = c.get("sla.availability").unwrap();
    /// assert_eq!(value, "99.9%");
    /// assert_eq!(&c.source().text()[span.start()..span.end()], "sla_availability: 99.9%");
    /// # Ok::<(), governance_core::ContractError>(())
    /// ```
    #[must_use]
    pub fn get(&self, path: &str) -> Option<(String, Span)> {
        let found = self.top.lookup(&self.doc, path)?;
        let text = self.doc.scalar_text(found.node).map_or_else(
            || self.doc.slice(self.doc.span(found.node)).to_owned(),
            std::borrow::Cow::into_owned,
        );
        Some((text, self.doc.locate(found.span).1))
    }

    /// How many named fields the contract has, at every depth.
    #[must_use]
    pub fn field_count(&self) -> usize {
        self.fields().filter(|f| f.name().is_some()).count()
    }

    /// The canonical owner, as text.
    #[must_use]
    pub fn owner(&self) -> Option<String> {
        self.get("owner").map(|(owner, _)| owner)
    }

    /// The canonical domain, as text.
    #[must_use]
    pub fn domain(&self) -> Option<String> {
        self.get("domain").map(|(domain, _)| domain)
    }

    /// The names of its tables or models, in document order.
    pub fn tables(&self) -> impl Iterator<Item = &str> {
        self.items
            .iter()
            .filter(|item| item.kind == ItemKind::Table)
            .filter_map(|item| item.name())
    }

    /// The fields at every depth, in document order.
    pub fn fields(&self) -> impl Iterator<Item = Field<'_>> {
        self.items
            .iter()
            .filter(|item| item.kind == ItemKind::Field)
            .map(move |item| Field {
                contract: self,
                item,
            })
    }

    /// The canonical model as text, one line per attribute with the span it points at: what
    /// the policies see of this contract, whatever its standard. Stable, for tests (each
    /// engine case snapshots it) and for debugging a new standard's reader.
    ///
    /// ```
    /// # use governance_core::Contract;
    /// let c = Contract::parse("c.yaml", "data_product: p\nschema:\n  email: string\n")?;
    /// assert_eq!(
    ///     c.canonical_text(),
    ///     "contract (seed)\n  data_product = `p` 1:1-1:16\n  name = `p` 1:1-1:16\n  id = `p` 1:1-1:16\n  fields = a mapping of 1 2:1-3:16\n  format = `seed` 1:1-1:1\nfield `email`\n  name = `email` 3:3-3:8\n  type = `string` 3:10-3:16\n",
    /// );
    /// # Ok::<(), governance_core::ContractError>(())
    /// ```
    #[must_use]
    pub fn canonical_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = format!("contract ({})\n", self.format);
        self.write_entity(&mut out, &self.top);
        for (index, item) in self.items.iter().enumerate() {
            let _ = writeln!(out, "{}", item.describe(index));
            self.write_entity(&mut out, &item.entity);
        }
        out
    }

    fn write_entity(&self, out: &mut String, entity: &Entity) {
        use std::fmt::Write as _;
        for (name, attr) in &entity.attrs {
            let value = match &self.doc.node(attr.node).kind {
                NodeKind::Seq(range) => format!("a list of {}", range.len),
                NodeKind::Map(range) => format!("a mapping of {}", range.len),
                NodeKind::Null => "null".to_owned(),
                _ => {
                    let text = self.doc.scalar_text(attr.node).unwrap_or_default();
                    let one_line: String = text
                        .chars()
                        .take(60)
                        .map(|c| if c.is_control() { ' ' } else { c })
                        .collect();
                    format!("`{one_line}`")
                }
            };
            let (source, span, part) = self.doc.locate(attr.span);
            let at = source.location(span);
            // A value read from a file the contract refers to names that file.
            let file = if part == 0 {
                String::new()
            } else {
                format!("{} ", source.name())
            };
            let _ = writeln!(
                out,
                "  {name} = {value} {file}{}:{}-{}:{}",
                at.start.line, at.start.column, at.end.line, at.end.column
            );
        }
    }

    pub(crate) fn root(&self) -> NodeId {
        self.doc.root()
    }
}

/// A field of a [`Contract`], read-only.
#[derive(Debug, Clone, Copy)]
pub struct Field<'c> {
    contract: &'c Contract,
    item: &'c Item,
}

impl<'c> Field<'c> {
    /// The field's own name (`email`).
    #[must_use]
    pub fn name(&self) -> Option<&'c str> {
        self.item.name()
    }

    /// Its dotted path from the table (`orders.customer.email`).
    #[must_use]
    pub fn path(&self) -> &'c str {
        &self.item.path
    }

    /// The table or model it belongs to, where the format has tables.
    #[must_use]
    pub fn table(&self) -> Option<&'c str> {
        self.item.table.as_deref()
    }

    /// Where the field is named, in [`Field::source`].
    #[must_use]
    pub fn span(&self) -> Span {
        self.contract.doc.locate(self.item.anchor).1
    }

    /// The file the field is written in: the contract's own, or a file it refers to (a DPDS
    /// port, a `.proto` or `.avsc` schema...).
    #[must_use]
    pub fn source(&self) -> &'c Arc<SourceFile> {
        self.contract.doc.locate(self.item.anchor).0
    }

    /// A canonical attribute (`type`, `encrypted`, `pii`, `classification`...) or any key of the
    /// field, as text.
    #[must_use]
    pub fn get(&self, attribute: &str) -> Option<String> {
        let found = self.item.entity.lookup(&self.contract.doc, attribute)?;
        self.contract
            .doc
            .scalar_text(found.node)
            .map(std::borrow::Cow::into_owned)
    }

    /// Whether a yes/no attribute (`encrypted`, `masked`, `pii`...) is set to an explicit yes
    /// (`true`, or the words `true`, `yes` or `on`).
    #[must_use]
    pub fn is(&self, attribute: &str) -> bool {
        self.item
            .entity
            .lookup(&self.contract.doc, attribute)
            .is_some_and(|found| self.contract.doc.is_yes(found.node))
    }
}

/// Whether a file that is not one JSON value is JSON Lines: at least two non-blank lines, and
/// (among the first hundred) each a complete JSON object or array.
fn is_json_lines(source: &SourceFile) -> bool {
    let mut lines = source.text().lines().filter(|l| !l.trim().is_empty());
    let mut count = 0;
    for line in lines.by_ref().take(100) {
        let line = line.trim();
        if !(line.starts_with('{') || line.starts_with('[')) {
            return false;
        }
        let one = Arc::new(SourceFile::new("line.json", line));
        if document::load(&one, Syntax::Json, Limits::default()).is_err() {
            return false;
        }
        count += 1;
    }
    count >= 2
}

/// `domain: [hr]` or `domain: {name: hr}`: a contract belongs to one domain, written as a name.
fn invalid_domain(doc: &Document, domain: Attr) -> Option<Issue> {
    let shape = match doc.node(domain.node).kind {
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
        _ => return None,
    };
    Some(
        Issue::new(
            BuiltinRule::InvalidDomain,
            domain.span,
            format!("`domain` is {shape}, not one name: no domain pack or `scope` applies to this contract"),
            "not one name",
        )
        .with_help("a contract belongs to one domain: `domain: sales`".to_owned()),
    )
}

/// The `not-recognised` issue for a document that looks like a contract but matches no
/// standard, at its first line, with what is most likely wrong.
fn unrecognised(doc: &Document, root: NodeId, why: detect::Unrecognised) -> Issue {
    let first_line = doc
        .entries(root)
        .first()
        .map_or_else(|| doc.span(root), document::Entry::span);
    // A wrong `kind` is pointed at; otherwise the document's first line.
    let at = match doc.entry(root, "kind") {
        Some(entry) if why.kind => entry.span(),
        _ => first_line,
    };
    if why.lf_odps {
        let version = doc
            .get(root, "schema")
            .and_then(|s| doc.str(s))
            .and_then(|s| s.split("opendataproducts.org/").nth(1))
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("v4");
        let at = doc
            .entry(root, "schema")
            .map_or(first_line, document::Entry::span);
        return Issue::new(
            BuiltinRule::NotRecognised,
            at,
            format!("this is an Open Data Product Specification {version} document (Linux Foundation), which the linter does not read, so this file is not linted"),
            "not supported",
        )
        .with_help("lint the data contracts the product names (ODCS or DCS files in the repository) directly; Bitol's Open Data Product Standard (`kind: DataProduct`) is read".to_owned());
    }
    let kind = doc.get(root, "kind").and_then(|k| doc.str(k));
    let (message, help) = match kind {
        Some(kind) if why.kind => {
            let near = ["DataContract", "DataProduct"].into_iter().min_by_key(|k| {
                strsim::damerau_levenshtein(&kind.to_ascii_lowercase(), &k.to_ascii_lowercase())
            });
            (
                format!("`kind: {kind}` is not a kind the linter reads, so this file is not linted"),
                match near {
                    Some(near) => format!("did you mean `kind: {near}`? ODCS contracts are `kind: DataContract`, ODPS products `kind: DataProduct` (exactly)"),
                    None => "ODCS contracts are `kind: DataContract`, ODPS products `kind: DataProduct`".to_owned(),
                },
            )
        }
        _ => {
            let keys: Vec<String> = doc
                .entries(root)
                .iter()
                .map(|e| doc.text(&e.key))
                .filter(|k| detect::is_contract_key(k))
                .take(4)
                .map(|k| format!("`{k}`"))
                .collect();
            let help = if doc.get(root, "name").is_some() && doc.get(root, "data_product").is_none()
            {
                "did you mean `data_product:` instead of `name:`? A seed contract names its product with `data_product:`; ODCS needs `kind: DataContract`, DCS `dataContractSpecification:`".to_owned()
            } else {
                "a seed contract starts with `data_product:` (or `domain:` with `schema:`); ODCS needs `kind: DataContract`, DCS `dataContractSpecification:`, DPDS `dataProductDescriptor:`".to_owned()
            };
            (
                format!(
                    "this file looks like a data contract (it has {}) but matches no standard the linter reads, so it is not linted",
                    keys.join(", ")
                ),
                help,
            )
        }
    };
    Issue::new(BuiltinRule::NotRecognised, at, message, "not recognised").with_help(help)
}

/// A hash of `name` trimmed and in lowercase (FNV-1a), without a lowercase copy when it is
/// ASCII: equal for two names [`crate::text::same_text`] calls the same.
fn folded_hash(name: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let add = |hash: u64, byte: u8| (hash ^ u64::from(byte)).wrapping_mul(PRIME);
    let name = name.trim();
    if name.is_ascii() {
        name.bytes()
            .fold(OFFSET, |hash, byte| add(hash, byte.to_ascii_lowercase()))
    } else {
        name.to_lowercase().bytes().fold(OFFSET, add)
    }
}

#[cfg(test)]
mod tests {
    use super::folded_hash;
    use crate::text::same_text;

    #[test]
    fn names_the_same_text_calls_the_same_hash_alike() {
        let names = [
            "email",
            "EMAIL",
            " Email ",
            "e-mail",
            "Straße",
            "STRASSE",
            "straße",
            "ΟΔΟΣ",
            "οδος",
            "Émile",
            "émile",
            "ÉMILE",
            "\temail\n",
            "",
            "İstanbul",
            "i̇stanbul",
        ];
        for a in names {
            for b in names {
                if same_text(a, b) {
                    assert_eq!(folded_hash(a), folded_hash(b), "{a:?} and {b:?}");
                }
            }
        }
        assert_ne!(folded_hash("email"), folded_hash("e-mail"));
    }
}
