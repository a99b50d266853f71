//! The signed-in person's own account: `PUT /api/v1/me/password`, `GET/DELETE
//! /api/v1/me/sessions` ("sign out everywhere") and `DELETE /api/v1/me/sessions/{id}`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lantern_core::api::{PasswordChange, SessionSummary};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts;
use crate::api::session::{clearing_cookie, set_cookie};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::extract::{ClientAddr, Json, Path};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_password))
        .routes(routes!(sessions, sign_out_everywhere))
        .routes(routes!(end_session))
}

/// Changes the password; the current one is the proof. The person's other sessions end.
#[utoipa::path(put, path = "/me/password", tag = "accounts", request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; every other session has ended"),
        (status = 401, description = "Not signed in", body = lantern_core::api::ErrorBody),
        (status = 422, description = "`current_password` is wrong, or `new_password` is not acceptable", body = lantern_core::api::ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong current passwords; see Retry-After", body = lantern_core::api::ErrorBody),
        (status = 503, description = "`overloaded`: too many passwords are being checked; see Retry-After", body = lantern_core::api::ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientAddr(client): ClientAddr,
    Json(change): Json<PasswordChange>,
) -> AppResult<StatusCode> {
    accounts::change_password(&state, &user, &change, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The person's sessions (browsers signed in), the most recently used first.
#[utoipa::path(get, path = "/me/sessions", tag = "accounts",
    responses(
        (status = 200, description = "The sessions; `current` marks the one asking", body = [SessionSummary]),
        (status = 401, description = "Not signed in", body = lantern_core::api::ErrorBody),
    ))]
pub async fn sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<SessionSummary>>> {
    Ok(Json(accounts::sessions(&state, &user).await?))
}

/// Signs out everywhere: every session of the person ends, this one included.
#[utoipa::path(delete, path = "/me/sessions", tag = "accounts",
    responses(
        (status = 204, description = "Signed out everywhere; the session cookie is cleared"),
        (status = 401, description = "Not signed in", body = lantern_core::api::ErrorBody),
    ))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    accounts::sign_out_everywhere(&state, &user).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut response, &clearing_cookie(&state.config));
    Ok(response)
}

/// Ends one of the person's sessions (a browser she no longer uses).
#[utoipa::path(delete, path = "/me/sessions/{id}", tag = "accounts",
    params(("id" = String, Path, description = "The session's `id` from the list")),
    responses(
        (status = 204, description = "That session has ended"),
        (status = 401, description = "Not signed in", body = lantern_core::api::ErrorBody),
        (status = 404, description = "The person has no such session", body = lantern_core::api::ErrorBody),
    ))]
pub async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    accounts::end_session(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
