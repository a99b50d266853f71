//! The `ticket_surveys` table: one satisfaction survey per ticket.

use sqlx::{FromRow, SqliteExecutor};

#[derive(Debug, Clone, FromRow)]
pub struct SurveyRow {
    pub rating: i64,
    pub comment: String,
    pub given_at: i64,
}

pub async fn of_ticket(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as("SELECT rating, comment, given_at FROM ticket_surveys WHERE ticket_id = ?")
        .bind(ticket_id)
        .fetch_optional(db)
        .await
}

/// Stores the survey; a unique violation means one was given already.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    user_id: i64,
    rating: u8,
    comment: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO ticket_surveys (ticket_id, user_id, rating, comment, given_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(ticket_id)
    .bind(user_id)
    .bind(rating)
    .bind(comment)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
