use lantern_core::api::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::page_title::PageTitle;
use crate::components::tickets::clock::provide_ticking_clock;
use crate::components::tickets::list_address::{filters_from_address, list_name};
use crate::components::tickets::{ScopeTabs, TicketFilters, TicketList, use_policy_names};
use crate::routes::ticket_list_path;
use crate::session::use_session;

/// `/tickets`: the signed-in person's tickets, filtered and sorted as the address says;
/// organisation admins can switch to every ticket of their organisation ("Organisation
/// tickets", the heading says which list it is).
#[component]
pub fn MyTicketsPage() -> impl IntoView {
    provide_ticking_clock();
    let query = use_query_map();
    let filters =
        Memo::new(move |_| query.with(|query| filters_from_address(|key| query.get(key))));
    let names = use_policy_names();
    let navigate = use_navigate();
    let on_change =
        Callback::new(move |next| navigate(&ticket_list_path(&next), Default::default()));
    let session = use_session();
    let is_org_admin = move || session.me().is_some_and(|me| me.role == Role::OrgAdmin);
    let heading = move || list_name(filters.get().scope.unwrap_or_default());
    view! {
        <PageTitle text=Signal::derive(move || heading().to_owned())/>
        <section class="page tickets-page">
            <div class="tickets-page-header">
                <h1>{heading}</h1>
                <a class="button button-primary" href="/tickets/new">"New ticket"</a>
            </div>
            <Show when=is_org_admin>
                <ScopeTabs filters/>
            </Show>
            <TicketFilters filters names on_change/>
            <TicketList filters names/>
        </section>
    }
}
