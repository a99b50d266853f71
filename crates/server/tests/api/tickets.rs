//! The new-ticket API (tickets, attachments, deflections, CC contacts) through the real router
//! on a temporary SQLite file.

use crate::common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use common::{
    DEMO_PASSWORD, MULTIPART_BOUNDARY, TestApp, TestResponse, files_under, multipart_upload,
    start_instant,
};
use lantern_core::policy::TicketField;
use lantern_core::ticket::{
    AttachmentKind, AttachmentRef, AttachmentUploaded, MIN_SUBJECT_LENGTH, OrganisationContact,
    TicketContact, TicketDraft, TicketStatus, TicketSummary, error_key,
};
use lantern_server::db;
use serde_json::{Value, json};

const ALICE: &str = "alice@northwind.example";
const OLIVIA: &str = "olivia@northwind.example";
const CARL: &str = "carl@contoso.example";

/// A draft that every case type of the default policy accepts, given uploaded files.
fn complete_draft(case_type: &str, attachments: Vec<AttachmentRef>) -> TicketDraft {
    TicketDraft {
        product: "harbor-backup".into(),
        component: "agent".into(),
        version: "8.2.1".into(),
        case_type: case_type.into(),
        subject: "Nightly backup fails".into(),
        description: "Since Monday the nightly backup of the file server stops at 40 %.".into(),
        steps_to_reproduce: "Start a backup of the file server.".into(),
        expected_result: "The backup finishes.".into(),
        actual_result: "Error E1042 at 40 %.".into(),
        severity: "emergency".into(),
        operating_system: "Windows Server 2022".into(),
        computer_id: "0f3c".into(),
        username: "alice".into(),
        recent_changes: "Upgraded to 8.2.1 last week.".into(),
        integrations: "none".into(),
        attachments,
        contact: TicketContact {
            name: "Alice Andersen".into(),
            email: ALICE.into(),
            phone: "+44 20 7946 0142".into(),
            preferred_channel: "email".into(),
        },
        cc: vec![OLIVIA.into()],
    }
}

fn to_json(draft: &TicketDraft) -> Value {
    serde_json::to_value(draft).expect("a draft serialises")
}

async fn submit(app: &TestApp, cookie: &str, key: &str, draft: &TicketDraft) -> TestResponse {
    app.send(Method::POST, "/api/v1/tickets")
        .cookie(cookie)
        .header("idempotency-key", key)
        .json(&to_json(draft))
        .await
}

async fn upload_raw(
    app: &TestApp,
    cookie: &str,
    kind: &str,
    file_name: &str,
    content: &[u8],
) -> TestResponse {
    app.send(Method::POST, "/api/v1/attachments")
        .cookie(cookie)
        .body(
            &format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            multipart_upload(kind, file_name, content),
        )
        .await
}

async fn upload(
    app: &TestApp,
    cookie: &str,
    kind: AttachmentKind,
    file_name: &str,
) -> AttachmentRef {
    let content = format!("2025-03-03T08:59:59Z ERROR E1042 in {file_name}\n");
    let response = upload_raw(app, cookie, kind.as_str(), file_name, content.as_bytes()).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json::<AttachmentUploaded>().into()
}

/// A log and a screenshot uploaded by the signed-in person.
async fn log_and_screenshot(app: &TestApp, cookie: &str) -> Vec<AttachmentRef> {
    vec![
        upload(app, cookie, AttachmentKind::Log, "agent.log").await,
        upload(app, cookie, AttachmentKind::Screenshot, "error.png").await,
    ]
}

async fn ticket_count(app: &TestApp, email: &str) -> i64 {
    let user = db::accounts::user_by_email(&app.state.database, email)
        .await
        .expect("the database answers")
        .expect("a demo account");
    db::tickets::count_for_organisation(&app.state.database, user.organisation_id)
        .await
        .expect("the database answers")
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("an instant")
}

#[tokio::test]
async fn a_complete_ticket_gets_a_number_a_response_target_and_an_acknowledgement() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let files = log_and_screenshot(&app, &alice).await;
    let response = submit(
        &app,
        &alice,
        "key-1",
        &complete_draft("product_error", files),
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let ticket: TicketSummary = response.json();
    assert!(
        ticket.number.starts_with("LAN-") && ticket.number.len() == 10,
        "{}",
        ticket.number
    );
    assert_eq!(ticket.status, TicketStatus::New);
    assert_eq!(ticket.created_at, start_instant());
    // Northwind has the Enterprise plan: Emergency down is answered within 1 h, around the clock.
    assert_eq!(
        ticket.response_due_at,
        Some(start_instant() + Duration::hours(1))
    );

    let mails = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap();
    let mail = mails.last().expect("an acknowledgement");
    assert!(mail.subject.contains(&ticket.number), "{}", mail.subject);
    assert!(mail.body.contains(&ticket.number), "{}", mail.body);
    assert!(mail.body.contains("Emergency down"), "{}", mail.body);
    assert!(mail.body.contains("10:00"), "{}", mail.body);
    let copies = db::outbox::to_recipient(&app.state.database, OLIVIA)
        .await
        .unwrap();
    assert_eq!(copies.len(), 1, "the CC gets a copy");
}

#[tokio::test]
async fn acknowledgements_go_once_to_accounts_of_the_organisation_only() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let mut draft = complete_draft("question", Vec::new());
    draft.contact.email = "someone@elsewhere.example".into();
    draft.cc = vec![ALICE.into(), OLIVIA.into(), OLIVIA.to_uppercase()];
    let response = submit(&app, &alice, "key-1", &draft).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    for (recipient, count) in [(ALICE, 1), (OLIVIA, 1), ("someone@elsewhere.example", 0)] {
        let mails = db::outbox::to_recipient(&app.state.database, recipient)
            .await
            .unwrap();
        assert_eq!(mails.len(), count, "{recipient}");
    }
}

#[tokio::test]
async fn a_business_hours_plan_counts_only_support_hours() {
    let app = TestApp::seeded().await;
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    let mut draft = complete_draft("question", Vec::new());
    draft.severity = "critical".into();
    draft.contact.email = CARL.into();
    draft.cc.clear();
    let response = submit(&app, &carl, "key-1", &draft).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    // Contoso is on Professional (Amsterdam office hours); Monday 10:00 CET + 4 h = 14:00 CET.
    assert_eq!(
        response.json::<TicketSummary>().response_due_at,
        Some(utc("2025-03-03T13:00:00Z"))
    );
}

#[tokio::test]
async fn each_missing_required_field_of_each_case_type_gets_its_own_error() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let files = log_and_screenshot(&app, &alice).await;
    let policy = app.state.policy.clone();
    let mut checked = 0;
    for case_type in policy.case_types.iter() {
        for field in &case_type.required {
            let mut draft = complete_draft(&case_type.id, files.clone());
            leave_empty(&mut draft, *field);
            let response =
                submit(&app, &alice, &format!("{}-{field:?}", case_type.id), &draft).await;
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                response.text()
            );
            assert_eq!(response.error_code(), "validation_failed");
            let fields = response.value()["error"]["fields"].clone();
            let keys: Vec<&String> = fields.as_object().expect("fields").keys().collect();
            assert_eq!(
                keys,
                vec![error_key(*field)],
                "{} without {field:?}",
                case_type.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 10);
    assert_eq!(ticket_count(&app, ALICE).await, 0, "nothing was stored");
}

fn leave_empty(draft: &mut TicketDraft, field: TicketField) {
    match field {
        TicketField::Version => draft.version.clear(),
        TicketField::OperatingSystem => draft.operating_system.clear(),
        TicketField::StepsToReproduce => draft.steps_to_reproduce.clear(),
        TicketField::ExpectedResult => draft.expected_result.clear(),
        TicketField::ActualResult => draft.actual_result.clear(),
        TicketField::RecentChanges => draft.recent_changes.clear(),
        TicketField::Integrations => draft.integrations.clear(),
        TicketField::ComputerId => draft.computer_id.clear(),
        TicketField::Username => draft.username.clear(),
        TicketField::Component => draft.component.clear(),
        TicketField::ContactPhone => draft.contact.phone.clear(),
        TicketField::Logs => draft
            .attachments
            .retain(|file| file.kind != AttachmentKind::Log),
        TicketField::Screenshots => draft
            .attachments
            .retain(|file| file.kind != AttachmentKind::Screenshot),
        other => panic!("the test does not know how to leave {other:?} empty"),
    }
}

#[tokio::test]
async fn tampered_requests_are_refused_and_store_nothing() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    let carls_file = upload(&app, &carl, AttachmentKind::Log, "contoso.log").await;
    let cases: Vec<(&str, TicketDraft)> = vec![
        ("product", {
            let mut draft = complete_draft("question", Vec::new());
            draft.product = "rocket-launcher".into();
            draft
        }),
        ("severity", {
            let mut draft = complete_draft("question", Vec::new());
            draft.severity = "apocalyptic".into();
            draft
        }),
        ("cc", {
            let mut draft = complete_draft("question", Vec::new());
            draft.cc = vec![CARL.into()];
            draft
        }),
    ];
    for (key, draft) in cases {
        let response = submit(&app, &alice, &format!("tampered-{key}"), &draft).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{key}: {}",
            response.text()
        );
        let message = response.value()["error"]["fields"][key].clone();
        assert!(message.is_string(), "{key}: {}", response.text());
    }
    // Someone else's upload is not found, as a made-up id would not be.
    let draft = complete_draft("question", vec![carls_file]);
    let response = submit(&app, &alice, "tampered-attachments", &draft).await;
    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "{}",
        response.text()
    );
    assert_eq!(ticket_count(&app, ALICE).await, 0);
    assert!(
        db::outbox::to_recipient(&app.state.database, ALICE)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_subject_of_one_character_is_a_field_error_and_stores_nothing() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let mut draft = complete_draft("question", Vec::new());
    draft.subject = "x".into();
    let response = submit(&app, &alice, "one-character-subject", &draft).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "validation_failed");
    let fields = response.value()["error"]["fields"].clone();
    let keys: Vec<&String> = fields.as_object().expect("fields").keys().collect();
    assert_eq!(keys, vec!["subject"], "{}", response.text());
    assert!(
        fields["subject"]
            .as_str()
            .is_some_and(|message| message.contains(&MIN_SUBJECT_LENGTH.to_string())),
        "{}",
        response.text()
    );
    assert_eq!(ticket_count(&app, ALICE).await, 0);

    draft.subject = "Restore!".into();
    assert_eq!(draft.subject.chars().count(), MIN_SUBJECT_LENGTH);
    let response = submit(&app, &alice, "shortest-subject", &draft).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}

#[tokio::test]
async fn the_server_trusts_its_own_record_of_an_attachments_kind() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let mut other = upload(&app, &alice, AttachmentKind::Other, "notes.txt").await;
    other.kind = AttachmentKind::Log; // claimed, not true
    let response = submit(
        &app,
        &alice,
        "k",
        &complete_draft("performance", vec![other]),
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.value()["error"]["fields"]["logs"].is_string(),
        "{}",
        response.text()
    );
}

#[tokio::test]
async fn the_same_idempotency_key_gives_one_ticket() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let draft = complete_draft("question", Vec::new());
    let first = submit(&app, &alice, "double-click", &draft).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    app.clock.advance(Duration::seconds(5));
    let retry = submit(&app, &alice, "double-click", &draft).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text());
    assert_eq!(retry.json::<TicketSummary>(), first.json::<TicketSummary>());
    assert_eq!(ticket_count(&app, ALICE).await, 1);
    assert_eq!(
        db::outbox::to_recipient(&app.state.database, ALICE)
            .await
            .unwrap()
            .len(),
        1
    );

    let mut changed = draft.clone();
    changed.subject = "Something else".into();
    let conflict = submit(&app, &alice, "double-click", &changed).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(conflict.error_code(), "idempotency_conflict");

    let another = submit(&app, &alice, "second-ticket", &changed).await;
    assert_eq!(another.status, StatusCode::CREATED);
    assert_ne!(
        another.json::<TicketSummary>().number,
        first.json::<TicketSummary>().number
    );
}

#[tokio::test]
async fn concurrent_submissions_with_one_key_create_one_ticket() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let draft = complete_draft("question", Vec::new());
    let (a, b, c) = tokio::join!(
        submit(&app, &alice, "racing", &draft),
        submit(&app, &alice, "racing", &draft),
        submit(&app, &alice, "racing", &draft),
    );
    let mut statuses = vec![a.status, b.status, c.status];
    statuses.sort();
    assert_eq!(
        statuses,
        vec![StatusCode::OK, StatusCode::OK, StatusCode::CREATED],
        "{} {} {}",
        a.text(),
        b.text(),
        c.text()
    );
    let number = a.json::<TicketSummary>().number;
    assert_eq!(b.json::<TicketSummary>().number, number);
    assert_eq!(c.json::<TicketSummary>().number, number);
    assert_eq!(ticket_count(&app, ALICE).await, 1);
}

#[tokio::test]
async fn a_submission_needs_an_idempotency_key_and_a_session() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let draft = to_json(&complete_draft("question", Vec::new()));
    let response = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&alice)
        .json(&draft)
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.text().contains("Idempotency-Key"),
        "{}",
        response.text()
    );
    let anonymous = app
        .send(Method::POST, "/api/v1/tickets")
        .header("idempotency-key", "k")
        .json(&draft)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn attachment_rows(app: &TestApp) -> i64 {
    app.value("SELECT COUNT(*) FROM attachments").await
}

#[tokio::test]
async fn an_oversized_upload_gets_413_and_leaves_nothing_behind() {
    let app = TestApp::seeded_with_config(|config| config.attachments.max_bytes = 1024).await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let response = upload_raw(&app, &alice, "log", "big.log", &[b'x'; 4096]).await;
    assert_eq!(
        response.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "payload_too_large");
    assert!(files_under(&app.state.config.attachments.dir).is_empty());
    assert!(app.stored_contents().await.is_empty());
    assert_eq!(attachment_rows(&app).await, 0);

    let fits = upload_raw(&app, &alice, "log", "small.log", &[b'x'; 1024]).await;
    assert_eq!(fits.status, StatusCode::CREATED, "{}", fits.text());
}

#[tokio::test]
async fn uploads_larger_than_the_json_limit_are_accepted() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let content = vec![b'l'; 3 * 1024 * 1024];
    let response = upload_raw(&app, &alice, "log", "server.log", &content).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(
        response.json::<AttachmentUploaded>().size,
        content.len() as u64
    );
}

#[tokio::test]
async fn files_of_types_not_allowed_are_refused() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let response = upload_raw(&app, &alice, "other", "setup.exe", b"MZ").await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(response.text().contains(".log"), "{}", response.text());
    let no_kind = upload_raw(&app, &alice, "virus", "a.log", b"x").await;
    assert_eq!(no_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(attachment_rows(&app).await, 0);
}

#[tokio::test]
async fn uploads_are_stored_by_content_and_named_safely() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let response = upload_raw(&app, &alice, "log", "../../etc/agent.log", b"same").await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let uploaded: AttachmentUploaded = response.json();
    assert_eq!(uploaded.name, "agent.log");
    assert_eq!(uploaded.content_type, "text/plain");
    let again = upload_raw(&app, &alice, "log", "copy.log", b"same").await;
    assert_eq!(again.status, StatusCode::CREATED);
    let stored = app.stored_contents().await;
    assert_eq!(stored.len(), 1, "one copy of the content: {stored:?}");
}

#[tokio::test]
async fn downloads_are_for_the_uploader_only_until_filed_and_always_downloads() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    let response = upload_raw(&app, &alice, "log", "résumé.log", b"<html>hello</html>").await;
    let uploaded: AttachmentUploaded = response.json();
    let path = format!("/api/v1/attachments/{}", uploaded.id);

    let stranger = app.get(&path).cookie(&carl).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);

    let colleague = app.get(&path).cookie(&olivia).await;
    assert_eq!(
        colleague.status,
        StatusCode::NOT_FOUND,
        "not on a ticket yet"
    );

    let own = app.get(&path).cookie(&alice).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.text(), "<html>hello</html>");
    assert_eq!(own.header("content-type"), Some("application/octet-stream"));
    assert_eq!(own.header("x-content-type-options"), Some("nosniff"));
    let disposition = own.header("content-disposition").unwrap_or_default();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''r%C3%A9sum%C3%A9.log"),
        "{disposition}"
    );

    let png = upload(&app, &alice, AttachmentKind::Screenshot, "error.png").await;
    let image = app
        .get(&format!("/api/v1/attachments/{}", png.id))
        .cookie(&alice)
        .await;
    assert_eq!(image.header("content-type"), Some("image/png"));
    assert!(
        image
            .header("content-disposition")
            .unwrap_or_default()
            .starts_with("attachment;")
    );
}

#[tokio::test]
async fn a_download_whose_content_was_just_removed_is_not_found() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let file = upload(&app, &alice, AttachmentKind::Log, "agent.log").await;
    // What a download sees when a removal deletes the content between its two reads.
    for sha256 in app.stored_contents().await {
        app.state
            .attachment_store
            .remove(&sha256)
            .await
            .expect("the stored content is removed");
    }
    let response = app
        .get(&format!("/api/v1/attachments/{}", file.id))
        .cookie(&alice)
        .await;
    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "not_found");
}

#[tokio::test]
async fn stored_content_no_upload_refers_to_is_removed_once_past_the_grace_period() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let kept = upload(&app, &alice, AttachmentKind::Log, "kept.log").await;
    // What a kill between an upload's storing of its content and its commit leaves.
    let stray = app.dir.path().join("stray.part");
    std::fs::write(&stray, b"left behind").expect("a stray file");
    let stray_sha256 = format!("ff{}", "0".repeat(62));
    app.state
        .attachment_store
        .put_file(&stray_sha256, &stray)
        .await
        .expect("stray content in the store");
    assert_eq!(app.stored_contents().await.len(), 2);

    let default_grace = app.state.config.attachments.garbage_grace;
    assert_eq!(
        app.collect_garbage(default_grace).await,
        0,
        "young content may be an upload about to commit"
    );
    assert_eq!(app.collect_garbage(chrono::Duration::zero()).await, 1);
    let stored = app.stored_contents().await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_ne!(stored[0], stray_sha256);
    let download = app
        .get(&format!("/api/v1/attachments/{}", kept.id))
        .cookie(&alice)
        .await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.text());

    // Content let go and stored again by a new upload is the new upload's.
    let removed = app
        .send(Method::DELETE, &format!("/api/v1/attachments/{}", kept.id))
        .cookie(&alice)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let again = upload(&app, &alice, AttachmentKind::Log, "kept.log").await;
    assert_eq!(app.collect_garbage(chrono::Duration::zero()).await, 0);
    let download = app
        .get(&format!("/api/v1/attachments/{}", again.id))
        .cookie(&alice)
        .await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.text());
}

#[tokio::test]
async fn own_unattached_uploads_can_be_removed() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let file = upload(&app, &alice, AttachmentKind::Log, "agent.log").await;
    let path = format!("/api/v1/attachments/{}", file.id);
    let not_hers = app.send(Method::DELETE, &path).cookie(&olivia).await;
    assert_eq!(not_hers.status, StatusCode::NOT_FOUND);
    let removed = app.send(Method::DELETE, &path).cookie(&alice).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let gone = app.get(&path).cookie(&alice).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.stored_contents().await.len(),
        1,
        "the content waits for the garbage collection"
    );
    assert_eq!(app.collect_garbage(chrono::Duration::zero()).await, 1);
    assert!(app.stored_contents().await.is_empty());

    // Two uploads of the same content share it: it goes with the last of them.
    let first = upload(&app, &alice, AttachmentKind::Log, "twice.log").await;
    let second = upload(&app, &alice, AttachmentKind::Log, "twice.log").await;
    let first_path = format!("/api/v1/attachments/{}", first.id);
    let second_path = format!("/api/v1/attachments/{}", second.id);
    let removed = app.send(Method::DELETE, &first_path).cookie(&alice).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let download = app.get(&second_path).cookie(&alice).await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.text());
    assert_eq!(
        app.collect_garbage(chrono::Duration::zero()).await,
        0,
        "the second upload still uses the content"
    );
    let download = app.get(&second_path).cookie(&alice).await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.text());
    let removed = app.send(Method::DELETE, &second_path).cookie(&alice).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(app.collect_garbage(chrono::Duration::zero()).await, 1);
    assert!(app.stored_contents().await.is_empty());

    let kept = upload(&app, &alice, AttachmentKind::Log, "kept.log").await;
    let ticket = submit(
        &app,
        &alice,
        "k",
        &complete_draft("performance", vec![kept.clone()]),
    )
    .await;
    assert_eq!(ticket.status, StatusCode::CREATED, "{}", ticket.text());
    let on_ticket = app
        .send(Method::DELETE, &format!("/api/v1/attachments/{}", kept.id))
        .cookie(&alice)
        .await;
    assert_eq!(
        on_ticket.status,
        StatusCode::NOT_FOUND,
        "files on a ticket stay"
    );
    let reused = submit(
        &app,
        &alice,
        "k2",
        &complete_draft("performance", vec![kept]),
    )
    .await;
    assert_eq!(
        reused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one file, one ticket"
    );
}

#[tokio::test]
async fn the_limits_come_from_the_configuration() {
    let app = TestApp::with_config(|config| config.attachments.max_bytes = 2048).await;
    let limits = app.get("/api/v1/attachments/limits").await;
    assert_eq!(limits.status, StatusCode::OK);
    assert_eq!(limits.value()["max_bytes"], json!(2048));
    assert!(limits.text().contains(".png"));
}

#[tokio::test]
async fn contacts_for_cc_are_the_organisations_own() {
    let app = TestApp::seeded().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let response = app
        .get("/api/v1/organisation/contacts")
        .cookie(&alice)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let emails: Vec<String> = response
        .json::<Vec<OrganisationContact>>()
        .into_iter()
        .map(|contact| contact.email)
        .collect();
    assert_eq!(emails, vec![ALICE.to_owned(), OLIVIA.to_owned()]);
    assert_eq!(
        app.get("/api/v1/organisation/contacts").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn this_solved_my_problem_records_a_deflection() {
    let app = TestApp::seeded().await;
    let content = app.dir.path().join("kb");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("restore-a-backup.md"),
        "---\ntitle: Restore a backup\nsummary: How to restore.\ncategory: Backup\nproducts: [harbor-backup]\ntags: [restore]\nupdated: 2026-03-01\n---\nOpen the agent.\n",
    )
    .unwrap();
    app.import_kb(&content).await;
    let recorded = app
        .send(Method::POST, "/api/v1/kb/deflections")
        .json(&json!({ "article_slug": "restore-a-backup" }))
        .await;
    assert_eq!(
        recorded.status,
        StatusCode::NO_CONTENT,
        "{}",
        recorded.text()
    );
    assert_eq!(
        db::deflections::count(&app.state.database, "restore-a-backup")
            .await
            .unwrap(),
        1
    );
    let unknown = app
        .send(Method::POST, "/api/v1/kb/deflections")
        .json(&json!({ "article_slug": "no-such-article" }))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_lists_the_wizard_endpoints() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.value();
    for path in [
        "/api/v1/tickets",
        "/api/v1/attachments",
        "/api/v1/attachments/{id}",
        "/api/v1/attachments/limits",
        "/api/v1/kb/deflections",
        "/api/v1/organisation/contacts",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is missing");
    }
}
