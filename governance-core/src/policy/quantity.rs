//! Quantities with units: percentages, durations and plain numbers, as written in policies
//! (`99.9%`, `1 hour`, `PT30M`) and in contracts (`"99.95%"`, `"15 minutes"`, `24h`, `3600`).

use std::fmt;

/// A number with its kind of unit. Durations are held in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Quantity {
    Percent(f64),
    Duration(f64),
    Number(f64),
}

impl Quantity {
    /// Reads a quantity; `None` when the text is none of the accepted forms.
    pub fn parse(text: &str) -> Option<Quantity> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let text = match lower
            .strip_suffix("percent")
            .or_else(|| lower.strip_suffix("pct"))
        {
            // `99.5 percent` (ODCS `unit: percent`) is `99.5%`.
            Some(number) => {
                return number
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .map(Quantity::Percent)
            }
            None => text,
        };
        if let Some(number) = text.strip_suffix('%') {
            return number
                .trim()
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite())
                .map(Quantity::Percent);
        }
        if text.starts_with(['P', 'p']) {
            return iso_duration(text).map(Quantity::Duration);
        }
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: f64 = number.parse().ok().filter(|n: &f64| n.is_finite())?;
        let unit = unit.trim();
        if unit.is_empty() {
            return Some(Quantity::Number(number));
        }
        // A negative duration promises nothing.
        unit_seconds(unit)
            .filter(|_| number >= 0.0)
            .map(|seconds| Quantity::Duration(number * seconds))
    }

    /// "a percentage", "a duration", "a number": for messages about the wrong unit.
    pub fn kind_name(self) -> &'static str {
        match self {
            Quantity::Percent(_) => "a percentage",
            Quantity::Duration(_) => "a duration",
            Quantity::Number(_) => "a plain number",
        }
    }

    /// Converts a contract value to the kind of `expected`, if that makes sense: a plain number
    /// is read as percentage points where a percentage is expected (`availability: 99.9`).
    pub fn as_kind_of(self, expected: Quantity) -> Option<f64> {
        match (self, expected) {
            (Quantity::Percent(a), Quantity::Percent(_))
            | (Quantity::Number(a), Quantity::Percent(_))
            // `must be at least 99.9` against `99.95%`: percentage points.
            | (Quantity::Percent(a), Quantity::Number(_))
            | (Quantity::Duration(a), Quantity::Duration(_))
            | (Quantity::Number(a), Quantity::Number(_)) => Some(a),
            _ => None,
        }
    }

    pub fn value(self) -> f64 {
        match self {
            Quantity::Percent(v) | Quantity::Duration(v) | Quantity::Number(v) => v,
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Quantity::Percent(p) => write!(f, "{p}%"),
            Quantity::Number(n) => write!(f, "{n}"),
            Quantity::Duration(seconds) => {
                for (unit, size) in [
                    ("day", 86_400.0),
                    ("hour", 3_600.0),
                    ("minute", 60.0),
                    ("second", 1.0),
                ] {
                    let count = seconds / size;
                    if seconds != 0.0 && count.fract() == 0.0 {
                        let plural = if count == 1.0 { "" } else { "s" };
                        return write!(f, "{count} {unit}{plural}");
                    }
                }
                let ms = seconds * 1000.0;
                write!(f, "{ms} millisecond{}", if ms == 1.0 { "" } else { "s" })
            }
        }
    }
}

/// Seconds in one `unit` (`h`, `hour`, `hours`, `min`, `d`...), case-insensitive.
fn unit_seconds(unit: &str) -> Option<f64> {
    let unit = unit.to_ascii_lowercase();
    Some(match unit.as_str() {
        "ms" | "millisecond" | "milliseconds" => 0.001,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
        "d" | "day" | "days" => 86_400.0,
        "w" | "week" | "weeks" => 604_800.0,
        "month" | "months" => 2_592_000.0,
        "y" | "yr" | "yrs" | "year" | "years" => 31_536_000.0,
        _ => return None,
    })
}

/// An ISO 8601 duration (`PT30M`, `P1D`, `P1DT12H`), in seconds. Months are 30 days, years 365.
fn iso_duration(text: &str) -> Option<f64> {
    let rest = text.get(1..)?;
    let mut seconds = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' if number.is_empty() && !in_time => in_time = true,
            d if d.is_ascii_digit() || d == '.' => number.push(d),
            unit => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                let size = match (unit, in_time) {
                    ('Y', false) => 31_536_000.0,
                    ('M', false) => 2_592_000.0,
                    ('W', false) => 604_800.0,
                    ('D', false) => 86_400.0,
                    ('H', true) => 3_600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return None,
                };
                seconds += value * size;
                any = true;
            }
        }
    }
    (any && number.is_empty()).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::Quantity::{self, Duration, Number, Percent};

    #[test]
    fn parses_every_written_form() {
        for (text, expected) in [
            ("99.9%", Percent(99.9)),
            ("99.9 %", Percent(99.9)),
            ("1 hour", Duration(3600.0)),
            ("2 hours", Duration(7200.0)),
            ("15 minutes", Duration(900.0)),
            ("1 day", Duration(86400.0)),
            ("90s", Duration(90.0)),
            ("1h", Duration(3600.0)),
            ("PT30M", Duration(1800.0)),
            ("P1DT12H", Duration(129_600.0)),
            ("3600", Number(3600.0)),
        ] {
            assert_eq!(Quantity::parse(text), Some(expected), "{text}");
        }
        for bad in ["", "fast", "1 parsec", "P", "PT", "NaN%", "1e999"] {
            assert_eq!(Quantity::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn displays_in_the_largest_whole_unit() {
        assert_eq!(Duration(3600.0).to_string(), "1 hour");
        assert_eq!(Duration(5400.0).to_string(), "90 minutes");
        assert_eq!(Duration(172_800.0).to_string(), "2 days");
        assert_eq!(Percent(99.9).to_string(), "99.9%");
    }
}
