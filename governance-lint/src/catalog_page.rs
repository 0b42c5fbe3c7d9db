//! The catalog's two files: `catalog.json` (the [`Catalog`] with the run's context, as
//! docs/catalog.schema.json describes it) and `index.html`, one self-contained static page:
//! inline CSS, script and SVG, nothing from the network, working from `file://`.
//!
//! The page carries the catalog as compact JSON in a `<script type="application/json">`
//! element (with `<`, `>` and `&` escaped, so no contract text can close the element) and
//! renders it lazily with its script: nothing of a product is drawn until it is looked at.
//! Contract text only ever reaches the page as text (`textContent`), never as markup.

use std::collections::HashMap;
use std::io::{self, Write};

use governance_core::{Catalog, CatalogSummary, DomainSummary, Product, Uncatalogued};
use serde::Serialize;

/// What the catalog says about the run that made it.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// The version of the format (docs/catalog.schema.json).
    pub version: u32,
    /// `governance-lint 0.1.0`.
    pub generator: &'static str,
    /// The date waivers were judged by.
    pub today: String,
    /// A waiver expiring within this many days is `expiring`.
    pub warning_days: i64,
    /// The policies, as every output names them.
    pub policies: String,
}

/// `catalog.json`: the context, then the catalog.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    context: &'a Context,
    #[serde(flatten)]
    catalog: &'a Catalog,
}

/// Writes `catalog.json`.
pub fn write_json(out: &mut dyn Write, catalog: &Catalog, context: &Context) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Document { context, catalog })?;
    out.write_all(b"\n")
}

const TEMPLATE: &str = include_str!("catalog_page/page.html");
const STYLE: &str = include_str!("catalog_page/page.css");
const SCRIPT: &str = include_str!("catalog_page/page.js");

/// Writes `index.html`.
pub fn write_html(out: &mut dyn Write, catalog: &Catalog, context: &Context) -> io::Result<()> {
    let data = serde_json::to_string(&page_data(catalog, context))?;
    // Each placeholder is replaced once, in order, so that nothing inserted is searched again.
    let mut rest = TEMPLATE;
    for (placeholder, value) in [
        ("{{STYLE}}", STYLE),
        ("{{DATA}}", data.as_str()),
        ("{{SCRIPT}}", SCRIPT),
    ] {
        let Some((before, after)) = rest.split_once(placeholder) else {
            return Err(io::Error::other(format!(
                "the page template has no `{placeholder}`"
            )));
        };
        out.write_all(before.as_bytes())?;
        if placeholder == "{{DATA}}" {
            write_script_safe(out, value)?;
        } else {
            out.write_all(value.as_bytes())?;
        }
        rest = after;
    }
    out.write_all(rest.as_bytes())
}

/// JSON inside a `<script>` element: `<`, `>` and `&` (which only occur inside strings) are
/// written as `\u003c`, `\u003e`, `\u0026`, and U+2028/U+2029 as escapes, so that no text
/// can end the element (`</script>`) or open a comment.
fn write_script_safe(out: &mut dyn Write, json: &str) -> io::Result<()> {
    let mut start = 0;
    for (at, c) in json.char_indices() {
        let escape = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.write_all(json.get(start..at).unwrap_or("").as_bytes())?;
        out.write_all(escape.as_bytes())?;
        start = at + c.len_utf8();
    }
    out.write_all(json.get(start..).unwrap_or("").as_bytes())
}

/// What the page's script reads: the catalog with short names and arrays in place of objects,
/// so that 10,000 products stay a few megabytes.
#[derive(Serialize)]
struct PageData<'a> {
    context: &'a Context,
    summary: &'a CatalogSummary,
    domains: &'a [DomainSummary],
    products: Vec<PageProduct<'a>>,
    /// `[from, to, port, reference, via]`, products by index.
    lineage: Vec<(usize, usize, Option<&'a str>, &'a str, &'a str)>,
    uncatalogued: &'a [Uncatalogued],
}

/// One product, compact. Flags of a field: 1 required, 2 unique, 4 primary key, 8 personal
/// data, 16 encrypted, 32 masked, 64 critical.
#[derive(Serialize)]
struct PageProduct<'a> {
    key: &'a str,
    id: Option<&'a str>,
    name: Option<&'a str>,
    /// Index in `domains`.
    domain: usize,
    owner: Option<&'a str>,
    standard: &'static str,
    version: Option<&'a str>,
    status: Option<&'a str>,
    description: Option<&'a str>,
    tags: &'a [String],
    file: &'a str,
    line: usize,
    /// `[errors, warnings, infos, suppressed]`.
    counts: [usize; 4],
    /// `[path, type, flags, classification, description, tags, line]`.
    fields: Vec<PageField<'a>>,
    /// `[name, text, line]`.
    sla: Vec<(&'static str, &'a str, usize)>,
    /// `[name, direction, type, server or location, contract, schema, line]`.
    ports: Vec<PagePort<'a>>,
    /// `[name, type, environment, line]`.
    servers: Vec<PageServer<'a>>,
    /// `[rule, severity, message, line, column, source, target, suppressed, help, file]`, the
    /// file `null` when it is the contract's own.
    findings: Vec<PageFinding<'a>>,
    /// `[rule, target, reason, owner, expires, days left, state, line]`.
    waivers: Vec<PageWaiver<'a>>,
}

type PageField<'a> = (
    &'a str,
    Option<&'a str>,
    u8,
    Option<&'a str>,
    Option<&'a str>,
    String,
    usize,
);
type PagePort<'a> = (
    Option<&'a str>,
    &'static str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    usize,
);
type PageServer<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, usize);
type PageFinding<'a> = (
    &'a str,
    &'static str,
    &'a str,
    usize,
    usize,
    &'a str,
    Option<&'a str>,
    bool,
    Option<&'a str>,
    Option<&'a str>,
);
type PageWaiver<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<i64>,
    &'static str,
    usize,
);

/// The domain of a product as the summaries group it.
fn domain_key(domain: Option<&str>) -> Option<String> {
    domain.map(|d| d.trim().to_lowercase())
}

fn page_data<'a>(catalog: &'a Catalog, context: &'a Context) -> PageData<'a> {
    let domains: HashMap<Option<String>, usize> = catalog
        .domains
        .iter()
        .enumerate()
        .map(|(index, d)| (domain_key(d.domain.as_deref()), index))
        .collect();
    let index: HashMap<&str, usize> = catalog
        .products
        .iter()
        .enumerate()
        .map(|(at, p)| (p.key.as_str(), at))
        .collect();
    let products = catalog
        .products
        .iter()
        .map(|product| page_product(product, &domains))
        .collect();
    let lineage = catalog
        .lineage
        .iter()
        .filter_map(|edge| {
            Some((
                *index.get(edge.from.as_str())?,
                *index.get(edge.to.as_str())?,
                edge.port.as_deref(),
                edge.reference.as_str(),
                edge.via,
            ))
        })
        .collect();
    PageData {
        context,
        summary: &catalog.summary,
        domains: &catalog.domains,
        products,
        lineage,
        uncatalogued: &catalog.uncatalogued,
    }
}

fn page_product<'a>(
    product: &'a Product,
    domains: &HashMap<Option<String>, usize>,
) -> PageProduct<'a> {
    let c = &product.compliance;
    let fields = product
        .fields
        .iter()
        .map(|f| {
            let flags = u8::from(f.required == Some(true))
                | u8::from(f.unique == Some(true)) << 1
                | u8::from(f.primary_key == Some(true)) << 2
                | u8::from(f.pii) << 3
                | u8::from(f.encrypted == Some(true)) << 4
                | u8::from(f.masked == Some(true)) << 5
                | u8::from(f.critical == Some(true)) << 6;
            (
                f.path.as_str(),
                f.type_name.as_deref(),
                flags,
                f.classification.as_deref(),
                f.description.as_deref(),
                f.tags.join(", "),
                f.line,
            )
        })
        .collect();
    let sla = [
        ("availability", &product.sla.availability),
        ("freshness", &product.sla.freshness),
        ("latency", &product.sla.latency),
        ("retention", &product.sla.retention),
        ("frequency", &product.sla.frequency),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| (name, v.text.as_str(), v.line)))
    .collect();
    let ports = product
        .ports
        .iter()
        .map(|p| {
            (
                p.name.as_deref(),
                match p.direction {
                    governance_core::Direction::Input => "input",
                    governance_core::Direction::Output => "output",
                    _ => "other",
                },
                p.type_name.as_deref(),
                p.server.as_deref().or(p.location.as_deref()),
                p.contract.as_deref(),
                p.schema.as_deref(),
                p.line,
            )
        })
        .collect();
    PageProduct {
        key: &product.key,
        id: product.id.as_deref(),
        name: product
            .name
            .as_deref()
            .or(product.data_product.as_deref())
            .or(product.id.as_deref()),
        domain: domains
            .get(&domain_key(product.domain.as_deref()))
            .copied()
            .unwrap_or(0),
        owner: product.owner.as_deref(),
        standard: product.standard.as_str(),
        version: product.version.as_deref(),
        status: product.status.as_deref(),
        description: product.description.as_deref(),
        tags: &product.tags,
        file: &product.file,
        line: product.line,
        counts: [c.errors, c.warnings, c.infos, c.suppressed],
        fields,
        sla,
        ports,
        servers: product
            .servers
            .iter()
            .map(|s| {
                (
                    s.name.as_deref(),
                    s.type_name.as_deref(),
                    s.environment.as_deref(),
                    s.line,
                )
            })
            .collect(),
        findings: c
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.as_str(),
                    f.severity.as_str(),
                    f.message.as_str(),
                    f.line,
                    f.column,
                    f.source.as_str(),
                    f.target.as_deref(),
                    f.suppressed,
                    f.help.as_deref(),
                    (f.file != product.file).then_some(f.file.as_str()),
                )
            })
            .collect(),
        waivers: product
            .waivers
            .iter()
            .map(|w| {
                (
                    w.rule.as_deref(),
                    w.target.as_deref(),
                    w.reason.as_deref(),
                    w.owner.as_deref(),
                    w.expires.as_deref(),
                    w.days_left,
                    w.state.as_str(),
                    w.line,
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::write_script_safe;

    #[test]
    fn no_contract_text_can_close_the_script_element() {
        let mut out = Vec::new();
        let json = r#"{"name":"</script><script>alert(1)</script> & <!-- \u2028"}"#;
        write_script_safe(&mut out, json).unwrap_or_default();
        let written = String::from_utf8(out).unwrap_or_default();
        assert!(!written.contains('<') && !written.contains('>') && !written.contains('&'));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&written).ok(),
            serde_json::from_str::<serde_json::Value>(json).ok()
        );
    }
}
