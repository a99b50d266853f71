use leptos::prelude::*;

/// Knowledge base › Category › Title, the last being the current page.
#[component]
pub fn Breadcrumbs(category_name: String, category_href: String, title: String) -> impl IntoView {
    view! {
        <nav aria-label="Breadcrumb" class="kb-breadcrumbs">
            <ol>
                <li><a href="/">"Knowledge base"</a></li>
                <li><a href=category_href>{category_name}</a></li>
                <li aria-current="page">{title}</li>
            </ol>
        </nav>
    }
}
