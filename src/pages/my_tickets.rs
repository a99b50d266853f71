use leptos::prelude::*;

use crate::components::page_title::PageTitle;

/// `/tickets`: the signed-in person's tickets (placeholder until the ticket work lands).
#[component]
pub fn MyTicketsPage() -> impl IntoView {
    view! {
        <PageTitle text="My tickets"/>
        <section class="page">
            <h1>"My tickets"</h1>
            <p class="lead">"Your ticket list is coming soon."</p>
        </section>
    }
}
