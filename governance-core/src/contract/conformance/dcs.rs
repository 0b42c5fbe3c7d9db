//! The Data Contract Specification (datacontract.com): 0.9.0–0.9.3, 1.1.0, 1.2.0 and 1.2.1.
//! Its mappings are open (any extra key is allowed, `x-` or not), so the checks are required
//! keys, kinds of values, allowed values and patterns. 0.9.0–0.9.2 follow the rules of 0.9.3.
//!
//! What changed: 1.1.0 adds model and field `quality` checks (a list), `lineage`, `examples`,
//! model `primaryKey`, field `primaryKey`; the 0.9 top-level `schema`, `examples` and
//! `quality` objects are gone; 1.2.0 adds `clickhouse` servers, the `time`, `variant` and
//! `json` field types and `additionalFields`, and lets a server's `type` be any text; 1.2.1
//! names library checks by `metric` (not `rule`).

use super::schema::Shape::Obj;
use super::schema::{
    c, c_from, c_upto, k, list, pattern, Case, Choice, Def, Family, Key, Kind, List, MapOf, Range,
    Shape, Version, ANY, BOOL, INT, MAP, NUM, STR, STRINGS,
};

const V093: Version = Version(0, 9, 3);
const V110: Version = Version(1, 1, 0);
const V120: Version = Version(1, 2, 0);
const V121: Version = Version(1, 2, 1);

pub(crate) static DCS: Family = Family {
    name: "DCS",
    version_key: "dataContractSpecification",
    v_prefix: false,
    versions: &[
        Version(0, 9, 0),
        Version(0, 9, 1),
        Version(0, 9, 2),
        V093,
        V110,
        V120,
        V121,
    ],
    default: V121,
    root: &CONTRACT,
    extensions: "DCS allows extra keys; by convention they start with `x-`",
};

const fn open(noun: &'static str, keys: &'static [Key]) -> Def {
    Def {
        noun,
        keys,
        includes: &[],
        closed: Range::NEVER,
        cases: &[],
    }
}

pattern!(
    NAME,
    r"^[a-zA-Z0-9_-]+$",
    "letters, digits, `_` and `-` only"
);
pattern!(
    DEFINITION_NAME,
    r"^[a-zA-Z0-9/_-]+$",
    "letters, digits, `/`, `_` and `-` only"
);
pattern!(
    PERCENTAGE,
    r"^\d+(\.\d+)?%$",
    "a percentage such as `99.9%`"
);

static INFO: Def = open(
    "info",
    &[
        k("title", STR).req(),
        k("version", STR).req(),
        k("status", STR),
        k("description", STR),
        k("owner", STR),
        k("contact", Obj(&CONTACT)),
    ],
);

static CONTACT: Def = open("contact", &[k("name", STR), k("url", STR), k("email", STR)]);

static SERVER_ROLE: Def = open(
    "server role",
    &[k("name", STR).req(), k("description", STR)],
);

const SERVER_TYPES: &[Choice] = &[
    c("bigquery"),
    c("BigQuery"),
    c("s3"),
    c_upto("gcs", V093),
    c("sftp"),
    c("redshift"),
    c("azure"),
    c("sqlserver"),
    c("snowflake"),
    c("databricks"),
    c("dataframe"),
    c("glue"),
    c("postgres"),
    c("oracle"),
    c("kafka"),
    c("pubsub"),
    c("kinesis"),
    c("trino"),
    c("local"),
];

const FILE_FORMAT: Shape = Shape::OneOf(&[c("parquet"), c("delta"), c("json"), c("csv")]);
const DELIMITER: Shape = Shape::OneOf(&[c("new_line"), c("array")]);

const fn r(name: &'static str, shape: Shape) -> Key {
    k(name, shape).req()
}

/// The keys of a server of these types: 0.9 only (see `SERVER`).
const fn server(types: &'static [&'static str], keys: &'static [Key]) -> Case {
    Case::new("type", types, keys).only(Range::upto(V093))
}

static SERVER: Def = Def {
    noun: "server",
    keys: &[
        k("description", STR),
        k("environment", STR),
        k(
            "type",
            Shape::Versioned(&[
                (Range::upto(V110), Shape::OneOf(SERVER_TYPES)),
                (Range::from(V120), STR),
            ]),
        )
        .req(),
        k(
            "roles",
            list(&List {
                items: Obj(&SERVER_ROLE),
                min: None,
                max: None,
                unique: false,
            }),
        )
        .since(V110),
    ],
    includes: &[],
    closed: Range::NEVER,
    // The per-type rules hold in 0.9 (a `oneOf` by `type`). From 1.1.0 the schema writes them
    // beside a `$ref`, which draft-07 ignores: they are not part of the published rules, and
    // are not checked (docs/formats.md, deliberate differences).
    cases: &[
        server(
            &["bigquery", "BigQuery"],
            &[r("project", STR), r("dataset", STR)],
        ),
        server(
            &["s3"],
            &[
                r("location", STR),
                k("endpointUrl", STR),
                k("format", FILE_FORMAT),
                k("delimiter", DELIMITER),
            ],
        ),
        server(
            &["gcs"],
            &[
                r("location", STR),
                k("format", FILE_FORMAT),
                k("delimiter", DELIMITER),
            ],
        ),
        server(
            &["sftp"],
            &[
                r("location", STR),
                k("format", FILE_FORMAT),
                k("delimiter", DELIMITER),
            ],
        ),
        server(
            &["redshift"],
            &[
                r("account", STR),
                k("host", STR),
                r("database", STR),
                r("schema", STR),
                k("clusterIdentifier", STR),
                k("port", INT),
                k("endpoint", STR),
            ],
        ),
        server(
            &["azure"],
            &[
                r("location", STR),
                r("format", FILE_FORMAT),
                k("delimiter", DELIMITER),
            ],
        ),
        server(
            &["sqlserver"],
            &[
                r("host", STR),
                k("port", INT),
                r("database", STR),
                r("schema", STR),
            ],
        ),
        server(
            &["snowflake"],
            &[r("account", STR), r("database", STR), r("schema", STR)],
        ),
        server(
            &["databricks"],
            &[k("host", STR), r("catalog", STR), r("schema", STR)],
        ),
        server(
            &["glue"],
            &[
                r("account", STR),
                r("database", STR),
                k("location", STR),
                k("format", STR),
            ],
        ),
        server(
            &["postgres"],
            &[
                r("host", STR),
                r("port", INT),
                r("database", STR),
                r("schema", STR),
            ],
        ),
        server(
            &["oracle"],
            &[r("host", STR), r("port", INT), r("serviceName", STR)],
        ),
        server(
            &["kafka"],
            &[r("host", STR), r("topic", STR), k("format", STR)],
        ),
        server(&["pubsub"], &[r("project", STR), r("topic", STR)]),
        server(
            &["kinesis"],
            &[r("stream", STR), k("region", STR), k("format", STR)],
        ),
        server(
            &["trino"],
            &[
                r("host", STR),
                r("port", INT),
                r("catalog", STR),
                r("schema", STR),
            ],
        ),
        server(&["local"], &[r("path", STR), r("format", STR)]),
    ],
};

static POLICY: Def = open(
    "policy",
    &[k("type", STR), k("description", STR), k("url", STR)],
);

static TERMS: Def = open(
    "terms",
    &[
        k("usage", STR),
        k("limitations", STR),
        k(
            "policies",
            list(&List {
                items: Obj(&POLICY),
                min: None,
                max: None,
                unique: false,
            }),
        )
        .since(V110),
        k("billing", STR),
        k("noticePeriod", STR),
    ],
);

const LINKS: Shape = Shape::MapOf(&MapOf {
    values: STR,
    min: 1,
    names: Some(&NAME),
});

const FIELD_TYPES: &[Choice] = &[
    c("number"),
    c("decimal"),
    c("numeric"),
    c("int"),
    c("integer"),
    c("long"),
    c("bigint"),
    c("float"),
    c("double"),
    c("string"),
    c("text"),
    c("varchar"),
    c("boolean"),
    c("timestamp"),
    c("timestamp_tz"),
    c("timestamp_ntz"),
    c("date"),
    c_from("time", V120),
    c("array"),
    c("map"),
    c("object"),
    c("record"),
    c("struct"),
    c("bytes"),
    c_from("variant", V120),
    c_from("json", V120),
    c("null"),
];

/// A field's scalar constraints, shared by fields and definitions.
static FIELD_COMMON: [Key; 13] = [
    k("description", STR),
    k("title", STR),
    k("type", Shape::OneOf(FIELD_TYPES)),
    k(
        "fields",
        Shape::MapOf(&MapOf {
            values: Obj(&FIELD),
            min: 0,
            names: None,
        }),
    ),
    k("items", Obj(&FIELD)),
    k("keys", Obj(&FIELD)),
    k("values", Obj(&FIELD)),
    k("minLength", INT),
    k("maxLength", INT),
    k("format", STR),
    k("pattern", STR),
    k("pii", BOOL),
    k("classification", STR),
];

const OPERATORS_NUM: Shape = NUM;
static BETWEEN_LIST: List = List {
    items: NUM,
    min: Some(2),
    max: Some(2),
    unique: false,
};
const BETWEEN: Shape = Shape::List(&BETWEEN_LIST);
static BETWEEN_UNIQUE_LIST: List = List {
    items: NUM,
    min: Some(2),
    max: Some(2),
    unique: true,
};
const BETWEEN_UNIQUE: Shape = Shape::List(&BETWEEN_UNIQUE_LIST);
/// SQL checks compare with integers in 1.2.0 (an upstream slip, numbers again in 1.2.1).
const SQL_NUMBER: Shape = Shape::Versioned(&[
    (Range::upto(V110), NUM),
    (Range::between(V120, V120), INT),
    (Range::from(V121), NUM),
]);
const SQL_BETWEEN: Shape = Shape::Versioned(&[
    (Range::upto(V110), BETWEEN),
    (
        Range::between(V120, V120),
        list(&List {
            items: INT,
            min: Some(2),
            max: Some(2),
            unique: false,
        }),
    ),
    (Range::from(V121), BETWEEN),
]);

static QUALITY: Def = Def {
    noun: "quality check",
    keys: &[
        k(
            "type",
            Shape::OneOf(&[c("text"), c("library"), c("sql"), c("custom")]),
        ),
        k("description", STR),
    ],
    includes: &[],
    closed: Range::NEVER,
    cases: &[
        Case::new("type", &["text"], &[k("description", STR).req()]).or_absent(),
        Case::new(
            "type",
            &["sql"],
            &[
                k("query", STR).req(),
                k("dialect", STR),
                k("mustBe", SQL_NUMBER),
                k("mustNotBe", SQL_NUMBER),
                k("mustBeGreaterThan", SQL_NUMBER),
                k("mustBeGreaterOrEqualTo", OPERATORS_NUM).since(V121),
                k("mustBeGreaterThanOrEqualTo", SQL_NUMBER),
                k("mustBeLessThan", SQL_NUMBER),
                k("mustBeLessThanOrEqualTo", SQL_NUMBER),
                k("mustBeLessOrEqualTo", OPERATORS_NUM).since(V121),
                k("mustBeBetween", SQL_BETWEEN),
                k("mustNotBeBetween", SQL_BETWEEN),
            ],
        )
        .or_absent(),
        Case::new(
            "type",
            &["library"],
            &[
                k("rule", STR).req_in(Range::upto(V120)),
                k("metric", STR).req_in(Range::from(V121)).since(V121),
                k("arguments", MAP).since(V121),
                k("mustBe", ANY),
                k("mustNotBe", ANY),
                k("mustBeGreaterThan", NUM),
                k("mustBeGreaterOrEqualTo", NUM),
                k("mustBeLessThan", NUM),
                k("mustBeLessOrEqualTo", NUM),
                k("mustBeBetween", BETWEEN_UNIQUE),
                k("mustNotBeBetween", BETWEEN_UNIQUE),
            ],
        )
        .or_absent(),
        Case::new(
            "type",
            &["custom"],
            &[
                k("description", STR),
                k("engine", STR).req(),
                k(
                    "implementation",
                    Shape::Kinds(&[Kind::Map, Kind::List, Kind::Str]),
                ),
            ],
        )
        .or_absent(),
    ],
};

static QUALITY_LIST_LIST: List = List {
    items: Obj(&QUALITY),
    min: None,
    max: None,
    unique: false,
};
const QUALITY_LIST: Shape = Shape::List(&QUALITY_LIST_LIST);

static TRANSFORMATION: Def = open(
    "transformation",
    &[
        k("type", STR).req(),
        k("subtype", STR),
        k("description", STR),
        k("masking", BOOL),
    ],
);

static INPUT_FIELD: Def = open(
    "input field",
    &[
        k("namespace", STR).req(),
        k("name", STR).req(),
        k("field", STR).req(),
        k(
            "transformations",
            list(&List {
                items: Obj(&TRANSFORMATION),
                min: None,
                max: None,
                unique: false,
            }),
        ),
    ],
);

static LINEAGE: Def = open(
    "lineage",
    &[
        k(
            "inputFields",
            list(&List {
                items: Obj(&INPUT_FIELD),
                min: None,
                max: None,
                unique: false,
            }),
        )
        .req(),
        k("transformationDescription", STR),
        k("transformationType", STR),
    ],
);

static FIELD_CONFIG: Def = open(
    "field `config`",
    &[
        k("avroType", STR),
        k("avroLogicalType", STR),
        k("bigqueryType", STR),
        k("snowflakeType", STR),
        k("redshiftType", STR),
        k("sqlserverType", STR),
        k("databricksType", STR),
        k("glueType", STR),
    ],
);

static FIELD_OWN: Def = open(
    "field",
    &[
        k("required", BOOL),
        k("primary", BOOL),
        k("primaryKey", BOOL).since(V110),
        k("references", STR),
        k("unique", BOOL),
        k(
            "enum",
            list(&List {
                items: STR,
                min: None,
                max: None,
                unique: true,
            }),
        ),
        k("precision", NUM),
        k("scale", NUM),
        k("minimum", NUM),
        k("exclusiveMinimum", NUM),
        k("maximum", NUM),
        k("exclusiveMaximum", NUM),
        k("example", STR),
        k("examples", list(&super::schema::items(ANY))).since(V110),
        k("tags", STRINGS),
        k("links", LINKS),
        k("$ref", STR),
        k("quality", QUALITY_LIST).since(V110),
        k("lineage", Obj(&LINEAGE)).since(V110),
        k("config", Obj(&FIELD_CONFIG)),
    ],
);

static FIELD: Def = Def {
    noun: "field",
    keys: &FIELD_COMMON,
    includes: &[&FIELD_OWN],
    closed: Range::NEVER,
    cases: &[],
};

static MODEL_CONFIG: Def = open("model `config`", &[k("avroNamespace", STR)]);

static MODEL: Def = open(
    "model",
    &[
        k("description", STR),
        k("type", Shape::OneOf(&[c("table"), c("view"), c("object")])),
        k("title", STR),
        k(
            "fields",
            Shape::MapOf(&MapOf {
                values: Obj(&FIELD),
                min: 0,
                names: None,
            }),
        ),
        k("primaryKey", STRINGS).since(V110),
        k("quality", QUALITY_LIST).since(V110),
        k("examples", list(&super::schema::items(ANY))).since(V110),
        k("additionalFields", BOOL).since(V120),
        k("config", Obj(&MODEL_CONFIG)),
    ],
);

static DEFINITION_OWN: Def = open(
    "definition",
    &[
        k("domain", STR),
        k("name", STR).req_in(Range::upto(V093)),
        k("precision", INT),
        k("scale", INT),
        k("minimum", NUM),
        k("exclusiveMinimum", NUM),
        k("maximum", NUM),
        k("exclusiveMaximum", NUM),
        k("example", STR),
        k("examples", list(&super::schema::items(ANY))).since(V110),
        k("tags", STRINGS),
        k("links", LINKS),
    ],
);

static DEFINITION: Def = Def {
    noun: "definition",
    keys: &[k("type", Shape::OneOf(FIELD_TYPES)).req()],
    includes: &[&DEFINITION_OWN, &FIELD_DEFINITION_COMMON],
    closed: Range::NEVER,
    cases: &[],
};

static FIELD_DEFINITION_COMMON: Def = Def {
    noun: "definition",
    keys: &FIELD_COMMON,
    includes: &[],
    closed: Range::NEVER,
    cases: &[],
};

static AVAILABILITY: Def = open(
    "availability",
    &[
        k("description", STR),
        k("percentage", Shape::Matching(&PERCENTAGE)),
    ],
);
static RETENTION: Def = open(
    "retention",
    &[
        k("description", STR),
        k("period", STR),
        k("unlimited", BOOL),
        k("timestampField", STR),
    ],
);
static LATENCY: Def = open(
    "latency",
    &[
        k("description", STR),
        k("threshold", STR),
        k("sourceTimestampField", STR),
        k("processedTimestampField", STR),
    ],
);
static FRESHNESS: Def = open(
    "freshness",
    &[
        k("description", STR),
        k("threshold", STR),
        k("timestampField", STR),
    ],
);
static FREQUENCY: Def = open(
    "frequency",
    &[
        k("description", STR),
        k(
            "type",
            Shape::OneOf(&[c("batch"), c("micro-batching"), c("streaming"), c("manual")]),
        ),
        k("interval", STR),
        k("cron", STR),
    ],
);
static SUPPORT: Def = open(
    "support",
    &[
        k("description", STR),
        k("time", STR),
        k("responseTime", STR),
    ],
);
static BACKUP: Def = open(
    "backup",
    &[
        k("description", STR),
        k("interval", STR),
        k("cron", STR),
        k("recoveryTime", STR),
        k("recoveryPoint", STR),
    ],
);

static SERVICE_LEVELS: Def = open(
    "service levels",
    &[
        k("availability", Obj(&AVAILABILITY)),
        k("retention", Obj(&RETENTION)),
        k("latency", Obj(&LATENCY)),
        k("freshness", Obj(&FRESHNESS)),
        k("frequency", Obj(&FREQUENCY)),
        k("support", Obj(&SUPPORT)),
        k("backup", Obj(&BACKUP)),
    ],
);

// 0.9: the schema, the examples and the quality attributes as top-level objects.
static SCHEMA_09: Def = open(
    "schema",
    &[
        k(
            "type",
            Shape::OneOf(&[
                c("dbt"),
                c("bigquery"),
                c("json-schema"),
                c("sql-ddl"),
                c("avro"),
                c("protobuf"),
                c("custom"),
            ]),
        )
        .req(),
        k("specification", Shape::Either(&[STR, MAP])).req(),
    ],
);
static EXAMPLE_09: Def = open(
    "example",
    &[
        k(
            "type",
            Shape::OneOf(&[c("csv"), c("json"), c("yaml"), c("custom")]),
        )
        .req(),
        k("description", STR),
        k("model", STR),
        k("data", Shape::Kinds(&[Kind::Str, Kind::List])).req(),
    ],
);
static QUALITY_09: Def = open(
    "quality",
    &[
        k(
            "type",
            Shape::OneOf(&[
                c("SodaCL"),
                c("montecarlo"),
                c("great-expectations"),
                c("custom"),
            ]),
        )
        .req(),
        k("specification", Shape::Either(&[STR, MAP])).req(),
    ],
);

const UPTO_093: Range = Range::upto(V093);

static CONTRACT: Def = open(
    "contract",
    &[
        k("dataContractSpecification", STR).req(),
        k("id", STR).req(),
        k("info", Obj(&INFO)).req(),
        k(
            "servers",
            Shape::MapOf(&MapOf {
                values: Obj(&SERVER),
                min: 0,
                names: None,
            }),
        ),
        k("terms", Obj(&TERMS)),
        k(
            "models",
            Shape::MapOf(&MapOf {
                values: Obj(&MODEL),
                min: 1,
                names: Some(&NAME),
            }),
        ),
        k(
            "definitions",
            Shape::MapOf(&MapOf {
                values: Obj(&DEFINITION),
                min: 0,
                names: Some(&DEFINITION_NAME),
            }),
        ),
        k("schema", Obj(&SCHEMA_09)).only(UPTO_093),
        k(
            "examples",
            list(&List {
                items: Obj(&EXAMPLE_09),
                min: None,
                max: None,
                unique: false,
            }),
        )
        .only(UPTO_093),
        k("quality", Obj(&QUALITY_09)).only(UPTO_093),
        k("servicelevels", Obj(&SERVICE_LEVELS)),
        k("links", LINKS),
        k("tags", STRINGS),
    ],
);
