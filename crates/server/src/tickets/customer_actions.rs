//! What a customer does with a ticket she may see: reply (with her uploads), say it is solved,
//! confirm support's solution, reopen it within the policy's window, and rate the support.
//! Each change is one transaction holding the conditional update, its timeline entry and its
//! mail, so either all of it happened or none.

use chrono::{DateTime, Utc};
use lantern_core::conversation::{
    ReplyRequest, SurveyRequest, can_accept_solution, can_mark_solved, rating_refusal,
    validate_reply, validate_survey,
};
use lantern_core::ticket::TicketStatus;

use crate::auth::CurrentUser;
use crate::clock::readable_utc;
use crate::db::{self, instant, tickets::TicketRow};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

use super::access::not_among_uploads;
use super::changes::{
    begin_change, change_status_with_mail, changed_meanwhile, record_status, ticket_closed,
};
use super::events::{self, Author, Event, EventKind, notify, solved_by};

/// A customer's reply: Pending goes back to Open, Solved reopens within the window.
pub async fn reply(
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
    let copied = db::ticket_ccs::emails(&state.database, row.id).await?;
    state.rate_limits.cc_mails(
        user.id,
        copied
            .iter()
            .filter(|email| Some(*email) != author.email.as_ref())
            .count(),
    )?;
    let now = db::seconds(now_instant);
    let body = reply.body.trim();
    let mut tx = begin_change(state, row).await?;
    let event = Event::new(EventKind::CustomerReply, &author, body);
    let event_id = events::record(&mut tx, row.id, &event, now).await?;
    for attachment in &reply.attachments {
        let attached =
            db::attachments::attach(&mut tx, attachment, user.id, row.id, Some(event_id)).await?;
        if !attached {
            return Err(
                match db::attachments::find_of(&mut tx, attachment, user.id).await? {
                    Some(_) => AppError::field(
                        "attachments",
                        "A file is already on a ticket. Remove it and upload it again.",
                    ),
                    None => not_among_uploads(None),
                },
            );
        }
    }
    match reopens_to {
        Some(to) => record_status(&mut tx, state, row, to, &author, "", now).await?,
        // The ticket is locked since the transaction began, so this read sees the latest
        // status: a ticket closed a moment ago takes no reply.
        None => {
            let status = db::tickets::current_status(&mut tx, row.id).await?;
            if status.as_deref() != Some(row.status().as_str()) {
                return Err(changed_meanwhile());
            }
        }
    }
    db::tickets::touch(&mut tx, row.id, now, false).await?;
    let message = format!("{} wrote:\n\n{}", author.name, body);
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
    let events = db::ticket_events::of_ticket(&state.database, row.id, false).await?;
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

/// The end of the reopen window of a Solved ticket.
fn reopen_until(state: &AppState, row: &TicketRow) -> Option<DateTime<Utc>> {
    row.solved_at
        .map(|solved_at| instant(solved_at) + state.policy.lifecycle.reopen_window.as_chrono())
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
    let stored = db::ticket_surveys::insert(
        &state.database,
        row.id,
        user.id,
        survey.rating,
        survey.comment.trim(),
        state.now_seconds(),
    )
    .await;
    match stored {
        Err(error) if db::is_unique_violation(&error) => Err(AppError::coded_conflict(
            "survey_already_given",
            "This ticket has been rated already. Thank you!",
        )),
        other => Ok(other?),
    }
}
