//! The data catalog: every contract as a data product (identity, fields, SLA, ports), with
//! what the policies found in it and its waivers, the lineage between products, and a
//! scorecard per domain. The engine describes each file ([`Engine::describe_with`]); a
//! [`CatalogBuilder`] gathers the files and computes what needs them all.
//!
//! ```
//! use governance_core::{Catalog, Engine, PolicySet, SourceFile};
//! let engine = Engine::new(PolicySet::parse("p.policy", "rule pii { fields tagged pii must be encrypted }")?);
//! let (report, products) = engine.describe(SourceFile::new(
//!     "customers.yaml",
//!     "data_product: customers\ndomain: sales\nschema:\n  - name: email\n    pii: true\n",
//! ));
//! let mut builder = Catalog::builder();
//! builder.add(&report, products);
//! let catalog = builder.finish();
//! let product = &catalog.products[0];
//! assert_eq!((product.key.as_str(), product.compliance.errors), ("customers.yaml", 1));
//! assert!(product.fields[0].pii && product.fields[0].encrypted.is_none());
//! assert_eq!(catalog.domains[0].without_errors, 0);
//! # Ok::<(), governance_core::PolicyErrors>(())
//! ```

mod compliance;
mod domains;
mod lineage;
mod model;
pub(crate) mod read;

use serde::Serialize;

use crate::engine::{Engine, FileReport, FileStatus, LintOptions};
use crate::source::SourceFile;

pub use model::{
    CatalogSummary, Compliance, Direction, DomainRule, DomainSummary, Edge, FileCounts,
    FindingRecord, Port, Product, ProductField, RuleCount, Server, Sla, SlaValue, Table,
    Uncatalogued, WaiverCounts, WaiverRecord, WaiverState,
};

/// Every product of a run, their lineage and the scorecard of each domain.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Catalog {
    /// The totals.
    pub summary: CatalogSummary,
    /// One scorecard per domain, by name (products without a domain last).
    pub domains: Vec<DomainSummary>,
    /// The products, in file order.
    pub products: Vec<Product>,
    /// Who reads what: edges between products through their ports.
    pub lineage: Vec<Edge>,
    /// Files that should have held products but failed to load or match no standard.
    pub uncatalogued: Vec<Uncatalogued>,
}

impl Catalog {
    /// A builder to add the files of a run to.
    #[must_use]
    pub fn builder() -> CatalogBuilder {
        CatalogBuilder::default()
    }
}

/// Gathers the products of a run's files, in order.
#[derive(Debug, Default)]
pub struct CatalogBuilder {
    products: Vec<Product>,
    uncatalogued: Vec<Uncatalogued>,
    files: FileCounts,
}

impl CatalogBuilder {
    /// Adds one file: its report (for the counts, and the findings of a file that failed) and
    /// the products [`Engine::describe_with`] made of it.
    pub fn add(&mut self, report: &FileReport, products: Vec<Product>) {
        match report.status() {
            FileStatus::Linted => self.files.linted += 1,
            FileStatus::Skipped => self.files.skipped += 1,
            FileStatus::Unrecognised => self.files.unrecognised += 1,
            FileStatus::Failed => self.files.failed += 1,
        }
        if matches!(
            report.status(),
            FileStatus::Failed | FileStatus::Unrecognised
        ) {
            self.uncatalogued.push(Uncatalogued {
                file: report.source().name().to_owned(),
                status: report.status().as_str(),
                findings: report.findings().iter().map(compliance::record).collect(),
            });
        }
        self.products.extend(products);
    }

    /// How many products so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether no product was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// The catalog: lineage and scorecards computed over every product.
    #[must_use]
    pub fn finish(self) -> Catalog {
        let lineage = lineage::edges(&self.products);
        let domains = domains::summaries(&self.products);
        let mut summary = domains::totals(&self.products, &domains);
        summary.files = self.files;
        summary.lineage_edges = lineage.len();
        Catalog {
            summary,
            domains,
            products: self.products,
            lineage,
            uncatalogued: self.uncatalogued,
        }
    }
}

impl Engine {
    /// Lints one file, as [`Engine::lint`] does, and describes each of its contracts as a
    /// [`Product`] with its compliance and waivers.
    #[must_use]
    pub fn describe(&self, source: SourceFile) -> (FileReport, Vec<Product>) {
        self.describe_with(source, self.options())
    }

    /// Like [`Engine::describe`], with `options` for this file.
    #[must_use]
    pub fn describe_with(
        &self,
        source: SourceFile,
        options: &LintOptions,
    ) -> (FileReport, Vec<Product>) {
        let name = source.name().to_owned();
        let (rules, _) = self.policies().parts();
        let mut products = Vec::new();
        let report = self.lint_visiting(source, options, &mut |contract, findings| {
            let document = products.len() + 1;
            let mut product = read::product(contract, name.clone(), document);
            product.compliance = compliance::compliance(findings);
            let verdicts = crate::engine::waivers::verdicts(rules, contract, options, findings);
            product.waivers = compliance::waivers(contract, verdicts, options.clock().today);
            products.push(product);
        });
        if products.len() > 1 {
            for product in &mut products {
                product.key = format!("{name}#{}", product.document);
            }
        }
        (report, products)
    }
}
