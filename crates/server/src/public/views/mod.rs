//! The markup of the public pages, element for element and class for class what the app's
//! components render (named after them, in `src/components/` and `src/pages/`), so the page
//! reads the same before the app takes over and does not move when it does. A change to one of
//! those components belongs here too; the end-to-end suite compares the two.

use lantern_core::api::{KbArticle, KbCategory, KbIndexEntry};
use lantern_core::dates::iso_date_in_words;
use maud::{Markup, PreEscaped, html};

use lantern_core::addresses::{article_path, category_path, contact_support_path, sign_in_path};

pub mod support;

/// Who the header names: the signed-in person, or nobody.
pub struct Visitor<'a> {
    pub name: Option<&'a str>,
    /// The page's path and query, where "Sign in" brings the visitor back to.
    pub here: &'a str,
}

/// `SkipLink`, `Header` and `<main>` around the page.
pub fn page_frame(visitor: &Visitor<'_>, current_nav: Option<&str>, page: Markup) -> Markup {
    html! {
        a.skip-link href="#main" rel="external" { "Skip to content" }
        header.site-header {
            div.site-header-inner {
                (brand_link())
                (main_nav(current_nav))
                div.account {
                    @match visitor.name {
                        Some(name) => {
                            span.account-name { (name) }
                            a href="/account" { "Account" }
                            button.button.button-quiet type="button" { "Sign out" }
                        }
                        None => a.button.button-quiet href=(sign_in_path(visitor.here)) { "Sign in" },
                    }
                }
            }
        }
        main id="main" tabindex="-1" aria-busy="false" { (page) }
    }
}

fn brand_link() -> Markup {
    html! {
        a.brand href="/" {
            svg.brand-logo viewBox="0 0 32 32" aria-hidden="true" focusable="false" {
                rect width="32" height="32" rx="7" fill="#1d4ed8" {}
                path d="M16 5c-3 4-6 7-6 11a6 6 0 0 0 12 0c0-4-3-7-6-11z" fill="#fde68a" {}
                rect x="12" y="24" width="8" height="3" rx="1" fill="#fde68a" {}
            }
            span.brand-name { "Lantern" }
            span.brand-suffix { "Support" }
        }
    }
}

/// `MainNav`: the current page's link says so, as the router's `<A>` does; the menu that
/// folds the links on a narrow screen opens without the app.
fn main_nav(current: Option<&str>) -> Markup {
    const LINKS: [(&str, &str); 4] = [
        ("/", "Knowledge base"),
        ("/tickets/new", "New ticket"),
        ("/tickets", "My tickets"),
        ("/support", "Support"),
    ];
    html! {
        nav.main-nav aria-label="Main" {
            details.main-nav-menu {
                summary.button.button-quiet.main-nav-toggle { "Menu" }
                ul {
                    @for (href, label) in LINKS {
                        li {
                            @if current == Some(href) {
                                a href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `ArticlePage` once its article is there.
pub fn article_page(article: &KbArticle) -> Markup {
    html! {
        article.page.kb-article {
            nav.kb-breadcrumbs aria-label="Breadcrumb" {
                ol {
                    li { a href="/" { "Knowledge base" } }
                    li { a href=(category_path(&article.category.slug, None)) { (article.category.name) } }
                    li aria-current="page" { (article.title) }
                }
            }
            header.kb-article-header {
                h1 id="kb-article-title" tabindex="-1" { (article.title) }
                p.kb-article-meta {
                    "Updated " time datetime=(article.updated) { (iso_date_in_words(&article.updated)) }
                }
            }
            // Rendered from Markdown and sanitised when the article was imported.
            div.kb-article-body { (PreEscaped(&article.body_html)) }
            (helpful_vote(article))
            @if !article.related.is_empty() {
                section.kb-related aria-labelledby="kb-related-heading" {
                    h2 id="kb-related-heading" { "Related articles" }
                    (article_list(&article.related))
                }
            }
            (still_need_help(&article.slug))
        }
    }
}

/// `HelpfulVote`: its buttons need the app; one pressed before the app has taken over is
/// pressed again in the app once it has (`src/server_page.rs`).
fn helpful_vote(article: &KbArticle) -> Markup {
    let mine = article.votes.mine;
    html! {
        section.kb-helpful aria-labelledby="kb-helpful-heading" {
            h2 id="kb-helpful-heading" { "Was this helpful?" }
            div.kb-helpful-buttons {
                (vote_button("Yes", mine == Some(true)))
                (vote_button("No", mine == Some(false)))
            }
            p id="kb-helpful-message" class="kb-helpful-message" role="status" tabindex="-1" {}
        }
    }
}

fn vote_button(label: &str, pressed: bool) -> Markup {
    html! {
        button.button.kb-vote type="button" aria-pressed=(pressed) { (label) }
    }
}

/// `StillNeedHelp`.
fn still_need_help(slug: &str) -> Markup {
    html! {
        section.kb-still-need-help aria-labelledby="kb-still-need-help-heading" {
            h2 id="kb-still-need-help-heading" { "Still need help?" }
            p { a.button.button-primary href=(contact_support_path(slug)) { "Contact support" } }
        }
    }
}

/// `ArticleList`.
fn article_list(articles: &[KbIndexEntry]) -> Markup {
    html! {
        ul.kb-article-list {
            @for article in articles {
                li {
                    a href=(article_path(&article.slug)) { (article.title) }
                    p.kb-article-summary { (article.summary) }
                }
            }
        }
    }
}

/// What the home page shows below its search box.
pub enum Browse<'a> {
    /// Every category with articles (`CategoryList`).
    Categories(&'a [KbCategory]),
    /// The articles of one category (`CategoryArticles`).
    Category {
        name: &'a str,
        articles: &'a [KbIndexEntry],
    },
}

/// `HomePage` with an empty search box: the search box, the filters and what to browse.
pub fn home_page(
    products: &[(String, String)],
    categories: &[KbCategory],
    chosen: &Chosen<'_>,
    browse: &Browse<'_>,
) -> Markup {
    html! {
        section.page.kb-home {
            h1 { "How can we help?" }
            (search_box())
            (search_filter_bar(products, categories, chosen))
            p.visually-hidden role="status" aria-live="polite" {}
            @match browse {
                Browse::Categories(categories) => (category_list(categories, chosen.product)),
                Browse::Category { name, articles } => (category_articles(name, articles)),
            }
        }
    }
}

/// The filters in the address.
#[derive(Debug, Clone, Copy, Default)]
pub struct Chosen<'a> {
    pub product: Option<&'a str>,
    pub category: Option<&'a str>,
}

/// `SearchBox`: readable and focusable; typing in it needs the app.
fn search_box() -> Markup {
    html! {
        div.kb-search-box role="search" {
            label.kb-search-label for="kb-search" { "Search the knowledge base" }
            input id="kb-search" class="kb-search-input" type="search" role="combobox"
                aria-autocomplete="list" aria-controls="kb-results" aria-expanded="false"
                aria-describedby="kb-search-hint" autocomplete="off" spellcheck="false"
                placeholder="For example: restore a backup";
            p id="kb-search-hint" class="kb-search-hint" {
                "Results appear as you type. Use the arrow keys to choose one and Enter to open it."
            }
        }
    }
}

/// `SearchFilterBar`, with `(id, name)` products.
fn search_filter_bar(
    products: &[(String, String)],
    categories: &[KbCategory],
    chosen: &Chosen<'_>,
) -> Markup {
    html! {
        div.kb-filters {
            div.kb-filter {
                label for="kb-product" { "Product" }
                select id="kb-product" {
                    option value="" { "All products" }
                    @for (id, name) in products {
                        option value=(id) selected[chosen.product == Some(id.as_str())] { (name) }
                    }
                }
            }
            div.kb-filter {
                label for="kb-category" { "Category" }
                select id="kb-category" {
                    option value="" { "All categories" }
                    @for category in categories.iter().filter(|category| {
                        category.article_count > 0 || chosen.category == Some(category.slug.as_str())
                    }) {
                        option value=(category.slug)
                            selected[chosen.category == Some(category.slug.as_str())] {
                            (category.name) " (" (category.article_count) ")"
                        }
                    }
                }
            }
        }
    }
}

/// `CategoryList`.
fn category_list(categories: &[KbCategory], product: Option<&str>) -> Markup {
    html! {
        section.kb-browse aria-labelledby="kb-browse-heading" {
            h2 id="kb-browse-heading" { "Browse by category" }
            ul.kb-category-grid {
                @for category in categories.iter().filter(|category| category.article_count > 0) {
                    li {
                        a.kb-category href=(category_path(&category.slug, product)) {
                            span.kb-category-name { (category.name) }
                            span.kb-category-count { (article_count(category.article_count)) }
                        }
                    }
                }
            }
        }
    }
}

/// `CategoryArticles`.
fn category_articles(name: &str, articles: &[KbIndexEntry]) -> Markup {
    let count = u32::try_from(articles.len()).unwrap_or(u32::MAX);
    html! {
        section.kb-browse aria-labelledby="kb-category-heading" {
            h2 id="kb-category-heading" {
                (name) " " span.kb-category-count { (article_count(count)) }
            }
            @if articles.is_empty() {
                p.kb-browse-empty { "None of this category's articles is about the chosen product." }
            } @else {
                (article_list(articles))
            }
        }
    }
}

fn article_count(count: u32) -> String {
    match count {
        1 => "1 article".to_owned(),
        count => format!("{count} articles"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantern_core::api::KbVotes;

    fn hostile_article() -> KbArticle {
        KbArticle {
            id: 1,
            slug: "hostile".to_owned(),
            title: "</script><script>alert(1)</script>".to_owned(),
            summary: "\"><img src=x onerror=alert(1)>".to_owned(),
            category: KbCategory {
                slug: "a&b".to_owned(),
                name: "<i>A & B</i>".to_owned(),
                article_count: 1,
            },
            products: Vec::new(),
            tags: Vec::new(),
            updated: "2026-11-30".to_owned(),
            body_html: "<p>Sanitised <em>body</em></p>".to_owned(),
            views: 1,
            votes: KbVotes {
                helpful: 2,
                not_helpful: 0,
                mine: Some(true),
            },
            related: Vec::new(),
        }
    }

    #[test]
    fn article_texts_are_escaped_and_the_sanitised_body_is_kept() {
        let html = article_page(&hostile_article()).into_string();
        assert!(
            !html.contains("<script>") && !html.contains("<i>"),
            "{html}"
        );
        assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains(r#"href="/?category=a%26b""#), "{html}");
        assert!(html.contains("<p>Sanitised <em>body</em></p>"));
        assert!(html.contains(r#"<time datetime="2026-11-30">30 November 2026</time>"#));
        assert!(!html.contains("viewed"), "{html}");
        // The totals stay off the page; the reader's own answer is pressed.
        assert!(!html.contains("kb-vote-count"), "{html}");
        assert!(
            html.contains(r#"href="/tickets/new?article=hostile""#),
            "{html}"
        );
        assert!(html.contains(r#"aria-pressed="true""#));
    }

    #[test]
    fn the_current_page_is_marked_in_the_main_navigation() {
        let visitor = Visitor {
            name: None,
            here: "/support",
        };
        let html = page_frame(&visitor, Some("/support"), html! {}).into_string();
        assert!(html.contains(r#"<a href="/support" aria-current="page">Support</a>"#));
        assert!(html.contains(r#"<a href="/tickets">My tickets</a>"#));
        assert!(html.contains(r#"href="/signin?next=%2Fsupport""#), "{html}");
    }
}
