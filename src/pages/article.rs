use lantern_core::api::KbArticle;
use lantern_core::dates::iso_date_in_words;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use web_sys::Element;

use crate::api::{self, ApiError, SentAhead};
use crate::components::kb::{Breadcrumbs, HelpfulVote, RelatedArticles, StillNeedHelp};
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::wizard::focus;
use crate::dom::elements;
use crate::pages::not_found::NotFoundPage;
use crate::routes::category_path;
use crate::{page_data, server_page};

/// The article's heading, where the focus goes when the article opens within the app.
const TITLE_ID: &str = "kb-article-title";

/// What the route starts for the article page (`src/app.rs`) while the page's part of the app
/// downloads, so neither waits for the other.
#[derive(Clone)]
pub struct ArticleData {
    slug: String,
    /// The article's request, unless the page the server rendered came with the article.
    sent: Option<SentAhead<KbArticle>>,
}

impl ArticleData {
    pub fn start() -> Self {
        let slug = use_params_map()
            .with_untracked(|params| params.get("slug"))
            .unwrap_or_default();
        let sent = (!page_data::is_waiting()).then(|| api::kb_article_ahead(&slug));
        Self { slug, sent }
    }
}

/// `/kb/:slug`: one knowledge-base article with its feedback buttons and related articles.
#[component]
pub fn ArticlePage(data: ArticleData) -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let article = LocalResource::new(move || {
        let slug = slug.get();
        // The first article shown came with the page (its view counted by the server), or
        // was sent for ahead; any other is asked for now.
        let embedded = page_data::article().filter(|article| article.slug == slug);
        let sent = data
            .sent
            .filter(|_| data.slug == slug)
            .and_then(SentAhead::take);
        async move {
            match (embedded, sent) {
                (Some(article), _) => Ok(article),
                (None, Some(answer)) => answer.await,
                (None, None) => api::kb_article(&slug).await,
            }
        }
    });
    view! {
        <Suspense fallback=|| {
            view! {
                // In the article's column, where the article will appear.
                <div class="kb-article"><Loading label="Loading the article…"/></div>
            }
        }>
            {move || {
                article
                    .get()
                    .map(|answer| match answer {
                        Ok(article) => Ok(view! { <ArticleView article/> }.into_any()),
                        Err(error) if error.status() == Some(404) => {
                            Ok(view! { <NotFoundPage/> }.into_any())
                        }
                        Err(error) => Err::<AnyView, ApiError>(error),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ArticleView(article: KbArticle) -> impl IntoView {
    let KbArticle {
        slug,
        title,
        category,
        updated,
        body_html,
        votes,
        related,
        ..
    } = article;
    let category_href = category_path(&category.slug, None);
    let body = NodeRef::<Div>::new();
    request_animation_frame(move || {
        if let Some(body) = body.get_untracked() {
            add_heading_links(&body);
        }
        // The body arrived after the browser looked for the address's #heading: look again,
        // unless the browser found it in the server's page, where the reader may have moved on.
        // Opened from within the app (a search result, a related article), the focus was on a
        // link that is gone: it goes to the article's heading, where reading starts.
        if !server_page::is_shown() && !scroll_to_address_heading() {
            focus::element(TITLE_ID);
        }
    });
    server_page::page_ready();
    view! {
        <PageTitle text=title.clone()/>
        <article class="page kb-article">
            <Breadcrumbs category_name=category.name category_href title=title.clone()/>
            <header class="kb-article-header">
                <h1 id=TITLE_ID tabindex="-1">{title}</h1>
                <p class="kb-article-meta">
                    "Updated " <time datetime=updated.clone()>{iso_date_in_words(&updated)}</time>
                </p>
            </header>
            // Rendered from Markdown and sanitised by the server; its headings carry ids.
            <div class="kb-article-body" node_ref=body inner_html=body_html></div>
            <HelpfulVote slug=slug.clone() votes/>
            <RelatedArticles articles=related/>
            <StillNeedHelp slug/>
        </article>
    }
}

/// Gives every section heading of the body a link to itself, to copy or share.
fn add_heading_links(body: &Element) {
    for heading in elements(body, ":is(h2, h3, h4)[id]") {
        let Ok(link) = document().create_element("a") else {
            return;
        };
        let label = format!(
            "Link to this section: {}",
            heading.text_content().unwrap_or_default()
        );
        let href = format!("#{}", heading.id());
        if link.set_attribute("href", &href).is_ok()
            && link.set_attribute("class", "kb-heading-link").is_ok()
            && link.set_attribute("aria-label", &label).is_ok()
        {
            link.set_text_content(Some("#"));
            // Ignored: appending a fresh element to a live heading cannot fail.
            let _ = heading.append_child(&link);
        }
    }
}

/// Scrolls to the heading the address's `#fragment` names; whether there was one.
fn scroll_to_address_heading() -> bool {
    let fragment = window().location().hash().unwrap_or_default();
    let Some(id) = fragment.strip_prefix('#').filter(|id| !id.is_empty()) else {
        return false;
    };
    let id = js_sys::decode_uri_component(id)
        .map(String::from)
        .unwrap_or_else(|_| id.to_owned());
    let heading = document().get_element_by_id(&id);
    if let Some(heading) = &heading {
        heading.scroll_into_view();
    }
    heading.is_some()
}
