//! Serves the built app from the `dist` folder: files as they are, with cache headers that let
//! browsers keep hashed files forever and always revalidate the rest, and the app's
//! `index.html` as the shell `crate::public` builds every page on.

use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// Trunk names built files `<name>-<16 hex digits>[_bg].<ext>`; their content never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (boot.js, favicon) is revalidated on every use.
const REVALIDATE: &str = "no-cache";

const NOT_BUILT: &str = "Lantern's app has not been built yet, so there is nothing to show here.\n\
Build it with scripts/run.sh (or `trunk build --release`) and reload. \
The JSON API under /api/v1 works meanwhile.\n";

/// The built file the request names, if there is one.
pub async fn serve_file(dist: &Path, request: Request) -> Option<Response> {
    let path = request.uri().path().to_owned();
    // Directories are pages, never listings or their index.html.
    if path.ends_with('/') {
        return None;
    }
    // The build writes `.br` and `.gz` beside each file (`cargo xtask precompress`), at
    // levels too slow to reach for on every response.
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip();
    let response = match files.oneshot(request).await {
        Ok(response) => response,
        Err(infallible) => match infallible {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        return None;
    }
    Some(with_cache_control(response.map(Body::new), &path))
}

/// The app's built `index.html`, or `None` before the app is built.
pub async fn app_shell(dist: &Path) -> Option<String> {
    tokio::fs::read_to_string(dist.join("index.html"))
        .await
        .ok()
}

pub fn app_not_built() -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, NOT_BUILT).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    response
}

fn with_cache_control(mut response: Response, path: &str) -> Response {
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let is_html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
        let policy = if !is_html && is_hashed_file_name(path) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Whether the last path segment carries a content hash, as in `lantern-3f2a9c0d1e4b5a6f_bg.wasm`
/// or `main-3f2a9c0d1e4b5a6f.css`.
pub fn is_hashed_file_name(path: &str) -> bool {
    let Some(stem) = Path::new(path).file_stem().and_then(|stem| stem.to_str()) else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_file_names_count_as_hashed() {
        assert!(is_hashed_file_name("/lantern-3f2a9c0d1e4b5a6f_bg.wasm"));
        assert!(is_hashed_file_name("/lantern-3f2a9c0d1e4b5a6f.js"));
        assert!(is_hashed_file_name("/main-3f2a9c0d1e4b5a6f.css"));
    }

    #[test]
    fn lazily_loaded_parts_count_as_hashed() {
        assert!(is_hashed_file_name("/chunk_12-f5dd6d95f9407f80.wasm"));
        assert!(is_hashed_file_name(
            "/split___ticket_route_view_4071102026151977338-8bf16fb6d39d3238.wasm"
        ));
    }

    #[test]
    fn plain_names_are_not_hashed() {
        assert!(!is_hashed_file_name("/index.html"));
        assert!(!is_hashed_file_name("/boot.js"));
        // The parts' loader names the current parts, so it must be revalidated.
        assert!(!is_hashed_file_name("/__wasm_split.js"));
        assert!(!is_hashed_file_name("/kb/backup-and-restore"));
        assert!(!is_hashed_file_name("/"));
    }
}
