//! ODPS (Bitol Open Data Product Standard): v0.9.0 and v1.0.0, whose rules are the same.

use super::schema::Shape::Obj;
use super::schema::{c, k, list, Def, Family, List, Range, Shape, Version, ANY, STR, STRINGS};

pub(crate) static ODPS: Family = Family {
    name: "ODPS",
    version_key: "apiVersion",
    v_prefix: true,
    versions: &[Version(0, 9, 0), Version(1, 0, 0)],
    default: Version(1, 0, 0),
    root: &PRODUCT,
    extensions: "ODPS keeps extensions in `customProperties` (a list of `property` / `value`)",
};

const fn many(def: &'static List) -> Shape {
    list(def)
}

static CUSTOM_PROPERTY: Def = Def {
    noun: "custom property",
    keys: &[
        k("property", STR).req(),
        k("value", ANY).req(),
        k("description", STR),
    ],
    includes: &[],
    closed: Range::ALL,
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
        k("type", STR).req(),
        k("url", STR).req(),
        k("description", STR),
    ],
    includes: &[],
    closed: Range::ALL,
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
        k("purpose", STR),
        k("limitations", STR),
        k("usage", STR),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("customProperties", CUSTOM_PROPERTIES),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static INPUT_PORT: Def = Def {
    noun: "input port",
    keys: &[
        k("name", STR).req(),
        k("version", STR).req(),
        k("contractId", STR).req(),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static SBOM: Def = Def {
    noun: "SBOM",
    keys: &[k("type", STR), k("url", STR).req()],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static INPUT_CONTRACT: Def = Def {
    noun: "input contract",
    keys: &[k("id", STR).req(), k("version", STR).req()],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static OUTPUT_PORT: Def = Def {
    noun: "output port",
    keys: &[
        k("name", STR).req(),
        k("description", STR),
        k("type", STR),
        k("version", STR).req(),
        k("contractId", STR),
        k(
            "sbom",
            many(&List {
                items: Obj(&SBOM),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k(
            "inputContracts",
            many(&List {
                items: Obj(&INPUT_CONTRACT),
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

static MANAGEMENT_PORT: Def = Def {
    noun: "management port",
    keys: &[
        k("name", STR).req(),
        k("content", STR).req(),
        k("type", STR),
        k("url", STR),
        k("channel", STR),
        k("description", STR),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static SUPPORT: Def = Def {
    noun: "support channel",
    keys: &[
        k("channel", STR).req(),
        k("url", STR).req(),
        k("description", STR),
        k("tool", STR),
        k("scope", STR),
        k("invitationUrl", STR),
        k("tags", STRINGS),
        k("customProperties", CUSTOM_PROPERTIES),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};

static TEAM_MEMBER: Def = Def {
    noun: "team member",
    keys: &[
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
        k("name", STR),
        k("description", STR),
        k(
            "members",
            many(&List {
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

static PRODUCT: Def = Def {
    noun: "data product",
    keys: &[
        k("apiVersion", STR).req(),
        k("kind", Shape::OneOf(&[c("DataProduct")])).req(),
        k("id", STR).req(),
        k("name", STR),
        k("version", STR),
        k("status", STR).req(),
        k("domain", STR),
        k("tenant", STR),
        k("authoritativeDefinitions", AUTHORITATIVE_DEFINITIONS),
        k("description", Obj(&DESCRIPTION)),
        k("customProperties", CUSTOM_PROPERTIES),
        k("tags", STRINGS),
        k(
            "inputPorts",
            many(&List {
                items: Obj(&INPUT_PORT),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k(
            "outputPorts",
            many(&List {
                items: Obj(&OUTPUT_PORT),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k(
            "managementPorts",
            many(&List {
                items: Obj(&MANAGEMENT_PORT),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k(
            "support",
            many(&List {
                items: Obj(&SUPPORT),
                min: None,
                max: None,
                unique: false,
            }),
        ),
        k("team", Obj(&TEAM)),
        k("productCreatedTs", STR),
    ],
    includes: &[],
    closed: Range::ALL,
    cases: &[],
};
