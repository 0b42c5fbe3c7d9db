//! The contract the generator draws before choosing a shape: product, owner, SLA, tables and
//! fields, with realistic mistakes (unencrypted PII, low availability, a team name as owner...)
//! so that linting produces findings. The shapes in `seed.rs` and `odcs.rs` render it faithfully.

use super::rng::Rng;

/// A field's type, rendered as each shape spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Long,
    Double,
    Decimal,
    Date,
    Timestamp,
    Boolean,
    /// An object with nested fields (ODCS only).
    Object,
}

impl Kind {
    /// The type as the seed shapes write it (`type: long`).
    pub(crate) fn seed_name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "int",
            Kind::Long => "long",
            Kind::Double => "double",
            Kind::Decimal => "decimal",
            Kind::Date => "date",
            Kind::Timestamp => "timestamp",
            Kind::Boolean => "boolean",
            Kind::Object => "struct",
        }
    }
}

/// One field of a table (a column), possibly with nested fields.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) description: Option<String>,
    pub(crate) required: bool,
    /// Marked `pii: true` (seed) or classified restricted (ODCS).
    pub(crate) pii: bool,
    /// `Some(false)` writes `encrypted: false`; `None` says nothing.
    pub(crate) encrypted: Option<bool>,
    pub(crate) masked: bool,
    pub(crate) tags: Vec<&'static str>,
    pub(crate) classification: Option<&'static str>,
    /// Whether ODCS spells out the physical type (it is optional).
    pub(crate) physical_type: bool,
    pub(crate) children: Vec<Field>,
}

/// A table of an ODCS contract; the seed shapes have exactly one, unnamed.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) fields: Vec<Field>,
}

/// An output port.
#[derive(Debug, Clone)]
pub(crate) struct Port {
    pub(crate) name: String,
    /// `None` for the (rare) port that forgets its type.
    pub(crate) kind: Option<&'static str>,
    pub(crate) location: String,
}

/// A member of the owning team (ODCS `team`).
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) username: String,
    pub(crate) role: &'static str,
}

/// Everything a contract says, whatever its shape.
#[derive(Debug, Clone)]
pub(crate) struct Contract {
    /// Unique in the corpus (ends with the contract's index).
    pub(crate) product: String,
    pub(crate) id: String,
    pub(crate) domain: &'static str,
    /// An email address, or (rarely) a bare team name.
    pub(crate) owner: String,
    pub(crate) team: Vec<Member>,
    /// `None` for the rare contract that forgets it.
    pub(crate) version: Option<String>,
    pub(crate) status: &'static str,
    pub(crate) description: String,
    pub(crate) tags: Vec<&'static str>,
    pub(crate) availability: Option<&'static str>,
    pub(crate) freshness: Option<&'static str>,
    pub(crate) tables: Vec<Table>,
    pub(crate) ports: Vec<Port>,
}

/// The domains of the generated mesh (one folder each).
pub(crate) const DOMAINS: [&str; 12] = [
    "sales",
    "marketing",
    "finance",
    "payments",
    "logistics",
    "customer",
    "hr",
    "inventory",
    "risk",
    "product",
    "support",
    "supply_chain",
];

const ENTITIES: [&str; 18] = [
    "orders",
    "customers",
    "shipments",
    "invoices",
    "payments",
    "sessions",
    "products",
    "returns",
    "refunds",
    "subscriptions",
    "tickets",
    "campaigns",
    "leads",
    "employees",
    "suppliers",
    "stock_levels",
    "transactions",
    "accounts",
];

const SUFFIXES: [&str; 9] = [
    "daily", "events", "snapshot", "v2", "360", "enriched", "raw", "curated", "summary",
];

/// Field names the default pack calls PII (`fields named email, ...`).
pub(crate) const PII_NAMES: [&str; 5] = ["email", "email_address", "phone", "phone_number", "ssn"];

/// Other personal data: marked `pii: true` or tagged `pii`.
pub(crate) const PERSONAL: [(&str, Kind); 10] = [
    ("first_name", Kind::String),
    ("last_name", Kind::String),
    ("full_name", Kind::String),
    ("date_of_birth", Kind::Date),
    ("home_address", Kind::String),
    ("ip_address", Kind::String),
    ("passport_number", Kind::String),
    ("iban", Kind::String),
    ("card_number", Kind::String),
    ("tax_id", Kind::String),
];

/// Ordinary business columns.
pub(crate) const COLUMNS: [(&str, Kind); 72] = [
    ("order_id", Kind::String),
    ("customer_id", Kind::String),
    ("account_id", Kind::String),
    ("product_id", Kind::String),
    ("invoice_id", Kind::String),
    ("shipment_id", Kind::String),
    ("session_id", Kind::String),
    ("campaign_id", Kind::String),
    ("supplier_id", Kind::Long),
    ("employee_id", Kind::Long),
    ("store_id", Kind::Integer),
    ("warehouse_id", Kind::Integer),
    ("sku", Kind::String),
    ("quantity", Kind::Integer),
    ("unit_price", Kind::Decimal),
    ("amount", Kind::Decimal),
    ("net_amount", Kind::Decimal),
    ("tax_amount", Kind::Decimal),
    ("discount_amount", Kind::Decimal),
    ("currency_code", Kind::String),
    ("exchange_rate", Kind::Double),
    ("lifetime_value", Kind::Double),
    ("churn_score", Kind::Double),
    ("risk_score", Kind::Double),
    ("conversion_rate", Kind::Double),
    ("weight_kg", Kind::Double),
    ("created_at", Kind::Timestamp),
    ("updated_at", Kind::Timestamp),
    ("deleted_at", Kind::Timestamp),
    ("shipped_at", Kind::Timestamp),
    ("delivered_at", Kind::Timestamp),
    ("event_time", Kind::Timestamp),
    ("ingested_at", Kind::Timestamp),
    ("order_date", Kind::Date),
    ("invoice_date", Kind::Date),
    ("due_date", Kind::Date),
    ("signup_date", Kind::Date),
    ("valid_from", Kind::Date),
    ("valid_to", Kind::Date),
    ("is_active", Kind::Boolean),
    ("is_deleted", Kind::Boolean),
    ("is_test", Kind::Boolean),
    ("has_consent", Kind::Boolean),
    ("status", Kind::String),
    ("channel", Kind::String),
    ("country_code", Kind::String),
    ("region", Kind::String),
    ("city", Kind::String),
    ("postal_code", Kind::String),
    ("language", Kind::String),
    ("device_type", Kind::String),
    ("browser", Kind::String),
    ("referrer_url", Kind::String),
    ("utm_source", Kind::String),
    ("utm_campaign", Kind::String),
    ("payment_method", Kind::String),
    ("card_brand", Kind::String),
    ("carrier", Kind::String),
    ("tracking_number", Kind::String),
    ("segment", Kind::String),
    ("tier", Kind::String),
    ("category", Kind::String),
    ("subcategory", Kind::String),
    ("brand", Kind::String),
    ("title", Kind::String),
    ("notes", Kind::String),
    ("reason_code", Kind::String),
    ("priority", Kind::Integer),
    ("rating", Kind::Integer),
    ("page_views", Kind::Long),
    ("event_count", Kind::Long),
    ("row_hash", Kind::String),
];

/// Objects with nested fields (ODCS `logicalType: object`).
const OBJECTS: [(&str, &[(&str, Kind)]); 3] = [
    (
        "address",
        &[
            ("street", Kind::String),
            ("city", Kind::String),
            ("postal_code", Kind::String),
            ("country_code", Kind::String),
        ],
    ),
    (
        "contact",
        &[
            ("email", Kind::String),
            ("phone", Kind::String),
            ("preferred_channel", Kind::String),
        ],
    ),
    (
        "device",
        &[
            ("device_id", Kind::String),
            ("os", Kind::String),
            ("app_version", Kind::String),
        ],
    ),
];

const TAGS: [&str; 6] = ["finance", "gdpr", "sensitive", "kpi", "reference", "audit"];

const DESCRIPTIONS: [&str; 8] = [
    "The {} from the source system.",
    "{}, never null after backfill.",
    "Normalised {}.",
    "The {} used in revenue reports.",
    "The {} at event time.",
    "{}; see the glossary.",
    "Derived {}.",
    "The {} as entered by the customer.",
];

/// What share of personal fields are left unencrypted (the main source of findings).
const UNENCRYPTED_PERCENT: usize = 25;

/// Draws contract number `index`. `nested` allows object fields (only ODCS renders them).
pub(crate) fn draw(rng: &mut Rng, index: u64, nested: bool) -> Contract {
    let domain = rng.pick(&DOMAINS);
    let entity = rng.pick(&ENTITIES);
    let suffix = rng.pick(&SUFFIXES);
    let product = if rng.chance(3) {
        // A name that breaks the snake_case convention.
        format!("{}-{suffix}-{index:06}", entity.to_uppercase())
    } else {
        format!("{entity}_{suffix}_{index:06}")
    };
    let team_mail = format!("{}-data@company.com", domain.replace('_', "-"));
    let owner = if rng.chance(7) {
        format!("{} data team", capitalise(domain))
    } else {
        team_mail
    };
    let team = draw_team(rng, &owner);
    let version = (!rng.chance(3)).then(|| {
        format!(
            "{}.{}.{}",
            rng.between(1, 4),
            rng.between(0, 12),
            rng.between(0, 9)
        )
    });
    let availability = if rng.chance(4) {
        None
    } else if rng.chance(12) {
        Some(rng.pick(&["99.5%", "99%", "98.5%"]))
    } else {
        Some(rng.pick(&["99.9%", "99.95%", "99.99%", "99.9%"]))
    };
    let freshness = (!rng.chance(8))
        .then(|| rng.pick(&["15 minutes", "1 hour", "PT30M", "1 day", "6 hours", "PT1H"]));
    // 8 to 40 fields, smaller tables being the more common (mean about 19).
    let field_count = rng.between(8, 40).min(rng.between(8, 40));
    let fields = draw_fields(rng, field_count, nested);
    let tables = split_tables(rng, entity, fields, nested);
    let ports = (0..rng.between(0, 2))
        .map(|n| Port {
            name: format!("{entity}-{suffix}-{}", ["stream", "table", "files"][n % 3]),
            kind: (!rng.chance(5)).then(|| {
                rng.pick(&[
                    "kafka_topic",
                    "s3_bucket",
                    "bigquery_table",
                    "snowflake_table",
                ])
            }),
            location: format!("{domain}.{entity}_{suffix}"),
        })
        .collect();
    Contract {
        id: format!(
            "{}-{}-{}-{}-{}",
            rng.hex(8),
            rng.hex(4),
            rng.hex(4),
            rng.hex(4),
            rng.hex(12)
        ),
        description: format!(
            "{} {} for the {} domain, refreshed by the {} pipeline.",
            capitalise(suffix),
            entity.replace('_', " "),
            domain.replace('_', " "),
            rng.pick(&["nightly", "hourly", "streaming", "weekly"])
        ),
        tags: {
            let count = rng.between(0, 2);
            rng.sample(&TAGS, count)
        },
        status: rng.pick(&["active", "active", "active", "draft", "deprecated"]),
        product,
        domain,
        owner,
        team,
        version,
        availability,
        freshness,
        tables,
        ports,
    }
}

fn draw_team(rng: &mut Rng, owner: &str) -> Vec<Member> {
    let mut team = vec![Member {
        username: owner.to_owned(),
        role: "owner",
    }];
    for _ in 0..rng.between(0, 2) {
        let who = rng.pick(&["alice", "bob", "chen", "dara", "emeka", "farah", "gus"]);
        team.push(Member {
            username: format!("{who}@company.com"),
            role: rng.pick(&["data steward", "data engineer", "analyst"]),
        });
    }
    team
}

/// `count` distinct fields: some personal data, the rest ordinary columns.
fn draw_fields(rng: &mut Rng, count: usize, nested: bool) -> Vec<Field> {
    let mut fields = Vec::with_capacity(count);
    let pii_count = rng.between(0, 2);
    for name in rng.sample(&PII_NAMES, pii_count) {
        fields.push(personal(rng, name, Kind::String, true));
    }
    let personal_names: Vec<&str> = PERSONAL.iter().map(|(name, _)| *name).collect();
    let personal_count = rng.between(0, 3);
    for name in rng.sample(&personal_names, personal_count) {
        let kind = kind_of(&PERSONAL, name);
        let flagged = rng.chance(70);
        fields.push(personal(rng, name, kind, flagged));
    }
    if nested && rng.chance(35) {
        let (name, children) = OBJECTS
            .get(rng.below(OBJECTS.len()))
            .copied()
            .unwrap_or(OBJECTS[0]);
        let children = children
            .iter()
            .map(|&(child, kind)| {
                if PII_NAMES.contains(&child) {
                    personal(rng, child, kind, true)
                } else {
                    plain(rng, child, kind)
                }
            })
            .collect();
        fields.push(Field {
            children,
            ..plain(rng, name, Kind::Object)
        });
    }
    let column_names: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
    let remaining = count.saturating_sub(fields.len());
    for name in rng.sample(&column_names, remaining) {
        let kind = kind_of(&COLUMNS, name);
        fields.push(plain(rng, name, kind));
    }
    // Mix the personal fields in among the others, as real schemas do.
    let len = fields.len();
    for i in 0..len {
        let j = rng.below(len);
        fields.swap(i, j);
    }
    fields
}

fn kind_of(pool: &[(&str, Kind)], name: &str) -> Kind {
    pool.iter()
        .find(|(n, _)| *n == name)
        .map_or(Kind::String, |(_, kind)| *kind)
}

fn plain(rng: &mut Rng, name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        description: rng.chance(40).then(|| describe(rng, name)),
        required: rng.chance(40),
        pii: false,
        encrypted: None,
        masked: false,
        tags: if rng.chance(12) {
            vec![rng.pick(&TAGS)]
        } else {
            Vec::new()
        },
        classification: rng
            .chance(30)
            .then(|| rng.pick(&["public", "internal", "internal"])),
        physical_type: rng.chance(50),
        children: Vec::new(),
    }
}

/// A field holding personal data; `flagged` marks it `pii` (and tags it, usually).
fn personal(rng: &mut Rng, name: &'static str, kind: Kind, flagged: bool) -> Field {
    let encrypted = if rng.chance(UNENCRYPTED_PERCENT) {
        rng.chance(50).then_some(false)
    } else {
        Some(true)
    };
    Field {
        name,
        kind,
        description: rng.chance(70).then(|| describe(rng, name)),
        required: rng.chance(50),
        pii: flagged,
        encrypted,
        masked: rng.chance(30),
        tags: if flagged && rng.chance(60) {
            vec!["pii"]
        } else {
            Vec::new()
        },
        classification: Some(if flagged {
            "restricted"
        } else {
            "confidential"
        }),
        physical_type: rng.chance(50),
        children: Vec::new(),
    }
}

fn describe(rng: &mut Rng, name: &str) -> String {
    let template = rng.pick(&DESCRIPTIONS);
    let words = name.replace('_', " ");
    let text = template.replacen("{}", &words, 1);
    if template.starts_with("{}") {
        capitalise(&text)
    } else {
        text
    }
}

/// One table for the seed shapes; ODCS contracts sometimes split their fields over two.
fn split_tables(rng: &mut Rng, entity: &str, mut fields: Vec<Field>, nested: bool) -> Vec<Table> {
    let describe_table = |name: &str| format!("One row per {} event.", name.replace('_', " "));
    if nested && fields.len() >= 16 && rng.chance(30) {
        let second = fields.split_off(fields.len() / 2);
        let detail = format!("{entity}_details");
        vec![
            Table {
                description: describe_table(entity),
                name: entity.to_owned(),
                fields,
            },
            Table {
                description: describe_table(&detail),
                name: detail,
                fields: second,
            },
        ]
    } else {
        vec![Table {
            description: describe_table(entity),
            name: entity.to_owned(),
            fields,
        }]
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
