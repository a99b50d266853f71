//! The `ticket_events` table: a ticket's timeline, internal notes included.

use sqlx::{FromRow, SqliteExecutor};

/// One stored timeline event.
#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub at: i64,
    pub kind: String,
    pub internal: bool,
    pub actor_kind: String,
    pub actor_name: String,
    pub body: String,
    pub from_value: String,
    pub to_value: String,
    /// The escalation request a step of one belongs to.
    pub escalation_id: Option<i64>,
}
/// The ticket's events, oldest first; internal notes only when asked for.
pub async fn of_ticket(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    with_internal: bool,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT id, at, kind, internal, actor_kind, actor_name, body, from_value, to_value,
             escalation_id
         FROM ticket_events WHERE ticket_id = ? AND (internal = 0 OR ?) ORDER BY id",
    )
    .bind(ticket_id)
    .bind(with_internal)
    .fetch_all(db)
    .await
}

/// A new timeline event; `escalation_id` links a step of an escalation request to it.
pub struct NewEvent<'a> {
    pub ticket_id: i64,
    pub at: i64,
    pub kind: &'a str,
    pub internal: bool,
    pub actor_kind: &'a str,
    pub actor_name: &'a str,
    pub body: &'a str,
    pub from_value: &'a str,
    pub to_value: &'a str,
    pub escalation_id: Option<i64>,
}

pub async fn insert(db: impl SqliteExecutor<'_>, event: &NewEvent<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO ticket_events (ticket_id, at, kind, internal, actor_kind, actor_name, body,
             from_value, to_value, escalation_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(event.ticket_id)
    .bind(event.at)
    .bind(event.kind)
    .bind(event.internal)
    .bind(event.actor_kind)
    .bind(event.actor_name)
    .bind(event.body)
    .bind(event.from_value)
    .bind(event.to_value)
    .bind(event.escalation_id)
    .fetch_one(db)
    .await
}
