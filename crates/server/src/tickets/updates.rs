//! The update cadence (issue 19): once support has answered, it owes the customer an update
//! every so often while the ticket is with support (New or Open), as the organisation's plan
//! sets per severity (DDEV: every hour on Urgent issues, every two hours on High ones,
//! 001_9dfcd67ee301683f.txt). The next update is due counted from support's last public reply,
//! from the moment the ticket came back to support, or from a change of severity; a ticket
//! waiting for the customer, solved or closed owes none.

use lantern_core::policy::schedule::update_due;
use lantern_core::ticket::TicketStatus;

use crate::db::{self, WriteTransaction, tickets::TicketRow};
use crate::error::AppResult;
use crate::state::AppState;

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
