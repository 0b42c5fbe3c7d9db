//! ODCS v3 (Bitol Open Data Contract Standard): v3.0.0–v3.0.2, v3.1.0 and v3.2.0, one table.
//!
//! What changed between the versions, as the table says it:
//! - **3.1.0**: stable `id`s on most objects; `team` becomes an object with `members` (the 3.0
//!   list of members is still accepted); `relationships` on tables and properties; the
//!   `timestamp` and `time` logical types; SLA `description`, `scheduler`, `schedule`; quality
//!   checks by `metric` (with exactly one operator: `mustBe`, `mustBeLessThan`...); most objects
//!   become closed (an unknown key is an error); `hive`, `impala` and `zen` servers.
//! - **3.2.0**: `status` is no longer required; `context`; `deprecated`, `synonyms` on schema
//!   elements; the `map` (with `map.key` / `map.value`) and `vector` logical types, `semanticType`,
//!   `enum` value objects; a port may be a text; more server types.

use super::schema::{
    c, c_from, list, pattern, Case, Choice, Def, Family, Key, List, Range, Shape, Version, ANY,
    BOOL, INT, MAP, NUM, STR, STRINGS,
};
use super::schema::{k, Shape::Obj};

const V300: Version = Version(3, 0, 0);
const V302: Version = Version(3, 0, 2);
const V310: Version = Version(3, 1, 0);
const V320: Version = Version(3, 2, 0);

const UPTO_302: Range = Range::upto(V302);
const FROM_310: Range = Range::from(V310);
const FROM_320: Range = Range::from(V320);

pub(crate) static ODCS_V3: Family = Family {
    name: "ODCS",
    version_key: "apiVersion",
    v_prefix: true,
    versions: &[V300, Version(3, 0, 1), V302, V310, V320],
    default: V302,
    root: &CONTRACT,
    extensions: "ODCS keeps extensions in `customProperties` (a list of `property` / `value`)",
};

pattern!(
    STABLE_ID_310,
    r"^[A-Za-z0-9_-]+$",
    "letters, digits, `_` and `-` only"
);
pattern!(
    STABLE_ID_320,
    r"^[^\s.#/\\@!%&^]+$",
    "no spaces and none of `.#/\\@!%&^`"
);
const STABLE_ID: Shape = Shape::Versioned(&[
    (FROM_310, Shape::Matching(&STABLE_ID_310)),
    (FROM_320, Shape::Matching(&STABLE_ID_320)),
]);

/// A key that exists from 3.1.0 on.
const fn k31(name: &'static str, shape: Shape) -> Key {
    k(name, shape).since(V310)
}

/// A key that exists from 3.2.0 on.
const fn k32(name: &'static str, shape: Shape) -> Key {
    k(name, shape).since(V320)
}

const ID: Key = k31("id", STABLE_ID);

static CUSTOM_PROPERTY: Def = Def {
    noun: "custom property",
    keys: &[
        ID,
        k("property", STR).req_in(FROM_310),
        k("value", ANY).req_in(FROM_310),
        k31("description", STR),
        k32("vendor", STR),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[],
};
static CUSTOM_PROPERTIES_LIST: List = List {
    items: Obj(&CUSTOM_PROPERTY),
    min: None,
    max: None,
    unique: false,
};
const CUSTOM_PROPERTIES: Shape = Shape::List(&CUSTOM_PROPERTIES_LIST);

static AUTHORITATIVE_DEFINITION: Def = Def {
    noun: "authoritative definition",
    keys: &[
        ID,
        k("url", STR).req(),
        k("type", STR).req(),
        k31("description", STR),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[],
};
static AUTHORITATIVE_DEFINITIONS_LIST: List = List {
    items: Obj(&AUTHORITATIVE_DEFINITION),
    min: None,
    max: None,
    unique: false,
};
const AUTHORITATIVE_DEFINITIONS: Shape = Shape::List(&AUTHORITATIVE_DEFINITIONS_LIST);

static DESCRIPTION: Def = Def {
    noun: "description",
    keys: &[
        k("usage", STR),
        k("purpose", STR),
        k("limitations", STR),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::NEVER,
    cases: &[],
};

static CONTRACT: Def = Def {
    noun: "contract",
    keys: &[
        k("version", STR).req(),
        k("kind", Shape::OneOf(&[c("DataContract")])).req(),
        k("apiVersion", STR).req(),
        k("id", STR).req(),
        k("name", STR),
        k("tenant", STR),
        k("tags", STRINGS),
        k("status", STR).req_in(Range::upto(V310)),
        k(
            "servers",
            list(&List {
                items: Obj(&SERVER),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("dataProduct", STR),
        k("description", Obj(&DESCRIPTION)),
        k("domain", STR),
        k32("context", CONTEXT),
        k(
            "schema",
            list(&List {
                items: Obj(&SCHEMA_OBJECT),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k(
            "support",
            list(&List {
                items: Obj(&SUPPORT_ITEM),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("price", Obj(&PRICING)),
        k(
            "team",
            Shape::Versioned(&[
                (
                    UPTO_302,
                    list(&List {
                        items: Obj(&TEAM_MEMBER_302),
                        min: None,
                        max: None,
                        unique: false,
                    }),
                ),
                (
                    FROM_310,
                    Shape::Either(&[
                        Obj(&TEAM),
                        list(&List {
                            items: Obj(&TEAM_MEMBER),
                            min: None,
                            max: None,
                            unique: false,
                        }),
                    ]),
                ),
            ]),
        ),
        k(
            "roles",
            list(&List {
                items: Obj(&ROLE),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("slaDefaultElement", STR),
        k(
            "slaProperties",
            list(&List {
                items: Obj(&SLA_PROPERTY),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("customProperties", CUSTOM_PROPERTIES),
        k("contractCreatedTs", STR),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

// --- Context (3.2) ---------------------------------------------------------------------------

static VERIFIED_STATEMENT: Def = Def {
    noun: "verified statement",
    keys: &[
        k("id", STR),
        k("question", STR).req(),
        k("answer", STR),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static CONSTRAINT: Def = Def {
    noun: "constraint",
    keys: &[
        k("id", STR),
        k("constraint", STR).req(),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static CONTEXT_OBJECT: Def = Def {
    noun: "context",
    keys: &[
        k("instructions", STR),
        k(
            "verifiedStatements",
            list(&List {
                items: Obj(&VERIFIED_STATEMENT),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k(
            "constraints",
            list(&List {
                items: Obj(&CONSTRAINT),
                min: None,
                max: None,
                unique: false,
            }),
        ),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

const CONTEXT: Shape = Shape::Either(&[STR, Obj(&CONTEXT_OBJECT)]);

// --- Team, roles, support, price, SLA --------------------------------------------------------

static TEAM_MEMBER_302: Def = Def {
    noun: "team member",
    keys: &[
        k("username", STR),
        k("name", STR),
        k("description", STR),
        k("role", STR),
        k("dateIn", STR),
        k("dateOut", STR),
        k("replacedByUsername", STR),
    ],
    includes: &[],
    closed: Range::NEVER,
    cases: &[],
};

static TEAM_MEMBER: Def = Def {
    noun: "team member",
    keys: &[
        ID,
        k("username", STR).req(),
        k("name", STR),
        k("description", STR),
        k("role", STR),
        k("dateIn", STR),
        k("dateOut", STR),
        k("replacedByUsername", STR),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static TEAM: Def = Def {
    noun: "team",
    keys: &[
        ID,
        k("name", STR),
        k("description", STR),
        k(
            "members",
            list(&List {
                items: Obj(&TEAM_MEMBER),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static ROLE: Def = Def {
    noun: "role",
    keys: &[
        ID,
        k("role", STR).req(),
        k("description", STR),
        k("access", STR),
        k("firstLevelApprovers", STR),
        k("secondLevelApprovers", STR),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[],
};

static SUPPORT_ITEM: Def = Def {
    noun: "support channel",
    keys: &[
        ID,
        k("channel", STR).req(),
        k("url", STR).req_in(UPTO_302),
        k("description", STR),
        k("tool", STR),
        k("scope", STR),
        k("invitationUrl", STR),
        k31("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[],
};

static PRICING: Def = Def {
    noun: "price",
    keys: &[
        ID,
        k("priceAmount", NUM),
        k("priceCurrency", STR),
        k("priceUnit", STR),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[],
};

static SLA_PROPERTY: Def = Def {
    noun: "SLA property",
    keys: &[
        ID,
        k("property", STR).req(),
        k("value", Shape::Scalar).req(),
        k("valueExt", Shape::Scalar),
        k("unit", STR),
        k("element", STR),
        k("driver", STR),
        k31("description", STR),
        k31("scheduler", STR),
        k31("schedule", STR),
        k32("customProperties", CUSTOM_PROPERTIES),
        k32("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[],
};

// --- Servers ---------------------------------------------------------------------------------

const SERVER_TYPES: &[Choice] = &[
    c("api"),
    c("athena"),
    c("azure"),
    c("bigquery"),
    c_from("btrieve", V320),
    c("clickhouse"),
    c("databricks"),
    c("denodo"),
    c("dremio"),
    c("duckdb"),
    c_from("exasol", V320),
    c_from("fastobjects", V320),
    c("glue"),
    c_from("hana", V320),
    c("cloudsql"),
    c("db2"),
    c_from("hive", V310),
    c_from("iceberg", V320),
    c_from("impala", V310),
    c("informix"),
    c_from("ingres", V320),
    c("kafka"),
    c("kinesis"),
    c("local"),
    c("mysql"),
    c("oracle"),
    c_from("poet", V320),
    c("postgresql"),
    c("postgres"),
    c("presto"),
    c("pubsub"),
    c("redshift"),
    c("s3"),
    c("sftp"),
    c("snowflake"),
    c("sqlserver"),
    c("synapse"),
    c_from("teradata", V320),
    c("trino"),
    c_from("vectorwise", V320),
    c_from("versant", V320),
    c("vertica"),
    c_from("zen", V310),
    c("custom"),
];

/// A port: an integer, or from 3.2 on a text too (`"${PORT}"`).
const PORT: Shape = Shape::Versioned(&[
    (UPTO_302, INT),
    (Range::between(V310, V310), INT),
    (FROM_320, Shape::StrOrInt),
]);
const FILE_FORMAT: Shape = Shape::Versioned(&[
    (
        UPTO_302,
        Shape::OneOf(&[c("parquet"), c("delta"), c("json"), c("csv")]),
    ),
    (FROM_310, STR),
]);
const DELIMITER: Shape = Shape::Versioned(&[
    (UPTO_302, Shape::OneOf(&[c("new_line"), c("array")])),
    (FROM_310, STR),
]);
pattern!(SFTP_LOCATION, r"^sftp://.*", "an `sftp://` address");

const fn r(name: &'static str, shape: Shape) -> Key {
    k(name, shape).req()
}

const fn server(types: &'static [&'static str], keys: &'static [Key]) -> Case {
    Case::new("type", types, keys)
}

const ENCODING: Key = k32("encoding", STR);

static SERVER: Def = Def {
    noun: "server",
    keys: &[
        ID,
        k("server", STR).req(),
        k("type", Shape::OneOf(SERVER_TYPES)).req(),
        k("description", STR),
        k("environment", STR),
        k(
            "roles",
            list(&List {
                items: Obj(&ROLE),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[
        server(&["api"], &[r("location", STR)]),
        server(
            &["athena"],
            &[
                k("stagingDir", STR).req_in(Range::upto(V310)),
                r("schema", STR),
                k("catalog", STR),
                k("regionName", STR),
                k32("workgroup", STR),
            ],
        ),
        server(
            &["azure"],
            &[
                r("location", STR),
                r("format", FILE_FORMAT),
                ENCODING,
                k("delimiter", DELIMITER),
            ],
        ),
        server(&["bigquery"], &[r("project", STR), r("dataset", STR)]),
        server(
            &["btrieve", "zen"],
            &[r("host", STR), k("port", PORT), r("database", STR)],
        ),
        server(
            &["clickhouse", "mysql", "synapse"],
            &[r("host", STR), r("port", PORT), r("database", STR)],
        ),
        server(
            &["cloudsql", "postgresql", "postgres", "vertica"],
            &[
                r("host", STR),
                r("port", PORT),
                r("database", STR),
                r("schema", STR),
            ],
        ),
        server(
            &["custom"],
            &[
                k("account", STR),
                k("catalog", STR),
                k("database", STR),
                k("dataset", STR),
                k("delimiter", STR),
                k("endpointUrl", STR),
                k("format", STR),
                ENCODING,
                k("host", STR),
                k("location", STR),
                k("path", STR),
                k("port", PORT),
                k("project", STR),
                k("region", STR),
                k("regionName", STR),
                k("schema", STR),
                k("serviceName", STR),
                k("stagingDir", STR),
                k("warehouse", STR),
                k31("stream", STR),
            ],
        ),
        server(
            &["databricks"],
            &[k("host", STR), r("catalog", STR), r("schema", STR)],
        ),
        server(
            &["db2"],
            &[
                r("host", STR),
                r("port", PORT),
                r("database", STR),
                k("schema", STR),
            ],
        ),
        server(
            &["denodo"],
            &[r("host", STR), r("port", PORT), k("database", STR)],
        ),
        server(
            &["dremio"],
            &[r("host", STR), r("port", PORT), k("schema", STR)],
        ),
        server(
            &["duckdb"],
            &[
                r("database", STR),
                // An upstream slip in 3.0.2: a DuckDB schema is an integer there.
                k(
                    "schema",
                    Shape::Versioned(&[(UPTO_302, INT), (FROM_310, STR)]),
                ),
            ],
        ),
        server(
            &["exasol"],
            &[r("host", STR), k("port", PORT), k("schema", STR)],
        ),
        server(
            &["fastobjects", "poet", "versant"],
            &[r("database", STR), k("host", STR), k("port", PORT)],
        ),
        server(
            &["glue"],
            &[
                r("account", STR),
                r("database", STR),
                k("location", STR),
                k("format", STR),
                ENCODING,
            ],
        ),
        server(
            &["hana"],
            &[
                r("host", STR),
                k("port", PORT),
                k("database", STR),
                k("schema", STR),
            ],
        ),
        server(
            &["hive", "impala", "informix"],
            &[r("host", STR), k("port", PORT), r("database", STR)],
        ),
        server(
            &["iceberg"],
            &[
                r("catalog", STR),
                r("catalogUrl", STR),
                k("namespace", STR),
                k("warehouse", STR),
            ],
        ),
        server(
            &["ingres", "vectorwise"],
            &[r("database", STR), r("host", STR), k("port", PORT)],
        ),
        server(&["kafka"], &[r("host", STR), k("format", STR), ENCODING]),
        server(
            &["kinesis"],
            &[k("region", STR), k("format", STR), ENCODING],
        ),
        server(&["local"], &[r("path", STR), r("format", STR), ENCODING]),
        server(
            &["oracle"],
            &[r("host", STR), r("port", PORT), r("serviceName", STR)],
        ),
        server(
            &["presto"],
            &[r("host", STR), k("catalog", STR), k("schema", STR)],
        ),
        server(&["pubsub"], &[r("project", STR)]),
        server(
            &["redshift"],
            &[
                k("host", STR),
                r("database", STR),
                r("schema", STR),
                k("region", STR),
                k("account", STR),
            ],
        ),
        server(
            &["s3"],
            &[
                r("location", STR),
                k("endpointUrl", STR),
                k("format", FILE_FORMAT),
                ENCODING,
                k("delimiter", DELIMITER),
            ],
        ),
        server(
            &["sftp"],
            &[
                r("location", Shape::Matching(&SFTP_LOCATION)),
                k("format", FILE_FORMAT),
                ENCODING,
                k("delimiter", DELIMITER),
            ],
        ),
        server(
            &["snowflake"],
            &[
                k("host", STR),
                k("port", PORT),
                r("account", STR),
                r("database", STR),
                r("schema", STR),
                k("warehouse", STR),
            ],
        ),
        server(
            &["sqlserver"],
            &[
                r("host", STR),
                k("port", PORT),
                r("database", STR),
                r("schema", STR),
            ],
        ),
        server(
            &["teradata"],
            &[r("host", STR), k("port", PORT), k("database", STR)],
        ),
        server(
            &["trino"],
            &[
                r("host", STR),
                r("port", PORT),
                r("catalog", STR),
                r("schema", STR),
            ],
        ),
    ],
};

// --- Schema: tables and properties -----------------------------------------------------------

static SYNONYM: Def = Def {
    noun: "synonym",
    keys: &[
        k("id", STABLE_ID),
        k("synonym", STR).req(),
        k("description", STR),
        k("locale", STR),
        k("source", STR),
        k("status", STR),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

/// What tables and properties share (`SchemaElement`).
static SCHEMA_ELEMENT: Def = Def {
    noun: "schema element",
    keys: &[
        ID,
        k("name", STR),
        k("physicalType", STR),
        k("description", STR),
        k("businessName", STR),
        k32("deprecated", BOOL),
        k32(
            "synonyms",
            list(&List {
                items: Obj(&SYNONYM),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::NEVER,
    cases: &[],
};

pattern!(
    REFERENCE_310,
    r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$|^(?:(?:https?:\/\/)?[A-Za-z0-9._\-\/]+\.yaml#)?\/?[A-Za-z_][A-Za-z0-9_]*\/[A-Za-z0-9_-]+(?:\/[A-Za-z_][A-Za-z0-9_]*\/[A-Za-z0-9_-]+)*$",
    "`table.column`, or a path such as `schema/orders/properties/id`"
);
pattern!(
    REFERENCE_320,
    r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)+$|^(?:(?:https?:\/\/)?[A-Za-z0-9._\-\/]+\.ya?ml#)?\/?[A-Za-z_][A-Za-z0-9_]*\/[^\s.#/\\@!%&^]+(?:\/[A-Za-z_][A-Za-z0-9_]*\/[^\s.#/\\@!%&^]+)*$",
    "`table.column`, or a path such as `schema/orders/properties/id`"
);
static REFERENCES_310: List = List {
    items: Shape::Matching(&REFERENCE_310),
    min: Some(1),
    max: None,
    unique: false,
};
static REFERENCES_320: List = List {
    items: Shape::Matching(&REFERENCE_320),
    min: Some(1),
    max: None,
    unique: false,
};
const REFERENCE: Shape = Shape::Versioned(&[
    (
        Range::between(V310, V310),
        Shape::Either(&[
            Shape::Matching(&REFERENCE_310),
            Shape::List(&REFERENCES_310),
        ]),
    ),
    (
        FROM_320,
        Shape::Either(&[
            Shape::Matching(&REFERENCE_320),
            Shape::List(&REFERENCES_320),
        ]),
    ),
]);

static TABLE_RELATIONSHIP: Def = Def {
    noun: "relationship",
    keys: &[
        k32("id", STR),
        k("type", Shape::OneOf(&[c("foreignKey")])),
        k("from", REFERENCE).req(),
        k("to", REFERENCE).req(),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static PROPERTY_RELATIONSHIP: Def = Def {
    noun: "relationship of a property",
    keys: &[
        k32("id", STR),
        k("type", Shape::OneOf(&[c("foreignKey")])),
        k("to", REFERENCE).req(),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static SCHEMA_OBJECT: Def = Def {
    noun: "table",
    keys: &[
        k("name", STR).req(),
        k(
            "logicalType",
            Shape::OneOf(&[c("object"), c_from("blob", V320)]),
        ),
        k("physicalName", STR),
        k("dataGranularityDescription", STR),
        k(
            "properties",
            list(&List {
                items: Obj(&SCHEMA_PROPERTY),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k31(
            "relationships",
            list(&List {
                items: Obj(&TABLE_RELATIONSHIP),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("quality", QUALITY),
        k32("context", CONTEXT),
    ],
    includes: &[&SCHEMA_ELEMENT],
    closed: Range::ALL,
    cases: &[],
};

static ENUM_VALUE: Def = Def {
    noun: "enum value",
    keys: &[
        k("value", Shape::Scalar).req(),
        k("label", STR),
        k("id", STABLE_ID),
        k("description", STR),
        k("customProperties", CUSTOM_PROPERTIES),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("tags", STRINGS),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

const LOGICAL_TYPES: &[Choice] = &[
    c("string"),
    c("date"),
    c_from("timestamp", V310),
    c_from("time", V310),
    c("number"),
    c("integer"),
    c("object"),
    c("array"),
    c("boolean"),
    c_from("map", V320),
    c_from("vector", V320),
];

/// What properties and array items share (`SchemaBaseProperty`).
static BASE_PROPERTY: Def = Def {
    noun: "property",
    keys: &[
        k("primaryKey", BOOL),
        k("primaryKeyPosition", INT),
        k("logicalType", Shape::OneOf(LOGICAL_TYPES)),
        k("logicalTypeOptions", MAP),
        k("physicalType", STR),
        k("physicalName", STR),
        k("required", BOOL),
        k("unique", BOOL),
        k32(
            "semanticType",
            Shape::OneOf(&[c("column"), c("measure"), c("dimension")]),
        ),
        k("partitioned", BOOL),
        k("partitionKeyPosition", INT),
        k("classification", STR),
        k("encryptedName", STR),
        k("transformSourceObjects", STRINGS),
        k("transformLogic", STR),
        k("transformDescription", STR),
        k(
            "examples",
            list(&List {
                items: ANY,
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k32(
            "enum",
            list(&List {
                items: Obj(&ENUM_VALUE),
                min: Some(1),
                max: None,
                unique: true,
            }),
        ),
        k("criticalDataElement", BOOL),
        k31(
            "relationships",
            list(&List {
                items: Obj(&PROPERTY_RELATIONSHIP),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("quality", QUALITY),
    ],
    includes: &[&SCHEMA_ELEMENT],
    closed: Range::NEVER,
    cases: &[
        Case::new(
            "logicalType",
            &["string"],
            &[k("logicalTypeOptions", Obj(&STRING_OPTIONS))],
        )
        .or_absent(),
        Case::new(
            "logicalType",
            &["date"],
            &[k("logicalTypeOptions", Obj(&DATE_OPTIONS))],
        )
        .or_absent(),
        Case::new(
            "logicalType",
            &["timestamp", "time"],
            &[k("logicalTypeOptions", Obj(&TIMESTAMP_OPTIONS))],
        )
        .or_absent()
        .only(FROM_310),
        Case::new(
            "logicalType",
            &["integer"],
            &[k("logicalTypeOptions", Obj(&INTEGER_OPTIONS))],
        )
        .or_absent(),
        Case::new(
            "logicalType",
            &["number"],
            &[k("logicalTypeOptions", Obj(&NUMBER_OPTIONS))],
        )
        .or_absent(),
        Case::new(
            "logicalType",
            &["object"],
            &[
                k("logicalTypeOptions", Obj(&OBJECT_OPTIONS)),
                k(
                    "properties",
                    list(&List {
                        items: Obj(&SCHEMA_PROPERTY),
                        min: None,
                        max: None,
                        unique: false,
                    }),
                ),
            ],
        )
        .or_absent(),
        Case::new(
            "logicalType",
            &["array"],
            &[
                k("logicalTypeOptions", Obj(&ARRAY_OPTIONS)),
                k("items", Obj(&ITEM_PROPERTY)),
            ],
        )
        .or_absent(),
        Case::new(
            "logicalType",
            &["map"],
            &[k("map", Obj(&MAP_KEY_VALUE)).req()],
        )
        .only(FROM_320),
        Case::new(
            "logicalType",
            &["vector"],
            &[k("logicalTypeOptions", Obj(&VECTOR_OPTIONS)).req()],
        )
        .only(FROM_320),
    ],
};

static SCHEMA_PROPERTY: Def = Def {
    noun: "property",
    keys: &[k("name", STR).req()],
    includes: &[&BASE_PROPERTY],
    closed: Range::ALL,
    cases: &[],
};

static ITEM_PROPERTY: Def = Def {
    noun: "array item",
    keys: &[k(
        "properties",
        list(&List {
            items: Obj(&SCHEMA_PROPERTY),
            min: None,
            max: None,
            unique: false,
        }),
    )],
    includes: &[&BASE_PROPERTY],
    closed: Range::ALL,
    cases: &[],
};

static MAP_KEY_VALUE: Def = Def {
    noun: "map",
    keys: &[
        k("key", Obj(&ITEM_PROPERTY)).req(),
        k("value", Obj(&ITEM_PROPERTY)).req(),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

const NON_NEGATIVE: Shape = Shape::Int(Some(0));

static STRING_OPTIONS: Def = Def {
    noun: "string's `logicalTypeOptions`",
    keys: &[
        k("minLength", NON_NEGATIVE),
        k("maxLength", NON_NEGATIVE),
        k("pattern", STR),
        k("format", STR),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

/// `exclusiveMaximum` / `exclusiveMinimum` of a date: a yes/no in 3.0, the bound itself in 3.1.
const DATE_EXCLUSIVE: Shape = Shape::Versioned(&[(UPTO_302, BOOL), (FROM_310, STR)]);

static DATE_OPTIONS: Def = Def {
    noun: "date's `logicalTypeOptions`",
    keys: &[
        k("format", STR),
        k("exclusiveMaximum", DATE_EXCLUSIVE),
        k("maximum", STR),
        k("exclusiveMinimum", DATE_EXCLUSIVE),
        k("minimum", STR),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static TIMESTAMP_OPTIONS: Def = Def {
    noun: "timestamp's `logicalTypeOptions`",
    keys: &[
        k("format", STR),
        k("exclusiveMaximum", STR),
        k("maximum", STR),
        k("exclusiveMinimum", STR),
        k("minimum", STR),
        k("timezone", BOOL),
        k("defaultTimezone", STR),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

/// `exclusiveMaximum` / `exclusiveMinimum` of a number: a yes/no in 3.0, the bound in 3.1.
const NUMBER_EXCLUSIVE: Shape = Shape::Versioned(&[(UPTO_302, BOOL), (FROM_310, NUM)]);

static INTEGER_OPTIONS: Def = Def {
    noun: "integer's `logicalTypeOptions`",
    keys: &[
        k("multipleOf", NUM),
        k("maximum", NUM),
        k("exclusiveMaximum", NUMBER_EXCLUSIVE),
        k("minimum", NUM),
        k("exclusiveMinimum", NUMBER_EXCLUSIVE),
        k(
            "format",
            Shape::OneOf(&[
                c("i8"),
                c("i16"),
                c("i32"),
                c("i64"),
                c("i128"),
                c("u8"),
                c("u16"),
                c("u32"),
                c("u64"),
                c("u128"),
            ]),
        ),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static NUMBER_OPTIONS: Def = Def {
    noun: "number's `logicalTypeOptions`",
    keys: &[
        k("multipleOf", NUM),
        k("maximum", NUM),
        k("exclusiveMaximum", NUMBER_EXCLUSIVE),
        k("minimum", NUM),
        k("exclusiveMinimum", NUMBER_EXCLUSIVE),
        k("format", Shape::OneOf(&[c("f32"), c("f64")])),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static OBJECT_OPTIONS: Def = Def {
    noun: "object's `logicalTypeOptions`",
    keys: &[
        k("maxProperties", NON_NEGATIVE),
        k("minProperties", NON_NEGATIVE),
        k(
            "required",
            list(&List {
                items: STR,
                min: Some(1),
                max: None,
                unique: true,
            }),
        ),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static ARRAY_OPTIONS: Def = Def {
    noun: "array's `logicalTypeOptions`",
    keys: &[
        k("maxItems", NON_NEGATIVE),
        k("minItems", NON_NEGATIVE),
        k("uniqueItems", BOOL),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static VECTOR_OPTIONS: Def = Def {
    noun: "vector's `logicalTypeOptions`",
    keys: &[
        k("dimensions", Shape::Int(Some(1))).req(),
        k(
            "elementType",
            Shape::OneOf(&[
                c("bfloat16"),
                c("binary"),
                c("float16"),
                c("float32"),
                c("float64"),
                c("int8"),
                c("uint8"),
            ]),
        ),
        k(
            "distanceMetric",
            Shape::OneOf(&[
                c("cosine"),
                c("dotProduct"),
                c("euclidean"),
                c("hamming"),
                c("manhattan"),
            ]),
        ),
        k("embeddingModel", STR),
        k("embeddingModelVersion", STR),
        k("normalized", BOOL),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

// --- Quality ---------------------------------------------------------------------------------

static BETWEEN_LIST: List = List {
    items: NUM,
    min: Some(2),
    max: Some(2),
    unique: true,
};
const BETWEEN: Shape = Shape::List(&BETWEEN_LIST);

/// The operators of a library or SQL check: exactly one of them from 3.1 on.
const OPERATORS: &[&str] = &[
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
];

const MUST_BE: Key = k("mustBe", ANY);
const MUST_NOT_BE: Key = k("mustNotBe", ANY);
const GREATER: Key = k("mustBeGreaterThan", NUM);
const GREATER_EQ: Key = k("mustBeGreaterOrEqualTo", NUM);
const LESS: Key = k("mustBeLessThan", NUM);
const LESS_EQ: Key = k("mustBeLessOrEqualTo", NUM);
const BETWEEN_KEY: Key = k("mustBeBetween", BETWEEN);
const NOT_BETWEEN: Key = k("mustNotBeBetween", BETWEEN);

static DATA_QUALITY: Def = Def {
    noun: "quality check",
    keys: &[
        ID,
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("businessImpact", STR),
        k("customProperties", CUSTOM_PROPERTIES),
        k("description", STR),
        k(
            "dimension",
            Shape::OneOf(&[
                c("accuracy"),
                c("completeness"),
                c("conformity"),
                c("consistency"),
                c("coverage"),
                c("timeliness"),
                c("uniqueness"),
            ]),
        ),
        k("method", STR),
        k("name", STR),
        k("schedule", STR),
        k("scheduler", STR),
        k("severity", STR),
        k("tags", STRINGS),
        k(
            "type",
            Shape::OneOf(&[c("text"), c("library"), c("sql"), c("custom")]),
        ),
        k("unit", STR),
    ],
    includes: &[],
    closed: FROM_310,
    cases: &[
        // 3.0: a check without a `type` is a library check, and names its `rule`.
        Case::new(
            "type",
            &["library"],
            &[
                k("rule", STR).req(),
                MUST_BE,
                MUST_NOT_BE,
                GREATER,
                GREATER_EQ,
                LESS,
                LESS_EQ,
                BETWEEN_KEY,
                NOT_BETWEEN,
            ],
        )
        .or_absent()
        .only(UPTO_302),
        Case::new("type", &["sql"], &[k("query", STR).req()]).only(UPTO_302),
        // 3.1: a library check has a `metric` and exactly one operator.
        Case::new(
            "type",
            &["library"],
            &[
                k(
                    "metric",
                    Shape::OneOf(&[
                        c("nullValues"),
                        c("missingValues"),
                        c("invalidValues"),
                        c("duplicateValues"),
                        c("rowCount"),
                    ]),
                )
                .req(),
                k("rule", STR),
                k("arguments", MAP),
                MUST_BE,
                MUST_NOT_BE,
                GREATER,
                GREATER_EQ,
                LESS,
                LESS_EQ,
                BETWEEN_KEY,
                NOT_BETWEEN,
            ],
        )
        .or_has("metric")
        .only(FROM_310)
        .exactly_one_of(OPERATORS),
        Case::new(
            "type",
            &["sql"],
            &[
                k("query", STR).req(),
                MUST_BE,
                MUST_NOT_BE,
                GREATER,
                GREATER_EQ,
                LESS,
                LESS_EQ,
                BETWEEN_KEY,
                NOT_BETWEEN,
            ],
        )
        .only(FROM_310)
        .exactly_one_of(OPERATORS),
        Case::new(
            "type",
            &["custom"],
            &[
                k("engine", STR).req(),
                k("implementation", Shape::Either(&[STR, MAP])).req(),
            ],
        ),
    ],
};

static QUALITY_LIST: List = List {
    items: Obj(&DATA_QUALITY),
    min: None,
    max: None,
    unique: false,
};
const QUALITY: Shape = Shape::List(&QUALITY_LIST);
