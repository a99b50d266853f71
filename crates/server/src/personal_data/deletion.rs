//! Deleting an account (GDPR article 17): by the person herself, her password as proof, or by
//! an agent. Her organisation's tickets stay, naming "Deleted user" at an unroutable address;
//! what only concerned her goes. One write transaction, so a deletion is whole or not at all.

use lantern_core::api::AccountDeletion;

use crate::accounts;
use crate::auth::{AgentAuth, CurrentUser};
use crate::db::{self, accounts::User};
use crate::error::{AppError, AppResult};
use crate::kb::Voter;
use crate::state::AppState;

use super::{DELETED_NAME, deleted_email};

/// What a deleted person's callback number becomes in the copies of mails that gave it.
const REMOVED_PHONE: &str = "(number removed)";

/// The signed-in person deletes her own account once her password is confirmed.
pub async fn delete_own_account(
    state: &AppState,
    user: &CurrentUser,
    request: &AccountDeletion,
    client: &str,
) -> AppResult<()> {
    let stored =
        accounts::confirm_password(state, user, &request.password, client, "password").await?;
    delete_account(state, &stored).await
}

/// An agent deletes the account of `email`, in an organisation its token reaches; any other
/// is "not found", as one that does not exist.
pub async fn delete_for_agent(state: &AppState, agent: &AgentAuth, email: &str) -> AppResult<()> {
    let user = db::accounts::user_by_email(&state.database, email.trim())
        .await?
        .filter(|user| agent.reaches(user.organisation_id))
        .ok_or_else(|| AppError::not_found("There is no account with this e-mail address."))?;
    delete_account(state, &user).await
}

/// Replaces the person wherever her organisation's tickets name her, removes what was only
/// hers, and empties her account's row (kept for the tickets' foreign keys).
async fn delete_account(state: &AppState, user: &User) -> AppResult<()> {
    let placeholder_email = deleted_email(user.id);
    let (organisation, id) = (user.organisation_id, user.id);
    let mut tx = state.begin_write().await?;
    let phones = db::escalations::callback_phones_of(&mut tx, id).await?;
    db::tickets::anonymise_contact(
        &mut tx,
        organisation,
        id,
        &user.email,
        DELETED_NAME,
        &placeholder_email,
    )
    .await?;
    db::ticket_events::anonymise_customer(&mut tx, id, organisation, &user.name, DELETED_NAME)
        .await?;
    db::escalations::anonymise_requester(&mut tx, id, DELETED_NAME).await?;
    db::ticket_ccs::remove_user(&mut tx, id).await?;
    db::kb::delete_votes_of(&mut tx, &Voter::User(id).key()).await?;
    db::deflections::forget_user(&mut tx, id).await?;
    db::attachments::delete_unattached_of(&mut tx, id).await?;
    db::idempotency_keys::delete_for_user(&mut tx, id).await?;
    db::sessions::delete_for_user(&mut tx, id).await?;
    db::known_devices::forget_user(&mut tx, id).await?;
    db::tokens::delete_for_user(&mut tx, id).await?;
    db::throttle_events::forget_mailbox(&mut tx, &user.email).await?;
    let mentions: Vec<(&str, &str)> = [
        (user.email.as_str(), placeholder_email.as_str()),
        (user.name.as_str(), DELETED_NAME),
    ]
    .into_iter()
    .chain(phones.iter().map(|phone| (phone.as_str(), REMOVED_PHONE)))
    .collect();
    db::outbox::forget_person(&mut tx, &user.email, &mentions).await?;
    db::accounts::anonymise(
        &mut tx,
        id,
        DELETED_NAME,
        &placeholder_email,
        state.now_seconds(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
