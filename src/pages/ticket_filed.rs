use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::wizard::TicketFiled;
use crate::pages::not_found::NotFoundPage;

/// `/tickets/new/filed/:number`: the confirmation of a ticket just filed, at an address of its
/// own, so a reload (or a bookmark) still shows the number and what happens next.
#[component]
pub fn TicketFiledPage() -> impl IntoView {
    let number = use_params_map().with_untracked(|params| params.get("number").unwrap_or_default());
    let title = format!("Ticket {number} is filed");
    let ticket = LocalResource::new(move || {
        let number = number.clone();
        async move { api::ticket(&number).await }
    });
    view! {
        <PageTitle text=title/>
        <section class="page wizard-page">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || {
                    ticket.get().map(|answer| match answer {
                        Ok(detail) => Ok(view! { <TicketFiled ticket=detail.ticket/> }.into_any()),
                        Err(error) if error.status() == Some(404) => {
                            Ok(view! { <NotFoundPage/> }.into_any())
                        }
                        Err(error) => Err(error),
                    })
                }}
            </Suspense>
        </section>
    }
}
