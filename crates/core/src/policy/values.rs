//! Small value types of the policy file: durations, clock times, week days and dates.
//!
//! Each serialises to the same text a person writes in the TOML file, so the JSON the app
//! receives reads like the policy itself and round-trips through these types.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A length of time written as `90m`, `2h`, `1h30m` or `7d` (`d` is 24 hours, never a business
/// day). Response targets count it in the plan's support hours; other rules count wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minutes(pub u32);

impl Minutes {
    pub fn as_chrono(self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.0))
    }

    /// A short reading for people: "2 h", "1 h 30 min", "45 min". Never in days, because
    /// 24 hours of business-hours support are not one day.
    pub fn hours_text(self) -> String {
        match (self.0 / 60, self.0 % 60) {
            (0, minutes) => format!("{minutes} min"),
            (hours, 0) => format!("{hours} h"),
            (hours, minutes) => format!("{hours} h {minutes} min"),
        }
    }

    /// For rules counted in wall-clock time: whole days as days ("10 days", "1 day"), anything
    /// else as [`Minutes::hours_text`].
    pub fn wall_clock_text(self) -> String {
        const DAY: u32 = 24 * 60;
        match (self.0 / DAY, self.0 % DAY) {
            (1, 0) => "1 day".to_owned(),
            (days, 0) if days > 1 => format!("{days} days"),
            _ => self.hours_text(),
        }
    }
}

impl FromStr for Minutes {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            format!("invalid duration {text:?}: write it like \"90m\", \"2h\", \"1h30m\" or \"7d\"")
        };
        let mut total: u32 = 0;
        let mut digits = String::new();
        for character in text.trim().chars() {
            if character.is_ascii_digit() {
                digits.push(character);
                continue;
            }
            let unit = match character {
                'd' => 24 * 60,
                'h' => 60,
                'm' => 1,
                _ => return Err(invalid()),
            };
            let amount: u32 = digits.parse().map_err(|_| invalid())?;
            total = amount
                .checked_mul(unit)
                .and_then(|minutes| total.checked_add(minutes))
                .ok_or_else(invalid)?;
            digits.clear();
        }
        if !digits.is_empty() || text.trim().is_empty() {
            return Err(invalid());
        }
        Ok(Minutes(total))
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAY: u32 = 24 * 60;
        if self.0 > 0 && self.0.is_multiple_of(DAY) {
            return write!(formatter, "{}d", self.0 / DAY);
        }
        let (hours, minutes) = (self.0 / 60, self.0 % 60);
        match (hours, minutes) {
            (0, minutes) => write!(formatter, "{minutes}m"),
            (hours, 0) => write!(formatter, "{hours}h"),
            (hours, minutes) => write!(formatter, "{hours}h{minutes}m"),
        }
    }
}

/// A time of day, `"08:00"`; `"24:00"` is allowed as a closing time and means midnight at the
/// end of the day (the DDEV policy's "24x5" is Monday to Friday 00:00-24:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    minutes_after_midnight: u16,
}

impl ClockTime {
    pub const MIDNIGHT: ClockTime = ClockTime {
        minutes_after_midnight: 0,
    };

    pub const END_OF_DAY: ClockTime = ClockTime {
        minutes_after_midnight: 24 * 60,
    };

    pub fn hour(self) -> u32 {
        u32::from(self.minutes_after_midnight / 60)
    }

    pub fn minute(self) -> u32 {
        u32::from(self.minutes_after_midnight % 60)
    }

    pub fn minutes_after_midnight(self) -> u32 {
        u32::from(self.minutes_after_midnight)
    }
}

impl FromStr for ClockTime {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            format!("invalid time {text:?}: write it as \"HH:MM\" between \"00:00\" and \"24:00\"")
        };
        let (hours, minutes) = text.split_once(':').ok_or_else(invalid)?;
        let hours: u16 = hours.parse().map_err(|_| invalid())?;
        let minutes: u16 = minutes.parse().map_err(|_| invalid())?;
        let total = hours * 60 + minutes;
        if minutes >= 60 || total > 24 * 60 {
            return Err(invalid());
        }
        Ok(ClockTime {
            minutes_after_midnight: total,
        })
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:02}:{:02}", self.hour(), self.minute())
    }
}

/// Serialises through `Display` and deserialises through `FromStr`, so the error message names
/// the bad text and shows how to write it.
macro_rules! text_serde {
    ($($kind:ty),*) => {$(
        impl Serialize for $kind {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $kind {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(de::Error::custom)
            }
        }
    )*};
}

text_serde!(Minutes, ClockTime);

/// A day of the week as written in the policy: `mon` ... `sun`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    pub fn from_chrono(weekday: chrono::Weekday) -> Day {
        Day::ALL[weekday.num_days_from_monday() as usize]
    }

    /// English short name for display, e.g. "Mon".
    pub fn short_name(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self as usize]
    }
}

/// A holiday date. TOML files write it bare (`date = 2026-12-25`); JSON carries it as a string.
pub(crate) mod calendar_date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&date.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }

    struct DateVisitor;

    impl<'de> de::Visitor<'de> for DateVisitor {
        type Value = NaiveDate;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a date like 2026-12-25")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| E::custom(format!("invalid date {text:?}: write it like 2026-12-25")))
        }

        /// The toml crate hands its native date values over as a one-entry map whose value is
        /// the date's text.
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
            match map.next_entry::<String, String>()? {
                Some((_, text)) => self.visit_str(&text),
                None => Err(de::Error::custom("expected a date like 2026-12-25")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_every_unit_and_print_canonically() {
        let cases = [
            ("90m", 90, "1h30m"),
            ("2h", 120, "2h"),
            ("1h30m", 90, "1h30m"),
            ("7d", 10_080, "7d"),
            ("48h", 2_880, "2d"),
        ];
        for (text, minutes, printed) in cases {
            let parsed: Minutes = text.parse().unwrap();
            assert_eq!(parsed, Minutes(minutes), "{text}");
            assert_eq!(parsed.to_string(), printed, "{text}");
        }
    }

    #[test]
    fn durations_read_in_hours_and_minutes_for_people() {
        assert_eq!(Minutes(45).hours_text(), "45 min");
        assert_eq!(Minutes(60).hours_text(), "1 h");
        assert_eq!(Minutes(90).hours_text(), "1 h 30 min");
        assert_eq!(Minutes(24 * 60).hours_text(), "24 h");
        assert_eq!(Minutes(24 * 60).wall_clock_text(), "1 day");
        assert_eq!(Minutes(10 * 24 * 60).wall_clock_text(), "10 days");
        assert_eq!(Minutes(36 * 60).wall_clock_text(), "36 h");
        assert_eq!(Minutes(0).wall_clock_text(), "0 min");
    }

    #[test]
    fn durations_without_unit_or_with_unknown_unit_are_refused() {
        for text in ["", "2", "2 hours", "h", "3w"] {
            assert!(text.parse::<Minutes>().is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn clock_times_allow_end_of_day_but_nothing_later() {
        assert_eq!("24:00".parse::<ClockTime>().unwrap(), ClockTime::END_OF_DAY);
        assert_eq!("08:30".parse::<ClockTime>().unwrap().to_string(), "08:30");
        for text in ["24:01", "8", "08:60", "aa:00"] {
            assert!(text.parse::<ClockTime>().is_err(), "{text:?} was accepted");
        }
    }
}
