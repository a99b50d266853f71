//! The ticket lists: a customer's own or organisation's tickets and the agent's, filtered,
//! sorted and paged by opaque keyset cursors.

use chrono::{DateTime, Utc};
use lantern_core::conversation::{
    TicketListItem, TicketListQuery, TicketPage, TicketScope, TicketSort, finished_at,
    response_state,
};
use lantern_core::search::MAX_QUERY_CHARS;
use lantern_core::ticket::{RoadmapQuery, RoadmapRequest, RoadmapState, TicketStatus, fold_case};

use crate::auth::{AgentAuth, CurrentUser};
use crate::db::{
    self, instant,
    tickets::{Boundary, ListFilter, ListRow, ListScope},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The tickets an agent's list covers: every organisation's, or its token's one.
pub fn agent_scope(agent: &AgentAuth) -> ListScope {
    agent
        .organisation_id
        .map_or(ListScope::Everything, ListScope::Organisation)
}

/// A customer's list: their own tickets, or the organisation's for its admins.
pub async fn customer_list(
    state: &AppState,
    user: &CurrentUser,
    query: &TicketListQuery,
) -> AppResult<TicketPage> {
    let scope = match query.scope.unwrap_or_default() {
        TicketScope::Mine => ListScope::Person {
            user_id: user.id,
            organisation_id: user.organisation_id,
        },
        TicketScope::Organisation if user.is_org_admin() => {
            ListScope::Organisation(user.organisation_id)
        }
        TicketScope::Organisation => {
            return Err(AppError::forbidden(
                "Only organisation admins see all tickets of the organisation.",
            ));
        }
    };
    page(state, scope, query).await
}

/// One page of tickets in `scope`.
pub async fn page(
    state: &AppState,
    scope: ListScope,
    query: &TicketListQuery,
) -> AppResult<TicketPage> {
    let sort = query.sort.unwrap_or_default();
    let after = query
        .cursor
        .as_deref()
        .map(|cursor| decode_cursor(cursor, sort))
        .transpose()?;
    let text = search_text(query.q.as_deref())?;
    let severity_order: Vec<String> = state
        .policy
        .severities
        .iter()
        .map(|severity| severity.id.clone())
        .collect();
    let limit = query.page_size();
    let filter = ListFilter {
        scope,
        statuses: query.status.unwrap_or_default().statuses(),
        severity: non_empty(query.severity.as_deref()),
        product: non_empty(query.product.as_deref()),
        text: text.as_deref(),
        sort,
        severity_order: &severity_order,
        after,
        limit: limit + 1,
    };
    let mut rows = db::tickets::list(&state.database, &filter).await?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = rows
        .last()
        .filter(|_| has_more)
        .map(|row| encode_cursor(row, sort));
    let now = state.clock.now();
    Ok(TicketPage {
        items: rows.into_iter().map(|row| list_item(row, now)).collect(),
        next_cursor,
    })
}

/// The list's search text, case-folded as the stored subjects are; refused over the knowledge-base search's limit, so
/// every search box of the portal answers an overlong query alike.
fn search_text(q: Option<&str>) -> AppResult<Option<String>> {
    let Some(text) = non_empty(q) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::field(
            "q",
            format!("Use at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    Ok(Some(fold_case(text)))
}

/// The trimmed text, `None` when nothing is left: an empty field means "not given".
pub(super) fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// The enhancement requests (tickets of the policy's roadmap case types) in `query`'s state,
/// every organisation's, by product and subject.
pub async fn roadmap_requests(
    state: &AppState,
    query: &RoadmapQuery,
) -> AppResult<Vec<RoadmapRequest>> {
    let wanted = query
        .state
        .map(|filter| filter.state().map(RoadmapState::as_str));
    let mut requests = Vec::new();
    for case_type in state
        .policy
        .case_types
        .iter()
        .filter(|case_type| case_type.roadmap)
    {
        let rows = db::tickets::roadmap_requests(&state.database, &case_type.id, wanted).await?;
        requests.extend(rows.into_iter().map(|row| RoadmapRequest {
            decision: row.roadmap.decision(),
            number: row.number,
            subject: row.subject,
            product: row.product,
            organisation_name: row.organisation_name,
            requester_name: row.requester_name,
            created_at: instant(row.created_at),
        }));
    }
    Ok(requests)
}

/// A listed ticket as the API shows it, at `now` (its response-target state).
pub(super) fn list_item(row: ListRow, now: DateTime<Utc>) -> TicketListItem {
    let status = TicketStatus::parse(&row.status).unwrap_or(TicketStatus::New);
    let response_due_at = row.response_due_at.map(instant);
    let first_response_at = row.first_response_at.map(instant);
    let updated_at = instant(row.updated_at);
    let finished_at = finished_at(status, row.solved_at.map(instant), updated_at);
    TicketListItem {
        number: row.number,
        subject: row.subject,
        status,
        severity: row.severity,
        product: row.product,
        created_at: instant(row.created_at),
        updated_at,
        response_due_at,
        first_response_at,
        response_state: response_state(response_due_at, first_response_at, finished_at, now),
        update_due_at: row.update_due_at.map(instant),
        waiting_for_customer: status == TicketStatus::Pending,
        requester_name: row.requester_name,
        escalated: row.escalated,
        defect: row.defect.link(),
        roadmap: row.roadmap.decision(),
    }
}

/// The opaque cursor: hex of `sort:value[:value]:id` of the page's last ticket.
fn encode_cursor(row: &ListRow, sort: TicketSort) -> String {
    let key = match sort {
        TicketSort::UpdatedDesc => format!("{}:{}", row.updated_at, row.id),
        TicketSort::CreatedDesc | TicketSort::CreatedAsc => {
            format!("{}:{}", row.created_at, row.id)
        }
        TicketSort::Severity => format!("{}:{}:{}", row.severity_rank, row.updated_at, row.id),
        TicketSort::DueFirst => format!("{}:{}", row.due_key, row.id),
    };
    hex::encode(format!("{}:{key}", sort.as_str()))
}

fn decode_cursor(cursor: &str, sort: TicketSort) -> AppResult<Boundary> {
    let invalid = || {
        AppError::bad_request(
            "This page link no longer fits the list; start again from the first page.",
        )
    };
    let text = hex::decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(invalid)?;
    let mut parts = text.split(':');
    if parts.next() != Some(sort.as_str()) {
        return Err(invalid());
    }
    let numbers: Vec<i64> = parts
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| invalid())?;
    match (sort, numbers.as_slice()) {
        (TicketSort::Severity, [rank, instant, id]) => Ok(Boundary::Severity(*rank, *instant, *id)),
        (TicketSort::Severity, _) => Err(invalid()),
        (_, [instant, id]) => Ok(Boundary::Instant(*instant, *id)),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_trimmed_lower_cased_and_limited() {
        assert_eq!(search_text(Some("  ")).ok(), Some(None));
        assert_eq!(
            search_text(Some(" Backup ")).ok(),
            Some(Some("backup".to_owned()))
        );
        let at_limit = "é".repeat(MAX_QUERY_CHARS);
        assert!(search_text(Some(&at_limit)).is_ok());
        assert!(search_text(Some(&format!("{at_limit}x"))).is_err());
    }

    fn row(sort_values: (i64, i64, i64)) -> ListRow {
        ListRow {
            id: sort_values.2,
            number: "LAN-000001".into(),
            subject: "Backup fails".into(),
            status: "open".into(),
            severity: "high".into(),
            product: "backup".into(),
            created_at: sort_values.1,
            updated_at: sort_values.1,
            response_due_at: None,
            first_response_at: None,
            solved_at: None,
            update_due_at: None,
            requester_name: "Alice".into(),
            severity_rank: sort_values.0,
            due_key: sort_values.1,
            escalated: false,
            defect: Default::default(),
            roadmap: Default::default(),
        }
    }

    #[test]
    fn cursors_round_trip_for_their_sort_only() {
        let last = row((2, 1_700_000_000, 42));
        let cursor = encode_cursor(&last, TicketSort::UpdatedDesc);
        assert_eq!(
            decode_cursor(&cursor, TicketSort::UpdatedDesc).ok(),
            Some(Boundary::Instant(1_700_000_000, 42))
        );
        assert!(decode_cursor(&cursor, TicketSort::Severity).is_err());
        let severity = encode_cursor(&last, TicketSort::Severity);
        assert_eq!(
            decode_cursor(&severity, TicketSort::Severity).ok(),
            Some(Boundary::Severity(2, 1_700_000_000, 42))
        );
        assert!(decode_cursor("zz", TicketSort::UpdatedDesc).is_err());
        assert!(decode_cursor(&hex::encode("updated_desc:x:1"), TicketSort::UpdatedDesc).is_err());
    }
}
