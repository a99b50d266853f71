//! The addresses of public pages, as the app writes them.

use lantern_core::api::READ_ARTICLE_PARAMETER;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What `encodeURIComponent` leaves alone (the app encodes with it).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

pub fn article_path(slug: &str) -> String {
    format!("/kb/{}", encode(slug))
}

/// The new-ticket wizard, noting that the reader has read the article `slug` (as the app's
/// `kb::contact_support_path` writes it).
pub fn contact_support_path(slug: &str) -> String {
    format!("/tickets/new?{READ_ARTICLE_PARAMETER}={}", encode(slug))
}

/// `/?category=…` (and `&product=…`), the home page listing one category.
pub fn category_path(slug: &str, product: Option<&str>) -> String {
    match product {
        Some(product) => format!("/?product={}&category={}", encode(product), encode(slug)),
        None => format!("/?category={}", encode(slug)),
    }
}

/// The sign-in page, bringing the visitor back to `here` (as `session::sign_in_path` does).
pub fn sign_in_path(here: &str) -> String {
    if here == "/" || !here.starts_with('/') || here.starts_with("//") {
        "/signin".to_owned()
    } else {
        format!("/signin?next={}", encode(here))
    }
}

/// `path` under the configured public base URL (`LANTERN_PUBLIC_URL`).
pub fn absolute(public_url: &str, path: &str) -> String {
    format!("{}{path}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_encoded_as_the_app_encodes_them() {
        assert_eq!(category_path("a&b c", None), "/?category=a%26b%20c");
        assert_eq!(
            category_path("backup", Some("harbor-backup")),
            "/?product=harbor-backup&category=backup"
        );
        assert_eq!(sign_in_path("/kb/a?x=1"), "/signin?next=%2Fkb%2Fa%3Fx%3D1");
        assert_eq!(sign_in_path("/"), "/signin");
        assert_eq!(
            contact_support_path("restore a&b"),
            "/tickets/new?article=restore%20a%26b"
        );
        assert_eq!(
            absolute("https://help.example/", "/kb/a"),
            "https://help.example/kb/a"
        );
    }
}
