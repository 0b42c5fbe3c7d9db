//! docs/formats.md's mapping tables say what the readers read: each cell's names in backticks
//! are exactly those of `governance_core::read_from` (the normalizers' own tables), in order.
//! A cell that names only the canonical name itself (the seed's `owner`) is the rule that
//! "a canonical name the contract does not provide reads the top-level key of that name".

#![allow(clippy::panic)]

use governance_core::{mapped_names, read_from, Format};

const DOC: &str = include_str!("../../docs/formats.md");

/// The rows of the first table after `heading`: cells, trimmed, header first.
fn table(heading: &str) -> Vec<Vec<String>> {
    let at = DOC
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}` in docs/formats.md"));
    DOC[at..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter(|line| !line.starts_with("|---"))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().trim_matches('|').trim().to_owned())
                .collect()
        })
        .collect()
}

/// The names in backticks.
fn ticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn format_of(header: &str) -> Option<Format> {
    let header = header.to_ascii_lowercase();
    Some(match header.as_str() {
        h if h.starts_with("seed") => Format::Seed,
        h if h.starts_with("odcs v3") => Format::OdcsV3,
        h if h.starts_with("odcs v2") => Format::OdcsV2,
        h if h.starts_with("dcs") => Format::Dcs,
        h if h.starts_with("dbt") => Format::Dbt,
        h if h.starts_with("dpds") => Format::Dpds,
        h if h.starts_with("odps") => Format::Odps,
        _ => return None,
    })
}

/// What the API says a cell must name: the keys (without `strip`), then the names in what
/// is derived.
fn expected(name: &str, format: Option<Format>, strip: &str) -> Option<Vec<String>> {
    let found = read_from(name);
    let entry = found.iter().find(|r| r.format == format)?;
    let mut names: Vec<String> = entry
        .keys
        .iter()
        .map(|k| k.strip_prefix(strip).unwrap_or(k).to_owned())
        .collect();
    names.extend(entry.derived.map(ticked).unwrap_or_default());
    Some(names)
}

/// Checks one table whose columns are standards; returns the canonical names of its rows.
fn check_by_format(
    heading: &str,
    columns: &dyn Fn(&str) -> Vec<Format>,
    strip: &dyn Fn(Format) -> &'static str,
    wrong: &mut Vec<String>,
) -> Vec<String> {
    let rows = table(heading);
    let header = &rows[0];
    let mut names = Vec::new();
    for row in &rows[1..] {
        let Some(name) = ticked(&row[0]).into_iter().next() else {
            continue;
        };
        names.push(name.clone());
        if name == "format" {
            continue;
        }
        for (cell, column) in row.iter().zip(header).skip(1) {
            for format in columns(column) {
                let written = ticked(cell);
                let fallback = written == [name.clone()] || written.is_empty();
                match expected(&name, Some(format), strip(format)) {
                    Some(names) if names == written => {}
                    None if fallback => {}
                    says => wrong.push(format!(
                        "{heading}: `{name}` in {format}: the doc names {written:?}, the reader reads {says:?}"
                    )),
                }
            }
        }
    }
    names
}

#[test]
fn the_mapping_tables_are_what_the_readers_read() {
    let mut wrong = Vec::new();
    let single = |header: &str| format_of(header).into_iter().collect::<Vec<_>>();
    let contract = check_by_format(
        "## The contract: product, owner, version",
        &single,
        &|_| "",
        &mut wrong,
    );
    let sla = check_by_format(
        "## Service levels (SLA)",
        &|header: &str| {
            if header.starts_with("ODCS v3 and v2") {
                vec![Format::OdcsV3, Format::OdcsV2]
            } else {
                single(header)
            }
        },
        &|format| {
            if format == Format::Dcs {
                "servicelevels."
            } else {
                ""
            }
        },
        &mut wrong,
    );

    let fields = table("## Field attributes");
    let mut field_names = Vec::new();
    for row in &fields[1..] {
        let Some(name) = ticked(&row[0]).into_iter().next() else {
            continue;
        };
        field_names.push(name.clone());
        if name == "name" {
            continue;
        }
        let written = ticked(&row[1]);
        let says = expected(&name, None, "");
        if says.as_ref() != Some(&written) {
            wrong.push(format!(
                "field attributes: `{name}`: the doc names {written:?}, the reader reads {says:?}"
            ));
        }
    }

    // Every name the readers map has its row.
    for name in mapped_names() {
        let listed = if name.starts_with("sla.") {
            sla.iter().any(|n| n == name)
        } else if read_from(name).iter().any(|r| r.format.is_none()) {
            field_names.iter().any(|n| n == name)
        } else {
            contract.iter().any(|n| n == name) || name.ends_with("_ports")
        };
        if !listed {
            wrong.push(format!("`{name}` has no row in docs/formats.md"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
