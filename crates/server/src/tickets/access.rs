//! Who may see a ticket, and whose files may go on one. Anything a person may not see is "not
//! found", so a ticket number or an upload id reveals nothing about anyone else's.

use lantern_core::ticket::canonical_ticket_number;

use crate::auth::{AgentAuth, CurrentUser};
use crate::db::{self, tickets::TicketRow};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The ticket `number` if `user` may see it: organisation admins see their organisation's,
/// contacts the ones they filed or are copied on.
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
    let row = db::tickets::find_by_number(&state.database, &number)
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
            || db::ticket_ccs::contains(&state.database, row.id, user.id).await?))
}

/// A ticket the agent's token reaches, for the agent API.
pub async fn agent_ticket(
    state: &AppState,
    agent: &AgentAuth,
    number: &str,
) -> AppResult<TicketRow> {
    let number = canonical_ticket_number(number);
    db::tickets::find_by_number(&state.database, &number)
        .await?
        .filter(|row| agent.reaches(row.organisation_id))
        .ok_or_else(|| AppError::not_found(format!("There is no ticket {number}.")))
}

/// An upload id to put on a ticket that is none of the person's uploads: one that never was, a
/// colleague's (whose existence this must not reveal), or her own removed since as unused.
/// `name` is the file's name as the request gave it.
pub fn not_among_uploads(name: Option<&str>) -> AppError {
    let file = name.map_or_else(
        || "A file".to_owned(),
        |name| format!("The file \u{201c}{name}\u{201d}"),
    );
    AppError::not_found(format!(
        "{file} is not among your uploads. Remove it and upload it again."
    ))
}
