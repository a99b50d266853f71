//! The two ids of search analytics, both 128 random bits in 32 hex characters: the visit, made
//! by the app once per page load and sent as the `Lantern-Visit` header, and the search, handed
//! out with an answer so a click can name it. Neither is derived from anything about a person.

use std::convert::Infallible;
use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use lantern_core::api::VISIT_HEADER;

const ID_LENGTH: usize = 32;

/// 32 hex characters, lower-cased; `None` for anything else.
fn parse_id(value: &str) -> Option<String> {
    (value.len() == ID_LENGTH && value.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .then(|| value.to_ascii_lowercase())
}

/// One help-centre visit: a page load of the app.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VisitId(String);

impl VisitId {
    pub fn parse(value: &str) -> Option<Self> {
        parse_id(value).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The visit of a request, when it carries a well-formed `Lantern-Visit` header. A missing or
/// malformed header is not an error: the request is answered the same, and nothing is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit(pub Option<VisitId>);

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        let visit = parts
            .headers
            .get(VISIT_HEADER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| VisitId::parse(value.trim()));
        Ok(Self(visit))
    }
}

/// One recorded search answer (or a run of them typed in a row).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchId(String);

impl SearchId {
    /// A fresh id. `thread_rng` is a CSPRNG seeded from the OS: ids cannot be guessed, so nobody
    /// can attach clicks to someone else's search, and making one costs no system call.
    pub fn random() -> Self {
        Self(format!("{:032x}", rand::random::<u128>()))
    }

    pub fn parse(value: &str) -> Option<Self> {
        parse_id(value).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for SearchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    async fn visit_of(header: Option<&str>) -> Option<VisitId> {
        let mut builder = Request::builder().uri("/api/v1/kb/search?q=x");
        if let Some(value) = header {
            builder = builder.header(VISIT_HEADER, value);
        }
        let (mut parts, ()) = builder.body(()).expect("a request").into_parts();
        let Visit(visit) = Visit::from_request_parts(&mut parts, &())
            .await
            .unwrap_or_else(|never| match never {});
        visit
    }

    #[tokio::test]
    async fn only_32_hex_characters_make_a_visit() {
        let id = "0123456789ABCDEF0123456789abcdef";
        assert_eq!(
            visit_of(Some(id))
                .await
                .map(|visit| visit.as_str().to_owned()),
            Some(id.to_ascii_lowercase())
        );
        assert_eq!(visit_of(None).await, None);
        assert_eq!(visit_of(Some("0123")).await, None);
        assert_eq!(
            visit_of(Some("alice@northwind.example-padding!!")).await,
            None
        );
        assert_eq!(visit_of(Some(&"g".repeat(32))).await, None);
    }

    #[test]
    fn search_ids_are_random_and_well_formed() {
        let first = SearchId::random();
        assert_eq!(SearchId::parse(first.as_str()), Some(first.clone()));
        assert_ne!(first, SearchId::random());
    }
}
