//! Abuse of the API through the real router on a temporary SQLite file: oversized, deeply
//! nested, non-UTF-8 and mistyped bodies, SQL and HTML injection in every text field, path
//! traversal in upload names and 10,000-character queries. Each gets a clear 4xx in the one
//! error shape (or, for injection strings, is stored and returned as plain data), and a
//! refused submission stores nothing half-way.

use crate::common;

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::tickets::question_ticket;
use common::{
    DEMO_PASSWORD, MULTIPART_BOUNDARY, TestApp, TestResponse, files_under, multipart_upload,
};
use lantern_core::api::KbArticle;
use lantern_core::conversation::{TicketDetail, TicketPage, TimelineKind};
use lantern_core::ticket::{
    AttachmentUploaded, MAX_LONG_TEXT_LENGTH, TicketDraft, TicketStatus, TicketSummary,
};
use lantern_server::extract::MAX_JSON_DEPTH;
use serde_json::{Value, json};

const ALICE: &str = "alice@northwind.example";
/// Twice the API's JSON body limit.
const OVERSIZED_BYTES: usize = 2 * 1024 * 1024;
const NESTING_DEPTH: usize = 10_000;
const LONG_QUERY_CHARS: usize = 10_000;

/// Strings that break naive SQL, HTML, template or LIKE handling.
const INJECTIONS: [&str; 10] = [
    "'; DROP TABLE tickets; --",
    "\" OR \"1\"=\"1\" --",
    "1' UNION SELECT password_hash FROM users --",
    "%' OR '1'='1",
    "\\'; SELECT sqlite_version(); --",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "</textarea><svg onload=alert(1)>",
    "javascript:alert(1)//",
    "{{7*7}} ${7*7} <%= 7*7 %>",
];

/// The wizard's free-text fields: whatever is typed there is stored as it is.
const FREE_TEXT_FIELDS: [&str; 10] = [
    "subject",
    "description",
    "steps_to_reproduce",
    "expected_result",
    "actual_result",
    "operating_system",
    "computer_id",
    "username",
    "recent_changes",
    "integrations",
];

/// A seeded app with Alice signed in.
async fn signed_in() -> (TestApp, String) {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in(ALICE, DEMO_PASSWORD).await;
    (app, cookie)
}

async fn submit_body(
    app: &TestApp,
    cookie: &str,
    key: &str,
    content_type: &str,
    body: impl Into<Body>,
) -> TestResponse {
    app.send(Method::POST, "/api/v1/tickets")
        .cookie(cookie)
        .header("idempotency-key", key)
        .body(content_type, body)
        .await
}

async fn submit(app: &TestApp, cookie: &str, key: &str, draft: &Value) -> TestResponse {
    submit_body(app, cookie, key, "application/json", draft.to_string()).await
}

async fn file_ticket(app: &TestApp, cookie: &str, key: &str, draft: &Value) -> TicketSummary {
    let response = submit(app, cookie, key, draft).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json()
}

async fn reply(app: &TestApp, cookie: &str, number: &str, body: impl Into<Body>) -> TestResponse {
    app.send(Method::POST, &format!("/api/v1/tickets/{number}/replies"))
        .cookie(cookie)
        .body("application/json", body)
        .await
}

async fn upload(app: &TestApp, cookie: &str, file_name: &str) -> TestResponse {
    app.send(Method::POST, "/api/v1/attachments")
        .cookie(cookie)
        .body(
            &format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            multipart_upload("log", file_name, b"2025-03-03T08:59:59Z ERROR E1042\n"),
        )
        .await
}

async fn detail(app: &TestApp, cookie: &str, number: &str) -> TicketDetail {
    let response = app
        .get(&format!("/api/v1/tickets/{number}"))
        .cookie(cookie)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_json_data(&response);
    response.json()
}

async fn list(app: &TestApp, cookie: &str, query: &[(&str, &str)]) -> TestResponse {
    let query: String = query
        .iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    app.get(&format!("/api/v1/tickets?status=all&{query}"))
        .cookie(cookie)
        .await
}

/// Every byte outside the unreserved set percent-encoded, so any text fits in a query string.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// The response is JSON data that a browser will not sniff into HTML.
fn assert_json_data(response: &TestResponse) {
    assert!(
        response
            .header("content-type")
            .is_some_and(|value| value.starts_with("application/json")),
        "{:?}",
        response.headers
    );
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
}

/// `status` with `{"error": {"code", "message", "fields"?}}` and nothing else.
fn assert_error(response: &TestResponse, status: StatusCode, code: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    assert_json_data(response);
    let body = response.value();
    let top: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(top, ["error"], "{body}");
    let error = body["error"].as_object().expect("an error object");
    assert_eq!(error["code"], code, "{body}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|message| !message.trim().is_empty()),
        "{body}"
    );
    for (key, value) in error {
        match key.as_str() {
            "code" | "message" => {}
            "fields" => assert!(
                value
                    .as_object()
                    .is_some_and(|fields| fields.values().all(Value::is_string)),
                "{body}"
            ),
            other => panic!("unexpected key `{other}` in {body}"),
        }
    }
}

/// A 422 that names `field`.
fn assert_field_error(response: &TestResponse, field: &str) {
    assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(
        response.value()["error"]["fields"][field].is_string(),
        "{field}: {}",
        response.text()
    );
}

/// Rows of every table that filing a ticket, replying or uploading writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    tickets: i64,
    ticket_cc: i64,
    ticket_events: i64,
    attachments: i64,
    attached: i64,
    idempotency_keys: i64,
    outbox: i64,
}

async fn stored(app: &TestApp) -> Stored {
    let count = |sql: &'static str| app.value::<i64>(sql);
    Stored {
        tickets: count("SELECT COUNT(*) FROM tickets").await,
        ticket_cc: count("SELECT COUNT(*) FROM ticket_cc").await,
        ticket_events: count("SELECT COUNT(*) FROM ticket_events").await,
        attachments: count("SELECT COUNT(*) FROM attachments").await,
        attached: count("SELECT COUNT(*) FROM attachments WHERE ticket_id IS NOT NULL").await,
        idempotency_keys: count("SELECT COUNT(*) FROM idempotency_keys").await,
        outbox: count("SELECT COUNT(*) FROM outbox").await,
    }
}

#[tokio::test]
async fn oversized_bodies_are_413_and_store_nothing() {
    let (app, alice) = signed_in().await;
    let before = stored(&app).await;
    let mut huge = question_ticket("Restore one file");
    huge["description"] = json!("x".repeat(OVERSIZED_BYTES));
    let huge = huge.to_string();

    // With a `Content-Length` the size is refused up front; without one, while reading.
    let sized = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&alice)
        .header("idempotency-key", "huge")
        .header("content-length", &huge.len().to_string())
        .body("application/json", huge.clone())
        .await;
    assert_error(&sized, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let streamed = submit_body(&app, &alice, "huge", "application/json", huge).await;
    assert_error(
        &streamed,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    assert_eq!(stored(&app).await, before);

    // Under the body limit but over a field's limit: the wizard's rule names the field.
    let mut long = question_ticket("Restore one file");
    long["description"] = json!("x".repeat(MAX_LONG_TEXT_LENGTH + 1));
    assert_field_error(&submit(&app, &alice, "huge", &long).await, "description");
    assert_eq!(stored(&app).await, before);

    // None of the refusals claimed the key: the corrected submission gets its ticket.
    file_ticket(&app, &alice, "huge", &question_ticket("Restore one file")).await;

    let ticket = file_ticket(
        &app,
        &alice,
        "for-replies",
        &question_ticket("Restore one file"),
    )
    .await;
    let before = stored(&app).await;
    let body = json!({ "body": "y".repeat(OVERSIZED_BYTES), "attachments": [] }).to_string();
    let too_big = reply(&app, &alice, &ticket.number, body).await;
    assert_error(&too_big, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_eq!(stored(&app).await, before);
}

/// `[[[...]]]` nested `depth` levels deep.
fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// `{"a":{"a":...{}}}` nested `depth` levels deep.
fn nested_objects(depth: usize) -> String {
    format!("{}{{}}{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_a_crash() {
    let (app, alice) = signed_in().await;
    let before = stored(&app).await;
    let deep_in_unknown_field = question_ticket("Restore one file").to_string().replacen(
        '{',
        &format!("{{\"extra\":{},", nested_objects(NESTING_DEPTH)),
        1,
    );
    let deep_in_subject = question_ticket("Restore one file").to_string().replacen(
        "\"subject\":\"Restore one file\"",
        &format!("\"subject\":{}", nested_arrays(NESTING_DEPTH)),
        1,
    );
    // Refused for its depth before anything else is looked at (serde_json alone would skip a
    // deep unknown field, and stops at 128 levels elsewhere): never a stack overflow.
    let cases = [
        nested_objects(NESTING_DEPTH),
        nested_arrays(NESTING_DEPTH),
        deep_in_unknown_field,
        deep_in_subject,
        nested_objects(MAX_JSON_DEPTH + 1),
    ];
    for body in cases {
        let response = submit_body(&app, &alice, "deep", "application/json", body).await;
        assert_error(&response, StatusCode::BAD_REQUEST, "bad_request");
    }
    assert_eq!(stored(&app).await, before);

    let ticket = file_ticket(&app, &alice, "deep", &question_ticket("Restore one file")).await;
    let deep_reply = reply(&app, &alice, &ticket.number, nested_objects(NESTING_DEPTH)).await;
    assert_error(&deep_reply, StatusCode::BAD_REQUEST, "bad_request");
    let deep_sign_in = app
        .send(Method::POST, "/api/v1/session")
        .body("application/json", nested_arrays(NESTING_DEPTH))
        .await;
    assert_error(&deep_sign_in, StatusCode::BAD_REQUEST, "bad_request");
}

/// `text` with its first `marker` replaced by raw bytes that are not UTF-8.
fn with_invalid_utf8(text: &str, marker: &str) -> Vec<u8> {
    let (before, after) = text.split_once(marker).expect("the marker");
    [before.as_bytes(), b"\xff\xfe\xc3(", after.as_bytes()].concat()
}

#[tokio::test]
async fn bodies_that_are_not_utf8_are_400() {
    let (app, alice) = signed_in().await;
    let before = stored(&app).await;
    let draft = question_ticket("Restore one file").to_string();
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(draft.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for body in [with_invalid_utf8(&draft, "Restore one file"), utf16] {
        let response = submit_body(&app, &alice, "latin", "application/json", body).await;
        assert_error(&response, StatusCode::BAD_REQUEST, "bad_request");
    }
    let key_not_utf8 = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&alice)
        .header_bytes("idempotency-key", b"key-\xff\xfe")
        .json(&question_ticket("Restore one file"))
        .await;
    assert_error(&key_not_utf8, StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(stored(&app).await, before);

    let ticket = file_ticket(&app, &alice, "latin", &question_ticket("Restore one file")).await;
    let before = stored(&app).await;
    let body = json!({ "body": "Still failing", "attachments": [] }).to_string();
    let response = reply(
        &app,
        &alice,
        &ticket.number,
        with_invalid_utf8(&body, "failing"),
    )
    .await;
    assert_error(&response, StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(stored(&app).await, before);
}

/// A draft whose every free-text field holds `text` (the description padded to its minimum).
fn draft_with_text_everywhere(text: &str) -> Value {
    let mut draft = question_ticket("Restore one file");
    for field in FREE_TEXT_FIELDS {
        draft[field] = json!(text);
    }
    draft["description"] = json!(format!("Reproduce with: {text}"));
    draft["contact"]["name"] = json!(text);
    draft
}

#[tokio::test]
async fn injection_strings_in_text_fields_are_stored_and_returned_verbatim() {
    let (app, alice) = signed_in().await;
    for (index, injection) in INJECTIONS.iter().enumerate() {
        let draft = draft_with_text_everywhere(injection);
        let ticket = file_ticket(&app, &alice, &format!("injection-{index}"), &draft).await;
        assert_eq!(ticket.subject, *injection);
        let expected: TicketDraft = serde_json::from_value(draft).expect("a draft");
        let shown = detail(&app, &alice, &ticket.number).await;
        assert_eq!(shown.submitted, expected, "{injection}");
        assert_eq!(shown.ticket.subject, *injection);

        let response = reply(
            &app,
            &alice,
            &ticket.number,
            json!({ "body": injection, "attachments": [] }).to_string(),
        )
        .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_json_data(&response);
        let replied: TicketDetail = response.json();
        let last = &replied.timeline.last().expect("the reply").kind;
        assert!(
            matches!(last, TimelineKind::CustomerReply { body, .. } if body == injection),
            "{last:?}"
        );
    }
    assert_eq!(
        stored(&app).await.tickets,
        INJECTIONS.len() as i64,
        "no table was dropped"
    );

    // Searching for an injection string finds exactly its ticket, never every ticket; LIKE's
    // wildcards are plain characters.
    for injection in INJECTIONS.iter().copied().chain(["%", "_"]) {
        let response = list(&app, &alice, &[("q", injection)]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let page: TicketPage = response.json();
        let mut subjects: Vec<&str> = page
            .items
            .iter()
            .map(|item| item.subject.as_str())
            .collect();
        subjects.sort_unstable();
        let mut containing: Vec<&str> = INJECTIONS
            .iter()
            .copied()
            .filter(|subject| subject.contains(injection))
            .collect();
        containing.sort_unstable();
        assert_eq!(subjects, containing, "q={injection}");
    }
}

#[tokio::test]
async fn an_email_shaped_injection_is_kept_as_the_contact_address() {
    let (app, alice) = signed_in().await;
    let address = "robert');drop_table--<svg/onload=alert(1)>@northwind.example";
    let mut draft = question_ticket("Restore one file");
    draft["contact"]["email"] = json!(address);
    let ticket = file_ticket(&app, &alice, "email", &draft).await;
    let shown = detail(&app, &alice, &ticket.number).await;
    assert_eq!(shown.submitted.contact.email, address);
    let mails: i64 = app
        .value("SELECT COUNT(*) FROM outbox WHERE recipient LIKE '%drop_table%'")
        .await;
    assert_eq!(mails, 0, "a typed-in contact address gets no mail");
}

/// The fields whose values the policy or the server chooses, with the error key of each.
const CHOICE_FIELDS: [(&str, &str); 9] = [
    ("/product", "product"),
    ("/component", "component"),
    ("/version", "version"),
    ("/case_type", "case_type"),
    ("/severity", "severity"),
    ("/contact/preferred_channel", "contact.preferred_channel"),
    ("/contact/phone", "contact.phone"),
    ("/contact/email", "contact.email"),
    ("/cc/0", "cc"),
];

#[tokio::test]
async fn injection_strings_in_choice_fields_are_refused_and_store_nothing() {
    let (app, alice) = signed_in().await;
    let uploaded: AttachmentUploaded = upload(&app, &alice, "agent.log").await.json();
    let mut base = question_ticket("Restore one file");
    base["attachments"] = json!([uploaded]);
    base["cc"] = json!(["olivia@northwind.example"]);
    let before = stored(&app).await;
    for injection in INJECTIONS {
        for (pointer, field) in CHOICE_FIELDS {
            let mut draft = base.clone();
            *draft.pointer_mut(pointer).expect("the field") = json!(injection);
            let response = submit(&app, &alice, "choice", &draft).await;
            assert_field_error(&response, field);
        }
        let mut draft = base.clone();
        draft["attachments"][0]["id"] = json!(injection);
        // None of her uploads: not found, as a colleague's upload id would not be.
        let response = submit(&app, &alice, "choice", &draft).await;
        assert_error(&response, StatusCode::NOT_FOUND, "not_found");
    }
    assert_eq!(stored(&app).await, before, "nothing stored half-way");

    // The key was never claimed and the upload is still free: the corrected draft files.
    let ticket = file_ticket(&app, &alice, "choice", &base).await;
    let shown = detail(&app, &alice, &ticket.number).await;
    assert_eq!(shown.submitted.attachments.len(), 1);
    assert_eq!(stored(&app).await.attached, 1);
}

#[tokio::test]
async fn upload_names_never_leave_the_attachment_folder() {
    let (app, alice) = signed_in().await;
    let accepted = [
        ("../../etc/passwd.log", "passwd.log"),
        ("..\\..\\windows\\win.txt", "win.txt"),
        ("/etc/cron.d/evil.log", "evil.log"),
        (
            "C:\\Windows\\System32\\drivers\\etc\\hosts.txt",
            "hosts.txt",
        ),
        ("....//....//deep.log", "deep.log"),
        ("%2e%2e%2fencoded.log", "%2e%2e%2fencoded.log"),
        (".hidden.log", "hidden.log"),
    ];
    for (sent, kept) in accepted {
        let response = upload(&app, &alice, sent).await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{sent:?}: {}",
            response.text()
        );
        assert_eq!(response.json::<AttachmentUploaded>().name, kept, "{sent:?}");
    }
    let refused = [
        (
            "../../etc/passwd",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "..\\..\\boot.ini",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        ("/", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        ("..", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        // A NUL byte is not allowed in a part's headers at all.
        ("nul\0byte.log", StatusCode::BAD_REQUEST, "bad_request"),
    ];
    for (sent, status, code) in refused {
        let response = upload(&app, &alice, sent).await;
        assert_error(&response, status, code);
    }

    // The ids are random, so the rows are compared in one order.
    let mut stored_names: Vec<String> = app.column("SELECT name FROM attachments").await;
    stored_names.sort();
    let mut kept: Vec<&str> = accepted.iter().map(|(_, kept)| *kept).collect();
    kept.sort_unstable();
    assert_eq!(stored_names, kept);
    // Content-addressed: the one content is stored once, nothing anywhere else.
    let stored = app.stored_contents().await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let attachment_dir = app.state.config.attachments.dir.clone();
    let elsewhere: Vec<PathBuf> = files_under(app.dir.path())
        .into_iter()
        .filter(|path| !path.starts_with(attachment_dir.join("sha256")))
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            !name.starts_with("lantern.db") && !name.ends_with(".db") && !name.contains(".db-")
        })
        .collect();
    assert!(
        elsewhere.is_empty(),
        "written outside the store: {elsewhere:?}"
    );
}

#[tokio::test]
async fn ten_thousand_character_queries_get_a_field_error() {
    let (app, alice) = signed_in().await;
    file_ticket(&app, &alice, "one", &question_ticket("Restore one file")).await;
    for long in ["a".repeat(LONG_QUERY_CHARS), "é".repeat(LONG_QUERY_CHARS)] {
        let kb = app
            .get(&format!("/api/v1/kb/search?q={}", percent_encode(&long)))
            .await;
        assert_field_error(&kb, "q");
        assert_field_error(&list(&app, &alice, &[("q", &long)]).await, "q");
    }
    // The same limit as the knowledge-base search: 200 characters still search.
    let at_limit = list(&app, &alice, &[("q", &"é".repeat(200))]).await;
    assert_eq!(at_limit.status, StatusCode::OK, "{}", at_limit.text());
    assert!(at_limit.json::<TicketPage>().items.is_empty());
    let cursor = list(&app, &alice, &[("cursor", &"f".repeat(LONG_QUERY_CHARS))]).await;
    assert_error(&cursor, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_cannot_set_what_the_server_decides() {
    let (app, alice) = signed_in().await;
    let mut draft = question_ticket("Restore one file");
    for (field, value) in [
        ("number", json!("LAN-999999")),
        ("id", json!(999_999)),
        ("status", json!("closed")),
        ("organisation_id", json!(2)),
        ("requester_id", json!(1)),
        ("created_at", json!("2000-01-01T00:00:00Z")),
        ("response_due_at", json!(null)),
        ("support_level", json!("l3")),
    ] {
        draft[field] = value;
    }
    let ticket = file_ticket(&app, &alice, "mass-assignment", &draft).await;
    assert_ne!(ticket.number, "LAN-999999");
    assert_eq!(ticket.status, TicketStatus::New);
    assert_eq!(ticket.created_at, common::start_instant());
    assert!(ticket.response_due_at.is_some());
    let shown = detail(&app, &alice, &ticket.number).await;
    assert_eq!(shown.support_level, "l1");
    assert_eq!(shown.ticket.requester_name, "Alice Andersen");

    let response = reply(
        &app,
        &alice,
        &ticket.number,
        json!({ "body": "Any news?", "attachments": [], "internal": true, "author_name": "Support" })
            .to_string(),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let replied: TicketDetail = response.json();
    let last = &replied.timeline.last().expect("the reply").kind;
    assert!(
        matches!(last, TimelineKind::CustomerReply { author_name, .. } if author_name == "Alice Andersen"),
        "a customer reply stays one: {last:?}"
    );
}

#[tokio::test]
async fn wrong_content_types_are_415_and_store_nothing() {
    let (app, alice) = signed_in().await;
    let before = stored(&app).await;
    let json_text = question_ticket("Restore one file").to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
    ] {
        let response = submit_body(&app, &alice, "typed", content_type, json_text.clone()).await;
        assert_error(
            &response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        );
    }
    let untyped = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&alice)
        .header("idempotency-key", "typed")
        .body_without_type(json_text.clone())
        .await;
    assert_error(
        &untyped,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    let json_upload = app
        .send(Method::POST, "/api/v1/attachments")
        .cookie(&alice)
        .json(&json!({ "file": "agent.log" }))
        .await;
    assert_error(&json_upload, StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(stored(&app).await, before);

    let with_charset = submit_body(
        &app,
        &alice,
        "typed",
        "application/json; charset=utf-8",
        json_text,
    )
    .await;
    assert_eq!(
        with_charset.status,
        StatusCode::CREATED,
        "{}",
        with_charset.text()
    );
}

/// An article whose Markdown tries every common way to run script in the reader's browser.
const HOSTILE_ARTICLE: &str = r#"---
title: <script>alert(1)</script> Restore safely
summary: <img src=x onerror=alert(1)>
category: Backup & restore
products: [harbor-backup]
tags: [restore]
updated: 2026-03-01
---
## Restore <script>alert(2)</script>

[click](javascript:alert(3)) <javascript:alert(4)> [data](data:text/html;base64,PHNjcmlwdD4=)

<a href="JaVaScRiPt:alert(5)">mixed case</a> <a href="&#106;avascript:alert(6)">entity</a>
<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="x">
<svg onload=alert(7)><circle r=1 /></svg>
<div style="background:url(javascript:alert(8))" onclick="alert(9)">styled</div>
<form action="https://evil.example"><input name=password></form>
<math><mtext><table><mglyph><style><img src=x onerror=alert(10)></style></mglyph></table></mtext></math>
<img src="x" onerror="alert(11)"> <img src="data:image/svg+xml,<svg onload=alert(12)>">
<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">
"#;

/// Tags of serialised HTML (`<name attribute="value" ...>`) with their attributes.
fn tags_of(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    html.split('<')
        .skip(1)
        .filter_map(|piece| piece.split_once('>').map(|(tag, _)| tag))
        .filter(|tag| !tag.starts_with('/') && !tag.starts_with('!'))
        .map(|tag| {
            let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
            let mut attributes = Vec::new();
            while let Some((attribute, after)) = rest.trim_start().split_once("=\"") {
                let (value, after) = after.split_once('"').unwrap_or((after, ""));
                attributes.push((attribute.trim().to_lowercase(), value.to_lowercase()));
                rest = after;
            }
            (name.trim_end_matches('/').to_lowercase(), attributes)
        })
        .collect()
}

#[tokio::test]
async fn knowledge_base_html_is_sanitised_and_titles_stay_text() {
    let app = TestApp::seeded().await;
    let content = app.dir.path().join("kb");
    std::fs::create_dir_all(&content).expect("a content dir");
    std::fs::write(content.join("hostile.md"), HOSTILE_ARTICLE).expect("an article file");
    app.import_kb(&content).await;
    let response = app.get("/api/v1/kb/articles/hostile").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_json_data(&response);
    let article: KbArticle = response.json();
    assert_eq!(article.title, "<script>alert(1)</script> Restore safely");

    let html = &article.body_html;
    let tags = tags_of(html);
    assert!(
        tags.iter().any(|(name, _)| name == "a"),
        "links survive: {html}"
    );
    for (name, attributes) in &tags {
        assert!(
            ![
                "script", "iframe", "object", "embed", "svg", "math", "style", "form", "input",
                "base", "meta", "link",
            ]
            .contains(&name.as_str()),
            "<{name}> in {html}"
        );
        for (attribute, value) in attributes {
            assert!(
                !attribute.starts_with("on") && attribute != "style",
                "{attribute} in {html}"
            );
            let scheme_ok = !["javascript:", "data:", "vbscript:"]
                .iter()
                .any(|scheme| value.trim_start().starts_with(scheme));
            assert!(scheme_ok, "{attribute}=\"{value}\" in {html}");
        }
    }
}
