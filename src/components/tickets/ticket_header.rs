use lantern_core::conversation::{TicketDetail, TicketListItem};
use leptos::prelude::*;

use super::policy_names::PolicyNames;
use super::relative_time::{LocalDateTime, RelativeTime};
use super::response_target::ResponseTarget;
use super::status_badge::StatusBadge;
use super::ticket_state::TicketState;

/// Number, subject and where the ticket stands: status, severity, product, support level and
/// the first-response target. Pending tickets say plainly that support waits for the customer.
#[component]
pub fn TicketHeader(
    ticket: TicketState,
    #[prop(into)] names: Signal<PolicyNames>,
) -> impl IntoView {
    let summary = Memo::new(move |_| ticket.read(|detail| Some(HeaderFacts::of(detail))));
    move || {
        summary.get().map(|facts| {
            let HeaderFacts { item, support_level_name } = facts;
            let TicketListItem { number, subject, status, severity, product, created_at, updated_at, response_state, waiting_for_customer, .. } = item;
            view! {
                <header class="ticket-header">
                    <p class="ticket-header-number">{number}</p>
                    <h1>{subject}</h1>
                    {waiting_for_customer.then(|| view! {
                        <p class="notice notice-warning waiting-notice">
                            <strong>"Waiting for you: "</strong>
                            "support needs your answer to continue. Reply below."
                        </p>
                    })}
                    <dl class="ticket-facts">
                        <div><dt>"Status"</dt><dd><StatusBadge status/></dd></div>
                        <div><dt>"Severity"</dt><dd>{move || names.get().severity(&severity)}</dd></div>
                        <div><dt>"Product"</dt><dd>{move || names.get().product(&product)}</dd></div>
                        <div><dt>"Support level"</dt><dd>{support_level_name}</dd></div>
                        <div><dt>"First response"</dt><dd><ResponseTarget state=response_state/></dd></div>
                        <div><dt>"Filed"</dt><dd><LocalDateTime at=created_at/></dd></div>
                        <div><dt>"Last update"</dt><dd><RelativeTime at=updated_at/></dd></div>
                    </dl>
                </header>
            }
        })
    }
}

/// What the header shows, so it redraws only when one of these changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HeaderFacts {
    item: TicketListItem,
    support_level_name: String,
}

impl HeaderFacts {
    fn of(detail: &TicketDetail) -> Self {
        Self {
            item: detail.ticket.clone(),
            support_level_name: detail.support_level_name.clone(),
        }
    }
}
