//! Limits against a hostile visitor (issue 15) through the real router on a temporary SQLite
//! file: who may read an attachment, upload quotas and the expiry of unused uploads, rate
//! limits on tickets, replies, escalations, CC mails and cookie-less votes, and the headers
//! of private answers.

mod common;

use axum::http::{Method, StatusCode};
use common::tickets::{ALICE, OLIVIA, question_ticket};
use common::{DEMO_PASSWORD, MULTIPART_BOUNDARY, TestApp, TestResponse, multipart_upload};
use lantern_core::ticket::{AttachmentUploaded, TicketSummary};
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
    file(
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

    let response = submit(
        &app,
        &alice,
        "alice-2",
        &ticket_of(ALICE, "Taking a colleague's file", &[&olivias_draft]),
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert!(response.value()["error"]["fields"]["attachments"].is_string());
    assert_eq!(
        download(&app, &alice, &olivias_draft.id).await,
        StatusCode::NOT_FOUND
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
    let app = TestApp::with_config(|config| {
        config.public_url = "https://help.example.com".to_owned();
        config.secure_cookies = true;
    })
    .await;
    assert!(
        lantern_server::seed::seed_demo(&app.state)
            .await
            .expect("demo seed")
    );
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
