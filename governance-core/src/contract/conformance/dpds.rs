//! DPDS (Open Data Mesh Data Product Descriptor Specification) 1.0.0. Its objects are open
//! (extra keys, `x-` or not, are allowed), so the checks are the required keys, the kinds of
//! values, and that a port (or a port's promises...) is either a `$ref` to another file or
//! written inline, not both.

use super::schema::Shape::Obj;
use super::schema::{k, Def, Family, List, MapOf, Range, Shape, Version, MAP, NUM, STR, STRINGS};

pub(crate) static DPDS: Family = Family {
    name: "DPDS",
    version_key: "dataProductDescriptor",
    v_prefix: false,
    versions: &[Version(1, 0, 0)],
    default: Version(1, 0, 0),
    root: &DESCRIPTOR,
    extensions: "DPDS allows extra keys; by convention they start with `x-`",
};

const fn open(noun: &'static str, keys: &'static [super::schema::Key]) -> Def {
    Def {
        noun,
        keys,
        includes: &[],
        closed: Range::NEVER,
        cases: &[],
    }
}

/// A `{$ref: ...}` to another file, or `def` written inline (exactly one of them).
pub(crate) const fn ref_or(def: &'static Def) -> Shape {
    Shape::RefOr(&REFERENCE, def)
}

static REFERENCE: Def = open(
    "reference",
    &[
        k("$ref", STR).req(),
        k("mediaType", STR),
        k("description", STR),
    ],
);

static EXTERNAL_RESOURCE: Def = open(
    "external resource",
    &[
        k("description", STR),
        k("mediaType", STR),
        k("$href", STR).req(),
    ],
);

static ENTITY: Def = open(
    "component",
    &[
        k("id", STR),
        k("fullyQualifiedName", STR),
        k("entityType", STR),
        k("name", STR).req(),
        k("version", STR).req(),
        k("displayName", STR),
        k("description", STR),
        k("componentGroup", STR),
        k("tags", STRINGS),
        k("externalDocs", Obj(&EXTERNAL_RESOURCE)),
    ],
);

static STANDARD_DEFINITION: Def = Def {
    noun: "definition",
    keys: &[
        k("specification", STR).req(),
        k("specificationVersion", STR),
        k("definition", Shape::Either(&[MAP, STR])).req(),
    ],
    includes: &[&ENTITY],
    closed: Range::NEVER,
    cases: &[],
};

static PROMISES: Def = open(
    "promises",
    &[
        k("platform", STR),
        k("servicesType", STR),
        k("api", Obj(&STANDARD_DEFINITION)),
        k("deprecationPolicy", Obj(&STANDARD_DEFINITION)),
        k("slo", Obj(&STANDARD_DEFINITION)),
    ],
);

static EXPECTATIONS: Def = open(
    "expectations",
    &[
        k("audience", Obj(&STANDARD_DEFINITION)),
        k("usage", Obj(&STANDARD_DEFINITION)),
    ],
);

static OBLIGATIONS: Def = open(
    "obligations",
    &[
        k("termsAndConditions", Obj(&STANDARD_DEFINITION)),
        k("billingPolicy", Obj(&STANDARD_DEFINITION)),
        k("sla", Obj(&STANDARD_DEFINITION)),
    ],
);

static PORT: Def = Def {
    noun: "port",
    keys: &[
        k("promises", ref_or(&PROMISES)),
        k("expectations", ref_or(&EXPECTATIONS)),
        k("obligations", ref_or(&OBLIGATIONS)),
    ],
    includes: &[&ENTITY],
    closed: Range::NEVER,
    cases: &[],
};

static PORTS_LIST: List = List {
    items: ref_or(&PORT),
    min: None,
    max: None,
    unique: false,
};
const PORTS: Shape = Shape::List(&PORTS_LIST);

static INTERFACE_COMPONENTS: Def = open(
    "interface components",
    &[
        k("inputPorts", PORTS),
        k("outputPorts", PORTS).req(),
        k("discoveryPorts", PORTS),
        k("observabilityPorts", PORTS),
        k("controlPorts", PORTS),
    ],
);

static OWNER: Def = open("owner", &[k("id", STR).req(), k("name", STR)]);

static CONTACT_POINT: Def = open(
    "contact point",
    &[
        k("name", STR),
        k("description", STR),
        k("channel", STR),
        k("address", STR),
    ],
);

static CONTACT_POINTS: List = List {
    items: Obj(&CONTACT_POINT),
    min: None,
    max: None,
    unique: false,
};

static INFO: Def = open(
    "info",
    &[
        k("id", STR),
        k("fullyQualifiedName", STR).req(),
        k("entityType", STR),
        k("name", STR).req(),
        k("version", STR).req(),
        k("displayName", STR),
        k("description", STR),
        k("domain", STR).req(),
        k("owner", Obj(&OWNER)).req(),
        k("contactPoints", Shape::List(&CONTACT_POINTS)),
    ],
);

static LIFECYCLE_TASK: Def = open(
    "lifecycle task",
    &[
        k("name", STR),
        k("order", NUM),
        k("service", Obj(&EXTERNAL_RESOURCE)),
        k("template", ref_or(&STANDARD_DEFINITION)),
        k("configurations", MAP),
    ],
);

static LIFECYCLE_TASKS: List = List {
    items: Obj(&LIFECYCLE_TASK),
    min: None,
    max: None,
    unique: false,
};

static APPLICATION_COMPONENT: Def = Def {
    noun: "application component",
    keys: &[
        k("platform", STR),
        k("applicationType", STR),
        k("consumesFrom", STRINGS),
        k("providesTo", STRINGS),
        k("dependsOn", STRINGS),
    ],
    includes: &[&ENTITY],
    closed: Range::NEVER,
    cases: &[],
};

static INFRASTRUCTURAL_COMPONENT: Def = Def {
    noun: "infrastructural component",
    keys: &[
        k("platform", STR),
        k("infrastructureType", STR),
        k("dependsOn", STRINGS),
    ],
    includes: &[&ENTITY],
    closed: Range::NEVER,
    cases: &[],
};

static APPLICATION_LIST: List = List {
    items: ref_or(&APPLICATION_COMPONENT),
    min: None,
    max: None,
    unique: false,
};
static INFRASTRUCTURE_LIST: List = List {
    items: ref_or(&INFRASTRUCTURAL_COMPONENT),
    min: None,
    max: None,
    unique: false,
};

static INTERNAL_COMPONENTS: Def = open(
    "internal components",
    &[
        k(
            "lifecycleInfo",
            Shape::MapOf(&MapOf {
                values: Shape::List(&LIFECYCLE_TASKS),
                min: 0,
                names: None,
            }),
        ),
        k("applicationComponents", Shape::List(&APPLICATION_LIST)),
        k(
            "infrastructuralComponents",
            Shape::List(&INFRASTRUCTURE_LIST),
        ),
    ],
);

const fn named(values: Shape) -> MapOf {
    MapOf {
        values,
        min: 0,
        names: None,
    }
}

static COMPONENTS: Def = open(
    "components",
    &[
        k("inputPorts", Shape::MapOf(&named(ref_or(&PORT)))),
        k("outputPorts", Shape::MapOf(&named(ref_or(&PORT)))),
        k("discoveryPorts", Shape::MapOf(&named(ref_or(&PORT)))),
        k("observabilityPorts", Shape::MapOf(&named(ref_or(&PORT)))),
        k("controlPorts", Shape::MapOf(&named(ref_or(&PORT)))),
        k(
            "applicationComponents",
            Shape::MapOf(&named(ref_or(&APPLICATION_COMPONENT))),
        ),
        k(
            "infrastructuralComponents",
            Shape::MapOf(&named(ref_or(&INFRASTRUCTURAL_COMPONENT))),
        ),
    ],
);

static DESCRIPTOR: Def = open(
    "descriptor",
    &[
        k("dataProductDescriptor", STR).req(),
        k("info", Obj(&INFO)).req(),
        k("interfaceComponents", Obj(&INTERFACE_COMPONENTS)).req(),
        k("internalComponents", Obj(&INTERNAL_COMPONENTS)),
        k("components", Obj(&COMPONENTS)),
        k("tags", STRINGS),
        k("externalDocs", Obj(&EXTERNAL_RESOURCE)),
    ],
);
