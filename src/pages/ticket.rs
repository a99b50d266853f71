use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::tickets::clock::provide_ticking_clock;
use crate::components::tickets::{
    Phase, ReplyForm, ResolutionActions, SatisfactionSurvey, TicketFields, TicketHeader,
    TicketState, Timeline, use_policy_names,
};
use crate::pages::not_found::NotFoundPage;

/// `/tickets/:number`: one ticket with its conversation, reply form, resolution and survey.
/// The page checks for news every few seconds, so agent replies appear by themselves.
#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let number = Memo::new(move |_| params.read().get("number").unwrap_or_default());
    // Another ticket's address starts over, and stops checking the previous one.
    move || {
        let number = number.get();
        view! { <LoadedTicket number/> }
    }
}

#[component]
fn LoadedTicket(number: String) -> impl IntoView {
    let ticket = TicketState::load(number.clone());
    let title = format!("Ticket {number}");
    move || match ticket.phase.get() {
        Phase::Loading => Ok(
            view! { <PageTitle text=title.clone()/><Loading label="Loading the ticket…"/> }
                .into_any(),
        ),
        Phase::NotFound => Ok(view! { <NotFoundPage/> }.into_any()),
        Phase::Failed(error) => Err::<AnyView, ApiError>(error),
        Phase::Ready => {
            Ok(view! { <PageTitle text=title.clone()/><TicketView ticket/> }.into_any())
        }
    }
}

#[component]
fn TicketView(ticket: TicketState) -> impl IntoView {
    provide_ticking_clock();
    let names = use_policy_names();
    view! {
        <article class="page ticket-page">
            <p class="ticket-back"><a href="/tickets">"← My tickets"</a></p>
            <TicketHeader ticket names/>
            <div class="ticket-columns">
                <div class="ticket-main">
                    <Timeline ticket names/>
                    <ReplyForm ticket/>
                </div>
                <aside class="ticket-side">
                    <ResolutionActions ticket/>
                    <SatisfactionSurvey ticket/>
                    <TicketFields ticket names/>
                </aside>
            </div>
        </article>
    }
}
