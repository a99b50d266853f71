//! Uploaded files: one row per upload; its content is stored once per SHA-256
//! (`crate::content_store`).

use lantern_core::ticket::{AttachmentKind, AttachmentUploaded};
use sqlx::FromRow;

use super::{Executor, on_either};

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
    db: impl Into<Executor<'_>>,
    attachment: &NewAttachment<'_>,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO attachments
                 (id, organisation_id, uploader_id, sha256, size, name, content_type, kind, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        .execute(executor)
        .await?;
        Ok(())
    })
}

const COLUMNS: &str =
    "id, organisation_id, uploader_id, sha256, size, name, content_type, kind, ticket_id";

/// An upload of `organisation_id`; `None` for another organisation's. Who of the organisation
/// may see it is decided by `crate::attachments`.
pub async fn find_in_organisation(
    db: impl Into<Executor<'_>>,
    id: &str,
    organisation_id: i64,
) -> sqlx::Result<Option<Attachment>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM attachments WHERE id = $1 AND organisation_id = $2"
        ))
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(executor)
        .await
    })
}

/// One's own upload, on a ticket or not yet; `None` for anyone else's.
pub async fn find_of(
    db: impl Into<Executor<'_>>,
    id: &str,
    uploader_id: i64,
) -> sqlx::Result<Option<Attachment>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM attachments WHERE id = $1 AND uploader_id = $2"
        ))
        .bind(id)
        .bind(uploader_id)
        .fetch_optional(executor)
        .await
    })
}

/// Removes one's own upload that is not on a ticket yet; returns its SHA-256 when it did.
pub async fn delete_unattached(
    db: impl Into<Executor<'_>>,
    id: &str,
    uploader_id: i64,
) -> sqlx::Result<Option<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "DELETE FROM attachments WHERE id = $1 AND uploader_id = $2 AND ticket_id IS NULL
             RETURNING sha256",
        )
        .bind(id)
        .bind(uploader_id)
        .fetch_optional(executor)
        .await
    })
}

/// Bytes uploaded by `uploader_id` since `since` (Unix seconds), deleted uploads not counted.
pub async fn bytes_uploaded_by(
    db: impl Into<Executor<'_>>,
    uploader_id: i64,
    since: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM attachments
             WHERE uploader_id = $1 AND created_at >= $2",
        )
        .bind(uploader_id)
        .bind(since)
        .fetch_one(executor)
        .await
    })
}

/// Bytes uploaded by the people of `organisation_id` since `since`.
pub async fn bytes_uploaded_in(
    db: impl Into<Executor<'_>>,
    organisation_id: i64,
    since: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM attachments
             WHERE organisation_id = $1 AND created_at >= $2",
        )
        .bind(organisation_id)
        .bind(since)
        .fetch_one(executor)
        .await
    })
}

/// Removes the uploads made before `before` that are on no ticket; returns their SHA-256s.
pub async fn delete_unused_before(
    db: impl Into<Executor<'_>>,
    before: i64,
) -> sqlx::Result<Vec<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "DELETE FROM attachments WHERE ticket_id IS NULL AND created_at < $1 RETURNING sha256",
        )
        .bind(before)
        .fetch_all(executor)
        .await
    })
}

/// The bytes the attachment store holds: each content once, however many uploads share it.
pub async fn stored_bytes(db: impl Into<Executor<'_>>) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM
                 (SELECT MAX(size) AS size FROM attachments GROUP BY sha256) AS contents",
        )
        .fetch_one(executor)
        .await
    })
}

/// How many uploads share this content.
pub async fn count_with_sha256(db: impl Into<Executor<'_>>, sha256: &str) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE sha256 = $1")
            .bind(sha256)
            .fetch_one(executor)
            .await
    })
}

/// The content addresses that some upload refers to.
pub async fn referenced_sha256(db: impl Into<Executor<'_>>) -> sqlx::Result<Vec<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments")
            .fetch_all(executor)
            .await
    })
}

/// The advisory lock of one content on PostgreSQL, shared by uploads and removals.
fn content_lock_key(sha256: &str) -> String {
    format!("attachment content {sha256}")
}

/// Holds uploads and removals of one content apart until the transaction ends: an upload
/// takes it before it checks its content is stored, the garbage collector before it counts the
/// uploads of a content it would remove. On PostgreSQL an advisory lock; on SQLite nothing, as
/// the one write lock does it.
pub async fn lock_content(db: impl Into<Executor<'_>>, sha256: &str) -> sqlx::Result<()> {
    super::lock_in_transaction(db, &content_lock_key(sha256)).await
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
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
) -> sqlx::Result<Vec<TicketAttachment>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT event_id, id, name, size, kind FROM attachments
             WHERE ticket_id = $1 ORDER BY created_at, id",
        )
        .bind(ticket_id)
        .fetch_all(executor)
        .await
    })
}

/// Puts one's own unattached upload on a ticket, and on its reply `event_id` (`None` for a
/// file submitted with the ticket); false when it was not available.
pub async fn attach(
    db: impl Into<Executor<'_>>,
    id: &str,
    uploader_id: i64,
    ticket_id: i64,
    event_id: Option<i64>,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        let result = sqlx::query(
            "UPDATE attachments SET ticket_id = $1, event_id = $2
             WHERE id = $3 AND uploader_id = $4 AND ticket_id IS NULL",
        )
        .bind(ticket_id)
        .bind(event_id)
        .bind(id)
        .bind(uploader_id)
        .execute(executor)
        .await?;
        Ok(result.rows_affected() == 1)
    })
}

/// Removes a person's uploads that are on no ticket (her account is deleted); their content
/// goes with the next garbage collection when no other upload uses it.
pub async fn delete_unattached_of(
    db: impl Into<Executor<'_>>,
    uploader_id: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM attachments WHERE uploader_id = $1 AND ticket_id IS NULL")
            .bind(uploader_id)
            .execute(executor)
            .await
            .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::time::timeout;

    use super::*;
    use crate::db::{Db, WriteGate};
    use crate::test_support::{TestDatabases, test_person, test_ticket};

    async fn upload(db: &Db, id: &str, uploader_id: i64, sha256: &str, size: u64, now: i64) {
        let organisation_id = crate::db::accounts::user(db, uploader_id)
            .await
            .unwrap()
            .unwrap()
            .organisation_id;
        let attachment = NewAttachment {
            id,
            organisation_id,
            uploader_id,
            sha256,
            size,
            name: "backup.log",
            content_type: "text/plain",
            kind: AttachmentKind::Log,
        };
        insert(db, &attachment, now).await.unwrap();
    }

    #[tokio::test]
    async fn one_content_is_locked_by_one_transaction_at_a_time_on_postgres() {
        TestDatabases::each(async |db| {
            let Db::Postgres(_) = db else {
                // SQLite's writers take turns at the write gate; the lock is nothing there.
                return;
            };
            let gate = WriteGate::default();
            let short = Duration::from_millis(300);
            let mut removal = gate.begin(db).await.unwrap();
            lock_content(&mut removal, "ab12").await.unwrap();
            let mut upload = gate.begin(db).await.unwrap();
            let waited = timeout(short, lock_content(&mut upload, "ab12")).await;
            assert!(waited.is_err(), "the upload waits for the removal");
            let mut other = gate.begin(db).await.unwrap();
            timeout(short, lock_content(&mut other, "cd34"))
                .await
                .expect("another content is not held up")
                .unwrap();
            removal.commit().await.unwrap();
            timeout(Duration::from_secs(5), lock_content(&mut upload, "ab12"))
                .await
                .expect("the upload goes on once the removal is done")
                .unwrap();
            // Given up on an error path: the rollback of the drop ends the lock too.
            drop(upload);
            let mut next = gate.begin(db).await.unwrap();
            timeout(Duration::from_secs(5), lock_content(&mut next, "ab12"))
                .await
                .expect("a dropped transaction holds nothing")
                .unwrap();
        })
        .await;
    }

    #[tokio::test]
    async fn uploads_count_against_the_day_and_go_on_a_ticket_once() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let bob = test_person(db, "bob@example.com").await.unwrap();
            let organisation = crate::db::accounts::user(db, alice)
                .await
                .unwrap()
                .unwrap()
                .organisation_id;
            upload(db, "first", alice, "aaaa", 3_000_000_000, 100).await;
            upload(db, "second", alice, "bbbb", 2_000_000_000, 200).await;
            upload(db, "old", alice, "aaaa", 7, 10).await;

            assert_eq!(
                bytes_uploaded_by(db, alice, 50).await.unwrap(),
                5_000_000_000,
                "a sum past 32 bits, an i64 on both backends"
            );
            assert_eq!(
                bytes_uploaded_in(db, organisation, 150).await.unwrap(),
                2_000_000_000
            );
            assert_eq!(bytes_uploaded_by(db, bob, 0).await.unwrap(), 0);

            let ticket = test_ticket(db, alice).await.unwrap();
            assert!(attach(db, "first", alice, ticket, None).await.unwrap());
            assert!(
                !attach(db, "first", alice, ticket, None).await.unwrap(),
                "once"
            );
            assert!(
                !attach(db, "second", bob, ticket, None).await.unwrap(),
                "not Bob's"
            );
            let on_ticket = of_ticket(db, ticket).await.unwrap();
            let ids: Vec<&str> = on_ticket.iter().map(|file| file.id.as_str()).collect();
            assert_eq!(ids, ["first"]);
            assert_eq!(
                find_of(db, "first", alice)
                    .await
                    .unwrap()
                    .unwrap()
                    .ticket_id,
                Some(ticket)
            );
            assert!(
                find_in_organisation(db, "first", organisation + 1000)
                    .await
                    .unwrap()
                    .is_none()
            );

            assert_eq!(delete_unused_before(db, 150).await.unwrap(), ["aaaa"]);
            assert_eq!(
                count_with_sha256(db, "aaaa").await.unwrap(),
                1,
                "on the ticket"
            );
            assert_eq!(delete_unattached(db, "first", alice).await.unwrap(), None);
            assert_eq!(
                delete_unattached(db, "second", alice)
                    .await
                    .unwrap()
                    .as_deref(),
                Some("bbbb")
            );
            assert_eq!(referenced_sha256(db).await.unwrap(), ["aaaa"]);
        })
        .await;
    }
}
