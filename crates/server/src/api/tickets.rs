//! The new-ticket wizard's endpoints: `POST /tickets` and `POST /kb/deflections`. The logic
//! lives in `crate::tickets::filing`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use lantern_core::api::ErrorBody;
use lantern_core::ticket::{Deflection, IDEMPOTENCY_KEY_HEADER, TicketDraft, TicketSummary};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::analytics::ids::Visit;
use crate::analytics::recorder::ActivityKind;
use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::state::AppState;
use crate::tickets::filing::{self, Submitted};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(deflect))
}

/// Files a ticket. Idempotent per `Idempotency-Key`: a retry with the same key and body answers
/// 200 with the ticket the first request created (201).
#[utoipa::path(post, path = "/tickets", tag = "tickets",
    request_body = TicketDraft,
    params(("Idempotency-Key" = String, Header,
        description = "1-100 characters, the same for every retry of one submission")),
    responses(
        (status = 201, description = "The new ticket with its number and response target", body = TicketSummary),
        (status = 200, description = "A retry: the ticket created earlier under this key", body = TicketSummary),
        (status = 400, description = "The `Idempotency-Key` header is missing or too long", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "`not_found`: an attachment id is none of the person's uploads (a colleague's, say)", body = ErrorBody),
        (status = 409, description = "`idempotency_conflict`: the key was used for a different request", body = ErrorBody),
        (status = 422, description = "`validation_failed` with a message per field", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many tickets, or mails to people in CC, within the hour; `Retry-After` says when", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Visit(visit): Visit,
    headers: HeaderMap,
    Json(draft): Json<TicketDraft>,
) -> AppResult<(StatusCode, Json<TicketSummary>)> {
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    Ok(match filing::create(&state, &user, draft, key).await? {
        Submitted::Created(ticket) => {
            // Only that a ticket was filed in this visit: not which one, nor by whom.
            state.analytics.activity(
                visit.as_ref(),
                ActivityKind::TicketFiled,
                None,
                state.now_seconds(),
            );
            (StatusCode::CREATED, Json(ticket))
        }
        Submitted::Replayed(ticket) => (StatusCode::OK, Json(ticket)),
    })
}

/// "This solved my problem" on an article the wizard suggested: the wizard ends without a ticket.
#[utoipa::path(post, path = "/kb/deflections", tag = "tickets",
    request_body = Deflection,
    responses(
        (status = 204, description = "Recorded"),
        (status = 404, description = "No article has this slug", body = ErrorBody),
    ))]
pub async fn deflect(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Visit(visit): Visit,
    Json(deflection): Json<Deflection>,
) -> AppResult<StatusCode> {
    if !db::kb::article_exists(&state.database, &deflection.article_slug).await? {
        return Err(AppError::not_found("There is no such article."));
    }
    db::deflections::record(
        &state.database,
        &deflection.article_slug,
        user.map(|user| user.id),
        state.now_seconds(),
    )
    .await?;
    state.analytics.activity(
        visit.as_ref(),
        ActivityKind::Solved,
        Some(&deflection.article_slug),
        state.now_seconds(),
    );
    Ok(StatusCode::NO_CONTENT)
}
