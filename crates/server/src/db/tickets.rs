//! Tickets, their CCs, idempotency keys of submissions, and knowledge-base deflections.

use lantern_core::ticket::{
    OrganisationContact, TicketDraft, TicketStatus, TicketSummary, fold_case, ticket_number,
};
use sqlx::{FromRow, SqliteExecutor, SqlitePool};

/// A new ticket as the wizard submitted it, already validated.
pub struct NewTicket<'a> {
    pub organisation_id: i64,
    pub requester_id: i64,
    pub draft: &'a TicketDraft,
    /// Normalised contact e-mail.
    pub contact_email: &'a str,
    pub support_level: &'a str,
    pub created_at: i64,
    pub response_due_at: Option<i64>,
}

/// Inserts the ticket with its number; returns its id.
pub async fn insert(db: &mut sqlx::SqliteConnection, ticket: &NewTicket<'_>) -> sqlx::Result<i64> {
    let draft = ticket.draft;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (organisation_id, requester_id, product, component, version,
             case_type, severity, subject, description, steps_to_reproduce, expected_result,
             actual_result, operating_system, computer_id, username, recent_changes,
             integrations, contact_name, contact_email, contact_phone, preferred_channel,
             status, support_level, created_at, response_due_at, updated_at, subject_folded)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(ticket.organisation_id)
    .bind(ticket.requester_id)
    .bind(&draft.product)
    .bind(&draft.component)
    .bind(draft.version.trim())
    .bind(&draft.case_type)
    .bind(&draft.severity)
    .bind(draft.subject.trim())
    .bind(draft.description.trim())
    .bind(draft.steps_to_reproduce.trim())
    .bind(draft.expected_result.trim())
    .bind(draft.actual_result.trim())
    .bind(draft.operating_system.trim())
    .bind(draft.computer_id.trim())
    .bind(draft.username.trim())
    .bind(draft.recent_changes.trim())
    .bind(draft.integrations.trim())
    .bind(draft.contact.name.trim())
    .bind(ticket.contact_email)
    .bind(draft.contact.phone.trim())
    .bind(&draft.contact.preferred_channel)
    .bind(TicketStatus::New.as_str())
    .bind(ticket.support_level)
    .bind(ticket.created_at)
    .bind(ticket.response_due_at)
    .bind(ticket.created_at)
    .bind(fold_case(draft.subject.trim()))
    .fetch_one(&mut *db)
    .await?;
    sqlx::query("UPDATE tickets SET number = ? WHERE id = ?")
        .bind(ticket_number(id))
        .bind(id)
        .execute(&mut *db)
        .await?;
    Ok(id)
}

/// Folds the subjects of tickets stored before subjects were kept folded (migration 0013), a
/// thousand per transaction; returns how many it folded.
pub async fn fold_subjects(db: &SqlitePool) -> sqlx::Result<u64> {
    let mut folded = 0;
    loop {
        let unfolded: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, subject FROM tickets WHERE subject_folded IS NULL LIMIT 1000",
        )
        .fetch_all(db)
        .await?;
        if unfolded.is_empty() {
            return Ok(folded);
        }
        let mut tx = db.begin().await?;
        for (id, subject) in unfolded {
            sqlx::query("UPDATE tickets SET subject_folded = ? WHERE id = ?")
                .bind(fold_case(&subject))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            folded += 1;
        }
        tx.commit().await?;
    }
}

pub async fn add_cc(db: impl SqliteExecutor<'_>, ticket_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT OR IGNORE INTO ticket_cc (ticket_id, user_id) VALUES (?, ?)")
        .bind(ticket_id)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(Debug, FromRow)]
struct SummaryRow {
    number: String,
    subject: String,
    status: String,
    severity: String,
    product: String,
    created_at: i64,
    response_due_at: Option<i64>,
}

impl SummaryRow {
    fn into_summary(self) -> TicketSummary {
        TicketSummary {
            number: self.number,
            subject: self.subject,
            status: TicketStatus::parse(&self.status).unwrap_or(TicketStatus::New),
            severity: self.severity,
            product: self.product,
            created_at: super::instant(self.created_at),
            response_due_at: self.response_due_at.map(super::instant),
        }
    }
}

pub async fn summary(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Option<TicketSummary>> {
    let row: Option<SummaryRow> = sqlx::query_as(
        "SELECT number, subject, status, severity, product, created_at, response_due_at
         FROM tickets WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(SummaryRow::into_summary))
}

/// A submission already made under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IdempotentSubmission {
    pub request_hash: String,
    pub ticket_id: Option<i64>,
}

pub async fn submission(
    db: impl SqliteExecutor<'_>,
    user_id: i64,
    key: &str,
) -> sqlx::Result<Option<IdempotentSubmission>> {
    sqlx::query_as(
        "SELECT request_hash, ticket_id FROM idempotency_keys WHERE user_id = ? AND key = ?",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(db)
    .await
}

/// Records that `key` of `user_id` filed `ticket_id`; a unique violation when the key is taken.
pub async fn claim_key(
    db: impl SqliteExecutor<'_>,
    user_id: i64,
    key: &str,
    request_hash: &str,
    ticket_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_id, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(key)
    .bind(request_hash)
    .bind(ticket_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Active accounts of an organisation, by name (the CC picker).
pub async fn organisation_contacts(
    db: impl SqliteExecutor<'_>,
    organisation_id: i64,
) -> sqlx::Result<Vec<OrganisationContact>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, email FROM users
         WHERE organisation_id = ? AND activated_at IS NOT NULL ORDER BY name, email",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, email)| OrganisationContact { name, email })
        .collect())
}

/// The id of an active account of the organisation with this e-mail.
pub async fn contact_id(
    db: impl SqliteExecutor<'_>,
    organisation_id: i64,
    email: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM users
         WHERE organisation_id = ? AND email = ? AND activated_at IS NOT NULL",
    )
    .bind(organisation_id)
    .bind(email)
    .fetch_optional(db)
    .await
}

pub async fn article_exists(db: impl SqliteExecutor<'_>, slug: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kb_articles WHERE slug = ?)")
        .bind(slug)
        .fetch_one(db)
        .await
}

pub async fn record_deflection(
    db: impl SqliteExecutor<'_>,
    article_slug: &str,
    user_id: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO deflections (article_slug, user_id, created_at) VALUES (?, ?, ?)")
        .bind(article_slug)
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn deflection_count(
    db: impl SqliteExecutor<'_>,
    article_slug: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM deflections WHERE article_slug = ?")
        .bind(article_slug)
        .fetch_one(db)
        .await
}

pub async fn count_for_organisation(
    db: impl SqliteExecutor<'_>,
    organisation_id: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE organisation_id = ?")
        .bind(organisation_id)
        .fetch_one(db)
        .await
}
