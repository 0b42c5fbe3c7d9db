//! Calendar dates (`2027-03-31`) for waiver expiry, without a time zone: a waiver expires at the
//! end of its day.

use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

/// Text that is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date like 2027-03-31")]
pub struct BadDate(pub String);

impl Date {
    /// The date `year-month-day`, if it exists.
    ///
    /// ```
    /// # use governance_core::Date;
    /// assert!(Date::new(2027, 2, 29).is_none());
    /// assert_eq!(Date::new(2027, 3, 31).map(|d| d.to_string()).as_deref(), Some("2027-03-31"));
    /// ```
    #[must_use]
    pub fn new(year: i64, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let month_days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > month_days {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// Today, in UTC, from the system clock.
    #[must_use]
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date {
            days: i64::try_from(seconds / 86_400).unwrap_or(0),
        }
    }

    /// The date `days` days later (earlier when negative).
    ///
    /// ```
    /// # use governance_core::Date;
    /// let date: Date = "2026-12-31".parse()?;
    /// assert_eq!(date.add_days(90).to_string(), "2027-03-31");
    /// # Ok::<(), governance_core::BadDate>(())
    /// ```
    #[must_use]
    pub fn add_days(self, days: i64) -> Date {
        Date {
            days: self.days.saturating_add(days),
        }
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    #[must_use]
    pub fn days_until(self, later: Date) -> i64 {
        later.days - self.days
    }

    fn civil(self) -> (i64, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        (
            year,
            u32::try_from(month).unwrap_or(1),
            u32::try_from(day).unwrap_or(1),
        )
    }
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl FromStr for Date {
    type Err = BadDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadDate(text.to_owned());
        let trimmed = text.trim();
        // A YAML timestamp with a time part: the date is what counts.
        let date = trimmed
            .get(..10)
            .filter(|_| trimmed.len() >= 10)
            .ok_or_else(bad)?;
        let mut parts = date.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        let day = d.parse().map_err(|_| bad())?;
        Date::new(year, month, day).ok_or_else(bad)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_counts_days() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-11-25",
            "2027-03-31",
            "2100-12-31",
        ] {
            assert_eq!(
                text.parse::<Date>().map(|d| d.to_string()).as_deref(),
                Ok(text)
            );
        }
        let a: Date = "2026-11-25".parse().unwrap();
        let b: Date = "2027-03-31".parse().unwrap();
        assert_eq!(a.days_until(b), 126);
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "27-03-31",
            "2027/03/31",
            "soon",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }
}
