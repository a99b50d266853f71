//! Extractors whose rejections come out in the one error shape.

use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// Deepest nesting of objects and arrays a request body may have. The API's own bodies need
/// three levels; serde would skip deeper unknown fields, but a client sending them is broken.
pub const MAX_JSON_DEPTH: usize = 32;

/// `axum::Json` whose rejections (bad JSON, wrong content type, body too large, nesting
/// deeper than [`MAX_JSON_DEPTH`]) are [`AppError`]s.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_rejection)?;
        // Re-assembled so axum's checks (content type, syntax, types) answer as before; only a
        // body of the right type that is nested too deeply gets the depth's own answer.
        let mut parsed = Request::new(Body::from(bytes.clone()));
        *parsed.headers_mut() = headers;
        match axum::Json::<T>::from_request(parsed, state).await {
            Err(rejection @ JsonRejection::MissingJsonContentType(_)) => Err(rejection.into()),
            _ if json_depth(&bytes) > MAX_JSON_DEPTH => Err(AppError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                message: format!("The JSON is nested more than {MAX_JSON_DEPTH} levels deep."),
            }),
            parsed => Ok(Self(parsed?.0)),
        }
    }
}

fn body_rejection(rejection: BytesRejection) -> AppError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        status => AppError::BadRequest {
            status,
            message: rejection.body_text(),
        },
    }
}

/// The deepest nesting of objects and arrays in valid JSON (brackets inside strings do not
/// count).
fn json_depth(json: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Path` whose rejections are [`AppError`]s.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query` whose rejections are [`AppError`]s.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// The client's IP address (from the connection), `unknown` when the server runs without
/// connection info (as in tests that do not set it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string());
        Ok(Self(address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nesting_outside_strings() {
        assert_eq!(json_depth(b"\"text\""), 0);
        assert_eq!(json_depth(br#"{"a":[1,{"b":[]}],"c":{}}"#), 4);
        assert_eq!(json_depth(br#"{"a":"[[[{{{\"]]]"}"#), 1);
        assert_eq!(json_depth(br#"[{"a":"\\"},[[]]]"#), 3);
    }
}
