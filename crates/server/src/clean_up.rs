//! The clean-up that runs beside the server: what is no longer needed goes, so tables and the
//! rate limits' memory do not grow without end.

use std::time::Duration;

use crate::state::AppState;
use crate::{accounts, attachments, mail};

/// How often the clean-up drops what is no longer needed.
const CLEAN_UP_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// At start and every ten minutes for as long as the server runs: removes accounts never
/// confirmed (`LANTERN_UNCONFIRMED_ACCOUNT_DAYS`, see [`accounts::remove_stale`]), uploads never
/// put on a ticket (`LANTERN_UNUSED_UPLOAD_HOURS`), uploads a stopped server left half-received,
/// stored content no upload refers to ([`attachments::collect_garbage`]) and the copies of mails
/// sent long ago ([`mail::remove_old_sent`]); and drops the rate limits' state of people and
/// addresses back to their full allowance.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(CLEAN_UP_INTERVAL);
        loop {
            ticks.tick().await;
            match accounts::remove_stale(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "unconfirmed accounts removed"),
                Err(error) => tracing::error!(error = %error, "cannot remove unconfirmed accounts"),
            }
            match attachments::remove_unused(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "removed uploads never put on a ticket"),
                Err(error) => tracing::error!(error = %error, "cannot remove unused uploads"),
            }
            let upload_timeout = state.config.connections.upload_timeout;
            match attachments::remove_partial_uploads(&state, upload_timeout).await {
                Ok(0) => {}
                Ok(count) => tracing::warn!(count, "removed uploads a stopped server left"),
                Err(error) => tracing::error!(error = %error, "cannot remove partial uploads"),
            }
            match attachments::collect_garbage(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "removed stored files no upload refers to"),
                Err(error) => tracing::error!(error = %error, "cannot remove unused content"),
            }
            match mail::remove_old_sent(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "removed the copies of mails sent long ago"),
                Err(error) => tracing::error!(error = %error, "cannot remove old sent mails"),
            }
            state.rate_limits.forget_idle();
        }
    })
}
