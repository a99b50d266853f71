//! "My Tickets" and the agent API: who may see a ticket, the list with keyset pagination, the
//! ticket with its timeline, and every change of the conversation. Each change is one
//! transaction holding the conditional update, its timeline entry and its mail, so either all
//! of it happened or none; internal notes never reach a customer's response or mail.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lantern_core::conversation::{
    ActionFacts, Actor, ActorKind, AgentReplyRequest, AgentSeverityChange, AgentStatusChange,
    AgentSupportLevelChange, AgentTicketDetail, InternalNote, ReplyRequest, Survey, SurveyRequest,
    TicketDetail, TicketListItem, TicketListQuery, TicketPage, TicketScope, TicketSort,
    TimelineEntry, TimelineKind, can_accept_solution, can_mark_solved, finished_at, rating_refusal,
    reply_body_error, response_state, status_label, ticket_actions, validate_reply,
    validate_survey,
};
use lantern_core::escalation::{Escalation, escalation_availability};
use lantern_core::policy::SupportLevel;
use lantern_core::policy::schedule::response_due;
use lantern_core::ticket::{
    AttachmentKind, AttachmentRef, TicketContact, TicketDraft, TicketStatus,
    canonical_ticket_number, fold_case,
};

use crate::attachments;
use crate::auth::{AgentAuth, CurrentUser};
use crate::clock::readable_utc;
use crate::db::{
    self,
    accounts::is_unique_violation,
    conversation::{Boundary, EventRow, ListFilter, ListRow, ListScope, NewEvent, TicketRow},
    instant,
};
use crate::error::{AppError, AppResult};
use crate::escalation;
use crate::state::AppState;
use lantern_core::search::MAX_QUERY_CHARS;

/// The ticket `number` if `user` may see it: organisation admins see their organisation's,
/// contacts the ones they filed or are copied on. Anything else is "not found", so a ticket
/// number reveals nothing about other organisations.
pub async fn visible_ticket(
    state: &AppState,
    user: &CurrentUser,
    number: &str,
) -> AppResult<TicketRow> {
    let number = canonical_ticket_number(number);
    let not_found = || {
        AppError::not_found(format!(
            "Ticket {number} does not exist or you do not have access to it."
        ))
    };
    let row = db::conversation::find_by_number(&state.db, &number)
        .await?
        .ok_or_else(not_found)?;
    if can_see(state, user, &row).await? {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// Whether `user` may see the ticket: the one rule of [`visible_ticket`] and of the files on it.
pub async fn can_see(state: &AppState, user: &CurrentUser, row: &TicketRow) -> AppResult<bool> {
    Ok(row.organisation_id == user.organisation_id
        && (user.is_org_admin()
            || row.requester_id == user.id
            || db::conversation::is_cc(&state.db, row.id, user.id).await?))
}

/// A ticket the agent's token reaches, for the agent API.
pub async fn agent_ticket(
    state: &AppState,
    agent: &AgentAuth,
    number: &str,
) -> AppResult<TicketRow> {
    let number = canonical_ticket_number(number);
    db::conversation::find_by_number(&state.db, &number)
        .await?
        .filter(|row| agent.reaches(row.organisation_id))
        .ok_or_else(|| AppError::not_found(format!("There is no ticket {number}.")))
}

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
    list(state, scope, query).await
}

/// One page of tickets in `scope`.
pub async fn list(
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
    let mut rows = db::conversation::list(&state.db, &filter).await?;
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

pub(crate) fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

fn list_item(row: ListRow, now: DateTime<Utc>) -> TicketListItem {
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
        waiting_for_customer: status == TicketStatus::Pending,
        requester_name: row.requester_name,
        escalated: row.escalated,
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
    };
    hex::encode(format!("{}:{key}", sort.as_str()))
}

fn decode_cursor(cursor: &str, sort: TicketSort) -> AppResult<Boundary> {
    let invalid = || AppError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        message: "This page link no longer fits the list; start again from the first page."
            .to_owned(),
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

/// The customer's view of a ticket.
pub async fn detail(state: &AppState, row: &TicketRow) -> AppResult<TicketDetail> {
    let events = db::conversation::events(&state.db, row.id, false).await?;
    build_detail(state, row, &events).await
}

/// The agent's view: the customer's plus internal notes.
pub async fn agent_detail(state: &AppState, row: &TicketRow) -> AppResult<AgentTicketDetail> {
    let events = db::conversation::events(&state.db, row.id, true).await?;
    let (notes, public): (Vec<EventRow>, Vec<EventRow>) =
        events.into_iter().partition(|event| event.internal);
    Ok(AgentTicketDetail {
        detail: build_detail(state, row, &public).await?,
        organisation_name: row.organisation_name.clone(),
        requester_email: row.requester_email.clone(),
        internal_notes: notes
            .into_iter()
            .map(|note| InternalNote {
                id: note.id,
                at: instant(note.at),
                author_name: note.actor_name,
                body: note.body,
            })
            .collect(),
    })
}

/// Builds the detail from public events only: the one place the timeline is assembled.
async fn build_detail(
    state: &AppState,
    row: &TicketRow,
    public_events: &[EventRow],
) -> AppResult<TicketDetail> {
    let mut by_event: BTreeMap<Option<i64>, Vec<AttachmentRef>> = BTreeMap::new();
    for attachment in db::conversation::attachments(&state.db, row.id).await? {
        by_event
            .entry(attachment.event_id)
            .or_default()
            .push(AttachmentRef {
                id: attachment.id,
                name: attachment.name,
                size: u64::try_from(attachment.size).unwrap_or_default(),
                kind: AttachmentKind::parse(&attachment.kind).unwrap_or_default(),
            });
    }
    let survey = db::conversation::survey(&state.db, row.id)
        .await?
        .map(|survey| Survey {
            rating: u8::try_from(survey.rating).unwrap_or_default(),
            comment: survey.comment,
            given_at: instant(survey.given_at),
        });
    let cc = db::conversation::cc_emails(&state.db, row.id).await?;
    let escalations = escalation::of_ticket(&state.db, row.id).await?;
    let now = state.clock.now();
    let status = row.status();
    let timeline = public_events
        .iter()
        .filter(|event| !event.internal)
        .map(|event| TimelineEntry {
            id: event.id,
            at: instant(event.at),
            kind: timeline_kind(
                event,
                by_event.remove(&Some(event.id)).unwrap_or_default(),
                &escalations,
            ),
        })
        .collect();
    let support_level_name = state
        .policy
        .support_levels
        .get(&row.support_level)
        .map_or_else(
            || row.support_level.to_uppercase(),
            |level| level.name.clone(),
        );
    let escalated = escalations
        .iter()
        .any(|escalation| escalation.state.is_open());
    Ok(TicketDetail {
        ticket: ticket_item(row, escalated, now),
        submitted: submitted(row, by_event.remove(&None).unwrap_or_default(), cc.clone()),
        support_level: row.support_level.clone(),
        support_level_name,
        solved_at: row.solved_at.map(instant),
        cc,
        actions: ticket_actions(
            &state.policy.lifecycle,
            &ActionFacts {
                status,
                solved_at: row.solved_at.map(instant),
                solved_by: solved_by(public_events),
                support_replied: row.first_response_at.is_some(),
                survey_given: survey.is_some(),
            },
            now,
        ),
        survey,
        timeline,
        escalation_availability: escalation_availability(&state.policy, status, &escalations, now),
        escalations,
    })
}

/// The ticket's list item: the list's own mapping, so both read the same.
fn ticket_item(row: &TicketRow, escalated: bool, now: DateTime<Utc>) -> TicketListItem {
    let list_row = ListRow {
        id: row.id,
        number: row.number.clone(),
        subject: row.subject.clone(),
        status: row.status.clone(),
        severity: row.severity.clone(),
        product: row.product.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        response_due_at: row.response_due_at,
        first_response_at: row.first_response_at,
        solved_at: row.solved_at,
        requester_name: row.requester_name.clone(),
        severity_rank: 0,
        escalated,
    };
    list_item(list_row, now)
}

fn submitted(row: &TicketRow, attachments: Vec<AttachmentRef>, cc: Vec<String>) -> TicketDraft {
    TicketDraft {
        product: row.product.clone(),
        component: row.component.clone(),
        version: row.version.clone(),
        case_type: row.case_type.clone(),
        subject: row.subject.clone(),
        description: row.description.clone(),
        steps_to_reproduce: row.steps_to_reproduce.clone(),
        expected_result: row.expected_result.clone(),
        actual_result: row.actual_result.clone(),
        severity: row.severity.clone(),
        operating_system: row.operating_system.clone(),
        computer_id: row.computer_id.clone(),
        username: row.username.clone(),
        recent_changes: row.recent_changes.clone(),
        integrations: row.integrations.clone(),
        attachments,
        contact: TicketContact {
            name: row.contact_name.clone(),
            email: row.contact_email.clone(),
            phone: row.contact_phone.clone(),
            preferred_channel: row.preferred_channel.clone(),
        },
        cc,
    }
}

/// Who set the ticket to Solved the last time, from its public events (oldest first).
fn solved_by(public_events: &[EventRow]) -> Option<ActorKind> {
    public_events
        .iter()
        .rev()
        .find(|event| {
            event.kind == STATUS_CHANGED && event.to_value == TicketStatus::Solved.as_str()
        })
        .map(|event| actor_kind(&event.actor_kind))
}

fn actor_kind(stored: &str) -> ActorKind {
    match stored {
        "customer" => ActorKind::Customer,
        "agent" => ActorKind::Agent,
        _ => ActorKind::System,
    }
}

fn timeline_kind(
    event: &EventRow,
    attachments: Vec<AttachmentRef>,
    escalations: &[Escalation],
) -> TimelineKind {
    let status = |text: &str| TicketStatus::parse(text).unwrap_or(TicketStatus::New);
    let by = || Actor {
        kind: actor_kind(&event.actor_kind),
        name: event.actor_name.clone(),
    };
    match event.kind.as_str() {
        CUSTOMER_REPLY => TimelineKind::CustomerReply {
            author_name: event.actor_name.clone(),
            body: event.body.clone(),
            attachments,
        },
        AGENT_REPLY => TimelineKind::AgentReply {
            author_name: event.actor_name.clone(),
            body: event.body.clone(),
            attachments,
        },
        STATUS_CHANGED => TimelineKind::StatusChanged {
            from: status(&event.from_value),
            to: status(&event.to_value),
            by: by(),
            reason: event.body.clone(),
        },
        SEVERITY_CHANGED => TimelineKind::SeverityChanged {
            from: event.from_value.clone(),
            to: event.to_value.clone(),
            by: by(),
            reason: event.body.clone(),
        },
        SUPPORT_LEVEL_CHANGED => TimelineKind::SupportLevelChanged {
            from: event.from_value.clone(),
            to: event.to_value.clone(),
            by: by(),
        },
        AUTO_CLOSED => TimelineKind::AutoClosed {
            from: status(&event.from_value),
            reason: event.body.clone(),
        },
        other => escalation::timeline_step(other, event, by(), escalations)
            .map_or(TimelineKind::Unknown, TimelineKind::Escalation),
    }
}

// Event kinds as stored (see migration 0004).
const CUSTOMER_REPLY: &str = "customer_reply";
const AGENT_REPLY: &str = "agent_reply";
const INTERNAL_NOTE: &str = "internal_note";
const STATUS_CHANGED: &str = "status_changed";
const SEVERITY_CHANGED: &str = "severity_changed";
const SUPPORT_LEVEL_CHANGED: &str = "support_level_changed";
pub(crate) const AUTO_CLOSED: &str = "auto_closed";

/// Who makes a change, as stored with its event.
#[derive(Debug, Clone)]
pub struct Author {
    pub kind: ActorKind,
    pub name: String,
    /// A customer's account e-mail: they get no mail about their own change.
    pub email: Option<String>,
}

impl Author {
    pub fn customer(user: &CurrentUser) -> Self {
        Self {
            kind: ActorKind::Customer,
            name: user.name.clone(),
            email: Some(user.email.to_lowercase()),
        }
    }

    pub fn agent(name: &str) -> Self {
        Self {
            kind: ActorKind::Agent,
            name: name.to_owned(),
            email: None,
        }
    }

    pub fn system() -> Self {
        Self {
            kind: ActorKind::System,
            name: "Lantern".to_owned(),
            email: None,
        }
    }

    pub(crate) fn kind_str(&self) -> &'static str {
        match self.kind {
            ActorKind::Customer => "customer",
            ActorKind::Agent => "agent",
            ActorKind::System => "system",
        }
    }
}

pub(crate) fn changed_meanwhile() -> AppError {
    AppError::coded_conflict(
        "ticket_changed",
        "The ticket changed meanwhile. Reload it and try again.",
    )
}

pub(crate) fn ticket_closed(number: &str) -> AppError {
    AppError::coded_conflict(
        "ticket_closed",
        format!("This ticket is closed. Open a new ticket and mention {number}."),
    )
}

fn reopen_window_passed(number: &str, until: Option<DateTime<Utc>>) -> AppError {
    let deadline = until.map_or_else(String::new, |until| {
        format!(" until {}", readable_utc(until))
    });
    AppError::coded_conflict(
        "reopen_window_passed",
        format!("This ticket could be reopened{deadline}. Open a new ticket and mention {number}."),
    )
}

/// The end of the reopen window of a Solved ticket.
fn reopen_until(state: &AppState, row: &TicketRow) -> Option<DateTime<Utc>> {
    row.solved_at
        .map(|solved_at| instant(solved_at) + state.policy.lifecycle.reopen_window.as_chrono())
}

/// A status change within a transaction: the conditional update, its timeline entry.
async fn record_status(
    conn: &mut sqlx::SqliteConnection,
    row: &TicketRow,
    to: TicketStatus,
    author: &Author,
    reason: &str,
    now: i64,
) -> AppResult<()> {
    let from = row.status();
    if !db::conversation::change_status(&mut *conn, row.id, from, to, now).await? {
        return Err(changed_meanwhile());
    }
    if to == TicketStatus::Closed {
        crate::escalation::resolve_with_closed_ticket(&mut *conn, row, now).await?;
    }
    db::conversation::insert_event(
        &mut *conn,
        &NewEvent {
            ticket_id: row.id,
            at: now,
            kind: STATUS_CHANGED,
            internal: false,
            actor_kind: author.kind_str(),
            actor_name: &author.name,
            body: reason,
            from_value: from.as_str(),
            to_value: to.as_str(),
        },
    )
    .await?;
    Ok(())
}

/// Mails the requester and the CCs about a change, except its author.
pub(crate) async fn notify(
    conn: &mut sqlx::SqliteConnection,
    state: &AppState,
    row: &TicketRow,
    author: &Author,
    message: &str,
    now: i64,
) -> AppResult<()> {
    let mut recipients: BTreeSet<String> = db::conversation::cc_emails(&mut *conn, row.id)
        .await?
        .into_iter()
        .collect();
    recipients.insert(row.requester_email.to_lowercase());
    if let Some(email) = &author.email {
        recipients.remove(email);
    }
    let subject = format!("[{}] {}", row.number, row.subject);
    let body = format!(
        "Hello,\n\n{message}\n\nSee the ticket and answer at {url}/tickets/{number}.\n\
         Please mention {number} whenever you contact {vendor} support about it.\n\n\
         {vendor} Support\n",
        url = state.config.public_url,
        number = row.number,
        vendor = state.policy.vendor.name,
    );
    for recipient in recipients {
        db::outbox::enqueue(&mut *conn, &recipient, &subject, &body, now).await?;
    }
    Ok(())
}

/// A customer's reply: Pending goes back to Open, Solved reopens within the window.
pub async fn customer_reply(
    state: &AppState,
    user: &CurrentUser,
    row: &TicketRow,
    reply: &ReplyRequest,
) -> AppResult<()> {
    let errors = validate_reply(reply);
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let now_instant = state.clock.now();
    let reopens_to = match row.status() {
        TicketStatus::Closed => return Err(ticket_closed(&row.number)),
        TicketStatus::Solved => {
            let until = reopen_until(state, row);
            if until.is_none_or(|until| now_instant >= until) {
                return Err(reopen_window_passed(&row.number, until));
            }
            Some(TicketStatus::Open)
        }
        TicketStatus::Pending => Some(TicketStatus::Open),
        TicketStatus::New | TicketStatus::Open => None,
    };
    let author = Author::customer(user);
    state.rate_limits.reply(user.id)?;
    let copied = db::conversation::cc_emails(&state.db, row.id).await?;
    state.rate_limits.cc_mails(
        user.id,
        copied
            .iter()
            .filter(|email| Some(*email) != author.email.as_ref())
            .count(),
    )?;
    let now = db::seconds(now_instant);
    let mut tx = state.begin_write().await?;
    let event_id = db::conversation::insert_event(
        &mut *tx,
        &NewEvent {
            ticket_id: row.id,
            at: now,
            kind: CUSTOMER_REPLY,
            internal: false,
            actor_kind: author.kind_str(),
            actor_name: &author.name,
            body: reply.body.trim(),
            from_value: "",
            to_value: "",
        },
    )
    .await?;
    for attachment in &reply.attachments {
        let attached =
            db::conversation::attach_to_event(&mut *tx, attachment, user.id, row.id, event_id)
                .await?;
        if !attached {
            return Err(
                match db::attachments::find_of(&mut *tx, attachment, user.id).await? {
                    Some(_) => AppError::field(
                        "attachments",
                        "A file is already on a ticket. Remove it and upload it again.",
                    ),
                    None => attachments::not_among_uploads(None),
                },
            );
        }
    }
    match reopens_to {
        Some(to) => record_status(&mut tx, row, to, &author, "", now).await?,
        // The reply's insert holds the write lock, so this read sees the latest status: a
        // ticket closed a moment ago takes no reply.
        None => {
            let status = db::conversation::current_status(&mut *tx, row.id).await?;
            if status.as_deref() != Some(row.status().as_str()) {
                return Err(changed_meanwhile());
            }
        }
    }
    db::conversation::touch(&mut *tx, row.id, now, false).await?;
    let message = format!("{} wrote:\n\n{}", author.name, reply.body.trim());
    notify(&mut tx, state, row, &author, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// "This is solved": the customer ends the work on a New, Open or Pending ticket (Solved;
/// it can be reopened within the policy's window, and closes by itself after it).
pub async fn mark_solved(state: &AppState, user: &CurrentUser, row: &TicketRow) -> AppResult<()> {
    match row.status() {
        TicketStatus::Closed => return Err(ticket_closed(&row.number)),
        status if !can_mark_solved(status) => {
            return Err(AppError::coded_conflict(
                "already_solved",
                "This ticket is solved already.",
            ));
        }
        _ => {}
    }
    let author = Author::customer(user);
    let reason = "Marked as solved by the customer.";
    change_status_with_mail(state, row, TicketStatus::Solved, &author, reason).await
}

/// "The solution works": the customer confirms the solution support proposed by setting the
/// ticket to Solved, which closes it.
pub async fn accept_solution(
    state: &AppState,
    user: &CurrentUser,
    row: &TicketRow,
) -> AppResult<()> {
    let status = row.status();
    if status == TicketStatus::Closed {
        return Err(ticket_closed(&row.number));
    }
    let events = db::conversation::events(&state.db, row.id, false).await?;
    if !can_accept_solution(status, solved_by(&events)) {
        return Err(AppError::coded_conflict(
            "no_proposed_solution",
            "Support has not marked this ticket as solved, so there is no solution to confirm.",
        ));
    }
    let author = Author::customer(user);
    let reason = "The customer confirmed the solution.";
    change_status_with_mail(state, row, TicketStatus::Closed, &author, reason).await
}

/// "Reopen" a Solved ticket within the policy's window.
pub async fn reopen(state: &AppState, user: &CurrentUser, row: &TicketRow) -> AppResult<()> {
    if row.status() != TicketStatus::Solved {
        return Err(AppError::coded_conflict(
            "not_solved",
            "Only a solved ticket can be reopened.",
        ));
    }
    let until = reopen_until(state, row);
    if until.is_none_or(|until| state.clock.now() >= until) {
        return Err(reopen_window_passed(&row.number, until));
    }
    let author = Author::customer(user);
    change_status_with_mail(
        state,
        row,
        TicketStatus::Open,
        &author,
        "Reopened by the customer.",
    )
    .await
}

async fn change_status_with_mail(
    state: &AppState,
    row: &TicketRow,
    to: TicketStatus,
    author: &Author,
    reason: &str,
) -> AppResult<()> {
    let now = state.now_seconds();
    let mut tx = state.begin_write().await?;
    record_status(&mut tx, row, to, author, reason, now).await?;
    let mut message = format!(
        "{} set the ticket to \u{201c}{}\u{201d}.",
        author.name,
        status_label(to)
    );
    if !reason.is_empty() {
        message.push_str(&format!("\n\n{reason}"));
    }
    if to == TicketStatus::Pending {
        message.push_str(&format!(
            "\n\nWe are waiting for your answer. Without one, the ticket closes after {}.",
            state.policy.lifecycle.pending_auto_close.hours_text()
        ));
    }
    notify(&mut tx, state, row, author, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The satisfaction survey, once per Solved or Closed ticket that support answered.
pub async fn give_survey(
    state: &AppState,
    user: &CurrentUser,
    row: &TicketRow,
    survey: &SurveyRequest,
) -> AppResult<()> {
    if let Some(refusal) = rating_refusal(row.status(), row.first_response_at.is_some()) {
        return Err(AppError::coded_conflict("survey_not_available", refusal));
    }
    let errors = validate_survey(survey);
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let stored = db::conversation::insert_survey(
        &state.db,
        row.id,
        user.id,
        survey.rating,
        survey.comment.trim(),
        state.now_seconds(),
    )
    .await;
    match stored {
        Err(error) if is_unique_violation(&error) => Err(AppError::coded_conflict(
            "survey_already_given",
            "This ticket has been rated already. Thank you!",
        )),
        other => Ok(other?),
    }
}

/// An agent's public reply (mailed to the customer; the first one meets the response target)
/// or internal note (stored for agents only: no mail, no customer-visible change).
pub async fn agent_reply(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    reply: &AgentReplyRequest,
) -> AppResult<()> {
    if let Some(message) = reply_body_error(&reply.body) {
        return Err(AppError::field("body", message));
    }
    let name = non_empty(Some(&reply.author_name)).unwrap_or(agent_name);
    let author = Author::agent(name);
    let now = state.now_seconds();
    let mut tx = state.begin_write().await?;
    db::conversation::insert_event(
        &mut *tx,
        &NewEvent {
            ticket_id: row.id,
            at: now,
            kind: if reply.internal {
                INTERNAL_NOTE
            } else {
                AGENT_REPLY
            },
            internal: reply.internal,
            actor_kind: author.kind_str(),
            actor_name: &author.name,
            body: reply.body.trim(),
            from_value: "",
            to_value: "",
        },
    )
    .await?;
    if !reply.internal {
        db::conversation::touch(&mut *tx, row.id, now, true).await?;
        let message = format!("{} replied:\n\n{}", author.name, reply.body.trim());
        notify(&mut tx, state, row, &author, &message, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An agent sets the status (with a reason the customer sees). Setting the current status
/// changes nothing.
pub async fn agent_status(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    change: &AgentStatusChange,
) -> AppResult<()> {
    if change.status == TicketStatus::New {
        return Err(AppError::field("status", "A ticket cannot go back to New."));
    }
    check_reason(&change.reason, false)?;
    if change.status == row.status() {
        return Ok(());
    }
    let author = Author::agent(agent_name);
    change_status_with_mail(state, row, change.status, &author, change.reason.trim()).await
}

fn check_reason(reason: &str, required: bool) -> AppResult<()> {
    if !required && reason.trim().is_empty() {
        return Ok(());
    }
    match reply_body_error(reason) {
        Some(message) => Err(AppError::field("reason", message)),
        None => Ok(()),
    }
}

/// An agent changes the severity (one of the policy's) with a reason.
pub async fn agent_severity(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    change: &AgentSeverityChange,
) -> AppResult<()> {
    let Some(severity) = state.policy.severity(&change.severity) else {
        return Err(AppError::field(
            "severity",
            format!(
                "{:?} is not a severity of the support policy.",
                change.severity
            ),
        ));
    };
    check_reason(&change.reason, true)?;
    if severity.id == row.severity {
        return Ok(());
    }
    let response_due_at = response_due_for(state, row, &severity.id).await?;
    let author = Author::agent(agent_name);
    let now = state.now_seconds();
    let mut tx = state.begin_write().await?;
    db::conversation::set_response_due(&mut *tx, row.id, response_due_at).await?;
    if !db::conversation::change_severity(&mut *tx, row.id, &row.severity, &severity.id, now)
        .await?
    {
        return Err(changed_meanwhile());
    }
    insert_change_event(
        &mut tx,
        row,
        SEVERITY_CHANGED,
        &author,
        change.reason.trim(),
        (&row.severity, &severity.id),
        now,
    )
    .await?;
    let from_name = state
        .policy
        .severity(&row.severity)
        .map_or(row.severity.as_str(), |from| from.name.as_str());
    let message = format!(
        "{} changed the severity from {from_name} to {}.\n\n{}",
        author.name,
        severity.name,
        change.reason.trim()
    );
    notify(&mut tx, state, row, &author, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The first-response target of the ticket at `severity` under its organisation's plan.
async fn response_due_for(
    state: &AppState,
    row: &TicketRow,
    severity: &str,
) -> AppResult<Option<i64>> {
    let organisation = db::accounts::organisation(&state.db, row.organisation_id).await?;
    Ok(organisation
        .and_then(|organisation| state.policy.plan(&organisation.plan).cloned())
        .and_then(|plan| response_due(&plan, severity, instant(row.created_at)))
        .map(db::seconds))
}

/// An agent moves the ticket to another support level of the policy (L1 -> L2 -> L3).
pub async fn agent_support_level(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    change: &AgentSupportLevelChange,
) -> AppResult<()> {
    let level = support_level(state, &change.level, "level")?;
    let author = Author::agent(agent_name);
    let now = state.now_seconds();
    let mut tx = state.begin_write().await?;
    if let Some(message) = record_support_level(&mut tx, row, level, &author, now).await? {
        notify(&mut tx, state, row, &author, &message, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The policy's support level `id`, or an error on the request's `field`.
pub(crate) fn support_level<'a>(
    state: &'a AppState,
    id: &str,
    field: &str,
) -> AppResult<&'a SupportLevel> {
    state.policy.support_levels.get(id).ok_or_else(|| {
        AppError::field(
            field,
            format!("{id:?} is not a support level of the support policy."),
        )
    })
}

/// Moves the ticket to `level` within a transaction: the conditional update and its timeline
/// entry. Returns what to tell the customer, or `None` when the ticket is at `level` already.
pub(crate) async fn record_support_level(
    conn: &mut sqlx::SqliteConnection,
    row: &TicketRow,
    level: &SupportLevel,
    author: &Author,
    now: i64,
) -> AppResult<Option<String>> {
    if level.id == row.support_level {
        return Ok(None);
    }
    if !db::conversation::change_support_level(
        &mut *conn,
        row.id,
        &row.support_level,
        &level.id,
        now,
    )
    .await?
    {
        return Err(changed_meanwhile());
    }
    insert_change_event(
        conn,
        row,
        SUPPORT_LEVEL_CHANGED,
        author,
        "",
        (&row.support_level, &level.id),
        now,
    )
    .await?;
    Ok(Some(format!(
        "Your ticket is now handled by {}.",
        level.name
    )))
}

async fn insert_change_event(
    conn: &mut sqlx::SqliteConnection,
    row: &TicketRow,
    kind: &str,
    author: &Author,
    reason: &str,
    (from, to): (&str, &str),
    now: i64,
) -> AppResult<()> {
    db::conversation::insert_event(
        conn,
        &NewEvent {
            ticket_id: row.id,
            at: now,
            kind,
            internal: false,
            actor_kind: author.kind_str(),
            actor_name: &author.name,
            body: reason,
            from_value: from,
            to_value: to,
        },
    )
    .await?;
    Ok(())
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
            requester_name: "Alice".into(),
            severity_rank: sort_values.0,
            escalated: false,
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
