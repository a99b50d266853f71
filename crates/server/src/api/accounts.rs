//! Getting an account: self-registration, invitations and password resets.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use lantern_core::api::{
    InvitationAcceptance, Me, NewPassword, PasswordResetRequest, RegistrationRequest,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts;
use crate::api::session::signed_in_response;
use crate::devices::BrowserName;
use crate::error::AppResult;
use crate::extract::{ClientAddr, Json, Path};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(confirm_registration))
        .routes(routes!(accept_invitation))
        .routes(routes!(request_password_reset))
        .routes(routes!(reset_password))
}

/// Registers where the e-mail's domain allows it; mails a confirmation link.
#[utoipa::path(post, path = "/registrations", tag = "accounts", request_body = RegistrationRequest,
    responses(
        (status = 202, description = "A confirmation link is on its way (also when the address has an account; a registration not confirmed yet is replaced)"),
        (status = 422, description = "A field needs attention, e.g. the domain does not allow self-registration or the password is too easy to guess", body = lantern_core::api::ErrorBody),
        (status = 429, description = "`rate_limited`: too many registrations from this address or of this e-mail address; see Retry-After", body = lantern_core::api::ErrorBody),
        (status = 503, description = "`overloaded`: too many passwords are being hashed; see Retry-After", body = lantern_core::api::ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Json(request): Json<RegistrationRequest>,
) -> AppResult<StatusCode> {
    accounts::register(
        &state,
        &request.name,
        &request.email,
        &request.password,
        &client,
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Confirms a registration with the password chosen when registering; signs in.
#[utoipa::path(post, path = "/registrations/{token}", tag = "accounts", request_body = NewPassword,
    params(("token" = String, Path, description = "The token from the confirmation mail")),
    responses(
        (status = 200, description = "Confirmed and signed in", body = Me),
        (status = 401, description = "Not the password chosen at registration", body = lantern_core::api::ErrorBody),
        (status = 404, description = "The link is unknown, used or expired", body = lantern_core::api::ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords; see Retry-After", body = lantern_core::api::ErrorBody),
        (status = 503, description = "`overloaded`: too many passwords are being checked; see Retry-After", body = lantern_core::api::ErrorBody),
    ))]
pub async fn confirm_registration(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    browser: BrowserName,
    Path(token): Path<String>,
    Json(request): Json<NewPassword>,
) -> AppResult<Response> {
    let signed_in =
        accounts::confirm_registration(&state, &token, &request.password, &client, &browser)
            .await?;
    Ok(signed_in_response(&state.config, signed_in))
}

/// Accepts an invitation: chooses name and password; signs in.
#[utoipa::path(post, path = "/invitations/{token}", tag = "accounts", request_body = InvitationAcceptance,
    params(("token" = String, Path, description = "The token from the invitation mail")),
    responses(
        (status = 200, description = "Activated and signed in", body = Me),
        (status = 404, description = "The link is unknown, used or expired", body = lantern_core::api::ErrorBody),
        (status = 422, description = "A field needs attention", body = lantern_core::api::ErrorBody),
        (status = 503, description = "`overloaded`: too many passwords are being hashed; see Retry-After", body = lantern_core::api::ErrorBody),
    ))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    browser: BrowserName,
    Path(token): Path<String>,
    Json(request): Json<InvitationAcceptance>,
) -> AppResult<Response> {
    let signed_in =
        accounts::accept_invitation(&state, &token, &request.name, &request.password, &browser)
            .await?;
    Ok(signed_in_response(&state.config, signed_in))
}

/// Mails a password-reset link; answers the same whether or not the address has an account.
#[utoipa::path(post, path = "/password-resets", tag = "accounts", request_body = PasswordResetRequest,
    responses((status = 202, description = "If the address has an account, a link is on its way")))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    Json(request): Json<PasswordResetRequest>,
) -> AppResult<StatusCode> {
    accounts::request_password_reset(&state, &request.email).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with a mailed token; every session of the account ends.
#[utoipa::path(post, path = "/password-resets/{token}", tag = "accounts", request_body = NewPassword,
    params(("token" = String, Path, description = "The token from the reset mail")),
    responses(
        (status = 204, description = "The password is changed; sign in with it"),
        (status = 404, description = "The link is unknown, used or expired", body = lantern_core::api::ErrorBody),
        (status = 422, description = "The password is not acceptable", body = lantern_core::api::ErrorBody),
        (status = 503, description = "`overloaded`: too many passwords are being hashed; see Retry-After", body = lantern_core::api::ErrorBody),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(request): Json<NewPassword>,
) -> AppResult<StatusCode> {
    accounts::reset_password(&state, &token, &request.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
