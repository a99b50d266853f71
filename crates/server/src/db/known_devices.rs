//! Browsers that signed in to an account (the device cookie); only the token's SHA-256 is stored.

use sqlx::SqlitePool;

/// Whether the browser with this token signed in to the account of `email` after `since`.
pub async fn is_known(
    db: &SqlitePool,
    token_hash: &str,
    email: &str,
    since: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM known_devices d JOIN users u ON u.id = d.user_id
                        WHERE d.token_hash = ? AND u.email = ? AND d.last_used_at > ?)",
    )
    .bind(token_hash)
    .bind(email)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Whether this server issued the token (to any account).
pub async fn exists(db: &SqlitePool, token_hash: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM known_devices WHERE token_hash = ?)")
        .bind(token_hash)
        .fetch_one(db)
        .await
}

/// Records (or refreshes) that the browser signed in to the account.
pub async fn remember(
    db: &SqlitePool,
    token_hash: &str,
    user_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO known_devices (token_hash, user_id, last_used_at) VALUES (?, ?, ?)
         ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = excluded.last_used_at",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets browsers that have not signed in since `before`; returns how many.
pub async fn forget_unused(db: &SqlitePool, before: i64) -> sqlx::Result<u64> {
    let result = sqlx::query("DELETE FROM known_devices WHERE last_used_at < ?")
        .bind(before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
