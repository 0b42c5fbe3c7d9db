//! Data contracts: loading a file, recognising its format, and the canonical model.

mod dbt;
mod dcs;
mod detect;
mod dpds;
pub(crate) mod model;
mod normalize;
mod odcs;
mod odps;
mod seed;
pub(crate) mod waivers;

use std::sync::Arc;

use crate::document::{self, Document, Limits, LoadError, NodeId, Syntax};
use crate::source::{SourceFile, Span};

pub use model::Format;
pub(crate) use model::{Attr, Entity, Item, ItemKind};
pub(crate) use normalize::NormalizeIssue;

/// Why [`Contract::parse`] returned no contract.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ContractError {
    /// The file is YAML/JSON but not a data contract (a CI workflow, a docker-compose file...).
    #[error("not a data contract")]
    NotAContract,
    /// The file could not be read as YAML or JSON, or broke a limit.
    #[error(transparent)]
    Load(#[from] LoadError),
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
    pub(crate) issues: Vec<NormalizeIssue>,
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
        Contract::load_explained(source, limits).map(|(contracts, _)| contracts)
    }

    /// Like [`Contract::load`], also saying why the first non-contract document was skipped.
    pub(crate) fn load_explained(
        source: &Arc<SourceFile>,
        limits: Limits,
    ) -> Result<(Vec<Contract>, Option<&'static str>), LoadError> {
        let syntax = Syntax::for_name(source.name());
        let documents = document::load(source, syntax, limits)?;
        let mut contracts = Vec::new();
        let mut skipped = None;
        for doc in documents {
            match detect::detect(&doc, doc.root()) {
                Some(format) => contracts.push(Contract::from_document(doc, format)),
                None => skipped = skipped.or(Some(detect::why_not(&doc, doc.root()))),
            }
        }
        if contracts.is_empty() && skipped.is_none() {
            skipped = Some("an empty file (no YAML document)");
        }
        Ok((contracts, skipped))
    }

    /// The contract rooted at `node` of `doc` (an inline contract in a policy test file).
    pub(crate) fn from_subtree(doc: &Document, node: NodeId) -> Option<Contract> {
        let sub = doc.rooted_at(node);
        let format = detect::detect(&sub, node)?;
        Some(Contract::from_document(sub, format))
    }

    fn from_document(mut doc: Document, format: Format) -> Contract {
        let root = doc.root();
        let mut canonical = match format {
            Format::Seed => seed::normalize(&mut doc, root),
            Format::OdcsV3 => odcs::normalize_v3(&mut doc, root),
            Format::OdcsV2 => odcs::normalize_v2(&mut doc, root),
            Format::Dcs => dcs::normalize(&mut doc, root),
            Format::Dbt => dbt::normalize(&mut doc, root),
            Format::Dpds => dpds::normalize(&mut doc, root),
            Format::Odps => odps::normalize(&mut doc, root),
        };
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
        }
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
    /// path in the raw document, as text, with its span.
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
            || {
                self.doc
                    .source()
                    .slice(self.doc.span(found.node))
                    .to_owned()
            },
            |t| t.into_owned(),
        );
        Some((text, found.span))
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

    /// Where the field is named in the file.
    #[must_use]
    pub fn span(&self) -> Span {
        self.item.anchor
    }

    /// A canonical attribute (`type`, `encrypted`, `pii`, `classification`...) or any key of the
    /// field, as text.
    #[must_use]
    pub fn get(&self, attribute: &str) -> Option<String> {
        let found = self.item.entity.lookup(&self.contract.doc, attribute)?;
        self.contract
            .doc
            .scalar_text(found.node)
            .map(|t| t.into_owned())
    }

    /// Whether a yes/no attribute (`encrypted`, `masked`, `pii`...) is set to yes.
    #[must_use]
    pub fn is(&self, attribute: &str) -> bool {
        self.item
            .entity
            .lookup(&self.contract.doc, attribute)
            .is_some_and(|found| self.contract.doc.is_truthy(found.node))
    }
}
