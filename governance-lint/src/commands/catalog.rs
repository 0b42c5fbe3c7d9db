//! `governance-lint catalog [PATH]... --out DIR`: every contract `check` would lint, as a data
//! product in `DIR/catalog.json` (docs/catalog.schema.json) and in `DIR/index.html`, one
//! static page that works from `file://`.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use governance_core::Catalog;

use super::selection::{self, Selection};
use super::{stop, write_out, EXIT_CLEAN};
use crate::args::CatalogArgs;
use crate::catalog_page;
use crate::problem::Problem;
use crate::progress::Progress;

/// The version of `catalog.json` (docs/catalog.schema.json): it changes when a field changes
/// meaning or disappears.
pub const CATALOG_VERSION: u32 = 1;

pub fn catalog(args: &CatalogArgs) -> u8 {
    let selection = match selection::select(&args.select) {
        Ok(selection) => selection,
        Err(code) => return code,
    };
    let catalog = build(&selection);
    let context = catalog_page::Context {
        version: CATALOG_VERSION,
        generator: concat!("governance-lint ", env!("CARGO_PKG_VERSION")),
        today: selection.engine.options().clock().today.to_string(),
        warning_days: selection.engine.options().clock().warn_days,
        policies: selection.used.describe(),
    };
    if let Err(error) = write(&args.out, &catalog, &context) {
        let problem = Problem::plain(
            "usage::cannot_write",
            format!(
                "cannot write the catalog to `{}`: {error}",
                args.out.display()
            ),
            Some("check that the directory can be created and written to".to_owned()),
        );
        return stop(
            &selection.out,
            Some(selection.engine.policies()),
            &[problem],
        );
    }
    let summary = &catalog.summary;
    let out = args.out.display().to_string();
    write_out(|stdout| {
        writeln!(
            stdout,
            "catalog: {} in {}, {} without errors; {} ({} read)",
            crate::text::plural(summary.products, "product"),
            crate::text::plural(summary.domains, "domain"),
            summary.without_errors,
            crate::text::plural(summary.lineage_edges, "lineage edge"),
            crate::text::plural(
                summary.files.linted
                    + summary.files.skipped
                    + summary.files.unrecognised
                    + summary.files.failed,
                "file"
            ),
        )?;
        writeln!(stdout, "wrote {out}/catalog.json and {out}/index.html")?;
        Ok(EXIT_CLEAN)
    })
}

/// Reads and describes every selected file, in parallel, in path order.
fn build(selection: &Selection) -> Catalog {
    let progress = Progress::new(selection.work.len(), "cataloguing");
    let job = selection.job();
    let mut builder = Catalog::builder();
    crate::run::map_in_order(
        &selection.work,
        |item| selection::describe(job, item),
        |(report, products)| {
            builder.add(&report, products);
            progress.tick();
        },
    );
    progress.doing("writing the catalog");
    let catalog = builder.finish();
    progress.finish();
    catalog
}

/// Writes `catalog.json` and `index.html` into `dir`.
fn write(dir: &Path, catalog: &Catalog, context: &catalog_page::Context) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut json = BufWriter::new(fs::File::create(dir.join("catalog.json"))?);
    catalog_page::write_json(&mut json, catalog, context)?;
    json.flush()?;
    let mut html = BufWriter::new(fs::File::create(dir.join("index.html"))?);
    catalog_page::write_html(&mut html, catalog, context)?;
    html.flush()
}
