use lantern_core::addresses::new_ticket_path;
use lantern_core::api::KbCategory;
use leptos::prelude::*;

use super::{ResultItem, article_path};

/// What a search that no article answers says: plainly that nothing does, a ticket to support
/// with the question as its subject, and, when not even a partial match was found, close
/// matches and the biggest categories. Partial matches follow in the results list.
#[component]
pub fn NoGoodMatch(
    query: String,
    /// Whether the results list below holds partly matching articles.
    has_partial: bool,
    close_matches: Vec<ResultItem>,
    top_categories: Vec<KbCategory>,
    category_href: impl Fn(&str) -> String + 'static,
) -> impl IntoView {
    let query = query.trim().to_owned();
    let ticket_href = new_ticket_path(&query);
    let hint = if has_partial {
        "The articles below match only part of your question."
    } else {
        "Check the spelling, or try fewer or other words."
    };
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
        <section class="kb-no-answer card" aria-labelledby="kb-no-answer-heading">
            <h2 id="kb-no-answer-heading">"No article answers “" {query} "” yet"</h2>
            <div class="kb-no-answer-support">
                <p>"Our support team can help: your question becomes the subject of a new ticket."</p>
                <p class="kb-no-answer-actions">
                    <a class="button button-primary" href=ticket_href>"Contact support"</a>
                    <a href="/support">"Support hours and other ways to reach us"</a>
                </p>
            </div>
            <p class="kb-no-answer-hint">{hint}</p>
            {suggestions}
            {categories}
        </section>
    }
}
