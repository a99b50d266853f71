//! Escalation requests (issue 7): a customer asks for more attention on an open ticket, an agent
//! acknowledges, then resolves or declines it, optionally moving the ticket to another support
//! level. The rules are `lantern_core::escalation`'s; each step is one transaction holding the
//! request's row, its timeline entry and the customer's mail.

use chrono::{DateTime, Utc};
use lantern_core::conversation::{Actor, reply_body_error};
use lantern_core::escalation::{
    ANSWER, Escalation, EscalationAnswer, EscalationAvailability, EscalationReason,
    EscalationRequest, EscalationState, EscalationStep, OpenEscalation, ReasonFacts, SUPPORT_LEVEL,
    escalation_availability, validate_escalation,
};
use lantern_core::ticket::TicketStatus;

use crate::auth::{AgentAuth, CurrentUser};
use crate::clock::readable_utc;
use crate::db::{
    self,
    escalations::{EscalationRow, NewEscalation, Transition},
    ticket_events::EventRow,
    tickets::TicketRow,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

use super::changes::{
    begin_change, changed_meanwhile, record_support_level, support_level, ticket_closed,
};
use super::events::{self, Author, Event, notify};
use super::list::non_empty;

/// The timeline step to `state` that `event` records; `None` when its request is not among
/// the ticket's `escalations`.
pub(super) fn timeline_step(
    state: EscalationState,
    event: &EventRow,
    by: Actor,
    escalations: &[Escalation],
) -> Option<EscalationStep> {
    let escalation = escalations
        .iter()
        .find(|escalation| Some(escalation.id) == event.escalation_id)?;
    Some(EscalationStep {
        escalation_id: escalation.id,
        state,
        by,
        reason: escalation.reason,
        text: event.body.clone(),
        requested_severity: escalation
            .requested_severity
            .clone()
            .filter(|_| state == EscalationState::Requested),
    })
}

/// The ticket's requests, oldest first.
pub async fn of_ticket(db: &db::Db, ticket_id: i64) -> AppResult<Vec<Escalation>> {
    Ok(db::escalations::of_ticket(db, ticket_id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

fn view(row: EscalationRow) -> Escalation {
    Escalation {
        id: row.id,
        state: EscalationState::parse(&row.state).unwrap_or(EscalationState::Requested),
        reason: EscalationReason::parse(&row.reason).unwrap_or_default(),
        details: row.details,
        requested_severity: row.requested_severity,
        callback_phone: row.callback_phone,
        callback_availability: row.callback_availability,
        requested_by: row.requested_by,
        requested_at: db::instant(row.requested_at),
        review_due_at: db::instant(row.review_due_at),
        acknowledged_at: row.acknowledged_at.map(db::instant),
        closed_at: row.closed_at.map(db::instant),
        answer: row.answer,
        answered_by: row.answered_by,
    }
}

async fn find(state: &AppState, row: &TicketRow, id: i64) -> AppResult<Escalation> {
    db::escalations::find(&state.database, row.id, id)
        .await?
        .map(view)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "Ticket {} has no escalation request {id}.",
                row.number
            ))
        })
}

fn escalation_open() -> AppError {
    AppError::coded_conflict(
        "escalation_open",
        "An escalation request of this ticket is open already; a support manager will answer it."
            .to_owned(),
    )
}

/// Why the ticket takes no request now, as the error the customer reads.
fn unavailable(row: &TicketRow, availability: EscalationAvailability) -> Option<AppError> {
    match availability {
        EscalationAvailability::Available => None,
        EscalationAvailability::AlreadyOpen { .. } => Some(escalation_open()),
        EscalationAvailability::CoolingDown { until } => Some(AppError::coded_conflict(
            "escalation_cooling_down",
            format!(
                "The last escalation request was declined. You can request a new one from {}; \
                 until then, reply on the ticket.",
                readable_utc(until)
            ),
        )),
        EscalationAvailability::TicketFinished => Some(finished(row, row.status())),
    }
}

fn finished(row: &TicketRow, status: TicketStatus) -> AppError {
    if status == TicketStatus::Closed {
        ticket_closed(&row.number)
    } else {
        AppError::coded_conflict(
            "ticket_finished",
            "This ticket is solved. Reopen it first if the problem is back.".to_owned(),
        )
    }
}

/// A customer's request: checked against the open, closed and cool-down rules and the fields,
/// then stored with its timeline entry and a confirmation mail to everyone on the ticket.
pub async fn request(
    state: &AppState,
    user: &CurrentUser,
    row: &TicketRow,
    request: &EscalationRequest,
) -> AppResult<Escalation> {
    let now_instant = state.clock.now();
    let existing = of_ticket(&state.database, row.id).await?;
    let availability = escalation_availability(&state.policy, row.status(), &existing, now_instant);
    if let Some(error) = unavailable(row, availability) {
        return Err(error);
    }
    let facts = ReasonFacts {
        response_due_at: row.response_due_at.map(db::instant),
        first_response_at: row.first_response_at.map(db::instant),
        update_due_at: row.update_due_at.map(db::instant),
    };
    let errors = validate_escalation(&state.policy, &row.severity, facts, now_instant, request);
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    state.rate_limits.escalation(user.id)?;
    let author = Author::customer(user);
    let now = db::seconds(now_instant);
    let review_due_at = now_instant + state.policy.escalation.review_target.as_chrono();
    let details = request.details.trim();
    let mut tx = begin_change(state, row).await?;
    let inserted = db::escalations::insert(
        &mut tx,
        &NewEscalation {
            ticket_id: row.id,
            reason: request.reason.as_str(),
            details,
            requested_severity: non_empty(Some(&request.requested_severity)),
            callback_phone: request.callback_phone.trim(),
            callback_availability: request.callback_availability.trim(),
            requester_id: user.id,
            requested_by: &author.name,
            requested_at: now,
            review_due_at: db::seconds(review_due_at),
        },
    )
    .await;
    let id = match inserted {
        Err(error) if db::is_unique_violation(&error) => return Err(escalation_open()),
        other => other?,
    };
    let step = Event::escalation_step(id, EscalationState::Requested, &author, details);
    events::record(&mut tx, row.id, &step, now).await?;
    // The ticket is locked since the transaction began, so this read sees the latest status: a
    // ticket solved or closed a moment ago takes no request.
    let status = db::tickets::current_status(&mut tx, row.id)
        .await?
        .and_then(|status| TicketStatus::parse(&status))
        .unwrap_or(TicketStatus::Closed);
    if matches!(status, TicketStatus::Solved | TicketStatus::Closed) {
        return Err(finished(row, status));
    }
    db::tickets::touch(&mut tx, row.id, now, false).await?;
    let message = confirmation(state, &author, request, review_due_at);
    // The requester gets the confirmation too: it says what happens next.
    let everyone = Author {
        email: None,
        ..author
    };
    notify(&mut tx, state, row, &everyone, &message, now).await?;
    tx.commit().await?;
    find(state, row, id).await
}

/// The mail about a new request: what was asked and what happens next.
fn confirmation(
    state: &AppState,
    author: &Author,
    request: &EscalationRequest,
    review_due_at: DateTime<Utc>,
) -> String {
    let mut message = format!(
        "{} requested an escalation of this ticket.\n\nReason: {}\n\n{}",
        author.name,
        request.reason.label(),
        request.details.trim()
    );
    if let Some(severity) = state.policy.severity(request.requested_severity.trim()) {
        message.push_str(&format!("\n\nRequested severity: {}", severity.name));
    }
    if let Some(phone) = non_empty(Some(&request.callback_phone)) {
        let when = non_empty(Some(&request.callback_availability))
            .map_or_else(String::new, |when| format!(" ({when})"));
        message.push_str(&format!("\n\nCall back: {phone}{when}"));
    }
    message.push_str(&format!(
        "\n\nWhat happens next: a support manager reviews the request within {}, by {}, and \
         answers on the ticket.",
        state.policy.escalation.review_target.hours_text(),
        readable_utc(review_due_at)
    ));
    message
}

/// An agent acknowledges, resolves or declines the request `id` of the ticket, optionally
/// moving the ticket to another support level in the same step.
pub async fn answer(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    id: i64,
    answer: &EscalationAnswer,
) -> AppResult<Escalation> {
    let current = find(state, row, id).await?;
    let to = answer.state;
    if to == EscalationState::Requested || !current.state.can_become(to) {
        return Err(invalid_step(current.state, to));
    }
    let text = answer.answer.trim();
    // An acknowledgement may come without words; a final answer may not.
    let checked = to != EscalationState::Acknowledged || !text.is_empty();
    if checked && let Some(message) = reply_body_error(&answer.answer) {
        return Err(AppError::field(ANSWER, message));
    }
    let level = non_empty(answer.support_level.as_deref())
        .map(|level| support_level(state, level, SUPPORT_LEVEL))
        .transpose()?;
    let author = Author::agent_shown_as(&answer.author_name, agent_name);
    let now = state.now_seconds();
    let mut tx = begin_change(state, row).await?;
    let moved = db::escalations::transition(
        &mut tx,
        &Transition {
            id,
            from: current.state.as_str(),
            to: to.as_str(),
            closes: !to.is_open(),
            answer: text,
            answered_by: &author.name,
            now,
        },
    )
    .await?;
    if !moved {
        return Err(changed_meanwhile());
    }
    let step = Event::escalation_step(id, to, &author, text);
    events::record(&mut tx, row.id, &step, now).await?;
    let mut message = format!("{}: {}", to.label(), current.reason.label());
    if !text.is_empty() {
        message.push_str(&format!("\n\n{} wrote:\n\n{text}", author.name));
    }
    if let Some(level) = level
        && let Some(moved) = record_support_level(&mut tx, row, level, &author, now).await?
    {
        message.push_str(&format!("\n\n{moved}"));
    }
    db::tickets::touch(&mut tx, row.id, now, false).await?;
    notify(&mut tx, state, row, &author, &message, now).await?;
    tx.commit().await?;
    find(state, row, id).await
}

fn invalid_step(from: EscalationState, to: EscalationState) -> AppError {
    AppError::coded_conflict(
        "escalation_state",
        format!(
            "An escalation request that is {} cannot become {}.",
            from.as_str(),
            to.as_str()
        ),
    )
}

/// The agents' queue: open requests of every organisation, oldest review target first.
pub async fn open(state: &AppState, agent: &AgentAuth) -> AppResult<Vec<OpenEscalation>> {
    Ok(
        db::escalations::open(&state.database, agent.organisation_id)
            .await?
            .into_iter()
            .map(|open| OpenEscalation {
                ticket_number: open.ticket_number,
                ticket_subject: open.ticket_subject,
                organisation_name: open.organisation_name,
                escalation: view(open.escalation),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use lantern_core::conversation::ActorKind;

    use super::*;
    use crate::tickets::events::EventKind;

    fn escalation(id: i64) -> Escalation {
        Escalation {
            id,
            state: EscalationState::Declined,
            reason: EscalationReason::NoResponse,
            details: "Nobody answered within the response target.".into(),
            requested_severity: Some("critical".into()),
            callback_phone: String::new(),
            callback_availability: String::new(),
            requested_by: "Alice".into(),
            requested_at: DateTime::default(),
            review_due_at: DateTime::default(),
            acknowledged_at: None,
            closed_at: None,
            answer: String::new(),
            answered_by: String::new(),
        }
    }

    fn event(state: EscalationState, escalation_id: Option<i64>) -> EventRow {
        EventRow {
            id: 1,
            at: 0,
            kind: EventKind::Escalation(state).as_str().into(),
            internal: false,
            actor_kind: "agent".into(),
            actor_name: "Sam".into(),
            body: "Looking into it.".into(),
            from_value: String::new(),
            to_value: String::new(),
            escalation_id,
        }
    }

    fn step(state: EscalationState, escalation_id: Option<i64>) -> Option<EscalationStep> {
        let by = Actor {
            kind: ActorKind::Agent,
            name: "Sam".into(),
        };
        let escalations = [escalation(7), escalation(8)];
        timeline_step(state, &event(state, escalation_id), by, &escalations)
    }

    #[test]
    fn every_step_reads_back_from_its_event() {
        for state in EscalationState::ALL {
            let stored = event(state, Some(8));
            assert_eq!(EventKind::of(&stored), Some(EventKind::Escalation(state)));
            let step = step(state, Some(8)).expect("a step");
            assert_eq!((step.state, step.escalation_id), (state, 8));
            assert_eq!(step.reason, EscalationReason::NoResponse);
            assert_eq!(step.text, "Looking into it.");
            // The requested severity belongs to the request, not to the answers.
            assert_eq!(
                step.requested_severity.is_some(),
                state == EscalationState::Requested
            );
        }
    }

    #[test]
    fn steps_of_unknown_requests_are_no_steps() {
        assert_eq!(step(EscalationState::Resolved, None), None);
        assert_eq!(step(EscalationState::Resolved, Some(99)), None);
    }
}
