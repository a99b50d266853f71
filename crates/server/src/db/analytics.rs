//! Search analytics: recorded searches (`analytics_searches`), the articles suggestions showed
//! (`analytics_impressions`), what visits did next (`analytics_events`), the aggregates of the
//! vendor's report, and the retention purge. Periods are `[start, end)` in Unix seconds.

use sqlx::{FromRow, SqliteConnection, SqliteExecutor};

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
    db: impl SqliteExecutor<'_>,
    search: &NewSearch<'_>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO analytics_searches
             (search_id, visit, surface, query, product, category, hits, strong_hits, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    .bind(search.hits)
    .bind(search.strong_hits)
    .bind(search.at)
    .fetch_one(db)
    .await
}

/// The articles an answer showed, best first, instead of those recorded before.
pub async fn replace_impressions(
    db: &mut SqliteConnection,
    search: i64,
    articles: &[String],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM analytics_impressions WHERE search = ?")
        .bind(search)
        .execute(&mut *db)
        .await?;
    for (position, article) in articles.iter().enumerate() {
        sqlx::query(
            "INSERT INTO analytics_impressions (search, position, article) VALUES (?, ?, ?)",
        )
        .bind(search)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(article)
        .execute(&mut *db)
        .await?;
    }
    Ok(())
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

pub async fn insert_event(db: impl SqliteExecutor<'_>, event: &NewEvent<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO analytics_events (visit, kind, search_id, article, position, at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(event.visit)
    .bind(event.kind)
    .bind(event.search_id)
    .bind(event.article)
    .bind(event.position)
    .bind(event.at)
    .execute(db)
    .await?;
    Ok(())
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
    db: impl SqliteExecutor<'_>,
    start: i64,
    end: i64,
    limit: u32,
) -> sqlx::Result<Vec<QueryCounts>> {
    sqlx::query_as(
        "SELECT s.query,
                COUNT(*) AS searches,
                SUM(s.strong_hits > 0) AS with_strong_hit,
                SUM(EXISTS (SELECT 1 FROM analytics_events e
                            WHERE e.kind = 'click' AND e.search_id = s.search_id)) AS clicked
         FROM analytics_searches s
         WHERE s.surface = 'search' AND s.at >= ? AND s.at < ?
         GROUP BY s.query
         ORDER BY searches DESC, s.query
         LIMIT ?",
    )
    .bind(start)
    .bind(end)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A query that found no strong match, and on which surface.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct GapCounts {
    pub query: String,
    pub surface: String,
    pub searches: i64,
}

/// Queries of either surface without a strong hit, most frequent first.
pub async fn content_gaps(
    db: impl SqliteExecutor<'_>,
    start: i64,
    end: i64,
    limit: u32,
) -> sqlx::Result<Vec<GapCounts>> {
    sqlx::query_as(
        "SELECT query, surface, COUNT(*) AS searches
         FROM analytics_searches
         WHERE strong_hits = 0 AND at >= ? AND at < ?
         GROUP BY query, surface
         ORDER BY searches DESC, query, surface
         LIMIT ?",
    )
    .bind(start)
    .bind(end)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Answers of one surface and how many of them got a click.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SurfaceCounts {
    pub surface: String,
    pub searches: i64,
    pub clicked: i64,
}

pub async fn click_through(
    db: impl SqliteExecutor<'_>,
    start: i64,
    end: i64,
) -> sqlx::Result<Vec<SurfaceCounts>> {
    sqlx::query_as(
        "SELECT s.surface,
                COUNT(*) AS searches,
                SUM(EXISTS (SELECT 1 FROM analytics_events e
                            WHERE e.kind = 'click' AND e.search_id = s.search_id)) AS clicked
         FROM analytics_searches s
         WHERE s.at >= ? AND s.at < ?
         GROUP BY s.surface",
    )
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await
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
    db: impl SqliteExecutor<'_>,
    start: i64,
    end: i64,
) -> sqlx::Result<FunnelCounts> {
    sqlx::query_as(
        "WITH searched AS (
             SELECT visit, MIN(at) AS first_at FROM analytics_searches
             WHERE at >= ?1 AND at < ?2 GROUP BY visit
         ),
         opened AS (
             SELECT DISTINCT s.visit FROM searched s
             JOIN analytics_events e ON e.visit = s.visit
             WHERE e.kind IN ('click', 'view', 'helpful', 'not_helpful', 'solved')
               AND e.at >= s.first_at AND e.at < ?2
         ),
         self_served AS (
             SELECT DISTINCT s.visit FROM searched s
             JOIN analytics_events e ON e.visit = s.visit
             WHERE e.kind IN ('helpful', 'solved') AND e.at >= s.first_at AND e.at < ?2
         ),
         filed AS (
             SELECT DISTINCT e.visit FROM analytics_events e
             WHERE e.kind = 'ticket_filed' AND e.visit IS NOT NULL AND e.at >= ?1 AND e.at < ?2
               AND EXISTS (SELECT 1 FROM analytics_searches s
                           WHERE s.visit = e.visit AND s.at >= ?1
                             AND s.at <= e.at AND s.at >= e.at - ?3)
         )
         SELECT (SELECT COUNT(*) FROM searched) AS searched,
                (SELECT COUNT(*) FROM opened) AS opened_article,
                (SELECT COUNT(*) FROM self_served) AS self_served,
                (SELECT COUNT(*) FROM filed) AS filed_ticket",
    )
    .bind(start)
    .bind(end)
    .bind(TICKET_AFTER_SEARCH_SECONDS)
    .fetch_one(db)
    .await
}

/// Visits that used the help centre: searched, or opened, clicked, voted on or were helped by
/// an article (filing a ticket alone does not count).
pub async fn help_centre_visits(
    db: impl SqliteExecutor<'_>,
    start: i64,
    end: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (
             SELECT visit FROM analytics_searches WHERE at >= ?1 AND at < ?2
             UNION
             SELECT visit FROM analytics_events
             WHERE visit IS NOT NULL AND kind != 'ticket_filed' AND at >= ?1 AND at < ?2
         )",
    )
    .bind(start)
    .bind(end)
    .fetch_one(db)
    .await
}

/// Tickets filed in the period, however they were filed: the denominator of the self-service
/// score. Only a count leaves the tickets table.
pub async fn tickets_filed(db: impl SqliteExecutor<'_>, start: i64, end: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE created_at >= ? AND created_at < ?")
        .bind(start)
        .bind(end)
        .fetch_one(db)
        .await
}

/// Deletes up to `batch` searches (with their impressions) recorded before `cutoff`; returns
/// how many.
pub async fn purge_searches(
    db: impl SqliteExecutor<'_>,
    cutoff: i64,
    batch: u32,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "DELETE FROM analytics_searches
         WHERE id IN (SELECT id FROM analytics_searches WHERE at < ? LIMIT ?)",
    )
    .bind(cutoff)
    .bind(batch)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes up to `batch` events recorded before `cutoff`; returns how many.
pub async fn purge_events(
    db: impl SqliteExecutor<'_>,
    cutoff: i64,
    batch: u32,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "DELETE FROM analytics_events
         WHERE id IN (SELECT id FROM analytics_events WHERE at < ? LIMIT ?)",
    )
    .bind(cutoff)
    .bind(batch)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
