//! The update cadence (issue 19): once support has answered, it owes the customer an update
//! every so often while the ticket is with support (New or Open), as the organisation's plan
//! sets per severity (DDEV: every hour on Urgent issues, every two hours on High ones,
//! 001_9dfcd67ee301683f.txt). The next update is due counted from support's last public reply,
//! from the moment the ticket came back to support, or from a change of severity; a ticket
//! waiting for the customer, solved or closed owes none.

use chrono::{DateTime, Utc};
use lantern_core::policy::schedule::update_due;
use lantern_core::ticket::TicketStatus;

use crate::db::{self, WriteTransaction, tickets::TicketRow};
use crate::error::AppResult;
use crate::state::AppState;

use super::events::{self, Author};
use super::filing::organisation_plan;

/// Whether a ticket in `status` owes the customer updates, once support has answered.
pub fn with_support(status: TicketStatus) -> bool {
    matches!(status, TicketStatus::New | TicketStatus::Open)
}

/// Sets when support's next update on the ticket is due, counted from `since`: `owed` when
/// the ticket is with support after the first response; none when it is not owed or the plan
/// sets no interval for `severity` (the ticket's, or the one it is changing to).
pub async fn schedule_next(
    tx: &mut WriteTransaction,
    state: &AppState,
    row: &TicketRow,
    severity: &str,
    since: i64,
    owed: bool,
) -> AppResult<()> {
    let due_at = if owed {
        organisation_plan(state, row.organisation_id)
            .await?
            .and_then(|plan| update_due(plan, severity, db::instant(since)))
    } else {
        None
    };
    db::tickets::set_update_due(tx, row.id, due_at.map(db::seconds)).await?;
    Ok(())
}

/// Mails the customer of every ticket whose update is late at `now`, on the plans that promise
/// such a notice (`late_update_mail`); once per missed update, so support's next reply and a
/// new miss mail again. Returns how many tickets were mailed.
///
/// Safe to run any time and after a crash: each ticket's conditional claim decides, together
/// with its mail, in one transaction; a rerun finds nothing left to do.
pub async fn mail_late_updates(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    if !state.policy.plans.iter().any(|plan| plan.late_update_mail) {
        return Ok(0);
    }
    let now = db::seconds(now);
    let mut mailed = 0;
    for ticket_id in db::tickets::late_updates(&state.database, now).await? {
        let mut tx = state.begin_write().await?;
        // Claimed on every plan, so a ticket whose plan mails nothing is not read again.
        if !db::tickets::claim_late_update(&mut tx, ticket_id, now).await? {
            continue; // support replied first, or another run mailed it
        }
        let Some(row) = db::tickets::find(&mut tx, ticket_id).await? else {
            continue;
        };
        let plan = organisation_plan(state, row.organisation_id).await?;
        let notice = plan.zip(state.policy.severity(&row.severity));
        if let Some(message) = notice.and_then(|(plan, severity)| plan.late_update_notice(severity))
        {
            events::notify(&mut tx, state, &row, &Author::system(), &message, now).await?;
            mailed += 1;
        }
        tx.commit().await?;
    }
    Ok(mailed)
}
