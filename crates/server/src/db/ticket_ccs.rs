//! The `ticket_cc` table: the organisation's contacts copied on a ticket.

use super::{Executor, on_either};

/// Copies the contact on the ticket; nothing happens when she is copied already.
pub async fn add(db: impl Into<Executor<'_>>, ticket_id: i64, user_id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO ticket_cc (ticket_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(ticket_id)
        .bind(user_id)
        .execute(executor)
        .await
        .map(drop)
    })
}

pub async fn contains(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    user_id: i64,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM ticket_cc WHERE ticket_id = $1 AND user_id = $2)",
        )
        .bind(ticket_id)
        .bind(user_id)
        .fetch_one(executor)
        .await
    })
}

/// Account e-mails of the ticket's CCs.
pub async fn emails(db: impl Into<Executor<'_>>, ticket_id: i64) -> sqlx::Result<Vec<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT u.email FROM ticket_cc c JOIN users u ON u.id = c.user_id
             WHERE c.ticket_id = $1 ORDER BY u.email",
        )
        .bind(ticket_id)
        .fetch_all(executor)
        .await
    })
}

/// Takes a person off every ticket she is copied on (her account is deleted).
pub async fn remove_user(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM ticket_cc WHERE user_id = $1")
            .bind(user_id)
            .execute(executor)
            .await
            .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{TestDatabases, test_person, test_ticket};

    #[tokio::test]
    async fn contacts_are_copied_once_and_listed_by_email() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let bob = test_person(db, "bob@example.com").await.unwrap();
            let carl = test_person(db, "carl@example.com").await.unwrap();
            let ticket = test_ticket(db, alice).await.unwrap();
            let other = test_ticket(db, alice).await.unwrap();

            add(db, ticket, carl).await.unwrap();
            add(db, ticket, bob).await.unwrap();
            add(db, ticket, carl).await.unwrap();

            assert!(contains(db, ticket, bob).await.unwrap());
            assert!(!contains(db, ticket, alice).await.unwrap());
            assert!(!contains(db, other, bob).await.unwrap());
            assert_eq!(
                emails(db, ticket).await.unwrap(),
                ["bob@example.com", "carl@example.com"]
            );
            assert!(emails(db, other).await.unwrap().is_empty());
        })
        .await;
    }
}
