//! Metrics for operators (issue 20): recorded with the `metrics` macros where things happen and
//! exported in Prometheus's text format by `metrics-exporter-prometheus` on an address of their
//! own (`LANTERN_METRICS_ADDR`), so they are not on the public one. Without that address no
//! recorder is installed and every macro is a no-op.
//!
//! What the database knows (mails waiting and given up on, the attachment store's size) is
//! read at each scrape, so every server of several reports the same, current figures.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics::{Unit, counter, describe_counter, describe_histogram, histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;
use crate::{db, policy_file};

/// Latency buckets in seconds, from a cached search (a fraction of a millisecond) to a
/// request that waited on the database's busy timeout.
const LATENCY_BUCKETS: [f64; 14] = [
    0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The route label of a request no route matched (the app's pages, unknown addresses): one
/// label, so a scan of random addresses cannot grow the series without bound.
const UNMATCHED: &str = "unmatched";

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process's recorder, once; later calls return the same handle.
pub fn install() -> anyhow::Result<&'static PrometheusHandle> {
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALLING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(handle) = HANDLE.get() {
        return Ok(handle);
    }
    let handle = PrometheusBuilder::new()
        .set_buckets(&LATENCY_BUCKETS)
        .context("the latency buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")?;
    describe();
    Ok(HANDLE.get_or_init(|| handle))
}

/// The help text of every recorded metric.
fn describe() {
    describe_counter!(
        "lantern_http_requests_total",
        "Requests answered, by method, route and status."
    );
    describe_histogram!(
        "lantern_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer a request, by method, route and status."
    );
    describe_histogram!(
        "lantern_write_gate_wait_seconds",
        Unit::Seconds,
        "Time a writer waited for its turn at SQLite's one writer."
    );
    describe_histogram!(
        "lantern_kb_search_duration_seconds",
        Unit::Seconds,
        "Time the engine took for a full-text search of the knowledge base."
    );
    describe_counter!(
        "lantern_throttled_total",
        "Sign-ins and registrations refused by their limits."
    );
    describe_counter!(
        "lantern_auto_close_runs_total",
        "Rounds of the life-cycle rules on this server."
    );
    describe_counter!(
        "lantern_tickets_closed_automatically_total",
        "Tickets the life-cycle rules closed."
    );
    describe_counter!(
        "lantern_late_update_mails_total",
        "Customers mailed that support's update is late."
    );
    describe_counter!(
        "lantern_mail_deliveries_total",
        "Delivery attempts of outbox mails: sent, deferred (tried again later) or given_up."
    );
}

/// The metrics address's router: `GET /metrics` in Prometheus's text format.
pub fn router(state: AppState, handle: &'static PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state((state, handle))
}

async fn scrape(State((state, handle)): State<(AppState, &'static PrometheusHandle)>) -> Response {
    handle.run_upkeep();
    let mut text = handle.render();
    text.push_str(&holiday_figures(&state));
    match stored_figures(&state).await {
        Ok(figures) => text.push_str(&figures),
        Err(error) => {
            tracing::warn!(error = %error, "metrics: cannot read the outbox and attachment figures");
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// The last holiday each plan with business hours lists, for an alert before the list runs out.
fn holiday_figures(state: &AppState) -> String {
    let mut text = String::from(
        "# HELP lantern_policy_holidays_listed_until_seconds The start (UTC) of the last holiday \
         each plan with business hours lists; past it, week days count as open.\n\
         # TYPE lantern_policy_holidays_listed_until_seconds gauge\n",
    );
    for (plan, last) in policy_file::holidays_listed_until(&state.policy) {
        let seconds = last.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
        text.push_str(&format!(
            "lantern_policy_holidays_listed_until_seconds{{plan=\"{plan}\"}} {seconds}\n"
        ));
    }
    text
}

/// What the database holds, read for this scrape and written as gauges here: set through the
/// process's recorder, a concurrent scrape could change them between setting and rendering.
async fn stored_figures(state: &AppState) -> sqlx::Result<String> {
    let mails = db::outbox::counts(&state.database).await?;
    let stored = db::attachments::stored_bytes(&state.database).await?;
    Ok(format!(
        "# HELP lantern_outbox_mails Mails not sent yet: pending (tried until given up) and \
         failed (given up on; `lantern-server admin resend-mail`).\n\
         # TYPE lantern_outbox_mails gauge\n\
         lantern_outbox_mails{{state=\"pending\"}} {pending}\n\
         lantern_outbox_mails{{state=\"failed\"}} {failed}\n\
         # HELP lantern_attachment_store_bytes Bytes of attachment content stored, each content \
         once.\n\
         # TYPE lantern_attachment_store_bytes gauge\n\
         lantern_attachment_store_bytes {stored}\n",
        pending = mails.pending,
        failed = mails.failed,
    ))
}

/// The route a response answered, for the outer [`observe_requests`]: set by
/// [`tag_route`], which runs where the router knows it.
#[derive(Debug, Clone)]
struct AnsweredRoute(MatchedPath);

/// Marks the response with the route that matched (a route layer: fallbacks are not tagged).
pub async fn tag_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(AnsweredRoute(route));
    }
    response
}

/// Counts and times every request by method, route and status, and names the route in the
/// request's log span.
pub async fn observe_requests(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let route = response
        .extensions()
        .get::<AnsweredRoute>()
        .map_or(UNMATCHED, |AnsweredRoute(route)| route.as_str())
        .to_owned();
    tracing::Span::current().record("route", route.as_str());
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    counter!("lantern_http_requests_total", &labels).increment(1);
    histogram!("lantern_http_request_duration_seconds", &labels).record(elapsed);
    response
}

/// How long a writer waited for its turn at SQLite's one writer ([`db::WriteGate`]).
pub fn write_gate_waited(wait: Duration) {
    histogram!("lantern_write_gate_wait_seconds").record(wait);
}

/// One full-text search of the knowledge base, and how long the engine took.
pub fn searched(took: Duration) {
    histogram!("lantern_kb_search_duration_seconds").record(took);
}

/// A sign-in or registration refused by its throttle limits (`action`: `sign_in`,
/// `registration`).
pub fn throttled(action: &'static str) {
    counter!("lantern_throttled_total", "action" => action).increment(1);
}

/// One round of the life-cycle rules on the server holding their lease.
pub fn life_cycle_round(closed: u64, late_update_mails: u64) {
    counter!("lantern_auto_close_runs_total").increment(1);
    counter!("lantern_tickets_closed_automatically_total").increment(closed);
    counter!("lantern_late_update_mails_total").increment(late_update_mails);
}

/// One delivery attempt of an outbox mail: `sent`, `deferred` (tried again later) or
/// `given_up`.
pub fn mail_attempted(outcome: &'static str) {
    counter!("lantern_mail_deliveries_total", "outcome" => outcome).increment(1);
}
