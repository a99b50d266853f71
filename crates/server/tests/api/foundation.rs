//! The server foundation through the real router: health, the built app, errors, headers.

use crate::common;

use axum::http::{Method, StatusCode};
use common::tickets::ALICE;
use common::{DEMO_PASSWORD, TestApp};
use lantern_core::api::{ErrorBody, Health};
use lantern_server::web::CONTENT_SECURITY_POLICY;
use serde_json::json;

const INDEX_HTML: &str =
    "<!doctype html><html><head><title>Lantern</title></head><body></body></html>";
const WASM_NAME: &str = "lantern-0123456789abcdef_bg.wasm";

/// A tiny stand-in for Trunk's output.
fn write_fake_dist(app: &TestApp) {
    let dist = &app.state.config.dist;
    std::fs::create_dir_all(dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(dist.join("boot.js"), "import('./lantern.js');\n").unwrap();
    // Compressible, like real wasm: long runs of the same bytes.
    std::fs::write(dist.join(WASM_NAME), vec![0u8; 64 * 1024]).unwrap();
}

#[tokio::test]
async fn health_reports_version_and_database() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status, StatusCode::OK);
    let health: Health = response.json();
    assert_eq!(health.status, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    assert!(health.database);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404() {
    let app = TestApp::new().await;
    for path in ["/api/v1/nothing-here", "/api/v2/health", "/api"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        let body: ErrorBody = response.json();
        assert_eq!(body.error.code, "not_found", "{path}");
    }
}

#[tokio::test]
async fn wrong_method_under_api_is_json() {
    let app = TestApp::new().await;
    let response = app.send(Method::PUT, "/api/v1/health").await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.error_code(), "method_not_allowed");
}

#[tokio::test]
async fn app_pages_get_index_html_without_caching() {
    let app = TestApp::new().await;
    write_fake_dist(&app);
    for (path, status) in [
        ("/tickets/42", StatusCode::OK),
        ("/signin", StatusCode::OK),
        ("/no/such/page", StatusCode::NOT_FOUND),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, status, "{path}");
        assert!(
            response.text().starts_with("<!doctype html><html><head>"),
            "{path}"
        );
        assert!(response.text().ends_with("<body></body></html>"), "{path}");
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn hashed_files_are_cached_immutable_and_plain_ones_revalidated() {
    let app = TestApp::new().await;
    write_fake_dist(&app);
    let wasm = app.get(&format!("/{WASM_NAME}")).await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let boot = app.get("/boot.js").await;
    assert_eq!(boot.header("cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn a_missing_build_is_explained_while_the_api_works() {
    let app = TestApp::new().await;
    let response = app.get("/").await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        response.text().contains("has not been built"),
        "{}",
        response.text()
    );
    assert_eq!(app.get("/api/v1/health").await.status, StatusCode::OK);
}

#[tokio::test]
async fn wasm_is_compressed_with_brotli_or_gzip_as_negotiated() {
    let app = TestApp::new().await;
    write_fake_dist(&app);
    let path = format!("/{WASM_NAME}");
    let brotli = app.get(&path).header("accept-encoding", "br").await;
    assert_eq!(brotli.header("content-encoding"), Some("br"));
    assert!(brotli.body.len() < 64 * 1024 / 10);
    let gzip = app.get(&path).header("accept-encoding", "gzip").await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let plain = app.get(&path).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body.len(), 64 * 1024);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    write_fake_dist(&app);
    for path in ["/", "/api/v1/health", "/api/v1/missing"] {
        let response = app.get(path).await;
        assert_eq!(
            response.header("content-security-policy"),
            Some(CONTENT_SECURITY_POLICY),
            "{path}"
        );
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(
            response.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{path}"
        );
    }
    assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
    assert!(CONTENT_SECURITY_POLICY.contains("'wasm-unsafe-eval'"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
}

#[tokio::test]
async fn request_ids_are_made_or_propagated() {
    let app = TestApp::new().await;
    let fresh = app.get("/api/v1/health").await;
    assert!(
        fresh
            .header("x-request-id")
            .is_some_and(|id| id.len() >= 32)
    );
    let given = app
        .get("/api/v1/health")
        .header("x-request-id", "abc-123")
        .await;
    assert_eq!(given.header("x-request-id"), Some("abc-123"));
}

#[tokio::test]
async fn oversized_bodies_are_413_in_the_error_shape() {
    let app = TestApp::new().await;
    let big = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(2 * 1024 * 1024)
    );
    let response = app
        .send(Method::POST, "/api/v1/session")
        .body("application/json", big)
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.error_code(), "payload_too_large");
}

#[tokio::test]
async fn malformed_json_and_wrong_content_type_are_in_the_error_shape() {
    let app = TestApp::new().await;
    let broken = app
        .send(Method::POST, "/api/v1/session")
        .body("application/json", "{not json")
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.error_code(), "bad_request");
    let missing_field = app
        .send(Method::POST, "/api/v1/session")
        .body("application/json", "{\"email\":\"a@b.example\"}")
        .await;
    assert_eq!(missing_field.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing_field.error_code(), "validation_failed");
    let form = app
        .send(Method::POST, "/api/v1/session")
        .body("application/x-www-form-urlencoded", "email=a")
        .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.error_code(), "unsupported_media_type");
}

/// The field errors of a 422 answer, after checking that no message names a Rust type or a
/// position in the JSON text.
fn field_errors(response: &common::TestResponse) -> serde_json::Value {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    let body = response.value();
    assert_eq!(body["error"]["code"], "validation_failed");
    let text = response.text();
    for rust in ["u8", "struct", "expected", "line 1", "column"] {
        assert!(!text.contains(rust), "{rust} in {text}");
    }
    body["error"]["fields"].clone()
}

#[tokio::test]
async fn a_body_of_the_wrong_json_type_names_the_field() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let number = app
        .file_ticket(ALICE, "Backup stops at 40 %", "minor")
        .await;

    let survey = app
        .send(Method::POST, &format!("/api/v1/tickets/{number}/survey"))
        .cookie(&cookie)
        .body("application/json", r#"{"rating":"5"}"#)
        .await;
    assert_eq!(
        field_errors(&survey),
        json!({ "rating": "Must be a whole number from 0 to 255, not text." })
    );

    let ticket = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&cookie)
        .header("Idempotency-Key", "wrong-type")
        .body("application/json", r#"{"subject":42}"#)
        .await;
    assert_eq!(
        field_errors(&ticket),
        json!({ "subject": "Must be text, not a number." })
    );

    let nested = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&cookie)
        .header("Idempotency-Key", "wrong-nested-type")
        .body(
            "application/json",
            r#"{"contact":{"email":["a@b.example"]}}"#,
        )
        .await;
    assert_eq!(
        field_errors(&nested),
        json!({ "contact.email": "Must be text, not a list." })
    );
}

#[tokio::test]
async fn a_missing_field_or_a_body_that_is_no_object_is_a_validation_failure() {
    let app = TestApp::new().await;
    let missing = app
        .send(Method::POST, "/api/v1/session")
        .body("application/json", r#"{"email":"a@b.example"}"#)
        .await;
    assert_eq!(
        field_errors(&missing),
        json!({ "password": "This field is required." })
    );
    let list = app
        .send(Method::POST, "/api/v1/session")
        .body("application/json", "[]")
        .await;
    assert_eq!(field_errors(&list), serde_json::Value::Null);
    assert_eq!(
        list.value()["error"]["message"],
        "The body must be an object, not a list."
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_endpoints() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    let doc = response.value();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in [
        "/api/v1/health",
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/password-resets/{token}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is missing");
    }
    assert!(doc["components"]["schemas"].get("Me").is_some());
    // What the router collected is what the document describes.
    let described = serde_json::to_value(lantern_server::api::document()).expect("JSON");
    assert_eq!(doc, described);
}

/// The limits the OpenAPI document states are the ones the validation functions apply: utoipa
/// takes only literals, so this keeps the two in step.
#[tokio::test]
async fn the_openapi_document_states_the_validation_limits() {
    use lantern_core::{accounts, conversation, escalation};
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json").await.value();
    let schemas = &doc["components"]["schemas"];
    let property = |schema: &str, field: &str| schemas[schema]["properties"][field].clone();
    let limit = |value: &serde_json::Value, key: &str| value[key].as_u64().map(|n| n as usize);
    for schema in ["RegistrationRequest", "InvitationAcceptance", "NewPassword"] {
        let password = property(schema, "password");
        assert_eq!(
            limit(&password, "minLength"),
            Some(accounts::MIN_PASSWORD_LENGTH),
            "{schema}"
        );
        assert_eq!(
            limit(&password, "maxLength"),
            Some(accounts::MAX_PASSWORD_LENGTH),
            "{schema}"
        );
    }
    for schema in ["RegistrationRequest", "InvitationAcceptance"] {
        let name = property(schema, "name");
        assert_eq!(
            limit(&name, "maxLength"),
            Some(accounts::MAX_NAME_LENGTH),
            "{schema}"
        );
    }
    let body = property("ReplyRequest", "body");
    assert_eq!(
        limit(&body, "maxLength"),
        Some(conversation::MAX_REPLY_LENGTH)
    );
    let rating = property("SurveyRequest", "rating");
    assert_eq!(
        limit(&rating, "minimum"),
        Some(usize::from(conversation::MIN_RATING))
    );
    assert_eq!(
        limit(&rating, "maximum"),
        Some(usize::from(conversation::MAX_RATING))
    );
    let comment = property("SurveyRequest", "comment");
    assert_eq!(
        limit(&comment, "maxLength"),
        Some(conversation::MAX_SURVEY_COMMENT_LENGTH)
    );
    let details = property("EscalationRequest", "details");
    assert_eq!(
        limit(&details, "minLength"),
        Some(escalation::MIN_ESCALATION_DETAILS_LENGTH)
    );
    assert_eq!(
        limit(&details, "maxLength"),
        Some(escalation::MAX_ESCALATION_DETAILS_LENGTH)
    );
    let search = doc["paths"]["/api/v1/kb/search"]["get"]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let q = search
        .iter()
        .find(|parameter| parameter["name"] == "q")
        .expect("the search has a q parameter");
    assert_eq!(
        limit(&q["schema"], "maxLength"),
        Some(lantern_core::search::MAX_QUERY_CHARS)
    );
}

#[tokio::test]
async fn bearer_requests_are_exempt_from_the_csrf_header() {
    let app = TestApp::new().await;
    let without = app.request(Method::POST, "/api/v1/nothing").await;
    assert_eq!(without.error_code(), "csrf_missing");
    let bearer = app
        .request(Method::POST, "/api/v1/nothing")
        .header("authorization", "Bearer some-agent-token")
        .await;
    assert_eq!(bearer.status, StatusCode::NOT_FOUND);
    assert_eq!(bearer.error_code(), "not_found");
}

#[tokio::test]
async fn pre_compressed_files_are_served_to_browsers_that_accept_them() {
    let app = TestApp::new().await;
    write_fake_dist(&app);
    let dist = &app.state.config.dist;
    // Stand-ins: the server must send these bytes as they are, not compress the file again.
    std::fs::write(
        dist.join(format!("{WASM_NAME}.br")),
        b"brotli at quality 11",
    )
    .unwrap();
    std::fs::write(dist.join(format!("{WASM_NAME}.gz")), b"gzip at level 9").unwrap();
    let path = format!("/{WASM_NAME}");
    let brotli = app.get(&path).header("accept-encoding", "gzip, br").await;
    assert_eq!(brotli.header("content-encoding"), Some("br"));
    assert_eq!(brotli.header("content-type"), Some("application/wasm"));
    assert_eq!(&brotli.body[..], b"brotli at quality 11");
    let gzip = app.get(&path).header("accept-encoding", "gzip").await;
    assert_eq!(&gzip.body[..], b"gzip at level 9");
    assert_eq!(
        gzip.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(app.get(&path).await.body.len(), 64 * 1024);
}
