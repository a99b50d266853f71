//! Bearer tokens of the agent API, keyed by their SHA-256.

use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AgentToken {
    pub id: i64,
    pub name: String,
    /// The one organisation whose tickets the token reaches; `None` for every organisation.
    pub organisation_id: Option<i64>,
}

pub struct NewAgentToken<'a> {
    pub name: &'a str,
    pub token_hash: &'a str,
    /// `None`: never expires.
    pub expires_at: Option<i64>,
    pub organisation_id: Option<i64>,
}

pub async fn create(db: &SqlitePool, token: &NewAgentToken<'_>, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO agent_tokens (name, token_hash, created_at, expires_at, organisation_id)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(token.name)
    .bind(token.token_hash)
    .bind(now)
    .bind(token.expires_at)
    .bind(token.organisation_id)
    .fetch_one(db)
    .await
}

/// The token with this hash while it is neither revoked nor expired at `now`.
pub async fn find_valid(
    db: &SqlitePool,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<AgentToken>> {
    sqlx::query_as(
        "SELECT id, name, organisation_id FROM agent_tokens
         WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Revokes the token named `name`; false when there is none not revoked yet.
pub async fn revoke(db: &SqlitePool, name: &str, now: i64) -> sqlx::Result<bool> {
    let result =
        sqlx::query("UPDATE agent_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
            .bind(now)
            .bind(name)
            .execute(db)
            .await?;
    Ok(result.rows_affected() == 1)
}
