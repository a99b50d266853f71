//! Mail waiting for delivery. Tests read it to find the links that were sent.

use sqlx::FromRow;

use super::{Executor, on_either};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Mail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub attempts: i64,
}

/// Gives up on a message after this many failed deliveries.
pub const MAX_ATTEMPTS: i64 = 10;

/// Queues a message; `db` may be the pool or an open transaction, so mail about a change is
/// stored together with the change.
pub async fn enqueue(
    db: impl Into<Executor<'_>>,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(now)
        .fetch_one(executor)
        .await
    })
}

const MAIL_COLUMNS: &str = "id, recipient, subject, body, created_at, sent_at, attempts";

/// Unsent mail that has attempts left, oldest first.
pub async fn pending(db: impl Into<Executor<'_>>, limit: i64) -> sqlx::Result<Vec<Mail>> {
    let sql = format!(
        "SELECT {MAIL_COLUMNS} FROM outbox WHERE sent_at IS NULL AND attempts < $1
         ORDER BY id LIMIT $2"
    );
    on_either!(db, |executor| {
        sqlx::query_as(&sql)
            .bind(MAX_ATTEMPTS)
            .bind(limit)
            .fetch_all(executor)
            .await
    })
}

/// Every message to one recipient, oldest first.
pub async fn to_recipient(db: impl Into<Executor<'_>>, recipient: &str) -> sqlx::Result<Vec<Mail>> {
    let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE recipient = $1 ORDER BY id");
    on_either!(db, |executor| {
        sqlx::query_as(&sql)
            .bind(recipient)
            .fetch_all(executor)
            .await
    })
}

pub async fn mark_sent(db: impl Into<Executor<'_>>, id: i64, now: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(executor)
            .await
            .map(drop)
    })
}

pub async fn mark_failed(db: impl Into<Executor<'_>>, id: i64, error: &str) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
            .bind(error)
            .bind(id)
            .execute(executor)
            .await
            .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDatabases;

    fn ids(mails: &[Mail]) -> Vec<i64> {
        mails.iter().map(|mail| mail.id).collect()
    }

    #[tokio::test]
    async fn mail_is_pending_until_sent_or_out_of_attempts() {
        let dir = tempfile::tempdir().unwrap();
        let databases = TestDatabases::new(dir.path()).await.unwrap();
        for db in &databases.all {
            let first = enqueue(db, "alice@example.com", "Hello", "Body 1", 10)
                .await
                .unwrap();
            let second = enqueue(db, "bob@example.com", "Hi", "Body 2", 20)
                .await
                .unwrap();
            let third = enqueue(db, "alice@example.com", "Again", "Body 3", 30)
                .await
                .unwrap();

            assert_eq!(ids(&pending(db, 10).await.unwrap()), [first, second, third]);
            assert_eq!(ids(&pending(db, 2).await.unwrap()), [first, second]);

            mark_sent(db, first, 40).await.unwrap();
            for _ in 0..MAX_ATTEMPTS {
                mark_failed(db, second, "connection refused").await.unwrap();
            }
            assert_eq!(ids(&pending(db, 10).await.unwrap()), [third]);

            let alices = to_recipient(db, "alice@example.com").await.unwrap();
            assert_eq!(ids(&alices), [first, third]);
            assert_eq!(
                alices[0],
                Mail {
                    id: first,
                    recipient: "alice@example.com".to_owned(),
                    subject: "Hello".to_owned(),
                    body: "Body 1".to_owned(),
                    created_at: 10,
                    sent_at: Some(40),
                    attempts: 1,
                }
            );
            assert_eq!(alices[1].sent_at, None);
        }
        databases.remove().await.unwrap();
    }
}
