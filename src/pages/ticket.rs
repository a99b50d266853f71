use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::tickets::clock::provide_ticking_clock;
use crate::components::tickets::{
    EscalationDraft, EscalationPanel, Phase, ReplyForm, ResolutionActions, ResponseMissedNotice,
    SatisfactionSurvey, TicketFields, TicketHeader, TicketState, Timeline, names_of, use_policy,
};
use crate::pages::not_found::NotFoundPage;
use crate::session::use_session;

/// `/tickets/:number`: one ticket with its conversation, reply form, escalation, resolution and
/// survey.
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
    // Every answer sets the phase again; only a change of phase may redraw the page, else each
    // update would start the page over and lose what the customer is writing.
    let phase = Memo::new(move |_| ticket.phase.get());
    move || match phase.get() {
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
    let policy = use_policy();
    let names = names_of(policy);
    let user_id = use_session().me().map(|me| me.id);
    let escalation = EscalationDraft::load(&ticket.number(), user_id);
    view! {
        <article class="page ticket-page">
            <p class="ticket-back"><a href="/tickets">"← My tickets"</a></p>
            <TicketHeader ticket names/>
            <ResponseMissedNotice ticket draft=escalation/>
            <div class="ticket-columns">
                <div class="ticket-main">
                    <Timeline ticket names/>
                    <ReplyForm ticket/>
                </div>
                <aside class="ticket-side">
                    <EscalationPanel ticket draft=escalation policy names/>
                    <ResolutionActions ticket policy/>
                    <SatisfactionSurvey ticket/>
                    <TicketFields ticket names/>
                </aside>
            </div>
        </article>
    }
}
