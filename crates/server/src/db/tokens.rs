//! Single-use, expiring tokens sent by mail (invitations, registrations, password resets).

use super::{Executor, on_either};

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
    db: impl Into<Executor<'_>>,
    token_hash: &str,
    user_id: i64,
    purpose: Purpose,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose.as_db())
        .bind(now)
        .bind(expires_at)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// Marks a valid token used and returns its user; `None` when it is unknown, used or expired.
/// One statement, so two requests racing with the same token cannot both succeed.
pub async fn consume(
    db: impl Into<Executor<'_>>,
    token_hash: &str,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "UPDATE account_tokens SET used_at = $1
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .bind(purpose.as_db())
        .fetch_optional(executor)
        .await
    })
}

/// The user of a token that could still be consumed (checked before slow work such as hashing).
pub async fn user_of_usable(
    db: impl Into<Executor<'_>>,
    token_hash: &str,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT user_id FROM account_tokens
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(purpose.as_db())
        .bind(now)
        .fetch_optional(executor)
        .await
    })
}

/// Retires a person's unused tokens of one purpose, so only the newest link works.
pub async fn retire_unused(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE account_tokens SET used_at = $1
             WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_db())
        .execute(executor)
        .await
        .map(drop)
    })
}

/// When the newest token of this purpose was issued to a person, if ever.
pub async fn newest_issued(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    purpose: Purpose,
) -> sqlx::Result<Option<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT MAX(created_at) FROM account_tokens WHERE user_id = $1 AND purpose = $2",
        )
        .bind(user_id)
        .bind(purpose.as_db())
        .fetch_one(executor)
        .await
    })
}

/// Removes every token of a person (her account is deleted).
pub async fn delete_for_user(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM account_tokens WHERE user_id = $1")
            .bind(user_id)
            .execute(executor)
            .await
            .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{TestDatabases, test_person};

    #[tokio::test]
    async fn a_token_is_used_once_before_it_expires() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            create(db, "reset", alice, Purpose::PasswordReset, 10, 100)
                .await
                .unwrap();
            create(db, "late", alice, Purpose::Invitation, 10, 100)
                .await
                .unwrap();

            assert_eq!(
                user_of_usable(db, "reset", Purpose::Registration, 50)
                    .await
                    .unwrap(),
                None,
                "a token serves its own purpose only"
            );
            assert_eq!(
                user_of_usable(db, "reset", Purpose::PasswordReset, 50)
                    .await
                    .unwrap(),
                Some(alice)
            );
            assert_eq!(
                consume(db, "reset", Purpose::PasswordReset, 50)
                    .await
                    .unwrap(),
                Some(alice)
            );
            assert_eq!(
                consume(db, "reset", Purpose::PasswordReset, 51)
                    .await
                    .unwrap(),
                None
            );
            assert_eq!(
                user_of_usable(db, "reset", Purpose::PasswordReset, 51)
                    .await
                    .unwrap(),
                None
            );
            assert_eq!(
                consume(db, "late", Purpose::Invitation, 100).await.unwrap(),
                None
            );
        })
        .await;
    }

    #[tokio::test]
    async fn retiring_leaves_only_newer_links_working() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            assert_eq!(
                newest_issued(db, alice, Purpose::Registration)
                    .await
                    .unwrap(),
                None
            );
            create(db, "first", alice, Purpose::Registration, 10, 1000)
                .await
                .unwrap();
            create(db, "reset", alice, Purpose::PasswordReset, 30, 1000)
                .await
                .unwrap();
            retire_unused(db, alice, Purpose::Registration, 20)
                .await
                .unwrap();
            create(db, "second", alice, Purpose::Registration, 20, 1000)
                .await
                .unwrap();

            assert_eq!(
                newest_issued(db, alice, Purpose::Registration)
                    .await
                    .unwrap(),
                Some(20)
            );
            assert_eq!(
                consume(db, "first", Purpose::Registration, 40)
                    .await
                    .unwrap(),
                None
            );
            assert_eq!(
                consume(db, "second", Purpose::Registration, 40)
                    .await
                    .unwrap(),
                Some(alice)
            );
            assert_eq!(
                consume(db, "reset", Purpose::PasswordReset, 40)
                    .await
                    .unwrap(),
                Some(alice)
            );
        })
        .await;
    }
}
