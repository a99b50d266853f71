//! The policy's automatic life-cycle rules: a Pending ticket without an answer from the
//! customer closes after `lifecycle.pending_auto_close` (DDEV 72 h, Code42 7 days), a Solved
//! one after `lifecycle.solved_auto_close` (Code42: 2 days). And the accounts' life-cycle:
//! accounts never confirmed are removed after `LANTERN_UNCONFIRMED_ACCOUNT_DAYS`.
//!
//! Safe to run any time and after a crash: each ticket closes in its own transaction whose
//! conditional update decides, together with its timeline entry and mail; a rerun finds
//! nothing left to do.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lantern_core::policy::Minutes;
use lantern_core::ticket::TicketStatus;

use crate::accounts;
use crate::conversation::{AUTO_CLOSED, Author, notify};
use crate::db::{self, conversation::NewEvent};
use crate::error::AppResult;
use crate::state::AppState;

/// How often the background task looks for tickets to close.
const INTERVAL: Duration = Duration::from_secs(60);
/// How often the clean-up drops what is no longer needed.
const CLEAN_UP_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Closes every ticket a rule applies to at `now`; returns how many it closed.
pub async fn apply_auto_close(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    let lifecycle = state.policy.lifecycle;
    let pending_before = db::seconds(now - lifecycle.pending_auto_close.as_chrono());
    let solved_before = db::seconds(now - lifecycle.solved_auto_close.as_chrono());
    let candidates =
        db::conversation::auto_close_candidates(&state.db, pending_before, solved_before).await?;
    let mut closed = 0;
    for (ticket_id, status) in candidates {
        let (from, since_before, reason) = match TicketStatus::parse(&status) {
            Some(TicketStatus::Pending) => (
                TicketStatus::Pending,
                pending_before,
                pending_reason(lifecycle.pending_auto_close),
            ),
            _ => (
                TicketStatus::Solved,
                solved_before,
                solved_reason(lifecycle.solved_auto_close),
            ),
        };
        if close_one(state, ticket_id, from, since_before, &reason, now).await? {
            closed += 1;
        }
    }
    Ok(closed)
}

fn pending_reason(after: Minutes) -> String {
    format!(
        "Closed automatically: the ticket waited {} for an answer from you.",
        after.hours_text()
    )
}

fn solved_reason(after: Minutes) -> String {
    format!(
        "Closed automatically {} after it was solved.",
        after.hours_text()
    )
}

async fn close_one(
    state: &AppState,
    ticket_id: i64,
    from: TicketStatus,
    since_before: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let now = db::seconds(now);
    let mut tx = state.begin_write().await?;
    if !db::conversation::auto_close(&mut *tx, ticket_id, from, since_before, now).await? {
        return Ok(false); // a customer answered first, or another run closed it
    }
    let Some(row) = db::conversation::find(&mut *tx, ticket_id).await? else {
        return Ok(false);
    };
    let author = Author::system();
    db::conversation::insert_event(
        &mut *tx,
        &NewEvent {
            ticket_id,
            at: now,
            kind: AUTO_CLOSED,
            internal: false,
            actor_kind: author.kind_str(),
            actor_name: &author.name,
            body: reason,
            from_value: from.as_str(),
            to_value: TicketStatus::Closed.as_str(),
        },
    )
    .await?;
    crate::escalation::resolve_with_closed_ticket(&mut tx, &row, now).await?;
    let message = format!(
        "{reason}\n\nIf the problem is back, open a new ticket and mention {}.",
        row.number
    );
    notify(&mut tx, state, &row, &author, &message, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Runs [`apply_auto_close`] every minute for as long as the server runs.
pub fn spawn_auto_close(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        loop {
            ticks.tick().await;
            match apply_auto_close(&state, state.clock.now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "tickets closed automatically"),
                Err(error) => tracing::error!(error = %error, "cannot apply the auto-close rules"),
            }
        }
    })
}

/// Every ten minutes for as long as the server runs: removes accounts never confirmed
/// (`LANTERN_UNCONFIRMED_ACCOUNT_DAYS`, see [`accounts::remove_stale`]) and uploads never put on
/// a ticket (`LANTERN_UNUSED_UPLOAD_HOURS`), and drops the rate limits' state of people and addresses
/// back to their full allowance.
pub fn spawn_clean_up(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(CLEAN_UP_INTERVAL);
        loop {
            ticks.tick().await;
            match accounts::remove_stale(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "unconfirmed accounts removed"),
                Err(error) => tracing::error!(error = %error, "cannot remove unconfirmed accounts"),
            }
            match crate::attachments::remove_unused(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "removed uploads never put on a ticket"),
                Err(error) => tracing::error!(error = %error, "cannot remove unused uploads"),
            }
            state.rate_limits.forget_idle();
        }
    })
}
