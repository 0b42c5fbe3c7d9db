//! A [`Plan`] as a seed or an ODCS v3.1.0 document, with its `TODO` comments.

use super::plan::{Entry, Field, Plan, Value};
use super::{NewContract, ScaffoldStandard};
use crate::catalog::read::quantity;
use crate::export::odcs::{derived_id, logical_type, API_VERSION};
use crate::export::yaml::Yaml;

fn value(value: &Value) -> Yaml {
    match value {
        Value::Text(text) => Yaml::Str(text.clone()),
        Value::Bool(b) => Yaml::Bool(*b),
        Value::List(items) => Yaml::Seq(items.iter().cloned().map(Yaml::Str).collect()),
    }
}

/// Sets the dotted `path` below mapping `root`, creating mappings on the way.
fn set_path(root: &mut Yaml, path: &str, to: Yaml, comment: Option<String>) {
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    match rest {
        None => root.push_commented(first, to, comment),
        Some(rest) => {
            if !matches!(root.get_mut(first), Some(Yaml::Map(_))) {
                root.push(first, Yaml::map());
            }
            if let Some(below) = root.get_mut(first) {
                set_path(below, rest, to, comment);
            }
        }
    }
}

/// The document for `plan`.
pub(crate) fn write(plan: &Plan, request: &NewContract) -> String {
    let header = [
        &format!(
            "A new data product, `{}` of the `{}` domain, written by `governance-lint new`.",
            request.name, request.domain
        ) as &str,
        "It passes the active policies as it stands: fill in each TODO, then run",
        "`governance-lint check` on it before you commit it.",
    ];
    let root = match request.standard {
        ScaffoldStandard::Seed => seed(plan),
        ScaffoldStandard::Odcs => odcs(plan, request),
    };
    root.to_document(&header)
}

fn seed(plan: &Plan) -> Yaml {
    let mut root = Yaml::map();
    for entry in &plan.top {
        set_path(
            &mut root,
            &entry.path,
            value(&entry.value),
            entry.todo.clone(),
        );
    }
    let fields: Vec<Yaml> = plan.fields.iter().map(seed_field).collect();
    if !fields.is_empty() {
        root.push("schema", Yaml::Seq(fields));
    }
    let name = match plan.get("data_product") {
        Some(Value::Text(name)) => super::plan::slug(name, '-'),
        _ => "product".to_owned(),
    };
    let mut port = Yaml::map();
    port.push("name", Yaml::Str(format!("{name}-output")));
    port.push_commented(
        "type",
        Yaml::str("table"),
        Some("TODO: how consumers read it (table, kafka_topic, api...)".to_owned()),
    );
    root.push("output_port", port);
    root
}

fn seed_field(field: &Field) -> Yaml {
    let mut out = Yaml::map();
    out.push_commented("name", Yaml::str(field.name.clone()), field.todo.clone());
    for Entry {
        path,
        value: v,
        todo,
    } in &field.attrs
    {
        set_path(&mut out, path, value(v), todo.clone());
    }
    out
}

/// The top-level values the ODCS writer places itself.
const WRITTEN: &[&str] = &[
    "data_product",
    "schema_version",
    "version",
    "status",
    "domain",
    "description",
    "owner",
    "id",
    "name",
];

fn odcs(plan: &Plan, request: &NewContract) -> Yaml {
    let mut root = Yaml::map();
    let text = |path: &str| match plan.get(path) {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let todo_of = |path: &str| {
        plan.top
            .iter()
            .find(|e| e.path == path)
            .and_then(|e| e.todo.clone())
    };
    let name = text("data_product").unwrap_or_else(|| request.name.clone());
    root.push("apiVersion", Yaml::str(API_VERSION));
    root.push("kind", Yaml::str("DataContract"));
    let id = text("id")
        .unwrap_or_else(|| derived_id(&format!("{}/{}", request.domain, request.name), 1));
    root.push("id", Yaml::Str(id));
    root.push("name", Yaml::Str(name.clone()));
    root.push_commented(
        "version",
        Yaml::Str(
            text("schema_version")
                .or_else(|| text("version"))
                .unwrap_or_else(|| "0.1.0".to_owned()),
        ),
        todo_of("schema_version"),
    );
    root.push_commented(
        "status",
        Yaml::Str(text("status").unwrap_or_else(|| "draft".to_owned())),
        todo_of("status"),
    );
    root.push_some("domain", text("domain").map(Yaml::Str));
    if let Some(description) = text("description") {
        let mut described = Yaml::map();
        described.push("purpose", Yaml::Str(description));
        root.push("description", described);
    }
    if let Some(owner) = text("owner") {
        let mut member = Yaml::map();
        member.push_commented("username", Yaml::Str(owner), todo_of("owner"));
        member.push("role", Yaml::str("owner"));
        let mut team = Yaml::map();
        team.push("members", Yaml::Seq(vec![member]));
        root.push("team", team);
    }
    let properties: Vec<Yaml> = plan.fields.iter().map(odcs_field).collect();
    let mut table = Yaml::map();
    table.push("name", Yaml::Str(super::plan::slug(&name, '_')));
    table.push("physicalType", Yaml::str("table"));
    if !properties.is_empty() {
        table.push("properties", Yaml::Seq(properties));
    }
    root.push("schema", Yaml::Seq(vec![table]));
    let mut sla = Vec::new();
    for entry in plan.top.iter().filter(|e| e.path.starts_with("sla.")) {
        let property = entry.path.trim_start_matches("sla.");
        let mut item = Yaml::map();
        item.push("property", Yaml::str(property));
        let Value::Text(written) = &entry.value else {
            continue;
        };
        match quantity(written, property == "availability") {
            (Some(number), unit, _) => {
                item.push_commented("value", number_value(number), entry.todo.clone());
                item.push_some("unit", unit.map(Yaml::Str));
            }
            _ => item.push_commented("value", Yaml::Str(written.clone()), entry.todo.clone()),
        }
        sla.push(item);
    }
    if !sla.is_empty() {
        root.push("slaProperties", Yaml::Seq(sla));
    }
    for entry in plan
        .top
        .iter()
        .filter(|e| !WRITTEN.contains(&e.path.as_str()) && !e.path.starts_with("sla."))
    {
        set_path(
            &mut root,
            &entry.path,
            value(&entry.value),
            entry.todo.clone(),
        );
    }
    root
}

fn number_value(number: f64) -> Yaml {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        Yaml::Int(number as i64)
    } else {
        Yaml::Float(number)
    }
}

fn odcs_field(field: &Field) -> Yaml {
    let mut out = Yaml::map();
    out.push_commented("name", Yaml::str(field.name.clone()), field.todo.clone());
    let mut custom = Vec::new();
    for Entry {
        path,
        value: v,
        todo,
    } in &field.attrs
    {
        match (path.as_str(), v) {
            ("type", Value::Text(written)) => match logical_type(written) {
                Some(logical) => {
                    out.push_commented("logicalType", Yaml::str(logical), todo.clone());
                    if !written.eq_ignore_ascii_case(logical) {
                        out.push("physicalType", Yaml::Str(written.clone()));
                    }
                }
                None => {
                    out.push_commented("physicalType", Yaml::Str(written.clone()), todo.clone());
                }
            },
            ("primary_key", v) => out.push_commented("primaryKey", value(v), todo.clone()),
            ("critical", v) => out.push_commented("criticalDataElement", value(v), todo.clone()),
            ("pii" | "encrypted" | "masked", v) => {
                let mut item = Yaml::map();
                item.push("property", Yaml::str(path.clone()));
                item.push_commented("value", value(v), todo.clone());
                custom.push(item);
            }
            (other, v) => set_path(&mut out, other, value(v), todo.clone()),
        }
    }
    if !custom.is_empty() {
        out.push("customProperties", Yaml::Seq(custom));
    }
    out
}
