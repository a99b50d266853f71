//! Server-side sessions, keyed by the SHA-256 of the cookie token.

use lantern_core::api::Role;
use sqlx::FromRow;

use super::accounts::role_from_db;
use super::{Executor, on_either};

/// A session with what every signed-in request needs of its person, read in one query.
#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub name: String,
    role: String,
    /// The plan id of the person's organisation.
    pub plan: String,
}

impl Session {
    pub fn role(&self) -> Role {
        role_from_db(&self.role)
    }
}

/// Opens a session; `browser` is what its owner will read in her list of sessions.
pub async fn create(
    db: impl Into<Executor<'_>>,
    token_hash: &str,
    user_id: i64,
    browser: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, browser, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(browser)
        .bind(now)
        .execute(executor)
        .await
        .map(drop)
    })
}

pub async fn find(db: impl Into<Executor<'_>>, token_hash: &str) -> sqlx::Result<Option<Session>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT s.created_at, s.last_seen_at, u.id AS user_id, u.organisation_id, u.email,
                 u.name, u.role, o.plan
             FROM sessions s
             JOIN users u ON u.id = s.user_id
             JOIN organisations o ON o.id = u.organisation_id
             WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(executor)
        .await
    })
}

pub async fn touch(db: impl Into<Executor<'_>>, token_hash: &str, now: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(executor)
            .await
            .map(drop)
    })
}

pub async fn delete(db: impl Into<Executor<'_>>, token_hash: &str) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// The length of a session's public id: a prefix of its token's hash, which tells nothing of
/// the token and, within one person's sessions, is unique. An `i32`, PostgreSQL's `substr`
/// takes an `integer`, not a `bigint`.
const PUBLIC_ID_LENGTH: i32 = 16;

/// A person's session as she may see it.
#[derive(Debug, Clone, FromRow)]
pub struct Listed {
    pub token_hash: String,
    pub public_id: String,
    pub browser: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// A person's sessions, the most recently used first.
pub async fn list_for_user(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<Vec<Listed>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT token_hash, substr(token_hash, 1, $1) AS public_id, browser, created_at,
                    last_seen_at
             FROM sessions WHERE user_id = $2 ORDER BY last_seen_at DESC, created_at DESC",
        )
        .bind(PUBLIC_ID_LENGTH)
        .bind(user_id)
        .fetch_all(executor)
        .await
    })
}

/// Ends one of a person's sessions by its public id; false when she has no such session.
pub async fn delete_by_public_id(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    public_id: &str,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        sqlx::query(
            "DELETE FROM sessions
             WHERE user_id = $1 AND length($2) = $3 AND substr(token_hash, 1, $3) = $2",
        )
        .bind(user_id)
        .bind(public_id)
        .bind(PUBLIC_ID_LENGTH)
        .execute(executor)
        .await
        .map(|result| result.rows_affected() > 0)
    })
}

/// Ends every session of a person but one (the one that changed her password).
pub async fn delete_others(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    kept: &str,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(kept)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// Ends every session of a person (after a password reset, or "sign out everywhere").
pub async fn delete_for_user(db: impl Into<Executor<'_>>, user_id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// Removes sessions idle since before `idle_before` or started before `started_before`.
pub async fn delete_expired(
    db: impl Into<Executor<'_>>,
    idle_before: i64,
    started_before: i64,
) -> sqlx::Result<u64> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(started_before)
            .execute(executor)
            .await
            .map(|result| result.rows_affected())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{TestDatabases, test_person};

    const ALICE_FIRST: &str = "aaaaaaaaaaaaaaaa0000000000000001";
    const ALICE_SECOND: &str = "bbbbbbbbbbbbbbbb0000000000000002";
    const BOB_ONLY: &str = "cccccccccccccccc0000000000000003";
    const ALICE_THIRD: &str = "dddddddddddddddd0000000000000004";

    async fn listed_hashes(db: &crate::db::Db, user_id: i64) -> Vec<String> {
        let listed = list_for_user(db, user_id).await.unwrap();
        listed
            .into_iter()
            .map(|session| session.token_hash)
            .collect()
    }

    #[tokio::test]
    async fn sessions_are_found_touched_and_listed_newest_first() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            create(db, ALICE_FIRST, alice, Some("Firefox on Linux"), 10)
                .await
                .unwrap();
            create(db, ALICE_SECOND, alice, None, 20).await.unwrap();
            touch(db, ALICE_FIRST, 30).await.unwrap();

            let found = find(db, ALICE_FIRST).await.unwrap().unwrap();
            assert_eq!(
                (found.user_id, found.created_at, found.last_seen_at),
                (alice, 10, 30)
            );
            assert!(find(db, BOB_ONLY).await.unwrap().is_none());
            let listed = list_for_user(db, alice).await.unwrap();
            assert_eq!(listed.len(), 2);
            assert_eq!(listed[0].token_hash, ALICE_FIRST);
            assert_eq!(listed[0].public_id, "aaaaaaaaaaaaaaaa");
            assert_eq!(listed[0].browser.as_deref(), Some("Firefox on Linux"));
            assert_eq!(listed[1].public_id, "bbbbbbbbbbbbbbbb");
            assert_eq!(listed[1].browser, None);

            delete(db, ALICE_FIRST).await.unwrap();
            assert_eq!(listed_hashes(db, alice).await, [ALICE_SECOND]);
        })
        .await;
    }

    #[tokio::test]
    async fn a_person_ends_only_her_own_sessions() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let bob = test_person(db, "bob@example.com").await.unwrap();
            create(db, ALICE_FIRST, alice, None, 10).await.unwrap();
            create(db, ALICE_SECOND, alice, None, 10).await.unwrap();
            create(db, BOB_ONLY, bob, None, 10).await.unwrap();

            assert!(
                !delete_by_public_id(db, alice, "cccccccccccccccc")
                    .await
                    .unwrap()
            );
            assert!(
                !delete_by_public_id(db, alice, "aaaa").await.unwrap(),
                "a prefix only"
            );
            assert!(
                delete_by_public_id(db, alice, "aaaaaaaaaaaaaaaa")
                    .await
                    .unwrap()
            );
            assert_eq!(listed_hashes(db, alice).await, [ALICE_SECOND]);

            create(db, ALICE_FIRST, alice, None, 20).await.unwrap();
            delete_others(db, alice, ALICE_FIRST).await.unwrap();
            assert_eq!(listed_hashes(db, alice).await, [ALICE_FIRST]);
            delete_for_user(db, alice).await.unwrap();
            assert!(listed_hashes(db, alice).await.is_empty());
            assert_eq!(listed_hashes(db, bob).await, [BOB_ONLY]);
        })
        .await;
    }

    #[tokio::test]
    async fn idle_or_old_sessions_expire() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            create(db, ALICE_FIRST, alice, None, 10).await.unwrap();
            create(db, ALICE_SECOND, alice, None, 50).await.unwrap();
            create(db, ALICE_THIRD, alice, None, 5).await.unwrap();
            touch(db, ALICE_THIRD, 60).await.unwrap();

            assert_eq!(delete_expired(db, 20, 0).await.unwrap(), 1, "idle since 10");
            assert_eq!(delete_expired(db, 0, 6).await.unwrap(), 1, "started at 5");
            assert_eq!(listed_hashes(db, alice).await, [ALICE_SECOND]);
        })
        .await;
    }
}
