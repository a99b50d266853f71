//! Events counted by the sliding-window limits (sign-in attempts, registrations), kept in the
//! database so a restart does not lift a limit.

use sqlx::{QueryBuilder, Sqlite, SqliteExecutor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Sign-in attempts, keyed by the normalised e-mail address tried.
    Account,
    /// Sign-in attempts, keyed by the client's IP address.
    Address,
    /// Sign-in attempts, keyed by client address and e-mail address ([`pair_subject`]).
    Pair,
    /// Registrations, keyed by the client's IP address.
    RegistrationAddress,
    /// Registrations, keyed by the normalised e-mail address registered.
    RegistrationMailbox,
}

impl Scope {
    fn as_db(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Address => "address",
            Self::Pair => "pair",
            Self::RegistrationAddress => "registration_address",
            Self::RegistrationMailbox => "registration_mailbox",
        }
    }
}

/// The subject of [`Scope::Pair`]; an IP address has no space, so the two cannot run together.
pub fn pair_subject(address: &str, account: &str) -> String {
    format!("{address} {account}")
}

/// The instant of the `nth` most recent event after `since` (1 = the newest).
pub async fn nth_newest(
    db: impl SqliteExecutor<'_>,
    scope: Scope,
    subject: &str,
    since: i64,
    nth: u32,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT happened_at FROM throttle_events
         WHERE scope = ? AND subject = ? AND happened_at > ?
         ORDER BY happened_at DESC LIMIT 1 OFFSET ?",
    )
    .bind(scope.as_db())
    .bind(subject)
    .bind(since)
    .bind(i64::from(nth.saturating_sub(1)))
    .fetch_optional(db)
    .await
}

/// How many events after `since`, and the newest of them.
pub async fn count_since(
    db: impl SqliteExecutor<'_>,
    scope: Scope,
    subject: &str,
    since: i64,
) -> sqlx::Result<(u32, Option<i64>)> {
    sqlx::query_as(
        "SELECT COUNT(*), MAX(happened_at) FROM throttle_events
         WHERE scope = ? AND subject = ? AND happened_at > ?",
    )
    .bind(scope.as_db())
    .bind(subject)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Records an event; returns its id (for [`delete`]).
pub async fn record(
    db: impl SqliteExecutor<'_>,
    scope: Scope,
    subject: &str,
    now: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO throttle_events (scope, subject, happened_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(scope.as_db())
    .bind(subject)
    .bind(now)
    .fetch_one(db)
    .await
}

/// Removes events by id (a sign-in attempt that succeeded).
pub async fn delete(db: impl SqliteExecutor<'_>, ids: &[i64]) -> sqlx::Result<()> {
    let mut query = QueryBuilder::<Sqlite>::new("DELETE FROM throttle_events WHERE id IN (");
    let mut separated = query.separated(", ");
    for id in ids {
        separated.push_bind(*id);
    }
    separated.push_unseparated(")");
    query.build().execute(db).await?;
    Ok(())
}

/// Forgets a subject's events (an account whose password was reset).
pub async fn clear(db: impl SqliteExecutor<'_>, scope: Scope, subject: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM throttle_events WHERE scope = ? AND subject = ?")
        .bind(scope.as_db())
        .bind(subject)
        .execute(db)
        .await?;
    Ok(())
}

/// Drops a scope's events that no window can reach any more.
pub async fn prune(db: impl SqliteExecutor<'_>, scope: Scope, before: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM throttle_events WHERE scope = ? AND happened_at < ?")
        .bind(scope.as_db())
        .bind(before)
        .execute(db)
        .await?;
    Ok(())
}
