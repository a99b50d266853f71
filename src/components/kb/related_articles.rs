use lantern_core::api::KbIndexEntry;
use leptos::prelude::*;

use super::ArticleList;

/// Articles on the same subject (same tags or category), chosen by the server.
#[component]
pub fn RelatedArticles(articles: Vec<KbIndexEntry>) -> impl IntoView {
    (!articles.is_empty()).then(|| {
        view! {
            <section class="kb-related" aria-labelledby="kb-related-heading">
                <h2 id="kb-related-heading">"Related articles"</h2>
                <ArticleList articles/>
            </section>
        }
    })
}
