//! Deleting an account (GDPR article 17): by the person herself, her password as proof, or by
//! an agent. Her organisation's tickets stay, naming "Deleted user" at an unroutable address;
//! what only concerned her goes. One write transaction, so a deletion is whole or not at all.

use lantern_core::api::AccountDeletion;

use crate::accounts;
use crate::auth::{AgentAuth, CurrentUser};
use crate::db::{self, WriteTransaction, accounts::User};
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
    let mut tx = state.begin_write().await?;
    // Read before the requests lose them: the mails that gave them are rewritten last.
    let phones = db::escalations::callback_phones_of(&mut tx, user.id).await?;
    replace_on_tickets(&mut tx, user, &placeholder_email).await?;
    remove_what_was_hers(&mut tx, user).await?;
    forget_in_mail(&mut tx, user, &placeholder_email, &phones).await?;
    let now = state.now_seconds();
    db::accounts::anonymise(&mut tx, user.id, DELETED_NAME, &placeholder_email, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The contact of her tickets, the author of her events, the name and callback details of her
/// escalation requests.
async fn replace_on_tickets(
    tx: &mut WriteTransaction,
    user: &User,
    placeholder_email: &str,
) -> sqlx::Result<()> {
    let (organisation, id) = (user.organisation_id, user.id);
    db::tickets::anonymise_contact(
        &mut *tx,
        organisation,
        id,
        &user.email,
        DELETED_NAME,
        placeholder_email,
    )
    .await?;
    db::ticket_events::anonymise_customer(&mut *tx, id, organisation, &user.name, DELETED_NAME)
        .await?;
    db::escalations::anonymise_requester(&mut *tx, id, DELETED_NAME).await
}

/// Her CCs, votes, free uploads, keys, sessions, browsers, mailed links and throttle events;
/// her deflections stay in the count without her.
async fn remove_what_was_hers(tx: &mut WriteTransaction, user: &User) -> sqlx::Result<()> {
    let id = user.id;
    db::ticket_ccs::remove_user(&mut *tx, id).await?;
    db::kb::delete_votes_of(&mut *tx, &Voter::User(id).key()).await?;
    db::deflections::forget_user(&mut *tx, id).await?;
    db::attachments::delete_unattached_of(&mut *tx, id).await?;
    db::idempotency_keys::delete_for_user(&mut *tx, id).await?;
    db::sessions::delete_for_user(&mut *tx, id).await?;
    db::known_devices::forget_user(&mut *tx, id).await?;
    db::tokens::delete_for_user(&mut *tx, id).await?;
    db::throttle_events::forget_mailbox(&mut *tx, &user.email).await
}

/// Every mail to her goes; the copies of others' mails get the placeholders for her address,
/// her name and her callback numbers.
async fn forget_in_mail(
    tx: &mut WriteTransaction,
    user: &User,
    placeholder_email: &str,
    phones: &[String],
) -> sqlx::Result<()> {
    let mentions: Vec<(&str, &str)> = [
        (user.email.as_str(), placeholder_email),
        (user.name.as_str(), DELETED_NAME),
    ]
    .into_iter()
    .chain(phones.iter().map(|phone| (phone.as_str(), REMOVED_PHONE)))
    .collect();
    db::outbox::forget_person(tx, &user.email, &mentions).await
}
