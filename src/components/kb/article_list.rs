use lantern_core::api::KbIndexEntry;
use leptos::prelude::*;

use crate::routes::article_path;

/// Articles as links with their summaries.
#[component]
pub fn ArticleList(articles: Vec<KbIndexEntry>) -> impl IntoView {
    let items = articles
        .into_iter()
        .map(|article| {
            view! {
                <li>
                    <a href=article_path(&article.slug)>{article.title}</a>
                    <p class="kb-article-summary">{article.summary}</p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="kb-article-list">{items}</ul> }
}
