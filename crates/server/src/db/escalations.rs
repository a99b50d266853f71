//! Escalation requests of tickets. The partial UNIQUE index of migration 0005 keeps one open
//! request per ticket; the conditional update (`WHERE state = ?`) decides when two agents race.

use sqlx::{FromRow, SqliteExecutor};

/// One stored escalation request.
#[derive(Debug, Clone, FromRow)]
pub struct EscalationRow {
    pub id: i64,
    pub ticket_id: i64,
    pub state: String,
    pub reason: String,
    pub details: String,
    pub requested_severity: Option<String>,
    pub callback_phone: String,
    pub callback_availability: String,
    pub requested_by: String,
    pub requested_at: i64,
    pub review_due_at: i64,
    pub acknowledged_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub answer: String,
    pub answered_by: String,
}

const COLUMNS: &str = "e.id, e.ticket_id, e.state, e.reason, e.details, e.requested_severity,
    e.callback_phone, e.callback_availability, e.requested_by, e.requested_at, e.review_due_at,
    e.acknowledged_at, e.closed_at, e.answer, e.answered_by";

/// The open states, as the partial indexes spell them (SQLite uses a partial index only for a
/// query that repeats its condition).
pub const OPEN: &str = "e.state IN ('requested', 'acknowledged')";

/// A ticket's requests, oldest first.
pub async fn of_ticket(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
) -> sqlx::Result<Vec<EscalationRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM escalations e WHERE e.ticket_id = ? ORDER BY e.id"
    ))
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

/// The request `id` when it belongs to the ticket.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    id: i64,
) -> sqlx::Result<Option<EscalationRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM escalations e WHERE e.id = ? AND e.ticket_id = ?"
    ))
    .bind(id)
    .bind(ticket_id)
    .fetch_optional(db)
    .await
}

/// A new request as the customer sent it.
pub struct NewEscalation<'a> {
    pub ticket_id: i64,
    pub reason: &'a str,
    pub details: &'a str,
    pub requested_severity: Option<&'a str>,
    pub callback_phone: &'a str,
    pub callback_availability: &'a str,
    pub requester_id: i64,
    pub requested_by: &'a str,
    pub requested_at: i64,
    pub review_due_at: i64,
}

/// Stores a request in state `requested`; a unique violation means one is open already.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    escalation: &NewEscalation<'_>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO escalations (ticket_id, reason, details, requested_severity, callback_phone,
             callback_availability, requester_id, requested_by, requested_at, review_due_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(escalation.ticket_id)
    .bind(escalation.reason)
    .bind(escalation.details)
    .bind(escalation.requested_severity)
    .bind(escalation.callback_phone)
    .bind(escalation.callback_availability)
    .bind(escalation.requester_id)
    .bind(escalation.requested_by)
    .bind(escalation.requested_at)
    .bind(escalation.review_due_at)
    .fetch_one(db)
    .await
}

/// The ticket's open request, if any (at most one: see the partial UNIQUE index).
pub async fn open_of_ticket(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
) -> sqlx::Result<Option<EscalationRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM escalations e WHERE e.ticket_id = ? AND {OPEN}"
    ))
    .bind(ticket_id)
    .fetch_optional(db)
    .await
}

/// An agent's step from one state to another.
pub struct Transition<'a> {
    pub id: i64,
    pub from: &'a str,
    pub to: &'a str,
    /// `to` is resolved or declined.
    pub closes: bool,
    pub answer: &'a str,
    pub answered_by: &'a str,
    pub now: i64,
}

/// Moves the request on when it is still in `from`; false when another change came first.
pub async fn transition(db: impl SqliteExecutor<'_>, step: &Transition<'_>) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE escalations SET state = ?3, answer = ?4, answered_by = ?5,
             acknowledged_at = CASE WHEN ?3 = 'acknowledged' THEN ?6 ELSE acknowledged_at END,
             closed_at = CASE WHEN ?7 THEN ?6 ELSE closed_at END
         WHERE id = ?1 AND state = ?2",
    )
    .bind(step.id)
    .bind(step.from)
    .bind(step.to)
    .bind(step.answer)
    .bind(step.answered_by)
    .bind(step.now)
    .bind(step.closes)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// An open request with its ticket, for the agents' queue.
#[derive(Debug, Clone, FromRow)]
pub struct OpenRow {
    pub ticket_number: String,
    pub ticket_subject: String,
    pub organisation_name: String,
    #[sqlx(flatten)]
    pub escalation: EscalationRow,
}

/// Every open request, oldest review target first.
pub async fn open(
    db: impl SqliteExecutor<'_>,
    organisation_id: Option<i64>,
) -> sqlx::Result<Vec<OpenRow>> {
    sqlx::query_as(&format!(
        "SELECT t.number AS ticket_number, t.subject AS ticket_subject,
             o.name AS organisation_name, {COLUMNS}
         FROM escalations e
         JOIN tickets t ON t.id = e.ticket_id
         JOIN organisations o ON o.id = t.organisation_id
         WHERE {OPEN} AND (?1 IS NULL OR t.organisation_id = ?1)
         ORDER BY e.review_due_at, e.id"
    ))
    .bind(organisation_id)
    .fetch_all(db)
    .await
}
