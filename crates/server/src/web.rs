//! Middleware around every response: security headers, request ids, tracing, compression,
//! CSRF protection and the JSON shape of errors under `/api`.

use crate::error::AppError;
use crate::state::AppState;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lantern_core::api::{CSRF_HEADER, CSRF_HEADER_VALUE};

/// Allows the WebAssembly app from this origin and nothing else. The app is started by the
/// external `boot.js` (see `Trunk.toml`), so no inline script needs to be allowed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
base-uri 'self'; form-action 'self'; object-src 'none'";

/// Headers set on every response.
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
];

/// Largest request body accepted by the API.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// HSTS when the public URL is https: a year, so one visit protects the next ones.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    if state.config.serves_https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    response
}

/// Every API answer is private unless its handler says otherwise (the public knowledge base's
/// index is revalidated with `no-cache`): nothing a person sees is kept in a shared or browser
/// cache.
pub async fn no_store_by_default(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Refuses POST, PUT, PATCH and DELETE without `X-Requested-With: lantern`.
pub async fn require_csrf_header(request: Request, next: Next) -> Response {
    if changes_state(request.method()) && !is_csrf_safe(&request) {
        return AppError::csrf_missing().into_response();
    }
    next.run(request).await
}

fn changes_state(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// The hook for callers that cannot be forged cross-site: the header itself, or a bearer token
/// (the agent API), which a browser never attaches on its own.
fn is_csrf_safe(request: &Request) -> bool {
    let headers = request.headers();
    let has_header = headers.get(CSRF_HEADER).is_some_and(|value| {
        value
            .as_bytes()
            .eq_ignore_ascii_case(CSRF_HEADER_VALUE.as_bytes())
    });
    let has_bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("Bearer "));
    has_header || has_bearer
}

/// Re-shapes error responses that did not come from [`AppError`] (axum's own rejections,
/// 405 Method Not Allowed) into the one JSON error shape.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = to_bytes(body, 4096).await.unwrap_or_default();
    let message = readable_message(status, &String::from_utf8_lossy(&text));
    // The status and headers (`Allow` of a 405, say) stay; the body becomes the error shape.
    let (_, body) = AppError::for_status(status, message)
        .into_response()
        .into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, body)
}

fn readable_message(status: StatusCode, text: &str) -> String {
    let text = text.trim();
    if status.is_server_error() || text.is_empty() {
        // Server-side detail is logged elsewhere, never sent.
        return status
            .canonical_reason()
            .unwrap_or("Request failed")
            .to_owned();
    }
    text.to_owned()
}

/// A handler that panicked answers `internal` like any other unexpected failure.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    AppError::Internal(anyhow::anyhow!("a handler panicked: {detail}")).into_response()
}

/// `/api/...` paths that match no endpoint.
pub async fn api_not_found() -> AppError {
    AppError::not_found("There is no such API endpoint.")
}

/// A path safe to log: mailed tokens in the path are replaced by `{token}`.
pub fn loggable_path(path: &str) -> String {
    const TOKEN_PARENTS: [&str; 3] = ["invitations", "registrations", "password-resets"];
    let mut previous = "";
    path.split('/')
        .map(|segment| {
            let shown = if TOKEN_PARENTS.contains(&previous) {
                "{token}"
            } else {
                segment
            };
            previous = segment;
            shown
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the request's `If-None-Match` names `etag`: any tag of its list, weak or strong (the
/// weak comparison RFC 9110 asks of this header), or `*`. Every handler that answers 304 asks
/// this.
pub fn etag_matches(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_none_match(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(value).expect("a header value"),
        );
        headers
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let etag = "\"abc\"";
        assert!(etag_matches(&if_none_match("\"abc\""), etag));
        assert!(etag_matches(&if_none_match("\"x\", W/\"abc\""), etag));
        assert!(etag_matches(&if_none_match("*"), etag));
        assert!(!etag_matches(&if_none_match("\"abd\""), etag));
        assert!(!etag_matches(&HeaderMap::new(), etag));
    }

    #[test]
    fn tokens_are_kept_out_of_logged_paths() {
        assert_eq!(
            loggable_path("/api/v1/password-resets/abc123"),
            "/api/v1/password-resets/{token}"
        );
        assert_eq!(
            loggable_path("/api/v1/password-resets"),
            "/api/v1/password-resets"
        );
        assert_eq!(loggable_path("/kb/some-article"), "/kb/some-article");
    }

    #[test]
    fn server_error_text_is_not_passed_on() {
        let message = readable_message(StatusCode::INTERNAL_SERVER_ERROR, "panicked at db.rs");
        assert_eq!(message, "Internal Server Error");
    }
}
