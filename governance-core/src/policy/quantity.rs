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

    /// This quantity written in the unit of `written` (a bound as the policy writes it: `1
    /// day`, `2 years`, `PT30M`, `99.9%`), for messages that compare the two: `P2D` against
    /// `1 day` is `2 days`, `800 days` against `2 years` is `2.19 years`. `None` when the kinds
    /// differ.
    pub fn in_unit_of(self, written: &str) -> Option<String> {
        let bound = Quantity::parse(written)?;
        match (self, bound) {
            (Quantity::Percent(p) | Quantity::Number(p), Quantity::Percent(_)) => {
                Some(format!("{}%", round(p)))
            }
            (Quantity::Number(n), Quantity::Number(_)) => Some(round(n)),
            (Quantity::Duration(seconds), Quantity::Duration(_)) => {
                let unit = written
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
                    .trim();
                match unit_seconds(unit).filter(|_| !written.starts_with(['P', 'p'])) {
                    Some(size) => {
                        let count = seconds / size;
                        let name = unit_name(unit);
                        let plural = if count == 1.0 { "" } else { "s" };
                        Some(format!("{} {name}{plural}", round(count)))
                    }
                    // An ISO 8601 bound (`PT30M`): the duration in its largest whole unit.
                    None => Some(self.to_string()),
                }
            }
            _ => None,
        }
    }

    /// Whether two written quantities use the same unit (`4 hours` and `1 hour`, `3h` and `2
    /// hours`, `99.0%` and `99.9%`): then a value needs no conversion to be compared with a
    /// bound by a reader.
    pub fn same_unit(a: &str, b: &str) -> bool {
        let unit = |text: &str| {
            let text = text.trim();
            if text.starts_with(['P', 'p']) {
                return Some(format!("iso:{text}"));
            }
            if text.ends_with('%') || text.to_ascii_lowercase().ends_with("percent") {
                return Some("percent".to_owned());
            }
            let word = text
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-')
                .trim();
            if word.is_empty() {
                return Some("number".to_owned());
            }
            unit_seconds(word).map(|_| unit_name(word).to_owned())
        };
        match (unit(a), unit(b)) {
            (Some(a), Some(b)) => a == b && !a.starts_with("iso:"),
            _ => false,
        }
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
            (
                Quantity::Percent(a) | Quantity::Number(a),
                Quantity::Percent(_) | Quantity::Number(_),
            )
            | (Quantity::Duration(a), Quantity::Duration(_)) => Some(a),
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

/// A number with at most two decimals, without trailing zeros: `2`, `2.19`, `99.95`.
fn round(value: f64) -> String {
    let text = format!("{:.2}", (value * 100.0).round() / 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The unit's name in words, singular: `h` → `hour`, `mins` → `minute`.
fn unit_name(unit: &str) -> &'static str {
    match unit.to_ascii_lowercase().as_str() {
        "ms" | "millisecond" | "milliseconds" => "millisecond",
        "s" | "sec" | "secs" | "second" | "seconds" => "second",
        "m" | "min" | "mins" | "minute" | "minutes" => "minute",
        "h" | "hr" | "hrs" | "hour" | "hours" => "hour",
        "d" | "day" | "days" => "day",
        "w" | "week" | "weeks" => "week",
        "month" | "months" => "month",
        _ => "year",
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
