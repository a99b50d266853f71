//! Limits failed sign-ins per account and per client address within a sliding window. The
//! failures live in the database, so a restart does not lift a lock-out.

use crate::db::sign_in_failures::{self, Scope};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Answers `rate_limited` (with the seconds until the next attempt is allowed) while either the
/// account or the address has used up its failures.
pub async fn check(state: &AppState, account: &str, address: &str) -> AppResult<()> {
    let limits = state.config.sign_in_limits;
    let wait = [
        (Scope::Account, account, limits.per_account),
        (Scope::Address, address, limits.per_address),
    ];
    let mut longest = 0;
    for (scope, subject, limit) in wait {
        longest = longest.max(seconds_until_allowed(state, scope, subject, limit).await?);
    }
    if longest > 0 {
        return Err(AppError::RateLimited {
            retry_after_seconds: longest.unsigned_abs(),
        });
    }
    Ok(())
}

/// Zero when allowed; otherwise how long until the oldest failure that counts leaves the window.
async fn seconds_until_allowed(
    state: &AppState,
    scope: Scope,
    subject: &str,
    limit: u32,
) -> AppResult<i64> {
    let now = state.now_seconds();
    let window = state.config.sign_in_limits.window.num_seconds();
    let oldest_counted =
        sign_in_failures::nth_newest(&state.db, scope, subject, now - window, limit).await?;
    Ok(oldest_counted.map_or(0, |failed_at| (failed_at + window - now).max(1)))
}

pub async fn record_failure(state: &AppState, account: &str, address: &str) -> AppResult<()> {
    let now = state.now_seconds();
    sign_in_failures::record(&state.db, Scope::Account, account, now).await?;
    sign_in_failures::record(&state.db, Scope::Address, address, now).await?;
    let window = state.config.sign_in_limits.window.num_seconds();
    sign_in_failures::prune(&state.db, now - window).await?;
    Ok(())
}

/// After a successful sign-in or password reset the account starts afresh (the address does not).
pub async fn forget_account(state: &AppState, account: &str) -> AppResult<()> {
    sign_in_failures::clear(&state.db, Scope::Account, account).await?;
    Ok(())
}
