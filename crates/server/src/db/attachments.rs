//! Uploaded files: one row per upload; the content is stored once per SHA-256 on disk.

use lantern_core::ticket::{AttachmentKind, AttachmentUploaded};
use sqlx::{FromRow, SqliteExecutor, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Attachment {
    pub id: String,
    pub organisation_id: i64,
    pub uploader_id: i64,
    pub sha256: String,
    pub size: i64,
    pub name: String,
    pub content_type: String,
    kind: String,
    pub ticket_id: Option<i64>,
}

impl Attachment {
    pub fn kind(&self) -> AttachmentKind {
        AttachmentKind::parse(&self.kind).unwrap_or_default()
    }

    pub fn uploaded(&self) -> AttachmentUploaded {
        AttachmentUploaded {
            id: self.id.clone(),
            name: self.name.clone(),
            size: u64::try_from(self.size).unwrap_or_default(),
            kind: self.kind(),
            content_type: self.content_type.clone(),
        }
    }
}

pub struct NewAttachment<'a> {
    pub id: &'a str,
    pub organisation_id: i64,
    pub uploader_id: i64,
    pub sha256: &'a str,
    pub size: u64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub kind: AttachmentKind,
}

pub async fn insert(
    db: impl SqliteExecutor<'_>,
    attachment: &NewAttachment<'_>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO attachments
             (id, organisation_id, uploader_id, sha256, size, name, content_type, kind, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(attachment.id)
    .bind(attachment.organisation_id)
    .bind(attachment.uploader_id)
    .bind(attachment.sha256)
    .bind(i64::try_from(attachment.size).unwrap_or(i64::MAX))
    .bind(attachment.name)
    .bind(attachment.content_type)
    .bind(attachment.kind.as_str())
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "id, organisation_id, uploader_id, sha256, size, name, content_type, kind, ticket_id";

/// An upload of `organisation_id`; `None` for another organisation's. Who of the organisation
/// may see it is decided by `crate::attachments`.
pub async fn find_in_organisation(
    db: impl SqliteExecutor<'_>,
    id: &str,
    organisation_id: i64,
) -> sqlx::Result<Option<Attachment>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE id = ? AND organisation_id = ?"
    ))
    .bind(id)
    .bind(organisation_id)
    .fetch_optional(db)
    .await
}

/// One's own upload, on a ticket or not yet; `None` for anyone else's.
pub async fn find_of(
    db: impl SqliteExecutor<'_>,
    id: &str,
    uploader_id: i64,
) -> sqlx::Result<Option<Attachment>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE id = ? AND uploader_id = ?"
    ))
    .bind(id)
    .bind(uploader_id)
    .fetch_optional(db)
    .await
}

/// Removes one's own upload that is not on a ticket yet; returns its SHA-256 when it did.
pub async fn delete_unattached(
    db: impl SqliteExecutor<'_>,
    id: &str,
    uploader_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "DELETE FROM attachments WHERE id = ? AND uploader_id = ? AND ticket_id IS NULL
         RETURNING sha256",
    )
    .bind(id)
    .bind(uploader_id)
    .fetch_optional(db)
    .await
}

/// Bytes uploaded by `uploader_id` since `since` (Unix seconds), deleted uploads not counted.
pub async fn bytes_uploaded_by(
    db: impl SqliteExecutor<'_>,
    uploader_id: i64,
    since: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploader_id = ? AND created_at >= ?",
    )
    .bind(uploader_id)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Bytes uploaded by the people of `organisation_id` since `since`.
pub async fn bytes_uploaded_in(
    db: impl SqliteExecutor<'_>,
    organisation_id: i64,
    since: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COALESCE(SUM(size), 0) FROM attachments
         WHERE organisation_id = ? AND created_at >= ?",
    )
    .bind(organisation_id)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Removes the uploads made before `before` that are on no ticket; returns their SHA-256s.
pub async fn delete_unused_before(
    db: impl SqliteExecutor<'_>,
    before: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "DELETE FROM attachments WHERE ticket_id IS NULL AND created_at < ? RETURNING sha256",
    )
    .bind(before)
    .fetch_all(db)
    .await
}

/// How many uploads share this content.
pub async fn count_with_sha256(db: impl SqliteExecutor<'_>, sha256: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE sha256 = ?")
        .bind(sha256)
        .fetch_one(db)
        .await
}

/// The content addresses that some upload refers to.
pub async fn referenced_sha256(db: &SqlitePool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments")
        .fetch_all(db)
        .await
}

/// An attachment of a ticket: `event_id` is `None` for the files submitted with it.
#[derive(Debug, Clone, FromRow)]
pub struct TicketAttachment {
    pub event_id: Option<i64>,
    pub id: String,
    pub name: String,
    pub size: i64,
    pub kind: String,
}

/// The ticket's attachments, its own and its replies', oldest first.
pub async fn of_ticket(
    db: impl SqliteExecutor<'_>,
    ticket_id: i64,
) -> sqlx::Result<Vec<TicketAttachment>> {
    sqlx::query_as(
        "SELECT event_id, id, name, size, kind FROM attachments
         WHERE ticket_id = ? ORDER BY created_at, id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

/// Puts one's own unattached upload on a ticket, and on its reply `event_id` (`None` for a
/// file submitted with the ticket); false when it was not available.
pub async fn attach(
    db: impl SqliteExecutor<'_>,
    id: &str,
    uploader_id: i64,
    ticket_id: i64,
    event_id: Option<i64>,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE attachments SET ticket_id = ?, event_id = ?
         WHERE id = ? AND uploader_id = ? AND ticket_id IS NULL",
    )
    .bind(ticket_id)
    .bind(event_id)
    .bind(id)
    .bind(uploader_id)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}
