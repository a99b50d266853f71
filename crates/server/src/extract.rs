//! Extractors whose rejections come out in the one error shape.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use lantern_core::request_body::from_json;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

/// Deepest nesting of objects and arrays a request body may have. The API's own bodies need
/// three levels; serde would skip deeper unknown fields, but a client sending them is broken.
pub const MAX_JSON_DEPTH: usize = 32;

/// A JSON request body whose rejections are [`AppError`]s: the wrong content type (415), no
/// JSON or nesting deeper than [`MAX_JSON_DEPTH`] (400), a body too large (413), and JSON of the
/// wrong shape (422 `validation_failed`, naming the field: [`lantern_core::request_body`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = is_json(request.headers());
        // Read first, so a body over the limit is refused as that whatever its type.
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_rejection)?;
        if !is_json {
            return Err(AppError::unsupported_media_type(
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        if json_depth(&bytes) > MAX_JSON_DEPTH {
            return Err(AppError::bad_request(format!(
                "The JSON is nested more than {MAX_JSON_DEPTH} levels deep."
            )));
        }
        Ok(Self(from_json(&bytes)?))
    }
}

/// `application/json`, or a type with the `+json` suffix, as axum's own `Json` accepts.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}

fn body_rejection(rejection: BytesRejection) -> AppError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::body_too_large(),
        status => AppError::for_status(status, rejection.body_text()),
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

/// The client's IP address: the connection's peer, or, when the peer is one of the configured
/// trusted proxies (`LANTERN_TRUSTED_PROXIES`), the address it forwarded in `X-Forwarded-For`
/// ([`forwarded_client`]). `unknown` when the server runs without connection info (as in tests
/// that do not set it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
        else {
            return Ok(Self("unknown".to_owned()));
        };
        let forwarded_for: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        let client = forwarded_client(peer, &forwarded_for, &state.config.trusted_proxies);
        Ok(Self(client.to_string()))
    }
}

/// The client behind trusted proxies: each proxy appends the address it was reached from to
/// `X-Forwarded-For`, so the rightmost hop that is not a trusted proxy is the client; hops left
/// of it may be forged. A peer that is not a trusted proxy is the client, whatever it sends.
pub fn forwarded_client(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|network| network.contains(address));
    let mut client = peer;
    if !is_trusted(&peer) {
        return client;
    }
    let hops = forwarded_for
        .iter()
        .rev()
        .flat_map(|header| header.rsplit(','))
        .map(str::trim);
    for hop in hops {
        // A hop that is not an address ends the chain that can be trusted.
        let Some(address) = parse_hop(hop) else {
            break;
        };
        client = address;
        if !is_trusted(&address) {
            break;
        }
    }
    client
}

/// An address as proxies write it: `192.0.2.1`, `2001:db8::1`, or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn networks(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|network| network.parse().unwrap())
            .collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_hop_that_is_not_a_trusted_proxy() {
        let trusted = networks(&["10.0.0.0/8", "127.0.0.1/32"]);
        let proxy = ip("10.0.0.2");
        let forwarded = ["203.0.113.1, 198.51.100.7", "10.0.0.9"];
        assert_eq!(
            forwarded_client(proxy, &forwarded, &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            forwarded_client(proxy, &["198.51.100.7:4711"], &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            forwarded_client(proxy, &["2001:db8::1"], &trusted),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted = networks(&["10.0.0.0/8"]);
        let stranger = ip("192.0.2.5");
        assert_eq!(
            forwarded_client(stranger, &["198.51.100.7"], &trusted),
            stranger
        );
        assert_eq!(forwarded_client(stranger, &["198.51.100.7"], &[]), stranger);
        let proxy = ip("10.0.0.2");
        assert_eq!(forwarded_client(proxy, &[], &trusted), proxy);
        // A hop that is no address ends the chain: the proxy that wrote it is the client.
        assert_eq!(
            forwarded_client(proxy, &["198.51.100.7, garbage, 10.0.0.3"], &trusted),
            ip("10.0.0.3")
        );
    }

    #[test]
    fn json_is_told_by_its_content_type() {
        let with = |value: &'static str| {
            HeaderMap::from_iter([(header::CONTENT_TYPE, value.parse().unwrap())])
        };
        assert!(is_json(&with("application/json")));
        assert!(is_json(&with("Application/JSON; charset=utf-8")));
        assert!(is_json(&with("application/problem+json")));
        assert!(!is_json(&with("text/plain")));
        assert!(!is_json(&with("application/jsonp")));
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn depth_counts_nesting_outside_strings() {
        assert_eq!(json_depth(b"\"text\""), 0);
        assert_eq!(json_depth(br#"{"a":[1,{"b":[]}],"c":{}}"#), 4);
        assert_eq!(json_depth(br#"{"a":"[[[{{{\"]]]"}"#), 1);
        assert_eq!(json_depth(br#"[{"a":"\\"},[[]]]"#), 3);
    }
}
