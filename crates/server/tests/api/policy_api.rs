//! `GET /api/v1/policy` through the real router, and refusing to start on a broken policy.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use lantern_core::policy::PolicyView;
use lantern_server::clock::ManualClock;
use lantern_server::policy_file;
use lantern_server::state::AppState;
use lantern_server::test_support::{config_in, state_in};
use tower::ServiceExt;

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid instant")
}

async fn get_policy(state: AppState) -> (StatusCode, Vec<u8>) {
    let request = Request::get("/api/v1/policy")
        .body(Body::empty())
        .expect("a valid request");
    let response = lantern_server::router(state)
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, body.to_vec())
}

#[tokio::test]
async fn the_policy_endpoint_serves_the_loaded_policy_with_this_weeks_hours() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Friday 2026-11-27 17:30 in Amsterdam: the Professional desk is open for half an hour more.
    let clock = Arc::new(ManualClock::new(utc("2026-11-27T16:30:00Z")));
    let state = state_in(dir.path(), clock).await.expect("a state");

    let (status, body) = get_policy(state).await;
    assert_eq!(status, StatusCode::OK);
    let view: PolicyView = serde_json::from_slice(&body).expect("a policy view");
    assert_eq!(view.policy.vendor.name, "Lantern Demo Software");
    assert_eq!(view.generated_at, utc("2026-11-27T16:30:00Z"));
    let plans: Vec<_> = view
        .policy
        .plans
        .iter()
        .map(|plan| plan.id.as_str())
        .collect();
    assert_eq!(plans, ["professional", "enterprise"]);

    let professional = &view.plan_hours[0];
    assert!(professional.open_now);
    assert_eq!(
        professional.windows[0].closes_at,
        utc("2026-11-27T17:00:00Z")
    );
    assert_eq!(
        professional.windows[1].opens_at,
        utc("2026-11-30T07:00:00Z"),
        "then Monday 08:00"
    );
    assert!(view.plan_hours[1].open_now, "Enterprise is 24x7");
}

#[tokio::test]
async fn the_policy_json_keeps_severity_order_and_readable_durations() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let clock = Arc::new(ManualClock::new(utc("2026-11-28T12:00:00Z")));
    let state = state_in(dir.path(), clock).await.expect("a state");

    let (_, body) = get_policy(state).await;
    // The app reads the keyed tables in document order (serde_json::Value would sort them).
    let view: PolicyView = serde_json::from_slice(&body).expect("a policy view");
    let severities: Vec<_> = view
        .policy
        .severities
        .iter()
        .map(|severity| severity.id.as_str())
        .collect();
    assert_eq!(severities, ["emergency", "critical", "major", "minor"]);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(
        json["policy"]["plans"]["enterprise"]["response_targets"]["major"],
        "6h"
    );
    assert_eq!(json["plan_hours"][0]["open_now"], false, "Saturday");
}

#[tokio::test]
async fn a_broken_policy_stops_the_start_naming_file_key_and_problem() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let default = std::fs::read_to_string(policy_file::default_path()).expect("the default policy");
    let broken = default.replacen(
        "emergency = \"2h\"\ncritical",
        "emergency = \"2h\"\ncritcal",
        1,
    );
    assert_ne!(broken, default, "the replacement must hit");
    let broken_path = dir.path().join("broken.toml");
    std::fs::write(&broken_path, broken).expect("write the broken policy");

    let mut config = config_in(dir.path());
    config.policy = broken_path.clone();
    let clock = Arc::new(ManualClock::new(utc("2026-11-27T12:00:00Z")));
    let error = match AppState::build(config, clock).await {
        Ok(_) => panic!("a broken policy was accepted"),
        Err(error) => error.to_string(),
    };
    assert_eq!(
        error,
        format!(
            "invalid support policy {}: plans.professional.response_targets.critcal: unknown severity \"critcal\"",
            broken_path.display()
        )
    );
}

#[test]
fn a_missing_policy_file_is_named() {
    let error = policy_file::load(std::path::Path::new("/no/such/policy.toml"))
        .expect_err("a missing file is an error");
    assert!(
        error.to_string().contains("/no/such/policy.toml"),
        "{error}"
    );
}

/// Every `"$ref"` string anywhere below `value`.
fn references(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                found.push(target.clone());
            }
            map.values().for_each(|child| references(child, found));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|child| references(child, found)),
        _ => {}
    }
}

#[test]
fn the_openapi_document_describes_the_policy_endpoint_completely() {
    let document = serde_json::to_value(lantern_server::api::document()).expect("JSON");
    assert!(document["paths"]["/api/v1/policy"]["get"].is_object());
    let schemas = &document["components"]["schemas"];
    let mut found = Vec::new();
    references(&document, &mut found);
    assert!(found.iter().any(|target| target.ends_with("/PolicyView")));
    for target in found {
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(
            schemas.get(name).is_some(),
            "{target} is not in the document"
        );
    }
}
