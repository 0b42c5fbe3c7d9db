//! ODCS v2 (v2.0–v2.2.2), checked with the rules of v2.2.2, the last v2 release: its
//! mappings are open (an unknown key is not an error), so the checks are the required keys
//! and the kinds of values.

use super::schema::Shape::Obj;
use super::schema::{
    c, k, list, pattern, Def, Family, List, Range, Shape, Version, BOOL, INT, MAP, NUM, STR,
    STRINGS,
};

pub(crate) static ODCS_V2: Family = Family {
    name: "ODCS",
    version_key: "apiVersion",
    v_prefix: true,
    versions: &[
        Version(2, 0, 0),
        Version(2, 1, 0),
        Version(2, 2, 0),
        Version(2, 2, 1),
        Version(2, 2, 2),
    ],
    default: Version(2, 2, 2),
    root: &CONTRACT,
    extensions: "ODCS keeps extensions in `customProperties`",
};

pattern!(
    API_VERSION,
    r"^v[0-9]+\.[0-9]+\.[0-9]+",
    "a version written `v2.2.2`"
);

const fn open(noun: &'static str, keys: &'static [super::schema::Key]) -> Def {
    Def {
        noun,
        keys,
        includes: &[],
        closed: Range::NEVER,
        cases: &[],
    }
}

const fn many(items: &'static List) -> Shape {
    list(items)
}

static AUTHORITATIVE_DEFINITION: Def = open(
    "authoritative definition",
    &[k("url", STR).req(), k("type", STR).req()],
);
static AUTHORITATIVE_DEFINITIONS_LIST: List = List {
    items: Obj(&AUTHORITATIVE_DEFINITION),
    min: None,
    max: None,
    unique: false,
};
const AUTHORITATIVE_DEFINITIONS: Shape = Shape::List(&AUTHORITATIVE_DEFINITIONS_LIST);

static CUSTOM_PROPERTY: Def = open("custom property", &[k("property", STR), k("value", MAP)]);

static DATA_QUALITY: Def = open(
    "quality check",
    &[
        k("code", STR),
        k("templateName", STR).req(),
        k("description", STR),
        k("toolName", STR).req(),
        k("toolRuleName", STR),
        k("dimension", STR),
        k("columns", STR),
        k("column", STR),
        k("type", STR),
        k("severity", STR),
        k("businessImpact", STR),
        k("scheduleCronExpression", STR),
        k(
            "customProperties",
            many(&List {
                items: Obj(&CUSTOM_PROPERTY),
                min: None,
                max: None,
                unique: false,
            }),
        ),
    ],
);

static COLUMN: Def = open(
    "column",
    &[
        k("column", STR).req(),
        k("isPrimaryKey", BOOL),
        k("primaryKeyPosition", INT),
        k("businessName", STR),
        k("logicalType", STR).req(),
        k("physicalType", STR).req(),
        k("description", STR),
        k("isNullable", BOOL),
        k("isUnique", BOOL),
        k("partitionStatus", BOOL),
        k("partitionKeyPosition", INT),
        k("clusterStatus", BOOL),
        k("clusterKeyPosition", INT),
        k("classification", STR),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("encryptedColumnName", STR),
        k("transformSourceTables", STRINGS),
        k("transformLogic", STR),
        k("transformDescription", STR),
        k("sampleValues", STRINGS),
        k("criticalDataElementStatus", BOOL),
        k("tags", STRINGS),
    ],
);

static QUALITY_LIST: List = List {
    items: Obj(&DATA_QUALITY),
    min: None,
    max: None,
    unique: false,
};
const QUALITY: Shape = Shape::List(&QUALITY_LIST);

static DATASET: Def = open(
    "table",
    &[
        k("table", STR).req(),
        k("physicalName", STR),
        k("priorTableName", STR),
        k("description", STR),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("dataGranularity", STR),
        k(
            "columns",
            many(&List {
                items: Obj(&COLUMN),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("quality", QUALITY),
    ],
);

static DESCRIPTION: Def = open(
    "description",
    &[k("usage", STR), k("purpose", STR), k("limitations", STR)],
);

static PRICING: Def = open(
    "price",
    &[
        k("priceAmount", NUM),
        k("priceCurrency", STR),
        k("priceUnit", STR),
    ],
);

static STAKEHOLDER: Def = open(
    "stakeholder",
    &[
        k("username", STR),
        k("role", STR),
        k("dateIn", STR),
        k("dateOut", STR),
        k("replacedByUsername", STR),
    ],
);

static ROLE: Def = open(
    "role",
    &[
        k("role", STR).req(),
        k("access", STR).req(),
        k("firstLevelApprovers", STR),
        k("secondLevelApprovers", STR),
    ],
);

const TEXT_OR_NUMBER: Shape = Shape::Either(&[STR, NUM]);

static SLA_PROPERTY: Def = open(
    "SLA property",
    &[
        k("property", STR).req(),
        k("value", TEXT_OR_NUMBER).req(),
        k("valueExt", TEXT_OR_NUMBER),
        k("unit", STR),
        k("column", STR),
        k("driver", STR),
    ],
);

static CONTRACT: Def = open(
    "contract",
    &[
        k("version", STR).req(),
        k("kind", Shape::OneOf(&[c("DataContract")])).req(),
        k("apiVersion", Shape::Matching(&API_VERSION)),
        k("uuid", STR).req(),
        k("datasetKind", STR),
        k("userConsumptionMode", STR),
        k("type", STR).req(),
        k("tenant", STR),
        k("tags", STRINGS),
        k("status", STR).req(),
        k("sourceSystem", STR),
        k("sourcePlatform", STR),
        k("server", STR),
        k("quantumName", STR).req(),
        k("productSlackChannel", STR),
        k("productFeedbackUrl", STR),
        k("productDl", STR),
        k("username", STR),
        k("password", STR),
        k("driverVersion", STR),
        k("driver", STR),
        k("description", Obj(&DESCRIPTION)),
        k("project", STR),
        k("datasetName", STR).req(),
        k("datasetDomain", STR),
        k("database", STR),
        k(
            "dataset",
            many(&List {
                items: Obj(&DATASET),
                min: None,
                max: None,
                unique: false,
            }),
        )
        .req(),
        k("price", Obj(&PRICING)),
        k(
            "stakeholders",
            many(&List {
                items: Obj(&STAKEHOLDER),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k(
            "roles",
            many(&List {
                items: Obj(&ROLE),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("slaDefaultColumn", STR),
        k(
            "slaProperties",
            many(&List {
                items: Obj(&SLA_PROPERTY),
                min: None,
                max: None,
                unique: false,
            }),
        ),
    ],
);
