//! A hostile visitor against sign-in and registration (issue 15), through the real router on a
//! real SQLite file.

mod common;

use axum::http::{Method, StatusCode};
use common::{DEMO_PASSWORD, TestApp, TestResponse};
use lantern_server::db;
use serde_json::json;

const ALICE: &str = "alice@northwind.example";

async fn register(app: &TestApp, email: &str, password: &str, client: &str) -> TestResponse {
    app.send(Method::POST, "/api/v1/registrations")
        .client_address(client)
        .json(&json!({ "name": "Nina Nilsen", "email": email, "password": password }))
        .await
}

/// The tokens of every mailed link `/<kind>/<token>` to `recipient`, oldest first.
async fn mailed_tokens(app: &TestApp, recipient: &str, kind: &str) -> Vec<String> {
    let marker = format!("/{kind}/");
    db::outbox::to_recipient(&app.state.db, recipient)
        .await
        .unwrap()
        .iter()
        .filter_map(|mail| {
            let start = mail.body.find(&marker)? + marker.len();
            Some(
                mail.body[start..]
                    .chars()
                    .take_while(char::is_ascii_hexdigit)
                    .collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn guessable_passwords_are_refused_on_the_password_field() {
    let app = TestApp::seeded().await;
    let email = "nina.nilsen@northwind.example";
    for password in ["aaaaaaaaaa", email, "nina.nilsen", "lantern2025"] {
        let answer = register(&app, email, password, "192.0.2.7").await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{password}"
        );
        assert_eq!(answer.error_code(), "validation_failed");
        let fields = &answer.value()["error"]["fields"];
        let message = fields["password"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{password}: {fields}");
        assert_eq!(fields.as_object().unwrap().len(), 1, "{password}: {fields}");
    }
    assert!(
        db::accounts::user_by_email(&app.state.db, email)
            .await
            .unwrap()
            .is_none()
    );

    app.send(Method::POST, "/api/v1/password-resets")
        .json(&json!({ "email": ALICE }))
        .await;
    let token = mailed_tokens(&app, ALICE, "password-resets")
        .await
        .pop()
        .unwrap();
    let weak = app
        .send(Method::POST, &format!("/api/v1/password-resets/{token}"))
        .json(&json!({ "password": ALICE }))
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.value()["error"]["fields"]["password"].is_string());
    app.sign_in(ALICE, DEMO_PASSWORD).await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_address() {
    let app = TestApp::with_config(|config| {
        config.sign_in_limits.per_address = 3;
        config.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await;
    lantern_server::seed::seed_demo(&app.state).await.unwrap();
    let guess = |n: u32, peer: &'static str, forwarded_for: &'static str| {
        app.send(Method::POST, "/api/v1/session")
            .client_address(peer)
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({ "email": format!("nobody{n}@northwind.example"), "password": "guess" }))
    };
    for n in 0..3 {
        let answer = guess(n, "10.0.0.1", "192.0.2.99, 198.51.100.1").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let same_client = guess(3, "10.0.0.1", "198.51.100.1").await;
    assert_eq!(same_client.status, StatusCode::TOO_MANY_REQUESTS);
    // Another customer behind the same proxy is not the first one's neighbour.
    let other_client = guess(4, "10.0.0.1", "198.51.100.2").await;
    assert_eq!(other_client.status, StatusCode::UNAUTHORIZED);

    // A client that talks to the server directly cannot choose its address.
    for n in 5..8 {
        let answer = guess(n, "192.0.2.50", "198.51.100.3").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let forged = guess(8, "192.0.2.50", "198.51.100.4").await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
}
