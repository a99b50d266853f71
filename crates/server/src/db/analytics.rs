//! Search analytics: recorded searches (`analytics_searches`), the articles suggestions showed
//! (`analytics_impressions`), what visits did next (`analytics_events`), the aggregates of the
//! vendor's report, and the retention purge. Periods are `[start, end)` in Unix seconds.
//! One SQL text serves both backends: conditions are counted with `COUNT(CASE WHEN ... THEN 1
//! END)`, as PostgreSQL adds no booleans, and its `COUNT` is a BIGINT as SQLite's is an
//! INTEGER, both an i64.

use sqlx::FromRow;

use super::{Executor, on_either};

/// A search answer as recorded.
pub struct NewSearch<'a> {
    pub search_id: &'a str,
    pub visit: &'a str,
    /// `search` or `suggestions`.
    pub surface: &'a str,
    pub query: &'a str,
    pub product: Option<&'a str>,
    pub category: Option<&'a str>,
    pub hits: u32,
    pub strong_hits: u32,
    pub at: i64,
}

/// Inserts the search, or replaces the answer recorded under the same `search_id` (a query
/// typed further); returns its row id.
pub async fn upsert_search(
    db: impl Into<Executor<'_>>,
    search: &NewSearch<'_>,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "INSERT INTO analytics_searches
                 (search_id, visit, surface, query, product, category, hits, strong_hits, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (search_id) DO UPDATE SET
                 query = excluded.query, product = excluded.product, category = excluded.category,
                 hits = excluded.hits, strong_hits = excluded.strong_hits, at = excluded.at
             RETURNING id",
        )
        .bind(search.search_id)
        .bind(search.visit)
        .bind(search.surface)
        .bind(search.query)
        .bind(search.product)
        .bind(search.category)
        .bind(i64::from(search.hits))
        .bind(i64::from(search.strong_hits))
        .bind(search.at)
        .fetch_one(executor)
        .await
    })
}

/// The articles an answer showed, best first, instead of those recorded before.
pub async fn replace_impressions(
    db: impl Into<Executor<'_>>,
    search: i64,
    articles: &[String],
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM analytics_impressions WHERE search = $1")
            .bind(search)
            .execute(executor.reborrow())
            .await?;
        for (position, article) in articles.iter().enumerate() {
            sqlx::query(
                "INSERT INTO analytics_impressions (search, position, article) VALUES ($1, $2, $3)",
            )
            .bind(search)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(article)
            .execute(executor.reborrow())
            .await?;
        }
        Ok(())
    })
}

/// A step of a visit besides searching.
pub struct NewEvent<'a> {
    pub visit: Option<&'a str>,
    /// `click`, `view`, `helpful`, `not_helpful`, `solved` or `ticket_filed`.
    pub kind: &'a str,
    pub search_id: Option<&'a str>,
    pub article: Option<&'a str>,
    pub position: Option<u32>,
    pub at: i64,
}

pub async fn insert_event(db: impl Into<Executor<'_>>, event: &NewEvent<'_>) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO analytics_events (visit, kind, search_id, article, position, at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event.visit)
        .bind(event.kind)
        .bind(event.search_id)
        .bind(event.article)
        .bind(event.position.map(i64::from))
        .bind(event.at)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// One query of the top-searches table.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct QueryCounts {
    pub query: String,
    pub searches: i64,
    /// Searches with at least one strong hit.
    pub with_strong_hit: i64,
    /// Searches with at least one click.
    pub clicked: i64,
}

/// The most frequent full-text queries of the period, most searched first.
pub async fn top_searches(
    db: impl Into<Executor<'_>>,
    start: i64,
    end: i64,
    limit: u32,
) -> sqlx::Result<Vec<QueryCounts>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT s.query,
                    COUNT(*) AS searches,
                    COUNT(CASE WHEN s.strong_hits > 0 THEN 1 END) AS with_strong_hit,
                    COUNT(CASE WHEN {CLICKED} THEN 1 END) AS clicked
             FROM analytics_searches s
             WHERE s.surface = 'search' AND s.at >= $1 AND s.at < $2
             GROUP BY s.query
             ORDER BY searches DESC, s.query
             LIMIT $3"
        ))
        .bind(start)
        .bind(end)
        .bind(i64::from(limit))
        .fetch_all(executor)
        .await
    })
}

/// The answer `s` (an `analytics_searches` row) got a click.
const CLICKED: &str = "EXISTS (SELECT 1 FROM analytics_events e
                               WHERE e.kind = 'click' AND e.search_id = s.search_id)";

/// A query that found no strong match, and on which surface.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct GapCounts {
    pub query: String,
    pub surface: String,
    pub searches: i64,
}

/// Queries of either surface without a strong hit, most frequent first.
pub async fn content_gaps(
    db: impl Into<Executor<'_>>,
    start: i64,
    end: i64,
    limit: u32,
) -> sqlx::Result<Vec<GapCounts>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT query, surface, COUNT(*) AS searches
             FROM analytics_searches
             WHERE strong_hits = 0 AND at >= $1 AND at < $2
             GROUP BY query, surface
             ORDER BY searches DESC, query, surface
             LIMIT $3",
        )
        .bind(start)
        .bind(end)
        .bind(i64::from(limit))
        .fetch_all(executor)
        .await
    })
}

/// Answers of one surface and how many of them got a click.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SurfaceCounts {
    pub surface: String,
    pub searches: i64,
    pub clicked: i64,
}

pub async fn click_through(
    db: impl Into<Executor<'_>>,
    start: i64,
    end: i64,
) -> sqlx::Result<Vec<SurfaceCounts>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT s.surface,
                    COUNT(*) AS searches,
                    COUNT(CASE WHEN {CLICKED} THEN 1 END) AS clicked
             FROM analytics_searches s
             WHERE s.at >= $1 AND s.at < $2
             GROUP BY s.surface"
        ))
        .bind(start)
        .bind(end)
        .fetch_all(executor)
        .await
    })
}

/// Visits at each step of the self-service funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, FromRow)]
pub struct FunnelCounts {
    /// Visits with a search (either surface) in the period.
    pub searched: i64,
    /// ... that then opened an article (a click or a view; a vote or "solved" implies one).
    pub opened_article: i64,
    /// ... that then voted an article helpful or said it solved their problem.
    pub self_served: i64,
    /// Visits that filed a ticket within the hour after one of their searches.
    pub filed_ticket: i64,
}

/// Seconds after a search within which a ticket counts as filed "after searching".
pub const TICKET_AFTER_SEARCH_SECONDS: i64 = 60 * 60;

pub async fn funnel(
    db: impl Into<Executor<'_>>,
    start: i64,
    end: i64,
) -> sqlx::Result<FunnelCounts> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "WITH searched AS (
                 SELECT visit, MIN(at) AS first_at FROM analytics_searches
                 WHERE at >= $1 AND at < $2 GROUP BY visit
             ),
             opened AS (
                 SELECT DISTINCT s.visit FROM searched s
                 JOIN analytics_events e ON e.visit = s.visit
                 WHERE e.kind IN ('click', 'view', 'helpful', 'not_helpful', 'solved')
                   AND e.at >= s.first_at AND e.at < $2
             ),
             self_served AS (
                 SELECT DISTINCT s.visit FROM searched s
                 JOIN analytics_events e ON e.visit = s.visit
                 WHERE e.kind IN ('helpful', 'solved') AND e.at >= s.first_at AND e.at < $2
             ),
             filed AS (
                 SELECT DISTINCT e.visit FROM analytics_events e
                 WHERE e.kind = 'ticket_filed' AND e.visit IS NOT NULL AND e.at >= $1 AND e.at < $2
                   AND EXISTS (SELECT 1 FROM analytics_searches s
                               WHERE s.visit = e.visit AND s.at >= $1
                                 AND s.at <= e.at AND s.at >= e.at - $3)
             )
             SELECT (SELECT COUNT(*) FROM searched) AS searched,
                    (SELECT COUNT(*) FROM opened) AS opened_article,
                    (SELECT COUNT(*) FROM self_served) AS self_served,
                    (SELECT COUNT(*) FROM filed) AS filed_ticket",
        )
        .bind(start)
        .bind(end)
        .bind(TICKET_AFTER_SEARCH_SECONDS)
        .fetch_one(executor)
        .await
    })
}

/// Visits that used the help centre: searched, or opened, clicked, voted on or were helped by
/// an article (filing a ticket alone does not count).
pub async fn help_centre_visits(
    db: impl Into<Executor<'_>>,
    start: i64,
    end: i64,
) -> sqlx::Result<i64> {
    // PostgreSQL (before 16) wants a name for a subquery in FROM.
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM (
                 SELECT visit FROM analytics_searches WHERE at >= $1 AND at < $2
                 UNION
                 SELECT visit FROM analytics_events
                 WHERE visit IS NOT NULL AND kind != 'ticket_filed' AND at >= $1 AND at < $2
             ) AS visits",
        )
        .bind(start)
        .bind(end)
        .fetch_one(executor)
        .await
    })
}

/// Tickets filed in the period, however they were filed: the denominator of the self-service
/// score. Only a count leaves the tickets table.
pub async fn tickets_filed(db: impl Into<Executor<'_>>, start: i64, end: i64) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM tickets WHERE created_at >= $1 AND created_at < $2",
        )
        .bind(start)
        .bind(end)
        .fetch_one(executor)
        .await
    })
}

/// Deletes up to `batch` searches (with their impressions) recorded before `cutoff`; returns
/// how many.
pub async fn purge_searches(
    db: impl Into<Executor<'_>>,
    cutoff: i64,
    batch: u32,
) -> sqlx::Result<u64> {
    on_either!(db, |executor| {
        sqlx::query(
            "DELETE FROM analytics_searches
             WHERE id IN (SELECT id FROM analytics_searches WHERE at < $1 LIMIT $2)",
        )
        .bind(cutoff)
        .bind(i64::from(batch))
        .execute(executor)
        .await
        .map(|done| done.rows_affected())
    })
}

/// Deletes up to `batch` events recorded before `cutoff`; returns how many.
pub async fn purge_events(
    db: impl Into<Executor<'_>>,
    cutoff: i64,
    batch: u32,
) -> sqlx::Result<u64> {
    on_either!(db, |executor| {
        sqlx::query(
            "DELETE FROM analytics_events
             WHERE id IN (SELECT id FROM analytics_events WHERE at < $1 LIMIT $2)",
        )
        .bind(cutoff)
        .bind(i64::from(batch))
        .execute(executor)
        .await
        .map(|done| done.rows_affected())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::test_support::{TestDatabases, test_person, test_ticket};

    /// Records an answer of `surface` to `query` with `strong_hits` of 3 hits; its row id.
    async fn answer(
        db: &Db,
        search_id: &str,
        visit: &str,
        surface: &str,
        query: &str,
        strong_hits: u32,
        at: i64,
    ) -> i64 {
        let search = NewSearch {
            search_id,
            visit,
            surface,
            query,
            product: None,
            category: None,
            hits: 3,
            strong_hits,
            at,
        };
        upsert_search(db, &search).await.unwrap()
    }

    async fn event(db: &Db, visit: Option<&str>, kind: &str, search_id: Option<&str>, at: i64) {
        let event = NewEvent {
            visit,
            kind,
            search_id,
            article: (kind != "ticket_filed").then_some("an-article"),
            position: (kind == "click").then_some(0),
            at,
        };
        insert_event(db, &event).await.unwrap();
    }

    async fn impressions(db: &Db) -> Vec<(i64, i64, String)> {
        on_either!(db, |executor| {
            sqlx::query_as(
                "SELECT search, position, article FROM analytics_impressions
                 ORDER BY search, position",
            )
            .fetch_all(executor)
            .await
            .unwrap()
        })
    }

    #[tokio::test]
    async fn a_later_answer_replaces_the_one_recorded_under_its_id_with_its_impressions() {
        TestDatabases::each(async |db| {
            let first = answer(db, "s1", "v1", "suggestions", "print", 0, 10).await;
            let shown = ["a", "b"].map(str::to_owned);
            replace_impressions(db, first, &shown).await.unwrap();
            let again = answer(db, "s1", "v1", "suggestions", "printer", 2, 11).await;
            assert_eq!(again, first);
            replace_impressions(db, again, &["c".to_owned()])
                .await
                .unwrap();
            assert_eq!(impressions(db).await, [(first, 0, "c".to_owned())]);
            let gaps = content_gaps(db, 0, 100, 10).await.unwrap();
            assert!(gaps.is_empty(), "the answer has strong hits now: {gaps:?}");
        })
        .await;
    }

    #[tokio::test]
    async fn the_report_counts_strong_hits_clicks_and_gaps_of_the_period() {
        TestDatabases::each(async |db| {
            answer(db, "s1", "v1", "search", "backup", 1, 10).await;
            answer(db, "s2", "v2", "search", "backup", 0, 20).await;
            answer(db, "s3", "v3", "search", "backup", 2, 30).await;
            answer(db, "s4", "v4", "search", "vpn", 0, 40).await;
            answer(db, "s5", "v5", "suggestions", "printer", 0, 50).await;
            answer(db, "s6", "v6", "search", "before the period", 0, 5).await;
            event(db, Some("v2"), "click", Some("s2"), 21).await;
            event(db, Some("v2"), "click", Some("s2"), 22).await;
            event(db, None, "click", Some("s5"), 51).await;

            let top = top_searches(db, 10, 100, 10).await.unwrap();
            let counts = |query: &str, searches, with_strong_hit, clicked| QueryCounts {
                query: query.to_owned(),
                searches,
                with_strong_hit,
                clicked,
            };
            assert_eq!(top, [counts("backup", 3, 2, 1), counts("vpn", 1, 0, 0)]);
            assert_eq!(top_searches(db, 10, 100, 1).await.unwrap().len(), 1);

            let gap = |query: &str, surface: &str| GapCounts {
                query: query.to_owned(),
                surface: surface.to_owned(),
                searches: 1,
            };
            assert_eq!(
                content_gaps(db, 10, 100, 10).await.unwrap(),
                [
                    gap("backup", "search"),
                    gap("printer", "suggestions"),
                    gap("vpn", "search")
                ]
            );

            let mut surfaces = click_through(db, 10, 100).await.unwrap();
            surfaces.sort_by(|a, b| a.surface.cmp(&b.surface));
            let surface = |surface: &str, searches, clicked| SurfaceCounts {
                surface: surface.to_owned(),
                searches,
                clicked,
            };
            assert_eq!(
                surfaces,
                [surface("search", 4, 1), surface("suggestions", 1, 1)]
            );
        })
        .await;
    }

    #[tokio::test]
    async fn the_funnel_follows_visits_from_searching_to_helping_themselves_or_filing() {
        TestDatabases::each(async |db| {
            // v1 searches, clicks and is helped; v2 searches, reads, and files a ticket within
            // the hour; v3 only reads; v4 only files; v5 files long after searching.
            answer(db, "s1", "v1", "search", "backup", 1, 100).await;
            event(db, Some("v1"), "click", Some("s1"), 110).await;
            event(db, Some("v1"), "helpful", None, 120).await;
            answer(db, "s2", "v2", "suggestions", "printer", 0, 100).await;
            event(db, Some("v2"), "view", None, 105).await;
            event(db, Some("v2"), "ticket_filed", None, 200).await;
            event(db, Some("v3"), "view", None, 100).await;
            event(db, Some("v4"), "ticket_filed", None, 100).await;
            answer(db, "s5", "v5", "search", "vpn", 0, 100).await;
            let late = 100 + TICKET_AFTER_SEARCH_SECONDS + 1;
            event(db, Some("v5"), "ticket_filed", None, late).await;

            let end = late + 1;
            assert_eq!(
                funnel(db, 0, end).await.unwrap(),
                FunnelCounts {
                    searched: 3,
                    opened_article: 2,
                    self_served: 1,
                    filed_ticket: 1,
                }
            );
            assert_eq!(funnel(db, 0, 100).await.unwrap(), FunnelCounts::default());
            assert_eq!(help_centre_visits(db, 0, end).await.unwrap(), 4);
            assert_eq!(help_centre_visits(db, 101, end).await.unwrap(), 2);

            let alice = test_person(db, "alice@example.com").await.unwrap();
            test_ticket(db, alice).await.unwrap();
            assert_eq!(tickets_filed(db, 0, 1).await.unwrap(), 1);
            assert_eq!(tickets_filed(db, 1, end).await.unwrap(), 0);
        })
        .await;
    }

    #[tokio::test]
    async fn the_purge_deletes_old_rows_a_batch_at_a_time_with_their_impressions() {
        TestDatabases::each(async |db| {
            for (id, at) in [("s1", 10), ("s2", 20), ("s3", 30)] {
                let row = answer(db, id, "v1", "suggestions", "printer", 0, at).await;
                replace_impressions(db, row, &["a".to_owned()])
                    .await
                    .unwrap();
                event(db, Some("v1"), "view", None, at).await;
            }
            assert_eq!(purge_searches(db, 25, 1).await.unwrap(), 1);
            assert_eq!(purge_searches(db, 25, 5).await.unwrap(), 1);
            assert_eq!(purge_searches(db, 25, 5).await.unwrap(), 0);
            assert_eq!(impressions(db).await.len(), 1, "the kept search's");
            assert_eq!(purge_events(db, 25, 5).await.unwrap(), 2);
            assert_eq!(help_centre_visits(db, 0, 100).await.unwrap(), 1);
        })
        .await;
    }
}
