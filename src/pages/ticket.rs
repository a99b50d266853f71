use lantern_core::conversation::TicketScope;
use lantern_core::ticket::canonical_ticket_number;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::tickets::clock::provide_ticking_clock;
use crate::components::tickets::list_address::{list_name, origin_scope};
use crate::components::tickets::{
    EscalationDraft, EscalationPanel, FailureNotice, Phase, ReplyForm, ResolutionActions,
    ResponseMissedNotice, SatisfactionSurvey, TicketFields, TicketHeader, TicketState, Timeline,
    names_of, use_policy,
};
use crate::routes::{FROM, scope_path};
use crate::session::use_session;

/// `/tickets/:number`: one ticket with its conversation (the customer's request first), reply
/// form, escalation, resolution and survey. The number reads in any case: `/tickets/lan-000001`
/// shows `LAN-000001` under its own address. The page checks for news every few seconds, so
/// agent replies appear by themselves.
#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let typed = Memo::new(move |_| params.read().get("number").unwrap_or_default());
    let number = Memo::new(move |_| canonical_ticket_number(&typed.get()));
    let origin = Memo::new(move |_| origin_scope(query.read().get(FROM).as_deref()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        let (typed, number) = (typed.get(), number.get());
        if typed != number {
            let address = format!(
                "/tickets/{number}{}",
                window().location().search().unwrap_or_default()
            );
            navigate(
                &address,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    // Another ticket's address starts over, and stops checking the previous one.
    move || {
        let number = number.get();
        let origin = origin.get();
        view! { <LoadedTicket number origin/> }
    }
}

#[component]
fn LoadedTicket(number: String, origin: TicketScope) -> impl IntoView {
    let ticket = TicketState::load(number.clone());
    let title = format!("Ticket {number}");
    // Every answer sets the phase again; only a change of phase may redraw the page, else each
    // update would start the page over and lose what the customer is writing.
    let phase = Memo::new(move |_| ticket.phase.get());
    move || match phase.get() {
        Phase::Loading => {
            view! { <PageTitle text=title.clone()/><Loading label="Loading the ticket…"/> }
                .into_any()
        }
        Phase::NotFound => view! { <NoSuchTicket number=ticket.number() origin/> }.into_any(),
        Phase::Failed(error) => view! {
            <PageTitle text=title.clone()/>
            <section class="page card narrow">
                <h1>{title.clone()}</h1>
                <FailureNotice
                    error=Signal::stored(Some(error))
                    kept="Nothing on the ticket was changed."
                    on_retry=move |_| ticket.retry()
                />
                <p><BackLink origin/></p>
            </section>
        }
        .into_any(),
        Phase::Ready => {
            view! { <PageTitle text=title.clone()/><TicketView ticket origin/> }.into_any()
        }
    }
}

/// "← My tickets", or "← Organisation tickets" for a ticket opened from that list.
#[component]
fn BackLink(origin: TicketScope) -> impl IntoView {
    view! { <a href=scope_path(origin)>{format!("← {}", list_name(origin))}</a> }
}

/// The server answers 404 alike for a ticket that does not exist and for someone else's, so a
/// number reveals nothing; the page says both, and leads back to the person's tickets.
#[component]
fn NoSuchTicket(number: String, origin: TicketScope) -> impl IntoView {
    view! {
        <PageTitle text="Ticket not found"/>
        <section class="page card narrow">
            <h1>"This ticket does not exist or you do not have access"</h1>
            <p>
                {format!("There is no ticket {number} that you can see. Check the number, or find the ticket in your list.")}
            </p>
            <p><BackLink origin/></p>
        </section>
    }
}

#[component]
fn TicketView(ticket: TicketState, origin: TicketScope) -> impl IntoView {
    provide_ticking_clock();
    let policy = use_policy();
    let names = names_of(policy);
    let user_id = use_session().me().map(|me| me.id);
    let escalation = EscalationDraft::load(&ticket.number(), user_id);
    view! {
        <article class="page ticket-page">
            <p class="ticket-back"><BackLink origin/></p>
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
