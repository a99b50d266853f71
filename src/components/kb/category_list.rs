use lantern_core::api::{KbCategory, KbIndexEntry};
use leptos::prelude::*;

use super::ArticleList;

/// Browse by category: every category that has articles, with their number.
#[component]
pub fn CategoryList(
    categories: Vec<KbCategory>,
    /// The address that lists one category's articles.
    category_href: impl Fn(&str) -> String + 'static,
) -> impl IntoView {
    let items = categories
        .into_iter()
        .filter(|category| category.article_count > 0)
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
    let list = if articles.is_empty() {
        // Only a product filter can leave a category empty.
        view! {
            <p class="kb-browse-empty">
                "None of this category's articles is about the chosen product."
            </p>
        }
        .into_any()
    } else {
        view! { <ArticleList articles/> }.into_any()
    };
    view! {
        <section class="kb-browse" aria-labelledby="kb-category-heading">
            <h2 id="kb-category-heading">{name}" "<span class="kb-category-count">{count}</span></h2>
            {list}
        </section>
    }
}

fn article_count(count: u32) -> String {
    match count {
        1 => "1 article".to_owned(),
        count => format!("{count} articles"),
    }
}
