use lantern_core::api::KbIndexEntry;
use leptos::prelude::*;

use super::article_path;

/// Articles on the same subject (same tags or category), chosen by the server.
#[component]
pub fn RelatedArticles(articles: Vec<KbIndexEntry>) -> impl IntoView {
    (!articles.is_empty()).then(|| {
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
        view! {
            <section class="kb-related" aria-labelledby="kb-related-heading">
                <h2 id="kb-related-heading">"Related articles"</h2>
                <ul class="kb-article-list">{items}</ul>
            </section>
        }
    })
}
