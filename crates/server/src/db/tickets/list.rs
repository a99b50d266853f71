//! One page of the `tickets` table for a list: the filters, the sorts and keyset pagination.

use lantern_core::conversation::TicketSort;
use lantern_core::ticket::TicketStatus;
use sqlx::{Database, Encode, FromRow, QueryBuilder, Type};

use crate::db::{Db, escalations, on_either};

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
    /// `updated_desc`, `created_desc`, `created_asc`, `due_first`: (instant, id).
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
    pub update_due_at: Option<i64>,
    pub requester_name: String,
    pub severity_rank: i64,
    /// When support's next answer is due, `i64::MAX` when none is owed (migration 0019).
    pub due_key: i64,
    /// An escalation request is open.
    pub escalated: bool,
    #[sqlx(flatten)]
    pub defect: super::DefectColumns,
    #[sqlx(flatten)]
    pub roadmap: super::RoadmapColumns,
}

/// One page of tickets (asks for `limit` rows; the caller asks one more to know of a next page).
pub async fn list(db: &Db, filter: &ListFilter<'_>) -> sqlx::Result<Vec<ListRow>> {
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
async fn most_severe_first(db: &Db, filter: &ListFilter<'_>) -> sqlx::Result<Vec<ListRow>> {
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
    db: &Db,
    filter: &ListFilter<'_>,
    excluded_severities: Option<&[String]>,
) -> sqlx::Result<Vec<ListRow>> {
    on_either!(db, |executor| {
        list_query(filter, excluded_severities)
            .build_query_as()
            .fetch_all(executor)
            .await
    })
}

/// The SQL of [`list_in_one_query`], for either backend: each backend's builder writes its own
/// placeholders (`?` or `$N`), so the builder is generic over the database, with a bound for
/// each type it binds.
fn list_query<'args, DB>(
    filter: &ListFilter<'args>,
    excluded_severities: Option<&'args [String]>,
) -> QueryBuilder<'args, DB>
where
    DB: Database,
    i64: Encode<'args, DB> + Type<DB>,
    &'args str: Encode<'args, DB> + Type<DB>,
    String: Encode<'args, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new("SELECT t.id, t.number, t.subject, t.status, ");
    query.push("t.severity, t.product, t.created_at, t.updated_at, t.response_due_at, ");
    query.push("t.first_response_at, t.solved_at, t.update_due_at, u.name AS requester_name, ");
    query.push(super::DEFECT_AND_ROADMAP_COLUMNS).push(", ");
    query.push("t.due_key, ");
    push_severity_rank(&mut query, filter.severity_order);
    // One lookup per listed ticket in the partial unique index of open requests.
    query.push(format_args!(
        " AS severity_rank, EXISTS (SELECT 1 FROM escalations e WHERE e.ticket_id = t.id AND {})",
        escalations::OPEN
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
        query.push(" AND t.severity = ").push_bind(severity);
    }
    if let Some(excluded) = excluded_severities.filter(|excluded| !excluded.is_empty()) {
        query.push(" AND t.severity NOT IN (");
        let mut severities = query.separated(", ");
        for severity in excluded {
            severities.push_bind(severity.as_str());
        }
        query.push(")");
    }
    if let Some(product) = filter.product {
        query.push(" AND t.product = ").push_bind(product);
    }
    if let Some(text) = filter.text {
        let pattern = format!("%{}%", escape_like(text));
        query.push(" AND (t.subject_folded LIKE ");
        query.push_bind(pattern.clone());
        query.push(" ESCAPE '\\' OR lower(t.number) LIKE ");
        query.push_bind(pattern.clone());
        // Customers find their tickets by the engineering issue's id (Chevah, 003).
        query.push(" ESCAPE '\\' OR lower(t.defect_id) LIKE ");
        query.push_bind(pattern);
        query.push(" ESCAPE '\\')");
    }
    let (column, descending) = match filter.sort {
        TicketSort::UpdatedDesc | TicketSort::Severity => ("t.updated_at", true),
        TicketSort::CreatedDesc => ("t.created_at", true),
        TicketSort::CreatedAsc => ("t.created_at", false),
        TicketSort::DueFirst => ("t.due_key", false),
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
    query
}

/// `CAST(CASE t.severity WHEN 'critical' THEN 0 ... ELSE n END AS BIGINT)`: the policy's
/// order in SQL, a BIGINT on PostgreSQL too (its `CASE` of small numbers is an `integer`).
fn push_severity_rank<'args, DB>(query: &mut QueryBuilder<'args, DB>, order: &'args [String])
where
    DB: Database,
    &'args str: Encode<'args, DB> + Type<DB>,
{
    query.push("CAST(CASE t.severity");
    for (rank, id) in order.iter().enumerate() {
        query.push(" WHEN ").push_bind(id.as_str());
        query.push(format_args!(" THEN {rank}"));
    }
    query.push(format_args!(" ELSE {} END AS BIGINT)", order.len()));
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
