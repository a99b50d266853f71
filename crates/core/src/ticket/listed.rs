//! A ticket as the lists show it ("My Tickets", "Organisation tickets", the agent list), with
//! where it stands against its first-response target. The ticket page and the escalation
//! rules read the same item.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DefectLink, RoadmapDecision, TicketStatus};

/// Where a ticket stands against its first-response target, computed by the server with its
/// clock at request time.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ResponseState {
    /// No response yet and the target has not passed.
    Due {
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        due_at: DateTime<Utc>,
    },
    /// Support responded in time.
    Met {
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        responded_at: DateTime<Utc>,
    },
    /// The target passed before support responded (or still has not).
    Missed {
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        due_at: DateTime<Utc>,
    },
    /// The plan has no target for this severity.
    NoTarget,
    /// The ticket was solved or closed before support responded and before the target passed:
    /// nobody waits for a first response any more.
    NoLongerNeeded,
}

/// The response-target state at `now` of a ticket that was solved or closed at `finished_at`
/// (`None` while it is being worked on).
pub fn response_state(
    due_at: Option<DateTime<Utc>>,
    first_response_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ResponseState {
    match (due_at, first_response_at) {
        (None, _) => ResponseState::NoTarget,
        (Some(due_at), Some(responded_at)) if responded_at <= due_at => {
            ResponseState::Met { responded_at }
        }
        (Some(due_at), Some(_)) => ResponseState::Missed { due_at },
        (Some(due_at), None) => match finished_at {
            Some(finished_at) if finished_at < due_at => ResponseState::NoLongerNeeded,
            None if now < due_at => ResponseState::Due { due_at },
            _ => ResponseState::Missed { due_at },
        },
    }
}

/// When a ticket in `status` stopped being worked on: its solving, or (closed without being
/// solved) its last change; `None` while it is New, Open or Pending.
pub fn finished_at(
    status: TicketStatus,
    solved_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    matches!(status, TicketStatus::Solved | TicketStatus::Closed)
        .then(|| solved_at.unwrap_or(updated_at))
}

/// A ticket in "My Tickets", "Organisation tickets" and the agent list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketListItem {
    /// `LAN-000123`
    pub number: String,
    pub subject: String,
    pub status: TicketStatus,
    /// Severity id of the policy.
    pub severity: String,
    /// Product id of the policy.
    pub product: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    /// Last customer-visible change.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub response_due_at: Option<DateTime<Utc>>,
    /// First public agent reply.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub first_response_at: Option<DateTime<Utc>>,
    pub response_state: ResponseState,
    /// When support's next update is due, while the ticket is with support after the first
    /// response and the plan sets an update interval for its severity.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub update_due_at: Option<DateTime<Utc>>,
    /// Pending: support waits for the customer ("waiting for you").
    pub waiting_for_customer: bool,
    /// Who filed it (shown in the organisation view).
    pub requester_name: String,
    /// An escalation request is open (requested or acknowledged).
    pub escalated: bool,
    /// The engineering issue the ticket is linked to.
    #[serde(default)]
    pub defect: Option<DefectLink>,
    /// Support's decision on an enhancement request (a case type of the policy's roadmap).
    #[serde(default)]
    pub roadmap: Option<RoadmapDecision>,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
    }

    #[test]
    fn response_state_follows_the_target() {
        assert_eq!(
            response_state(None, None, None, at(9)),
            ResponseState::NoTarget
        );
        assert_eq!(
            response_state(Some(at(10)), None, None, at(9)),
            ResponseState::Due { due_at: at(10) }
        );
        assert_eq!(
            response_state(Some(at(10)), None, None, at(10)),
            ResponseState::Missed { due_at: at(10) }
        );
        assert_eq!(
            response_state(Some(at(10)), Some(at(10)), None, at(12)),
            ResponseState::Met {
                responded_at: at(10)
            }
        );
        assert_eq!(
            response_state(Some(at(10)), Some(at(11)), None, at(12)),
            ResponseState::Missed { due_at: at(10) }
        );
    }

    #[test]
    fn a_finished_ticket_no_longer_counts_down() {
        // Solved at 9 without an answer, due at 10: nobody waits for a response, before or after 10.
        for now in [at(9), at(12)] {
            assert_eq!(
                response_state(Some(at(10)), None, Some(at(9)), now),
                ResponseState::NoLongerNeeded
            );
        }
        // Solved after the target passed without an answer: it was missed, and stays so.
        assert_eq!(
            response_state(Some(at(10)), None, Some(at(11)), at(12)),
            ResponseState::Missed { due_at: at(10) }
        );
        // Answered in time, then solved: met.
        assert_eq!(
            response_state(Some(at(10)), Some(at(9)), Some(at(11)), at(12)),
            ResponseState::Met {
                responded_at: at(9)
            }
        );
        assert_eq!(finished_at(TicketStatus::Open, None, at(9)), None);
        assert_eq!(
            finished_at(TicketStatus::Solved, Some(at(8)), at(9)),
            Some(at(8))
        );
        assert_eq!(finished_at(TicketStatus::Closed, None, at(9)), Some(at(9)));
    }
}
