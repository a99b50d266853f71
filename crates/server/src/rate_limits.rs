//! Per-person limits on what costs support work or sends mail (tickets, replies, escalation
//! requests, mails to people in CC, downloads of one's own data) and a per-address limit on
//! votes of readers who never voted before. governor's keyed GCRA limiters, in this process's
//! memory: they stop bursts, and a restart forgetting them only gives one more hour's allowance.
//! And how many exports of people's data the server puts together at once.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, InsufficientCapacity, Quota};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::RateLimits;
use crate::error::{AppError, AppResult};

pub struct RateLimiters {
    tickets: Limiter<i64>,
    replies: Limiter<i64>,
    escalations: Limiter<i64>,
    cc_mails: Limiter<i64>,
    exports: Limiter<i64>,
    /// The places of the exports being put together now.
    exports_at_once: Arc<Semaphore>,
    new_anonymous_voters: Limiter<String>,
}

/// How many exports of people's data one server puts together at once. Each holds up to
/// `personal_data::export::MAX_FILE_BYTES` (64 MiB) of files and then the ZIP in memory, so two
/// bound that memory to about 256 MiB, and the deflate keeps a core busy for each. Exports are
/// rare (a person's right, used a few times in her life), so a third at the same moment is told
/// to come back rather than queued.
pub const EXPORTS_AT_ONCE: usize = 2;

/// What an export refused for the others under way is told to wait: one takes seconds.
const EXPORT_BUSY_RETRY_SECONDS: u64 = 30;

impl RateLimiters {
    pub fn new(limits: &RateLimits) -> Self {
        Self {
            tickets: Limiter::per_hour(limits.tickets_per_hour),
            replies: Limiter::per_hour(limits.replies_per_hour),
            escalations: Limiter::per_hour(limits.escalations_per_hour),
            cc_mails: Limiter::per_hour(limits.cc_mails_per_hour),
            exports: Limiter::per_hour(limits.exports_per_hour),
            exports_at_once: Arc::new(Semaphore::new(EXPORTS_AT_ONCE)),
            new_anonymous_voters: Limiter::per_hour(limits.cookieless_votes_per_hour),
        }
    }

    pub fn ticket(&self, user_id: i64) -> AppResult<()> {
        self.tickets.take(&user_id, 1)
    }

    pub fn reply(&self, user_id: i64) -> AppResult<()> {
        self.replies.take(&user_id, 1)
    }

    pub fn escalation(&self, user_id: i64) -> AppResult<()> {
        self.escalations.take(&user_id, 1)
    }

    /// `count` mails to people in CC, caused by `user_id`.
    pub fn cc_mails(&self, user_id: i64, count: usize) -> AppResult<()> {
        self.cc_mails
            .take(&user_id, u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// A place for one export, held until it is written: `overloaded` (503) while
    /// [`EXPORTS_AT_ONCE`] others are under way, which leaves the person's allowance as it
    /// was; then `rate_limited` beyond her hour's allowance.
    pub fn export(&self, user_id: i64) -> AppResult<OwnedSemaphorePermit> {
        let place = Arc::clone(&self.exports_at_once)
            .try_acquire_owned()
            .map_err(|_| AppError::overloaded(EXPORT_BUSY_RETRY_SECONDS))?;
        self.exports.take(&user_id, 1)?;
        Ok(place)
    }

    /// A vote of a reader without an account who has not voted before, from `address`.
    pub fn new_anonymous_voter(&self, address: &str) -> AppResult<()> {
        self.new_anonymous_voters.take(&address.to_owned(), 1)
    }

    /// Drops the state of keys that are back to a full allowance, so memory follows the
    /// recently active people and addresses only.
    pub fn forget_idle(&self) {
        self.tickets.0.retain_recent();
        self.replies.0.retain_recent();
        self.escalations.0.retain_recent();
        self.cc_mails.0.retain_recent();
        self.exports.0.retain_recent();
        self.new_anonymous_voters.0.retain_recent();
    }
}

struct Limiter<K: Hash + Eq + Clone>(DefaultKeyedRateLimiter<K>);

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn per_hour(limit: u32) -> Self {
        let burst = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
        Self(DefaultKeyedRateLimiter::keyed(Quota::per_hour(burst)))
    }

    /// Takes `n` from `key`'s allowance, or answers `rate_limited` with the wait until they
    /// would be there (an hour when `n` is more than a whole hour's allowance).
    fn take(&self, key: &K, n: u32) -> AppResult<()> {
        let Some(n) = NonZeroU32::new(n) else {
            return Ok(());
        };
        let wait = match self.0.check_key_n(key, n) {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(not_until)) => not_until.wait_time_from(DefaultClock::default().now()),
            Err(InsufficientCapacity(_)) => std::time::Duration::from_secs(60 * 60),
        };
        Err(AppError::rate_limited(wait.as_secs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Refusal;

    fn limits(per_hour: u32) -> RateLimits {
        RateLimits {
            tickets_per_hour: per_hour,
            replies_per_hour: per_hour,
            escalations_per_hour: per_hour,
            cc_mails_per_hour: per_hour,
            cookieless_votes_per_hour: per_hour,
            exports_per_hour: per_hour,
        }
    }

    #[test]
    fn an_hours_allowance_goes_through_then_the_wait_is_told() {
        let limiters = RateLimiters::new(&limits(3));
        for _ in 0..3 {
            assert!(limiters.ticket(1).is_ok());
        }
        let Err(AppError::Refused(Refusal {
            code: "rate_limited",
            retry_after_seconds: Some(retry_after_seconds),
            ..
        })) = limiters.ticket(1)
        else {
            panic!("the fourth ticket within the hour went through");
        };
        assert!(
            (1..=20 * 60).contains(&retry_after_seconds),
            "{retry_after_seconds}"
        );
        assert!(
            limiters.ticket(2).is_ok(),
            "another person has their own allowance"
        );
        assert!(
            limiters.reply(1).is_ok(),
            "replies have their own allowance"
        );
    }

    #[test]
    fn mails_count_one_by_one_and_none_is_free() {
        let limiters = RateLimiters::new(&limits(5));
        assert!(limiters.cc_mails(1, 0).is_ok());
        assert!(limiters.cc_mails(1, 4).is_ok());
        assert!(limiters.cc_mails(1, 2).is_err());
        assert!(limiters.cc_mails(1, 1).is_ok());
        assert!(
            limiters.cc_mails(2, 6).is_err(),
            "more than an hour's allowance at once"
        );
    }

    #[test]
    fn exports_beyond_those_under_way_are_refused_without_using_the_allowance() {
        let limiters = RateLimiters::new(&limits(3));
        let under_way: Vec<_> = (1..=EXPORTS_AT_ONCE)
            .map(|person| limiters.export(i64::try_from(person).expect("small")))
            .collect::<AppResult<_>>()
            .expect("a place for each");
        let refused = limiters.export(100).expect_err("no place is left");
        assert_eq!(refused.code(), "overloaded");
        drop(under_way);
        for _ in 0..3 {
            assert!(
                limiters.export(100).is_ok(),
                "the refusal used none of the allowance, and each place came back"
            );
        }
        assert_eq!(
            limiters.export(100).expect_err("a fourth").code(),
            "rate_limited"
        );
    }
}
