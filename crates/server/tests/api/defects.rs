//! Tickets linked to an engineering issue (issue 19, Chevah 003): agents link and update the
//! issue through the agent API; the customer sees it on the ticket and in the list, is mailed
//! each change, and finds the ticket by the issue's id.

use crate::common;

use axum::http::{Method, StatusCode};
use common::tickets::{ALICE, CARL};
use common::{DEMO_PASSWORD, TestApp, TestResponse};
use lantern_core::conversation::{TicketDetail, TicketPage, TimelineKind};
use lantern_core::ticket::{DefectLink, DefectState};
use lantern_server::db;
use serde_json::{Value, json};

async fn link(app: &TestApp, number: &str, body: Value) -> TestResponse {
    app.agent(
        Method::PUT,
        &format!("/api/v1/agent/tickets/{number}/defect"),
    )
    .json(&body)
    .await
}

async fn mails_to(app: &TestApp, email: &str) -> Vec<db::outbox::Mail> {
    db::outbox::to_recipient(&app.state.database, email)
        .await
        .expect("the outbox")
}

async fn search(app: &TestApp, cookie: &str, text: &str) -> Vec<String> {
    let page: TicketPage = app
        .get(&format!("/api/v1/tickets?q={text}&status=all"))
        .cookie(cookie)
        .await
        .json();
    page.items.into_iter().map(|item| item.number).collect()
}

#[tokio::test]
async fn the_customer_follows_the_linked_engineering_issue() {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let number = app
        .file_ticket(ALICE, "Transfers stop at 2 GB", "major")
        .await;
    let other = app
        .file_ticket(ALICE, "Another transfer problem", "major")
        .await;
    let mails_before = mails_to(&app, ALICE).await.len();

    let linked = link(
        &app,
        &number,
        json!({ "id": "SFTPPLUS-1234", "url": "https://tracker.example/SFTPPLUS-1234",
                "state": "open" }),
    )
    .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.text());
    let detail: TicketDetail = app.ticket_detail(&alice, &number).await;
    let expected = DefectLink {
        id: "SFTPPLUS-1234".into(),
        url: Some("https://tracker.example/SFTPPLUS-1234".into()),
        state: DefectState::Open,
        fixed_in: None,
    };
    assert_eq!(detail.ticket.defect.as_ref(), Some(&expected));
    let mails = mails_to(&app, ALICE).await;
    assert_eq!(mails.len(), mails_before + 1);
    let mail = mails.iter().max_by_key(|mail| mail.id).expect("a mail");
    assert!(
        mail.body.contains("engineering issue SFTPPLUS-1234 (Open)"),
        "{}",
        mail.body
    );
    assert!(
        mail.body.contains("https://tracker.example/SFTPPLUS-1234"),
        "{}",
        mail.body
    );

    // The same link again changes nothing and mails nothing.
    let again = link(
        &app,
        &number,
        json!({ "id": "SFTPPLUS-1234", "url": "https://tracker.example/SFTPPLUS-1234",
                "state": "open" }),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(mails_to(&app, ALICE).await.len(), mails_before + 1);

    // Fixed: the list and the ticket say in which version, and the customer is mailed.
    let fixed = link(
        &app,
        &number,
        json!({ "id": "SFTPPLUS-1234", "url": "https://tracker.example/SFTPPLUS-1234",
                "state": "fixed", "fixed_in": "4.2.0", "note": "Update to 4.2.0 to get the fix." }),
    )
    .await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.text());
    let page: TicketPage = app.get("/api/v1/tickets").cookie(&alice).await.json();
    let listed = page.items.iter().find(|item| item.number == number);
    let defect = listed
        .and_then(|item| item.defect.clone())
        .expect("listed with its issue");
    assert_eq!(defect.state_text(), "Fixed in 4.2.0");
    let mails = mails_to(&app, ALICE).await;
    assert_eq!(mails.len(), mails_before + 2);
    let mail = mails.iter().max_by_key(|mail| mail.id).expect("a mail");
    assert!(
        mail.body.contains("SFTPPLUS-1234 is now: Fixed in 4.2.0."),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("Update to 4.2.0"), "{}", mail.body);
    let detail: TicketDetail = app.ticket_detail(&alice, &number).await;
    let steps: Vec<(String, String)> = detail
        .timeline
        .iter()
        .filter_map(|entry| match &entry.kind {
            TimelineKind::DefectLinked { id, state, .. } => Some((id.clone(), state.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("SFTPPLUS-1234".to_owned(), "Open".to_owned()),
            ("SFTPPLUS-1234".to_owned(), "Fixed in 4.2.0".to_owned())
        ]
    );

    // The customer finds the ticket by the issue's id, in any case; other tickets stay out.
    assert_eq!(
        search(&app, &alice, "sftpplus-1234").await,
        std::slice::from_ref(&number)
    );
    assert!(!search(&app, &alice, "SFTPPLUS").await.contains(&other));
    // Nobody outside the organisation finds it.
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    assert!(search(&app, &carl, "SFTPPLUS-1234").await.is_empty());
}

#[tokio::test]
async fn a_link_is_refused_beside_the_field_that_is_wrong() {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let number = app
        .file_ticket(ALICE, "Transfers stop at 2 GB", "major")
        .await;
    for (body, field) in [
        (json!({ "id": " ", "state": "open" }), "id"),
        (json!({ "id": "BUG 1", "state": "open" }), "id"),
        (json!({ "id": "B-1", "state": "fixed" }), "fixed_in"),
        (
            json!({ "id": "B-1", "state": "open", "url": "javascript:alert(1)" }),
            "url",
        ),
    ] {
        let response = link(&app, &number, body.clone()).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(response.error_code(), "validation_failed");
        assert!(
            response.value()["error"]["fields"][field].is_string(),
            "{body}: {}",
            response.text()
        );
    }
    let unknown_state = link(&app, &number, json!({ "id": "B-1", "state": "closed" })).await;
    assert_eq!(unknown_state.status, StatusCode::UNPROCESSABLE_ENTITY);
    let without_token = app
        .send(
            Method::PUT,
            &format!("/api/v1/agent/tickets/{number}/defect"),
        )
        .json(&json!({ "id": "B-1", "state": "open" }))
        .await;
    assert_eq!(without_token.status, StatusCode::UNAUTHORIZED);
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let detail: TicketDetail = app.ticket_detail(&alice, &number).await;
    assert_eq!(detail.ticket.defect, None, "nothing was linked");
}

#[tokio::test]
async fn a_fix_after_the_ticket_closed_still_reaches_the_customer() {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let number = app
        .file_ticket(ALICE, "Transfers stop at 2 GB", "major")
        .await;
    let open = json!({ "id": "SFTPPLUS-9", "state": "open" });
    assert_eq!(link(&app, &number, open).await.status, StatusCode::OK);
    let closed = app
        .agent(
            Method::POST,
            &format!("/api/v1/agent/tickets/{number}/status"),
        )
        .json(&json!({ "status": "closed", "reason": "Tracked in SFTPPLUS-9." }))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());

    let fixed = json!({ "id": "SFTPPLUS-9", "state": "fixed", "fixed_in": "4.2.1" });
    assert_eq!(link(&app, &number, fixed).await.status, StatusCode::OK);
    let mails = mails_to(&app, ALICE).await;
    let mail = mails.iter().max_by_key(|mail| mail.id).expect("a mail");
    assert!(
        mail.body.contains("SFTPPLUS-9 is now: Fixed in 4.2.1."),
        "{}",
        mail.body
    );
}
