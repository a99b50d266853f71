//! The `tickets` table: a ticket with its requester and organisation as the ticket domain reads
//! it, filing, and the conditional updates of the life cycle (the `WHERE status = ?` decides
//! when two changes race). The list with keyset pagination is in `list.rs`.

mod list;

use lantern_core::ticket::{TicketDraft, TicketStatus, TicketSummary, fold_case, ticket_number};
use sqlx::{FromRow, SqliteExecutor, SqlitePool};

pub use list::{Boundary, ListFilter, ListRow, ListScope, list};

/// A ticket with its requester and organisation.
#[derive(Debug, Clone, FromRow)]
pub struct TicketRow {
    pub id: i64,
    pub number: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub requester_id: i64,
    pub requester_name: String,
    pub requester_email: String,
    pub product: String,
    pub component: String,
    pub version: String,
    pub case_type: String,
    pub severity: String,
    pub subject: String,
    pub description: String,
    pub steps_to_reproduce: String,
    pub expected_result: String,
    pub actual_result: String,
    pub operating_system: String,
    pub computer_id: String,
    pub username: String,
    pub recent_changes: String,
    pub integrations: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub preferred_channel: String,
    pub status: String,
    pub support_level: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub response_due_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub solved_at: Option<i64>,
}

impl TicketRow {
    pub fn status(&self) -> TicketStatus {
        TicketStatus::parse(&self.status).unwrap_or(TicketStatus::New)
    }
}

const TICKET_COLUMNS: &str = "t.id, t.number, t.organisation_id, o.name AS organisation_name,
    t.requester_id, u.name AS requester_name, u.email AS requester_email, t.product, t.component,
    t.version, t.case_type, t.severity, t.subject, t.description, t.steps_to_reproduce,
    t.expected_result, t.actual_result, t.operating_system, t.computer_id, t.username,
    t.recent_changes, t.integrations, t.contact_name, t.contact_email, t.contact_phone,
    t.preferred_channel, t.status, t.support_level, t.created_at, t.updated_at,
    t.response_due_at, t.first_response_at, t.solved_at";

const TICKET_JOINS: &str = "FROM tickets t
    JOIN users u ON u.id = t.requester_id
    JOIN organisations o ON o.id = t.organisation_id";

pub async fn find_by_number(
    db: impl SqliteExecutor<'_>,
    number: &str,
) -> sqlx::Result<Option<TicketRow>> {
    sqlx::query_as(&format!(
        "SELECT {TICKET_COLUMNS} {TICKET_JOINS} WHERE t.number = ?"
    ))
    .bind(number)
    .fetch_optional(db)
    .await
}

pub async fn find(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Option<TicketRow>> {
    sqlx::query_as(&format!(
        "SELECT {TICKET_COLUMNS} {TICKET_JOINS} WHERE t.id = ?"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A new ticket as the wizard submitted it, already validated.
pub struct NewTicket<'a> {
    pub organisation_id: i64,
    pub requester_id: i64,
    pub draft: &'a TicketDraft,
    /// Normalised contact e-mail.
    pub contact_email: &'a str,
    pub support_level: &'a str,
    pub created_at: i64,
    pub response_due_at: Option<i64>,
}

/// Inserts the ticket with its number; returns its id.
pub async fn insert(db: &mut sqlx::SqliteConnection, ticket: &NewTicket<'_>) -> sqlx::Result<i64> {
    let draft = ticket.draft;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (organisation_id, requester_id, product, component, version,
             case_type, severity, subject, description, steps_to_reproduce, expected_result,
             actual_result, operating_system, computer_id, username, recent_changes,
             integrations, contact_name, contact_email, contact_phone, preferred_channel,
             status, support_level, created_at, response_due_at, updated_at, subject_folded)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(ticket.organisation_id)
    .bind(ticket.requester_id)
    .bind(&draft.product)
    .bind(&draft.component)
    .bind(draft.version.trim())
    .bind(&draft.case_type)
    .bind(&draft.severity)
    .bind(draft.subject.trim())
    .bind(draft.description.trim())
    .bind(draft.steps_to_reproduce.trim())
    .bind(draft.expected_result.trim())
    .bind(draft.actual_result.trim())
    .bind(draft.operating_system.trim())
    .bind(draft.computer_id.trim())
    .bind(draft.username.trim())
    .bind(draft.recent_changes.trim())
    .bind(draft.integrations.trim())
    .bind(draft.contact.name.trim())
    .bind(ticket.contact_email)
    .bind(draft.contact.phone.trim())
    .bind(&draft.contact.preferred_channel)
    .bind(TicketStatus::New.as_str())
    .bind(ticket.support_level)
    .bind(ticket.created_at)
    .bind(ticket.response_due_at)
    .bind(ticket.created_at)
    .bind(fold_case(draft.subject.trim()))
    .fetch_one(&mut *db)
    .await?;
    sqlx::query("UPDATE tickets SET number = ? WHERE id = ?")
        .bind(ticket_number(id))
        .bind(id)
        .execute(&mut *db)
        .await?;
    Ok(id)
}

/// Folds the subjects of tickets stored before subjects were kept folded (migration 0013), a
/// thousand per transaction; returns how many it folded.
pub async fn fold_subjects(db: &SqlitePool) -> sqlx::Result<u64> {
    let mut folded = 0;
    loop {
        let unfolded: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, subject FROM tickets WHERE subject_folded IS NULL LIMIT 1000",
        )
        .fetch_all(db)
        .await?;
        if unfolded.is_empty() {
            return Ok(folded);
        }
        let mut tx = db.begin().await?;
        for (id, subject) in unfolded {
            sqlx::query("UPDATE tickets SET subject_folded = ? WHERE id = ?")
                .bind(fold_case(&subject))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            folded += 1;
        }
        tx.commit().await?;
    }
}

#[derive(Debug, FromRow)]
struct SummaryRow {
    number: String,
    subject: String,
    status: String,
    severity: String,
    product: String,
    created_at: i64,
    response_due_at: Option<i64>,
}

impl SummaryRow {
    fn into_summary(self) -> TicketSummary {
        TicketSummary {
            number: self.number,
            subject: self.subject,
            status: TicketStatus::parse(&self.status).unwrap_or(TicketStatus::New),
            severity: self.severity,
            product: self.product,
            created_at: super::instant(self.created_at),
            response_due_at: self.response_due_at.map(super::instant),
        }
    }
}

pub async fn summary(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Option<TicketSummary>> {
    let row: Option<SummaryRow> = sqlx::query_as(
        "SELECT number, subject, status, severity, product, created_at, response_due_at
         FROM tickets WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(SummaryRow::into_summary))
}

/// Moves the ticket from `from` to `to` when it is still in `from`; false when another change
/// came first. Keeps the instants the auto-close rules count from.
pub async fn change_status(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    from: TicketStatus,
    to: TicketStatus,
    now: i64,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE tickets SET status = ?2, updated_at = ?3,
             pending_since = CASE WHEN ?2 = 'pending' THEN ?3 ELSE NULL END,
             solved_at = CASE WHEN ?2 = 'solved' THEN ?3
                              WHEN ?2 = 'closed' THEN solved_at ELSE NULL END
         WHERE id = ?1 AND status = ?4",
    )
    .bind(ticket_id)
    .bind(to.as_str())
    .bind(now)
    .bind(from.as_str())
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A column holding an id of the support policy, which agents change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyColumn {
    Severity,
    SupportLevel,
}

impl PolicyColumn {
    fn name(self) -> &'static str {
        match self {
            PolicyColumn::Severity => "severity",
            PolicyColumn::SupportLevel => "support_level",
        }
    }
}

/// Changes `column` from `from` to `to` when it still holds `from`; false when another change
/// came first.
pub async fn change_policy_id(
    db: impl SqliteExecutor<'_>,
    column: PolicyColumn,
    ticket_id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let column = column.name();
    let result = sqlx::query(&format!(
        "UPDATE tickets SET {column} = ?, updated_at = ? WHERE id = ? AND {column} = ?"
    ))
    .bind(to)
    .bind(now)
    .bind(ticket_id)
    .bind(from)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The ticket's status as of now (inside a transaction that already wrote: as of its commit).
pub async fn current_status(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT status FROM tickets WHERE id = ?")
        .bind(ticket_id)
        .fetch_optional(db)
        .await
}

/// A new first-response target (after a severity change) while support has not responded yet.
pub async fn set_response_due(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    response_due_at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE tickets SET response_due_at = ? WHERE id = ? AND first_response_at IS NULL",
    )
    .bind(response_due_at)
    .bind(ticket_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks a customer-visible change; the first public agent reply also meets the response target.
pub async fn touch(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    now: i64,
    agent_responded: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE tickets SET updated_at = ?2,
             first_response_at = CASE WHEN ?3 THEN COALESCE(first_response_at, ?2)
                                      ELSE first_response_at END
         WHERE id = ?1",
    )
    .bind(ticket_id)
    .bind(now)
    .bind(agent_responded)
    .execute(db)
    .await?;
    Ok(())
}

/// Ids of tickets a life-cycle rule closes: Pending since `pending_before` or earlier, or
/// Solved since `solved_before` or earlier.
pub async fn auto_close_candidates(
    db: impl SqliteExecutor<'_>,
    pending_before: i64,
    solved_before: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, status FROM tickets WHERE status = 'pending' AND pending_since <= ?
         UNION ALL
         SELECT id, status FROM tickets WHERE status = 'solved' AND solved_at <= ?
         ORDER BY id",
    )
    .bind(pending_before)
    .bind(solved_before)
    .fetch_all(db)
    .await
}

/// Closes the ticket when it is still in `from` since `since_before` or earlier: the
/// condition decides, so a customer reply that came first wins and a rerun changes nothing.
pub async fn auto_close(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    from: TicketStatus,
    since_before: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let since_column = match from {
        TicketStatus::Pending => "pending_since",
        _ => "solved_at",
    };
    let result = sqlx::query(&format!(
        "UPDATE tickets SET status = 'closed', updated_at = ?, pending_since = NULL
         WHERE id = ? AND status = ? AND {since_column} <= ?"
    ))
    .bind(now)
    .bind(ticket_id)
    .bind(from.as_str())
    .bind(since_before)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn count_for_organisation(
    db: impl SqliteExecutor<'_>,
    organisation_id: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE organisation_id = ?")
        .bind(organisation_id)
        .fetch_one(db)
        .await
}
