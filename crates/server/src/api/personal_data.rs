//! The customer's own data: `GET /api/v1/me/export` (everything Lantern holds about the
//! signed-in person, as a ZIP), `DELETE /api/v1/me` (she deletes her account) and
//! `DELETE /api/v1/agent/accounts/{email}` (an agent deletes one). The logic lives in
//! `crate::personal_data`. An organisation admin has no call that deletes a colleague.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lantern_core::api::{AccountDeletion, ErrorBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::session::{clearing_cookie, set_cookie};
use crate::attachments::content_disposition;
use crate::auth::{AgentAuth, CurrentUser};
use crate::error::AppResult;
use crate::extract::{ClientAddr, Json, Path};
use crate::personal_data::{deletion, export};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(download_export))
        .routes(routes!(delete_own_account))
        .routes(routes!(delete_account))
}

/// Everything Lantern holds about the signed-in person: a ZIP of JSON files (account, the
/// tickets she filed or is copied on without internal notes, votes), the files on those
/// tickets, and a README.txt saying what each is.
#[utoipa::path(get, path = "/me/export", tag = "accounts",
    responses(
        (status = 200, description = "The ZIP, with `Content-Disposition: attachment` and a dated file name", content_type = "application/zip"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many exports this hour; see Retry-After", body = ErrorBody),
        (status = 503, description = "`overloaded`: the server is putting other exports together; see Retry-After", body = ErrorBody),
    ))]
pub async fn download_export(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    let export = export::export(&state, &user).await?;
    let mut response = export.zip.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    let disposition = HeaderValue::from_str(&content_disposition(&export.file_name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Deletes the signed-in person's account, her password as proof. Her organisation's tickets
/// stay, naming "Deleted user"; her sessions, votes and personal data go.
#[utoipa::path(delete, path = "/me", tag = "accounts", request_body = AccountDeletion,
    responses(
        (status = 204, description = "Deleted; the session cookie is cleared"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "`password` is not the person's password; nothing was deleted", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords; see Retry-After", body = ErrorBody),
        (status = 503, description = "`overloaded`: too many passwords are being checked; see Retry-After", body = ErrorBody),
    ))]
pub async fn delete_own_account(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientAddr(client): ClientAddr,
    Json(request): Json<AccountDeletion>,
) -> AppResult<Response> {
    deletion::delete_own_account(&state, &user, &request, &client).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut response, &clearing_cookie(&state.config));
    Ok(response)
}

/// Deletes a person's account at her request to the vendor (a token limited to one
/// organisation reaches that organisation's people only).
#[utoipa::path(delete, path = "/agent/accounts/{email}", tag = "agent",
    params(("email" = String, Path, description = "The account's e-mail address")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, description = "No such account among those the token reaches", body = ErrorBody),
    ))]
pub async fn delete_account(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(email): Path<String>,
) -> AppResult<StatusCode> {
    deletion::delete_for_agent(&state, &agent, &email).await?;
    Ok(StatusCode::NO_CONTENT)
}
