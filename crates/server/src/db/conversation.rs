//! A ticket's conversation: the ticket as "My Tickets" reads it, its timeline events, reply
//! attachments, survey, the list query with keyset pagination, and the conditional updates of
//! the life cycle (the `WHERE status = ?` decides when two changes race).

use lantern_core::conversation::TicketSort;
use lantern_core::ticket::TicketStatus;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteExecutor, SqlitePool};

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

pub async fn is_cc(
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
pub async fn cc_emails(db: impl SqliteExecutor<'_>, ticket_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT u.email FROM ticket_cc c JOIN users u ON u.id = c.user_id
         WHERE c.ticket_id = ? ORDER BY u.email",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

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
pub async fn events(
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

/// A new timeline event.
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
}

pub async fn insert_event(db: impl SqliteExecutor<'_>, event: &NewEvent<'_>) -> sqlx::Result<i64> {
    insert_escalation_event(db, event, None).await
}

/// A new event that is a step of the escalation request `escalation_id`.
pub async fn insert_escalation_event(
    db: impl SqliteExecutor<'_>,
    event: &NewEvent<'_>,
    escalation_id: Option<i64>,
) -> sqlx::Result<i64> {
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
    .bind(escalation_id)
    .fetch_one(db)
    .await
}

/// An attachment of the ticket: `event_id` is `None` for the files submitted with it.
#[derive(Debug, Clone, FromRow)]
pub struct TicketAttachment {
    pub event_id: Option<i64>,
    pub id: String,
    pub name: String,
    pub size: i64,
    pub kind: String,
}

pub async fn attachments(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
) -> sqlx::Result<Vec<TicketAttachment>> {
    sqlx::query_as(
        "SELECT event_id, id, name, size, kind FROM attachments
         WHERE ticket_id = ? ORDER BY created_at, id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

/// Puts one's own unattached upload on a reply; false when it was not available.
pub async fn attach_to_event(
    db: impl SqliteExecutor<'_>,
    attachment_id: &str,
    uploader_id: i64,
    ticket_id: i64,
    event_id: i64,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE attachments SET ticket_id = ?, event_id = ?
         WHERE id = ? AND uploader_id = ? AND ticket_id IS NULL",
    )
    .bind(ticket_id)
    .bind(event_id)
    .bind(attachment_id)
    .bind(uploader_id)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct SurveyRow {
    pub rating: i64,
    pub comment: String,
    pub given_at: i64,
}

pub async fn survey(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as("SELECT rating, comment, given_at FROM ticket_surveys WHERE ticket_id = ?")
        .bind(ticket_id)
        .fetch_optional(db)
        .await
}

/// Stores the survey; a unique violation means one was given already.
pub async fn insert_survey(
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

/// Changes a text column from `from` to `to` when it still holds `from`.
async fn change_column(
    db: impl SqliteExecutor<'_>,
    column: &str,
    ticket_id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
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

pub async fn change_severity(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    change_column(db, "severity", ticket_id, from, to, now).await
}

pub async fn change_support_level(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    change_column(db, "support_level", ticket_id, from, to, now).await
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

/// Who may appear in a list.
#[derive(Debug, Clone, Copy)]
pub enum ListScope {
    /// Requester or CC; CCs are of the same organisation, whose index narrows the search.
    Person {
        user_id: i64,
        organisation_id: i64,
    },
    Organisation(i64),
    /// Agents: every organisation.
    Everything,
}

/// The sort key of a page boundary: the sort's value(s) and the ticket id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// `updated_desc`, `created_desc`, `created_asc`: (instant, id).
    Instant(i64, i64),
    /// `severity`: (rank, updated_at, id).
    Severity(i64, i64, i64),
}

/// A list request, already checked.
#[derive(Debug, Clone, Copy)]
pub struct ListFilter<'a> {
    pub scope: ListScope,
    pub statuses: &'a [TicketStatus],
    pub severity: Option<&'a str>,
    pub product: Option<&'a str>,
    /// Search text, case-folded (`lantern_core::ticket::fold_case`).
    pub text: Option<&'a str>,
    pub sort: lantern_core::conversation::TicketSort,
    /// Severity ids, most severe first (the policy's order).
    pub severity_order: &'a [String],
    pub after: Option<Boundary>,
    pub limit: u32,
}

/// A row of a list, with what the next cursor needs.
#[derive(Debug, Clone, FromRow)]
pub struct ListRow {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub severity: String,
    pub product: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub response_due_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub solved_at: Option<i64>,
    pub requester_name: String,
    pub severity_rank: i64,
    /// An escalation request is open.
    pub escalated: bool,
}

/// One page of tickets (asks for `limit` rows; the caller asks one more to know of a next page).
pub async fn list(db: &SqlitePool, filter: &ListFilter<'_>) -> sqlx::Result<Vec<ListRow>> {
    if filter.sort == TicketSort::Severity {
        most_severe_first(db, filter).await
    } else {
        list_in_one_query(db, filter, None).await
    }
}

/// Most severe first, then most recently updated: one indexed query per severity of the
/// policy, in its order, until the page is full, then one for severities the policy no longer
/// has. Ordering by the rank in SQL would sort every matching ticket (160 ms for an
/// organisation of 100,000); this reads about a page.
async fn most_severe_first(db: &SqlitePool, filter: &ListFilter<'_>) -> sqlx::Result<Vec<ListRow>> {
    let order = filter.severity_order;
    let (first_rank, mut after) = match filter.after {
        Some(Boundary::Severity(rank, instant, id)) => (
            usize::try_from(rank).unwrap_or(0),
            Some(Boundary::Instant(instant, id)),
        ),
        _ => (0, None),
    };
    let mut rows = Vec::new();
    for rank in first_rank..=order.len() {
        let wanted = filter
            .limit
            .saturating_sub(u32::try_from(rows.len()).unwrap_or(u32::MAX));
        if wanted == 0 {
            break;
        }
        let severity = order.get(rank).map(String::as_str);
        let part = ListFilter {
            severity: filter.severity.or(severity),
            sort: TicketSort::UpdatedDesc,
            after: after.take(),
            limit: wanted,
            ..*filter
        };
        let skip =
            matches!((filter.severity, severity), (Some(asked), Some(this)) if asked != this);
        if !skip {
            let others = severity.is_none().then_some(order);
            rows.extend(list_in_one_query(db, &part, others).await?);
        }
    }
    Ok(rows)
}

/// The page in one query; `excluded_severities` leaves out tickets at these severities.
async fn list_in_one_query(
    db: &SqlitePool,
    filter: &ListFilter<'_>,
    excluded_severities: Option<&[String]>,
) -> sqlx::Result<Vec<ListRow>> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT t.id, t.number, t.subject, t.status, ");
    query.push("t.severity, t.product, t.created_at, t.updated_at, t.response_due_at, ");
    query.push("t.first_response_at, t.solved_at, u.name AS requester_name, ");
    push_severity_rank(&mut query, filter.severity_order);
    // One lookup per listed ticket in the partial unique index of open requests.
    query.push(format_args!(
        " AS severity_rank, EXISTS (SELECT 1 FROM escalations e WHERE e.ticket_id = t.id AND {})",
        super::escalations::OPEN
    ));
    query.push(" AS escalated FROM tickets t JOIN users u ON u.id = t.requester_id WHERE ");
    match filter.scope {
        ListScope::Person {
            user_id,
            organisation_id,
        } => {
            query.push("t.organisation_id = ");
            query.push_bind(organisation_id);
            query.push(" AND (t.requester_id = ");
            query.push_bind(user_id);
            query.push(" OR t.id IN (SELECT ticket_id FROM ticket_cc WHERE user_id = ");
            query.push_bind(user_id);
            query.push("))");
        }
        ListScope::Organisation(organisation_id) => {
            query.push("t.organisation_id = ");
            query.push_bind(organisation_id);
        }
        ListScope::Everything => {
            query.push("1 = 1");
        }
    }
    query.push(" AND t.status IN (");
    let mut statuses = query.separated(", ");
    for status in filter.statuses {
        statuses.push_bind(status.as_str());
    }
    query.push(")");
    if let Some(severity) = filter.severity {
        query
            .push(" AND t.severity = ")
            .push_bind(severity.to_owned());
    }
    if let Some(excluded) = excluded_severities.filter(|excluded| !excluded.is_empty()) {
        query.push(" AND t.severity NOT IN (");
        let mut severities = query.separated(", ");
        for severity in excluded {
            severities.push_bind(severity.clone());
        }
        query.push(")");
    }
    if let Some(product) = filter.product {
        query
            .push(" AND t.product = ")
            .push_bind(product.to_owned());
    }
    if let Some(text) = filter.text {
        let pattern = format!("%{}%", escape_like(text));
        query.push(" AND (t.subject_folded LIKE ");
        query.push_bind(pattern.clone());
        query.push(" ESCAPE '\\' OR lower(t.number) LIKE ");
        query.push_bind(pattern);
        query.push(" ESCAPE '\\')");
    }
    let (column, descending) = match filter.sort {
        TicketSort::UpdatedDesc | TicketSort::Severity => ("t.updated_at", true),
        TicketSort::CreatedDesc => ("t.created_at", true),
        TicketSort::CreatedAsc => ("t.created_at", false),
    };
    let after = if descending { "<" } else { ">" };
    if let Some(Boundary::Instant(instant, id)) = filter.after {
        query.push(format_args!(" AND ({column}, t.id) {after} ("));
        query.push_bind(instant).push(", ").push_bind(id).push(")");
    }
    let direction = if descending { "DESC" } else { "ASC" };
    query.push(format_args!(
        " ORDER BY {column} {direction}, t.id {direction} LIMIT "
    ));
    query.push_bind(i64::from(filter.limit));
    query.build_query_as().fetch_all(db).await
}
/// `CASE t.severity WHEN 'critical' THEN 0 ... ELSE n END`: the policy's order in SQL.
fn push_severity_rank(query: &mut QueryBuilder<'_, Sqlite>, order: &[String]) {
    query.push("CASE t.severity");
    for (rank, id) in order.iter().enumerate() {
        query.push(" WHEN ").push_bind(id.clone());
        query.push(format_args!(" THEN {rank}"));
    }
    query.push(format_args!(" ELSE {} END", order.len()));
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
