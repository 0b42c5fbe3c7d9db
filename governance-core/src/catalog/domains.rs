//! The scorecard of each domain, and of the whole catalog.

use std::collections::{BTreeSet, HashMap};

use super::model::{CatalogSummary, DomainRule, DomainSummary, Product, WaiverCounts};
use crate::finding::Severity;

/// One summary per domain (compared ignoring case), sorted by name; the products that name no
/// domain come last.
pub(crate) fn summaries(products: &[Product]) -> Vec<DomainSummary> {
    let mut order: Vec<Option<String>> = Vec::new();
    let mut groups: HashMap<Option<String>, Vec<&Product>> = HashMap::new();
    for product in products {
        let key = product.domain.as_deref().map(|d| d.trim().to_lowercase());
        let group = groups.entry(key.clone()).or_default();
        if group.is_empty() {
            order.push(key);
        }
        group.push(product);
    }
    order.sort_by(|a, b| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(a), Some(b)) => a.cmp(b),
    });
    order
        .into_iter()
        .filter_map(|key| groups.get(&key).map(|group| summary(group)))
        .collect()
}

/// `part / whole`, rounded to 4 decimals (1 for an empty whole).
pub(crate) fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 1.0;
    }
    (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0
}

fn summary(products: &[&Product]) -> DomainSummary {
    let mut owners = BTreeSet::new();
    let mut by_rule: Vec<DomainRule> = Vec::new();
    let mut waivers = WaiverCounts::default();
    let (mut errors, mut warnings, mut infos, mut suppressed) = (0, 0, 0, 0);
    let (mut without_errors, mut fields, mut pii, mut unprotected) = (0, 0, 0, 0);
    for product in products {
        if let Some(owner) = &product.owner {
            owners.insert(owner.clone());
        }
        let compliance = &product.compliance;
        errors += compliance.errors;
        warnings += compliance.warnings;
        infos += compliance.infos;
        suppressed += compliance.suppressed;
        if compliance.errors == 0 {
            without_errors += 1;
        }
        for count in compliance.by_rule.iter().filter(|c| c.count > 0) {
            let found = by_rule.iter().position(|r| r.rule == count.rule);
            let index = found.unwrap_or_else(|| {
                by_rule.push(DomainRule {
                    rule: count.rule.clone(),
                    errors: 0,
                    warnings: 0,
                    infos: 0,
                });
                by_rule.len() - 1
            });
            if let Some(rule) = by_rule.get_mut(index) {
                match count.severity {
                    Severity::Error => rule.errors += count.count,
                    Severity::Warning => rule.warnings += count.count,
                    Severity::Info => rule.infos += count.count,
                }
            }
        }
        for waiver in &product.waivers {
            waivers.add(waiver.state);
        }
        fields += product.fields.len();
        for field in product.fields.iter().filter(|f| f.pii) {
            pii += 1;
            if field.encrypted != Some(true) && field.masked != Some(true) {
                unprotected += 1;
            }
        }
    }
    by_rule.sort_by(|a, b| {
        (b.errors, b.warnings, b.infos)
            .cmp(&(a.errors, a.warnings, a.infos))
            .then(a.rule.cmp(&b.rule))
    });
    DomainSummary {
        domain: products.first().and_then(|p| p.domain.clone()),
        products: products.len(),
        owners: owners.into_iter().collect(),
        without_errors,
        share_without_errors: share(without_errors, products.len()),
        errors,
        warnings,
        infos,
        suppressed,
        by_rule,
        waivers,
        fields,
        pii_fields: pii,
        unprotected_pii_fields: unprotected,
    }
}

/// The totals of the whole catalog (files and lineage are filled in by the caller).
pub(crate) fn totals(products: &[Product], domains: &[DomainSummary]) -> CatalogSummary {
    let mut out = CatalogSummary {
        products: products.len(),
        domains: domains.len(),
        ..CatalogSummary::default()
    };
    for domain in domains {
        out.without_errors += domain.without_errors;
        out.errors += domain.errors;
        out.warnings += domain.warnings;
        out.infos += domain.infos;
        out.fields += domain.fields;
        out.pii_fields += domain.pii_fields;
        let w = domain.waivers;
        out.waivers.active += w.active;
        out.waivers.expiring += w.expiring;
        out.waivers.expired += w.expired;
        out.waivers.unused += w.unused;
        out.waivers.invalid += w.invalid;
        out.waivers.mandatory += w.mandatory;
    }
    out
}
