//! The JSON API, mounted at `/api/v1`. One module per resource; each exposes
//! `pub fn routes() -> Router<AppState>` (paths relative to `/api/v1`) and a
//! `#[derive(utoipa::OpenApi)] pub struct Docs` listing its paths (see `crate::openapi`).

pub mod accounts;
pub mod agent_tickets;
pub mod attachments;
pub mod escalations;
pub mod health;
pub mod kb;
pub mod my_account;
pub mod my_tickets;
pub mod organisation;
pub mod policy;
pub mod search_analytics;
pub mod session;
pub mod tickets;

use axum::Router;
use axum::http::StatusCode;
use tower_http::timeout::TimeoutLayer;

use crate::config::ConnectionLimits;
use crate::state::AppState;

/// Every endpoint under `/api/v1`; each answers within the request timeout, uploads within
/// their own.
pub fn routes(limits: &ConnectionLimits) -> Router<AppState> {
    Router::new()
        .merge(health::routes())
        .merge(policy::routes())
        .merge(session::routes())
        .merge(my_account::routes())
        .merge(accounts::routes())
        .merge(kb::routes())
        .merge(tickets::routes())
        .merge(my_tickets::routes())
        .merge(agent_tickets::routes())
        .merge(escalations::routes())
        .merge(attachments::routes())
        .merge(organisation::routes())
        .merge(search_analytics::routes())
        .merge(crate::openapi::routes())
        .route_layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .merge(attachments::upload_routes(limits))
}
