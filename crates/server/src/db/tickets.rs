//! The `tickets` table: a ticket with its requester and organisation as the ticket domain reads
//! it, filing, and the conditional updates of the life cycle (the `WHERE status = ?` decides
//! when two changes race). The list with keyset pagination is in `list.rs`.

mod list;

use lantern_core::ticket::{
    DefectLink, DefectState, RoadmapDecision, RoadmapState, TicketDraft, TicketStatus,
    TicketSummary, fold_case, ticket_number,
};
use sqlx::{FromRow, SqlitePool};

use super::{Executor, on_either};

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
    pub update_due_at: Option<i64>,
    /// Since when the ticket waits for the customer; `None` unless Pending.
    pub pending_since: Option<i64>,
    #[sqlx(flatten)]
    pub defect: DefectColumns,
    #[sqlx(flatten)]
    pub roadmap: RoadmapColumns,
}

/// The engineering issue a ticket is linked to, as its columns hold it ([`DEFECT_COLUMNS`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct DefectColumns {
    pub defect_id: Option<String>,
    pub defect_url: Option<String>,
    pub defect_state: Option<String>,
    pub defect_fixed_in: Option<String>,
}

impl DefectColumns {
    pub fn link(&self) -> Option<DefectLink> {
        Some(DefectLink {
            id: self.defect_id.clone()?,
            url: self.defect_url.clone(),
            state: DefectState::parse(self.defect_state.as_deref()?)?,
            fixed_in: self.defect_fixed_in.clone(),
        })
    }
}

/// Support's decision on an enhancement request, as its columns hold it ([`ROADMAP_COLUMNS`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct RoadmapColumns {
    pub roadmap_state: Option<String>,
    pub roadmap_released_in: Option<String>,
    pub roadmap_reason: Option<String>,
}

impl RoadmapColumns {
    pub fn decision(&self) -> Option<RoadmapDecision> {
        Some(RoadmapDecision {
            state: RoadmapState::parse(self.roadmap_state.as_deref()?)?,
            released_in: self.roadmap_released_in.clone(),
            reason: self.roadmap_reason.clone(),
        })
    }
}

/// What [`DefectColumns`] and [`RoadmapColumns`] read, for the selects of tickets and lists.
pub const DEFECT_AND_ROADMAP_COLUMNS: &str = "t.defect_id, t.defect_url, t.defect_state,
    t.defect_fixed_in, t.roadmap_state, t.roadmap_released_in, t.roadmap_reason";

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
    t.response_due_at, t.first_response_at, t.solved_at, t.update_due_at, t.pending_since";

const TICKET_JOINS: &str = "FROM tickets t
    JOIN users u ON u.id = t.requester_id
    JOIN organisations o ON o.id = t.organisation_id";

pub async fn find_by_number(
    db: impl Into<Executor<'_>>,
    number: &str,
) -> sqlx::Result<Option<TicketRow>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {TICKET_COLUMNS}, {DEFECT_AND_ROADMAP_COLUMNS} {TICKET_JOINS} WHERE t.number = $1"
        ))
        .bind(number)
        .fetch_optional(executor)
        .await
    })
}

pub async fn find(db: impl Into<Executor<'_>>, id: i64) -> sqlx::Result<Option<TicketRow>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {TICKET_COLUMNS}, {DEFECT_AND_ROADMAP_COLUMNS} {TICKET_JOINS} WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(executor)
        .await
    })
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

impl NewTicket<'_> {
    /// The ticket as [`insert`] stores it under `id`, as [`summary`] reads it back.
    pub fn summary(&self, id: i64) -> TicketSummary {
        TicketSummary {
            number: ticket_number(id),
            subject: self.draft.subject.trim().to_owned(),
            status: TicketStatus::New,
            severity: self.draft.severity.clone(),
            product: self.draft.product.clone(),
            created_at: super::instant(self.created_at),
            response_due_at: self.response_due_at.map(super::instant),
        }
    }
}

/// Inserts the ticket with its number, in a write transaction; returns its id. The id is taken
/// first, so the number derived from it goes in with the row: writing it afterwards made a
/// second version of the row, which on PostgreSQL is a new entry in each of the table's
/// indexes (the number is indexed itself), as many again as the insert.
pub async fn insert(db: impl Into<Executor<'_>>, ticket: &NewTicket<'_>) -> sqlx::Result<i64> {
    let mut executor = db.into();
    let id = next_id(executor.reborrow()).await?;
    on_either!(executor, |executor| {
        let draft = ticket.draft;
        sqlx::query(
            "INSERT INTO tickets (id, number, organisation_id, requester_id, product, component,
                 version, case_type, severity, subject, description, steps_to_reproduce,
                 expected_result, actual_result, operating_system, computer_id, username,
                 recent_changes, integrations, contact_name, contact_email, contact_phone,
                 preferred_channel, status, support_level, created_at, response_due_at,
                 updated_at, subject_folded)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                     $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)",
        )
        .bind(id)
        .bind(ticket_number(id))
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
        .execute(executor)
        .await?;
        Ok(id)
    })
}

/// The id the next ticket gets: PostgreSQL's identity sequence, or SQLite's AUTOINCREMENT
/// counter, which only the transaction holding the write lock can move.
async fn next_id(executor: Executor<'_>) -> sqlx::Result<i64> {
    match executor {
        Executor::Sqlite(executor) => {
            sqlx::query_scalar(
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'tickets'), 0) + 1",
            )
            .fetch_one(executor)
            .await
        }
        Executor::Postgres(executor) => {
            sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('tickets', 'id'))")
                .fetch_one(executor)
                .await
        }
    }
}

/// Folds the subjects of tickets stored before subjects were kept folded (migration 0013), a
/// thousand per transaction; returns how many it folded. SQLite only: the PostgreSQL schema
/// never held tickets without it.
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

pub async fn summary(db: impl Into<Executor<'_>>, id: i64) -> sqlx::Result<Option<TicketSummary>> {
    on_either!(db, |executor| {
        let row: Option<SummaryRow> = sqlx::query_as(
            "SELECT number, subject, status, severity, product, created_at, response_due_at
             FROM tickets WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(executor)
        .await?;
        Ok(row.map(SummaryRow::into_summary))
    })
}

/// Moves the ticket from `from` to `to` when it is still in `from`; false when another change
/// came first. Keeps the instants the auto-close rules count from; a ticket no longer with
/// support owes no update ([`set_update_due`] sets one when it comes back).
pub async fn change_status(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    from: TicketStatus,
    to: TicketStatus,
    now: i64,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        let result = sqlx::query(
            "UPDATE tickets SET status = $2, updated_at = $3,
                 pending_since = CASE WHEN $2 = 'pending' THEN $3 ELSE NULL END,
                 solved_at = CASE WHEN $2 = 'solved' THEN $3
                                  WHEN $2 = 'closed' THEN solved_at ELSE NULL END,
                 update_due_at = CASE WHEN $2 IN ('new', 'open') THEN update_due_at END
             WHERE id = $1 AND status = $4",
        )
        .bind(ticket_id)
        .bind(to.as_str())
        .bind(now)
        .bind(from.as_str())
        .execute(executor)
        .await?;
        Ok(result.rows_affected() == 1)
    })
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
    db: impl Into<Executor<'_>>,
    column: PolicyColumn,
    ticket_id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        let column = column.name();
        let result = sqlx::query(&format!(
            "UPDATE tickets SET {column} = $1, updated_at = $2 WHERE id = $3 AND {column} = $4"
        ))
        .bind(to)
        .bind(now)
        .bind(ticket_id)
        .bind(from)
        .execute(executor)
        .await?;
        Ok(result.rows_affected() == 1)
    })
}

/// Locks the ticket's row until the transaction ends, first in every transaction that changes
/// a ticket, so that what it reads after writing (the status a reply or an escalation reports)
/// is not changed by another server's transaction before it commits. PostgreSQL only: a SQLite
/// write transaction holds the database's one write lock from its start (`BEGIN IMMEDIATE`).
pub async fn lock(db: impl Into<Executor<'_>>, ticket_id: i64) -> sqlx::Result<()> {
    match db.into() {
        Executor::Sqlite(_) => Ok(()),
        Executor::Postgres(executor) => {
            sqlx::query("SELECT id FROM tickets WHERE id = $1 FOR UPDATE")
                .bind(ticket_id)
                .execute(executor)
                .await
                .map(drop)
        }
    }
}

/// The ticket's status as of now (inside a transaction that already wrote: as of its commit).
pub async fn current_status(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
) -> sqlx::Result<Option<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT status FROM tickets WHERE id = $1")
            .bind(ticket_id)
            .fetch_optional(executor)
            .await
    })
}

/// A new first-response target (after a severity change) while support has not responded yet.
pub async fn set_response_due(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    response_due_at: Option<i64>,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE tickets SET response_due_at = $1 WHERE id = $2 AND first_response_at IS NULL",
        )
        .bind(response_due_at)
        .bind(ticket_id)
        .execute(executor)
        .await?;
        Ok(())
    })
}

/// When support's next update to the customer is due (`None`: none is owed).
pub async fn set_update_due(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    update_due_at: Option<i64>,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE tickets SET update_due_at = $1 WHERE id = $2")
            .bind(update_due_at)
            .bind(ticket_id)
            .execute(executor)
            .await?;
        Ok(())
    })
}

/// Marks a customer-visible change; the first public agent reply also meets the response target.
pub async fn touch(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    now: i64,
    agent_responded: bool,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE tickets SET updated_at = $2,
                 first_response_at = CASE WHEN $3 THEN COALESCE(first_response_at, $2)
                                          ELSE first_response_at END
             WHERE id = $1",
        )
        .bind(ticket_id)
        .bind(now)
        .bind(agent_responded)
        .execute(executor)
        .await?;
        Ok(())
    })
}

/// Links the ticket to the engineering issue `link`.
pub async fn set_defect(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    link: &DefectLink,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE tickets SET defect_id = $2, defect_url = $3, defect_state = $4,
                 defect_fixed_in = $5, updated_at = $6
             WHERE id = $1",
        )
        .bind(ticket_id)
        .bind(&link.id)
        .bind(&link.url)
        .bind(link.state.as_str())
        .bind(&link.fixed_in)
        .bind(now)
        .execute(executor)
        .await?;
        Ok(())
    })
}

/// Records support's roadmap decision on the enhancement request.
pub async fn set_roadmap(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    decision: &RoadmapDecision,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE tickets SET roadmap_state = $2, roadmap_released_in = $3, roadmap_reason = $4,
                 updated_at = $5
             WHERE id = $1",
        )
        .bind(ticket_id)
        .bind(decision.state.as_str())
        .bind(&decision.released_in)
        .bind(&decision.reason)
        .bind(now)
        .execute(executor)
        .await?;
        Ok(())
    })
}

/// An enhancement request in the vendor's roadmap list.
#[derive(Debug, Clone, FromRow)]
pub struct RoadmapRow {
    pub number: String,
    pub subject: String,
    pub product: String,
    pub organisation_name: String,
    pub requester_name: String,
    pub created_at: i64,
    #[sqlx(flatten)]
    pub roadmap: RoadmapColumns,
}

/// The tickets of `case_type` whose roadmap state is `state` (`None`: any; `Some(None)`: no
/// decision yet), by product and subject, so the same request of several customers is together.
pub async fn roadmap_requests(
    db: impl Into<Executor<'_>>,
    case_type: &str,
    state: Option<Option<&str>>,
) -> sqlx::Result<Vec<RoadmapRow>> {
    let (any, state) = match state {
        None => (true, None),
        Some(state) => (false, state),
    };
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT t.number, t.subject, t.product, o.name AS organisation_name,
                 u.name AS requester_name, t.created_at, t.roadmap_state, t.roadmap_released_in,
                 t.roadmap_reason
             FROM tickets t
             JOIN users u ON u.id = t.requester_id
             JOIN organisations o ON o.id = t.organisation_id
             WHERE t.case_type = $1
                 AND ($2 OR t.roadmap_state = $3 OR (t.roadmap_state IS NULL AND $3 IS NULL))
             ORDER BY t.product, t.subject_folded, t.id",
        )
        .bind(case_type)
        .bind(any)
        .bind(state)
        .fetch_all(executor)
        .await
    })
}

/// Ids of the tickets Solved since `solved_before` or earlier.
pub async fn solved_before(
    db: impl Into<Executor<'_>>,
    solved_before: i64,
) -> sqlx::Result<Vec<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT id FROM tickets WHERE status = 'solved' AND solved_at <= $1 ORDER BY id",
        )
        .bind(solved_before)
        .fetch_all(executor)
        .await
    })
}

/// A ticket waiting for the customer, with the times of the public agent replies since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingTicket {
    pub id: i64,
    pub pending_since: i64,
    pub agent_replies: Vec<i64>,
}

/// The tickets Pending since `pending_before` or earlier, oldest ticket first, with the times
/// of their events of `reply_kind` after the move to Pending (oldest first).
pub async fn waiting_since(
    db: impl Into<Executor<'_>>,
    pending_before: i64,
    reply_kind: &str,
) -> sqlx::Result<Vec<WaitingTicket>> {
    let rows: Vec<(i64, i64, Option<i64>)> = on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT t.id, t.pending_since, e.at FROM tickets t
             LEFT JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = $2
                 AND NOT e.internal AND e.at > t.pending_since
             WHERE t.status = 'pending' AND t.pending_since <= $1
             ORDER BY t.id, e.at",
        )
        .bind(pending_before)
        .bind(reply_kind)
        .fetch_all(executor)
        .await
    })?;
    let mut waiting: Vec<WaitingTicket> = Vec::new();
    for (id, pending_since, reply_at) in rows {
        if waiting.last().is_none_or(|ticket| ticket.id != id) {
            waiting.push(WaitingTicket {
                id,
                pending_since,
                agent_replies: Vec::new(),
            });
        }
        if let (Some(at), Some(ticket)) = (reply_at, waiting.last_mut()) {
            ticket.agent_replies.push(at);
        }
    }
    Ok(waiting)
}

/// Closes the ticket when it is still in `from` since `since_before` or earlier: the
/// condition decides, so a customer reply that came first wins and a rerun changes nothing.
pub async fn auto_close(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    from: TicketStatus,
    since_before: i64,
    now: i64,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        let since_column = match from {
            TicketStatus::Pending => "pending_since",
            _ => "solved_at",
        };
        let result = sqlx::query(&format!(
            "UPDATE tickets SET status = 'closed', updated_at = $1, pending_since = NULL
             WHERE id = $2 AND status = $3 AND {since_column} <= $4"
        ))
        .bind(now)
        .bind(ticket_id)
        .bind(from.as_str())
        .bind(since_before)
        .execute(executor)
        .await?;
        Ok(result.rows_affected() == 1)
    })
}

/// The tickets with support whose update was due at `now` or earlier and whose lateness has
/// not been mailed yet, earliest first. Read through the queue's `due_key` index: once support
/// has answered, a ticket's key is its `update_due_at`.
pub async fn late_updates(db: impl Into<Executor<'_>>, now: i64) -> sqlx::Result<Vec<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(&format!(
            "SELECT id FROM tickets WHERE due_key <= $1 AND {UPDATE_LATE_UNMAILED}
             ORDER BY due_key, id"
        ))
        .bind(now)
        .fetch_all(executor)
        .await
    })
}

/// Marks the ticket's late update as mailed when it is still late and unmailed at `now`: the
/// condition decides, so a reply from support that came first wins and a rerun mails nothing.
pub async fn claim_late_update(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        let result = sqlx::query(&format!(
            "UPDATE tickets SET update_late_mailed_for = update_due_at
             WHERE id = $1 AND status IN ('new', 'open') AND update_due_at <= $2
                 AND {UPDATE_LATE_UNMAILED}"
        ))
        .bind(ticket_id)
        .bind(now)
        .execute(executor)
        .await?;
        Ok(result.rows_affected() == 1)
    })
}

/// An update is owed and its lateness has not been mailed for this due time.
const UPDATE_LATE_UNMAILED: &str = "update_due_at IS NOT NULL
    AND (update_late_mailed_for IS NULL OR update_late_mailed_for <> update_due_at)";

pub async fn count_for_organisation(
    db: impl Into<Executor<'_>>,
    organisation_id: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE organisation_id = $1")
            .bind(organisation_id)
            .fetch_one(executor)
            .await
    })
}

/// The tickets a person filed or is copied on, oldest first (the person's data export).
pub async fn filed_or_copied(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<Vec<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT id FROM tickets
             WHERE requester_id = $1 OR id IN (SELECT ticket_id FROM ticket_cc WHERE user_id = $1)
             ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(executor)
        .await
    })
}

/// Replaces the contact details that name a deleted person on her organisation's tickets:
/// those she filed, and those that give her address as the contact.
pub async fn anonymise_contact(
    db: impl Into<Executor<'_>>,
    organisation_id: i64,
    requester_id: i64,
    email: &str,
    placeholder_name: &str,
    placeholder_email: &str,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE tickets SET contact_name = $1, contact_email = $2, contact_phone = ''
             WHERE organisation_id = $3
               AND (requester_id = $4 OR LOWER(contact_email) = LOWER($5))",
        )
        .bind(placeholder_name)
        .bind(placeholder_email)
        .bind(organisation_id)
        .bind(requester_id)
        .bind(email)
        .execute(executor)
        .await
        .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use lantern_core::conversation::TicketSort;
    use lantern_core::ticket::TicketContact;

    use super::*;
    use crate::db::escalations::{self, NewEscalation};
    use crate::db::ticket_events::{self, NewEvent};
    use crate::db::{Db, WriteGate};
    use crate::test_support::{TestDatabases, test_person};

    const SEVERITIES: [&str; 3] = ["critical", "major", "minor"];

    /// Files a ticket by `requester_id` at `now`; its id.
    async fn file(db: &Db, requester_id: i64, subject: &str, severity: &str, now: i64) -> i64 {
        let draft = TicketDraft {
            product: "harbor-backup".into(),
            case_type: "problem".into(),
            subject: subject.into(),
            description: "It stops.".into(),
            severity: severity.into(),
            contact: TicketContact {
                name: "Someone".into(),
                ..TicketContact::default()
            },
            ..TicketDraft::default()
        };
        let requester = crate::db::accounts::user(db, requester_id)
            .await
            .unwrap()
            .unwrap();
        let ticket = NewTicket {
            organisation_id: requester.organisation_id,
            requester_id,
            draft: &draft,
            contact_email: &requester.email,
            support_level: "l1",
            created_at: now,
            response_due_at: Some(now + 3600),
        };
        let mut transaction = WriteGate::default().begin(db).await.unwrap();
        let id = insert(&mut transaction, &ticket).await.unwrap();
        transaction.commit().await.unwrap();
        id
    }

    #[tokio::test]
    async fn a_filed_ticket_is_found_by_its_number_with_its_people() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let id = file(db, alice, "  Backup stops  ", "major", 100).await;

            let found = find_by_number(db, &ticket_number(id))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(found.id, id);
            assert_eq!(found.subject, "Backup stops");
            assert_eq!(found.requester_email, "alice@example.com");
            assert_eq!(found.organisation_name, "Organisation of alice@example.com");
            assert_eq!(found.status(), TicketStatus::New);
            let summary = summary(db, id).await.unwrap().unwrap();
            assert_eq!(summary.number, ticket_number(id));
            assert_eq!(summary.response_due_at, Some(super::super::instant(3700)));
            assert_eq!(
                count_for_organisation(db, found.organisation_id)
                    .await
                    .unwrap(),
                1
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_change_applies_only_to_the_state_it_was_made_for() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let id = file(db, alice, "Backup stops", "major", 100).await;

            assert!(
                change_status(db, id, TicketStatus::New, TicketStatus::Pending, 200)
                    .await
                    .unwrap()
            );
            assert!(
                !change_status(db, id, TicketStatus::New, TicketStatus::Solved, 210)
                    .await
                    .unwrap(),
                "another change came first"
            );
            assert_eq!(
                current_status(db, id).await.unwrap().as_deref(),
                Some("pending")
            );
            let column = PolicyColumn::Severity;
            assert!(
                change_policy_id(db, column, id, "major", "critical", 220)
                    .await
                    .unwrap()
            );
            assert!(
                !change_policy_id(db, column, id, "major", "minor", 230)
                    .await
                    .unwrap()
            );

            set_response_due(db, id, Some(5000)).await.unwrap();
            touch(db, id, 240, false).await.unwrap();
            touch(db, id, 250, true).await.unwrap();
            touch(db, id, 260, true).await.unwrap();
            set_response_due(db, id, Some(9000)).await.unwrap();
            let row = find(db, id).await.unwrap().unwrap();
            assert_eq!(row.severity, "critical");
            assert_eq!(row.first_response_at, Some(250), "the first agent reply");
            assert_eq!(
                row.response_due_at,
                Some(5000),
                "kept once support responded"
            );
            assert_eq!(row.updated_at, 260);
        })
        .await;
    }

    #[tokio::test]
    async fn auto_close_takes_tickets_waiting_long_enough_once() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let pending = file(db, alice, "Pending long", "major", 100).await;
            let solved = file(db, alice, "Solved long", "major", 100).await;
            let recent = file(db, alice, "Pending lately", "major", 100).await;
            for (id, to, at) in [
                (pending, TicketStatus::Pending, 200),
                (solved, TicketStatus::Solved, 300),
                (recent, TicketStatus::Pending, 900),
            ] {
                assert!(
                    change_status(db, id, TicketStatus::New, to, at)
                        .await
                        .unwrap()
                );
            }

            let reply = |at, kind, internal| NewEvent {
                ticket_id: pending,
                at,
                kind,
                internal,
                actor_kind: "agent",
                actor_name: "Sam",
                actor_user_id: None,
                body: "Any news?",
                from_value: "",
                to_value: "",
                escalation_id: None,
            };
            for (at, kind, internal) in [
                (150, "agent_reply", false), // before the move to Pending
                (250, "agent_reply", false),
                (260, "agent_reply", true), // an internal note
                (270, "customer_reply", false),
                (280, "agent_reply", false),
            ] {
                ticket_events::insert(db, &reply(at, kind, internal))
                    .await
                    .unwrap();
            }

            assert_eq!(solved_before(db, 500).await.unwrap(), [solved]);
            assert_eq!(
                waiting_since(db, 500, "agent_reply").await.unwrap(),
                [WaitingTicket {
                    id: pending,
                    pending_since: 200,
                    agent_replies: vec![250, 280],
                }]
            );
            let both = waiting_since(db, 900, "agent_reply").await.unwrap();
            assert_eq!(
                both.iter()
                    .map(|ticket| (ticket.id, ticket.agent_replies.len()))
                    .collect::<Vec<_>>(),
                [(pending, 2), (recent, 0)]
            );
            assert!(
                auto_close(db, solved, TicketStatus::Solved, 500, 1000)
                    .await
                    .unwrap()
            );
            assert!(
                !auto_close(db, solved, TicketStatus::Solved, 500, 1001)
                    .await
                    .unwrap()
            );
            assert!(
                !auto_close(db, recent, TicketStatus::Pending, 500, 1000)
                    .await
                    .unwrap()
            );
            let closed = find(db, solved).await.unwrap().unwrap();
            assert_eq!(
                (closed.status(), closed.solved_at),
                (TicketStatus::Closed, Some(300))
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_locked_ticket_waits_for_the_other_change_on_postgres() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let id = file(db, alice, "Backup stops", "major", 100).await;
            if matches!(db, Db::Sqlite(_)) {
                // The write gate orders SQLite's writers before they begin.
                let mut only = WriteGate::default().begin(db).await.unwrap();
                lock(&mut only, id).await.unwrap();
                return;
            }
            let mut first = WriteGate::default().begin(db).await.unwrap();
            lock(&mut first, id).await.unwrap();
            let mut second = WriteGate::default().begin(db).await.unwrap();
            let waited = tokio::time::timeout(Duration::from_millis(300), lock(&mut second, id));
            assert!(
                waited.await.is_err(),
                "the second change waits for the first"
            );
            assert!(
                change_status(&mut first, id, TicketStatus::New, TicketStatus::Solved, 200)
                    .await
                    .unwrap()
            );
            first.commit().await.unwrap();
            lock(&mut second, id).await.unwrap();
            let status = current_status(&mut second, id).await.unwrap();
            assert_eq!(
                status.as_deref(),
                Some("solved"),
                "read after the lock: the latest"
            );
        })
        .await;
    }

    fn everything<'a>(order: &'a [String], statuses: &'a [TicketStatus]) -> ListFilter<'a> {
        ListFilter {
            scope: ListScope::Everything,
            statuses,
            severity: None,
            product: None,
            text: None,
            sort: TicketSort::UpdatedDesc,
            severity_order: order,
            after: None,
            limit: 10,
        }
    }

    fn subjects(rows: &[ListRow]) -> Vec<&str> {
        rows.iter().map(|row| row.subject.as_str()).collect()
    }

    #[tokio::test]
    async fn lists_filter_sort_and_page_alike_on_both_backends() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let bob = test_person(db, "bob@example.com").await.unwrap();
            let minor = file(db, alice, "Printer 50% slower", "minor", 100).await;
            let retired = file(db, alice, "Old severity", "low", 110).await;
            let critical = file(db, bob, "Server down", "critical", 120).await;
            let major = file(db, alice, "Backup_stops", "major", 130).await;
            let order: Vec<String> = SEVERITIES.iter().map(|id| id.to_string()).collect();
            let open = [TicketStatus::New, TicketStatus::Open];
            escalations::insert(
                db,
                &NewEscalation {
                    ticket_id: major,
                    reason: "business_impact",
                    details: "",
                    requested_severity: None,
                    callback_phone: "",
                    callback_availability: "",
                    requester_id: alice,
                    requested_by: "Alice",
                    requested_at: 140,
                    review_due_at: 1000,
                },
            )
            .await
            .unwrap();

            let newest = list(db, &everything(&order, &open)).await.unwrap();
            assert_eq!(
                subjects(&newest),
                [
                    "Backup_stops",
                    "Server down",
                    "Old severity",
                    "Printer 50% slower"
                ]
            );
            let escalated: Vec<bool> = newest.iter().map(|row| row.escalated).collect();
            assert_eq!(escalated, [true, false, false, false]);

            let by_severity = ListFilter {
                sort: TicketSort::Severity,
                ..everything(&order, &open)
            };
            let rows = list(db, &by_severity).await.unwrap();
            assert_eq!(
                subjects(&rows),
                [
                    "Server down",
                    "Backup_stops",
                    "Printer 50% slower",
                    "Old severity"
                ]
            );
            let ranks: Vec<i64> = rows.iter().map(|row| row.severity_rank).collect();
            assert_eq!(ranks, [0, 1, 2, 3], "a severity the policy lost ranks last");
            let next = ListFilter {
                after: Some(Boundary::Severity(1, 130, major)),
                ..by_severity
            };
            assert_eq!(
                subjects(&list(db, &next).await.unwrap()),
                ["Printer 50% slower", "Old severity"]
            );

            let alices = ListFilter {
                scope: ListScope::Person {
                    user_id: alice,
                    organisation_id: find(db, minor).await.unwrap().unwrap().organisation_id,
                },
                sort: TicketSort::CreatedAsc,
                after: Some(Boundary::Instant(100, minor)),
                ..everything(&order, &open)
            };
            assert_eq!(
                subjects(&list(db, &alices).await.unwrap()),
                ["Old severity", "Backup_stops"]
            );

            for (text, found) in [("50%", minor), ("p_s", major), ("server", critical)] {
                let search = ListFilter {
                    text: Some(text),
                    ..everything(&order, &open)
                };
                let rows = list(db, &search).await.unwrap();
                let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
                assert_eq!(ids, [found], "{text:?} is matched literally, in any case");
            }
            let by_number = ListFilter {
                text: Some(&fold_case(&ticket_number(retired))),
                ..everything(&order, &open)
            };
            assert_eq!(
                subjects(&list(db, &by_number).await.unwrap()),
                ["Old severity"]
            );
            let solved_only = [TicketStatus::Solved];
            assert!(
                list(db, &everything(&order, &solved_only))
                    .await
                    .unwrap()
                    .is_empty()
            );
        })
        .await;
    }

    #[tokio::test]
    async fn due_first_orders_by_what_support_owes_soonest_and_pages_past_tickets_owing_nothing() {
        const NOTHING_DUE: i64 = i64::MAX;
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            // `file` sets the first response due an hour after filing.
            let unanswered = file(db, alice, "Unanswered", "major", 100).await;
            let waiting = file(db, alice, "Waiting on the customer", "major", 110).await;
            let update_owed = file(db, alice, "Update owed", "major", 120).await;
            let answered = file(db, alice, "Answered, no cadence", "major", 130).await;
            change_status(db, waiting, TicketStatus::New, TicketStatus::Pending, 150)
                .await
                .unwrap();
            for id in [update_owed, answered] {
                touch(db, id, 200, true).await.unwrap();
            }
            set_update_due(db, update_owed, Some(3650)).await.unwrap();
            let order: Vec<String> = SEVERITIES.iter().map(|id| id.to_string()).collect();
            let statuses = [TicketStatus::New, TicketStatus::Open, TicketStatus::Pending];
            let due_first = ListFilter {
                sort: TicketSort::DueFirst,
                ..everything(&order, &statuses)
            };

            let rows = list(db, &due_first).await.unwrap();
            assert_eq!(
                subjects(&rows),
                [
                    "Update owed",
                    "Unanswered",
                    "Waiting on the customer",
                    "Answered, no cadence"
                ],
                "an update due before another's first response comes first; owing nothing, by id"
            );
            let keys: Vec<i64> = rows.iter().map(|row| row.due_key).collect();
            assert_eq!(keys, [3650, 3700, NOTHING_DUE, NOTHING_DUE]);
            for (after, rest) in [
                (
                    Boundary::Instant(3700, unanswered),
                    &["Waiting on the customer", "Answered, no cadence"][..],
                ),
                (
                    Boundary::Instant(NOTHING_DUE, waiting),
                    &["Answered, no cadence"][..],
                ),
            ] {
                let next = ListFilter {
                    after: Some(after),
                    ..due_first
                };
                assert_eq!(subjects(&list(db, &next).await.unwrap()), rest);
            }
        })
        .await;
    }
}
