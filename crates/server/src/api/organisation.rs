//! The signed-in person's organisation: `GET /organisation/contacts` (the wizard's CC picker).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use lantern_core::api::ErrorBody;
use lantern_core::ticket::OrganisationContact;

use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::extract::Json;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/organisation/contacts", get(contacts))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(contacts), components(schemas(OrganisationContact)))]
pub struct Docs;

/// Active accounts of the caller's organisation (the caller included), by name.
#[utoipa::path(get, path = "/api/v1/organisation/contacts", tag = "accounts",
    responses(
        (status = 200, description = "Name and e-mail of each contact", body = Vec<OrganisationContact>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn contacts(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<OrganisationContact>>> {
    Ok(Json(
        db::accounts::organisation_contacts(&state.db, user.organisation_id).await?,
    ))
}
