//! Search analytics: the app reports clicks at `POST /kb/events`; the vendor reads the report
//! through the agent API, as JSON (`GET /agent/search-analytics`) or as CSV downloads of its
//! tables. The logic lives in `crate::analytics`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use lantern_core::api::{ErrorBody, KbEvent, SearchAnalytics, SearchAnalyticsQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::analytics::csv;
use crate::analytics::ids::Visit;
use crate::analytics::report::{self, Period};
use crate::auth::UnscopedAgent;
use crate::error::AppResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_event))
        .routes(routes!(overview))
        .routes(routes!(top_searches_csv))
        .routes(routes!(content_gaps_csv))
        .routes(routes!(funnel_csv))
        .routes(routes!(summary_csv))
}

/// Records what the reader did with a search or suggestions answer (a click on an article), for
/// the vendor's search analytics. Nothing about the reader is stored.
#[utoipa::path(post, path = "/kb/events", tag = "knowledge base",
    request_body = KbEvent,
    params(("Lantern-Visit" = Option<String>, Header,
        description = "The app's random id of this page load (32 hex characters)")),
    responses(
        (status = 204, description = "Recorded (or dropped under overload)"),
        (status = 403, description = "The `X-Requested-With: lantern` header is missing", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`search_id`, `article`, `position`)", body = ErrorBody),
    ))]
pub async fn record_event(
    State(state): State<AppState>,
    Visit(visit): Visit,
    Json(event): Json<KbEvent>,
) -> AppResult<StatusCode> {
    state
        .analytics
        .record_event(&state.database, visit.as_ref(), &event, state.now_seconds())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What customers searched for in the period, what they found, and whether they helped
/// themselves: top searches, content gaps (no strong match), click-through, the self-service
/// funnel and score. Queries are normalised and carry no personal data.
#[utoipa::path(get, path = "/agent/search-analytics", tag = "agent",
    params(SearchAnalyticsQuery),
    responses(
        (status = 200, body = SearchAnalytics),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 403, description = "`forbidden`: the agent token is limited to one organisation", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`from`): the period ends before it begins", body = ErrorBody),
    ))]
pub async fn overview(
    State(state): State<AppState>,
    _agent: UnscopedAgent,
    Query(query): Query<SearchAnalyticsQuery>,
) -> AppResult<Json<SearchAnalytics>> {
    let period = period(&state, &query)?;
    let rows = report::row_limit(&query, report::DEFAULT_JSON_ROWS);
    Ok(Json(report::report(&state.database, period, rows).await?))
}

/// The top searches as CSV: `query,searches,strong_share,click_through`.
#[utoipa::path(get, path = "/agent/search-analytics/top-searches.csv", tag = "agent",
    params(SearchAnalyticsQuery),
    responses(
        (status = 200, description = "A header row, then one row per query", body = String, content_type = "text/csv"),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 403, description = "`forbidden`: the agent token is limited to one organisation", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`from`): the period ends before it begins", body = ErrorBody),
    ))]
pub async fn top_searches_csv(
    State(state): State<AppState>,
    _agent: UnscopedAgent,
    Query(query): Query<SearchAnalyticsQuery>,
) -> AppResult<Response> {
    let period = period(&state, &query)?;
    let rows = report::top_searches(&state.database, period, csv_rows(&query)).await?;
    Ok(download("top-searches", period, csv::top_searches(&rows)))
}

/// Queries without a strong match as CSV: `query,surface,searches`.
#[utoipa::path(get, path = "/agent/search-analytics/content-gaps.csv", tag = "agent",
    params(SearchAnalyticsQuery),
    responses(
        (status = 200, description = "A header row, then one row per query and surface", body = String, content_type = "text/csv"),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 403, description = "`forbidden`: the agent token is limited to one organisation", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`from`): the period ends before it begins", body = ErrorBody),
    ))]
pub async fn content_gaps_csv(
    State(state): State<AppState>,
    _agent: UnscopedAgent,
    Query(query): Query<SearchAnalyticsQuery>,
) -> AppResult<Response> {
    let period = period(&state, &query)?;
    let rows = report::content_gaps(&state.database, period, csv_rows(&query)).await?;
    Ok(download("content-gaps", period, csv::content_gaps(&rows)))
}

/// The self-service funnel as CSV: `step,visits,share_of_searching_visits`.
#[utoipa::path(get, path = "/agent/search-analytics/funnel.csv", tag = "agent",
    params(SearchAnalyticsQuery),
    responses(
        (status = 200, description = "A header row, then the four steps", body = String, content_type = "text/csv"),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 403, description = "`forbidden`: the agent token is limited to one organisation", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`from`): the period ends before it begins", body = ErrorBody),
    ))]
pub async fn funnel_csv(
    State(state): State<AppState>,
    _agent: UnscopedAgent,
    Query(query): Query<SearchAnalyticsQuery>,
) -> AppResult<Response> {
    let period = period(&state, &query)?;
    let funnel = report::funnel(&state.database, period).await?;
    Ok(download("funnel", period, csv::funnel(&funnel)))
}

/// The single figures (searches, click-through, visits, tickets, visits per ticket) as CSV:
/// `metric,value`.
#[utoipa::path(get, path = "/agent/search-analytics/summary.csv", tag = "agent",
    params(SearchAnalyticsQuery),
    responses(
        (status = 200, description = "A header row, then one row per figure", body = String, content_type = "text/csv"),
        (status = 401, description = "No valid agent token", body = ErrorBody),
        (status = 403, description = "`forbidden`: the agent token is limited to one organisation", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`from`): the period ends before it begins", body = ErrorBody),
    ))]
pub async fn summary_csv(
    State(state): State<AppState>,
    _agent: UnscopedAgent,
    Query(query): Query<SearchAnalyticsQuery>,
) -> AppResult<Response> {
    let period = period(&state, &query)?;
    let summary = report::report(&state.database, period, 1).await?;
    Ok(download("summary", period, csv::summary(&summary)))
}

fn period(state: &AppState, query: &SearchAnalyticsQuery) -> AppResult<Period> {
    Period::of(query, state.clock.now().date_naive())
}

fn csv_rows(query: &SearchAnalyticsQuery) -> u32 {
    report::row_limit(query, report::MAX_ROWS)
}

/// A CSV attachment named after the table and the period, e.g.
/// `top-searches_2025-02-02_2025-03-03.csv`.
fn download(table: &str, period: Period, body: String) -> Response {
    csv::download(&format!("{table}_{}_{}", period.from, period.to), body)
}
