//! The OpenAPI 3 document at `GET /api/v1/openapi.json`, built from the router
//! (`crate::api::routes`): the paths of the handlers registered there and the schemas they name.
//!
//! To document an endpoint, annotate its handler with `#[utoipa::path(get, path = "/...",
//! tag = "...", responses((status = 200, body = SomeType)))]` (the path relative to `/api/v1`;
//! request bodies: `request_body = SomeType`) and register it in its module's `routes()` with
//! `.routes(routes!(handler))`: that one line routes it and documents it. Handlers of one path
//! share one `routes!`, and no `routes!` names two paths: it puts all its handlers on every
//! path it names. The types that bodies and responses name are collected with them; a type
//! that only an inline schema or a query parameter refers to is listed by hand beside its
//! routes (`crate::api::policy`, `crate::api::my_tickets`).
//!
//! API types in `lantern-core` derive `utoipa::ToSchema` behind its `openapi` feature:
//! `#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]`.

use std::sync::Arc;

use axum::Extension;
use lantern_core::api::{ErrorBody, ErrorDetail};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Json;
use crate::state::AppState;

pub(crate) mod shared_responses;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lantern API",
        description = "Customer self-service support portal."
    ),
    components(schemas(ErrorBody, ErrorDetail))
)]
struct Base;

/// The whole document, from what the router under `/api/v1` collected of its endpoints.
pub fn complete(api_v1: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = Base::openapi().nest("/api/v1", api_v1);
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    shared_responses::document(&mut doc);
    doc
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3 document")))]
async fn openapi_json(
    Extension(document): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Json<utoipa::openapi::OpenApi> {
    Json(utoipa::openapi::OpenApi::clone(&document))
}
