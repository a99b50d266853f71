//! Bearer tokens of the agent API, keyed by their SHA-256.

use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AgentToken {
    pub id: i64,
    pub name: String,
}

pub async fn create(db: &SqlitePool, name: &str, token_hash: &str, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO agent_tokens (name, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn find(db: &SqlitePool, token_hash: &str) -> sqlx::Result<Option<AgentToken>> {
    sqlx::query_as("SELECT id, name FROM agent_tokens WHERE token_hash = ?")
        .bind(token_hash)
        .fetch_optional(db)
        .await
}
