use lantern_core::conversation::{StatusFilter, TicketListItem, TicketListQuery, TicketSort};
use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::similar_recent_ticket;
use leptos::prelude::*;

use super::TYPING_PAUSE;
use super::wizard_state::Wizard;
use crate::api;
use crate::components::tickets::clock::{now, relative_text};
use crate::components::typing_pause::answer_after_pause;
use crate::routes::ticket_path;

/// Enough of the newest tickets with the subject's text to find the latest with the same words.
const TICKETS_LOOKED_AT: u32 = 10;

/// "A similar ticket was filed 2 min ago", with a link to it, when the customer's own tickets
/// (filed or copied on) have one with the same subject from the last days: filing the same
/// problem again splits the conversation. Looked up in "My tickets" once typing pauses; nothing
/// shows when the lookup fails.
#[component]
pub fn SimilarTicketHint(wizard: Wizard) -> impl IntoView {
    let subject = Memo::new(move |_| wizard.draft.subject().get().trim().to_owned());
    let similar = answer_after_pause(
        subject,
        TYPING_PAUSE,
        String::is_empty,
        |subject| async move {
            let query = TicketListQuery {
                q: Some(subject.clone()),
                status: Some(StatusFilter::All),
                sort: Some(TicketSort::CreatedDesc),
                limit: Some(TICKETS_LOOKED_AT),
                ..TicketListQuery::default()
            };
            let page = api::list_tickets(&query).await.ok()?;
            similar_recent_ticket(&subject, &page.items, now()).cloned()
        },
    );
    view! {
        <div class="similar-ticket-hint" aria-live="polite">
            {move || similar.get().map(|ticket| view! { <SimilarTicket ticket/> })}
        </div>
    }
}

#[component]
fn SimilarTicket(ticket: TicketListItem) -> impl IntoView {
    let path = ticket_path(&ticket.number);
    view! {
        <p class="notice notice-warning">
            "A similar ticket was filed " {relative_text(ticket.created_at, now())} ": "
            <a href=path>{ticket.number} " \u{201c}" {ticket.subject} "\u{201d}"</a>
            ". If it is the same problem, add to that ticket instead of filing it again."
        </p>
    }
}
