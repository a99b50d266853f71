//! The changes every action shares, each inside the caller's write transaction: the conditional
//! update (false when another change came first: the answer is [`changed_meanwhile`]) and its
//! timeline entry. A ticket that closes takes its open escalation request with it.

use lantern_core::conversation::status_label;
use lantern_core::escalation::EscalationState;
use lantern_core::policy::SupportLevel;
use lantern_core::ticket::TicketStatus;

use crate::db::WriteTransaction;
use crate::db::{
    self,
    escalations::Transition,
    tickets::{PolicyColumn, TicketRow},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

use super::events::{self, Author, Event, EventKind, notify};
use super::updates;

pub fn changed_meanwhile() -> AppError {
    AppError::coded_conflict(
        "ticket_changed",
        "The ticket changed meanwhile. Reload it and try again.",
    )
}

pub fn ticket_closed(number: &str) -> AppError {
    AppError::coded_conflict(
        "ticket_closed",
        format!("This ticket is closed. Open a new ticket and mention {number}."),
    )
}

/// Begins the write transaction of a change to the ticket `row`, the ticket locked first
/// ([`db::tickets::lock`]): every transaction that changes a ticket takes its row before any
/// other, so two of them wait for each other in one order and never deadlock.
pub async fn begin_change(state: &AppState, row: &TicketRow) -> AppResult<WriteTransaction> {
    let mut tx = state.begin_write().await?;
    db::tickets::lock(&mut tx, row.id).await?;
    Ok(tx)
}

/// A status change: the conditional update, its timeline entry; a ticket back with support
/// after the first response owes the customer an update again.
pub async fn record_status(
    tx: &mut WriteTransaction,
    state: &AppState,
    row: &TicketRow,
    to: TicketStatus,
    author: &Author,
    reason: &str,
    now: i64,
) -> AppResult<()> {
    let from = row.status();
    if !db::tickets::change_status(&mut *tx, row.id, from, to, now).await? {
        return Err(changed_meanwhile());
    }
    if to == TicketStatus::Closed {
        resolve_with_closed_ticket(&mut *tx, row, now).await?;
    }
    if updates::with_support(to) && !updates::with_support(from) {
        let owed = row.first_response_at.is_some();
        updates::schedule_next(tx, state, row, &row.severity, now, owed).await?;
    }
    let change = (from.as_str(), to.as_str());
    let event = Event::change(EventKind::StatusChanged, author, reason, change);
    events::record(tx, row.id, &event, now).await?;
    Ok(())
}

/// A status change in a transaction of its own, with the mail about it.
pub async fn change_status_with_mail(
    state: &AppState,
    row: &TicketRow,
    to: TicketStatus,
    author: &Author,
    reason: &str,
) -> AppResult<()> {
    let now = state.now_seconds();
    let mut tx = begin_change(state, row).await?;
    record_status(&mut tx, state, row, to, author, reason, now).await?;
    let mut message = format!(
        "{} set the ticket to \u{201c}{}\u{201d}.",
        author.name,
        status_label(to)
    );
    if !reason.is_empty() {
        message.push_str(&format!("\n\n{reason}"));
    }
    if to == TicketStatus::Pending {
        message.push_str("\n\nWe are waiting for your answer.");
        if let Some(rules) = state.policy.lifecycle.pending_rules_text() {
            message.push_str(&format!(" {rules}"));
        }
    }
    notify(&mut tx, state, row, author, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The policy's support level `id`, or an error on the request's `field`.
pub fn support_level<'a>(
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

/// Moves a policy id of the ticket (its severity or support level) from `from` to `to`: the
/// conditional update and its timeline entry with the `reason`.
pub async fn record_policy_id(
    tx: &mut WriteTransaction,
    row: &TicketRow,
    column: PolicyColumn,
    author: &Author,
    reason: &str,
    (from, to): (&str, &str),
    now: i64,
) -> AppResult<()> {
    if !db::tickets::change_policy_id(&mut *tx, column, row.id, from, to, now).await? {
        return Err(changed_meanwhile());
    }
    let kind = match column {
        PolicyColumn::Severity => EventKind::SeverityChanged,
        PolicyColumn::SupportLevel => EventKind::SupportLevelChanged,
    };
    let event = Event::change(kind, author, reason, (from, to));
    events::record(tx, row.id, &event, now).await?;
    Ok(())
}

/// Moves the ticket to `level`: the conditional update and its timeline entry. Returns what to
/// tell the customer, or `None` when the ticket is at `level` already.
pub async fn record_support_level(
    tx: &mut WriteTransaction,
    row: &TicketRow,
    level: &SupportLevel,
    author: &Author,
    now: i64,
) -> AppResult<Option<String>> {
    if level.id == row.support_level {
        return Ok(None);
    }
    let change = (row.support_level.as_str(), level.id.as_str());
    record_policy_id(tx, row, PolicyColumn::SupportLevel, author, "", change, now).await?;
    Ok(Some(format!(
        "Your ticket is now handled by {}.",
        level.name
    )))
}

/// A ticket that closes takes its open request with it, resolved by Lantern, so the agents'
/// queue holds only tickets still being worked on. Runs in the transaction that closes it.
pub async fn resolve_with_closed_ticket(
    tx: &mut WriteTransaction,
    row: &TicketRow,
    now: i64,
) -> AppResult<()> {
    let Some(open) = db::escalations::open_of_ticket(&mut *tx, row.id).await? else {
        return Ok(());
    };
    let author = Author::system();
    let text = "Resolved together with the ticket, which is closed now.";
    let resolved = EscalationState::Resolved;
    let moved = db::escalations::transition(
        &mut *tx,
        &Transition {
            id: open.id,
            from: &open.state,
            to: resolved.as_str(),
            closes: true,
            answer: text,
            answered_by: &author.name,
            now,
        },
    )
    .await?;
    if moved {
        let step = Event::escalation_step(open.id, resolved, &author, text);
        events::record(tx, row.id, &step, now).await?;
    }
    Ok(())
}
