//! Public addresses under the configured base URL; the paths themselves are
//! `lantern_core::addresses`, shared with the app.

/// `path` under the configured public base URL (`LANTERN_PUBLIC_URL`).
pub fn absolute(public_url: &str, path: &str) -> String {
    format!("{}{path}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_go_under_the_public_address() {
        assert_eq!(
            absolute("https://help.example/", "/kb/a"),
            "https://help.example/kb/a"
        );
    }
}
