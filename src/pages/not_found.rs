use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::server_page;

/// Shown for any address the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    server_page::page_ready();
    view! {
        <PageTitle text="Page not found"/>
        <section class="page card narrow">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <ul class="link-list">
                <li><a href="/">"Search the knowledge base"</a></li>
                <li><a href="/support">"See how to reach support"</a></li>
            </ul>
        </section>
    }
}
