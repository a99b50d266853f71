//! Mail waiting for delivery, and delivered or given up on. Tests read it to find the links
//! that were sent. A mail goes out once however many servers share the database: each claims
//! what it sends ([`claim_due`]).

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
    pub last_error: Option<String>,
    /// Failed deliveries are tried again until then ([`GIVE_UP_AFTER`] after it was queued,
    /// or resent).
    pub retry_until: i64,
    /// Given up on: an operator may resend it (`lantern-server admin resend-mail`).
    pub failed_at: Option<i64>,
}

/// How long the server that claimed a mail has to deliver it before another may claim it
/// again: well beyond an SMTP exchange's timeout (a minute), so only a server that died
/// mid-send leaves its mails to another, and then only late.
pub const CLAIM_SECONDS: i64 = 300;
/// The wait before the first retry; it doubles with each failure, up to [`LONGEST_WAIT`].
const FIRST_WAIT: i64 = 30;
/// A mail server back after an outage gets every waiting mail within this time.
const LONGEST_WAIT: i64 = 600;
/// A mail still failing this long after it was queued (or resent) is given up on: the mail
/// server has been down, or refusing it, for three days.
pub const GIVE_UP_AFTER: i64 = 3 * 24 * 3600;

/// When a mail that has failed `failures` times is tried again, failing at `now`.
pub fn next_attempt(failures: i64, now: i64) -> i64 {
    let doublings = u32::try_from(failures.saturating_sub(1)).unwrap_or(u32::MAX);
    let wait = FIRST_WAIT.saturating_mul(2_i64.saturating_pow(doublings));
    now + wait.min(LONGEST_WAIT)
}

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
            "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, retry_until)
             VALUES ($1, $2, $3, $4, $4, $5)
             RETURNING id",
        )
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(now)
        .bind(now + GIVE_UP_AFTER)
        .fetch_one(executor)
        .await
    })
}

const MAIL_COLUMNS: &str = "id, recipient, subject, body, created_at, sent_at, attempts, last_error, retry_until, failed_at";

/// Takes up to `limit` mails that are due, oldest first, for this server to deliver: no other
/// server claims them for [`CLAIM_SECONDS`]. On PostgreSQL the rows another server is claiming
/// at the same moment are skipped, not waited for and then claimed twice.
pub async fn claim_due(
    db: impl Into<Executor<'_>>,
    now: i64,
    limit: i64,
) -> sqlx::Result<Vec<Mail>> {
    let mut claimed = on_either!(db, |executor| {
        let sql = format!(
            "UPDATE outbox SET claimed_until = $1
             WHERE id IN (
                 SELECT id FROM outbox
                 WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                   AND (claimed_until IS NULL OR claimed_until <= $2)
                 ORDER BY id LIMIT $3 {}
             )
             RETURNING {MAIL_COLUMNS}",
            executor.row_lock("FOR UPDATE SKIP LOCKED"),
        );
        sqlx::query_as::<_, Mail>(&sql)
            .bind(now + CLAIM_SECONDS)
            .bind(now)
            .bind(limit)
            .fetch_all(executor)
            .await
    })?;
    claimed.sort_by_key(|mail| mail.id);
    Ok(claimed)
}

/// Gives the claim on a mail up without trying it, so it is due again at once.
pub async fn release(db: impl Into<Executor<'_>>, id: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE outbox SET claimed_until = NULL WHERE id = $1")
            .bind(id)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// Unsent mail not given up on, oldest first.
pub async fn pending(db: impl Into<Executor<'_>>, limit: i64) -> sqlx::Result<Vec<Mail>> {
    let sql = format!(
        "SELECT {MAIL_COLUMNS} FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL
         ORDER BY id LIMIT $1"
    );
    on_either!(db, |executor| {
        sqlx::query_as(&sql).bind(limit).fetch_all(executor).await
    })
}

/// How many mails wait to be sent and how many were given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct Counts {
    pub pending: i64,
    pub failed: i64,
}

pub async fn counts(db: impl Into<Executor<'_>>) -> sqlx::Result<Counts> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE failed_at IS NULL) AS pending,
                 COUNT(*) FILTER (WHERE failed_at IS NOT NULL) AS failed
             FROM outbox WHERE sent_at IS NULL",
        )
        .fetch_one(executor)
        .await
    })
}

/// When the oldest mail that is due and not being sent has been due since, if any: the
/// delivery loop takes due mails every few seconds, so a mail due for long means it is stuck.
pub async fn oldest_due(db: impl Into<Executor<'_>>, now: i64) -> sqlx::Result<Option<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox
             WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
               AND (claimed_until IS NULL OR claimed_until <= $1)",
        )
        .bind(now)
        .fetch_one(executor)
        .await
    })
}

/// Mail given up on, oldest first.
pub async fn failed(db: impl Into<Executor<'_>>) -> sqlx::Result<Vec<Mail>> {
    let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE failed_at IS NOT NULL ORDER BY id");
    on_either!(db, |executor| sqlx::query_as(&sql)
        .fetch_all(executor)
        .await)
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
        sqlx::query(
            "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL
             WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// Records a failed delivery of `mail`: it is tried again later ([`next_attempt`]), or, when
/// `permanent` (the mail server refused it for good) or past its `retry_until`, given up on.
/// Returns whether it was given up on.
pub async fn mark_failed(
    db: impl Into<Executor<'_>>,
    mail: &Mail,
    error: &str,
    permanent: bool,
    now: i64,
) -> sqlx::Result<bool> {
    let give_up = permanent || now >= mail.retry_until;
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $1, claimed_until = NULL,
                 next_attempt_at = $2, failed_at = $3
             WHERE id = $4",
        )
        .bind(error)
        .bind(next_attempt(mail.attempts + 1, now))
        .bind(give_up.then_some(now))
        .bind(mail.id)
        .execute(executor)
        .await
        .map(drop)
    })?;
    Ok(give_up)
}

/// Queues mails given up on again, due at once and retried for [`GIVE_UP_AFTER`] from now:
/// `ids`, or every failed mail when `ids` is empty. Returns how many were queued again.
pub async fn resend_failed(
    db: impl Into<Executor<'_>>,
    ids: &[i64],
    now: i64,
) -> sqlx::Result<u64> {
    let everything = ids.is_empty();
    on_either!(db, |executor| {
        let mut query = sqlx::QueryBuilder::new(
            "UPDATE outbox SET failed_at = NULL, claimed_until = NULL, next_attempt_at = ",
        );
        query
            .push_bind(now)
            .push(", retry_until = ")
            .push_bind(now + GIVE_UP_AFTER);
        query.push(" WHERE failed_at IS NOT NULL");
        if !everything {
            query.push(" AND id IN (");
            let mut separated = query.separated(", ");
            for id in ids {
                separated.push_bind(*id);
            }
            query.push(")");
        }
        query
            .build()
            .execute(executor)
            .await
            .map(|done| done.rows_affected())
    })
}

/// Deletes the copies of mails delivered before `before`; returns how many went. Mails waiting
/// or given up on stay whatever their age.
pub async fn remove_sent_before(db: impl Into<Executor<'_>>, before: i64) -> sqlx::Result<u64> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
            .bind(before)
            .execute(executor)
            .await
            .map(|done| done.rows_affected())
    })
}

/// Removes every mail to `recipient`, sent or not (her account is deleted), and in the copies
/// of mails to anyone else writes each mention's replacement for what names her (a reply's
/// mail to the people in CC names its author; an escalation's, the callback number).
pub async fn forget_person(
    db: impl Into<Executor<'_>>,
    recipient: &str,
    mentions: &[(&str, &str)],
) -> sqlx::Result<()> {
    let mut db = db.into();
    on_either!(db.reborrow(), |executor| {
        sqlx::query("DELETE FROM outbox WHERE LOWER(recipient) = LOWER($1)")
            .bind(recipient)
            .execute(executor)
            .await
            .map(drop)
    })?;
    for (mentioned, replacement) in mentions {
        on_either!(db.reborrow(), |executor| {
            sqlx::query(
                "UPDATE outbox SET subject = REPLACE(subject, $1, $2), body = REPLACE(body, $1, $2)
                 WHERE REPLACE(subject, $1, $2) <> subject OR REPLACE(body, $1, $2) <> body",
            )
            .bind(*mentioned)
            .bind(*replacement)
            .execute(executor)
            .await
            .map(drop)
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDatabases;

    fn ids(mails: &[Mail]) -> Vec<i64> {
        mails.iter().map(|mail| mail.id).collect()
    }

    #[test]
    fn the_wait_doubles_from_half_a_minute_up_to_ten_minutes() {
        let waits: Vec<i64> = (1..=7)
            .map(|failures| next_attempt(failures, 1000) - 1000)
            .collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 600, 600]);
        assert_eq!(next_attempt(i64::MAX, 0), LONGEST_WAIT);
    }

    #[tokio::test]
    async fn only_mails_sent_before_the_cut_off_are_removed() {
        TestDatabases::each(async |db| {
            let sent_long_ago = enqueue(db, "a@example.com", "Old", "Body", 10)
                .await
                .unwrap();
            mark_sent(db, sent_long_ago, 99).await.unwrap();
            let sent_at_the_cut_off = enqueue(db, "b@example.com", "Edge", "Body", 10)
                .await
                .unwrap();
            mark_sent(db, sent_at_the_cut_off, 100).await.unwrap();
            let waiting = enqueue(db, "c@example.com", "Waiting", "Body", 10)
                .await
                .unwrap();
            let given_up = enqueue(db, "d@example.com", "Failed", "Body", 10)
                .await
                .unwrap();
            let mail = claim_due(db, 10, 10)
                .await
                .unwrap()
                .into_iter()
                .find(|mail| mail.id == given_up)
                .expect("claimed");
            assert!(
                mark_failed(db, &mail, "550 no such user", true, 20)
                    .await
                    .unwrap()
            );

            assert_eq!(remove_sent_before(db, 100).await.unwrap(), 1);
            let mut left: Vec<i64> = Vec::new();
            for recipient in [
                "a@example.com",
                "b@example.com",
                "c@example.com",
                "d@example.com",
            ] {
                left.extend(ids(&to_recipient(db, recipient).await.unwrap()));
            }
            assert_eq!(left, [sent_at_the_cut_off, waiting, given_up]);
        })
        .await;
    }

    #[tokio::test]
    async fn a_claimed_mail_is_nobody_else_s_until_sent_or_its_claim_runs_out() {
        TestDatabases::each(async |db| {
            let first = enqueue(db, "alice@example.com", "Hello", "Body 1", 10)
                .await
                .unwrap();
            let second = enqueue(db, "bob@example.com", "Hi", "Body 2", 20)
                .await
                .unwrap();
            let third = enqueue(db, "alice@example.com", "Again", "Body 3", 30)
                .await
                .unwrap();

            assert!(
                claim_due(db, 9, 10).await.unwrap().is_empty(),
                "not due before queued"
            );
            assert_eq!(ids(&claim_due(db, 30, 2).await.unwrap()), [first, second]);
            assert_eq!(ids(&claim_due(db, 31, 10).await.unwrap()), [third]);
            assert!(
                claim_due(db, 30 + CLAIM_SECONDS - 1, 10)
                    .await
                    .unwrap()
                    .is_empty()
            );

            mark_sent(db, first, 40).await.unwrap();
            release(db, third).await.unwrap();
            assert_eq!(ids(&claim_due(db, 41, 10).await.unwrap()), [third]);
            // The claim on the second ran out: its server died mid-send.
            assert_eq!(
                ids(&claim_due(db, 30 + CLAIM_SECONDS, 10).await.unwrap()),
                [second]
            );

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
                    last_error: None,
                    retry_until: 10 + GIVE_UP_AFTER,
                    failed_at: None,
                }
            );
            assert_eq!(ids(&pending(db, 10).await.unwrap()), [second, third]);
        })
        .await;
    }

    #[tokio::test]
    async fn a_failed_mail_waits_longer_each_time_and_is_given_up_on_after_three_days() {
        TestDatabases::each(async |db| {
            let id = enqueue(db, "alice@example.com", "Hello", "Body", 0)
                .await
                .unwrap();
            let mut now = 0;
            let mut failures = 0;
            loop {
                let claimed = claim_due(db, now, 10).await.unwrap();
                if claimed.is_empty() {
                    now += 1;
                    continue;
                }
                assert_eq!(ids(&claimed), [id]);
                failures += 1;
                let given_up = mark_failed(db, &claimed[0], "421 try later", false, now)
                    .await
                    .unwrap();
                if given_up {
                    break;
                }
                // Not due again a second before the wait is over.
                let due = next_attempt(failures, now);
                assert!(claim_due(db, due - 1, 10).await.unwrap().is_empty());
                now = due;
            }
            assert!(
                (GIVE_UP_AFTER..GIVE_UP_AFTER + LONGEST_WAIT).contains(&now),
                "{now}"
            );
            assert!(
                failures > 400,
                "retried every ten minutes at most: {failures}"
            );
            let failed = failed(db).await.unwrap();
            assert_eq!(ids(&failed), [id]);
            assert_eq!(failed[0].failed_at, Some(now));
            assert_eq!(failed[0].last_error.as_deref(), Some("421 try later"));
            assert!(pending(db, 10).await.unwrap().is_empty());
            assert!(
                claim_due(db, now + GIVE_UP_AFTER, 10)
                    .await
                    .unwrap()
                    .is_empty()
            );

            // Resent, it is due at once and has three more days.
            assert_eq!(resend_failed(db, &[], now).await.unwrap(), 1);
            let resent = claim_due(db, now, 10).await.unwrap();
            assert_eq!(ids(&resent), [id]);
            assert_eq!(resent[0].retry_until, now + GIVE_UP_AFTER);
            assert!(
                !mark_failed(db, &resent[0], "421", false, now)
                    .await
                    .unwrap()
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_permanent_refusal_gives_up_at_once_and_only_the_named_mails_are_resent() {
        TestDatabases::each(async |db| {
            let first = enqueue(db, "nobody@example.com", "A", "Body", 0)
                .await
                .unwrap();
            let second = enqueue(db, "nobody@example.com", "B", "Body", 0)
                .await
                .unwrap();
            for mail in claim_due(db, 0, 10).await.unwrap() {
                assert!(
                    mark_failed(db, &mail, "550 no such user", true, 5)
                        .await
                        .unwrap()
                );
            }
            assert_eq!(ids(&failed(db).await.unwrap()), [first, second]);
            assert_eq!(resend_failed(db, &[second], 6).await.unwrap(), 1);
            assert_eq!(ids(&failed(db).await.unwrap()), [first]);
            assert_eq!(ids(&claim_due(db, 6, 10).await.unwrap()), [second]);
            assert_eq!(
                resend_failed(db, &[second], 7).await.unwrap(),
                0,
                "not failed"
            );
        })
        .await;
    }

    /// Several servers claiming at once on PostgreSQL: each mail goes to one of them.
    #[tokio::test]
    async fn servers_claiming_at_once_never_claim_the_same_mail() {
        TestDatabases::each(async |db| {
            let mut queued = Vec::new();
            for n in 0..200 {
                queued.push(enqueue(db, "a@example.com", "S", "B", n).await.unwrap());
            }
            let claims = (0..8).map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let claimed = claim_due(&db, 1000, 7).await.unwrap();
                        if claimed.is_empty() {
                            return mine;
                        }
                        mine.extend(ids(&claimed));
                    }
                })
            });
            let mut claimed: Vec<i64> = Vec::new();
            for claim in claims.collect::<Vec<_>>() {
                claimed.extend(claim.await.unwrap());
            }
            claimed.sort_unstable();
            assert_eq!(claimed, queued);
        })
        .await;
    }
}
