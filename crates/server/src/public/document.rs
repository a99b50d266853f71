//! Whole HTML documents: the app's built `index.html` (its scripts, styles and preloads as
//! Trunk wrote them) with the page's head, and, for pages the server renders, the page's markup
//! and data in the body.

use lantern_core::api::{PAGE_DATA_ELEMENT_ID, PageData, SERVER_PAGE_ELEMENT_ID};
use maud::{Markup, PreEscaped, html};

use super::head::{Head, script_json};

/// The page's markup and the data the app starts from.
pub struct ServerPage<'a> {
    pub markup: Markup,
    pub data: &'a PageData,
}

/// `shell` (the built `index.html`) with `head` in place of its title and description, and
/// `page`, if any, as the body's content in place of the note for browsers without JavaScript
/// (the page is readable without it).
pub fn document(shell: &str, head: &Head, page: Option<ServerPage<'_>>) -> String {
    let shell = without_element(shell, "<title", "</title>");
    let shell = without_element(&shell, "<meta name=\"description\"", ">");
    let head = head.render().into_string();
    let mut html = match shell.find("</head>") {
        Some(end) => format!("{}{head}{}", &shell[..end], &shell[end..]),
        None => format!("{head}{shell}"),
    };
    if let Some(page) = page {
        let body = html! {
            div id=(SERVER_PAGE_ELEMENT_ID) { (page.markup) }
            script type="application/json" id=(PAGE_DATA_ELEMENT_ID) {
                (PreEscaped(script_json(page.data)))
            }
        }
        .into_string();
        html = without_element(&html, "<noscript>", "</noscript>");
        html = wasm_preload_at_low_priority(&html);
        match html.find("<body>") {
            Some(start) => html.insert_str(start + "<body>".len(), &body),
            None => html.push_str(&body),
        }
    }
    html
}

/// The page is readable without the app: its WebAssembly, preloaded by Trunk's `<link
/// rel="preload" … as="fetch">`, must not compete with the page's styles for the first paint.
fn wasm_preload_at_low_priority(html: &str) -> String {
    let mut rewritten = String::with_capacity(html.len() + 24);
    let mut rest = html;
    while let Some(start) = rest.find("<link rel=\"preload\"") {
        let Some(length) = rest[start..].find('>') else {
            break;
        };
        let link = &rest[start..start + length];
        rewritten.push_str(&rest[..start]);
        rewritten.push_str(link);
        if link.contains("type=\"application/wasm\"") && !link.contains("fetchpriority") {
            rewritten.push_str(" fetchpriority=\"low\"");
        }
        rest = &rest[start + length..];
    }
    rewritten.push_str(rest);
    rewritten
}

/// `text` without the first element that starts with `start` and ends with the next `end`.
fn without_element(text: &str, start: &str, end: &str) -> String {
    let Some(from) = text.find(start) else {
        return text.to_owned();
    };
    match text[from..].find(end) {
        Some(length) => format!("{}{}", &text[..from], &text[from + length + end.len()..]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHELL: &str = "<!doctype html><html><head><meta charset=\"utf-8\">\
        <meta name=\"description\" content=\"Old\"><title>Old</title>\
        <script type=\"module\">import init from '/lantern.js';</script></head>\
        <body><noscript>Lantern needs JavaScript.</noscript></body></html>";

    #[test]
    fn the_head_is_replaced_and_the_page_takes_the_noscript_note_s_place() {
        let data = PageData::default();
        let page = ServerPage {
            markup: html! { p { "Hello" } },
            data: &data,
        };
        let html = document(SHELL, &Head::private("Sign in"), Some(page));
        assert_eq!(html.matches("<title>").count(), 1, "{html}");
        assert!(
            !html.contains("Old") && !html.contains("noscript"),
            "{html}"
        );
        assert!(html.contains("import init from '/lantern.js';"));
        assert!(html.contains(
            "<body><div id=\"server-page\"><p>Hello</p></div>\
             <script type=\"application/json\" id=\"lantern-page-data\">{}</script></body>"
        ));
    }

    #[test]
    fn a_rendered_page_preloads_the_app_at_low_priority() {
        let shell = SHELL.replace(
            "</head>",
            "<link rel=\"preload\" href=\"/lantern_bg.wasm\" as=\"fetch\" type=\"application/wasm\"></head>",
        );
        let data = PageData::default();
        let page = ServerPage {
            markup: html! {},
            data: &data,
        };
        let rendered = document(&shell, &Head::private(""), Some(page));
        assert!(rendered.contains(
            "<link rel=\"preload\" href=\"/lantern_bg.wasm\" as=\"fetch\" type=\"application/wasm\" fetchpriority=\"low\">"
        ), "{rendered}");
        // Without a rendered page, the app is the page: it loads as soon as it can.
        let alone = document(&shell, &Head::private(""), None);
        assert!(!alone.contains("fetchpriority"));
    }

    #[test]
    fn a_page_the_app_renders_alone_keeps_its_noscript_note() {
        let html = document(SHELL, &Head::private("Sign in"), None);
        assert!(html.contains("<noscript>Lantern needs JavaScript.</noscript>"));
        assert!(html.contains("noindex"));
    }
}
