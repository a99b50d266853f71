//! Browsers that signed in to an account (the device cookie); only the token's SHA-256 is stored.
//!
//! The first module on both backends (issue 18): every statement is one SQL text for SQLite and
//! PostgreSQL, run on either backend by [`on_either!`].

use super::{Executor, on_either};

/// Whether the browser with this token signed in to the account of `email` after `since`.
pub async fn is_known(
    db: impl Into<Executor<'_>>,
    token_hash: &str,
    email: &str,
    since: i64,
) -> sqlx::Result<bool> {
    // `users.email` is case-insensitive (SQLite NOCASE, PostgreSQL citext). PostgreSQL compares a
    // citext column with a text parameter as text, so the parameter is made citext; SQLite reads
    // the cast as TEXT affinity and compares with the column's NOCASE.
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM known_devices d JOIN users u ON u.id = d.user_id
                            WHERE d.token_hash = $1 AND u.email = CAST($2 AS CITEXT)
                              AND d.last_used_at > $3)",
        )
        .bind(token_hash)
        .bind(email)
        .bind(since)
        .fetch_one(executor)
        .await
    })
}

/// Whether this server issued the token (to any account).
pub async fn exists(db: impl Into<Executor<'_>>, token_hash: &str) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM known_devices WHERE token_hash = $1)")
            .bind(token_hash)
            .fetch_one(executor)
            .await
    })
}

/// Records (or refreshes) that the browser signed in to the account.
pub async fn remember(
    db: impl Into<Executor<'_>>,
    token_hash: &str,
    user_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO known_devices (token_hash, user_id, last_used_at) VALUES ($1, $2, $3)
             ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = excluded.last_used_at",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// Forgets browsers that have not signed in since `before`; returns how many.
pub async fn forget_unused(db: impl Into<Executor<'_>>, before: i64) -> sqlx::Result<u64> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM known_devices WHERE last_used_at < $1")
            .bind(before)
            .execute(executor)
            .await
            .map(|result| result.rows_affected())
    })
}

/// When each browser that signed in to the account was last used, newest first (the
/// person's data export; the tokens themselves are secrets and stay out of it).
pub async fn last_used_by(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<Vec<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT last_used_at FROM known_devices WHERE user_id = $1 ORDER BY last_used_at DESC",
        )
        .bind(user_id)
        .fetch_all(executor)
        .await
    })
}

/// Forgets every browser of a person (her account is deleted).
pub async fn forget_user(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM known_devices WHERE user_id = $1")
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
    async fn a_browser_is_known_to_the_accounts_it_signed_in_to_lately() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let carl = test_person(db, "carl@example.com").await.unwrap();
            remember(db, "browser-1", alice, 100).await.unwrap();

            assert!(
                is_known(db, "browser-1", "alice@example.com", 99)
                    .await
                    .unwrap()
            );
            assert!(
                is_known(db, "browser-1", "Alice@Example.COM", 99)
                    .await
                    .unwrap()
            );
            assert!(
                !is_known(db, "browser-1", "alice@example.com", 100)
                    .await
                    .unwrap()
            );
            assert!(
                !is_known(db, "browser-1", "carl@example.com", 0)
                    .await
                    .unwrap()
            );
            assert!(
                !is_known(db, "browser-2", "alice@example.com", 0)
                    .await
                    .unwrap()
            );
            assert!(exists(db, "browser-1").await.unwrap());
            assert!(!exists(db, "browser-2").await.unwrap());

            remember(db, "browser-1", carl, 150).await.unwrap();
            remember(db, "browser-1", alice, 200).await.unwrap();
            assert!(
                is_known(db, "browser-1", "alice@example.com", 199)
                    .await
                    .unwrap()
            );
            assert!(
                is_known(db, "browser-1", "carl@example.com", 149)
                    .await
                    .unwrap()
            );
        })
        .await;
    }

    #[tokio::test]
    async fn browsers_unused_since_an_instant_are_forgotten() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            remember(db, "old", alice, 10).await.unwrap();
            remember(db, "new", alice, 20).await.unwrap();

            assert_eq!(forget_unused(db, 20).await.unwrap(), 1);
            assert!(!exists(db, "old").await.unwrap());
            assert!(exists(db, "new").await.unwrap());
            assert_eq!(forget_unused(db, 20).await.unwrap(), 0);
        })
        .await;
    }
}
