use chrono::{DateTime, Utc};
use lantern_core::conversation::{ResponseState, TicketListItem};
use lantern_core::escalation::{EscalationAvailability, EscalationReason};
use leptos::prelude::*;

use super::clock::use_clock;
use super::escalation_draft::EscalationDraft;
use super::escalation_form::FORM_TITLE_ID;
use super::relative_time::LocalDateTime;
use super::ticket_state::TicketState;
use crate::components::wizard::focus;

/// "Response target missed" when support has not answered in time, "Update overdue" when an
/// update it owes under the policy's cadence did not come (DDEV: hourly on Urgent issues).
/// Offers an escalation with the reason already chosen (DDEV escalates when the response
/// target passes).
#[component]
pub fn ResponseMissedNotice(ticket: TicketState, draft: EscalationDraft) -> impl IntoView {
    let clock = use_clock();
    let facts = Memo::new(move |_| {
        let now = clock.get();
        ticket.read(|detail| {
            missed_response(&detail.ticket, now)
                .map(|missed| (missed, detail.escalation_availability))
        })
    });
    let escalate = move |_| {
        draft.start(Some(EscalationReason::NoResponse));
        focus::element(FORM_TITLE_ID);
    };
    move || {
        let (missed, availability) = facts.get()?;
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
        let what = match missed {
            Missed::FirstResponse(due_at) => view! {
                <strong>"Response target missed: "</strong>
                "support should have answered by " <LocalDateTime at=due_at/> " and has not yet."
            }
            .into_any(),
            Missed::Update(due_at) => view! {
                <strong>"Update overdue: "</strong>
                "support should have updated you by " <LocalDateTime at=due_at/> "."
            }
            .into_any(),
        };
        Some(view! {
            <div class="notice notice-warning response-missed">
                <p>{what} {offer}</p>
            </div>
        })
    }
}

/// What support did not do in time, and when it was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missed {
    FirstResponse(DateTime<Utc>),
    Update(DateTime<Utc>),
}

/// The first response, if its target passed without one, else an owed update past its time.
fn missed_response(ticket: &TicketListItem, now: DateTime<Utc>) -> Option<Missed> {
    match ticket.response_state {
        ResponseState::Missed { due_at } if ticket.first_response_at.is_none() => {
            Some(Missed::FirstResponse(due_at))
        }
        _ => ticket
            .update_due_at
            .filter(|due_at| now >= *due_at)
            .map(Missed::Update),
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
            update_due_at: None,
            waiting_for_customer: false,
            requester_name: "Alice".into(),
            escalated: false,
            defect: None,
            roadmap: None,
        }
    }

    #[test]
    fn a_missed_target_without_an_answer_or_a_late_update_counts() {
        let due_at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        let missed = ResponseState::Missed { due_at };
        assert_eq!(
            missed_response(&ticket(missed, None), due_at),
            Some(Missed::FirstResponse(due_at))
        );
        // Answered late: the target was missed, but there is an answer to read.
        assert_eq!(missed_response(&ticket(missed, Some(due_at)), due_at), None);
        assert_eq!(
            missed_response(&ticket(ResponseState::Due { due_at }, None), due_at),
            None
        );
        let owing = TicketListItem {
            update_due_at: Some(due_at),
            ..ticket(
                ResponseState::Met {
                    responded_at: due_at,
                },
                Some(due_at),
            )
        };
        let minute = chrono::TimeDelta::minutes(1);
        assert_eq!(missed_response(&owing, due_at - minute), None);
        assert_eq!(
            missed_response(&owing, due_at),
            Some(Missed::Update(due_at))
        );
    }
}
