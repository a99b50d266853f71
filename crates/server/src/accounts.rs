//! Accounts and sessions: signing in and out, self-registration, invitations, password resets.
//! Handlers in `api::session` and `api::accounts` are thin wrappers around these functions,
//! which the admin commands and the demo seed call too.

use chrono::Duration;
use lantern_core::accounts::{email_domain, normalise_email, validate_name, validate_password};
use lantern_core::api::{
    Me, OrganisationSummary, PasswordChange, Role, SessionSummary, SignInRequest,
};

use crate::auth::CurrentUser;
use crate::db::accounts::{NewUser, Organisation, User};
use crate::db::tokens::Purpose;
use crate::db::{self, seconds};
use crate::devices::{self, BrowserName, DeviceToken};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::passwords;
use crate::state::AppState;
use crate::throttle;
use crate::tokens::{hash_token, new_token};

pub const INVITATION_VALIDITY: Duration = Duration::days(7);
pub const REGISTRATION_VALIDITY: Duration = Duration::days(2);
pub const PASSWORD_RESET_VALIDITY: Duration = Duration::hours(1);
/// At most one reset mail per account in this time, so the form cannot flood a mailbox.
pub const PASSWORD_RESET_INTERVAL: Duration = Duration::minutes(5);

const WRONG_CREDENTIALS: &str = "The e-mail address or password is not correct.";
const INVALID_LINK: &str =
    "This link is not valid any more. Links work once and expire; ask for a new one.";

/// A new session: the person, and the tokens for the cookies.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub me: Me,
    pub token: String,
    /// The device cookie's token, set when the person signed in with her password.
    pub device: Option<String>,
}

/// Checks e-mail and password (throttled per client address, per address and account, and per
/// account for browsers that have not signed in to it before).
pub async fn sign_in(
    state: &AppState,
    request: &SignInRequest,
    client: &str,
    device: &DeviceToken,
    browser: &BrowserName,
) -> AppResult<SignedIn> {
    let account = request.email.trim().to_lowercase();
    let admitted = state.passwords.admit()?;
    let known_device = devices::is_known(state, device, &account).await?;
    let attempt = throttle::reserve_sign_in(state, &account, client, known_device).await?;
    let user = db::accounts::user_by_email(&state.database, &account)
        .await?
        .filter(User::is_active);
    let phc = user.as_ref().and_then(|user| user.password_hash.clone());
    let matches = admitted.verify(request.password.clone(), phc).await?;
    let Some(user) = user.filter(|_| matches) else {
        // The attempt stays counted as a failure.
        return Err(AppError::unauthorized(WRONG_CREDENTIALS));
    };
    throttle::sign_in_succeeded(state, attempt).await?;
    let device = devices::remember(state, device, user.id).await?;
    let signed_in = start_session(state, user.id, browser).await?;
    Ok(SignedIn {
        device: Some(device),
        ..signed_in
    })
}

/// Opens a session for a person in `browser`.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    browser: &BrowserName,
) -> AppResult<SignedIn> {
    let token = new_token();
    let (token_hash, now) = (hash_token(&token), state.now_seconds());
    db::sessions::create(
        &state.database,
        &token_hash,
        user_id,
        browser.0.as_deref(),
        now,
    )
    .await?;
    Ok(SignedIn {
        me: me(state, user_id).await?,
        token,
        device: None,
    })
}

pub async fn sign_out(state: &AppState, session_hash: &str) -> AppResult<()> {
    db::sessions::delete(&state.database, session_hash).await?;
    Ok(())
}

/// What `GET /api/v1/me` shows.
pub async fn me(state: &AppState, user_id: i64) -> AppResult<Me> {
    let user = db::accounts::user(&state.database, user_id)
        .await?
        .ok_or_else(|| AppError::unauthorized("Please sign in."))?;
    let organisation = db::accounts::organisation(&state.database, user.organisation_id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("user {user_id} has no organisation")))?;
    Ok(Me {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role(),
        organisation: summary(state, organisation),
    })
}

fn summary(state: &AppState, organisation: Organisation) -> OrganisationSummary {
    OrganisationSummary {
        plan_name: plan_name(state, &organisation.plan),
        id: organisation.id,
        name: organisation.name,
        plan: organisation.plan,
    }
}

/// The plan's display name from the support policy; the bare id when the policy no longer
/// declares the plan (the organisation was created under an earlier policy file).
fn plan_name(state: &AppState, plan: &str) -> String {
    state
        .policy
        .plan(plan)
        .map_or_else(|| plan.to_owned(), |declared| declared.name.clone())
}

/// Self-registration: allowed only for e-mail domains of an organisation that allows it. Sends
/// a confirmation link; the account works once the link is used (with the same password, so a
/// stranger cannot register someone else's address and have them confirm it). A registration
/// of an address whose registration is not confirmed yet replaces it, so a stranger who
/// registered someone else's address does not block it: only its owner receives the link.
///
/// Rate-limited per client address and per registered address. The password is hashed whatever
/// the address, so the answer takes as long whether or not the address has an account.
pub async fn register(
    state: &AppState,
    name: &str,
    email: &str,
    password: &str,
    client: &str,
) -> AppResult<()> {
    let email = check_new_account(name, email, password)?;
    let domain = email_domain(&email);
    let organisation = db::accounts::organisation_for_domain(&state.database, domain)
        .await?
        .filter(|organisation| organisation.allow_self_registration)
        .ok_or_else(|| {
            AppError::field(
                "email",
                format!("Accounts for {domain} are created by invitation. Ask your organisation's Lantern admin to invite you."),
            )
        })?;
    let admitted = state.passwords.admit()?;
    throttle::reserve_registration(state, &email, client).await?;
    let hash = admitted.hash(password.to_owned()).await?;
    // Same answer in every case, so registration does not reveal who has an account.
    match db::accounts::user_by_email(&state.database, &email).await? {
        Some(existing) if existing.is_active() => notify_existing_account(state, &existing).await,
        Some(pending) if pending.password_hash.is_some() => {
            replace_registration(state, &pending, name, &hash).await
        }
        // Invited: the invitation mail has the link; an expired one is removed in time.
        Some(_) => Ok(()),
        None => create_registration(state, organisation.id, &email, name, &hash).await,
    }
}

async fn create_registration(
    state: &AppState,
    organisation_id: i64,
    email: &str,
    name: &str,
    hash: &str,
) -> AppResult<()> {
    let new_user = NewUser {
        organisation_id,
        email,
        name,
        role: Role::Contact,
        password_hash: Some(hash),
        active: false,
    };
    let user_id =
        match db::accounts::create_user(&state.database, &new_user, state.now_seconds()).await {
            Ok(id) => id,
            // Registered by a parallel request a moment ago.
            Err(error) if db::is_unique_violation(&error) => return Ok(()),
            Err(error) => return Err(error.into()),
        };
    mail_confirmation_link(state, user_id, email, name).await
}

/// The new registration's name and password replace the unconfirmed one's, whose links stop
/// working.
async fn replace_registration(
    state: &AppState,
    pending: &User,
    name: &str,
    hash: &str,
) -> AppResult<()> {
    let now = state.now_seconds();
    if !db::accounts::replace_unconfirmed(&state.database, pending.id, name, hash).await? {
        return Ok(()); // confirmed a moment ago
    }
    db::tokens::retire_unused(&state.database, pending.id, Purpose::Registration, now).await?;
    mail_confirmation_link(state, pending.id, &pending.email, name).await
}

async fn mail_confirmation_link(
    state: &AppState,
    user_id: i64,
    email: &str,
    name: &str,
) -> AppResult<()> {
    let link = issue_link(state, user_id, Purpose::Registration, REGISTRATION_VALIDITY).await?;
    let body = format!(
        "Hello {name},\n\nplease confirm your Lantern account for {email} by opening this link \
         within two days and entering the password you chose:\n\n{link}\n\n\
         If you did not register, ignore this message; no account will be created.\n"
    );
    enqueue_mail(state, email, "Confirm your Lantern account", &body).await
}

async fn notify_existing_account(state: &AppState, user: &User) -> AppResult<()> {
    if !user.is_active() {
        return Ok(());
    }
    let body = format!(
        "Hello {},\n\nsomeone asked to register {} at Lantern, but you already have an account. \
         If you forgot your password, ask for a reset on the sign-in page.\n",
        user.name, user.email
    );
    enqueue_mail(
        state,
        &user.email,
        "You already have a Lantern account",
        &body,
    )
    .await
}

/// Confirms a registration with the password chosen at registration, and signs in.
pub async fn confirm_registration(
    state: &AppState,
    token: &str,
    password: &str,
    client: &str,
    browser: &BrowserName,
) -> AppResult<SignedIn> {
    let token_hash = hash_token(token);
    let now = state.now_seconds();
    let user_id =
        db::tokens::user_of_usable(&state.database, &token_hash, Purpose::Registration, now)
            .await?
            .ok_or_else(|| AppError::not_found(INVALID_LINK))?;
    let user = db::accounts::user(&state.database, user_id)
        .await?
        .ok_or_else(|| AppError::not_found(INVALID_LINK))?;
    let admitted = state.passwords.admit()?;
    let attempt = throttle::reserve_sign_in(state, &user.email, client, false).await?;
    if !admitted
        .verify(password.to_owned(), user.password_hash.clone())
        .await?
    {
        return Err(AppError::unauthorized(
            "This is not the password chosen at registration.",
        ));
    }
    throttle::sign_in_succeeded(state, attempt).await?;
    db::tokens::consume(&state.database, &token_hash, Purpose::Registration, now)
        .await?
        .ok_or_else(|| AppError::not_found(INVALID_LINK))?;
    db::accounts::activate(&state.database, user_id, now).await?;
    start_session(state, user_id, browser).await
}

/// Creates an account that waits for its invitation to be accepted; returns the link mailed.
pub async fn invite(
    state: &AppState,
    organisation_id: i64,
    email: &str,
    name: &str,
    role: Role,
) -> AppResult<String> {
    let email = normalise_email(email).map_err(|message| AppError::field("email", message))?;
    validate_name(name).map_err(|message| AppError::field("name", message))?;
    let new_user = NewUser {
        organisation_id,
        email: &email,
        name,
        role,
        password_hash: None,
        active: false,
    };
    let user_id = create_user(state, &new_user).await?;
    let link = issue_link(state, user_id, Purpose::Invitation, INVITATION_VALIDITY).await?;
    let body = format!(
        "Hello {name},\n\nyou have been invited to Lantern, the support portal. Open this link \
         within seven days to choose your password:\n\n{link}\n"
    );
    enqueue_mail(state, &email, "Your invitation to Lantern", &body).await?;
    Ok(link)
}

/// Activates an invited account with the name and password chosen, and signs in.
pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    name: &str,
    password: &str,
    browser: &BrowserName,
) -> AppResult<SignedIn> {
    let mut errors = FieldErrors::new();
    collect(&mut errors, "name", validate_name(name));
    collect(&mut errors, "password", validate_password(password));
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let user_id = consume_link(state, token, Purpose::Invitation, password).await?;
    db::accounts::set_name(&state.database, user_id, name).await?;
    start_session(state, user_id, browser).await
}

/// Mails a reset link when the address has an account; the answer is the same either way.
pub async fn request_password_reset(state: &AppState, email: &str) -> AppResult<()> {
    let Ok(email) = normalise_email(email) else {
        return Ok(());
    };
    let Some(user) = db::accounts::user_by_email(&state.database, &email)
        .await?
        .filter(User::is_active)
    else {
        return Ok(());
    };
    let now = state.now_seconds();
    let newest =
        db::tokens::newest_issued(&state.database, user.id, Purpose::PasswordReset).await?;
    if newest.is_some_and(|issued| now - issued < PASSWORD_RESET_INTERVAL.num_seconds()) {
        return Ok(());
    }
    db::tokens::retire_unused(&state.database, user.id, Purpose::PasswordReset, now).await?;
    let link = issue_link(
        state,
        user.id,
        Purpose::PasswordReset,
        PASSWORD_RESET_VALIDITY,
    )
    .await?;
    let body = format!(
        "Hello {},\n\nsomeone asked to reset your Lantern password. Open this link within an hour \
         to choose a new one:\n\n{link}\n\nIf it was not you, ignore this message; your password \
         stays as it is.\n",
        user.name
    );
    enqueue_mail(state, &user.email, "Reset your Lantern password", &body).await
}

/// Sets a new password with a reset token; every session of the account ends.
pub async fn reset_password(state: &AppState, token: &str, password: &str) -> AppResult<()> {
    let user_id = consume_link(state, token, Purpose::PasswordReset, password).await?;
    db::sessions::delete_for_user(&state.database, user_id).await?;
    if let Some(user) = db::accounts::user(&state.database, user_id).await? {
        throttle::forget_account(state, &user.email).await?;
    }
    Ok(())
}

/// Changes the signed-in person's password after checking her current one
/// ([`confirm_password`]); her other sessions end.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    change: &PasswordChange,
    client: &str,
) -> AppResult<()> {
    passwords::check_strength(&change.new_password, &user.email)
        .map_err(|message| AppError::field("new_password", message))?;
    confirm_password(
        state,
        user,
        &change.current_password,
        client,
        "current_password",
    )
    .await?;
    let hash = state.passwords.hash(change.new_password.clone()).await?;
    db::accounts::set_password(&state.database, user.id, &hash, state.now_seconds()).await?;
    db::sessions::delete_others(&state.database, user.id, &user.session).await?;
    throttle::forget_account(state, &user.email).await?;
    Ok(())
}

/// Checks the signed-in person's password again before what needs proof that she is at the
/// keyboard (a new password, deleting her account): counted like a sign-in from a known
/// browser, so a stolen session cannot try passwords quickly. A wrong one is an error on the
/// request's `field`. Returns her account as stored.
pub async fn confirm_password(
    state: &AppState,
    user: &CurrentUser,
    password: &str,
    client: &str,
    field: &str,
) -> AppResult<User> {
    let stored = db::accounts::user(&state.database, user.id)
        .await?
        .ok_or_else(|| AppError::unauthorized("Please sign in."))?;
    let admitted = state.passwords.admit()?;
    let attempt = throttle::reserve_sign_in(state, &user.email, client, true).await?;
    if !admitted
        .verify(password.to_owned(), stored.password_hash.clone())
        .await?
    {
        return Err(AppError::field(field, "This is not your current password."));
    }
    throttle::sign_in_succeeded(state, attempt).await?;
    Ok(stored)
}

/// The signed-in person's sessions, the most recently used first.
pub async fn sessions(state: &AppState, user: &CurrentUser) -> AppResult<Vec<SessionSummary>> {
    let listed = db::sessions::list_for_user(&state.database, user.id).await?;
    Ok(listed
        .into_iter()
        .map(|session| SessionSummary {
            current: session.token_hash == user.session,
            id: session.public_id,
            browser: session.browser,
            signed_in_at: db::instant(session.created_at),
            last_seen_at: db::instant(session.last_seen_at),
        })
        .collect())
}

/// Ends one of the signed-in person's sessions.
pub async fn end_session(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<()> {
    if db::sessions::delete_by_public_id(&state.database, user.id, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("You have no such session."))
    }
}

/// "Sign out everywhere": every session of the signed-in person ends, this one included.
pub async fn sign_out_everywhere(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    db::sessions::delete_for_user(&state.database, user.id).await?;
    Ok(())
}

/// Removes accounts never confirmed after `unconfirmed_account_max` (once their links have
/// expired) and forgets browsers unused for long; returns how many accounts went.
pub async fn remove_stale(state: &AppState) -> AppResult<u64> {
    let now = state.now_seconds();
    let created_before = now - state.config.unconfirmed_account_max.num_seconds();
    let removed = db::accounts::delete_unconfirmed(&state.database, created_before, now).await?;
    devices::forget_unused(state).await?;
    Ok(removed)
}

/// Creates an account with a password, ready to sign in (admin command, demo data).
pub async fn create_account(
    state: &AppState,
    organisation_id: i64,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> AppResult<i64> {
    let email = check_new_account(name, email, password)?;
    let hash = state.passwords.hash(password.to_owned()).await?;
    let new_user = NewUser {
        organisation_id,
        email: &email,
        name,
        role,
        password_hash: Some(&hash),
        active: true,
    };
    create_user(state, &new_user).await
}

async fn create_user(state: &AppState, new_user: &NewUser<'_>) -> AppResult<i64> {
    db::accounts::create_user(&state.database, new_user, state.now_seconds())
        .await
        .map_err(|error| {
            if db::is_unique_violation(&error) {
                AppError::field(
                    "email",
                    "An account with this e-mail address exists already.",
                )
            } else {
                error.into()
            }
        })
}

/// Validates name, e-mail and password together; returns the normalised e-mail.
fn check_new_account(name: &str, email: &str, password: &str) -> AppResult<String> {
    let mut errors = FieldErrors::new();
    collect(&mut errors, "name", validate_name(name));
    let email = normalise_email(email);
    match &email {
        Ok(email) => collect(
            &mut errors,
            "password",
            passwords::check_strength(password, email),
        ),
        Err(message) => {
            errors.add("email", message.clone());
            collect(&mut errors, "password", validate_password(password));
        }
    }
    match email {
        Ok(email) if errors.is_empty() => Ok(email),
        _ => Err(AppError::fields(errors)),
    }
}

fn collect(errors: &mut FieldErrors, field: &str, result: Result<(), String>) {
    if let Err(message) = result {
        errors.add(field, message);
    }
}

/// Checks the new password against the link's account, hashes it, then uses the token up and
/// stores the password.
async fn consume_link(
    state: &AppState,
    token: &str,
    purpose: Purpose,
    password: &str,
) -> AppResult<i64> {
    let token_hash = hash_token(token);
    // Cheap check first: no slow hashing for links that cannot work.
    let user_id =
        db::tokens::user_of_usable(&state.database, &token_hash, purpose, state.now_seconds())
            .await?
            .ok_or_else(|| AppError::not_found(INVALID_LINK))?;
    let user = db::accounts::user(&state.database, user_id)
        .await?
        .ok_or_else(|| AppError::not_found(INVALID_LINK))?;
    passwords::check_strength(password, &user.email)
        .map_err(|message| AppError::field("password", message))?;
    let hash = state.passwords.hash(password.to_owned()).await?;
    let now = state.now_seconds();
    let user_id = db::tokens::consume(&state.database, &token_hash, purpose, now)
        .await?
        .ok_or_else(|| AppError::not_found(INVALID_LINK))?;
    db::accounts::set_password(&state.database, user_id, &hash, now).await?;
    Ok(user_id)
}

/// Stores a new single-use token and returns the app link that carries it.
async fn issue_link(
    state: &AppState,
    user_id: i64,
    purpose: Purpose,
    validity: Duration,
) -> AppResult<String> {
    let token = new_token();
    let now = state.clock.now();
    db::tokens::create(
        &state.database,
        &hash_token(&token),
        user_id,
        purpose,
        seconds(now),
        seconds(now + validity),
    )
    .await?;
    Ok(format!(
        "{}/{}/{token}",
        state.config.public_url,
        link_path(purpose)
    ))
}

/// The app page that handles each kind of link (`/<path>/<token>`).
pub fn link_path(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Invitation => "invitations",
        Purpose::Registration => "registrations",
        Purpose::PasswordReset => "password-resets",
    }
}

async fn enqueue_mail(state: &AppState, to: &str, subject: &str, body: &str) -> AppResult<()> {
    db::outbox::enqueue(&state.database, to, subject, body, state.now_seconds()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Refusal;

    #[test]
    fn new_accounts_report_every_bad_field() {
        let Err(AppError::Refused(Refusal { fields, .. })) =
            check_new_account(" ", "nope", "short")
        else {
            panic!("expected a validation error");
        };
        assert_eq!(
            fields.fields().collect::<Vec<_>>(),
            ["email", "name", "password"]
        );
    }
}
