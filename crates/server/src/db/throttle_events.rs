//! Events counted by the sliding-window limits (sign-in attempts, registrations), kept in the
//! database so a restart does not lift a limit.

use sqlx::QueryBuilder;

use super::{Executor, on_either};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Sign-in attempts, keyed by the normalised e-mail address tried.
    Account,
    /// Sign-in attempts, keyed by the client's IP address.
    Address,
    /// Sign-in attempts, keyed by client address and e-mail address ([`pair_subject`]).
    Pair,
    /// Registrations, keyed by the client's IP address.
    RegistrationAddress,
    /// Registrations, keyed by the normalised e-mail address registered.
    RegistrationMailbox,
}

impl Scope {
    fn as_db(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Address => "address",
            Self::Pair => "pair",
            Self::RegistrationAddress => "registration_address",
            Self::RegistrationMailbox => "registration_mailbox",
        }
    }
}

/// The subject of [`Scope::Pair`]; an IP address has no space, so the two cannot run together.
pub fn pair_subject(address: &str, account: &str) -> String {
    format!("{address} {account}")
}

/// Holds the limit of `scope` and `subject` until the transaction ends, so that two servers
/// counting the same subject's events (then recording one) take turns: with READ COMMITTED
/// both would count before either recorded, and both pass a limit with one event left.
/// PostgreSQL only (an advisory lock on a hash of the two: there is no row to lock before the
/// first event); a SQLite write transaction holds the database's one write lock already.
pub async fn lock_subject(
    db: impl Into<Executor<'_>>,
    scope: Scope,
    subject: &str,
) -> sqlx::Result<()> {
    super::lock_in_transaction(db, &format!("throttle {} {subject}", scope.as_db())).await
}

/// The instant of the `nth` most recent event after `since` (1 = the newest).
pub async fn nth_newest(
    db: impl Into<Executor<'_>>,
    scope: Scope,
    subject: &str,
    since: i64,
    nth: u32,
) -> sqlx::Result<Option<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT happened_at FROM throttle_events
             WHERE scope = $1 AND subject = $2 AND happened_at > $3
             ORDER BY happened_at DESC LIMIT 1 OFFSET $4",
        )
        .bind(scope.as_db())
        .bind(subject)
        .bind(since)
        .bind(i64::from(nth.saturating_sub(1)))
        .fetch_optional(executor)
        .await
    })
}

/// How many events after `since`, and the newest of them.
pub async fn count_since(
    db: impl Into<Executor<'_>>,
    scope: Scope,
    subject: &str,
    since: i64,
) -> sqlx::Result<(u32, Option<i64>)> {
    // Read as i64: PostgreSQL's COUNT is a bigint, which its driver decodes to no unsigned type.
    let (count, newest): (i64, Option<i64>) = on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT COUNT(*), MAX(happened_at) FROM throttle_events
             WHERE scope = $1 AND subject = $2 AND happened_at > $3",
        )
        .bind(scope.as_db())
        .bind(subject)
        .bind(since)
        .fetch_one(executor)
        .await?
    });
    Ok((u32::try_from(count).unwrap_or(u32::MAX), newest))
}

/// Records an event; returns its id (for [`delete`]).
pub async fn record(
    db: impl Into<Executor<'_>>,
    scope: Scope,
    subject: &str,
    now: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "INSERT INTO throttle_events (scope, subject, happened_at) VALUES ($1, $2, $3)
             RETURNING id",
        )
        .bind(scope.as_db())
        .bind(subject)
        .bind(now)
        .fetch_one(executor)
        .await
    })
}

/// Removes events by id (a sign-in attempt that succeeded).
pub async fn delete(db: impl Into<Executor<'_>>, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // The builder of each backend writes its own placeholders (`?` or `$N`).
    on_either!(db, |executor| {
        let mut query = QueryBuilder::new("DELETE FROM throttle_events WHERE id IN (");
        let mut separated = query.separated(", ");
        for id in ids {
            separated.push_bind(*id);
        }
        separated.push_unseparated(")");
        query.build().execute(executor).await.map(drop)
    })
}

/// Forgets a subject's events (an account whose password was reset).
pub async fn clear(db: impl Into<Executor<'_>>, scope: Scope, subject: &str) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM throttle_events WHERE scope = $1 AND subject = $2")
            .bind(scope.as_db())
            .bind(subject)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// Drops a scope's events that no window can reach any more.
pub async fn prune(db: impl Into<Executor<'_>>, scope: Scope, before: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM throttle_events WHERE scope = $1 AND happened_at < $2")
            .bind(scope.as_db())
            .bind(before)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// Forgets every event keyed by an e-mail address: its `account` and `registration_mailbox`
/// events, and the `pair` events that end in it (a deleted account leaves no trace of its
/// address). The pair's suffix is compared by length, so no character of the address is read
/// as a LIKE pattern.
pub async fn forget_mailbox(db: impl Into<Executor<'_>>, email: &str) -> sqlx::Result<()> {
    let pair_suffix = pair_subject("", email);
    on_either!(db, |executor| {
        sqlx::query(
            "DELETE FROM throttle_events
             WHERE (scope IN ('account', 'registration_mailbox') AND subject = $1)
                OR (scope = 'pair'
                    AND substr(subject, length(subject) - length($2) + 1) = $2)",
        )
        .bind(email)
        .bind(&pair_suffix)
        .execute(executor)
        .await
        .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::db::{Db, WriteGate};
    use crate::test_support::TestDatabases;

    const ALICE: &str = "alice@example.com";

    #[tokio::test]
    async fn events_are_counted_within_their_window() {
        TestDatabases::each(async |db| {
            for at in [10, 20, 30] {
                record(db, Scope::Account, ALICE, at).await.unwrap();
            }
            record(db, Scope::Address, ALICE, 25).await.unwrap();
            record(db, Scope::Account, "bob@example.com", 25)
                .await
                .unwrap();

            assert_eq!(
                count_since(db, Scope::Account, ALICE, 10).await.unwrap(),
                (2, Some(30))
            );
            assert_eq!(
                count_since(db, Scope::Pair, ALICE, 0).await.unwrap(),
                (0, None)
            );
            assert_eq!(
                nth_newest(db, Scope::Account, ALICE, 0, 1).await.unwrap(),
                Some(30)
            );
            assert_eq!(
                nth_newest(db, Scope::Account, ALICE, 0, 3).await.unwrap(),
                Some(10)
            );
            assert_eq!(
                nth_newest(db, Scope::Account, ALICE, 10, 3).await.unwrap(),
                None
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_forgotten_mailbox_takes_its_own_events_only() {
        TestDatabases::each(async |db| {
            let xalice = "xalice@example.com";
            record(db, Scope::Account, ALICE, 10).await.unwrap();
            record(db, Scope::RegistrationMailbox, ALICE, 10)
                .await
                .unwrap();
            record(db, Scope::Pair, &pair_subject("192.0.2.1", ALICE), 10)
                .await
                .unwrap();
            record(db, Scope::Pair, &pair_subject("192.0.2.1", xalice), 10)
                .await
                .unwrap();
            record(db, Scope::Account, "a_ice@example.com", 10)
                .await
                .unwrap();
            record(db, Scope::Address, "192.0.2.1", 10).await.unwrap();

            forget_mailbox(db, ALICE).await.unwrap();

            let left = |scope, subject: String| async move {
                count_since(db, scope, &subject, 0).await.unwrap().0
            };
            assert_eq!(left(Scope::Account, ALICE.to_owned()).await, 0);
            assert_eq!(left(Scope::RegistrationMailbox, ALICE.to_owned()).await, 0);
            assert_eq!(left(Scope::Pair, pair_subject("192.0.2.1", ALICE)).await, 0);
            assert_eq!(
                left(Scope::Pair, pair_subject("192.0.2.1", xalice)).await,
                1
            );
            assert_eq!(
                left(Scope::Account, "a_ice@example.com".to_owned()).await,
                1
            );
            assert_eq!(left(Scope::Address, "192.0.2.1".to_owned()).await, 1);
        })
        .await;
    }

    #[tokio::test]
    async fn a_subject_counted_by_one_transaction_waits_for_it_on_postgres() {
        TestDatabases::each(async |db| {
            let gate = WriteGate::default();
            let mut first = gate.begin(db).await.unwrap();
            lock_subject(&mut first, Scope::Account, ALICE)
                .await
                .unwrap();
            if matches!(db, Db::Sqlite(_)) {
                // SQLite's writers take turns at the gate, before they begin.
                return;
            }
            let mut second = gate.begin(db).await.unwrap();
            lock_subject(&mut second, Scope::Pair, ALICE).await.unwrap();
            lock_subject(&mut second, Scope::Account, "bob@example.com")
                .await
                .unwrap();
            let waited = tokio::time::timeout(
                Duration::from_millis(300),
                lock_subject(&mut second, Scope::Account, ALICE),
            );
            assert!(
                waited.await.is_err(),
                "the second count waits for the first"
            );
            record(&mut first, Scope::Account, ALICE, 10).await.unwrap();
            first.commit().await.unwrap();
            lock_subject(&mut second, Scope::Account, ALICE)
                .await
                .unwrap();
            assert_eq!(
                count_since(&mut second, Scope::Account, ALICE, 0)
                    .await
                    .unwrap(),
                (1, Some(10)),
                "counted after the first recorded"
            );
        })
        .await;
    }

    #[tokio::test]
    async fn events_are_deleted_by_id_subject_or_age() {
        TestDatabases::each(async |db| {
            let first = record(db, Scope::Account, ALICE, 10).await.unwrap();
            let second = record(db, Scope::Account, ALICE, 20).await.unwrap();
            record(db, Scope::Account, ALICE, 30).await.unwrap();
            record(db, Scope::Pair, ALICE, 40).await.unwrap();
            record(db, Scope::Address, ALICE, 5).await.unwrap();
            record(db, Scope::Address, ALICE, 50).await.unwrap();

            delete(db, &[first, second]).await.unwrap();
            delete(db, &[]).await.unwrap();
            assert_eq!(
                count_since(db, Scope::Account, ALICE, 0).await.unwrap(),
                (1, Some(30))
            );
            clear(db, Scope::Pair, ALICE).await.unwrap();
            assert_eq!(count_since(db, Scope::Pair, ALICE, 0).await.unwrap().0, 0);
            prune(db, Scope::Address, 50).await.unwrap();
            assert_eq!(
                count_since(db, Scope::Address, ALICE, 0).await.unwrap(),
                (1, Some(50))
            );
            assert_eq!(
                count_since(db, Scope::Account, ALICE, 0).await.unwrap().0,
                1
            );
        })
        .await;
    }
}
