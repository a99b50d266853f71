//! Recorded searches and events are kept for `LANTERN_ANALYTICS_RETENTION_DAYS` (90 by
//! default), then deleted by an hourly job. Deletion runs in small transactions so it never
//! holds SQLite's one writer for long.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::db;
use crate::error::AppResult;

/// How often the purge runs (and once at start).
const INTERVAL: Duration = Duration::from_secs(60 * 60);
/// Rows deleted per write transaction.
const ROWS_PER_TRANSACTION: u32 = 5_000;
const SECONDS_PER_DAY: i64 = 24 * 60 * 60;

/// The first instant (Unix seconds) still kept at `now`.
pub fn cutoff(now: DateTime<Utc>, retention_days: u32) -> i64 {
    db::seconds(now).saturating_sub(i64::from(retention_days).saturating_mul(SECONDS_PER_DAY))
}

/// Deletes every search and event recorded before the retention period; returns how many rows.
pub async fn purge(
    db: &db::Db,
    writes: &db::WriteGate,
    retention_days: u32,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let cutoff = cutoff(now, retention_days);
    let mut deleted = 0;
    loop {
        let mut tx = writes.begin(db).await?;
        let searches = db::analytics::purge_searches(&mut tx, cutoff, ROWS_PER_TRANSACTION).await?;
        let events = db::analytics::purge_events(&mut tx, cutoff, ROWS_PER_TRANSACTION).await?;
        tx.commit().await?;
        deleted += searches + events;
        if searches < u64::from(ROWS_PER_TRANSACTION) && events < u64::from(ROWS_PER_TRANSACTION) {
            return Ok(deleted);
        }
    }
}

/// Runs [`purge`] every hour for as long as the server runs.
pub fn spawn_purge(
    db: db::Db,
    writes: db::WriteGate,
    clock: Arc<dyn Clock>,
    retention_days: u32,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        loop {
            ticks.tick().await;
            match purge(&db, &writes, retention_days, clock.now()).await {
                Ok(0) => {}
                Ok(rows) => tracing::info!(rows, "search analytics: purged rows past retention"),
                Err(error) => {
                    tracing::error!(error = %error, "search analytics: cannot purge old rows");
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_is_retention_days_back_and_never_overflows() {
        let now = DateTime::from_timestamp(1_000_000_000, 0).expect("an instant");
        assert_eq!(cutoff(now, 90), 1_000_000_000 - 90 * 86_400);
        assert!(cutoff(now, u32::MAX) < 0);
    }
}
