//! The `deflections` table: "this solved my problem" on an article instead of a ticket.

use super::{Executor, on_either};

pub async fn record(
    db: impl Into<Executor<'_>>,
    article_slug: &str,
    user_id: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO deflections (article_slug, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(article_slug)
        .bind(user_id)
        .bind(now)
        .execute(executor)
        .await
        .map(drop)
    })
}

pub async fn count(db: impl Into<Executor<'_>>, article_slug: &str) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT COUNT(*) FROM deflections WHERE article_slug = $1")
            .bind(article_slug)
            .fetch_one(executor)
            .await
    })
}

/// Keeps a deleted person's deflections as a reader's without an account: the count stays.
pub async fn forget_user(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE deflections SET user_id = NULL WHERE user_id = $1")
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
    async fn deflections_are_counted_per_article() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            record(db, "reset-password", Some(alice), 10).await.unwrap();
            record(db, "reset-password", None, 20).await.unwrap();
            record(db, "sync-conflicts", None, 30).await.unwrap();

            assert_eq!(count(db, "reset-password").await.unwrap(), 2);
            assert_eq!(count(db, "sync-conflicts").await.unwrap(), 1);
            assert_eq!(count(db, "unknown").await.unwrap(), 0);
        })
        .await;
    }
}
