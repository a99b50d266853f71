//! Escalation requests: customers ask on their ticket, agents answer through the agent API.
//! The logic lives in `crate::tickets::escalation`.

use axum::extract::State;
use axum::http::StatusCode;
use lantern_core::api::ErrorBody;
use lantern_core::escalation::{Escalation, EscalationAnswer, EscalationRequest, OpenEscalation};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AgentAuth, CurrentUser};
use crate::error::AppResult;
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::tickets;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request))
        .routes(routes!(open))
        .routes(routes!(answer))
}

/// Requests an escalation of an open or pending ticket. Everyone on the ticket, the requester
/// included, gets a mail saying what happens next and by when a support manager reviews it.
#[utoipa::path(post, path = "/tickets/{number}/escalations", tag = "escalations",
    params(("number" = String, Path, description = "e.g. LAN-000123")),
    request_body = EscalationRequest,
    responses(
        (status = 201, body = Escalation),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket of yours", body = ErrorBody),
        (status = 409, description = "`escalation_open`, `escalation_cooling_down` (names the instant a new request is possible), `ticket_closed` or `ticket_finished`", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`details`, `requested_severity`, `callback_phone`, `callback_availability`)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many escalation requests within the hour; `Retry-After` says when", body = ErrorBody),
    ))]
pub async fn request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    Json(body): Json<EscalationRequest>,
) -> AppResult<(StatusCode, Json<Escalation>)> {
    let row = tickets::access::visible_ticket(&state, &user, &number).await?;
    let escalation = tickets::escalation::request(&state, &user, &row, &body).await?;
    Ok((StatusCode::CREATED, Json(escalation)))
}

/// Open escalation requests of every organisation (of its one organisation for a token limited
/// to one), oldest review target first.
#[utoipa::path(get, path = "/agent/escalations", tag = "agent",
    responses(
        (status = 200, body = Vec<OpenEscalation>),
        (status = 401, description = "No valid agent token", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<AppState>,
    agent: AgentAuth,
) -> AppResult<Json<Vec<OpenEscalation>>> {
    Ok(Json(tickets::escalation::open(&state, &agent).await?))
}

/// Acknowledges, resolves or declines a request (an answer is required to resolve or
/// decline), optionally moving the ticket to another support level. The customer gets a mail.
#[utoipa::path(post, path = "/agent/tickets/{number}/escalations/{id}", tag = "agent",
    params(("number" = String, Path), ("id" = i64, Path)),
    request_body = EscalationAnswer,
    responses(
        (status = 200, body = Escalation),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, description = "No such ticket, or the request is not of this ticket", body = ErrorBody),
        (status = 409, description = "`escalation_state` (e.g. resolving a declined request) or `ticket_changed`", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`answer`, `support_level`)", body = ErrorBody),
    ))]
pub async fn answer(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path((number, id)): Path<(String, i64)>,
    Json(body): Json<EscalationAnswer>,
) -> AppResult<Json<Escalation>> {
    let row = tickets::access::agent_ticket(&state, &agent, &number).await?;
    Ok(Json(
        tickets::escalation::answer(&state, &agent.name, &row, id, &body).await?,
    ))
}
