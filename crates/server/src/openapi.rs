//! The OpenAPI 3 document at `GET /api/v1/openapi.json`.
//!
//! To document an endpoint:
//! 1. annotate the handler with `#[utoipa::path(get, path = "/api/v1/...", tag = "...",
//!    responses((status = 200, body = SomeType)))]` (request bodies: `request_body = SomeType`);
//! 2. list it in the module's `#[derive(utoipa::OpenApi)] #[openapi(paths(handler),
//!    components(schemas(SomeType)))] pub struct Docs;`
//! 3. merge that module's `Docs` in [`document`] below (one line).
//!
//! API types in `lantern-core` derive `utoipa::ToSchema` behind its `openapi` feature:
//! `#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]`.

use axum::Router;
use axum::routing::get;
use lantern_core::api::{ErrorBody, ErrorDetail};
use utoipa::OpenApi;

use crate::api;
use crate::extract::Json;
use crate::state::AppState;

mod shared_responses;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lantern API",
        description = "Customer self-service support portal."
    ),
    paths(openapi_json),
    components(schemas(ErrorBody, ErrorDetail))
)]
struct Base;

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = Base::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc.merge(api::health::Docs::openapi());
    doc.merge(api::policy::Docs::openapi());
    doc.merge(api::session::Docs::openapi());
    doc.merge(api::my_account::Docs::openapi());
    doc.merge(api::accounts::Docs::openapi());
    doc.merge(api::kb::Docs::openapi());
    doc.merge(api::tickets::Docs::openapi());
    doc.merge(api::my_tickets::Docs::openapi());
    doc.merge(api::agent_tickets::Docs::openapi());
    doc.merge(api::escalations::Docs::openapi());
    doc.merge(api::attachments::Docs::openapi());
    doc.merge(api::organisation::Docs::openapi());
    doc.merge(api::search_analytics::Docs::openapi());
    shared_responses::document(&mut doc);
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3 document")))]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
