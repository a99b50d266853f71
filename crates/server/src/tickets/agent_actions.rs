//! What an agent does with a ticket its token reaches: a public reply or an internal note, and
//! the changes of status, severity and support level (each with what the customer is told).

use lantern_core::conversation::{
    AgentReplyRequest, AgentSeverityChange, AgentStatusChange, AgentSupportLevelChange,
    reply_body_error,
};
use lantern_core::policy::ContactAttemptCount;
use lantern_core::ticket::{
    AgentDefectLink, AgentRoadmapDecision, TicketStatus, validate_defect_link,
    validate_roadmap_decision,
};

use crate::db::WriteTransaction;
use crate::db::{
    self, instant,
    tickets::{PolicyColumn, TicketRow},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

use super::changes::{
    begin_change, change_status_with_mail, record_policy_id, record_support_level, support_level,
};
use super::events::{self, Author, Event, EventKind, notify, waiting_for_answer};
use super::filing::response_due_for;
use super::updates;

/// An agent's public reply (mailed to the customer; the first one meets the response target)
/// or internal note (stored for agents only: no mail, no customer-visible change).
pub async fn reply(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    reply: &AgentReplyRequest,
) -> AppResult<()> {
    if let Some(message) = reply_body_error(&reply.body) {
        return Err(AppError::field("body", message));
    }
    let author = Author::agent_shown_as(&reply.author_name, agent_name);
    let kind = if reply.internal {
        EventKind::InternalNote
    } else {
        EventKind::AgentReply
    };
    let body = reply.body.trim();
    let now = state.now_seconds();
    let mut tx = begin_change(state, row).await?;
    events::record(&mut tx, row.id, &Event::new(kind, &author, body), now).await?;
    if !reply.internal {
        db::tickets::touch(&mut tx, row.id, now, true).await?;
        let owed = updates::with_support(row.status());
        updates::schedule_next(&mut tx, state, row, &row.severity, now, owed).await?;
        let mut message = format!("{} replied:\n\n{}", author.name, body);
        if let Some(count) = attempts_after_reply(state, &mut tx, row).await? {
            message.push_str(&format!("\n\n{}", count.sentence()));
        }
        notify(&mut tx, state, row, &author, &message, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// On a waiting ticket under the contact-attempt rule, how the count stands with the reply just
/// recorded in `tx`, for its mail.
async fn attempts_after_reply(
    state: &AppState,
    tx: &mut WriteTransaction,
    row: &TicketRow,
) -> AppResult<Option<ContactAttemptCount>> {
    let lifecycle = &state.policy.lifecycle;
    if lifecycle.contact_attempts.is_none() || row.status() != TicketStatus::Pending {
        return Ok(None);
    }
    let events = db::ticket_events::of_ticket(&mut *tx, row.id, false).await?;
    let now = state.clock.now();
    let waiting = waiting_for_answer(lifecycle, row, &events, now);
    Ok(waiting.and_then(|waiting| waiting.contact_attempts))
}

/// An agent sets the status (with a reason the customer sees). Setting the current status
/// changes nothing.
pub async fn change_status(
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

/// An agent changes the severity (one of the policy's) with a reason; the first-response
/// target follows while support has not responded, the update cadence once it has.
pub async fn change_severity(
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
    let response_due_at = response_due_for(
        state,
        row.organisation_id,
        &severity.id,
        instant(row.created_at),
    )
    .await?
    .map(db::seconds);
    let author = Author::agent(agent_name);
    let reason = change.reason.trim();
    let now = state.now_seconds();
    let mut tx = begin_change(state, row).await?;
    db::tickets::set_response_due(&mut tx, row.id, response_due_at).await?;
    // The new severity's cadence counts from the change.
    let owed = updates::with_support(row.status()) && row.first_response_at.is_some();
    updates::schedule_next(&mut tx, state, row, &severity.id, now, owed).await?;
    let values = (row.severity.as_str(), severity.id.as_str());
    let column = PolicyColumn::Severity;
    record_policy_id(&mut tx, row, column, &author, reason, values, now).await?;
    let from_name = state
        .policy
        .severity(&row.severity)
        .map_or(row.severity.as_str(), |from| from.name.as_str());
    let message = format!(
        "{} changed the severity from {from_name} to {}.\n\n{reason}",
        author.name, severity.name,
    );
    notify(&mut tx, state, row, &author, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// An agent moves the ticket to another support level of the policy (L1 -> L2 -> L3).
pub async fn change_support_level(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    change: &AgentSupportLevelChange,
) -> AppResult<()> {
    let level = support_level(state, &change.level, "level")?;
    let author = Author::agent(agent_name);
    let now = state.now_seconds();
    let mut tx = begin_change(state, row).await?;
    if let Some(message) = record_support_level(&mut tx, row, level, &author, now).await? {
        notify(&mut tx, state, row, &author, &message, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An agent links the ticket to an engineering issue, or changes the linked issue's state
/// (Chevah, 003); the customer is mailed the id to follow up with. The same link again changes
/// nothing.
pub async fn link_defect(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    request: &AgentDefectLink,
) -> AppResult<()> {
    let link = validate_defect_link(request).map_err(AppError::fields)?;
    let note = request.note.trim();
    if let Some(message) = Some(note)
        .filter(|note| !note.is_empty())
        .and_then(reply_body_error)
    {
        return Err(AppError::field("note", message));
    }
    let before = row.defect.link();
    if before.as_ref() == Some(&link) {
        return Ok(());
    }
    let author = Author::agent(agent_name);
    let state_text = link.state_text();
    let now = state.now_seconds();
    let mut tx = begin_change(state, row).await?;
    db::tickets::set_defect(&mut tx, row.id, &link, now).await?;
    let values = (state_text.as_str(), link.id.as_str());
    let event = Event::change(EventKind::DefectLinked, &author, note, values);
    events::record(&mut tx, row.id, &event, now).await?;
    let mut message = if before.is_some_and(|before| before.id == link.id) {
        format!("Engineering issue {} is now: {state_text}.", link.id)
    } else {
        format!(
            "{} linked your ticket to engineering issue {} ({state_text}). Find this ticket by \
             that id in My Tickets.",
            author.name, link.id
        )
    };
    if let Some(url) = &link.url {
        message.push_str(&format!("\n\nFollow the issue: {url}"));
    }
    if !note.is_empty() {
        message.push_str(&format!("\n\n{note}"));
    }
    notify(&mut tx, state, row, &author, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// An agent decides on an enhancement request (a case type the policy weighs against the
/// roadmap): planned, under consideration, released in a version, or declined with a reason.
/// The customer is mailed the decision; the same decision again changes nothing.
pub async fn decide_roadmap(
    state: &AppState,
    agent_name: &str,
    row: &TicketRow,
    request: &AgentRoadmapDecision,
) -> AppResult<()> {
    let on_roadmap = state
        .policy
        .case_type(&row.case_type)
        .is_some_and(|case_type| case_type.roadmap);
    if !on_roadmap {
        return Err(AppError::field(
            "state",
            "Only enhancement requests (a case type with `roadmap = true`) get a roadmap state.",
        ));
    }
    let decision = validate_roadmap_decision(request).map_err(AppError::fields)?;
    if let Some(message) = decision.reason.as_deref().and_then(reply_body_error) {
        return Err(AppError::field("reason", message));
    }
    if row.roadmap.decision().as_ref() == Some(&decision) {
        return Ok(());
    }
    let author = Author::agent(agent_name);
    let state_text = decision.state_text();
    let reason = decision.reason.as_deref().unwrap_or_default();
    let now = state.now_seconds();
    let mut tx = begin_change(state, row).await?;
    db::tickets::set_roadmap(&mut tx, row.id, &decision, now).await?;
    let event = Event::change(
        EventKind::RoadmapDecided,
        &author,
        reason,
        ("", &state_text),
    );
    events::record(&mut tx, row.id, &event, now).await?;
    let mut message = format!("Your enhancement request is now: {state_text}.");
    if !reason.is_empty() {
        message.push_str(&format!("\n\n{reason}"));
    }
    notify(&mut tx, state, row, &author, &message, now).await?;
    tx.commit().await?;
    Ok(())
}
