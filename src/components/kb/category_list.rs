use lantern_core::api::{KbCategory, KbIndexEntry};
use leptos::prelude::*;

use super::ArticleList;

/// Browse by category: every category with its number of articles.
#[component]
pub fn CategoryList(
    categories: Vec<KbCategory>,
    /// The address that lists one category's articles.
    category_href: fn(&str) -> String,
) -> impl IntoView {
    let items = categories
        .into_iter()
        .map(|category| {
            let count = article_count(category.article_count);
            view! {
                <li>
                    <a class="kb-category" href=category_href(&category.slug)>
                        <span class="kb-category-name">{category.name}</span>
                        <span class="kb-category-count">{count}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="kb-browse" aria-labelledby="kb-browse-heading">
            <h2 id="kb-browse-heading">"Browse by category"</h2>
            <ul class="kb-category-grid">{items}</ul>
        </section>
    }
}

/// The articles of one category, as links with their summaries.
#[component]
pub fn CategoryArticles(name: String, articles: Vec<KbIndexEntry>) -> impl IntoView {
    let count = article_count(articles.len() as u32);
    view! {
        <section class="kb-browse" aria-labelledby="kb-category-heading">
            <h2 id="kb-category-heading">{name}" "<span class="kb-category-count">{count}</span></h2>
            <ArticleList articles/>
        </section>
    }
}

fn article_count(count: u32) -> String {
    match count {
        1 => "1 article".to_owned(),
        count => format!("{count} articles"),
    }
}
