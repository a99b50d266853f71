//! Mail waiting for delivery. Tests read it to find the links that were sent.

use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Mail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub attempts: i64,
}

/// Gives up on a message after this many failed deliveries.
pub const MAX_ATTEMPTS: i64 = 10;

/// Queues a message; `db` may be the pool or an open transaction, so mail about a change is
/// stored together with the change.
pub async fn enqueue(
    db: impl sqlx::SqliteExecutor<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO outbox (recipient, subject, body, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now)
    .fetch_one(db)
    .await
}

const MAIL_COLUMNS: &str = "id, recipient, subject, body, created_at, sent_at, attempts";

/// Unsent mail that has attempts left, oldest first.
pub async fn pending(db: &SqlitePool, limit: i64) -> sqlx::Result<Vec<Mail>> {
    sqlx::query_as(&format!(
        "SELECT {MAIL_COLUMNS} FROM outbox WHERE sent_at IS NULL AND attempts < ? ORDER BY id LIMIT ?"
    ))
    .bind(MAX_ATTEMPTS)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Every message to one recipient, oldest first.
pub async fn to_recipient(db: &SqlitePool, recipient: &str) -> sqlx::Result<Vec<Mail>> {
    sqlx::query_as(&format!(
        "SELECT {MAIL_COLUMNS} FROM outbox WHERE recipient = ? ORDER BY id"
    ))
    .bind(recipient)
    .fetch_all(db)
    .await
}

pub async fn mark_sent(db: &SqlitePool, id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn mark_failed(db: &SqlitePool, id: i64, error: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?")
        .bind(error)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
