use std::sync::Arc;

use chrono::{DateTime, Utc};
use lantern_core::escalation::{Escalation, EscalationAvailability, EscalationState};
use lantern_core::policy::{Minutes, PolicyView};
use lantern_core::ticket::TicketStatus;
use leptos::prelude::*;

use super::escalation_draft::EscalationDraft;
use super::escalation_form::{EscalationForm, FORM_TITLE_ID};
use super::escalation_status::EscalationStatus;
use super::policy_names::PolicyNames;
use super::relative_time::LocalDateTime;
use super::ticket_state::TicketState;
use crate::components::loading::Loading;
use crate::components::wizard::focus;

/// The panel's heading, focused once a request was sent and the form went away.
pub const PANEL_TITLE_ID: &str = "escalation-title";

/// "Escalation" on the ticket page: what escalating does and the button to ask for it, the
/// form, the open request's state, or why a request is not possible now.
#[component]
pub fn EscalationPanel(
    ticket: TicketState,
    draft: EscalationDraft,
    policy: Signal<Option<Arc<PolicyView>>>,
    #[prop(into)] names: Signal<PolicyNames>,
) -> impl IntoView {
    let availability =
        Memo::new(move |_| ticket.read(|detail| Some(detail.escalation_availability)));
    let review_target = Signal::derive(move || {
        policy.with(|policy| {
            policy
                .as_ref()
                .map(|view| view.policy.escalation.review_target.hours_text())
        })
    });
    let body = move || {
        let view = match availability.get()? {
            EscalationAvailability::Available => {
                view! { <EscalationOffer ticket draft policy review_target/> }.into_any()
            }
            EscalationAvailability::AlreadyOpen { escalation_id } => {
                let escalation =
                    ticket.read(|detail| find(detail.escalations.as_slice(), escalation_id));
                escalation
                    .map(|escalation| view! { <EscalationStatus escalation names review_target/> })
                    .into_any()
            }
            EscalationAvailability::CoolingDown { until } => {
                view! { <CoolingDown ticket until policy/> }.into_any()
            }
            EscalationAvailability::TicketFinished => view! { <Finished ticket/> }.into_any(),
        };
        Some(view)
    };
    view! {
        <section class="escalation card" aria-labelledby=PANEL_TITLE_ID>
            <h2 id=PANEL_TITLE_ID tabindex="-1">"Escalation"</h2>
            {body}
        </section>
    }
}

fn find(escalations: &[Escalation], id: i64) -> Option<Escalation> {
    escalations
        .iter()
        .find(|escalation| escalation.id == id)
        .cloned()
}

/// What escalating does, and "Request escalation", which opens the form.
#[component]
fn EscalationOffer(
    ticket: TicketState,
    draft: EscalationDraft,
    policy: Signal<Option<Arc<PolicyView>>>,
    review_target: Signal<Option<String>>,
) -> impl IntoView {
    let open = move |_| {
        draft.start(None);
        focus::element(FORM_TITLE_ID);
    };
    let form = move || match policy.get() {
        Some(policy) => view! { <EscalationForm ticket draft policy/> }.into_any(),
        None => view! { <Loading label="Loading the support policy…"/> }.into_any(),
    };
    view! {
        <p>{move || what_happens_next(review_target.get())}</p>
        <Show
            when=move || draft.open.get()
            fallback=move || view! {
                <button type="button" class="button button-primary" on:click=open>
                    "Request escalation"
                </button>
            }
        >
            {form}
        </Show>
    }
}

/// The promise of an escalation, with the policy's review target once it is known.
fn what_happens_next(review_target: Option<String>) -> String {
    let within = review_target.map_or_else(String::new, |target| format!(" within {target}"));
    format!(
        "Does this ticket need more attention? Ask for an escalation: a support manager reviews \
         your request{within}, can raise its priority or hand it to a higher support level, and \
         answers here and by e-mail."
    )
}

/// A request was declined lately: the answer, and from when a new one is possible.
#[component]
fn CoolingDown(
    ticket: TicketState,
    until: DateTime<Utc>,
    policy: Signal<Option<Arc<PolicyView>>>,
) -> impl IntoView {
    let declined = ticket.read(|detail| last_declined(&detail.escalations));
    let cooldown = move || {
        policy.with(|policy| {
            policy
                .as_ref()
                .map(|view| cooldown_text(view.policy.escalation.cooldown_after_decline))
        })
    };
    view! {
        <p class="escalation-state escalation-state-declined">"Escalation declined"</p>
        {declined.map(|escalation| view! {
            <blockquote class="escalation-answer">
                <p class="escalation-answer-by">{escalation.answered_by}" wrote:"</p>
                <p class="escalation-answer-text">{escalation.answer}</p>
            </blockquote>
        })}
        <p class="escalation-cooldown">
            "You can request a new escalation from " <LocalDateTime at=until/> "." {cooldown}
            " Until then, reply below to add what support needs to know."
        </p>
    }
}

fn last_declined(escalations: &[Escalation]) -> Option<Escalation> {
    escalations
        .iter()
        .filter(|escalation| escalation.state == EscalationState::Declined)
        .max_by_key(|escalation| escalation.closed_at)
        .cloned()
}

fn cooldown_text(cooldown: Minutes) -> String {
    format!(
        " The support policy allows a new request {} after a declined one.",
        cooldown.hours_text()
    )
}

/// Solved and Closed tickets take no escalation; say what to do instead.
#[component]
fn Finished(ticket: TicketState) -> impl IntoView {
    let facts = ticket.read(|detail| Some((detail.ticket.status, detail.actions.can_reopen)));
    let (status, can_reopen) = facts.unwrap_or((TicketStatus::Closed, false));
    let state = if status == TicketStatus::Solved {
        "solved"
    } else {
        "closed"
    };
    view! {
        <p>
            "This ticket is " {state} ", so it cannot be escalated. "
            {if can_reopen {
                view! { "If the problem is back, reopen the ticket first." }.into_any()
            } else {
                view! {
                    "If the problem is back, file a "
                    <a href="/tickets/new">"new ticket"</a>
                    " and mention " {ticket.number()} "."
                }
                .into_any()
            }}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_promise_names_the_review_target_once_known() {
        assert!(what_happens_next(Some("4 h".into())).contains("reviews your request within 4 h,"));
        assert!(what_happens_next(None).contains("reviews your request, can raise"));
    }

    #[test]
    fn the_cooldown_reads_in_hours() {
        assert_eq!(
            cooldown_text(Minutes(24 * 60)),
            " The support policy allows a new request 24 h after a declined one."
        );
    }
}
