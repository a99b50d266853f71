//! The `idempotency_keys` table: which ticket a submission's `Idempotency-Key` filed.

use sqlx::{FromRow, SqliteExecutor};

/// A submission already made under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IdempotentSubmission {
    pub request_hash: String,
    pub ticket_id: Option<i64>,
}

pub async fn find(
    db: impl SqliteExecutor<'_>,
    user_id: i64,
    key: &str,
) -> sqlx::Result<Option<IdempotentSubmission>> {
    sqlx::query_as(
        "SELECT request_hash, ticket_id FROM idempotency_keys WHERE user_id = ? AND key = ?",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(db)
    .await
}

/// Records that `key` of `user_id` filed `ticket_id`; a unique violation when the key is taken.
pub async fn claim(
    db: impl SqliteExecutor<'_>,
    user_id: i64,
    key: &str,
    request_hash: &str,
    ticket_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_id, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(key)
    .bind(request_hash)
    .bind(ticket_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
