use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::page_title::PageTitle;

/// `/tickets/:number`: one ticket with its conversation (placeholder until the ticket work lands).
#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    view! {
        <PageTitle text=Signal::derive(move || format!("Ticket {}", number()))/>
        <section class="page">
            <h1>"Ticket " {number}</h1>
            <p class="lead">"Showing this ticket is coming soon."</p>
        </section>
    }
}
