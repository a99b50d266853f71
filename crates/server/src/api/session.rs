//! Signing in and out, and who am I: `GET/POST/DELETE /api/v1/session`, `GET /api/v1/me`.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lantern_core::api::{Me, SessionState, SignInRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::{self, SignedIn};
use crate::auth::{CurrentUser, MaybeUser, session_cookie_name};
use crate::config::Config;
use crate::devices::{BrowserName, DEVICE_VALIDITY, DeviceToken, device_cookie_name};
use crate::error::AppResult;
use crate::extract::{ClientAddr, Json};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session, sign_in, sign_out))
        .routes(routes!(me))
}

/// Who is signed in: `{"me": null}` for a visitor, so the app can ask without provoking a 401.
#[utoipa::path(get, path = "/session", tag = "accounts",
    responses((status = 200, description = "The signed-in person, or null", body = SessionState)))]
pub async fn session(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> AppResult<Json<SessionState>> {
    let me = match user {
        Some(user) => Some(accounts::me(&state, user.id).await?),
        None => None,
    };
    Ok(Json(SessionState { me }))
}

/// Signs in with e-mail and password; sets the session cookie and the device cookie, which
/// spares this browser the account-wide limit on failed attempts later.
#[utoipa::path(post, path = "/session", tag = "accounts", request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; the session and device cookies are set", body = Me),
        (status = 401, description = "Wrong e-mail or password", body = lantern_core::api::ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed attempts from this address, on this account from this address, or on this account from browsers it was not used in; see Retry-After", body = lantern_core::api::ErrorBody),
        (status = 503, description = "`overloaded`: too many passwords are being checked; see Retry-After", body = lantern_core::api::ErrorBody),
    ))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    device: DeviceToken,
    browser: BrowserName,
    Json(request): Json<SignInRequest>,
) -> AppResult<Response> {
    let signed_in = accounts::sign_in(&state, &request, &client, &device, &browser).await?;
    Ok(signed_in_response(&state.config, signed_in))
}

/// Signs out: the session ends at once and the cookie is cleared.
#[utoipa::path(delete, path = "/session", tag = "accounts",
    responses((status = 204, description = "Signed out")))]
pub async fn sign_out(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> AppResult<Response> {
    if let Some(user) = user {
        accounts::sign_out(&state, &user.session).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut response, &clearing_cookie(&state.config));
    Ok(response)
}

/// The signed-in person.
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses(
        (status = 200, description = "The signed-in person", body = Me),
        (status = 401, description = "Not signed in", body = lantern_core::api::ErrorBody),
    ))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Me>> {
    Ok(Json(accounts::me(&state, user.id).await?))
}

/// `200 Me` with the session cookie (and the device cookie when there is one); shared by every
/// way of signing in.
pub fn signed_in_response(config: &Config, signed_in: SignedIn) -> Response {
    let mut response = Json(signed_in.me).into_response();
    let session = session_cookie_name(config.secure_cookies);
    let max_age = config.session_max.num_seconds();
    set_cookie(
        &mut response,
        &cookie(config, session, &signed_in.token, max_age),
    );
    if let Some(device) = &signed_in.device {
        let name = device_cookie_name(config.secure_cookies);
        let max_age = DEVICE_VALIDITY.num_seconds();
        set_cookie(&mut response, &cookie(config, name, device, max_age));
    }
    response
}

pub(super) fn clearing_cookie(config: &Config) -> String {
    cookie(config, session_cookie_name(config.secure_cookies), "", 0)
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, for the whole site, `Secure` when configured.
pub(super) fn cookie(config: &Config, name: &str, value: &str, max_age: i64) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Adds a `Set-Cookie` header; shared by every handler that sets a cookie.
pub(super) fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
