//! Browsers that signed in to an account before, recognised by a long-lived device cookie: a
//! random token whose hash the database links to the accounts signed in with it. Such a browser
//! is spared the account-wide sign-in limit ([`crate::throttle`]), so a stranger guessing the
//! password from elsewhere cannot lock the owner out.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::Duration;

use crate::auth::{cookie_value, hash_token, new_token};
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;

/// A browser that has not signed in for this long is a stranger again.
pub const DEVICE_VALIDITY: Duration = Duration::days(180);

/// The device cookie's name; with secure cookies the `__Host-` prefix, as for the session.
pub fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-lantern_device"
    } else {
        "lantern_device"
    }
}

/// The device token the request's cookie carries, if any.
#[derive(Debug, Clone, Default)]
pub struct DeviceToken(pub Option<String>);

impl FromRequestParts<AppState> for DeviceToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let name = device_cookie_name(state.config.secure_cookies);
        Ok(Self(cookie_value(parts, name)))
    }
}

/// Whether this browser signed in to the account of `email` within [`DEVICE_VALIDITY`].
pub async fn is_known(state: &AppState, device: &DeviceToken, email: &str) -> AppResult<bool> {
    let Some(token) = &device.0 else {
        return Ok(false);
    };
    let since = state.now_seconds() - DEVICE_VALIDITY.num_seconds();
    Ok(db::known_devices::is_known(&state.db, &hash_token(token), email, since).await?)
}

/// Remembers that this browser signed in to the account; returns the token for its cookie (the
/// one it has when this server issued it, so one browser keeps one token for every account).
pub async fn remember(state: &AppState, device: &DeviceToken, user_id: i64) -> AppResult<String> {
    let issued = match &device.0 {
        Some(token) if db::known_devices::exists(&state.db, &hash_token(token)).await? => {
            Some(token.clone())
        }
        _ => None,
    };
    let token = issued.unwrap_or_else(new_token);
    db::known_devices::remember(&state.db, &hash_token(&token), user_id, state.now_seconds())
        .await?;
    Ok(token)
}

/// Forgets browsers that have not signed in within [`DEVICE_VALIDITY`]; returns how many.
pub async fn forget_unused(state: &AppState) -> AppResult<u64> {
    let before = state.now_seconds() - DEVICE_VALIDITY.num_seconds();
    Ok(db::known_devices::forget_unused(&state.db, before).await?)
}
