//! `GET /api/v1/policy`: the customer-visible support policy, with each plan's opening windows
//! of the coming week (the /support page and the ticket wizard read it).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use lantern_core::policy::{ChannelKind, PolicyView, SupportHours, TicketField, schedule};

use crate::extract::Json;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/policy", get(policy))
}

/// The tables keyed by id describe their items inline, so the types only those items refer to
/// are listed here too (a test checks that every reference in the document resolves).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(policy),
    components(schemas(PolicyView, TicketField, ChannelKind, SupportHours))
)]
pub struct Docs;

/// The policy as loaded at start, with "open now" and opening windows as of the state's clock.
#[utoipa::path(get, path = "/api/v1/policy", tag = "policy",
    responses((status = 200, description = "The customer-visible support policy", body = PolicyView)))]
pub async fn policy(State(state): State<AppState>) -> Json<PolicyView> {
    Json(schedule::policy_view(&state.policy, state.clock.now()))
}
