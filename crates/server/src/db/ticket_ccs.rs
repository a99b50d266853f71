//! The `ticket_cc` table: the organisation's contacts copied on a ticket.

use sqlx::SqliteExecutor;

pub async fn add(db: impl SqliteExecutor<'_>, ticket_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT OR IGNORE INTO ticket_cc (ticket_id, user_id) VALUES (?, ?)")
        .bind(ticket_id)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn contains(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    user_id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM ticket_cc WHERE ticket_id = ? AND user_id = ?)",
    )
    .bind(ticket_id)
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// Account e-mails of the ticket's CCs.
pub async fn emails(db: impl SqliteExecutor<'_>, ticket_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT u.email FROM ticket_cc c JOIN users u ON u.id = c.user_id
         WHERE c.ticket_id = ? ORDER BY u.email",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}
