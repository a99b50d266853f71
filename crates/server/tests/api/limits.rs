//! Limits against a hostile visitor (issue 15) through the real router on a temporary SQLite
//! file: who may read an attachment, upload quotas and the expiry of unused uploads, rate
//! limits on tickets, replies, escalations, CC mails and cookie-less votes, and the headers
//! of private answers.

use crate::common;

use axum::http::{Method, StatusCode};
use common::tickets::{ALICE, OLIVIA, question_ticket};
use common::{
    DEMO_PASSWORD, MULTIPART_BOUNDARY, TestApp, TestResponse, files_under, multipart_upload,
};
use lantern_core::ticket::{AttachmentUploaded, TicketSummary};
use lantern_server::attachments;
use lantern_server::config::RateLimits;
use serde_json::{Value, json};

async fn upload(app: &TestApp, cookie: &str, file_name: &str, content: &[u8]) -> TestResponse {
    app.send(Method::POST, "/api/v1/attachments")
        .cookie(cookie)
        .body(
            &format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            multipart_upload("log", file_name, content),
        )
        .await
}

async fn uploaded(app: &TestApp, cookie: &str, file_name: &str) -> AttachmentUploaded {
    let response = upload(app, cookie, file_name, b"ERROR E1042 at 40 %\n").await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json()
}

/// A question ticket by the signed-in `email` with these uploads.
fn ticket_of(email: &str, subject: &str, files: &[&AttachmentUploaded]) -> Value {
    let mut draft = question_ticket(subject);
    draft["contact"]["email"] = json!(email);
    draft["attachments"] = files
        .iter()
        .map(|file| json!({ "id": file.id, "name": file.name, "size": file.size, "kind": file.kind }))
        .collect();
    draft
}

async fn submit(app: &TestApp, cookie: &str, key: &str, draft: &Value) -> TestResponse {
    app.send(Method::POST, "/api/v1/tickets")
        .cookie(cookie)
        .header("idempotency-key", key)
        .json(draft)
        .await
}

async fn file(app: &TestApp, cookie: &str, key: &str, draft: &Value) -> TicketSummary {
    let response = submit(app, cookie, key, draft).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json()
}

async fn download(app: &TestApp, cookie: &str, id: &str) -> StatusCode {
    app.get(&format!("/api/v1/attachments/{id}"))
        .cookie(cookie)
        .await
        .status
}

#[tokio::test]
async fn attachments_are_readable_only_by_those_who_can_see_their_ticket() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;

    let olivias_draft = uploaded(&app, &olivia, "olivia-draft.log").await;
    assert_eq!(
        download(&app, &olivia, &olivias_draft.id).await,
        StatusCode::OK
    );
    assert_eq!(
        download(&app, &alice, &olivias_draft.id).await,
        StatusCode::NOT_FOUND,
        "an upload not on a ticket is its uploader's alone"
    );

    let olivias_file = uploaded(&app, &olivia, "olivia.log").await;
    file(
        &app,
        &olivia,
        "olivia-1",
        &ticket_of(OLIVIA, "Olivia's own ticket", &[&olivias_file]),
    )
    .await;
    assert_eq!(
        download(&app, &alice, &olivias_file.id).await,
        StatusCode::NOT_FOUND,
        "Alice cannot see Olivia's ticket, so not its files either"
    );

    let alices_file = uploaded(&app, &alice, "alice.log").await;
    let alices_ticket = file(
        &app,
        &alice,
        "alice-1",
        &ticket_of(ALICE, "Alice's ticket", &[&alices_file]),
    )
    .await;
    assert_eq!(
        download(&app, &alice, &alices_file.id).await,
        StatusCode::OK
    );
    assert_eq!(
        download(&app, &olivia, &alices_file.id).await,
        StatusCode::OK,
        "the organisation's admin sees every ticket of the organisation"
    );

    // A colleague's upload is answered as one that does not exist: its id reveals nothing.
    let colleagues = submit(
        &app,
        &alice,
        "alice-2",
        &ticket_of(ALICE, "Taking a colleague's file", &[&olivias_draft]),
    )
    .await;
    let mut made_up = olivias_draft.clone();
    made_up.id = "0".repeat(32);
    let unknown = submit(
        &app,
        &alice,
        "alice-3",
        &ticket_of(ALICE, "Taking a colleague's file", &[&made_up]),
    )
    .await;
    for response in [&colleagues, &unknown] {
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{}",
            response.text()
        );
        assert_eq!(response.error_code(), "not_found");
    }
    assert_eq!(colleagues.value(), unknown.value());
    assert_eq!(
        download(&app, &alice, &olivias_draft.id).await,
        StatusCode::NOT_FOUND
    );

    // Nor can it go on her ticket with a reply.
    let reply = app
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{}/replies", alices_ticket.number),
        )
        .cookie(&alice)
        .json(&json!({ "body": "The log is attached.", "attachments": [olivias_draft.id] }))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text());
    let message = reply.value()["error"]["message"].clone();
    assert!(
        message
            .as_str()
            .unwrap_or_default()
            .contains("not among your uploads"),
        "{message}"
    );
    assert_eq!(
        download(&app, &olivia, &olivias_draft.id).await,
        StatusCode::OK,
        "still Olivia's"
    );
}

#[tokio::test]
async fn private_answers_are_never_stored_and_public_kb_reads_stay_revalidated() {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let number = app.file_ticket(ALICE, "Backup fails", "minor").await;
    let private = [
        app.get("/api/v1/me").cookie(&alice).await,
        app.get("/api/v1/tickets").cookie(&alice).await,
        app.get(&format!("/api/v1/tickets/{number}"))
            .cookie(&alice)
            .await,
        app.get("/api/v1/organisation/contacts")
            .cookie(&olivia)
            .await,
        app.agent(Method::GET, "/api/v1/agent/tickets").await,
        app.agent(Method::GET, &format!("/api/v1/agent/tickets/{number}"))
            .await,
        app.get("/api/v1/tickets").await,
    ];
    for response in private {
        assert_eq!(
            response.header("cache-control"),
            Some("no-store"),
            "{response:?}"
        );
    }
    let index = app.get("/api/v1/kb/index").await;
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert_eq!(
        index.header("strict-transport-security"),
        None,
        "no HSTS while the portal is reached over plain http"
    );
}

#[tokio::test]
async fn an_https_public_url_brings_hsts_and_secure_cookies() {
    let app = TestApp::seeded_with_config(|config| {
        config.public_url = "https://help.example.com".to_owned();
        config.secure_cookies = true;
    })
    .await;
    let response = app
        .send(Method::POST, "/api/v1/session")
        .json(&json!({ "email": ALICE, "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(
        response.header("strict-transport-security"),
        Some("max-age=31536000")
    );
    let cookie = response.header("set-cookie").unwrap_or_default();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let page = app.get("/").await;
    assert_eq!(
        page.header("strict-transport-security"),
        Some("max-age=31536000")
    );
}

/// A seeded app whose per-hour limits are `adjust`ed, with Alice signed in.
async fn limited(adjust: impl FnOnce(&mut RateLimits)) -> (TestApp, String) {
    let app = TestApp::seeded_with_config(|config| adjust(&mut config.rate_limits)).await;
    app.install_agent_token().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    (app, alice)
}

fn assert_rate_limited(response: &TestResponse) {
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "rate_limited");
    let retry_after: u64 = response
        .header("retry-after")
        .and_then(|value| value.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
}

async fn mails_to(app: &TestApp, email: &str) -> usize {
    lantern_server::db::outbox::to_recipient(&app.state.database, email)
        .await
        .expect("the outbox")
        .len()
}

#[tokio::test]
async fn new_tickets_are_limited_per_person_and_a_retry_is_not_a_new_ticket() {
    let (app, alice) = limited(|limits| limits.tickets_per_hour = 3).await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    for n in 0..3 {
        file(
            &app,
            &alice,
            &format!("t-{n}"),
            &question_ticket("Restore a file"),
        )
        .await;
    }
    let refused = submit(&app, &alice, "t-3", &question_ticket("Restore a file")).await;
    assert_rate_limited(&refused);
    let retry = submit(&app, &alice, "t-0", &question_ticket("Restore a file")).await;
    assert_eq!(
        retry.status,
        StatusCode::OK,
        "a retry answers its ticket: {}",
        retry.text()
    );
    file(
        &app,
        &olivia,
        "o-0",
        &ticket_of(OLIVIA, "Olivia has her own allowance", &[]),
    )
    .await;
    let organisation = app.person(ALICE).await.organisation_id;
    let tickets =
        lantern_server::db::tickets::count_for_organisation(&app.state.database, organisation)
            .await
            .expect("the count");
    assert_eq!(tickets, 4);
}

#[tokio::test]
async fn mails_to_people_in_cc_are_limited_per_person() {
    let (app, alice) = limited(|limits| limits.cc_mails_per_hour = 2).await;
    let with_cc = || {
        let mut draft = question_ticket("Restore a file");
        draft["cc"] = json!([OLIVIA]);
        draft
    };
    for n in 0..2 {
        file(&app, &alice, &format!("cc-{n}"), &with_cc()).await;
    }
    assert_rate_limited(&submit(&app, &alice, "cc-2", &with_cc()).await);
    assert_eq!(mails_to(&app, OLIVIA).await, 2);
    file(&app, &alice, "no-cc", &question_ticket("Without a copy")).await;

    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let ticket_id: i64 = number.trim_start_matches("LAN-").parse().expect("an id");
    let olivia_id = app.person(OLIVIA).await.id;
    lantern_server::db::ticket_ccs::add(&app.state.database, ticket_id, olivia_id)
        .await
        .expect("a CC");
    let reply = app
        .send(Method::POST, &format!("/api/v1/tickets/{number}/replies"))
        .cookie(&alice)
        .json(&json!({ "body": "One more detail.", "attachments": [] }))
        .await;
    assert_rate_limited(&reply);
    assert_eq!(mails_to(&app, OLIVIA).await, 2);
}

#[tokio::test]
async fn replies_are_limited_per_person() {
    let (app, alice) = limited(|limits| limits.replies_per_hour = 2).await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let reply = || {
        app.send(Method::POST, &format!("/api/v1/tickets/{number}/replies"))
            .cookie(&alice)
            .json(&json!({ "body": "One more detail.", "attachments": [] }))
    };
    for _ in 0..2 {
        let response = reply().await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }
    assert_rate_limited(&reply().await);
    let agent = app
        .agent(
            Method::POST,
            &format!("/api/v1/agent/tickets/{number}/replies"),
        )
        .json(&json!({ "body": "Agents are not limited.", "internal": false, "author_name": "" }))
        .await;
    assert_eq!(agent.status, StatusCode::OK, "{}", agent.text());
}

#[tokio::test]
async fn escalation_requests_are_limited_per_person() {
    let (app, alice) = limited(|limits| limits.escalations_per_hour = 1).await;
    let request = json!({
        "reason": "business_impact_increased",
        "details": "Every nightly backup has failed for three days; we cannot restore.",
        "requested_severity": "critical",
        "callback_phone": "+44 20 7946 0142",
        "callback_availability": "weekdays 9-17 GMT",
    });
    let mut answers = Vec::new();
    for subject in ["Backup fails", "Restore fails"] {
        let number = app.file_ticket(ALICE, subject, "major").await;
        answers.push(
            app.send(
                Method::POST,
                &format!("/api/v1/tickets/{number}/escalations"),
            )
            .cookie(&alice)
            .json(&request)
            .await,
        );
    }
    assert_eq!(
        answers[0].status,
        StatusCode::CREATED,
        "{}",
        answers[0].text()
    );
    assert_rate_limited(&answers[1]);
}

/// The knowledge base of the repository, imported; two of its slugs.
async fn with_articles(app: &TestApp) -> (String, String) {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/kb");
    app.import_kb(&content).await;
    let slugs: Vec<String> = app
        .column("SELECT slug FROM kb_articles ORDER BY slug LIMIT 2")
        .await;
    (slugs[0].clone(), slugs[1].clone())
}

async fn vote(app: &TestApp, slug: &str, address: &str, cookie: Option<&str>) -> TestResponse {
    let mut request = app
        .send(Method::PUT, &format!("/api/v1/kb/articles/{slug}/vote"))
        .client_address(address);
    if let Some(cookie) = cookie {
        request = request.cookie(cookie);
    }
    request.json(&json!({ "helpful": false })).await
}

#[tokio::test]
async fn cookie_less_votes_are_limited_per_address() {
    let (app, alice) = limited(|limits| limits.cookieless_votes_per_hour = 3).await;
    let (article, other) = with_articles(&app).await;
    let mut answers = Vec::new();
    for _ in 0..20 {
        answers.push(vote(&app, &article, "203.0.113.7", None).await);
    }
    let counted = answers
        .iter()
        .filter(|answer| answer.status == StatusCode::OK)
        .count();
    assert_eq!(counted, 3, "only the first votes count");
    assert_rate_limited(&answers[19]);
    let made_up = "lantern_browser=0123456789abcdef0123456789abcdef";
    assert_rate_limited(&vote(&app, &article, "203.0.113.7", Some(made_up)).await);

    let returning = answers[0]
        .browser_cookie()
        .expect("the first vote set a browser cookie");
    let known = vote(&app, &other, "203.0.113.7", Some(&returning)).await;
    assert_eq!(
        known.status,
        StatusCode::OK,
        "a browser that voted before: {}",
        known.text()
    );
    let signed_in = vote(&app, &other, "203.0.113.7", Some(&alice)).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text());
    let elsewhere = vote(&app, &article, "198.51.100.1", None).await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.text());

    let shown = app.get(&format!("/api/v1/kb/articles/{article}")).await;
    assert_eq!(shown.value()["votes"]["not_helpful"], 4);
}

#[tokio::test]
async fn uploads_beyond_the_daily_quotas_are_refused() {
    let app = TestApp::seeded_with_config(|config| {
        config.attachments.quota_per_user_bytes = 100;
        config.attachments.quota_per_organisation_bytes = 150;
    })
    .await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    assert_eq!(
        upload(&app, &alice, "one.log", &[b'a'; 60]).await.status,
        StatusCode::CREATED
    );
    let over = upload(&app, &alice, "two.log", &[b'b'; 60]).await;
    assert_eq!(
        over.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        over.text()
    );
    assert_eq!(over.error_code(), "upload_quota_exceeded");
    let message = over.value()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("100 bytes a day"), "{message}");
    assert_eq!(
        upload(&app, &alice, "three.log", &[b'c'; 40]).await.status,
        StatusCode::CREATED
    );
    let full = app
        .send(Method::POST, "/api/v1/attachments")
        .cookie(&alice)
        .body("multipart/form-data; boundary=x", "not read at all")
        .await;
    assert_eq!(
        full.error_code(),
        "upload_quota_exceeded",
        "a full allowance is told before the body is read: {}",
        full.text()
    );

    let organisation_over = upload(&app, &olivia, "four.log", &[b'd'; 60]).await;
    assert_eq!(organisation_over.error_code(), "upload_quota_exceeded");
    assert!(organisation_over.text().contains("Your organisation"));
    assert_eq!(
        upload(&app, &olivia, "five.log", &[b'e'; 50]).await.status,
        StatusCode::CREATED
    );
    let stored = app.stored_contents().await;
    assert_eq!(
        stored.len(),
        3,
        "refused uploads leave nothing behind: {stored:?}"
    );
    let arriving = files_under(&app.state.config.attachments.dir.join("tmp"));
    assert!(arriving.is_empty(), "{arriving:?}");

    app.clock.advance(chrono::Duration::hours(25));
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    assert_eq!(
        upload(&app, &alice, "next-day.log", &[b'f'; 60])
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn uploads_never_put_on_a_ticket_expire_with_their_files() {
    let app = TestApp::seeded_with_config(|config| {
        config.attachments.unused_upload_lifetime = chrono::Duration::hours(1);
    })
    .await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let forgotten = uploaded(&app, &alice, "forgotten.log").await;
    let other = upload(&app, &alice, "other.log", b"content of its own").await;
    assert_eq!(other.status, StatusCode::CREATED);
    let filed = upload(&app, &alice, "filed.log", b"content on a ticket").await;
    let filed: AttachmentUploaded = filed.json();
    let copy = upload(&app, &alice, "copy.log", b"content on a ticket").await;
    let copy: AttachmentUploaded = copy.json();
    file(
        &app,
        &alice,
        "filed",
        &ticket_of(ALICE, "With a log", &[&filed]),
    )
    .await;
    assert_eq!(app.stored_contents().await.len(), 3);

    app.clock.advance(chrono::Duration::minutes(30));
    assert_eq!(
        attachments::remove_unused(&app.state)
            .await
            .expect("clean-up"),
        0
    );
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(
        attachments::remove_unused(&app.state)
            .await
            .expect("clean-up"),
        3
    );

    for gone in [&forgotten.id, &copy.id] {
        assert_eq!(download(&app, &alice, gone).await, StatusCode::NOT_FOUND);
    }
    assert_eq!(download(&app, &alice, &filed.id).await, StatusCode::OK);
    assert_eq!(app.collect_garbage(chrono::Duration::zero()).await, 2);
    let stored = app.stored_contents().await;
    assert_eq!(
        stored.len(),
        1,
        "only the filed content is left: {stored:?}"
    );
}
