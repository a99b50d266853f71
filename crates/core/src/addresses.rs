//! The addresses of the portal's pages, written once for the app and for the pages the server
//! renders: both must link to exactly the same places.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::api::READ_ARTICLE_PARAMETER;

/// What `encodeURIComponent` leaves alone: addresses the browser writes and addresses written
/// here compare equal.
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

/// One value (a slug, a token, a query) escaped as one path segment or query value.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

pub fn article_path(slug: &str) -> String {
    format!("/kb/{}", encode_component(slug))
}

/// The new-ticket wizard, noting that the reader has read the article `slug`.
pub fn contact_support_path(slug: &str) -> String {
    format!(
        "/tickets/new?{READ_ARTICLE_PARAMETER}={}",
        encode_component(slug)
    )
}

/// The new-ticket wizard, starting a new draft with `subject` (a search nothing answered).
pub fn new_ticket_path(subject: &str) -> String {
    format!("/tickets/new?subject={}", encode_component(subject))
}

pub fn ticket_path(number: &str) -> String {
    format!("/tickets/{}", encode_component(number))
}

/// The confirmation of a ticket just filed, `/tickets/new/filed/LAN-000123`: a reload shows it
/// again.
pub fn ticket_filed_path(number: &str) -> String {
    format!("/tickets/new/filed/{}", encode_component(number))
}

/// `/?category=…` (and `&product=…`), the home page listing one category.
pub fn category_path(slug: &str, product: Option<&str>) -> String {
    match product {
        Some(product) => format!(
            "/?product={}&category={}",
            encode_component(product),
            encode_component(slug)
        ),
        None => format!("/?category={}", encode_component(slug)),
    }
}

/// The sign-in page, bringing the visitor back to `here` afterwards.
pub fn sign_in_path(here: &str) -> String {
    match safe_next(Some(here)) {
        "/" => "/signin".to_owned(),
        next => format!("/signin?next={}", encode_component(next)),
    }
}

/// Where to go after signing in: `next` when it is a path on this site, else the home page.
/// Rejects `//host` and `/\host` (browsers treat both as another site) and the sign-in page
/// itself, so a crafted link cannot send people elsewhere or loop.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control)
                && !is_sign_in_page(path) =>
        {
            path
        }
        _ => "/",
    }
}

fn is_sign_in_page(path: &str) -> bool {
    path == "/signin" || path.starts_with("/signin?") || path.starts_with("/signin/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_as_encode_uri_component_does() {
        assert_eq!(encode_component("a&b c/é"), "a%26b%20c%2F%C3%A9");
        assert_eq!(encode_component("it's-(ok)_~.*!"), "it's-(ok)_~.*!");
        assert_eq!(category_path("a&b c", None), "/?category=a%26b%20c");
        assert_eq!(
            category_path("backup", Some("harbor-backup")),
            "/?product=harbor-backup&category=backup"
        );
        assert_eq!(article_path("restore a/b"), "/kb/restore%20a%2Fb");
        assert_eq!(ticket_path("LAN-000012"), "/tickets/LAN-000012");
        assert_eq!(
            ticket_filed_path("LAN-000012"),
            "/tickets/new/filed/LAN-000012"
        );
        assert_eq!(
            contact_support_path("restore a&b"),
            "/tickets/new?article=restore%20a%26b"
        );
        assert_eq!(
            new_ticket_path("Wiederherstellung stoppt bei 40% #2"),
            "/tickets/new?subject=Wiederherstellung%20stoppt%20bei%2040%25%20%232"
        );
    }

    #[test]
    fn sign_in_returns_to_the_page_it_was_asked_from() {
        assert_eq!(sign_in_path("/kb/a?x=1"), "/signin?next=%2Fkb%2Fa%3Fx%3D1");
        assert_eq!(sign_in_path("/"), "/signin");
        assert_eq!(sign_in_path("//evil.example/"), "/signin");
        assert_eq!(sign_in_path("/signin?next=/tickets"), "/signin");
    }

    #[test]
    fn keeps_paths_on_this_site() {
        assert_eq!(safe_next(Some("/tickets")), "/tickets");
        assert_eq!(
            safe_next(Some("/tickets/42?tab=replies")),
            "/tickets/42?tab=replies"
        );
    }

    #[test]
    fn refuses_other_sites_and_odd_values() {
        for next in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "tickets",
            "",
            "/tickets\n",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(next)), "/", "{next:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn never_returns_to_the_sign_in_page() {
        assert_eq!(safe_next(Some("/signin")), "/");
        assert_eq!(safe_next(Some("/signin?next=/tickets")), "/");
        assert_eq!(safe_next(Some("/signing-policy")), "/signing-policy");
    }
}
