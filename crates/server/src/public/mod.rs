//! The public help centre as HTML. The knowledge-base pages (`/`, a category listing at
//! `/?category=…`, `/kb/{slug}`) are rendered on the server, for the first paint, for readers
//! without JavaScript and for search engines; the app takes over once it has loaded (see
//! [`lantern_core::api::PageData`]). Every page's head carries its title, description and
//! canonical address, or `noindex`. `/robots.txt` and the sitemap are here too, and the HTTP
//! status of every address: 404 for unknown ones, 301 from a renamed article's old slug, 410
//! for a removed article.

mod address;
pub mod crawling;
mod document;
mod head;
mod views;

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lantern_core::api::{KbArticle, KbCategory, PageData, product_display_name};
use lantern_core::policy::schedule;
use maud::Markup;
use serde::Deserialize;
use serde_json::json;

use crate::api::kb::reader;
use crate::assets;
use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::db::kb::RetiredSlug;
use crate::error::{AppError, AppResult};
use crate::kb;
use crate::state::AppState;
use address::absolute;
use document::{ServerPage, document};
use head::{Head, PageKind};
use lantern_core::addresses::{article_path, category_path};
use views::{Browse, Chosen, Visitor};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots_txt))
        .route("/sitemap.xml", get(sitemap))
        .route("/sitemaps/{file}", get(sitemap_file))
        .route("/", get(home))
        .route("/kb/{slug}", get(article))
        .route("/support", get(support))
}

/// The stylesheets (by their name in style/) the first paint of the knowledge-base pages and of
/// /support needs; the others load after it.
const KNOWLEDGE_BASE_STYLES: &[&str] = &["main", "kb"];
const SUPPORT_STYLES: &[&str] = &["main", "support"];

/// The app's own pages that only make sense to one visitor (src/app.rs lists every route):
/// answered with the app alone and `noindex`. Any other address is not found.
const PRIVATE_PAGES: [&str; 11] = [
    "/account",
    "/tickets",
    "/tickets/new",
    "/tickets/new/filed/*",
    "/tickets/*",
    "/signin",
    "/register",
    "/reset-password",
    "/registrations/*",
    "/password-resets/*",
    "/invitations/*",
];

fn is_private_page(path: &str) -> bool {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    PRIVATE_PAGES
        .iter()
        .any(|page| match page.strip_suffix('*') {
            Some(prefix) => path
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/')),
            None => path == *page,
        })
}

async fn robots_txt(State(state): State<AppState>) -> Response {
    text_response(
        "text/plain; charset=utf-8",
        crawling::robots_txt(&state.config.public_url),
    )
}

async fn sitemap(State(state): State<AppState>) -> AppResult<Response> {
    let xml = crawling::sitemap(
        &state.database,
        &state.config.public_url,
        crawling::MAX_URLS_PER_SITEMAP,
    )
    .await?;
    Ok(text_response("application/xml; charset=utf-8", xml))
}

async fn sitemap_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let number = file
        .strip_suffix(".xml")
        .and_then(|number| number.parse::<u64>().ok());
    let xml = match number {
        Some(number) => {
            crawling::sitemap_file(
                &state.database,
                &state.config.public_url,
                crawling::MAX_URLS_PER_SITEMAP,
                number,
            )
            .await?
        }
        None => None,
    };
    match xml {
        Some(xml) => Ok(text_response("application/xml; charset=utf-8", xml)),
        None => Err(AppError::not_found(format!(
            "There is no sitemap “{file}”."
        ))),
    }
}

fn text_response(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HomeParams {
    q: String,
    product: String,
    category: String,
}

/// `/`: the categories, or one category's articles (`?category=`, with `?product=`); a search
/// (`?q=`) is left to the app and not indexed.
async fn home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(params): Query<HomeParams>,
    request: Request,
) -> AppResult<Response> {
    let Some(shell) = assets::app_shell(&state.config.dist).await else {
        return Ok(assets::app_not_built());
    };
    let here = path_and_query(&request);
    if !params.q.trim().is_empty() {
        let head = Head::private("Knowledge base");
        return Ok(html_response(StatusCode::OK, document(&shell, &head, None)));
    }
    let product = non_empty(&params.product);
    let category = non_empty(&params.category);
    let categories = db::kb::categories_about(&state.database, product).await?;
    let products: Vec<(String, String)> = db::kb::article_products(&state.database)
        .await?
        .into_iter()
        .map(|id| {
            let name = product_display_name(&id);
            (id, name)
        })
        .collect();
    let chosen = Chosen { product, category };
    let (head, listed) = match category {
        None => (home_head(&state), None),
        Some(slug) => {
            let Some(found) = categories.iter().find(|c| c.slug == slug) else {
                return Ok(not_found(&shell));
            };
            let articles = db::kb::category_entries(&state.database, slug, product).await?;
            (
                category_head(&state, found, product),
                Some((found, articles)),
            )
        }
    };
    let browse = match &listed {
        None => Browse::Categories(&categories),
        Some((found, articles)) => Browse::Category {
            name: &found.name,
            articles,
        },
    };
    let page = views::home_page(&products, &categories, &chosen, &browse);
    let data = PageData {
        categories: Some(categories),
        ..PageData::default()
    };
    Ok(rendered_page(
        &shell,
        &head,
        &visitor(user.as_ref(), &here),
        Some("/"),
        page,
        &data,
        KNOWLEDGE_BASE_STYLES,
    ))
}

/// A product's view of the home page is the home page, for search engines.
fn home_head(state: &AppState) -> Head {
    let canonical = absolute(&state.config.public_url, "/");
    Head {
        title: "Knowledge base".to_owned(),
        description: format!(
            "Answers from {}'s support team: search the knowledge base or browse it by category.",
            state.policy.vendor.name
        ),
        canonical: Some(canonical.clone()),
        kind: PageKind::Website,
        structured_data: vec![json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": head::SITE_NAME,
            "url": canonical,
        })],
    }
}

fn category_head(state: &AppState, category: &KbCategory, product: Option<&str>) -> Head {
    let public_url = &state.config.public_url;
    // Narrowed to a product, a listing is a view of the whole category.
    let canonical = absolute(public_url, &category_path(&category.slug, None));
    let description = match product {
        Some(product) => format!(
            "{}: the knowledge base's articles about {}.",
            category.name,
            product_display_name(product)
        ),
        None => format!("{}: the knowledge base's articles.", category.name),
    };
    Head {
        title: category.name.clone(),
        description,
        canonical: Some(canonical.clone()),
        kind: PageKind::Website,
        structured_data: vec![breadcrumbs(
            public_url,
            &[
                ("Knowledge base", "/".to_owned()),
                (&category.name, category_path(&category.slug, None)),
            ],
        )],
    }
}

/// `/kb/{slug}`: the article, as the app shows it; a renamed article's old slug leads to the
/// new one (301), a removed article is gone (410).
async fn article(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    request: Request,
) -> AppResult<Response> {
    let Some(shell) = assets::app_shell(&state.config.dist).await else {
        return Ok(assets::app_not_built());
    };
    let here = path_and_query(&request);
    let voter = reader(user.as_ref(), &headers);
    let article = match kb::article(&state.database, &slug, voter.as_ref()).await {
        Ok(article) => article,
        Err(error) if error.status() == StatusCode::NOT_FOUND => {
            return Ok(match db::kb::retired_slug(&state.database, &slug).await? {
                Some(RetiredSlug::RenamedTo(new_slug)) => {
                    let query = request.uri().query().map(|q| format!("?{q}"));
                    let target =
                        format!("{}{}", article_path(&new_slug), query.unwrap_or_default());
                    // 301, which every crawler and link checker knows (308 is newer).
                    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, target)]).into_response()
                }
                Some(RetiredSlug::Removed) => {
                    let head = Head::private("Article removed");
                    html_response(StatusCode::GONE, document(&shell, &head, None))
                }
                None => not_found(&shell),
            });
        }
        Err(error) => return Err(error),
    };
    let head = article_head(&state, &article);
    let page = views::article_page(&article);
    let data = PageData {
        article: Some(article),
        ..PageData::default()
    };
    Ok(rendered_page(
        &shell,
        &head,
        &visitor(user.as_ref(), &here),
        None,
        page,
        &data,
        KNOWLEDGE_BASE_STYLES,
    ))
}

fn article_head(state: &AppState, article: &KbArticle) -> Head {
    let public_url = &state.config.public_url;
    let canonical = absolute(public_url, &article_path(&article.slug));
    let category_href = category_path(&article.category.slug, None);
    Head {
        title: article.title.clone(),
        description: article.summary.clone(),
        canonical: Some(canonical.clone()),
        kind: PageKind::Article,
        structured_data: vec![
            json!({
                "@context": "https://schema.org",
                "@type": "Article",
                "headline": article.title,
                "description": article.summary,
                "dateModified": article.updated,
                "mainEntityOfPage": canonical,
                "articleSection": article.category.name,
                "publisher": { "@type": "Organization", "name": state.policy.vendor.name },
            }),
            breadcrumbs(
                public_url,
                &[
                    ("Knowledge base", "/".to_owned()),
                    (&article.category.name, category_href),
                    (&article.title, article_path(&article.slug)),
                ],
            ),
        ],
    }
}

/// A schema.org `BreadcrumbList` of `(name, path)` items.
fn breadcrumbs(public_url: &str, items: &[(&str, String)]) -> serde_json::Value {
    let elements: Vec<serde_json::Value> = items
        .iter()
        .enumerate()
        .map(|(position, (name, path))| {
            json!({
                "@type": "ListItem",
                "position": position + 1,
                "name": name,
                "item": absolute(public_url, path),
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": elements,
    })
}

/// `/support`: plans, response targets, hours, severities and contact channels.
async fn support(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    request: Request,
) -> Response {
    let Some(shell) = assets::app_shell(&state.config.dist).await else {
        return assets::app_not_built();
    };
    let head = Head {
        title: "Support plans and hours".to_owned(),
        description: format!(
            "How {} answers tickets: plans, response targets, support hours, severity levels and how to reach the team.",
            state.policy.vendor.name
        ),
        canonical: Some(absolute(&state.config.public_url, "/support")),
        kind: PageKind::Website,
        structured_data: Vec::new(),
    };
    let view = schedule::policy_view(&state.policy, state.clock.now());
    let here = path_and_query(&request);
    let page = views::support::support_page(&view);
    let data = PageData {
        policy: Some(view),
        ..PageData::default()
    };
    rendered_page(
        &shell,
        &head,
        &visitor(user.as_ref(), &here),
        Some("/support"),
        page,
        &data,
        SUPPORT_STYLES,
    )
}

/// Every other address outside `/api`: a built file, a private page of the app, or not found
/// (the app shows its not-found page, with a 404 for crawlers and link checkers).
pub async fn app_page(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if let Some(file) = assets::serve_file(&state.config.dist, request).await {
        return file;
    }
    let Some(shell) = assets::app_shell(&state.config.dist).await else {
        return assets::app_not_built();
    };
    if is_private_page(&path) {
        let head = Head::private("");
        return html_response(StatusCode::OK, document(&shell, &head, None));
    }
    not_found(&shell)
}

fn not_found(shell: &str) -> Response {
    let head = Head::private("Page not found");
    html_response(StatusCode::NOT_FOUND, document(shell, &head, None))
}

/// Who the header names, on the page at `here`.
fn visitor<'a>(user: Option<&'a CurrentUser>, here: &'a str) -> Visitor<'a> {
    Visitor {
        name: user.map(|user| user.name.as_str()),
        here,
    }
}

/// A page the server renders: `page` in the site's frame (the main navigation marking
/// `current_nav`), with its head and the data the app starts from.
fn rendered_page(
    shell: &str,
    head: &Head,
    visitor: &Visitor<'_>,
    current_nav: Option<&str>,
    page: Markup,
    data: &PageData,
    styles: &[&str],
) -> Response {
    let markup = views::page_frame(visitor, current_nav, page);
    let page = ServerPage {
        markup,
        data,
        styles,
    };
    html_response(StatusCode::OK, document(shell, head, Some(page)))
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // The page names the signed-in visitor and their vote.
    headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
    response
}

fn path_and_query(request: &Request) -> String {
    request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |value| value.as_str().to_owned())
}

fn non_empty(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_pages_are_the_app_s_own_routes() {
        for path in [
            "/tickets",
            "/tickets/",
            "/tickets/new",
            "/tickets/LAN-12",
            "/tickets/new/filed/LAN-000012",
            "/signin",
            "/account",
        ] {
            assert!(is_private_page(path), "{path}");
        }
        for path in [
            "/nowhere",
            "/tickets/a/b",
            "/tickets/new/filed/LAN-000012/x",
            "/registrations/",
            "/kb",
            "/signin/x",
        ] {
            assert!(!is_private_page(path), "{path}");
        }
    }
}
