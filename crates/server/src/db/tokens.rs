//! Single-use, expiring tokens sent by mail (invitations, registrations, password resets).

use sqlx::SqlitePool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    Registration,
    PasswordReset,
}

impl Purpose {
    fn as_db(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Registration => "registration",
            Self::PasswordReset => "password_reset",
        }
    }
}

pub async fn create(
    db: &SqlitePool,
    token_hash: &str,
    user_id: i64,
    purpose: Purpose,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose.as_db())
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks a valid token used and returns its user; `None` when it is unknown, used or expired.
/// One statement, so two requests racing with the same token cannot both succeed.
pub async fn consume(
    db: &SqlitePool,
    token_hash: &str,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE account_tokens SET used_at = ?
         WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
         RETURNING user_id",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose.as_db())
    .bind(now)
    .fetch_optional(db)
    .await
}

/// The user of a token that could still be consumed (checked before slow work such as hashing).
pub async fn user_of_usable(
    db: &SqlitePool,
    token_hash: &str,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT user_id FROM account_tokens
         WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(token_hash)
    .bind(purpose.as_db())
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Retires a person's unused tokens of one purpose, so only the newest link works.
pub async fn retire_unused(
    db: &SqlitePool,
    user_id: i64,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(purpose.as_db())
    .execute(db)
    .await?;
    Ok(())
}

/// When the newest token of this purpose was issued to a person, if ever.
pub async fn newest_issued(
    db: &SqlitePool,
    user_id: i64,
    purpose: Purpose,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MAX(created_at) FROM account_tokens WHERE user_id = ? AND purpose = ?",
    )
    .bind(user_id)
    .bind(purpose.as_db())
    .fetch_one(db)
    .await
}
