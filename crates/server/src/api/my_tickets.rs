//! "My Tickets": the customer's list, ticket page, replies, resolution, reopening and survey.
//! The logic lives in `crate::tickets`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lantern_core::api::ErrorBody;
use lantern_core::conversation::{
    ReplyRequest, StatusFilter, SurveyRequest, TicketDetail, TicketListQuery, TicketPage,
    TicketScope, TicketSort,
};
use sha2::{Digest, Sha256};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::tickets;
use crate::web::etag_matches;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ListParameters::openapi())
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(reply))
        .routes(routes!(resolve))
        .routes(routes!(accept_solution))
        .routes(routes!(reopen))
        .routes(routes!(survey))
}

/// `routes!` collects the types of bodies and responses, not those that query parameters refer
/// to; these are the list's (the agent list's too), listed here so every reference resolves.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(TicketListQuery, StatusFilter, TicketSort, TicketScope)))]
struct ListParameters;

/// The signed-in person's tickets (or, with `scope=organisation`, the organisation's for its
/// admins), newest update first, 25 per page.
#[utoipa::path(get, path = "/tickets", tag = "my tickets",
    params(TicketListQuery),
    responses(
        (status = 200, body = TicketPage),
        (status = 400, description = "A bad cursor or parameter", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`scope=organisation` without being an organisation admin", body = ErrorBody),
        (status = 422, description = "`q` is longer than 200 characters", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<TicketListQuery>,
) -> AppResult<Json<TicketPage>> {
    Ok(Json(
        tickets::list::customer_list(&state, &user, &query).await?,
    ))
}

/// A ticket with its conversation. Answers 304 when `If-None-Match` holds the current `ETag`,
/// so the app can poll for new replies cheaply.
#[utoipa::path(get, path = "/tickets/{number}", tag = "my tickets",
    params(("number" = String, Path, description = "e.g. LAN-000123")),
    responses(
        (status = 200, body = TicketDetail, headers(("ETag" = String))),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 304, description = "Unchanged since the `If-None-Match` ETag"),
        (status = 404, description = "No such ticket of yours", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let row = tickets::access::visible_ticket(&state, &user, &number).await?;
    let detail = tickets::detail::for_customer(&state, &row).await?;
    with_etag(&headers, &detail)
}

/// The JSON with a strong ETag over exactly these bytes, or 304 when the client has them.
fn with_etag<T: serde::Serialize>(request: &HeaderMap, value: &T) -> AppResult<Response> {
    let body = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&body)[..16]));
    let unchanged = etag_matches(request, &etag);
    let etag = HeaderValue::from_str(&etag).map_err(anyhow::Error::from)?;
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    Ok((
        [
            (header::ETAG, etag),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body,
    )
        .into_response())
}

/// Adds a reply (with files uploaded before). Pending goes back to Open; a Solved ticket
/// reopens within the policy's window.
#[utoipa::path(post, path = "/tickets/{number}/replies", tag = "my tickets",
    params(("number" = String, Path)),
    request_body = ReplyRequest,
    responses(
        (status = 200, description = "The ticket after the reply", body = TicketDetail),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such ticket for this person, or an attachment id is none of her uploads", body = ErrorBody),
        (status = 409, description = "`ticket_closed`, `reopen_window_passed` or `ticket_changed`", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`body`, `attachments`)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many replies, or mails to people in CC, within the hour; `Retry-After` says when", body = ErrorBody),
    ))]
pub async fn reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    Json(request): Json<ReplyRequest>,
) -> AppResult<Json<TicketDetail>> {
    let row = tickets::access::visible_ticket(&state, &user, &number).await?;
    tickets::customer_actions::reply(&state, &user, &row, &request).await?;
    fresh_detail(&state, &user, &number).await
}

/// "This is solved": New, Open or Pending -> Solved (`actions.can_mark_solved`).
#[utoipa::path(post, path = "/tickets/{number}/resolve", tag = "my tickets",
    params(("number" = String, Path)),
    responses(
        (status = 200, body = TicketDetail),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`already_solved`, `ticket_closed` or `ticket_changed`", body = ErrorBody),
    ))]
pub async fn resolve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<TicketDetail>> {
    let row = tickets::access::visible_ticket(&state, &user, &number).await?;
    tickets::customer_actions::mark_solved(&state, &user, &row).await?;
    fresh_detail(&state, &user, &number).await
}

/// "The solution works": confirms the solution support proposed; Solved (by support) -> Closed
/// (`actions.can_accept_solution`).
#[utoipa::path(post, path = "/tickets/{number}/accept-solution", tag = "my tickets",
    params(("number" = String, Path)),
    responses(
        (status = 200, body = TicketDetail),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`no_proposed_solution`, `ticket_closed` or `ticket_changed`", body = ErrorBody),
    ))]
pub async fn accept_solution(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<TicketDetail>> {
    let row = tickets::access::visible_ticket(&state, &user, &number).await?;
    tickets::customer_actions::accept_solution(&state, &user, &row).await?;
    fresh_detail(&state, &user, &number).await
}

/// Reopens a Solved ticket within the policy's reopen window.
#[utoipa::path(post, path = "/tickets/{number}/reopen", tag = "my tickets",
    params(("number" = String, Path)),
    responses(
        (status = 200, body = TicketDetail),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`reopen_window_passed` (names the deadline) or `not_solved`", body = ErrorBody),
    ))]
pub async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<TicketDetail>> {
    let row = tickets::access::visible_ticket(&state, &user, &number).await?;
    tickets::customer_actions::reopen(&state, &user, &row).await?;
    fresh_detail(&state, &user, &number).await
}

/// The satisfaction survey: 1-5 and a comment, once per Solved or Closed ticket that support
/// answered.
#[utoipa::path(post, path = "/tickets/{number}/survey", tag = "my tickets",
    params(("number" = String, Path)),
    request_body = SurveyRequest,
    responses(
        (status = 200, body = TicketDetail),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`survey_not_available` or `survey_already_given`", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`rating`, `comment`)", body = ErrorBody),
    ))]
pub async fn survey(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    Json(request): Json<SurveyRequest>,
) -> AppResult<Json<TicketDetail>> {
    let row = tickets::access::visible_ticket(&state, &user, &number).await?;
    tickets::customer_actions::give_survey(&state, &user, &row, &request).await?;
    fresh_detail(&state, &user, &number).await
}

async fn fresh_detail(
    state: &AppState,
    user: &CurrentUser,
    number: &str,
) -> AppResult<Json<TicketDetail>> {
    let row = tickets::access::visible_ticket(state, user, number).await?;
    Ok(Json(tickets::detail::for_customer(state, &row).await?))
}
