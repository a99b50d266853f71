//! The `idempotency_keys` table: which ticket a submission's `Idempotency-Key` filed.

use sqlx::FromRow;

use super::{Executor, on_either};

/// A submission already made under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IdempotentSubmission {
    pub request_hash: String,
    pub ticket_id: Option<i64>,
}

pub async fn find(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    key: &str,
) -> sqlx::Result<Option<IdempotentSubmission>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT request_hash, ticket_id FROM idempotency_keys WHERE user_id = $1 AND key = $2",
        )
        .bind(user_id)
        .bind(key)
        .fetch_optional(executor)
        .await
    })
}

/// Records that `key` of `user_id` filed `ticket_id`; a unique violation when the key is taken.
pub async fn claim(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    key: &str,
    request_hash: &str,
    ticket_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_id, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(key)
        .bind(request_hash)
        .bind(ticket_id)
        .bind(now)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// Forgets a person's keys (her account is deleted); the tickets they filed stay.
pub async fn delete_for_user(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1")
            .bind(user_id)
            .execute(executor)
            .await
            .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::is_unique_violation;
    use crate::test_support::{TestDatabases, test_person, test_ticket};

    #[tokio::test]
    async fn a_key_is_claimed_once_per_person() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let bob = test_person(db, "bob@example.com").await.unwrap();
            let filed = test_ticket(db, alice).await.unwrap();
            let bobs = test_ticket(db, bob).await.unwrap();

            claim(db, alice, "key-1", "hash-a", filed, 10)
                .await
                .unwrap();
            let taken = claim(db, alice, "key-1", "hash-b", filed, 11)
                .await
                .unwrap_err();
            assert!(is_unique_violation(&taken), "{taken}");
            claim(db, bob, "key-1", "hash-c", bobs, 12).await.unwrap();

            assert_eq!(
                find(db, alice, "key-1").await.unwrap(),
                Some(IdempotentSubmission {
                    request_hash: "hash-a".to_owned(),
                    ticket_id: Some(filed),
                })
            );
            assert_eq!(find(db, alice, "key-2").await.unwrap(), None);
        })
        .await;
    }
}
