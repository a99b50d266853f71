//! The vendor's report: top searches, content gaps, click-through, the self-service funnel and
//! score over a period of whole UTC days.

use chrono::{Days, NaiveDate};
use lantern_core::api::{
    ClickThrough, ContentGap, SearchAnalytics, SearchAnalyticsQuery, SearchSurface,
    SelfServiceFunnel, SelfServiceScore, TopSearch,
};

use crate::db;
use crate::error::{AppError, AppResult};

/// Days in the default period, today included.
pub const DEFAULT_DAYS: u64 = 30;
/// Rows per table in the JSON report unless asked otherwise.
pub const DEFAULT_JSON_ROWS: u32 = 20;
/// The most rows per table (and what a CSV download holds unless asked otherwise).
pub const MAX_ROWS: u32 = 10_000;

/// A period of whole UTC days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period asked for, the last [`DEFAULT_DAYS`] days up to `today` by default.
    pub fn of(query: &SearchAnalyticsQuery, today: NaiveDate) -> AppResult<Self> {
        let to = query.to.unwrap_or(today);
        let from = query.from.unwrap_or_else(|| {
            to.checked_sub_days(Days::new(DEFAULT_DAYS - 1))
                .unwrap_or(NaiveDate::MIN)
        });
        if from > to {
            return Err(AppError::field(
                "from",
                "The period must not end before it begins.",
            ));
        }
        Ok(Self { from, to })
    }

    /// The first second of the period, in Unix seconds.
    pub fn start(&self) -> i64 {
        midnight(self.from)
    }

    /// The first second after the period.
    pub fn end(&self) -> i64 {
        self.to.succ_opt().map_or(i64::MAX, midnight)
    }
}

fn midnight(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map_or(i64::MIN, |instant| instant.and_utc().timestamp())
}

/// The row limit asked for, within `1..=MAX_ROWS`.
pub fn row_limit(query: &SearchAnalyticsQuery, default: u32) -> u32 {
    query.limit.unwrap_or(default).clamp(1, MAX_ROWS)
}

/// The whole report, with at most `rows` rows per table.
pub async fn report(db: &db::Db, period: Period, rows: u32) -> AppResult<SearchAnalytics> {
    let surfaces = db::analytics::click_through(db, period.start(), period.end()).await?;
    let (mut searches, mut suggestion_answers) = (0, 0);
    let mut click_through = ClickThrough {
        searches: None,
        suggestions: None,
    };
    for surface in surfaces {
        let share = share(surface.clicked, surface.searches);
        match SearchSurface::parse(&surface.surface) {
            Some(SearchSurface::Search) => {
                searches = count(surface.searches);
                click_through.searches = share;
            }
            Some(SearchSurface::Suggestions) => {
                suggestion_answers = count(surface.searches);
                click_through.suggestions = share;
            }
            None => {}
        }
    }
    Ok(SearchAnalytics {
        from: period.from,
        to: period.to,
        searches,
        suggestion_answers,
        click_through,
        top_searches: top_searches(db, period, rows).await?,
        content_gaps: content_gaps(db, period, rows).await?,
        funnel: funnel(db, period).await?,
        self_service: self_service(db, period).await?,
    })
}

pub async fn top_searches(db: &db::Db, period: Period, rows: u32) -> AppResult<Vec<TopSearch>> {
    let counts = db::analytics::top_searches(db, period.start(), period.end(), rows).await?;
    Ok(counts
        .into_iter()
        .map(|row| TopSearch {
            strong_share: share(row.with_strong_hit, row.searches).unwrap_or(0.0),
            click_through: share(row.clicked, row.searches).unwrap_or(0.0),
            searches: count(row.searches),
            query: row.query,
        })
        .collect())
}

pub async fn content_gaps(db: &db::Db, period: Period, rows: u32) -> AppResult<Vec<ContentGap>> {
    let counts = db::analytics::content_gaps(db, period.start(), period.end(), rows).await?;
    Ok(counts
        .into_iter()
        .filter_map(|row| {
            Some(ContentGap {
                surface: SearchSurface::parse(&row.surface)?,
                searches: count(row.searches),
                query: row.query,
            })
        })
        .collect())
}

pub async fn funnel(db: &db::Db, period: Period) -> AppResult<SelfServiceFunnel> {
    let counts = db::analytics::funnel(db, period.start(), period.end()).await?;
    Ok(SelfServiceFunnel {
        searched: count(counts.searched),
        opened_article: count(counts.opened_article),
        self_served: count(counts.self_served),
        filed_ticket: count(counts.filed_ticket),
    })
}

/// Help-centre visits per ticket filed: how many visits the help centre serves for each ticket
/// support still gets. Higher is better.
pub async fn self_service(db: &db::Db, period: Period) -> AppResult<SelfServiceScore> {
    let visits = db::analytics::help_centre_visits(db, period.start(), period.end()).await?;
    let tickets = db::analytics::tickets_filed(db, period.start(), period.end()).await?;
    Ok(SelfServiceScore {
        help_centre_visits: count(visits),
        tickets_filed: count(tickets),
        visits_per_ticket: share(visits, tickets),
    })
}

/// `part / whole` rounded to three decimals; `None` when `whole` is zero.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| {
        // Counts stay far below 2^52, where f64 would start losing precision.
        let ratio = part as f64 / whole as f64;
        (ratio * 1000.0).round() / 1000.0
    })
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn query(from: Option<&str>, to: Option<&str>) -> SearchAnalyticsQuery {
        SearchAnalyticsQuery {
            from: from.map(day),
            to: to.map(day),
            limit: None,
        }
    }

    #[test]
    fn the_default_period_is_the_last_30_days() {
        let period = Period::of(&query(None, None), day("2025-03-03")).expect("a period");
        assert_eq!(
            (period.from, period.to),
            (day("2025-02-02"), day("2025-03-03"))
        );
        assert_eq!(period.end() - period.start(), 30 * 24 * 60 * 60);
    }

    #[test]
    fn a_period_covers_whole_days_and_must_not_run_backwards() {
        let period = Period::of(
            &query(Some("2025-03-01"), Some("2025-03-01")),
            day("2025-03-03"),
        )
        .expect("a period");
        assert_eq!(period.start(), 1_740_787_200);
        assert_eq!(period.end(), 1_740_787_200 + 86_400);
        assert!(
            Period::of(
                &query(Some("2025-03-02"), Some("2025-03-01")),
                day("2025-03-03")
            )
            .is_err()
        );
        let extreme = Period::of(
            &query(None, Some(&NaiveDate::MAX.to_string())),
            day("2025-03-03"),
        )
        .expect("a period");
        assert_eq!(extreme.end(), i64::MAX);
    }

    #[test]
    fn shares_are_rounded_and_undefined_without_a_whole() {
        assert_eq!(share(1, 3), Some(0.333));
        assert_eq!(share(2, 3), Some(0.667));
        assert_eq!(share(0, 0), None);
        assert_eq!(share(5, 1), Some(5.0));
    }

    #[test]
    fn row_limits_stay_in_range() {
        let mut asked = SearchAnalyticsQuery::default();
        assert_eq!(row_limit(&asked, DEFAULT_JSON_ROWS), DEFAULT_JSON_ROWS);
        asked.limit = Some(0);
        assert_eq!(row_limit(&asked, DEFAULT_JSON_ROWS), 1);
        asked.limit = Some(1_000_000);
        assert_eq!(row_limit(&asked, DEFAULT_JSON_ROWS), MAX_ROWS);
    }
}
