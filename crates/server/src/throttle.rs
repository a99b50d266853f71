//! Sliding-window limits on sign-ins and registrations. The events live in the database, so a
//! restart does not lift a limit.
//!
//! A sign-in attempt is reserved (recorded as a failure) in one write transaction together with
//! the check of the limits, before its password is checked: parallel guesses cannot all slip
//! through a check that reads before they are counted. A successful attempt is forgiven.
//!
//! Limits that an attacker cannot aim at a victim:
//! - per client address: `per_address` attempts per window;
//! - per client address and account: `per_account` free attempts per window, then each further
//!   one waits twice as long after the last failure (1 minute, 2, 4, ..., at most the window);
//! - per account: `per_account` attempts per window, only for browsers that have not signed in
//!   to the account before ([`crate::devices`]), so a stranger's guesses do not lock the owner out.

use chrono::Duration;

use crate::db::WriteTransaction;
use crate::db::throttle_events::{self, Scope, pair_subject};
use crate::error::{AppError, AppResult};
use crate::metrics;
use crate::state::AppState;

/// The first of the growing delays of one client address on one account.
const FIRST_PAIR_DELAY_SECONDS: i64 = 60;
/// The window of the registration limits.
pub const REGISTRATION_WINDOW: Duration = Duration::hours(1);

/// What one limit counts and allows.
struct Limit {
    scope: Scope,
    subject: String,
    allowed: u32,
    window_seconds: i64,
    /// Beyond `allowed`, a delay after the newest event that doubles with each one, instead of
    /// waiting for the oldest to leave the window.
    growing_delay: bool,
}

/// A sign-in attempt counted as a failure until [`sign_in_succeeded`] forgives it.
#[derive(Debug)]
#[must_use = "a successful sign-in must be forgiven"]
pub struct SignInAttempt {
    events: Vec<i64>,
    pair: String,
}

/// Reserves a sign-in attempt, or answers `rate_limited` (with the seconds until the next
/// attempt is allowed) while a limit is used up. `known_device`: the browser signed in to this
/// account before, so the account-wide limit does not apply to it.
pub async fn reserve_sign_in(
    state: &AppState,
    account: &str,
    address: &str,
    known_device: bool,
) -> AppResult<SignInAttempt> {
    let limits = state.config.sign_in_limits;
    let window_seconds = limits.window.num_seconds();
    let pair = pair_subject(address, account);
    let mut checked = vec![
        Limit {
            scope: Scope::Address,
            subject: address.to_owned(),
            allowed: limits.per_address,
            window_seconds,
            growing_delay: false,
        },
        Limit {
            scope: Scope::Pair,
            subject: pair.clone(),
            allowed: limits.per_account,
            window_seconds,
            growing_delay: true,
        },
    ];
    if !known_device {
        checked.push(Limit {
            scope: Scope::Account,
            subject: account.to_owned(),
            allowed: limits.per_account,
            window_seconds,
            growing_delay: false,
        });
    }
    let events = reserve(state, "sign_in", &checked).await?;
    Ok(SignInAttempt { events, pair })
}

/// Forgives a successful attempt, and the earlier failures of its address on the account (the
/// account-wide failures stay: they may be a stranger's, still guessing).
pub async fn sign_in_succeeded(state: &AppState, attempt: SignInAttempt) -> AppResult<()> {
    let mut tx = state.begin_write().await?;
    throttle_events::delete(&mut tx, &attempt.events).await?;
    throttle_events::clear(&mut tx, Scope::Pair, &attempt.pair).await?;
    tx.commit().await?;
    Ok(())
}

/// After a password reset the account starts afresh (the addresses do not).
pub async fn forget_account(state: &AppState, account: &str) -> AppResult<()> {
    throttle_events::clear(&state.database, Scope::Account, account).await?;
    Ok(())
}

/// Counts a registration of `mailbox` from `address`, or answers `rate_limited`. Counted before
/// anyone looks up the address, so the answer is the same whether or not it has an account.
pub async fn reserve_registration(state: &AppState, mailbox: &str, address: &str) -> AppResult<()> {
    let limits = state.config.registration_limits;
    let window_seconds = REGISTRATION_WINDOW.num_seconds();
    let checked = [
        Limit {
            scope: Scope::RegistrationAddress,
            subject: address.to_owned(),
            allowed: limits.per_address,
            window_seconds,
            growing_delay: false,
        },
        Limit {
            scope: Scope::RegistrationMailbox,
            subject: mailbox.to_owned(),
            allowed: limits.per_mailbox,
            window_seconds,
            growing_delay: false,
        },
    ];
    reserve(state, "registration", &checked).await?;
    Ok(())
}

/// In one write transaction: checks every limit, then records one event for each; returns the
/// events' ids.
async fn reserve(state: &AppState, action: &'static str, limits: &[Limit]) -> AppResult<Vec<i64>> {
    let now = state.now_seconds();
    let mut tx = state.begin_write().await?;
    // In one order everywhere, so two reservations sharing subjects never wait for each other
    // in a circle.
    let mut subjects: Vec<_> = limits
        .iter()
        .map(|limit| (limit.scope, &limit.subject))
        .collect();
    subjects.sort();
    for (scope, subject) in subjects {
        throttle_events::lock_subject(&mut tx, scope, subject).await?;
    }
    let mut longest = 0;
    for limit in limits {
        longest = longest.max(seconds_until_allowed(&mut tx, limit, now).await?);
    }
    if longest > 0 {
        metrics::throttled(action);
        return Err(AppError::rate_limited(longest.unsigned_abs()));
    }
    let mut events = Vec::with_capacity(limits.len());
    for limit in limits {
        throttle_events::prune(&mut tx, limit.scope, now - limit.window_seconds).await?;
        events.push(throttle_events::record(&mut tx, limit.scope, &limit.subject, now).await?);
    }
    tx.commit().await?;
    Ok(events)
}

/// Zero when allowed; otherwise how long until the limit allows one more event.
async fn seconds_until_allowed(
    tx: &mut WriteTransaction,
    limit: &Limit,
    now: i64,
) -> AppResult<i64> {
    let since = now - limit.window_seconds;
    let allowed_at = if limit.growing_delay {
        let (count, newest) =
            throttle_events::count_since(&mut *tx, limit.scope, &limit.subject, since).await?;
        newest
            .filter(|_| count >= limit.allowed)
            .map(|newest| newest + growing_delay(count - limit.allowed, limit.window_seconds))
    } else {
        throttle_events::nth_newest(&mut *tx, limit.scope, &limit.subject, since, limit.allowed)
            .await?
            .map(|oldest_counted| oldest_counted + limit.window_seconds)
    };
    Ok(allowed_at.map_or(0, |at| (at - now).max(0)))
}

/// The wait after the newest failure once `beyond` failures exceed the free ones: 1 minute,
/// doubling with each, at most `cap` seconds.
fn growing_delay(beyond: u32, cap: i64) -> i64 {
    // A minute doubled 20 times is far beyond any window; more would overflow the shift.
    let doublings = beyond.min(20);
    (FIRST_PAIR_DELAY_SECONDS << doublings).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_the_window() {
        let delays: Vec<i64> = (0..6).map(|beyond| growing_delay(beyond, 900)).collect();
        assert_eq!(delays, [60, 120, 240, 480, 900, 900]);
        assert_eq!(growing_delay(u32::MAX, 900), 900);
    }
}
