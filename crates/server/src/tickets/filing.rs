//! Filing a ticket: the one validation of `lantern_core::ticket`, the checks only the server can
//! make (CCs and attachments belong to the organisation), the response target of the plan, and
//! one transaction that stores everything or nothing. Submission is idempotent per
//! `Idempotency-Key`, so a retry or a double click gives the same ticket.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use lantern_core::accounts::normalise_email;
use lantern_core::policy::Plan;
use lantern_core::policy::schedule::response_due;
use lantern_core::ticket::{
    ATTACHMENTS, AttachmentRef, CC, MAX_IDEMPOTENCY_KEY_LENGTH, TicketDraft, TicketSummary,
    validate_draft,
};
use sha2::{Digest, Sha256};

use crate::auth::CurrentUser;
use crate::clock::readable_utc;
use crate::db;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;

use super::access::not_among_uploads;

/// Where every new ticket starts (Aveksa: Level 1 gathers the information, 002_52a8a4aae429609e.txt).
const FIRST_SUPPORT_LEVEL: &str = "l1";

/// The outcome of a submission: a new ticket, or the one an earlier submission with the same
/// key created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    Created(TicketSummary),
    Replayed(TicketSummary),
}

/// Files a ticket for `user` from the wizard's draft.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    draft: TicketDraft,
    idempotency_key: &str,
) -> AppResult<Submitted> {
    check_idempotency_key(idempotency_key)?;
    let request_hash = request_hash(&draft)?;
    if let Some(earlier) =
        db::idempotency_keys::find(&state.database, user.id, idempotency_key).await?
    {
        return replay(state, earlier, &request_hash).await;
    }
    let checked = check(state, user, draft).await?;
    state.rate_limits.ticket(user.id)?;
    state
        .rate_limits
        .cc_mails(user.id, cc_recipients(user, &checked).count())?;
    match store(state, user, &checked, idempotency_key, &request_hash).await {
        Err(StoreError::KeyTaken) => {
            // A concurrent submission with the same key won; answer as its retry.
            let earlier = db::idempotency_keys::find(&state.database, user.id, idempotency_key)
                .await?
                .ok_or_else(|| anyhow::anyhow!("idempotency key vanished"))?;
            replay(state, earlier, &request_hash).await
        }
        Err(StoreError::App(error)) => Err(error),
        Ok(ticket) => Ok(Submitted::Created(ticket)),
    }
}

fn check_idempotency_key(key: &str) -> AppResult<()> {
    let length = key.chars().count();
    if length == 0 || length > MAX_IDEMPOTENCY_KEY_LENGTH || key.chars().any(char::is_control) {
        return Err(AppError::bad_request(format!(
            "Send an `Idempotency-Key` header of 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} \
                 characters, the same for every retry of one submission."
        )));
    }
    Ok(())
}

/// What identifies "the same request" under one key.
fn request_hash(draft: &TicketDraft) -> AppResult<String> {
    let json = serde_json::to_vec(draft).map_err(anyhow::Error::from)?;
    Ok(hex::encode(Sha256::digest(json)))
}

async fn replay(
    state: &AppState,
    earlier: db::idempotency_keys::IdempotentSubmission,
    request_hash: &str,
) -> AppResult<Submitted> {
    if earlier.request_hash != request_hash {
        return Err(AppError::coded_conflict(
            "idempotency_conflict",
            "This Idempotency-Key was already used for a different ticket. Use a new key for \
             a new ticket.",
        ));
    }
    let ticket_id = earlier
        .ticket_id
        .ok_or_else(|| anyhow::anyhow!("idempotency key without a ticket"))?;
    Ok(Submitted::Replayed(summary(state, ticket_id).await?))
}

async fn summary(state: &AppState, ticket_id: i64) -> AppResult<TicketSummary> {
    db::tickets::summary(&state.database, ticket_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("ticket {ticket_id} vanished").into())
}

/// A draft that passed every check, with what the server found out about it.
struct CheckedTicket {
    draft: TicketDraft,
    contact_email: String,
    cc_user_ids: Vec<i64>,
    cc_emails: Vec<String>,
    created_at: DateTime<Utc>,
    response_due_at: Option<DateTime<Utc>>,
}

/// The shared validation plus the server-only checks, reported together in one 422.
async fn check(
    state: &AppState,
    user: &CurrentUser,
    draft: TicketDraft,
) -> AppResult<CheckedTicket> {
    let mut errors = FieldErrors::new();
    let draft = with_stored_attachments(state, user, draft, &mut errors).await?;
    let (cc_user_ids, cc_emails) = organisation_ccs(state, user, &draft.cc, &mut errors).await?;
    for (key, message) in validate_draft(&state.policy, &draft, None) {
        errors.add(&key, message);
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let contact_email = normalise_email(&draft.contact.email).map_err(anyhow::Error::msg)?;
    let created_at = state.clock.now();
    let response_due_at = state
        .policy
        .plan(&user.plan)
        .and_then(|plan| response_due(plan, &draft.severity, created_at));
    Ok(CheckedTicket {
        draft,
        contact_email,
        cc_user_ids,
        cc_emails,
        created_at,
        response_due_at,
    })
}

/// Replaces the draft's attachment references by the server's own records (the kind decides
/// whether required logs are there), noting the person's uploads that are on a ticket already.
/// An id that is not the person's own upload is not found ([`not_among_uploads`]).
async fn with_stored_attachments(
    state: &AppState,
    user: &CurrentUser,
    mut draft: TicketDraft,
    errors: &mut FieldErrors,
) -> AppResult<TicketDraft> {
    let mut stored = Vec::with_capacity(draft.attachments.len());
    for reference in &draft.attachments {
        let found = db::attachments::find_of(&state.database, &reference.id, user.id).await?;
        match found {
            Some(attachment) if attachment.ticket_id.is_none() => {
                stored.push(AttachmentRef::from(attachment.uploaded()));
            }
            Some(_) => {
                errors.add(ATTACHMENTS, on_another_ticket(&reference.name));
            }
            None => return Err(not_among_uploads(Some(&reference.name))),
        }
    }
    draft.attachments = stored;
    Ok(draft)
}

fn on_another_ticket(name: &str) -> String {
    format!(
        "The file \u{201c}{name}\u{201d} is already on another ticket. Remove it and upload it again."
    )
}

/// The accounts behind the CC addresses; an address that is not an active contact of the
/// same organisation is a field error (the core checks only the shape).
async fn organisation_ccs(
    state: &AppState,
    user: &CurrentUser,
    cc: &[String],
    errors: &mut FieldErrors,
) -> AppResult<(Vec<i64>, Vec<String>)> {
    let mut ids = Vec::new();
    let mut emails = BTreeSet::new();
    for address in cc {
        let Ok(email) = normalise_email(address) else {
            continue; // the shared validation names it
        };
        match db::accounts::contact_id(&state.database, user.organisation_id, &email).await? {
            Some(id) if emails.insert(email.clone()) => ids.push(id),
            Some(_) => {}
            None => {
                errors.add(
                    CC,
                    format!(
                        "{email} is not a contact of your organisation, so it cannot get copies."
                    ),
                );
            }
        }
    }
    Ok((ids, emails.into_iter().collect()))
}

/// When the first response to a ticket of `severity` created at `created_at` is due under the
/// organisation's plan (also after an agent changes the severity).
pub(super) async fn response_due_for(
    state: &AppState,
    organisation_id: i64,
    severity: &str,
    created_at: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(organisation_plan(state, organisation_id)
        .await?
        .and_then(|plan| response_due(plan, severity, created_at)))
}

/// The plan of the organisation; `None` for one the policy no longer has.
pub(super) async fn organisation_plan(
    state: &AppState,
    organisation_id: i64,
) -> AppResult<Option<&Plan>> {
    let organisation = db::accounts::organisation(&state.database, organisation_id).await?;
    Ok(organisation.and_then(|organisation| state.policy.plan(&organisation.plan)))
}

enum StoreError {
    /// Another submission holds the idempotency key.
    KeyTaken,
    App(AppError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::App(error.into())
    }
}

/// Stores the ticket, its key, its CCs, its attachments and the acknowledgement mail in one
/// transaction; returns the ticket as stored. A concurrent twin with the same key fails on the
/// key's primary key (it waits for this transaction's commit or rollback), and its ticket is
/// rolled back.
async fn store(
    state: &AppState,
    user: &CurrentUser,
    checked: &CheckedTicket,
    key: &str,
    request_hash: &str,
) -> Result<TicketSummary, StoreError> {
    let now = db::seconds(checked.created_at);
    let mut tx = state.begin_write().await?;
    let ticket = db::tickets::NewTicket {
        organisation_id: user.organisation_id,
        requester_id: user.id,
        draft: &checked.draft,
        contact_email: &checked.contact_email,
        support_level: FIRST_SUPPORT_LEVEL,
        created_at: now,
        response_due_at: checked.response_due_at.map(db::seconds),
    };
    let ticket_id = db::tickets::insert(&mut tx, &ticket).await?;
    match db::idempotency_keys::claim(&mut tx, user.id, key, request_hash, ticket_id, now).await {
        Err(error) if db::is_unique_violation(&error) => return Err(StoreError::KeyTaken),
        other => other?,
    }
    for cc in &checked.cc_user_ids {
        db::ticket_ccs::add(&mut tx, ticket_id, *cc).await?;
    }
    for attachment in &checked.draft.attachments {
        let attached =
            db::attachments::attach(&mut tx, &attachment.id, user.id, ticket_id, None).await?;
        if !attached {
            // Taken by another ticket since the check; the rollback undoes everything.
            return Err(StoreError::App(AppError::field(
                ATTACHMENTS,
                on_another_ticket(&attachment.name),
            )));
        }
    }
    let stored = ticket.summary(ticket_id);
    let mail = acknowledgement(state, checked, &stored.number);
    for recipient in acknowledgement_recipients(user, checked) {
        db::outbox::enqueue(&mut tx, &recipient, &mail.subject, &mail.body, now).await?;
    }
    tx.commit().await?;
    Ok(stored)
}

struct Mail {
    subject: String,
    body: String,
}

/// The requester's account and the CCs, each once. Only addresses of accounts of the
/// organisation get mail: a typed-in contact address could otherwise make Lantern mail anyone.
fn acknowledgement_recipients(user: &CurrentUser, checked: &CheckedTicket) -> BTreeSet<String> {
    std::iter::once(user.email.to_lowercase())
        .chain(cc_recipients(user, checked).cloned())
        .collect()
}

/// The CCs that get a mail besides the requester.
fn cc_recipients<'a>(
    user: &CurrentUser,
    checked: &'a CheckedTicket,
) -> impl Iterator<Item = &'a String> {
    let requester = user.email.to_lowercase();
    checked
        .cc_emails
        .iter()
        .filter(move |email| **email != requester)
}

/// The acknowledgement with the ticket number (Druva: number confirmed on screen and by mail,
/// 000_0e4e71a8972bb245.txt; Aveksa: case number in every message, 002_52a8a4aae429609e.txt).
fn acknowledgement(state: &AppState, checked: &CheckedTicket, number: &str) -> Mail {
    let policy = &state.policy;
    let draft = &checked.draft;
    let severity = policy
        .severity(&draft.severity)
        .map_or(draft.severity.as_str(), |severity| severity.name.as_str());
    let target = match checked.response_due_at {
        Some(due) => format!("We will respond by {}.", readable_utc(due)),
        None => "We will respond as soon as possible.".to_owned(),
    };
    let subject = format!("[{number}] {}", draft.subject.trim());
    let body = format!(
        "Hello {name},\n\n\
         we have received your ticket {number}: {subject}\n\
         Severity: {severity}\n\
         {target}\n\n\
         Follow the ticket and add information at {url}/tickets/{number}.\n\
         Please mention {number} whenever you contact {vendor} support about it.\n\n\
         {vendor} Support\n",
        name = draft.contact.name.trim(),
        subject = draft.subject.trim(),
        url = state.config.public_url,
        vendor = policy.vendor.name,
    );
    Mail { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_must_be_present_and_short() {
        assert!(check_idempotency_key("").is_err());
        assert!(check_idempotency_key(&"k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)).is_err());
        assert!(check_idempotency_key("bad\nkey").is_err());
        assert!(check_idempotency_key("3f1c2a9e-0c1b-4d7e-9a55-1b2c3d4e5f60").is_ok());
    }

    #[test]
    fn the_same_draft_hashes_the_same_and_another_differently() {
        let draft = TicketDraft {
            subject: "Backup fails".into(),
            ..TicketDraft::default()
        };
        let mut other = draft.clone();
        other.subject.push('!');
        assert_eq!(request_hash(&draft).ok(), request_hash(&draft.clone()).ok());
        assert_ne!(request_hash(&draft).ok(), request_hash(&other).ok());
    }
}
