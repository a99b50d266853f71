//! The ranking engine through the real router, on the demo knowledge base (`content/kb`):
//! relevance on a handful of the judged set's queries (`benches/search-quality.toml`; the
//! benchmark measures all of them), confidence, and the ticket wizard's suggestions.

use crate::common;

use std::path::Path;

use axum::http::{Method, StatusCode};
use common::TestApp;
use lantern_core::api::{KbSearchResults, KbSuggestions, MatchConfidence};
use serde_json::json;

async fn demo_app() -> TestApp {
    let app = TestApp::new().await;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/kb");
    let report = app.import_kb(&content).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    app
}

async fn search(app: &TestApp, query: &str) -> KbSearchResults {
    let path = format!("/api/v1/kb/search?q={}", query.replace(' ', "%20"));
    let response = app.get(&path).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

#[tokio::test]
async fn queries_as_customers_type_them_find_their_article_in_the_top_three() {
    let app = demo_app().await;
    // One or two of each kind of the judged set: symptom, error, typo, synonym, one word,
    // question.
    let cases = [
        (
            "backup is slow since last week",
            "backups-are-slow-performance-checklist",
        ),
        ("restore stuck at 67%", "restore-fails-or-stalls"),
        (
            "Invalid credentials (49)",
            "connect-ldap-or-active-directory",
        ),
        (
            "hb-1042 cloud vault unreachable",
            "error-hb-1042-cloud-vault-unreachable",
        ),
        (
            "exlude folder from bakup",
            "exclude-files-and-folders-from-backup",
        ),
        ("deduplicaton cache", "tune-the-deduplication-cache"),
        (
            "move my backup over to my new pc",
            "replace-a-computer-and-keep-its-backup-history",
        ),
        ("mfa", "set-up-multi-factor-authentication"),
        (
            "how do i make the backup agent use our company proxy",
            "use-a-proxy-server",
        ),
    ];
    for (query, expected) in cases {
        let results = search(&app, query).await;
        let top: Vec<&str> = results
            .hits
            .iter()
            .take(3)
            .map(|hit| hit.slug.as_str())
            .collect();
        assert!(top.contains(&expected), "{query:?} gave {top:?}");
    }
}

#[tokio::test]
async fn hits_say_how_sure_the_engine_is() {
    let app = demo_app().await;
    let answered = search(&app, "backup is slow since last week").await;
    assert_eq!(
        answered.hits[0].slug,
        "backups-are-slow-performance-checklist"
    );
    assert_eq!(answered.hits[0].confidence, MatchConfidence::Strong);
    // Highlighting marks the words that matched, never a stop word or part of a word.
    let snippet = &answered.hits[0].snippet_html;
    assert!(!snippet.contains("<mark>is</mark>"), "{snippet}");
    assert!(!snippet.contains("lis</mark>"), "{snippet}");

    for unanswered in [
        "back up my vmware esxi virtual machines",
        "migrate from dropbox to relay sync",
        "does harbor backup detect ransomware",
    ] {
        let results = search(&app, unanswered).await;
        assert!(
            !results.hits.is_empty(),
            "{unanswered:?} still lists partial matches"
        );
        assert!(
            results
                .hits
                .iter()
                .all(|hit| hit.confidence == MatchConfidence::Partial),
            "{unanswered:?}: {:?}",
            results
                .hits
                .iter()
                .map(|hit| (&hit.slug, hit.confidence))
                .collect::<Vec<_>>()
        );
    }

    let document = app.get("/api/v1/openapi.json").await.value();
    assert_eq!(
        document["components"]["schemas"]["MatchConfidence"]["enum"],
        json!(["strong", "partial"])
    );
}

async fn suggest(app: &TestApp, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    let response = app
        .send(Method::POST, "/api/v1/kb/suggestions")
        .json(&body)
        .await;
    (response.status, response.value())
}

#[tokio::test]
async fn the_wizard_is_suggested_strong_matches_for_what_the_customer_writes() {
    let app = demo_app().await;
    let (status, body) = suggest(
        &app,
        json!({
            "subject": "Backup is slow since last week",
            "description": "Hi, our nightly backup now takes six hours. The log shows the scan \
                phase takes most of the time and the deduplication cache hit rate dropped to 20 %.",
            "product": "harbor-backup",
            "case_type": "performance",
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let suggestions: KbSuggestions = serde_json::from_value(body).expect("suggestions");
    let slugs: Vec<&str> = suggestions
        .articles
        .iter()
        .map(|a| a.slug.as_str())
        .collect();
    assert_eq!(
        slugs.first(),
        Some(&"backups-are-slow-performance-checklist"),
        "{slugs:?}"
    );
    assert!(slugs.contains(&"tune-the-deduplication-cache"), "{slugs:?}");
    assert!(slugs.len() <= 5);
    assert!(
        suggestions
            .articles
            .iter()
            .all(|a| a.confidence == MatchConfidence::Strong)
    );

    let (status, body) = suggest(&app, json!({ "subject": "x" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["articles"], json!([]));
}

#[tokio::test]
async fn a_suggestion_request_is_checked_field_by_field() {
    let app = demo_app().await;
    let (status, body) = suggest(
        &app,
        json!({
            "subject": "s".repeat(201),
            "description": "restore",
            "product": "no-such-product",
            "case_type": "no-such-type",
        }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = &body["error"]["fields"];
    for field in ["subject", "product", "case_type"] {
        assert!(fields[field].is_string(), "{field}: {body}");
    }
    let without_header = app
        .request(Method::POST, "/api/v1/kb/suggestions")
        .json(&json!({ "subject": "restore" }))
        .await;
    assert_eq!(without_header.status, StatusCode::FORBIDDEN);
}
