//! Server-side sessions, keyed by the SHA-256 of the cookie token.

use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// Opens a session; `browser` is what its owner will read in her list of sessions.
pub async fn create(
    db: &SqlitePool,
    token_hash: &str,
    user_id: i64,
    browser: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, browser, created_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(browser)
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find(db: &SqlitePool, token_hash: &str) -> sqlx::Result<Option<Session>> {
    sqlx::query_as("SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .fetch_optional(db)
        .await
}

pub async fn touch(db: &SqlitePool, token_hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
        .bind(now)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &SqlitePool, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// The length of a session's public id: a prefix of its token's hash, which tells nothing of
/// the token and, within one person's sessions, is unique.
const PUBLIC_ID_LENGTH: i64 = 16;

/// A person's session as she may see it.
#[derive(Debug, Clone, FromRow)]
pub struct Listed {
    pub token_hash: String,
    pub public_id: String,
    pub browser: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// A person's sessions, the most recently used first.
pub async fn list_for_user(db: &SqlitePool, user_id: i64) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(
        "SELECT token_hash, substr(token_hash, 1, ?) AS public_id, browser, created_at, last_seen_at
         FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(PUBLIC_ID_LENGTH)
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Ends one of a person's sessions by its public id; false when she has no such session.
pub async fn delete_by_public_id(
    db: &SqlitePool,
    user_id: i64,
    public_id: &str,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "DELETE FROM sessions WHERE user_id = ? AND length(?) = ? AND substr(token_hash, 1, ?) = ?",
    )
    .bind(user_id)
    .bind(public_id)
    .bind(PUBLIC_ID_LENGTH)
    .bind(PUBLIC_ID_LENGTH)
    .bind(public_id)
    .execute(db)
    .await?;
    Ok(result.rows_affected() > 0)
}

/// Ends every session of a person but one (the one that changed her password).
pub async fn delete_others(db: &SqlitePool, user_id: i64, kept: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
        .bind(user_id)
        .bind(kept)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a person (after a password reset, or "sign out everywhere").
pub async fn delete_for_user(db: &SqlitePool, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Removes sessions idle since before `idle_before` or started before `started_before`.
pub async fn delete_expired(
    db: &SqlitePool,
    idle_before: i64,
    started_before: i64,
) -> sqlx::Result<u64> {
    let result = sqlx::query("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?")
        .bind(idle_before)
        .bind(started_before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
