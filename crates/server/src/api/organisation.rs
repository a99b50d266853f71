//! The signed-in person's organisation: `GET /organisation/contacts` (the wizard's CC picker).

use axum::extract::State;
use lantern_core::api::ErrorBody;
use lantern_core::ticket::OrganisationContact;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::extract::Json;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(contacts))
}

/// Active accounts of the caller's organisation (the caller included), by name.
#[utoipa::path(get, path = "/organisation/contacts", tag = "accounts",
    responses(
        (status = 200, description = "Name and e-mail of each contact", body = Vec<OrganisationContact>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn contacts(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<OrganisationContact>>> {
    Ok(Json(
        db::accounts::organisation_contacts(&state.database, user.organisation_id).await?,
    ))
}
