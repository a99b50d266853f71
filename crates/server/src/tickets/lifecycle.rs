//! The policy's automatic life-cycle rules: a Pending ticket without an answer from the
//! customer closes by the time rule (`lifecycle.pending_auto_close`: DDEV 72 h, Code42 7 days)
//! or the contact-attempt rule (`lifecycle.contact_attempts`: Druva's three attempts within ten
//! days), whichever comes first ([`lantern_core::policy::Lifecycle::pending_closes_at`]); a
//! Solved one after `lifecycle.solved_auto_close` (Code42: 2 days). The same round mails the
//! customers whose update is late, on plans that promise it ([`mail_late_updates`]).
//!
//! Safe to run any time and after a crash: each ticket closes in its own transaction whose
//! conditional update decides, together with its timeline entry and mail; a rerun finds
//! nothing left to do.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lantern_core::policy::{ContactAttempts, Minutes, PendingRule, contact_attempts};
use lantern_core::ticket::TicketStatus;

use crate::db::{self, instant};
use crate::error::AppResult;
use crate::metrics;
use crate::state::AppState;

use super::changes::resolve_with_closed_ticket;
use super::events::{self, Author, Event, EventKind, notify};
use super::updates::mail_late_updates;

/// How often the background task looks for tickets to close.
const INTERVAL: Duration = Duration::from_secs(60);

/// The lease ([`db::leases`]) under which one server of several runs the rules; three rounds
/// long, so a holder that dies hands them on within three minutes, and a holder that misses one
/// round keeps them.
const LEASE: &str = "auto-close";
const LEASE_SECONDS: i64 = 3 * INTERVAL.as_secs() as i64;

/// Closes every ticket a rule applies to at `now`; returns how many it closed.
pub async fn apply_auto_close(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    let lifecycle = state.policy.lifecycle;
    let mut closed = 0;
    if let Some(shortest_wait) = lifecycle.shortest_pending_wait() {
        let pending_before = db::seconds(now - shortest_wait.as_chrono());
        let reply_kind = EventKind::AgentReply.as_str();
        for ticket in
            db::tickets::waiting_since(&state.database, pending_before, reply_kind).await?
        {
            let since = instant(ticket.pending_since);
            let replies: Vec<_> = ticket.agent_replies.iter().map(|&at| instant(at)).collect();
            let attempts = contact_attempts(since, &replies);
            let Some((closes_at, rule)) = lifecycle.pending_closes_at(since, &attempts) else {
                continue;
            };
            if closes_at > now {
                continue;
            }
            let reason = match (rule, lifecycle.contact_attempts) {
                (PendingRule::ContactAttempts, Some(rule)) => attempts_reason(rule),
                _ => pending_reason(lifecycle.pending_auto_close.unwrap_or(shortest_wait)),
            };
            // Pending since exactly then: a customer answer or a new wait since changes it.
            let from = (TicketStatus::Pending, ticket.pending_since);
            if close_one(state, ticket.id, from, &reason, now).await? {
                closed += 1;
            }
        }
    }
    let solved_before = db::seconds(now - lifecycle.solved_auto_close.as_chrono());
    let reason = solved_reason(lifecycle.solved_auto_close);
    for ticket_id in db::tickets::solved_before(&state.database, solved_before).await? {
        let from = (TicketStatus::Solved, solved_before);
        if close_one(state, ticket_id, from, &reason, now).await? {
            closed += 1;
        }
    }
    Ok(closed)
}

fn pending_reason(after: Minutes) -> String {
    format!(
        "Closed automatically: the ticket waited {} for an answer from you.",
        after.wall_clock_text()
    )
}

fn attempts_reason(rule: ContactAttempts) -> String {
    format!(
        "Closed automatically: we tried to reach you {} times within {} without an answer.",
        rule.attempts,
        rule.within.wall_clock_text()
    )
}

fn solved_reason(after: Minutes) -> String {
    format!(
        "Closed automatically {} after it was solved.",
        after.wall_clock_text()
    )
}

/// Closes the ticket when it is still in `from`'s status since `from`'s instant or earlier.
async fn close_one(
    state: &AppState,
    ticket_id: i64,
    (from, since_before): (TicketStatus, i64),
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let now = db::seconds(now);
    let mut tx = state.begin_write().await?;
    if !db::tickets::auto_close(&mut tx, ticket_id, from, since_before, now).await? {
        return Ok(false); // a customer answered first, or another run closed it
    }
    let Some(row) = db::tickets::find(&mut tx, ticket_id).await? else {
        return Ok(false);
    };
    let author = Author::system();
    let change = (from.as_str(), TicketStatus::Closed.as_str());
    let event = Event::change(EventKind::AutoClosed, &author, reason, change);
    events::record(&mut tx, ticket_id, &event, now).await?;
    resolve_with_closed_ticket(&mut tx, &row, now).await?;
    let message = format!(
        "{reason}\n\nIf the problem is back, open a new ticket and mention {}.",
        row.number
    );
    notify(&mut tx, state, &row, &author, &message, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Runs [`apply_auto_close`] every minute for as long as the server runs, on the one server of
/// several that holds the lease. The rules are safe to run on several at once (each ticket's
/// conditional update decides); the lease saves the others the work and the database the load.
pub fn spawn_auto_close(state: AppState) -> tokio::task::JoinHandle<()> {
    let holder = format!("{:016x}", rand::random::<u64>());
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        loop {
            ticks.tick().await;
            match run_if_holding(&state, &holder).await {
                Ok(Some(round)) if round != Round::default() => {
                    let Round {
                        closed,
                        late_update_mails,
                    } = round;
                    tracing::info!(closed, late_update_mails, "life-cycle rules applied");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(error = %error, "cannot apply the life-cycle rules"),
            }
        }
    })
}

/// What one round of the rules did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Tickets closed automatically.
    pub closed: u64,
    /// Customers mailed that support's update is late ([`mail_late_updates`]).
    pub late_update_mails: u64,
}

/// One round of the rules when `holder` takes or renews the lease; `None` when another server
/// holds it.
pub async fn run_if_holding(state: &AppState, holder: &str) -> AppResult<Option<Round>> {
    let now = state.clock.now();
    let seconds = db::seconds(now);
    if !db::leases::take(
        &state.database,
        LEASE,
        holder,
        seconds,
        seconds + LEASE_SECONDS,
    )
    .await?
    {
        return Ok(None);
    }
    let round = Round {
        closed: apply_auto_close(state, now).await?,
        late_update_mails: mail_late_updates(state, now).await?,
    };
    metrics::life_cycle_round(round.closed, round.late_update_mails);
    Ok(Some(round))
}
