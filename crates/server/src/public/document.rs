//! Whole HTML documents: the app's built `index.html` (its scripts, styles and preloads as
//! Trunk wrote them) with the page's head, and, for pages the server renders, the page's markup
//! and data in the body.

use lantern_core::api::{PAGE_DATA_ELEMENT_ID, PageData, SERVER_PAGE_ELEMENT_ID};
use maud::{Markup, PreEscaped, html};

use super::head::{Head, script_json};

/// The page's markup, the data the app starts from, and the stylesheets (by their name in
/// style/) its first paint needs.
pub struct ServerPage<'a> {
    pub markup: Markup,
    pub data: &'a PageData,
    pub styles: &'a [&'a str],
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
        html = for_first_paint(&html, page.styles);
        match html.find("<body>") {
            Some(start) => html.insert_str(start + "<body>".len(), &body),
            None => html.push_str(&body),
        }
    }
    html
}

/// The page is readable without the app, so nothing of the app may compete with what its
/// first paint needs, nor be fetched for a reader who never uses it: the app's preloads go
/// (public/boot.js fetches the app at the visitor's first use of the page), and the
/// stylesheets of the other pages (those not in `styles`, by their name in style/) wait, inert,
/// until boot.js turns them on with the app.
fn for_first_paint(html: &str, styles: &[&str]) -> String {
    let mut rewritten = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link ") {
        let Some(length) = rest[start..].find('>') else {
            break;
        };
        let link = &rest[start..=start + length];
        rewritten.push_str(&rest[..start]);
        rest = &rest[start + length + 1..];
        if link.contains("rel=\"preload\"") || link.contains("rel=\"modulepreload\"") {
            continue;
        }
        let needed = stylesheet_name(link).is_none_or(|name| styles.contains(&name));
        if needed {
            rewritten.push_str(link);
        } else {
            rewritten.push_str(&link.replacen("rel=\"stylesheet\"", "data-with-app", 1));
        }
    }
    rewritten.push_str(rest);
    rewritten
}

/// `kb` for Trunk's `<link rel="stylesheet" href="/kb-0123456789abcdef.css" …>` of style/kb.css.
fn stylesheet_name(link: &str) -> Option<&str> {
    if !link.contains("rel=\"stylesheet\"") {
        return None;
    }
    let href = link.split("href=\"/").nth(1)?.split('"').next()?;
    let (name, _hash) = href.strip_suffix(".css")?.rsplit_once('-')?;
    Some(name)
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
            styles: &[],
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
    fn a_rendered_page_paints_before_the_app_and_the_other_pages_styles_load() {
        let shell = SHELL.replace(
            "</head>",
            "<link rel=\"stylesheet\" href=\"/main-0a1b.css\" integrity=\"sha384-m\"/>\
             <link rel=\"stylesheet\" href=\"/wizard-2c3d.css\" integrity=\"sha384-w\"/>\
             <link rel=\"modulepreload\" href=\"/__wasm_split.js\">\
             <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
             <link rel=\"preload\" href=\"/lantern_bg.wasm\" as=\"fetch\" type=\"application/wasm\"></head>",
        );
        let data = PageData::default();
        let page = ServerPage {
            markup: html! {},
            data: &data,
            styles: &["main"],
        };
        let rendered = document(&shell, &Head::private(""), Some(page));
        assert!(
            rendered.contains(
                "<link rel=\"stylesheet\" href=\"/main-0a1b.css\" integrity=\"sha384-m\"/>\
                 <link data-with-app href=\"/wizard-2c3d.css\" integrity=\"sha384-w\"/>\
                 <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><title>"
            ),
            "{rendered}"
        );
        // Without a rendered page, the app is the page: it loads as soon as it can.
        let alone = document(&shell, &Head::private(""), None);
        assert!(alone.contains("rel=\"preload\"") && alone.contains("rel=\"modulepreload\""));
        assert!(!alone.contains("data-with-app"));
    }

    #[test]
    fn a_page_the_app_renders_alone_keeps_its_noscript_note() {
        let html = document(SHELL, &Head::private("Sign in"), None);
        assert!(html.contains("<noscript>Lantern needs JavaScript.</noscript>"));
        assert!(html.contains("noindex"));
    }
}
