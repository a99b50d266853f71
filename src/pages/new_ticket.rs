use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::wizard::TicketWizard;
use crate::session::use_session;

/// `/tickets/new`: the new-ticket wizard. Signed-in only; `?subject=` starts a new draft with
/// that subject (the knowledge base's "Create a ticket").
#[component]
pub fn NewTicketPage() -> impl IntoView {
    let policy = LocalResource::new(api::fetch_policy);
    let subject = use_query_map()
        .with_untracked(|query| query.get("subject"))
        .filter(|subject| !subject.trim().is_empty());
    // `RequireSignIn` shows this page only once someone is signed in.
    let me = use_session().me();
    view! {
        <PageTitle text="New ticket"/>
        <section class="page wizard-page">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || {
                    let me = me.clone()?;
                    let subject = subject.clone();
                    policy
                        .get()
                        .map(|answer| answer.map(|policy| view! { <TicketWizard policy me subject/> }))
                }}
            </Suspense>
        </section>
    }
}
