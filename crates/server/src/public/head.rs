//! The `<head>` of a page the server renders: title, description, canonical address, Open
//! Graph and Twitter card, JSON-LD, and whether search engines may index it.

use maud::{Markup, PreEscaped, html};
use serde_json::Value;

/// The site's name, after every page title (as the app's `PageTitle` writes it).
pub const SITE_NAME: &str = "Lantern Support";
/// The description of pages that have none of their own.
pub const SITE_DESCRIPTION: &str =
    "Lantern support: search the knowledge base, file and follow support tickets.";

/// What the head of one page says.
#[derive(Debug, Clone)]
pub struct Head {
    /// The page's own title; empty for the site's name alone.
    pub title: String,
    pub description: String,
    /// The page's address under the public base URL, for pages search engines should index.
    pub canonical: Option<String>,
    pub kind: PageKind,
    /// Structured data, each a JSON-LD object.
    pub structured_data: Vec<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Website,
    /// A knowledge-base article (`og:type` article).
    Article,
}

impl Head {
    /// A page that is nobody's business but the visitor's (tickets, sign-in) or no page at all:
    /// search engines must neither index it nor follow its links.
    pub fn private(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            description: SITE_DESCRIPTION.to_owned(),
            canonical: None,
            kind: PageKind::Website,
            structured_data: Vec::new(),
        }
    }

    pub fn full_title(&self) -> String {
        if self.title.is_empty() {
            SITE_NAME.to_owned()
        } else {
            format!("{} · {SITE_NAME}", self.title)
        }
    }

    pub fn render(&self) -> Markup {
        let title = self.full_title();
        let og_type = match self.kind {
            PageKind::Website => "website",
            PageKind::Article => "article",
        };
        html! {
            title { (title) }
            meta name="description" content=(self.description);
            @match &self.canonical {
                Some(url) => {
                    link rel="canonical" href=(url);
                    meta property="og:url" content=(url);
                }
                None => meta name="robots" content="noindex, nofollow";
            }
            meta property="og:site_name" content=(SITE_NAME);
            meta property="og:type" content=(og_type);
            meta property="og:title" content=(title);
            meta property="og:description" content=(self.description);
            meta name="twitter:card" content="summary";
            meta name="twitter:title" content=(title);
            meta name="twitter:description" content=(self.description);
            @for data in &self.structured_data {
                script type="application/ld+json" { (PreEscaped(script_json(data))) }
            }
        }
    }
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` are written as `\u` escapes,
/// so no text (an article title of `</script><script>`, say) can end the element or open
/// another. The JSON means the same.
pub fn script_json(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    let mut safe = String::with_capacity(json.len() + 16);
    for character in json.chars() {
        match character {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            // Line and paragraph separators end a line in older JavaScript parsers.
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            other => safe.push(other),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_end_its_element_and_means_the_same() {
        let hostile = serde_json::json!({ "title": "</script><script>alert(1)</script> & more" });
        let safe = script_json(&hostile);
        assert!(
            !safe.contains('<') && !safe.contains('>') && !safe.contains('&'),
            "{safe}"
        );
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, hostile);
    }

    #[test]
    fn a_private_page_is_not_indexed_and_names_no_canonical_address() {
        let head = Head::private("Sign in").render().into_string();
        assert!(head.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
        assert!(!head.contains("canonical"));
        assert!(head.contains("<title>Sign in · Lantern Support</title>"));
    }

    #[test]
    fn texts_are_escaped_in_the_title_and_attributes() {
        let head = Head {
            title: "<b>\"Backups\"</b>".to_owned(),
            description: "\"><script>x</script>".to_owned(),
            canonical: Some("https://help.example/kb/a?b=1&c=2".to_owned()),
            kind: PageKind::Article,
            structured_data: Vec::new(),
        }
        .render()
        .into_string();
        assert!(
            !head.contains("<b>") && !head.contains("<script>x"),
            "{head}"
        );
        assert!(
            head.contains("&lt;b&gt;&quot;Backups&quot;&lt;/b&gt;"),
            "{head}"
        );
        assert!(head.contains(r#"href="https://help.example/kb/a?b=1&amp;c=2""#));
    }
}
