//! The agent API under `/agent/`: a helpdesk or script works tickets of every organisation with
//! `Authorization: Bearer <token>` (tokens from the admin command). The logic lives in
//! `crate::tickets`.

use axum::extract::State;
use axum::response::Response;
use chrono::SecondsFormat;
use lantern_core::api::ErrorBody;
use lantern_core::conversation::{
    AgentReplyRequest, AgentSeverityChange, AgentStatusChange, AgentSupportLevelChange,
    AgentTicketDetail, TicketListQuery, TicketPage,
};
use lantern_core::ticket::{
    AgentDefectLink, AgentRoadmapDecision, RoadmapFilter, RoadmapQuery, RoadmapRequest,
};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::analytics::csv::{self, Cell};
use crate::auth::{AgentAuth, UnscopedAgent};
use crate::error::AppResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::tickets;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(RoadmapParameters::openapi())
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(reply))
        .routes(routes!(status))
        .routes(routes!(severity))
        .routes(routes!(support_level))
        .routes(routes!(defect))
        .routes(routes!(roadmap_decision))
        .routes(routes!(roadmap))
        .routes(routes!(roadmap_csv))
}

/// Tickets of every organisation (of its one organisation for a token limited to one), with
/// the same filters as `GET /api/v1/tickets` (`scope` is ignored).
#[utoipa::path(get, path = "/agent/tickets", tag = "agent",
    params(TicketListQuery),
    responses(
        (status = 200, body = TicketPage),
        (status = 400, description = "A bad cursor or parameter", body = ErrorBody),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 422, description = "`q` is longer than 200 characters", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    agent: AgentAuth,
    Query(query): Query<TicketListQuery>,
) -> AppResult<Json<TicketPage>> {
    Ok(Json(
        tickets::list::page(&state, tickets::list::agent_scope(&agent), &query).await?,
    ))
}

/// A ticket with its conversation and internal notes.
#[utoipa::path(get, path = "/agent/tickets/{number}", tag = "agent",
    params(("number" = String, Path)),
    responses(
        (status = 200, body = AgentTicketDetail),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(number): Path<String>,
) -> AppResult<Json<AgentTicketDetail>> {
    fresh_detail(&state, &agent, &number).await
}

/// A public reply (mailed to the customer; the first one meets the response target) or an
/// internal note (`internal: true`, agents only).
#[utoipa::path(post, path = "/agent/tickets/{number}/replies", tag = "agent",
    params(("number" = String, Path)),
    request_body = AgentReplyRequest,
    responses(
        (status = 200, body = AgentTicketDetail),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`validation_failed` (`body`)", body = ErrorBody),
    ))]
pub async fn reply(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(number): Path<String>,
    Json(request): Json<AgentReplyRequest>,
) -> AppResult<Json<AgentTicketDetail>> {
    let row = tickets::access::agent_ticket(&state, &agent, &number).await?;
    tickets::agent_actions::reply(&state, &agent.name, &row, &request).await?;
    fresh_detail(&state, &agent, &number).await
}

/// Sets the status with a reason the customer sees (Pending: waiting for the customer).
#[utoipa::path(post, path = "/agent/tickets/{number}/status", tag = "agent",
    params(("number" = String, Path)),
    request_body = AgentStatusChange,
    responses(
        (status = 200, body = AgentTicketDetail),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`ticket_changed`", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`status`, `reason`)", body = ErrorBody),
    ))]
pub async fn status(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(number): Path<String>,
    Json(request): Json<AgentStatusChange>,
) -> AppResult<Json<AgentTicketDetail>> {
    let row = tickets::access::agent_ticket(&state, &agent, &number).await?;
    tickets::agent_actions::change_status(&state, &agent.name, &row, &request).await?;
    fresh_detail(&state, &agent, &number).await
}

/// Changes the severity (one of the policy's) with a required reason.
#[utoipa::path(post, path = "/agent/tickets/{number}/severity", tag = "agent",
    params(("number" = String, Path)),
    request_body = AgentSeverityChange,
    responses(
        (status = 200, body = AgentTicketDetail),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`validation_failed` (`severity`, `reason`)", body = ErrorBody),
    ))]
pub async fn severity(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(number): Path<String>,
    Json(request): Json<AgentSeverityChange>,
) -> AppResult<Json<AgentTicketDetail>> {
    let row = tickets::access::agent_ticket(&state, &agent, &number).await?;
    tickets::agent_actions::change_severity(&state, &agent.name, &row, &request).await?;
    fresh_detail(&state, &agent, &number).await
}

/// Moves the ticket to a support level of the policy (L1 -> L2 -> L3).
#[utoipa::path(post, path = "/agent/tickets/{number}/support-level", tag = "agent",
    params(("number" = String, Path)),
    request_body = AgentSupportLevelChange,
    responses(
        (status = 200, body = AgentTicketDetail),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`validation_failed` (`level`)", body = ErrorBody),
    ))]
pub async fn support_level(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(number): Path<String>,
    Json(request): Json<AgentSupportLevelChange>,
) -> AppResult<Json<AgentTicketDetail>> {
    let row = tickets::access::agent_ticket(&state, &agent, &number).await?;
    tickets::agent_actions::change_support_level(&state, &agent.name, &row, &request).await?;
    fresh_detail(&state, &agent, &number).await
}

/// Links the ticket to an engineering issue (its id, public address, state), or changes the
/// linked issue's state; the customer is mailed and finds the ticket by the id.
#[utoipa::path(put, path = "/agent/tickets/{number}/defect", tag = "agent",
    params(("number" = String, Path)),
    request_body = AgentDefectLink,
    responses(
        (status = 200, body = AgentTicketDetail),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`ticket_changed`", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`id`, `url`, `fixed_in`, `note`)", body = ErrorBody),
    ))]
pub async fn defect(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(number): Path<String>,
    Json(request): Json<AgentDefectLink>,
) -> AppResult<Json<AgentTicketDetail>> {
    let row = tickets::access::agent_ticket(&state, &agent, &number).await?;
    tickets::agent_actions::link_defect(&state, &agent.name, &row, &request).await?;
    fresh_detail(&state, &agent, &number).await
}

/// `routes!` collects the types of bodies and responses, not those that query parameters refer
/// to: the roadmap list's, listed here so every reference resolves.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(RoadmapFilter)))]
struct RoadmapParameters;

/// Decides on an enhancement request (a case type with `roadmap = true`): under consideration,
/// planned, released in a version, or declined with a reason; the customer is mailed.
#[utoipa::path(put, path = "/agent/tickets/{number}/roadmap", tag = "agent",
    params(("number" = String, Path)),
    request_body = AgentRoadmapDecision,
    responses(
        (status = 200, body = AgentTicketDetail),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`ticket_changed`", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`state`: not an enhancement request, `released_in`, `reason`)", body = ErrorBody),
    ))]
pub async fn roadmap_decision(
    State(state): State<AppState>,
    agent: AgentAuth,
    Path(number): Path<String>,
    Json(request): Json<AgentRoadmapDecision>,
) -> AppResult<Json<AgentTicketDetail>> {
    let row = tickets::access::agent_ticket(&state, &agent, &number).await?;
    tickets::agent_actions::decide_roadmap(&state, &agent.name, &row, &request).await?;
    fresh_detail(&state, &agent, &number).await
}

/// Every organisation's enhancement requests with their roadmap state, by product and subject,
/// so the same request from several customers shows together.
#[utoipa::path(get, path = "/agent/roadmap", tag = "agent",
    params(RoadmapQuery),
    responses(
        (status = 200, body = Vec<RoadmapRequest>),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 403, description = "`forbidden`: the agent token is limited to one organisation", body = ErrorBody),
        (status = 400, description = "An unknown `state`", body = ErrorBody),
    ))]
pub async fn roadmap(
    State(state): State<AppState>,
    _agent: UnscopedAgent,
    Query(query): Query<RoadmapQuery>,
) -> AppResult<Json<Vec<RoadmapRequest>>> {
    Ok(Json(tickets::list::roadmap_requests(&state, &query).await?))
}

/// [`roadmap`] as CSV: `number,subject,product,organisation,requester,filed,state,released_in,reason`.
#[utoipa::path(get, path = "/agent/roadmap.csv", tag = "agent",
    params(RoadmapQuery),
    responses(
        (status = 200, description = "A header row, then one row per request", body = String, content_type = "text/csv"),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 403, description = "`forbidden`: the agent token is limited to one organisation", body = ErrorBody),
        (status = 400, description = "An unknown `state`", body = ErrorBody),
    ))]
pub async fn roadmap_csv(
    State(state): State<AppState>,
    _agent: UnscopedAgent,
    Query(query): Query<RoadmapQuery>,
) -> AppResult<Response> {
    let requests = tickets::list::roadmap_requests(&state, &query).await?;
    // The cells borrow their text, so each record is written out first.
    let records: Vec<[String; 9]> = requests
        .into_iter()
        .map(|request| {
            let (state, released_in, reason) = match request.decision {
                Some(decision) => (
                    decision.state.as_str().to_owned(),
                    decision.released_in.unwrap_or_default(),
                    decision.reason.unwrap_or_default(),
                ),
                None => ("undecided".to_owned(), String::new(), String::new()),
            };
            [
                request.number,
                request.subject,
                request.product,
                request.organisation_name,
                request.requester_name,
                request
                    .created_at
                    .to_rfc3339_opts(SecondsFormat::Secs, true),
                state,
                released_in,
                reason,
            ]
        })
        .collect();
    let header = [
        "number",
        "subject",
        "product",
        "organisation",
        "requester",
        "filed",
        "state",
        "released_in",
        "reason",
    ];
    let rows = records
        .iter()
        .map(|record| record.iter().map(|text| Cell::Text(text)).collect());
    Ok(csv::download("roadmap", csv::table(&header, rows)))
}

async fn fresh_detail(
    state: &AppState,
    agent: &AgentAuth,
    number: &str,
) -> AppResult<Json<AgentTicketDetail>> {
    let row = tickets::access::agent_ticket(state, agent, number).await?;
    Ok(Json(tickets::detail::for_agent(state, &row).await?))
}
