//! `GET /api/v1/health`: is the process up (liveness), and `GET /api/v1/ready`: can it serve
//! (readiness: its database answers, with the schema this server expects, and mail is not
//! stuck).

use axum::extract::State;
use axum::http::StatusCode;
use lantern_core::api::{Health, Readiness, ReadinessCheck};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db;
use crate::extract::Json;
use crate::state::AppState;

/// A due mail waiting longer than this means the delivery loop (every 5 s) does not run.
const OUTBOX_STUCK_AFTER_SECONDS: i64 = 10 * 60;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(ready))
}

/// Reports the version and whether the database answers; always 200 while the process runs.
#[utoipa::path(get, path = "/health", tag = "health",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    let database = db::is_reachable(&state.database).await;
    Json(Health {
        status: if database { "ok" } else { "degraded" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database,
    })
}

/// Whether this server can serve requests, check by check.
#[utoipa::path(get, path = "/ready", tag = "health",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "Not ready: a check failed", body = Readiness),
    ))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let checks = vec![
        database_check(&state).await,
        migrations_check(&state).await,
        outbox_check(&state).await,
    ];
    let ready = checks.iter().all(|check| check.ok);
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(Readiness { ready, checks }))
}

fn check(name: &str, ok: bool, detail: String) -> ReadinessCheck {
    ReadinessCheck {
        name: name.to_owned(),
        ok,
        detail,
    }
}

/// A failed check whose cause goes to the log, not to whoever asks.
fn unreadable(name: &str, error: &sqlx::Error) -> ReadinessCheck {
    tracing::warn!(check = name, error = %error, "readiness: cannot read the database");
    check(
        name,
        false,
        "cannot be read; see the server's log".to_owned(),
    )
}

async fn database_check(state: &AppState) -> ReadinessCheck {
    let ok = db::is_reachable(&state.database).await;
    let detail = if ok { "answers" } else { "does not answer" };
    check("database", ok, detail.to_owned())
}

async fn migrations_check(state: &AppState) -> ReadinessCheck {
    let expected = db::expected_schema_version(&state.database);
    match db::applied_schema_version(&state.database).await {
        Ok((_, true)) => check(
            "migrations",
            false,
            "a migration failed halfway; see the server's log at start".to_owned(),
        ),
        Ok((applied, false)) => check(
            "migrations",
            applied == expected,
            format!("schema version {applied}; this server expects {expected}"),
        ),
        Err(error) => unreadable("migrations", &error),
    }
}

async fn outbox_check(state: &AppState) -> ReadinessCheck {
    let now = state.now_seconds();
    match db::outbox::oldest_due(&state.database, now).await {
        Ok(None) => check("outbox", true, "no mail is waiting to be sent".to_owned()),
        Ok(Some(due_since)) => {
            let waited = now - due_since;
            check(
                "outbox",
                waited <= OUTBOX_STUCK_AFTER_SECONDS,
                format!("the oldest due mail has waited {waited} s"),
            )
        }
        Err(error) => unreadable("outbox", &error),
    }
}
