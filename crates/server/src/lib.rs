//! Lantern's server: the JSON API under `/api/v1` and the built app, in one axum router.

pub mod accounts;
pub mod admin;
pub mod analytics;
pub mod api;
pub mod assets;
pub mod attachments;
pub mod auth;
pub mod backup;
pub mod clean_up;
pub mod clock;
pub mod config;
pub mod content_store;
pub mod db;
pub mod devices;
pub mod error;
pub mod extract;
pub mod kb;
pub mod logging;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod passwords;
pub mod personal_data;
pub mod policy_file;
pub mod public;
pub mod rate_limits;
pub mod seed;
pub mod serve;
pub mod state;
pub mod test_support;
pub mod throttle;
pub mod tickets;
pub mod tokens;
pub mod web;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use state::AppState;

/// The whole app: `/api/v1/...`, the public pages, the built app for every other path, and the
/// middleware.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .nest("/v1", api::routes(&state.config.connections))
        .fallback(web::api_not_found)
        .layer(middleware::from_fn(web::require_csrf_header))
        .layer(middleware::from_fn(web::no_store_by_default))
        .layer(middleware::from_fn(web::json_errors))
        .layer(DefaultBodyLimit::max(web::JSON_BODY_LIMIT));
    Router::new()
        .nest("/api", api)
        .merge(public::routes())
        .route_layer(middleware::from_fn(metrics::tag_route))
        .fallback(public::app_page)
        .with_state(state.clone())
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(middleware::from_fn(metrics::observe_requests))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    web::security_headers,
                ))
                .layer(CompressionLayer::new())
                .layer(CatchPanicLayer::custom(web::panic_response)),
        )
}

/// The tracing span of one request: method, path (tokens redacted) and request id; the route
/// that answered ([`metrics::observe_requests`]) and the signed-in person or agent token
/// ([`auth`]) are recorded into it as they become known.
fn request_span(request: &Request) -> tracing::Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %web::loggable_path(request.uri().path()),
        request_id = %request_id,
        route = tracing::field::Empty,
        user_id = tracing::field::Empty,
        agent_token_id = tracing::field::Empty,
    )
}
