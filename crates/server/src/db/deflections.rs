//! The `deflections` table: "this solved my problem" on an article instead of a ticket.

use sqlx::SqliteExecutor;

pub async fn record(
    db: impl SqliteExecutor<'_>,
    article_slug: &str,
    user_id: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO deflections (article_slug, user_id, created_at) VALUES (?, ?, ?)")
        .bind(article_slug)
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn count(db: impl SqliteExecutor<'_>, article_slug: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM deflections WHERE article_slug = ?")
        .bind(article_slug)
        .fetch_one(db)
        .await
}
