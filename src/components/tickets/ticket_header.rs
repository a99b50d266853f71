use lantern_core::conversation::{TicketDetail, TicketListItem};
use lantern_core::policy::WaitingForAnswer;
use leptos::prelude::*;

use super::defect_link::DefectLinkText;
use super::next_update::NextUpdate;
use super::policy_names::PolicyNames;
use super::relative_time::{LocalDateTime, RelativeTime};
use super::response_target::ResponseTarget;
use super::status_badge::StatusBadge;
use super::ticket_state::TicketState;
use super::waiting_notice::WaitingNotice;

/// Number, subject and where the ticket stands: status, severity, product, the first-response
/// target, when support's next update is due (the policy's update cadence), and the support
/// level once the ticket went beyond the first one (with what that level does: "Level 1" alone
/// tells a customer nothing). Pending tickets say plainly that support waits for the customer,
/// and what happens without an answer.
#[component]
pub fn TicketHeader(
    ticket: TicketState,
    #[prop(into)] names: Signal<PolicyNames>,
) -> impl IntoView {
    let summary = Memo::new(move |_| ticket.read(|detail| Some(HeaderFacts::of(detail))));
    move || {
        summary.get().map(|facts| {
            let HeaderFacts { item, support_level, waiting } = facts;
            let TicketListItem { number, subject, status, severity, product, created_at, updated_at, response_state, update_due_at, defect, roadmap, .. } = item;
            view! {
                <header class="ticket-header">
                    <p class="ticket-header-number">{number}</p>
                    <h1>{subject}</h1>
                    {waiting.map(|waiting| view! { <WaitingNotice waiting/> })}
                    <dl class="ticket-facts">
                        <div><dt>"Status"</dt><dd><StatusBadge status/></dd></div>
                        <div><dt>"Severity"</dt><dd>{move || names.get().severity(&severity)}</dd></div>
                        <div><dt>"Product"</dt><dd>{move || names.get().product(&product)}</dd></div>
                        <RaisedSupportLevel id=support_level names/>
                        <div><dt>"First response"</dt><dd><ResponseTarget state=response_state/></dd></div>
                        {update_due_at.map(|due_at| view! {
                            <div><dt>"Next update"</dt><dd><NextUpdate due_at/></dd></div>
                        })}
                        {defect.map(|defect| view! {
                            <div><dt>"Engineering issue"</dt><dd><DefectLinkText defect/></dd></div>
                        })}
                        {roadmap.map(|decision| view! {
                            <div class="ticket-fact-wide">
                                <dt>"Roadmap"</dt>
                                <dd>
                                    <span class="roadmap-state">{decision.state_text()}</span>
                                    {decision.reason.map(|reason| view! { <span class="ticket-fact-help">{reason}</span> })}
                                </dd>
                            </div>
                        })}
                        <div><dt>"Filed"</dt><dd><LocalDateTime at=created_at/></dd></div>
                        <div><dt>"Last update"</dt><dd><RelativeTime at=updated_at/></dd></div>
                    </dl>
                </header>
            }
        })
    }
}

/// "Support level: Level 2" with what the level does, only above the policy's first level.
#[component]
fn RaisedSupportLevel(id: String, names: Signal<PolicyNames>) -> impl IntoView {
    move || {
        let names = names.get();
        let level = names
            .support_level(&id)
            .filter(|_| names.is_raised_support_level(&id))?;
        Some(view! {
            <div class="ticket-fact-wide">
                <dt>"Support level"</dt>
                <dd>{level.name.clone()}<span class="ticket-fact-help">{level.description.clone()}</span></dd>
            </div>
        })
    }
}

/// What the header shows, so it redraws only when one of these changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HeaderFacts {
    item: TicketListItem,
    /// Support level id of the policy.
    support_level: String,
    waiting: Option<WaitingForAnswer>,
}

impl HeaderFacts {
    fn of(detail: &TicketDetail) -> Self {
        Self {
            item: detail.ticket.clone(),
            support_level: detail.support_level.clone(),
            waiting: detail.waiting,
        }
    }
}
