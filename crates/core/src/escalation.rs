//! Escalation requests: a customer asks for more attention on a ticket, a support manager
//! acknowledges, then resolves or declines it.
//!
//! Every policy in `../shared/reference/` has one: Code42 asks for the ticket number, the
//! reason, the severity and added contact details, and a manager reviews the request
//! (004_c150f22dbee80e04.txt); Aveksa moves a case from Level 1 to 2 to 3; DDEV escalates when
//! the response target passes. The wizard-style form and the server call the same
//! [`validate_escalation`].

use crate::field_errors::FieldErrors;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::policy::Policy;
use crate::ticket::{Actor, MAX_SHORT_TEXT_LENGTH, TicketListItem, TicketStatus, is_phone_number};

/// Shortest explanation support accepts: enough to act on without asking back.
pub const MIN_ESCALATION_DETAILS_LENGTH: usize = 30;
pub const MAX_ESCALATION_DETAILS_LENGTH: usize = 5_000;

// Field keys of the request's errors.
pub const REASON: &str = "reason";
pub const DETAILS: &str = "details";
pub const REQUESTED_SEVERITY: &str = "requested_severity";
pub const CALLBACK_PHONE: &str = "callback_phone";
pub const CALLBACK_AVAILABILITY: &str = "callback_availability";
pub const ANSWER: &str = "answer";
pub const SUPPORT_LEVEL: &str = "support_level";

/// Why the customer escalates.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    /// No response within the response target.
    NoResponse,
    BusinessImpactIncreased,
    SolutionDoesNotWork,
    NeedsMoreExpertise,
    #[default]
    Other,
}

/// Its wire name, as the form's radio buttons carry it.
impl AsRef<str> for EscalationReason {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl EscalationReason {
    pub const ALL: [EscalationReason; 5] = [
        EscalationReason::NoResponse,
        EscalationReason::BusinessImpactIncreased,
        EscalationReason::SolutionDoesNotWork,
        EscalationReason::NeedsMoreExpertise,
        EscalationReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EscalationReason::NoResponse => "no_response",
            EscalationReason::BusinessImpactIncreased => "business_impact_increased",
            EscalationReason::SolutionDoesNotWork => "solution_does_not_work",
            EscalationReason::NeedsMoreExpertise => "needs_more_expertise",
            EscalationReason::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<EscalationReason> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == text)
    }

    /// How the customer reads the reason.
    pub fn label(self) -> &'static str {
        match self {
            EscalationReason::NoResponse => "No response within the response target",
            EscalationReason::BusinessImpactIncreased => "The business impact has increased",
            EscalationReason::SolutionDoesNotWork => "The proposed solution does not work",
            EscalationReason::NeedsMoreExpertise => "The case needs more expertise",
            EscalationReason::Other => "Another reason",
        }
    }

    /// Whether the reason is true of the ticket at `now`. "No response" holds once the
    /// first-response target passed without an answer, or an update support owed did not come
    /// in time; "the proposed solution does not work" once support has answered; the others are
    /// the customer's own judgement.
    pub fn holds(self, facts: ReasonFacts, now: DateTime<Utc>) -> bool {
        self.unmet(facts, now).is_none()
    }

    /// Why the reason does not fit the ticket at `now`, in the customer's words; `None` when it
    /// does.
    pub fn unmet(self, facts: ReasonFacts, now: DateTime<Utc>) -> Option<&'static str> {
        match self {
            EscalationReason::NoResponse => {
                match (facts.response_due_at, facts.first_response_at) {
                    (_, Some(_)) => match facts.update_due_at {
                        Some(due_at) if now >= due_at => None,
                        Some(_) => Some(
                            "Support has answered this ticket and its next update is not due \
                             yet, so this reason does not apply. Choose another one.",
                        ),
                        None => Some(
                            "Support has answered this ticket, so this reason does not apply. \
                             Choose another one.",
                        ),
                    },
                    (None, None) => Some(
                        "This ticket has no first-response target, so this reason does not apply. \
                     Choose another one.",
                    ),
                    (Some(due_at), None) if now < due_at => Some(
                        "The first-response target has not passed yet: support still has time to \
                     answer. Choose another reason, or wait until the target passes.",
                    ),
                    (Some(_), None) => None,
                }
            }
            EscalationReason::SolutionDoesNotWork if facts.first_response_at.is_none() => Some(
                "Support has not proposed a solution yet, so this reason does not apply. Choose \
                 another one.",
            ),
            _ => None,
        }
    }
}

/// What the reasons of a request depend on: the ticket's first-response target, support's
/// first public answer and the next update support owes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReasonFacts {
    /// `None` when the plan has no target for the ticket's severity.
    pub response_due_at: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    /// `None` when no update is owed (see [`TicketListItem::update_due_at`]).
    pub update_due_at: Option<DateTime<Utc>>,
}

impl ReasonFacts {
    pub fn of(ticket: &TicketListItem) -> Self {
        Self {
            response_due_at: ticket.response_due_at,
            first_response_at: ticket.first_response_at,
            update_due_at: ticket.update_due_at,
        }
    }
}

/// The reasons a customer may choose for a ticket at `now`, in [`EscalationReason::ALL`]'s
/// order: the form offers these and no others.
pub fn offered_reasons(facts: ReasonFacts, now: DateTime<Utc>) -> Vec<EscalationReason> {
    EscalationReason::ALL
        .into_iter()
        .filter(|reason| reason.holds(facts, now))
        .collect()
}

/// Where a request stands: Requested -> Acknowledged -> Resolved or Declined (a request may
/// also be resolved or declined straight away).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationState {
    Requested,
    Acknowledged,
    Resolved,
    Declined,
}

impl EscalationState {
    pub const ALL: [EscalationState; 4] = [
        EscalationState::Requested,
        EscalationState::Acknowledged,
        EscalationState::Resolved,
        EscalationState::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EscalationState::Requested => "requested",
            EscalationState::Acknowledged => "acknowledged",
            EscalationState::Resolved => "resolved",
            EscalationState::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<EscalationState> {
        Self::ALL.into_iter().find(|state| state.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            EscalationState::Requested => "Escalation requested",
            EscalationState::Acknowledged => "Escalation acknowledged",
            EscalationState::Resolved => "Escalation resolved",
            EscalationState::Declined => "Escalation declined",
        }
    }

    /// Still waiting for a final answer from support.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            EscalationState::Requested | EscalationState::Acknowledged
        )
    }

    /// Whether an agent may move a request from `self` to `to`.
    pub fn can_become(self, to: EscalationState) -> bool {
        match (self, to) {
            (EscalationState::Requested, EscalationState::Acknowledged) => true,
            (from, EscalationState::Resolved | EscalationState::Declined) => from.is_open(),
            _ => false,
        }
    }
}

/// `POST /api/v1/tickets/{number}/escalations`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "stores", derive(reactive_stores::Store))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EscalationRequest {
    pub reason: EscalationReason,
    /// What happened and why it needs more attention; at least 30 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 30, max_length = 5000))]
    pub details: String,
    /// Severity id of the policy, above the ticket's current one; empty to keep it.
    pub requested_severity: String,
    /// Where support can call back; optional.
    pub callback_phone: String,
    /// When the customer can be reached, e.g. "weekdays 9-17 CET"; optional.
    pub callback_availability: String,
}

/// An escalation request as customers and agents see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub id: i64,
    pub state: EscalationState,
    pub reason: EscalationReason,
    pub details: String,
    /// Severity id the customer asked for; absent when they kept the severity.
    pub requested_severity: Option<String>,
    pub callback_phone: String,
    pub callback_availability: String,
    pub requested_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub requested_at: DateTime<Utc>,
    /// When a support manager will have reviewed it (the policy's review target).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub review_due_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When it was resolved or declined.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closed_at: Option<DateTime<Utc>>,
    /// The agent's last answer (required to resolve or decline).
    pub answer: String,
    /// Who answered last; empty while nobody has.
    pub answered_by: String,
}

/// One step of an escalation in a ticket's timeline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationStep {
    pub escalation_id: i64,
    /// The state this step moved the request to.
    pub state: EscalationState,
    pub by: Actor,
    /// The request's reason (on every step, so a step reads on its own).
    pub reason: EscalationReason,
    /// The customer's details for `requested`, the agent's answer otherwise.
    pub text: String,
    /// Severity id the customer asked for (on `requested` only).
    pub requested_severity: Option<String>,
}

/// Whether the customer may escalate a ticket now, and why not.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EscalationAvailability {
    Available,
    /// A request is open: at most one per ticket.
    AlreadyOpen {
        escalation_id: i64,
    },
    /// A request was declined; a new one is possible from `until`.
    CoolingDown {
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        until: DateTime<Utc>,
    },
    /// Solved or Closed: reopen (or open a new ticket) first.
    TicketFinished,
}

/// The availability for a ticket in `status` with `escalations` (any order) at `now`.
pub fn escalation_availability(
    policy: &Policy,
    status: TicketStatus,
    escalations: &[Escalation],
    now: DateTime<Utc>,
) -> EscalationAvailability {
    if matches!(status, TicketStatus::Solved | TicketStatus::Closed) {
        return EscalationAvailability::TicketFinished;
    }
    if let Some(open) = escalations
        .iter()
        .find(|escalation| escalation.state.is_open())
    {
        return EscalationAvailability::AlreadyOpen {
            escalation_id: open.id,
        };
    }
    let cooldown = policy.escalation.cooldown_after_decline.as_chrono();
    let cooling_until = escalations
        .iter()
        .filter(|escalation| escalation.state == EscalationState::Declined)
        .filter_map(|escalation| escalation.closed_at)
        .map(|declined_at| declined_at + cooldown)
        .max()
        .filter(|until| now < *until);
    match cooling_until {
        Some(until) => EscalationAvailability::CoolingDown { until },
        None => EscalationAvailability::Available,
    }
}

/// The severities a customer may ask for on a ticket at `current`: the policy's, above it.
pub fn higher_severities<'a>(
    policy: &'a Policy,
    current: &str,
) -> impl Iterator<Item = &'a crate::policy::Severity> {
    let rank = policy.severity_rank(current).unwrap_or(usize::MAX);
    policy.severities.iter().take(rank)
}

/// Field errors of a request on a ticket at severity `current` with `facts`, at `now` (keys
/// [`REASON`], [`DETAILS`], [`REQUESTED_SEVERITY`], [`CALLBACK_PHONE`],
/// [`CALLBACK_AVAILABILITY`]); empty when it may be sent.
pub fn validate_escalation(
    policy: &Policy,
    current: &str,
    facts: ReasonFacts,
    now: DateTime<Utc>,
    request: &EscalationRequest,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let mut add = |key: &str, message: String| errors.add(key, message);
    if let Some(unmet) = request.reason.unmet(facts, now) {
        add(REASON, unmet.to_owned());
    }
    let details = request.details.trim().chars().count();
    if details == 0 {
        add(
            DETAILS,
            "Describe why the ticket needs escalating.".to_owned(),
        );
    } else if details < MIN_ESCALATION_DETAILS_LENGTH {
        add(
            DETAILS,
            format!(
                "Write at least {MIN_ESCALATION_DETAILS_LENGTH} characters ({details} now): \
                 what happened, and what it costs you."
            ),
        );
    } else if details > MAX_ESCALATION_DETAILS_LENGTH {
        add(
            DETAILS,
            format!("Keep it under {MAX_ESCALATION_DETAILS_LENGTH} characters ({details} now)."),
        );
    }
    let requested = request.requested_severity.trim();
    if !requested.is_empty() {
        match policy.severity(requested) {
            None => add(
                REQUESTED_SEVERITY,
                "Choose one of the severities of the support policy.".to_owned(),
            ),
            Some(_) if !higher_severities(policy, current).any(|s| s.id == requested) => add(
                REQUESTED_SEVERITY,
                "Choose a severity above the ticket's current one, or keep it.".to_owned(),
            ),
            Some(_) => {}
        }
    }
    let phone = request.callback_phone.trim();
    if !phone.is_empty() && !is_phone_number(phone) {
        add(
            CALLBACK_PHONE,
            "Enter a phone number with digits, such as +44 20 7946 0142.".to_owned(),
        );
    }
    let availability = request.callback_availability.trim().chars().count();
    if availability > MAX_SHORT_TEXT_LENGTH {
        add(
            CALLBACK_AVAILABILITY,
            format!("Keep it under {MAX_SHORT_TEXT_LENGTH} characters ({availability} now)."),
        );
    }
    errors
}

/// `POST /api/v1/agent/tickets/{number}/escalations/{id}`: an agent moves a request on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationAnswer {
    /// `acknowledged`, `resolved` or `declined`.
    pub state: EscalationState,
    /// What the customer reads; required to resolve or decline.
    #[serde(default)]
    pub answer: String,
    /// Moves the ticket to this support level of the policy in the same step (L1 -> L2 -> L3).
    #[serde(default)]
    pub support_level: Option<String>,
    /// Shown as the author; the agent token's name when empty.
    #[serde(default)]
    pub author_name: String,
}

/// `GET /api/v1/agent/escalations`: an open request with its ticket, for a support manager's
/// queue (oldest review target first).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenEscalation {
    pub ticket_number: String,
    pub ticket_subject: String,
    pub organisation_name: String,
    pub escalation: Escalation,
}

#[cfg(test)]
mod tests;
