//! `GET /api/v1/policy`: the customer-visible support policy, with each plan's opening windows
//! of the coming week (the /support page and the ticket wizard read it).

use axum::extract::State;
use lantern_core::policy::{ChannelKind, PolicyView, SupportHours, TicketField, schedule};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Json;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ReferencedByTables::openapi()).routes(routes!(policy))
}

/// The tables keyed by id describe their items inline, so `routes!` does not collect the types
/// only those items refer to (a test checks that every reference in the document resolves).
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(TicketField, ChannelKind, SupportHours)))]
struct ReferencedByTables;

/// The policy as loaded at start, with "open now" and opening windows as of the state's clock.
#[utoipa::path(get, path = "/policy", tag = "policy",
    responses((status = 200, description = "The customer-visible support policy", body = PolicyView)))]
pub async fn policy(State(state): State<AppState>) -> Json<PolicyView> {
    Json(schedule::policy_view(&state.policy, state.clock.now()))
}
