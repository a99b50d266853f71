//! Bearer tokens of the agent API, keyed by their SHA-256.

use sqlx::FromRow;

use super::{Executor, on_either};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AgentToken {
    pub id: i64,
    pub name: String,
    /// The one organisation whose tickets the token reaches; `None` for every organisation.
    pub organisation_id: Option<i64>,
}

pub struct NewAgentToken<'a> {
    pub name: &'a str,
    pub token_hash: &'a str,
    /// `None`: never expires.
    pub expires_at: Option<i64>,
    pub organisation_id: Option<i64>,
}

pub async fn create(
    db: impl Into<Executor<'_>>,
    token: &NewAgentToken<'_>,
    now: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "INSERT INTO agent_tokens (name, token_hash, created_at, expires_at, organisation_id)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(token.name)
        .bind(token.token_hash)
        .bind(now)
        .bind(token.expires_at)
        .bind(token.organisation_id)
        .fetch_one(executor)
        .await
    })
}

/// The token with this hash while it is neither revoked nor expired at `now`.
pub async fn find_valid(
    db: impl Into<Executor<'_>>,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<AgentToken>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT id, name, organisation_id FROM agent_tokens
             WHERE token_hash = $1 AND revoked_at IS NULL
               AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(executor)
        .await
    })
}

/// Revokes the token named `name`; false when there is none not revoked yet.
pub async fn revoke(db: impl Into<Executor<'_>>, name: &str, now: i64) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE agent_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(name)
        .execute(executor)
        .await
        .map(|result| result.rows_affected() == 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{TestDatabases, test_person};

    fn token<'a>(name: &'a str, expires_at: Option<i64>) -> NewAgentToken<'a> {
        NewAgentToken {
            name,
            token_hash: name,
            expires_at,
            organisation_id: None,
        }
    }

    #[tokio::test]
    async fn a_token_is_valid_until_it_expires_or_is_revoked() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let organisation: i64 = on_either!(db, |executor| {
                sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1")
                    .bind(alice)
                    .fetch_one(executor)
                    .await
                    .unwrap()
            });
            let forever = create(db, &token("forever", None), 10).await.unwrap();
            create(db, &token("until-100", Some(100)), 10)
                .await
                .unwrap();
            let scoped = NewAgentToken {
                organisation_id: Some(organisation),
                ..token("scoped", None)
            };
            create(db, &scoped, 10).await.unwrap();

            assert_eq!(
                find_valid(db, "forever", 1_000).await.unwrap(),
                Some(AgentToken {
                    id: forever,
                    name: "forever".to_owned(),
                    organisation_id: None,
                })
            );
            assert!(find_valid(db, "until-100", 99).await.unwrap().is_some());
            assert_eq!(find_valid(db, "until-100", 100).await.unwrap(), None);
            assert_eq!(
                find_valid(db, "scoped", 0)
                    .await
                    .unwrap()
                    .map(|t| t.organisation_id),
                Some(Some(organisation))
            );

            assert!(revoke(db, "forever", 20).await.unwrap());
            assert!(!revoke(db, "forever", 21).await.unwrap());
            assert!(!revoke(db, "unknown", 21).await.unwrap());
            assert_eq!(find_valid(db, "forever", 22).await.unwrap(), None);
        })
        .await;
    }
}
