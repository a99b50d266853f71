use lantern_core::api::KbCategory;
use leptos::prelude::*;

use super::{ResultItem, article_path};

/// What a search without results offers instead: close matches, the biggest categories, and a
/// ticket with the query as its subject.
#[component]
pub fn NoResults(
    query: String,
    close_matches: Vec<ResultItem>,
    top_categories: Vec<KbCategory>,
    category_href: fn(&str) -> String,
) -> impl IntoView {
    let ticket_href = format!(
        "/tickets/new?subject={}",
        String::from(js_sys::encode_uri_component(&query))
    );
    let suggestions = (!close_matches.is_empty()).then(|| {
        let links = close_matches
            .into_iter()
            .map(|item| view! { <li><a href=article_path(&item.slug)>{item.title}</a></li> })
            .collect_view();
        view! {
            <h3>"Close matches"</h3>
            <ul class="link-list">{links}</ul>
        }
    });
    let categories = (!top_categories.is_empty()).then(|| {
        let links = top_categories
            .into_iter()
            .map(|category| {
                view! { <li><a href=category_href(&category.slug)>{category.name}</a></li> }
            })
            .collect_view();
        view! {
            <h3>"Browse a category"</h3>
            <ul class="link-list">{links}</ul>
        }
    });
    view! {
        <section class="kb-no-results card" aria-labelledby="kb-no-results-heading">
            <h2 id="kb-no-results-heading">"No articles match “" {query} "”"</h2>
            <p>"Check the spelling, try fewer or other words, or:"</p>
            {suggestions}
            {categories}
            <p class="kb-no-results-ticket">
                "Still stuck? Our support team can help. "
                <a class="button button-primary" href=ticket_href>"Create a ticket"</a>
            </p>
        </section>
    }
}
