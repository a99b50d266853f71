//! Failed sign-ins, kept in the database so a lock-out survives a restart.

use sqlx::SqlitePool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Keyed by the normalised e-mail address tried.
    Account,
    /// Keyed by the client's IP address.
    Address,
}

impl Scope {
    fn as_db(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Address => "address",
        }
    }
}

/// The instant of the `nth` most recent failure after `since` (1 = the newest).
pub async fn nth_newest(
    db: &SqlitePool,
    scope: Scope,
    subject: &str,
    since: i64,
    nth: u32,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT failed_at FROM sign_in_failures
         WHERE scope = ? AND subject = ? AND failed_at > ?
         ORDER BY failed_at DESC LIMIT 1 OFFSET ?",
    )
    .bind(scope.as_db())
    .bind(subject)
    .bind(since)
    .bind(i64::from(nth.saturating_sub(1)))
    .fetch_optional(db)
    .await
}

pub async fn record(db: &SqlitePool, scope: Scope, subject: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sign_in_failures (scope, subject, failed_at) VALUES (?, ?, ?)")
        .bind(scope.as_db())
        .bind(subject)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets an account's failures after it signed in successfully.
pub async fn clear(db: &SqlitePool, scope: Scope, subject: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE scope = ? AND subject = ?")
        .bind(scope.as_db())
        .bind(subject)
        .execute(db)
        .await?;
    Ok(())
}

/// Drops failures that no window can reach any more.
pub async fn prune(db: &SqlitePool, before: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < ?")
        .bind(before)
        .execute(db)
        .await?;
    Ok(())
}
