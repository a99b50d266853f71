//! Calendar dates as people read them ("27 February 2026"), the same in the app and on the
//! pages the server renders. English, like every other text of the portal.

use chrono::{Datelike, NaiveDate};

use crate::policy::Day;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "27 February 2026".
pub fn date_in_words(date: NaiveDate) -> String {
    let month = MONTHS[date.month0() as usize];
    format!("{} {month} {}", date.day(), date.year())
}

/// "Fri 25 December 2026".
pub fn day_and_date_in_words(date: NaiveDate) -> String {
    let day = Day::from_chrono(date.weekday()).short_name();
    format!("{day} {}", date_in_words(date))
}

/// An ISO date (`2026-02-27`, as articles carry it) in words; text that is no such date is
/// shown as it is rather than hidden.
pub fn iso_date_in_words(iso_date: &str) -> String {
    iso_date
        .parse::<NaiveDate>()
        .map_or_else(|_| iso_date.to_owned(), date_in_words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
    }

    #[test]
    fn a_date_reads_day_month_name_and_year_without_leading_zeros() {
        assert_eq!(date_in_words(date(2026, 2, 27)), "27 February 2026");
        assert_eq!(date_in_words(date(2026, 1, 1)), "1 January 2026");
        assert_eq!(date_in_words(date(2027, 12, 31)), "31 December 2027");
    }

    #[test]
    fn the_week_day_comes_first_when_asked_for() {
        assert_eq!(
            day_and_date_in_words(date(2026, 12, 25)),
            "Fri 25 December 2026"
        );
        assert_eq!(
            day_and_date_in_words(date(2026, 12, 26)),
            "Sat 26 December 2026"
        );
    }

    #[test]
    fn an_article_s_iso_date_reads_in_words_and_anything_else_stays_as_written() {
        assert_eq!(iso_date_in_words("2026-02-27"), "27 February 2026");
        assert_eq!(iso_date_in_words("2026-09-03"), "3 September 2026");
        assert_eq!(iso_date_in_words("soon"), "soon");
        assert_eq!(iso_date_in_words("2026-02-30"), "2026-02-30");
    }
}
