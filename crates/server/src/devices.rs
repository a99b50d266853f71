//! Browsers that signed in to an account before, recognised by a long-lived device cookie: a
//! random token whose hash the database links to the accounts signed in with it. Such a browser
//! is spared the account-wide sign-in limit ([`crate::throttle`]), so a stranger guessing the
//! password from elsewhere cannot lock the owner out.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use chrono::Duration;

use crate::auth::cookie_value;
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;
use crate::tokens::{hash_token, new_token};

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

/// What the request's browser is, as people read it in their list of sessions ("Firefox on
/// Windows"), from its `User-Agent`; `None` when that tells neither browser nor system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowserName(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for BrowserName {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok());
        Ok(Self(user_agent.and_then(describe_browser)))
    }
}

/// "Chrome on Android", "Safari on iPhone", "Firefox", "A browser on Linux". Only names from
/// the lists below come out, so nothing a client writes into the header is ever shown.
pub fn describe_browser(user_agent: &str) -> Option<String> {
    // The first match wins: Edge and Opera also say Chrome, Chrome also says Safari.
    const BROWSERS: [(&str, &str); 9] = [
        ("Edg", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    // iPhones and iPads also say "like Mac OS X", Android says Linux.
    const SYSTEMS: [(&str, &str); 7] = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let first = |names: &[(&str, &'static str)]| {
        names
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    match (first(&BROWSERS), first(&SYSTEMS)) {
        (Some(browser), Some(system)) => Some(format!("{browser} on {system}")),
        (Some(browser), None) => Some(browser.to_owned()),
        (None, Some(system)) => Some(format!("A browser on {system}")),
        (None, None) => None,
    }
}

/// Whether this browser signed in to the account of `email` within [`DEVICE_VALIDITY`].
pub async fn is_known(state: &AppState, device: &DeviceToken, email: &str) -> AppResult<bool> {
    let Some(token) = &device.0 else {
        return Ok(false);
    };
    let since = state.now_seconds() - DEVICE_VALIDITY.num_seconds();
    Ok(db::known_devices::is_known(&state.database, &hash_token(token), email, since).await?)
}

/// Remembers that this browser signed in to the account; returns the token for its cookie (the
/// one it has when this server issued it, so one browser keeps one token for every account).
pub async fn remember(state: &AppState, device: &DeviceToken, user_id: i64) -> AppResult<String> {
    let issued = match &device.0 {
        Some(token) if db::known_devices::exists(&state.database, &hash_token(token)).await? => {
            Some(token.clone())
        }
        _ => None,
    };
    let token = issued.unwrap_or_else(new_token);
    db::known_devices::remember(
        &state.database,
        &hash_token(&token),
        user_id,
        state.now_seconds(),
    )
    .await?;
    Ok(token)
}

/// Forgets browsers that have not signed in within [`DEVICE_VALIDITY`]; returns how many.
pub async fn forget_unused(state: &AppState) -> AppResult<u64> {
    let before = state.now_seconds() - DEVICE_VALIDITY.num_seconds();
    Ok(db::known_devices::forget_unused(&state.database, before).await?)
}

#[cfg(test)]
mod tests {
    use super::describe_browser;

    #[test]
    fn browsers_are_described_by_name_and_system() {
        for (user_agent, described) in [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge on Windows",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.204 Safari/537.36",
                "Chrome on Linux",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox on macOS",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
                "Safari on iPhone",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
                "Samsung Internet on Android",
            ),
            (
                "curl/8.5.0 (x86_64-pc-linux-gnu) Linux",
                "A browser on Linux",
            ),
            ("Firefox/133.0", "Firefox"),
        ] {
            assert_eq!(
                describe_browser(user_agent).as_deref(),
                Some(described),
                "{user_agent}"
            );
        }
        assert_eq!(describe_browser("curl/8.5.0"), None);
        assert_eq!(describe_browser("<script>alert(1)</script>"), None);
    }
}
