//! Agent tokens made with `lantern-server admin` (issue 15, row 14, the agent part): they
//! expire, can be revoked, and one limited to an organisation reaches only its tickets.

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::tickets::{ALICE, CARL};
use lantern_core::conversation::TicketPage;
use lantern_server::admin::{self, AdminCommand};
use serde_json::json;

/// Runs `create-agent-token` and returns the printed token.
async fn create_token(
    app: &TestApp,
    name: &str,
    expires_in_days: u32,
    org: Option<&str>,
) -> String {
    let printed = admin::run(
        &app.state,
        AdminCommand::CreateAgentToken {
            name: name.to_owned(),
            expires_in_days,
            org: org.map(str::to_owned),
        },
    )
    .await
    .expect("the token is created");
    printed.lines().last().expect("the token").to_owned()
}

async fn agent_get(app: &TestApp, token: &str, path: &str) -> common::TestResponse {
    app.request(Method::GET, path)
        .header("authorization", &format!("Bearer {token}"))
        .await
}

#[tokio::test]
async fn agent_tokens_expire() {
    let app = TestApp::seeded().await;
    let token = create_token(&app, "Night shift", 30, None).await;
    assert_eq!(
        agent_get(&app, &token, "/api/v1/agent/tickets")
            .await
            .status,
        StatusCode::OK
    );
    app.clock.advance(chrono::Duration::days(30));
    let expired = agent_get(&app, &token, "/api/v1/agent/tickets").await;
    assert_eq!(
        expired.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        expired.text()
    );
}

#[tokio::test]
async fn a_revoked_agent_token_stops_working_at_once() {
    let app = TestApp::seeded().await;
    let token = create_token(&app, "Contractor", 90, None).await;
    assert_eq!(
        agent_get(&app, &token, "/api/v1/agent/tickets")
            .await
            .status,
        StatusCode::OK
    );
    let printed = admin::run(
        &app.state,
        AdminCommand::RevokeAgentToken {
            name: "Contractor".to_owned(),
        },
    )
    .await
    .expect("the token is revoked");
    assert!(printed.contains("Revoked"), "{printed}");
    let revoked = agent_get(&app, &token, "/api/v1/agent/tickets").await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    let again = admin::run(
        &app.state,
        AdminCommand::RevokeAgentToken {
            name: "Contractor".to_owned(),
        },
    )
    .await;
    assert!(again.is_err(), "revoking twice says so");
}

#[tokio::test]
async fn a_token_limited_to_an_organisation_reaches_only_its_tickets() {
    let app = TestApp::seeded().await;
    let token = create_token(&app, "Northwind desk", 90, Some("Northwind Traders")).await;
    let own = app.file_ticket(ALICE, "Backup fails", "major").await;
    let other = app
        .file_ticket(CARL, "Contoso's backup fails", "major")
        .await;

    let page: TicketPage = agent_get(&app, &token, "/api/v1/agent/tickets")
        .await
        .json();
    let numbers: Vec<&str> = page.items.iter().map(|item| item.number.as_str()).collect();
    assert!(numbers.contains(&own.as_str()), "{numbers:?}");
    assert!(!numbers.contains(&other.as_str()), "{numbers:?}");

    let path = |number: &str| format!("/api/v1/agent/tickets/{number}");
    assert_eq!(
        agent_get(&app, &token, &path(&own)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        agent_get(&app, &token, &path(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    let reply = app
        .request(Method::POST, &format!("{}/replies", path(&other)))
        .header("authorization", &format!("Bearer {token}"))
        .json(&json!({ "body": "Hello", "internal": false, "author_name": "" }))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let analytics = agent_get(&app, &token, "/api/v1/agent/search-analytics").await;
    assert_eq!(
        analytics.status,
        StatusCode::FORBIDDEN,
        "{}",
        analytics.text()
    );
    let unknown = admin::run(
        &app.state,
        AdminCommand::CreateAgentToken {
            name: "Nobody's".to_owned(),
            expires_in_days: 90,
            org: Some("No Such Org".to_owned()),
        },
    )
    .await;
    assert!(unknown.is_err());
}
