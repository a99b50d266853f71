use chrono::{DateTime, Utc};
use lantern_core::conversation::{ResponseState, TicketListItem};
use lantern_core::escalation::{EscalationAvailability, EscalationReason};
use leptos::prelude::*;

use super::escalation_draft::EscalationDraft;
use super::escalation_form::FORM_TITLE_ID;
use super::relative_time::LocalDateTime;
use super::ticket_state::TicketState;
use crate::components::wizard::focus;

/// "Response target missed": support has not answered in time. Offers an escalation with the
/// reason already chosen (DDEV escalates when the response target passes).
#[component]
pub fn ResponseMissedNotice(ticket: TicketState, draft: EscalationDraft) -> impl IntoView {
    let facts = Memo::new(move |_| {
        ticket.read(|detail| {
            missed_without_answer(&detail.ticket)
                .map(|due_at| (due_at, detail.escalation_availability))
        })
    });
    let escalate = move |_| {
        draft.start(Some(EscalationReason::NoResponse));
        focus::element(FORM_TITLE_ID);
    };
    move || {
        let (due_at, availability) = facts.get()?;
        let offer = match availability {
            EscalationAvailability::TicketFinished => return None,
            EscalationAvailability::Available => view! {
                " You can ask a support manager to look into it."
                <button type="button" class="button button-primary" on:click=escalate>
                    "Escalate: no response"
                </button>
            }
            .into_any(),
            EscalationAvailability::AlreadyOpen { .. } => {
                " Your escalation request is open; see Escalation.".into_any()
            }
            EscalationAvailability::CoolingDown { .. } => {
                " See Escalation for when you can escalate again.".into_any()
            }
        };
        Some(view! {
            <div class="notice notice-warning response-missed">
                <p>
                    <strong>"Response target missed: "</strong>
                    "support should have answered by " <LocalDateTime at=due_at/> " and has not yet."
                    {offer}
                </p>
            </div>
        })
    }
}

/// When the first response was due, if that passed without one.
fn missed_without_answer(ticket: &TicketListItem) -> Option<DateTime<Utc>> {
    match ticket.response_state {
        ResponseState::Missed { due_at } if ticket.first_response_at.is_none() => Some(due_at),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use lantern_core::ticket::TicketStatus;

    use super::*;

    fn ticket(
        response_state: ResponseState,
        first_response_at: Option<DateTime<Utc>>,
    ) -> TicketListItem {
        let at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        TicketListItem {
            number: "LAN-000001".into(),
            subject: "Restore fails".into(),
            status: TicketStatus::Open,
            severity: "major".into(),
            product: "harbor-backup".into(),
            created_at: at,
            updated_at: at,
            response_due_at: Some(at),
            first_response_at,
            response_state,
            waiting_for_customer: false,
            requester_name: "Alice".into(),
            escalated: false,
        }
    }

    #[test]
    fn only_a_missed_target_without_an_answer_counts() {
        let due_at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        let missed = ResponseState::Missed { due_at };
        assert_eq!(missed_without_answer(&ticket(missed, None)), Some(due_at));
        // Answered late: the target was missed, but there is an answer to read.
        assert_eq!(missed_without_answer(&ticket(missed, Some(due_at))), None);
        assert_eq!(
            missed_without_answer(&ticket(ResponseState::Due { due_at }, None)),
            None
        );
    }
}
