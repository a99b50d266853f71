//! The JSON API, mounted at `/api/v1`. One module per resource; each exposes
//! `pub fn routes() -> OpenApiRouter<AppState>` registering its handlers with
//! `utoipa_axum::routes!` (paths relative to `/api/v1`), which routes them and documents them
//! in the OpenAPI document at once (see `crate::openapi`).

pub mod accounts;
pub mod agent_tickets;
pub mod attachments;
pub mod escalations;
pub mod health;
pub mod kb;
pub mod my_account;
pub mod my_tickets;
pub mod organisation;
pub mod personal_data;
pub mod policy;
pub mod search_analytics;
pub mod session;
pub mod tickets;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::{Extension, Router};
use tower_http::timeout::TimeoutLayer;
use utoipa_axum::router::OpenApiRouter;

use crate::config::ConnectionLimits;
use crate::openapi;
use crate::state::AppState;

/// Every endpoint under `/api/v1`, and the OpenAPI document built from them for
/// `GET /api/v1/openapi.json`; each answers within the request timeout, uploads within their
/// own.
pub fn routes(limits: &ConnectionLimits) -> Router<AppState> {
    let (router, document) = answers()
        .route_layer(timeout(limits.request_timeout))
        .merge(attachments::upload_routes().route_layer(timeout(limits.upload_timeout)))
        .split_for_parts();
    router.layer(Extension(Arc::new(openapi::complete(document))))
}

/// The OpenAPI document that [`routes`] serves (the timeouts do not show in it).
pub fn document() -> utoipa::openapi::OpenApi {
    openapi::complete(answers().merge(attachments::upload_routes()).into_openapi())
}

/// The endpoints that answer within the request timeout.
fn answers() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::routes())
        .merge(policy::routes())
        .merge(session::routes())
        .merge(my_account::routes())
        .merge(personal_data::routes())
        .merge(accounts::routes())
        .merge(kb::routes())
        .merge(tickets::routes())
        .merge(my_tickets::routes())
        .merge(agent_tickets::routes())
        .merge(escalations::routes())
        .merge(attachments::routes())
        .merge(organisation::routes())
        .merge(search_analytics::routes())
        .merge(openapi::routes())
}

fn timeout(limit: Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limit)
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::OpenApi;
    use utoipa::openapi::path::Operation;

    use super::document;
    use crate::openapi::shared_responses::CSRF;

    fn operation(
        document: &OpenApi,
        path: &str,
        pick: fn(&utoipa::openapi::PathItem) -> &Option<Operation>,
    ) -> Operation {
        let item = &document.paths.paths[path];
        pick(item).clone().expect("the operation is documented")
    }

    fn statuses(operation: &Operation) -> Vec<&str> {
        operation
            .responses
            .responses
            .keys()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn json_bodies_and_state_changes_document_their_rejections() {
        let document = document();
        let sign_in = operation(&document, "/api/v1/session", |item| &item.post);
        assert_eq!(
            statuses(&sign_in),
            [
                "200", "400", "401", "403", "408", "413", "415", "422", "429", "503"
            ]
        );
    }

    #[test]
    fn a_handlers_own_description_wins() {
        let document = document();
        let vote = operation(&document, "/api/v1/kb/articles/{slug}/vote", |item| {
            &item.put
        });
        let forbidden = serde_json::to_value(&vote.responses.responses["403"]).unwrap_or_default();
        assert_ne!(forbidden["description"], CSRF.1);
    }

    #[test]
    fn reads_document_only_unreadable_parameters_and_the_timeout() {
        let document = document();
        let health = operation(&document, "/api/v1/health", |item| &item.get);
        assert_eq!(statuses(&health), ["200", "408"]);
        let search = operation(&document, "/api/v1/kb/search", |item| &item.get);
        assert_eq!(statuses(&search), ["200", "400", "408", "422"]);
    }
}
