//! A hostile visitor against sign-in and registration (issue 15), through the real router on a
//! real SQLite file.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

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
