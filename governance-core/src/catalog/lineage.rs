//! Lineage: which product reads what another serves. An input port names what it reads by a
//! contract id (`contractId`, as ODPS ports do), or by name (the seed shapes'
//! `input_ports: [{name: clickstream-raw}]`); it is matched against every other product's
//! output ports (their contract id, then their name) and ids.

use std::collections::{HashMap, HashSet};

use super::model::{Direction, Edge, Product};

/// Products by what they serve.
type Index = HashMap<String, Vec<usize>>;

/// `text` compared ignoring case and surrounding spaces.
fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Every edge between `products`, in the order of the reading products and their ports.
pub(crate) fn edges(products: &[Product]) -> Vec<Edge> {
    // What each product serves, by contract id, by product id, and by output port name.
    let mut by_contract = Index::new();
    let mut by_product = Index::new();
    let mut by_port = Index::new();
    for (index, product) in products.iter().enumerate() {
        if let Some(id) = &product.id {
            by_product.entry(key(id)).or_default().push(index);
        }
        for port in product
            .ports
            .iter()
            .filter(|p| p.direction == Direction::Output)
        {
            if let Some(contract) = &port.contract {
                by_contract.entry(key(contract)).or_default().push(index);
            }
            if let Some(name) = &port.name {
                by_port.entry(key(name)).or_default().push(index);
            }
        }
    }
    let mut out = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for (to, product) in products.iter().enumerate() {
        for port in product
            .ports
            .iter()
            .filter(|p| p.direction == Direction::Input)
        {
            let mut candidates: Vec<(&Index, &str, &String)> = Vec::new();
            if let Some(contract) = &port.contract {
                candidates.push((&by_contract, "contract", contract));
                candidates.push((&by_product, "product", contract));
            }
            if let Some(name) = &port.name {
                candidates.push((&by_port, "port", name));
                candidates.push((&by_product, "product", name));
            }
            for (index, via, reference) in candidates {
                for &from in index.get(&key(reference)).map_or(&[][..], Vec::as_slice) {
                    if from == to || !seen.insert((from, to)) {
                        continue;
                    }
                    let Some(source) = products.get(from) else {
                        continue;
                    };
                    out.push(Edge {
                        from: source.key.clone(),
                        to: product.key.clone(),
                        port: port.name.clone(),
                        reference: reference.clone(),
                        via,
                    });
                }
            }
        }
    }
    out
}
