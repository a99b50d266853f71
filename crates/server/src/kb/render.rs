//! Markdown → safe HTML with linkable headings, and the plain text the full-text index reads.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// An article body, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitised HTML; every heading has a unique `id`.
    pub html: String,
    /// The words of the body without markup, for full-text search.
    pub text: String,
}

/// Renders Markdown with pulldown-cmark and sanitises the result with ammonia, so raw HTML in
/// an article (a `<script>`, an `onerror=`, a `javascript:` link) never reaches a reader.
pub fn render_markdown(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    add_heading_ids(&mut events);
    let text = plain_text(&events);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut unsafe_html, events.into_iter());
    Rendered {
        html: SANITIZER.clean(&unsafe_html).to_string(),
        text,
    }
}

/// ammonia's defaults, plus the heading `id`s we add and the language class of code blocks.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, &["id"]);
    }
    builder.add_tag_attributes("code", &["class"]);
    builder
});

/// Gives every heading without an explicit id one made from its text, unique in the article.
fn add_heading_ids(events: &mut [Event]) {
    let mut used = HashSet::new();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[index] {
            let text = heading_text(&events[index + 1..]);
            let id = unique(slugify(&text), &mut used);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index] {
                *slot = Some(CowStr::from(id));
            }
        }
        index += 1;
    }
}

/// The text of a heading, from the events after its start up to its end.
fn heading_text(events: &[Event]) -> String {
    events
        .iter()
        .take_while(|event| !matches!(event, Event::End(TagEnd::Heading(_))))
        .filter_map(|event| match event {
            Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect()
}

/// `"Restore from the agent"` → `restore-from-the-agent`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for character in text.chars() {
        if character.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(character.to_lowercase());
        } else if character == '&' {
            // "Backup & restore" reads better as `backup-and-restore` than `backup-restore`.
            if !slug.is_empty() {
                slug.push_str("-and");
            }
            pending_hyphen = true;
        } else {
            pending_hyphen = true;
        }
    }
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

fn unique(base: String, used: &mut HashSet<String>) -> String {
    let mut candidate = base.clone();
    let mut counter = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{counter}");
        counter += 1;
    }
    candidate
}

/// The words of the document: text and code, with block ends as line breaks.
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => text.push('\n'),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// Escapes text for use inside HTML elements and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_event_handlers_never_survive() {
        let markdown = "# Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[click](javascript:alert(3))\n\n<p onclick=\"alert(4)\">text</p>";
        let html = render_markdown(markdown).html;
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("alert(1)"), "{html}");
        assert!(!lower.contains("onerror"), "{html}");
        assert!(!lower.contains("onclick"), "{html}");
        assert!(!lower.contains("javascript:"), "{html}");
        assert!(
            html.contains("<img src=\"x\">"),
            "harmless parts stay: {html}"
        );
    }

    #[test]
    fn headings_get_unique_linkable_ids() {
        let html = render_markdown(
            "## Before you start\n\ntext\n\n## Before you start\n\n### `harbor-cli` & you\n",
        )
        .html;
        assert!(
            html.contains("<h2 id=\"before-you-start\">Before you start</h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"before-you-start-2\">"), "{html}");
        assert!(html.contains("<h3 id=\"harbor-cli-and-you\">"), "{html}");
    }

    #[test]
    fn tables_and_code_render() {
        let html =
            render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n```sh\nharbor-cli status\n```\n")
                .html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<code class=\"language-sh\">"), "{html}");
    }

    #[test]
    fn plain_text_keeps_words_and_drops_markup() {
        let text =
            render_markdown("## Symptom\n\nRun **`harbor-cli diag`** and see [the log](/kb/x).")
                .text;
        assert_eq!(text, "Symptom\nRun harbor-cli diag and see the log.");
    }

    #[test]
    fn slugs_read_well() {
        assert_eq!(slugify("Backup & restore"), "backup-and-restore");
        assert_eq!(
            slugify("  1. Install the desktop client "),
            "1-install-the-desktop-client"
        );
        assert_eq!(slugify("Accounts & sign-in"), "accounts-and-sign-in");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn escaping_covers_markup_characters() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
