//! Any contract, whatever its standard, as an ODCS v3.1.0 document: what the canonical model
//! knows of it, written where ODCS keeps it, so that the ODCS reader gives back the same
//! canonical values (and the policies the same findings).

use std::collections::HashMap;

use super::carried::{changed_on_reading, uncarried_values, NotCarried};
use super::yaml::Yaml;
use crate::catalog::read::{flag, parent_path, tags, text};
use crate::catalog::{read, Direction, Port, SlaValue};
use crate::contract::{Contract, Entity, Item, ItemKind};
use crate::document::NodeKind;
use crate::source::Span;

/// The ODCS version written.
pub(crate) const API_VERSION: &str = "v3.1.0";

/// What [`Contract::to_odcs`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OdcsExport {
    /// The contract's id in the export: its own, else one derived from its file and position.
    pub id: String,
    /// The ODCS document, as YAML.
    pub yaml: String,
    /// The keys ODCS requires that the contract did not have, written empty (`version: ""`):
    /// a policy that asks for them still finds them missing.
    pub filled: Vec<&'static str>,
    /// What the export does not carry, in source order: values outside the canonical model,
    /// and canonical values that the ODCS reader reads back differently. Empty when the
    /// export holds everything the source says.
    pub not_carried: Vec<NotCarried>,
}

impl Contract {
    /// The contract as an ODCS v3.1.0 document: its id, name, version, status, domain,
    /// description and tags; the team (its name, its members, the owner as a member with the
    /// role `owner`); tables and
    /// fields (nested ones under `properties`, or `items.properties` for arrays) with their
    /// logical type, physical type, required, unique, primary key, classification, critical
    /// data element, tags, and personal data, encryption and masking as `customProperties`
    /// (`encryptedName` when the contract names the encrypted column); the service levels as
    /// `slaProperties` with units; servers; ports, the source's format and file, and the
    /// waivers under top-level `customProperties`, with the source's own custom properties.
    /// `document` is which contract of its file this is (1 for the first): it names the id of
    /// a contract that has none.
    ///
    /// Fail closed: [`OdcsExport::not_carried`] lists every value of the source the export
    /// does not hold (a key outside the canonical model, a type ODCS has no logical type
    /// for...), and every canonical value that does not read back the same from the export.
    ///
    /// ```
    /// use governance_core::Contract;
    /// let c = Contract::parse("c.yaml", "data_product: orders\nowner: sales@company.com\nsla: {availability: 99.9%}\nschema:\n  - name: email\n    type: varchar(255)\n    pii: true\n    encrypted: true\n")?;
    /// let odcs = c.to_odcs(1);
    /// assert_eq!(odcs.id, "orders");
    /// assert!(odcs.yaml.contains("\napiVersion: v3.1.0\nkind: DataContract\nid: orders\n"));
    /// assert!(odcs.yaml.contains("logicalType: string\n        physicalType: varchar(255)\n"));
    /// assert!(odcs.yaml.contains("- property: availability\n    value: 99.9\n    unit: \"%\"\n"));
    /// assert_eq!(odcs.filled, ["version", "status"]);
    /// assert!(odcs.not_carried.is_empty(), "{:?}", odcs.not_carried);
    /// let back = Contract::parse("c.odcs.yaml", odcs.yaml)?;
    /// assert_eq!(back.get("sla.availability").map(|(v, _)| v).as_deref(), Some("99.9 %"));
    /// assert!(back.fields().next().is_some_and(|f| f.is("encrypted") && f.is("pii")));
    /// # Ok::<(), governance_core::ContractError>(())
    /// ```
    #[must_use]
    pub fn to_odcs(&self, document: usize) -> OdcsExport {
        write(self, document)
    }
}

/// A stable id for a contract that names none: a UUID (version 8, RFC 9562) hashed from its
/// file name and position, the same on every run.
pub(crate) fn derived_id(file: &str, document: usize) -> String {
    // FNV-1a, 128 bits.
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in format!("{file}#{document}").bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    // Version 8 and the RFC 9562 variant.
    let hash = (hash & !(0xf << 76) | (0x8 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{hash:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or(""),
        hex.get(8..12).unwrap_or(""),
        hex.get(12..16).unwrap_or(""),
        hex.get(16..20).unwrap_or(""),
        hex.get(20..32).unwrap_or("")
    )
}

/// ODCS's logical type for a type as contracts write it (`varchar(255)` → `string`); `None`
/// when it is none of them.
pub(crate) fn logical_type(written: &str) -> Option<&'static str> {
    let lower = written.trim().to_ascii_lowercase();
    let base = lower
        .split(['(', '<', '[', ' '])
        .next()
        .unwrap_or("")
        .trim();
    Some(match base {
        "string" | "text" | "varchar" | "char" | "nvarchar" | "nchar" | "character" | "str"
        | "uuid" | "email" | "enum" | "clob" | "citext" => "string",
        "int" | "integer" | "long" | "bigint" | "smallint" | "tinyint" | "int8" | "int16"
        | "int32" | "int64" | "short" | "byte" | "serial" | "bigserial" | "uint8" | "uint16"
        | "uint32" | "uint64" => "integer",
        "number" | "numeric" | "decimal" | "float" | "double" | "real" | "float32" | "float64"
        | "money" | "bignumeric" | "float4" | "float8" => "number",
        "boolean" | "bool" | "bit" => "boolean",
        "date" => "date",
        "timestamp" | "datetime" | "timestamp_tz" | "timestamp_ntz" | "timestamp_ltz"
        | "timestamptz" | "datetime2" | "datetimeoffset" => "timestamp",
        "time" | "timetz" | "time_tz" => "time",
        "object" | "record" | "struct" | "map" | "json" | "jsonb" | "variant" => "object",
        "array" | "list" | "repeated" => "array",
        _ => return None,
    })
}

/// The ODCS server types, the keys each requires, and the keys each allows with whether the
/// value is an integer (`port`) or a string.
const SERVER_TYPES: &[(&str, &[&str], &[&str])] = &[
    ("api", &["location"], &["location"]),
    (
        "athena",
        &["stagingDir", "schema"],
        &["stagingDir", "schema", "catalog", "regionName"],
    ),
    (
        "azure",
        &["location", "format"],
        &["location", "format", "delimiter"],
    ),
    ("bigquery", &["project", "dataset"], &["project", "dataset"]),
    (
        "clickhouse",
        &["host", "port", "database"],
        &["host", "port", "database"],
    ),
    (
        "databricks",
        &["catalog", "schema"],
        &["host", "catalog", "schema"],
    ),
    ("denodo", &["host", "port"], &["host", "port", "database"]),
    ("dremio", &["host", "port"], &["host", "port", "schema"]),
    ("duckdb", &["database"], &["database", "schema"]),
    (
        "glue",
        &["account", "database"],
        &["account", "database", "location", "format"],
    ),
    (
        "cloudsql",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    (
        "db2",
        &["host", "port", "database"],
        &["host", "port", "database", "schema"],
    ),
    ("hive", &["host", "database"], &["host", "port", "database"]),
    (
        "impala",
        &["host", "database"],
        &["host", "port", "database"],
    ),
    (
        "informix",
        &["host", "database"],
        &["host", "port", "database"],
    ),
    ("zen", &["host", "database"], &["host", "port", "database"]),
    ("kafka", &["host"], &["host", "format"]),
    ("kinesis", &[], &["region", "format"]),
    ("local", &["path", "format"], &["path", "format"]),
    (
        "mysql",
        &["host", "port", "database"],
        &["host", "port", "database"],
    ),
    (
        "oracle",
        &["host", "port", "serviceName"],
        &["host", "port", "serviceName"],
    ),
    (
        "postgresql",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    (
        "postgres",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    ("presto", &["host"], &["host", "catalog", "schema"]),
    ("pubsub", &["project"], &["project"]),
    (
        "redshift",
        &["database", "schema"],
        &["host", "database", "schema", "region", "account"],
    ),
    (
        "s3",
        &["location"],
        &["location", "endpointUrl", "format", "delimiter"],
    ),
    ("sftp", &["location"], &["location", "format", "delimiter"]),
    (
        "snowflake",
        &["account", "database", "schema"],
        &["host", "port", "account", "database", "schema", "warehouse"],
    ),
    (
        "sqlserver",
        &["host", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    (
        "synapse",
        &["host", "port", "database"],
        &["host", "port", "database"],
    ),
    (
        "trino",
        &["host", "port", "catalog", "schema"],
        &["host", "port", "catalog", "schema"],
    ),
    (
        "vertica",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
];

/// The keys a `custom` server allows.
const CUSTOM_SERVER_KEYS: &[&str] = &[
    "account",
    "catalog",
    "database",
    "dataset",
    "delimiter",
    "endpointUrl",
    "format",
    "host",
    "location",
    "path",
    "port",
    "project",
    "region",
    "regionName",
    "schema",
    "serviceName",
    "stagingDir",
    "warehouse",
    "stream",
];

/// The keys every server has, written by the exporter itself.
const SERVER_OWN_KEYS: &[&str] = &[
    "server",
    "name",
    "type",
    "description",
    "environment",
    "id",
    "roles",
    "customProperties",
];

/// The keys of a team the export carries as they are.
pub(crate) const TEAM_KEYS: &[&str] = &["name", "description"];

/// The keys of a team member the export carries as they are (`username` from `email`,
/// `name` or `id` when it has none).
pub(crate) const MEMBER_KEYS: &[&str] = &[
    "username",
    "email",
    "name",
    "id",
    "description",
    "role",
    "dateIn",
    "dateOut",
    "replacedByUsername",
];

/// The source's team (an ODCS 3.1 / ODPS `team` object) and its members (the object's
/// `members`, a 3.0 `team` list, or ODCS v2 `stakeholders`).
pub(crate) fn team_of(
    contract: &Contract,
) -> (
    Option<crate::document::NodeId>,
    Vec<crate::document::NodeId>,
) {
    let doc = &contract.doc;
    let root = contract.root();
    let team = doc.get(root, "team");
    let members = match team {
        Some(team) if doc.is_seq(team) => Some(team),
        Some(team) => doc.get(team, "members"),
        None => doc.get(root, "stakeholders"),
    };
    let members = members
        .filter(|&m| doc.is_seq(m))
        .map(|m| doc.maps_in(m))
        .unwrap_or_default();
    (team.filter(|&t| doc.is_map(t)), members)
}

/// A member's username: its `username`, else its `email`, `name` or `id`.
fn member_username(
    doc: &crate::document::Document,
    member: crate::document::NodeId,
) -> Option<String> {
    ["username", "email", "name", "id"].iter().find_map(|key| {
        doc.get(member, key)
            .and_then(|v| doc.scalar_text(v))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    })
}

/// The username written for a member.
fn member_name(member: &Yaml) -> &str {
    match member {
        Yaml::Map(entries) => entries
            .iter()
            .find(|e| e.key == "username")
            .and_then(|e| match &e.value {
                Yaml::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .unwrap_or(""),
        _ => "",
    }
}

fn custom_property(property: &str, value: Yaml) -> Yaml {
    let mut item = Yaml::map();
    item.push("property", Yaml::str(property));
    item.push("value", value);
    item
}

fn some_str(value: Option<String>) -> Option<Yaml> {
    value.map(Yaml::Str)
}

fn write(contract: &Contract, document: usize) -> OdcsExport {
    let top = &contract.top;
    let source = contract.source();
    let mut root = Yaml::map();
    let mut filled = Vec::new();
    // Spans of the source copied as they are, for the report of what is not carried.
    let mut copied: Vec<Span> = Vec::new();
    root.push("apiVersion", Yaml::str(API_VERSION));
    root.push("kind", Yaml::str("DataContract"));
    let id = text(contract, top, "id").unwrap_or_else(|| derived_id(source.name(), document));
    root.push("id", Yaml::str(id.clone()));
    // `name`, `version` and `status` are always written: ODCS requires the last two, and an
    // empty `name` keeps the derived id from standing in for a missing product name.
    let name = text(contract, top, "name");
    root.push("name", Yaml::str(name.clone().unwrap_or_default()));
    for key in ["version", "status"] {
        if let Some(value) = text(contract, top, key) {
            root.push(key, Yaml::Str(value));
        } else {
            root.push(key, Yaml::str(""));
            filled.push(key);
        }
    }
    root.push_some("domain", some_str(text(contract, top, "domain")));
    let data_product = text(contract, top, "data_product");
    if data_product.is_some() && data_product != name {
        root.push_some("dataProduct", some_str(data_product));
    }
    if let Some(description) = text(contract, top, "description") {
        let mut described = Yaml::map();
        described.push("purpose", Yaml::Str(description));
        root.push("description", described);
    }
    // An ODCS description's usage and limitations, besides its purpose.
    if let Some(Yaml::Map(_)) = root.get_mut("description") {
        let doc = &contract.doc;
        let source = doc
            .get(contract.root(), "description")
            .filter(|&d| doc.is_map(d) && contract.format() == crate::contract::Format::OdcsV3);
        if let (Some(source), Some(described)) = (source, root.get_mut("description")) {
            pass_through(
                contract,
                Some(source),
                &[("usage", Kind::Str), ("limitations", Kind::Str)],
                described,
                &mut copied,
            );
            let custom = copy_custom_properties(contract, Some(source), &[], &mut copied);
            if !custom.is_empty() {
                described.push("customProperties", Yaml::Seq(custom));
            }
        }
    }
    let contract_tags = tags(contract, top);
    if !contract_tags.is_empty() {
        root.push(
            "tags",
            Yaml::Seq(contract_tags.into_iter().map(Yaml::Str).collect()),
        );
    }
    let owner = text(contract, top, "owner");
    let (team_node, source_members) = team_of(contract);
    if owner.is_some() || !source_members.is_empty() {
        let doc = &contract.doc;
        let mut team = Yaml::map();
        for key in TEAM_KEYS {
            team.push_some(
                key,
                team_node
                    .and_then(|t| doc.get(t, key))
                    .and_then(|v| doc.scalar_text(v))
                    .map(|v| Yaml::str(v.trim())),
            );
        }
        let mut members = Vec::new();
        if let Some(owner) = &owner {
            let mut member = Yaml::map();
            member.push("username", Yaml::str(owner.clone()));
            member.push("role", Yaml::str("owner"));
            members.push(member);
        }
        for &node in &source_members {
            let Some(username) = member_username(doc, node) else {
                continue;
            };
            let role = doc.get(node, "role").and_then(|r| doc.str(r));
            let is_owner = role.is_some_and(|r| r.to_ascii_lowercase().contains("owner"));
            if is_owner && owner.as_deref() == Some(username.as_str()) {
                continue;
            }
            let mut member = Yaml::map();
            member.push("username", Yaml::Str(username));
            let value = |key: &str| {
                doc.get(node, key)
                    .and_then(|v| doc.scalar_text(v))
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
            };
            for key in [
                "name",
                "description",
                "role",
                "dateIn",
                "dateOut",
                "replacedByUsername",
            ] {
                member.push_some(key, value(key).map(Yaml::Str));
            }
            // What ODCS has no member key for (an `email` beside the username, an id that is
            // not an ODCS stable id) goes under the member's customProperties.
            let custom: Vec<Yaml> = ["email", "id"]
                .iter()
                .filter_map(|key| {
                    value(key)
                        .filter(|v| v != member_name(&member))
                        .map(|v| custom_property(key, Yaml::Str(v)))
                })
                .collect();
            if !custom.is_empty() {
                member.push("customProperties", Yaml::Seq(custom));
            }
            members.push(member);
        }
        if !members.is_empty() {
            team.push("members", Yaml::Seq(members));
        }
        root.push("team", team);
    }
    let schema = schema(contract, &mut copied);
    if !schema.is_empty() {
        root.push("schema", Yaml::Seq(schema));
    }
    let servers: Vec<Yaml> = contract
        .items
        .iter()
        .filter(|item| item.kind == ItemKind::Server)
        .map(|item| server(contract, item))
        .collect();
    if !servers.is_empty() {
        root.push("servers", Yaml::Seq(servers));
    }
    let sla = sla_properties(contract, &mut copied);
    if !sla.is_empty() {
        root.push("slaProperties", Yaml::Seq(sla));
    }
    pass_through(
        contract,
        Some(contract.root()),
        ROOT_KEYS,
        &mut root,
        &mut copied,
    );
    root.push(
        "customProperties",
        Yaml::Seq(custom_properties(contract, document, &mut copied)),
    );
    let header = [
        "Written by `governance-lint export --to odcs` from",
        &format!("{} ({}).", source.name(), contract.format()),
    ];
    let yaml = root.to_document(&header);
    let mut not_carried = uncarried_values(contract, copied);
    // The export read back: what does not come back the same is reported, never assumed.
    match Contract::parse(format!("{}.odcs.yaml", source.name()), yaml.clone()) {
        Ok(back) => not_carried.extend(changed_on_reading(contract, &back)),
        Err(error) => not_carried.push(NotCarried {
            what: format!("the export does not read back as a contract ({error})"),
            line: read::line(source, contract.doc.span(contract.root())),
        }),
    }
    not_carried.sort_by_key(|n| n.line);
    OdcsExport {
        id,
        yaml,
        filled,
        not_carried,
    }
}

/// The tables, with their fields: one table per table of the contract, and one named after
/// the product for fields that belong to no table (the seed shapes have none).
fn schema(contract: &Contract, copied: &mut Vec<Span>) -> Vec<Yaml> {
    let mut tables: Vec<(Option<String>, Yaml)> = Vec::new();
    for item in contract.items.iter().filter(|i| i.kind == ItemKind::Table) {
        let entity = &item.entity;
        let mut table = Yaml::map();
        table.push("name", Yaml::str(item.name().unwrap_or_default()));
        table.push_some(
            "physicalName",
            some_str(text(contract, entity, "physicalName")),
        );
        table.push(
            "physicalType",
            Yaml::Str(
                text(contract, entity, "physicalType")
                    .or_else(|| text(contract, entity, "type"))
                    .unwrap_or_else(|| "table".to_owned()),
            ),
        );
        table.push_some(
            "description",
            some_str(text(contract, entity, "description")),
        );
        let table_tags = tags(contract, entity);
        if !table_tags.is_empty() {
            table.push(
                "tags",
                Yaml::Seq(table_tags.into_iter().map(Yaml::Str).collect()),
            );
        }
        pass_through(contract, entity.raw, TABLE_KEYS, &mut table, copied);
        let custom = copy_custom_properties(contract, entity.raw, &[], copied);
        if !custom.is_empty() {
            table.push("customProperties", Yaml::Seq(custom));
        }
        tables.push((item.name().map(str::to_owned), table));
    }
    // Fields, nested under their parent; each top-level field under its table.
    let fields: Vec<&Item> = contract
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Field)
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(fields.len());
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for (at, item) in fields.iter().enumerate() {
        let parent = parent_path(item, &seen).and_then(|p| index_of.get(p.as_str()).copied());
        parents.push(parent);
        if !item.path.is_empty() {
            seen.insert(item.path.as_str());
            index_of.insert(item.path.as_str(), at);
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); fields.len()];
    let mut roots: Vec<usize> = Vec::new();
    for (at, parent) in parents.iter().enumerate() {
        match parent.and_then(|p| children.get_mut(p)) {
            Some(list) => list.push(at),
            None => roots.push(at),
        }
    }
    let mut loose: Vec<Yaml> = Vec::new();
    for at in roots {
        let Some(item) = fields.get(at) else { continue };
        let property = property(contract, &fields, &children, at, 0, copied);
        let table = tables
            .iter_mut()
            .find(|(name, _)| name.is_some() && name.as_deref() == item.table.as_deref());
        match table {
            Some((_, table)) => {
                if table.get_mut("properties").is_none() {
                    table.push("properties", Yaml::Seq(Vec::new()));
                }
                if let Some(Yaml::Seq(list)) = table.get_mut("properties") {
                    list.push(property);
                }
            }
            None => loose.push(property),
        }
    }
    let mut out: Vec<Yaml> = tables.into_iter().map(|(_, table)| table).collect();
    if !loose.is_empty() {
        let top = &contract.top;
        let name = text(contract, top, "data_product")
            .or_else(|| text(contract, top, "name"))
            .unwrap_or_else(|| "fields".to_owned());
        let mut table = Yaml::map();
        table.push("name", Yaml::Str(name));
        table.push("physicalType", Yaml::str("table"));
        table.push("properties", Yaml::Seq(loose));
        out.push(table);
    }
    out
}

/// One field as an ODCS property, with its nested fields.
fn property(
    contract: &Contract,
    fields: &[&Item],
    children: &[Vec<usize>],
    at: usize,
    depth: usize,
    copied: &mut Vec<Span>,
) -> Yaml {
    let mut out = Yaml::map();
    let Some(item) = fields.get(at) else {
        return out;
    };
    let entity = &item.entity;
    let nested = children.get(at).filter(|c| !c.is_empty() && depth < 64);
    out.push("name", Yaml::str(item.name().unwrap_or_default()));
    let written = text(contract, entity, "type");
    let mut logical = written.as_deref().and_then(logical_type);
    if nested.is_some() && !matches!(logical, Some("object" | "array")) {
        logical = Some("object");
    }
    out.push_some("logicalType", logical.map(Yaml::str));
    let physical = text(contract, entity, "physical_type").or_else(|| {
        written
            .clone()
            .filter(|w| Some(w.to_ascii_lowercase().as_str()) != logical)
    });
    out.push_some("physicalType", some_str(physical));
    out.push_some(
        "description",
        some_str(text(contract, entity, "description")),
    );
    for (canonical, key) in [
        ("required", "required"),
        ("unique", "unique"),
        ("primary_key", "primaryKey"),
        ("critical", "criticalDataElement"),
    ] {
        out.push_some(key, flag(contract, entity, canonical).map(Yaml::Bool));
    }
    out.push_some(
        "classification",
        some_str(text(contract, entity, "classification")),
    );
    let encrypted_name = ["encryptedName", "encryptedColumnName"]
        .iter()
        .find_map(|key| text(contract, entity, key));
    out.push_some("encryptedName", some_str(encrypted_name));
    let field_tags = tags(contract, entity);
    if !field_tags.is_empty() {
        out.push(
            "tags",
            Yaml::Seq(field_tags.into_iter().map(Yaml::Str).collect()),
        );
    }
    let mut custom = Vec::new();
    if let Some(pii) = entity.lookup(&contract.doc, "pii") {
        custom.push(custom_property(
            "pii",
            Yaml::Bool(contract.doc.is_truthy(pii.node)),
        ));
    }
    for name in ["encrypted", "masked"] {
        if let Some(yes) = flag(contract, entity, name) {
            custom.push(custom_property(name, Yaml::Bool(yes)));
        }
    }
    // A custom property of the source that says what the export writes is carried.
    for written in &custom {
        if let Yaml::Map(entries) = written {
            if let (Some(Yaml::Str(name)), Some(value)) = (
                entries
                    .iter()
                    .find(|e| e.key == "property")
                    .map(|e| &e.value),
                entries.iter().find(|e| e.key == "value").map(|e| &e.value),
            ) {
                carried_custom_property(contract, entity.raw, name, value, copied);
            }
        }
    }
    if let Some(classification) = text(contract, entity, "classification") {
        carried_custom_property(
            contract,
            entity.raw,
            "classification",
            &Yaml::Str(classification),
            copied,
        );
    }
    // The field's other custom properties, as they are.
    custom.extend(copy_custom_properties(
        contract,
        entity.raw,
        &["pii", "encrypted", "masked", "classification"],
        copied,
    ));
    if !custom.is_empty() {
        out.push("customProperties", Yaml::Seq(custom));
    }
    pass_through(contract, entity.raw, PROPERTY_KEYS, &mut out, copied);
    if let Some(nested) = nested {
        let list = Yaml::Seq(
            nested
                .iter()
                .map(|&child| property(contract, fields, children, child, depth + 1, copied))
                .collect(),
        );
        if logical == Some("array") {
            let mut items = Yaml::map();
            items.push("logicalType", Yaml::str("object"));
            items.push("properties", list);
            out.push("items", items);
        } else {
            out.push("properties", list);
        }
    }
    out
}

fn server(contract: &Contract, item: &Item) -> Yaml {
    let doc = &contract.doc;
    let entity = &item.entity;
    let mut out = Yaml::map();
    out.push("server", Yaml::str(item.name().unwrap_or_default()));
    let written = text(contract, entity, "type");
    // The raw connection keys, as scalars: strings, except an integer `port`.
    let mut connection: Vec<(String, Yaml)> = Vec::new();
    if let Some(raw) = entity.raw {
        for entry in doc.entries(raw) {
            let key = doc.text(&entry.key);
            if SERVER_OWN_KEYS.contains(&key) {
                continue;
            }
            let value = match (&doc.node(entry.value).kind, key) {
                (NodeKind::Int(i), "port") => Yaml::Int(*i),
                (_, "port") => match doc
                    .scalar_text(entry.value)
                    .and_then(|t| t.trim().parse().ok())
                {
                    Some(port) => Yaml::Int(port),
                    None => Yaml::of_node(doc, entry.value),
                },
                (
                    NodeKind::Str(_) | NodeKind::Int(_) | NodeKind::Float(_) | NodeKind::Bool(_),
                    _,
                ) => Yaml::Str(
                    doc.scalar_text(entry.value)
                        .map(std::borrow::Cow::into_owned)
                        .unwrap_or_default(),
                ),
                _ => Yaml::of_node(doc, entry.value),
            };
            connection.push((key.to_owned(), value));
        }
    }
    let scalar = |value: &Yaml| matches!(value, Yaml::Str(_) | Yaml::Int(_));
    let lower = written.as_deref().map(str::to_ascii_lowercase);
    let known = SERVER_TYPES.iter().find(|(name, required, _)| {
        Some(*name) == lower.as_deref()
            && required
                .iter()
                .all(|key| connection.iter().any(|(k, v)| k == key && scalar(v)))
    });
    let (server_type, allowed): (&str, &[&str]) = match known {
        Some((name, _, allowed)) => (name, allowed),
        None => ("custom", CUSTOM_SERVER_KEYS),
    };
    out.push("type", Yaml::str(server_type));
    out.push_some(
        "description",
        some_str(text(contract, entity, "description")),
    );
    out.push_some(
        "environment",
        some_str(text(contract, entity, "environment")),
    );
    let mut custom = Vec::new();
    if server_type == "custom" {
        if let Some(written) = written {
            custom.push(custom_property("type", Yaml::Str(written)));
        }
    }
    for (key, value) in connection {
        let fits = allowed.contains(&key.as_str())
            && (if key == "port" {
                matches!(value, Yaml::Int(_))
            } else {
                matches!(value, Yaml::Str(_))
            });
        if fits {
            out.push(&key, value);
        } else {
            custom.push(custom_property(&key, value));
        }
    }
    if !custom.is_empty() {
        out.push("customProperties", Yaml::Seq(custom));
    }
    out
}

/// One service level as an ODCS SLA property: `value` and `unit` when it is a quantity, else
/// the text as written.
fn sla_property(property: &str, value: &SlaValue) -> Yaml {
    let mut out = Yaml::map();
    out.push("property", Yaml::str(property));
    match (value.value, &value.unit) {
        (Some(number), Some(unit)) => {
            out.push("value", number_value(number));
            out.push("unit", Yaml::str(unit.clone()));
        }
        (Some(number), None) => out.push("value", number_value(number)),
        _ => out.push("value", Yaml::str(value.text.clone())),
    }
    out
}

/// A whole number as an integer, anything else as a float.
fn number_value(number: f64) -> Yaml {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        Yaml::Int(number as i64)
    } else {
        Yaml::Float(number)
    }
}

fn sla_properties(contract: &Contract, copied: &mut Vec<Span>) -> Vec<Yaml> {
    let mut out: Vec<Yaml> = [
        "availability",
        "freshness",
        "latency",
        "retention",
        "frequency",
    ]
    .iter()
    .filter_map(|name| {
        read::sla_value(contract, &format!("sla.{name}")).map(|v| sla_property(name, &v))
    })
    .collect();
    // An ODCS v3 source's other SLA properties, as they are, when ODCS 3.1 allows their keys.
    let doc = &contract.doc;
    let list = doc
        .get(contract.root(), "slaProperties")
        .filter(|_| contract.format() == crate::contract::Format::OdcsV3);
    for &item in list.map_or(&[][..], |l| doc.items(l)) {
        let name = doc.get(item, "property").and_then(|p| doc.str(p));
        let canonical = name.is_some_and(|n| {
            matches!(
                n.to_ascii_lowercase().as_str(),
                "availability"
                    | "generalavailabilitypercentage"
                    | "freshness"
                    | "latency"
                    | "retention"
                    | "frequency"
            )
        });
        let allowed = doc.is_map(item)
            && doc.entries(item).iter().all(|e| {
                SLA_KEYS.contains(&doc.text(&e.key)) && !doc.is_map(e.value) && !doc.is_seq(e.value)
            })
            && doc.get(item, "value").is_some();
        if name.is_some() && !canonical && allowed {
            copied.push(doc.span(item));
            out.push(Yaml::of_node(doc, item));
        }
    }
    out
}

/// A port as the catalog reads it, as a mapping of what it has.
fn port_value(port: &Port) -> Yaml {
    let mut out = Yaml::map();
    for (key, value) in [
        ("name", &port.name),
        ("type", &port.type_name),
        ("description", &port.description),
        ("server", &port.server),
        ("location", &port.location),
        ("format", &port.format),
        ("version", &port.version),
        ("contractId", &port.contract),
        ("schema", &port.schema),
    ] {
        out.push_some(key, some_str(value.clone()));
    }
    out
}

/// Top-level custom properties: where the contract came from, what ODCS has no place for
/// (a schema version apart from the version, ports), and the waivers.
/// The items of the `customProperties` list of mapping `raw` (when it has one), as they
/// are, except those named in `written` (compared in lowercase): the export writes those
/// itself. Each item copied is recorded in `copied`.
fn copy_custom_properties(
    contract: &Contract,
    raw: Option<crate::document::NodeId>,
    written: &[&str],
    copied: &mut Vec<Span>,
) -> Vec<Yaml> {
    let doc = &contract.doc;
    let Some(list) = raw.and_then(|raw| doc.get(raw, "customProperties")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &item in doc.items(list) {
        let Some(name) = doc.get(item, "property").and_then(|p| doc.str(p)) else {
            continue;
        };
        if written.iter().any(|w| w.eq_ignore_ascii_case(name.trim())) {
            continue;
        }
        if doc.entry(item, "value").is_none() {
            continue;
        }
        // The keys ODCS allows in a custom property; any other is left (and reported).
        let mut property = Yaml::map();
        for key in ["id", "property", "value", "description"] {
            if let Some(entry) = doc.entry(item, key) {
                let text = (key != "value")
                    .then(|| doc.scalar_text(entry.value))
                    .flatten();
                let written = match text {
                    Some(text) => Yaml::Str(text.into_owned()),
                    None if key == "value" => Yaml::of_node(doc, entry.value),
                    None => continue,
                };
                copied.push(entry.span());
                property.push(key, written);
            }
        }
        out.push(property);
    }
    out
}

/// The source's custom properties named `name` whose value says what the export wrote
/// (`written`, as `pii: true` or a text), recorded as carried.
fn carried_custom_property(
    contract: &Contract,
    raw: Option<crate::document::NodeId>,
    name: &str,
    written: &Yaml,
    copied: &mut Vec<Span>,
) {
    let doc = &contract.doc;
    let Some(list) = raw.and_then(|raw| doc.get(raw, "customProperties")) else {
        return;
    };
    for &item in doc.items(list) {
        let named = doc
            .get(item, "property")
            .and_then(|p| doc.str(p))
            .is_some_and(|p| p.trim().eq_ignore_ascii_case(name));
        let Some(value) = doc.get(item, "value").filter(|_| named) else {
            continue;
        };
        let same = match written {
            Yaml::Bool(yes) => doc.is_yes(value) == *yes,
            Yaml::Str(text) => doc.scalar_text(value).is_some_and(|v| v.trim() == text),
            _ => false,
        };
        if same {
            copied.push(doc.span(item));
        }
    }
}

/// The kind of value ODCS v3.1 expects under a key.
/// Only scalars are copied: a list or a mapping written for another ODCS version may hold
/// keys v3.1 does not allow, and the export must stay valid (such values are reported).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Str,
    Int,
    Bool,
    /// An ODCS stable id: letters, digits, `_` and `-`.
    StableId,
    /// A table's logical type: ODCS 3.1 allows only `object`.
    Object,
}

/// Keys of an ODCS v3 contract the export copies as they are, with the kind of value.
const ROOT_KEYS: &[(&str, Kind)] = &[
    ("tenant", Kind::Str),
    ("slaDefaultElement", Kind::Str),
    ("contractCreatedTs", Kind::Str),
];

/// Keys of an ODCS v3 table the export copies as they are.
const TABLE_KEYS: &[(&str, Kind)] = &[
    ("logicalType", Kind::Object),
    ("dataGranularityDescription", Kind::Str),
    ("id", Kind::StableId),
    ("businessName", Kind::Str),
];

/// Keys of an ODCS v3 property the export copies as they are.
const PROPERTY_KEYS: &[(&str, Kind)] = &[
    ("primaryKeyPosition", Kind::Int),
    ("partitioned", Kind::Bool),
    ("partitionKeyPosition", Kind::Int),
    ("transformLogic", Kind::Str),
    ("transformDescription", Kind::Str),
    ("id", Kind::StableId),
    ("businessName", Kind::Str),
];

/// The keys of an ODCS SLA property.
const SLA_KEYS: &[&str] = &[
    "id",
    "property",
    "value",
    "valueExt",
    "unit",
    "element",
    "driver",
    "description",
    "scheduler",
    "schedule",
];

/// For an ODCS v3 source, the `keys` of mapping `raw` that `out` does not have yet, copied as
/// they are when their value is of the kind ODCS v3.1 expects (anything else is left, and
/// reported as not carried).
fn pass_through(
    contract: &Contract,
    raw: Option<crate::document::NodeId>,
    keys: &[(&str, Kind)],
    out: &mut Yaml,
    copied: &mut Vec<Span>,
) {
    let doc = &contract.doc;
    let Some(raw) = raw.filter(|_| contract.format() == crate::contract::Format::OdcsV3) else {
        return;
    };
    for &(key, kind) in keys {
        if out.get_mut(key).is_some() {
            continue;
        }
        let Some(entry) = doc.entry(raw, key) else {
            continue;
        };
        let fits = match (kind, &doc.node(entry.value).kind) {
            (Kind::Str, NodeKind::Str(_))
            | (Kind::Int, NodeKind::Int(_))
            | (Kind::Bool, NodeKind::Bool(_)) => true,
            (Kind::StableId, NodeKind::Str(text)) => {
                let text = doc.text(text);
                !text.is_empty()
                    && text
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            }
            (Kind::Object, NodeKind::Str(text)) => doc.text(text) == "object",
            _ => false,
        };
        if fits {
            copied.push(entry.span());
            out.push(key, Yaml::of_node(doc, entry.value));
        }
    }
}

/// Where an export says it came from: replaced by the new source when an export is exported.
const PROVENANCE: &[&str] = &["sourceFormat", "sourceFile", "sourceDocument"];

fn custom_properties(contract: &Contract, document: usize, copied: &mut Vec<Span>) -> Vec<Yaml> {
    let top: &Entity = &contract.top;
    let mut out = vec![
        custom_property("sourceFormat", Yaml::str(contract.format().as_str())),
        custom_property("sourceFile", Yaml::str(contract.source().name())),
        custom_property(
            "sourceDocument",
            Yaml::Int(i64::try_from(document).unwrap_or(0)),
        ),
    ];
    let schema_version = text(contract, top, "schema_version");
    if schema_version.is_some() && schema_version != text(contract, top, "version") {
        out.push(custom_property(
            "schemaVersion",
            Yaml::Str(schema_version.unwrap_or_default()),
        ));
    }
    let mut ports: [(Direction, &str, Vec<Yaml>); 3] = [
        (Direction::Input, "inputPorts", Vec::new()),
        (Direction::Output, "outputPorts", Vec::new()),
        (Direction::Other, "otherPorts", Vec::new()),
    ];
    let product = read::product(contract, String::new(), 1);
    for port in &product.ports {
        if let Some((_, _, list)) = ports.iter_mut().find(|(d, _, _)| *d == port.direction) {
            list.push(port_value(port));
        }
    }
    for (_, name, list) in ports {
        if !list.is_empty() {
            out.push(custom_property(name, Yaml::Seq(list)));
        }
    }
    let waivers: Vec<Yaml> = contract
        .waiver_lists()
        .into_iter()
        .flat_map(|list| contract.doc.items(list).to_vec())
        .map(|item| Yaml::of_node(&contract.doc, item))
        .collect();
    if !waivers.is_empty() {
        let mut governance = Yaml::map();
        governance.push("waivers", Yaml::Seq(waivers));
        out.push(custom_property("x-governance", governance));
    }
    // The source's own custom properties, as they are (an export's provenance is replaced;
    // a property named like one the export writes is reported as not carried).
    let written: Vec<String> = out
        .iter()
        .filter_map(|p| match p {
            Yaml::Map(entries) => {
                entries
                    .iter()
                    .find(|e| e.key == "property")
                    .and_then(|e| match &e.value {
                        Yaml::Str(name) => Some(name.to_ascii_lowercase()),
                        _ => None,
                    })
            }
            _ => None,
        })
        .collect();
    let doc = &contract.doc;
    if let Some(list) = doc.get(contract.root(), "customProperties") {
        for &item in doc.items(list) {
            if let Some(name) = doc.get(item, "property").and_then(|p| doc.str(p)) {
                if PROVENANCE.contains(&name.trim()) {
                    copied.push(doc.span(item));
                }
            }
        }
    }
    let own: Vec<&str> = written.iter().map(String::as_str).collect();
    out.extend(copy_custom_properties(
        contract,
        Some(contract.root()),
        &own,
        copied,
    ));
    out
}
