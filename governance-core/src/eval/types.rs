//! Type compatibility for `must not narrow type`: whether a field's new type can hold every
//! value of its old one. Widening (`int` → `long`, `varchar(10)` → `varchar(20)`, `decimal(10,2)`
//! → `decimal(12,2)`, any number → `number`) keeps consumers working; narrowing (`long` →
//! `int`, a shorter `varchar`) or a change of kind (`string` → `integer`, `date` → `timestamp`)
//! breaks them.
//!
//! Names are those of the standards and the common SQL dialects, compared ignoring case; an
//! unknown name is only compatible with itself.

/// What a change of type does to consumers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The same type, maybe spelt differently (`int`, `integer`).
    Same,
    /// The new type holds every value of the old one.
    Widened,
    /// Same kind, fewer values (`long` → `int`, `varchar(20)` → `varchar(10)`).
    Narrowed,
    /// Another kind of value (`string` → `integer`).
    KindChanged,
}

/// A type, as far as compatibility goes.
#[derive(Debug, Clone, PartialEq)]
enum Type {
    /// An integer of this many bits.
    Int(u8),
    /// A binary floating point number of this many bits.
    Float(u8),
    /// A decimal with precision and scale, when given.
    Decimal(Option<u32>, Option<u32>),
    /// Any number (`number`, `numeric` without precision in JSON-like standards).
    Number,
    /// Text, with a maximum length when given; `fixed` for `char(n)`.
    Text {
        length: Option<u64>,
        fixed: bool,
    },
    /// Bytes, with a maximum length when given.
    Bytes(Option<u64>),
    Bool,
    Date,
    Time,
    /// A timestamp; `Some(true)` with a time zone, `Some(false)` without, `None` unsaid.
    Timestamp(Option<bool>),
    Uuid,
    Array,
    Object,
    Map,
    /// Anything else, lowercased.
    Other(String),
}

/// The verdict for a change of type from `old` to `new` (as written in the contracts).
pub(crate) fn compare(old: &str, new: &str) -> Verdict {
    use Type::{Bool, Bytes, Date, Decimal, Float, Int, Number, Text, Time, Timestamp};
    let (old, new) = (parse(old), parse(new));
    if old == new {
        return Verdict::Same;
    }
    match (&old, &new) {
        (Int(a), Int(b)) => order(u64::from(*a), u64::from(*b)),
        (Float(a), Float(b)) => order(u64::from(*a), u64::from(*b)),
        // An integer fits a float (as Avro promotes `int` to `double`) and a decimal.
        (Int(_), Float(_) | Number) | (Float(_) | Decimal(..), Number) => Verdict::Widened,
        (Int(bits), Decimal(precision, scale)) => {
            // `decimal(p, s)` holds integers of `p - s` digits.
            let digits = match bits {
                0..=8 => 3,
                9..=16 => 5,
                17..=32 => 10,
                _ => 19,
            };
            match (precision, scale) {
                (Some(p), s) if p.saturating_sub(s.unwrap_or(0)) < digits => Verdict::Narrowed,
                _ => Verdict::Widened,
            }
        }
        (Decimal(p1, s1), Decimal(p2, s2)) => decimal(*p1, *s1, *p2, *s2),
        (Number, Int(_) | Float(_) | Decimal(..))
        | (Float(_), Int(_) | Decimal(..))
        | (Decimal(..), Int(_) | Float(_)) => Verdict::Narrowed,
        (
            Text {
                length: a,
                fixed: fixed_a,
            },
            Text {
                length: b,
                fixed: fixed_b,
            },
        ) => match length(*a, *b) {
            // `varchar(10)` → `char(10)` pads values: readers see other text.
            Verdict::Same if fixed_a != fixed_b => {
                if *fixed_b {
                    Verdict::Narrowed
                } else {
                    Verdict::Widened
                }
            }
            verdict => verdict,
        },
        (Bytes(a), Bytes(b)) => length(*a, *b),
        (Timestamp(a), Timestamp(b)) => match (a, b) {
            (Some(x), Some(y)) if x != y => Verdict::KindChanged,
            _ => Verdict::Same,
        },
        (Bool, Bool) | (Date, Date) | (Time, Time) => Verdict::Same,
        _ => Verdict::KindChanged,
    }
}

/// `a` → `b` for sizes where more is wider.
fn order(a: u64, b: u64) -> Verdict {
    match b.cmp(&a) {
        std::cmp::Ordering::Equal => Verdict::Same,
        std::cmp::Ordering::Greater => Verdict::Widened,
        std::cmp::Ordering::Less => Verdict::Narrowed,
    }
}

/// A maximum length `a` → `b`, `None` meaning unlimited.
fn length(a: Option<u64>, b: Option<u64>) -> Verdict {
    match (a, b) {
        (None, None) => Verdict::Same,
        (Some(_), None) => Verdict::Widened,
        (None, Some(_)) => Verdict::Narrowed,
        (Some(a), Some(b)) => order(a, b),
    }
}

fn decimal(p1: Option<u32>, s1: Option<u32>, p2: Option<u32>, s2: Option<u32>) -> Verdict {
    match (p1, p2) {
        (None, None) => order(u64::from(s1.unwrap_or(0)), u64::from(s2.unwrap_or(0))),
        (Some(_), None) => Verdict::Widened,
        (None, Some(_)) => Verdict::Narrowed,
        (Some(p1), Some(p2)) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            let whole = (p1.saturating_sub(s1), p2.saturating_sub(s2));
            if whole.1 < whole.0 || s2 < s1 {
                Verdict::Narrowed
            } else if p1 == p2 && s1 == s2 {
                Verdict::Same
            } else {
                Verdict::Widened
            }
        }
    }
}

/// Reads a type name: `varchar(255)`, `DECIMAL(10, 2)`, `bigint`, `timestamp with time zone`,
/// `array<string>`.
fn parse(text: &str) -> Type {
    let lower = text.trim().to_ascii_lowercase();
    let (name, args) = match lower.find(['(', '<']) {
        Some(open) => {
            let (name, rest) = lower.split_at(open);
            let inner = rest
                .get(1..)
                .unwrap_or("")
                .trim_end_matches([')', '>'])
                .to_owned();
            (name.trim().to_owned(), Some(inner))
        }
        None => (lower.clone(), None),
    };
    let numbers: Vec<u64> = args
        .as_deref()
        .map(|a| {
            a.split(',')
                .filter_map(|n| n.trim().parse::<u64>().ok())
                .collect()
        })
        .unwrap_or_default();
    let first = numbers.first().copied();
    let small = |n: Option<&u64>| n.and_then(|n| u32::try_from(*n).ok());
    let name = name.replace(['_', '-'], " ");
    let words: Vec<&str> = name.split_whitespace().collect();
    let joined = words.join(" ");
    match joined.as_str() {
        "tinyint" | "byte" | "int8" | "integer8" => Type::Int(8),
        "smallint" | "short" | "int16" | "integer16" => Type::Int(16),
        "int" | "integer" | "int32" | "integer32" | "mediumint" => Type::Int(32),
        "bigint" | "long" | "int64" | "integer64" => Type::Int(64),
        "hugeint" | "int128" => Type::Int(128),
        "float" | "float32" | "real" | "float4" => match first {
            // `float(53)` is a double in SQL.
            Some(bits) if bits > 24 => Type::Float(64),
            _ => Type::Float(32),
        },
        "double" | "float64" | "double precision" | "float8" => Type::Float(64),
        "decimal" | "numeric" | "dec" | "bignumeric" | "bigdecimal" => {
            if args.is_none() && joined == "numeric" {
                Type::Decimal(None, None)
            } else {
                Type::Decimal(small(numbers.first()), small(numbers.get(1)))
            }
        }
        "number" => {
            if numbers.is_empty() {
                Type::Number
            } else {
                // Oracle's `number(p, s)`.
                Type::Decimal(small(numbers.first()), small(numbers.get(1)))
            }
        }
        "string" | "text" | "str" | "clob" | "varchar" | "nvarchar" | "character varying"
        | "varchar2" | "nvarchar2" | "tinytext" | "mediumtext" | "longtext" => Type::Text {
            length: first,
            fixed: false,
        },
        "char" | "character" | "nchar" | "bpchar" => Type::Text {
            length: first.or(Some(1)),
            fixed: true,
        },
        "bytes" | "binary" | "varbinary" | "blob" | "bytea" => Type::Bytes(first),
        "boolean" | "bool" | "bit" if args.is_none() || first == Some(1) => Type::Bool,
        "date" => Type::Date,
        "time" => Type::Time,
        "timestamp" | "datetime" | "datetime2" => Type::Timestamp(None),
        "timestamp with time zone"
        | "timestamptz"
        | "timestamp tz"
        | "timestamp ltz"
        | "datetimeoffset" => Type::Timestamp(Some(true)),
        "timestamp without time zone" | "timestamp ntz" => Type::Timestamp(Some(false)),
        "uuid" | "uniqueidentifier" => Type::Uuid,
        "array" | "list" | "repeated" => Type::Array,
        "object" | "record" | "struct" | "row" => Type::Object,
        "map" => Type::Map,
        _ => Type::Other(lower),
    }
}

#[cfg(test)]
mod tests {
    use super::{compare, Verdict};

    #[test]
    fn widening_keeps_consumers_and_narrowing_breaks_them() {
        for (old, new, verdict) in [
            ("int", "INTEGER", Verdict::Same),
            ("int", "long", Verdict::Widened),
            ("long", "int", Verdict::Narrowed),
            ("smallint", "bigint", Verdict::Widened),
            ("integer", "double", Verdict::Widened),
            ("double", "float", Verdict::Narrowed),
            ("float", "double", Verdict::Widened),
            ("int", "number", Verdict::Widened),
            ("number", "integer", Verdict::Narrowed),
            ("varchar(10)", "varchar(20)", Verdict::Widened),
            ("varchar(20)", "varchar(10)", Verdict::Narrowed),
            ("varchar(20)", "string", Verdict::Widened),
            ("string", "varchar(255)", Verdict::Narrowed),
            ("text", "string", Verdict::Same),
            ("char(10)", "varchar(10)", Verdict::Widened),
            ("decimal(10,2)", "decimal(12,2)", Verdict::Widened),
            ("decimal(12,2)", "decimal(10,2)", Verdict::Narrowed),
            ("decimal(10,2)", "decimal(10,4)", Verdict::Narrowed),
            ("decimal(10, 2)", "DECIMAL(10,2)", Verdict::Same),
            ("int", "decimal(12,0)", Verdict::Widened),
            ("bigint", "decimal(10,0)", Verdict::Narrowed),
            ("string", "integer", Verdict::KindChanged),
            ("integer", "string", Verdict::KindChanged),
            ("date", "timestamp", Verdict::KindChanged),
            ("timestamp", "datetime", Verdict::Same),
            ("timestamp_tz", "timestamp_ntz", Verdict::KindChanged),
            ("boolean", "bool", Verdict::Same),
            ("array<string>", "array<int>", Verdict::Same),
            ("object", "array", Verdict::KindChanged),
            ("geography", "geography", Verdict::Same),
            ("geography", "geometry", Verdict::KindChanged),
        ] {
            assert_eq!(compare(old, new), verdict, "{old} → {new}");
        }
    }
}
