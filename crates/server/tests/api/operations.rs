//! What operators read (issue 20): the Prometheus metrics on their own router, readiness apart
//! from liveness, and the request log with route and person. The recorder is the process's
//! own, shared by the tests running at once, so counters are read as "at least".

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::Duration;
use common::tickets::{ALICE, question_ticket};
use common::{DEMO_PASSWORD, MULTIPART_BOUNDARY, TestApp, multipart_upload};
use http_body_util::BodyExt;
use lantern_core::api::Readiness;
use lantern_server::config::LogFormat;
use lantern_server::db::{self, Db};
use lantern_server::mail::{self, Mailer};
use lantern_server::metrics;
use lantern_server::tickets::lifecycle;
use tower::ServiceExt;

/// The metrics router's answer to `GET /metrics`.
async fn scrape(app: &TestApp) -> String {
    let handle = metrics::install().expect("the metrics recorder");
    let response = metrics::router(app.state.clone(), handle)
        .oneshot(
            Request::get("/metrics")
                .body(Body::empty())
                .expect("a request"),
        )
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().expect("text");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let body = response.into_body().collect().await.expect("the body");
    String::from_utf8(body.to_bytes().to_vec()).expect("UTF-8")
}

/// The value of the series `series` (name and labels as Prometheus writes them).
fn value(scraped: &str, series: &str) -> f64 {
    scraped
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no series {series} in:\n{scraped}"))
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn prometheus_reads_requests_searches_throttling_mail_and_the_stores() {
    metrics::install().expect("the metrics recorder");
    let app = TestApp::seeded_with_config(|config| config.sign_in_limits.per_address = 1).await;
    for _ in 0..3 {
        let response = app.get("/api/v1/kb/search?q=restore%20a%20file").await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }
    assert_eq!(
        app.get("/api/v1/tickets/LAN-999999").await.status,
        StatusCode::UNAUTHORIZED
    );
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    // One failure is allowed per address (the successful sign-in is forgiven); the next is
    // throttled.
    let wrong = serde_json::json!({ "email": ALICE, "password": "not the password" });
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let answer = app.send(Method::POST, "/api/v1/session").json(&wrong).await;
        statuses.push(answer.status);
    }
    assert_eq!(
        statuses,
        [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS]
    );
    let upload = app
        .send(Method::POST, "/api/v1/attachments")
        .cookie(&alice)
        .body(
            &format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            multipart_upload("log", "agent.log", b"ERROR E1042 at 03:00"),
        )
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.text());
    let filed = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&alice)
        .header("idempotency-key", "metrics-ticket")
        .json(&question_ticket("Restores are slow"))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());

    let before_delivery = scrape(&app).await;
    let pending = db::outbox::counts(&app.state.database)
        .await
        .expect("the outbox")
        .pending;
    assert!(pending > 0);
    assert_eq!(
        value(&before_delivery, r#"lantern_outbox_mails{state="pending"}"#),
        pending as f64,
        "read from this server's database at the scrape"
    );
    assert_eq!(
        value(&before_delivery, "lantern_attachment_store_bytes"),
        b"ERROR E1042 at 03:00".len() as f64
    );
    let last_holiday = chrono::NaiveDate::from_ymd_opt(2027, 12, 26).expect("a date");
    assert_eq!(
        value(
            &before_delivery,
            r#"lantern_policy_holidays_listed_until_seconds{plan="professional"}"#
        ),
        last_holiday
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .timestamp() as f64,
        "the default policy's last Professional holiday"
    );

    mail::deliver_pending(&app.state, &Mailer::Log)
        .await
        .expect("the outbox is delivered");
    app.clock.advance(Duration::minutes(1));
    lifecycle::run_if_holding(&app.state, "metrics test")
        .await
        .expect("a round of the rules");
    let scraped = scrape(&app).await;
    let search =
        r#"lantern_http_requests_total{method="GET",route="/api/v1/kb/search",status="200"}"#;
    assert!(value(&scraped, search) >= 3.0);
    let ticket = r#"lantern_http_requests_total{method="GET",route="/api/v1/tickets/{number}",status="401"}"#;
    assert!(
        value(&scraped, ticket) >= 1.0,
        "routes are templates, not addresses"
    );
    let created = r#"lantern_http_request_duration_seconds_count{method="POST",route="/api/v1/tickets",status="201"}"#;
    assert!(value(&scraped, created) >= 1.0);
    assert!(value(&scraped, "lantern_kb_search_duration_seconds_count") >= 3.0);
    assert!(value(&scraped, r#"lantern_throttled_total{action="sign_in"}"#) >= 1.0);
    assert!(value(&scraped, r#"lantern_mail_deliveries_total{outcome="sent"}"#) >= pending as f64);
    assert!(value(&scraped, "lantern_auto_close_runs_total") >= 1.0);
    assert_eq!(
        value(&scraped, r#"lantern_outbox_mails{state="pending"}"#),
        0.0
    );
    if matches!(app.state.database, Db::Sqlite(_)) {
        assert!(value(&scraped, "lantern_write_gate_wait_seconds_count") >= 1.0);
    }
    assert!(
        !scraped.contains("LAN-999999"),
        "no address becomes a label"
    );
}

#[tokio::test]
async fn readiness_fails_while_mail_is_stuck_and_liveness_does_not() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/ready").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let ready: Readiness = response.json();
    assert!(ready.ready);
    let names: Vec<&str> = ready
        .checks
        .iter()
        .map(|check| check.name.as_str())
        .collect();
    assert_eq!(names, ["database", "migrations", "outbox"]);
    assert!(ready.checks.iter().all(|check| check.ok), "{ready:?}");

    // A mail due for a quarter of an hour: the delivery loop is not running.
    let due = app.state.now_seconds() - 15 * 60;
    db::outbox::enqueue(
        &app.state.database,
        "alice@northwind.example",
        "Hi",
        "Body",
        due,
    )
    .await
    .expect("a queued mail");
    let response = app.get("/api/v1/ready").await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    let ready: Readiness = response.json();
    assert!(!ready.ready);
    let outbox = ready
        .checks
        .iter()
        .find(|check| check.name == "outbox")
        .expect("the outbox check");
    assert!(!outbox.ok);
    assert_eq!(outbox.detail, "the oldest due mail has waited 900 s");
    assert_eq!(app.get("/api/v1/health").await.status, StatusCode::OK);

    mail::deliver_pending(&app.state, &Mailer::Log)
        .await
        .expect("the outbox is delivered");
    assert_eq!(app.get("/api/v1/ready").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_json_log_names_request_route_status_latency_and_person_but_no_secret() {
    let app = TestApp::seeded().await;
    let captured = common::log::capture(&app, LogFormat::Json);
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let listed = app.get("/api/v1/tickets?status=all").cookie(&alice).await;
    assert_eq!(listed.status, StatusCode::OK);
    let request_id = listed.headers["x-request-id"]
        .to_str()
        .expect("a request id")
        .to_owned();

    let log = captured.text();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is JSON"))
        .collect();
    let answered = lines
        .iter()
        .find(|line| {
            line["span"]["request_id"] == request_id.as_str() && line["fields"]["status"] == 200
        })
        .unwrap_or_else(|| panic!("no response line of {request_id}:\n{log}"));
    let span = &answered["span"];
    assert_eq!(span["route"], "/api/v1/tickets");
    assert_eq!(span["method"], "GET");
    assert!(span["user_id"].as_i64().is_some(), "{answered}");
    assert!(answered["fields"]["latency"].is_string(), "{answered}");
    let session = alice.split_once('=').expect("name=value").1;
    assert!(!log.contains(DEMO_PASSWORD), "no password in the log");
    assert!(!log.contains(session), "no session token in the log");
}

#[tokio::test]
async fn the_copy_of_a_sent_mail_goes_after_the_retention_and_a_waiting_one_stays() {
    let app = TestApp::with_config(|config| config.sent_mail_retention = Duration::days(30)).await;
    let now = app.state.now_seconds();
    let delivered = db::outbox::enqueue(&app.state.database, "a@example.com", "Sent", "Body", now)
        .await
        .expect("queued");
    mail::deliver_pending(&app.state, &Mailer::Log)
        .await
        .expect("the outbox is delivered");
    let waiting = db::outbox::enqueue(
        &app.state.database,
        "b@example.com",
        "Later",
        "Body",
        now + 1,
    )
    .await
    .expect("queued");
    app.clock.advance(Duration::days(30));
    assert_eq!(
        clean_up_sent_mail(&app).await,
        [delivered, waiting],
        "30 days are kept"
    );
    app.clock.advance(Duration::seconds(1));
    assert_eq!(
        clean_up_sent_mail(&app).await,
        [waiting],
        "never sent, so kept whatever its age"
    );
}

/// Runs the clean-up of sent mail; the ids of the mails to a@ and b@example.com the outbox
/// holds after it, sent or not, a@ first.
async fn clean_up_sent_mail(app: &TestApp) -> Vec<i64> {
    mail::remove_old_sent(&app.state)
        .await
        .expect("the clean-up");
    let mut ids = Vec::new();
    for recipient in ["a@example.com", "b@example.com"] {
        let mails = db::outbox::to_recipient(&app.state.database, recipient).await;
        ids.extend(mails.expect("the outbox").into_iter().map(|mail| mail.id));
    }
    ids
}
