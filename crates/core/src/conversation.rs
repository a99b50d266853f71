//! "My Tickets": the ticket list, the ticket page with its conversation, what a customer and an
//! agent may do with a ticket, and the one validation of replies and surveys that the app and
//! the server share.
//!
//! The life cycle New, Open, Pending, Solved, Closed comes from the policies: Pending puts the
//! ball in the customer's court (DDEV, 001_9dfcd67ee301683f.txt), quiet Pending and Solved
//! tickets close on their own and a satisfaction survey follows (Code42, 004_c150f22dbee80e04.txt).

use crate::field_errors::FieldErrors;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::escalation::{Escalation, EscalationAvailability, EscalationStep};
use crate::policy::{Lifecycle, WaitingForAnswer};
use crate::ticket::{AttachmentRef, MAX_ATTACHMENTS, TicketDraft, TicketStatus};

// The listed ticket and who acts on it are the ticket's own (escalation requests share them);
// "My Tickets" speaks of them too, so its clients find them here as well.
pub use crate::ticket::{
    Actor, ActorKind, ResponseState, TicketListItem, finished_at, response_state,
};

/// Longest reply, internal note or reason.
pub const MAX_REPLY_LENGTH: usize = 20_000;
pub const MAX_SURVEY_COMMENT_LENGTH: usize = 2_000;
pub const MIN_RATING: u8 = 1;
pub const MAX_RATING: u8 = 5;
pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 100;

/// Which tickets a list shows by status. `open` (the default) means every ticket still being
/// worked on: New, Open and Pending.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    #[default]
    Open,
    All,
    New,
    Pending,
    Solved,
    Closed,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 6] = [
        StatusFilter::Open,
        StatusFilter::All,
        StatusFilter::New,
        StatusFilter::Pending,
        StatusFilter::Solved,
        StatusFilter::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::All => "all",
            StatusFilter::New => "new",
            StatusFilter::Pending => "pending",
            StatusFilter::Solved => "solved",
            StatusFilter::Closed => "closed",
        }
    }

    /// The statuses the filter lets through.
    pub fn statuses(self) -> &'static [TicketStatus] {
        match self {
            StatusFilter::Open => &[TicketStatus::New, TicketStatus::Open, TicketStatus::Pending],
            StatusFilter::All => &[
                TicketStatus::New,
                TicketStatus::Open,
                TicketStatus::Pending,
                TicketStatus::Solved,
                TicketStatus::Closed,
            ],
            StatusFilter::New => &[TicketStatus::New],
            StatusFilter::Pending => &[TicketStatus::Pending],
            StatusFilter::Solved => &[TicketStatus::Solved],
            StatusFilter::Closed => &[TicketStatus::Closed],
        }
    }
}

/// Order of a ticket list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketSort {
    /// Most recently updated first.
    #[default]
    UpdatedDesc,
    CreatedDesc,
    CreatedAsc,
    /// Most severe first (the policy's order), then most recently updated.
    Severity,
    /// What support owes soonest first: the first response or the next update (DDEV's update
    /// cadence, 001), overdue ones at the top; tickets that owe nothing last, oldest first.
    DueFirst,
}

impl TicketSort {
    pub const ALL: [TicketSort; 5] = [
        TicketSort::UpdatedDesc,
        TicketSort::CreatedDesc,
        TicketSort::CreatedAsc,
        TicketSort::Severity,
        TicketSort::DueFirst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketSort::UpdatedDesc => "updated_desc",
            TicketSort::CreatedDesc => "created_desc",
            TicketSort::CreatedAsc => "created_asc",
            TicketSort::Severity => "severity",
            TicketSort::DueFirst => "due_first",
        }
    }
}

/// Whose tickets a customer list shows. `organisation` is for organisation admins only (403
/// for everybody else).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketScope {
    /// Tickets the person filed or is copied on.
    #[default]
    Mine,
    Organisation,
}

impl TicketScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketScope::Mine => "mine",
            TicketScope::Organisation => "organisation",
        }
    }
}

/// Query of `GET /api/v1/tickets` and `GET /api/v1/agent/tickets`; every parameter is optional.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketListQuery {
    pub status: Option<StatusFilter>,
    /// Severity id of the policy.
    pub severity: Option<String>,
    /// Product id of the policy.
    pub product: Option<String>,
    /// Text in the subject, (part of) the ticket number such as `123` or `LAN-000123`, or the
    /// id of the engineering issue the ticket is linked to.
    pub q: Option<String>,
    pub sort: Option<TicketSort>,
    /// `next_cursor` of the previous page; only valid with the same filters and sort.
    pub cursor: Option<String>,
    pub scope: Option<TicketScope>,
    /// Page size, 1 to 100; 25 when absent.
    pub limit: Option<u32>,
}

impl TicketListQuery {
    /// The parameters that differ from the defaults, as URL query pairs (unencoded), so the
    /// app's URL and the API call say the same thing.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(status) = self.status.filter(|status| *status != StatusFilter::Open) {
            pairs.push(("status", status.as_str().to_owned()));
        }
        for (key, value) in [
            ("severity", &self.severity),
            ("product", &self.product),
            ("q", &self.q),
            ("cursor", &self.cursor),
        ] {
            if let Some(value) = value.as_ref().filter(|value| !value.is_empty()) {
                pairs.push((key, value.clone()));
            }
        }
        if let Some(sort) = self.sort.filter(|sort| *sort != TicketSort::UpdatedDesc) {
            pairs.push(("sort", sort.as_str().to_owned()));
        }
        if let Some(scope) = self.scope.filter(|scope| *scope != TicketScope::Mine) {
            pairs.push(("scope", scope.as_str().to_owned()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        pairs
    }

    /// The page size asked for, kept within 1..=100.
    pub fn page_size(&self) -> u32 {
        self.limit
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    }
}

/// One page of a ticket list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketPage {
    pub items: Vec<TicketListItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One public event of a ticket's conversation. Internal notes are not among them: they live
/// only in [`AgentTicketDetail`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: DateTime<Utc>,
    pub kind: TimelineKind,
}

/// What happened. JSON: `{"type": "agent_reply", ...}`. Clients should show `unknown` (a kind
/// added after they were built) as nothing rather than fail.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineKind {
    CustomerReply {
        author_name: String,
        body: String,
        attachments: Vec<AttachmentRef>,
    },
    AgentReply {
        author_name: String,
        body: String,
        attachments: Vec<AttachmentRef>,
    },
    StatusChanged {
        from: TicketStatus,
        to: TicketStatus,
        by: Actor,
        /// Empty when none was given.
        reason: String,
    },
    SeverityChanged {
        /// Severity ids of the policy.
        from: String,
        to: String,
        by: Actor,
        reason: String,
    },
    SupportLevelChanged {
        /// Support level ids of the policy (`l1`, `l2`, ...).
        from: String,
        to: String,
        by: Actor,
    },
    /// Closed by a life-cycle rule of the policy.
    AutoClosed {
        from: TicketStatus,
        /// Names the rule, e.g. "Pending for 7 d without a reply from you".
        reason: String,
    },
    /// An escalation request was made, acknowledged, resolved or declined.
    Escalation(EscalationStep),
    /// Support linked the ticket to an engineering issue or changed the state.
    DefectLinked {
        /// The id.
        id: String,
        /// Its state then: "Open", "Fixed in 4.2.0", "Won't fix".
        state: String,
        by: Actor,
        /// Empty when none was given.
        note: String,
    },
    /// Support decided on an enhancement request: its roadmap state.
    RoadmapDecided {
        /// "Planned", "Released in 4.3", ...
        state: String,
        by: Actor,
        /// Empty when none was given.
        reason: String,
    },
    #[serde(other)]
    Unknown,
}

/// The customer's satisfaction survey.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// 1 (poor) to 5 (excellent).
    pub rating: u8,
    pub comment: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub given_at: DateTime<Utc>,
}

/// What the customer may do with the ticket now (the server enforces the same rules).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketActions {
    /// Not closed (a reply to a Solved ticket within the reopen window reopens it).
    pub can_reply: bool,
    /// New, Open or Pending: the customer may say the problem is solved
    /// (`POST .../resolve`, New/Open/Pending -> Solved; the app asks to confirm first).
    pub can_mark_solved: bool,
    /// Solved by support: the customer may confirm the proposed solution
    /// (`POST .../accept-solution`, Solved -> Closed).
    pub can_accept_solution: bool,
    /// Solved and the reopen window has not passed.
    pub can_reopen: bool,
    /// End of the reopen window of a Solved ticket.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub reopen_until: Option<DateTime<Utc>>,
    /// Solved or Closed after support answered, and no survey given yet.
    pub can_rate: bool,
}

/// What the customer's actions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionFacts {
    pub status: TicketStatus,
    pub solved_at: Option<DateTime<Utc>>,
    /// Who set the ticket to Solved the last time; `None` when it never was.
    pub solved_by: Option<ActorKind>,
    /// Support has replied publicly (the first response).
    pub support_replied: bool,
    pub survey_given: bool,
}

/// The actions of a ticket with `facts` at `now`.
pub fn ticket_actions(
    lifecycle: &Lifecycle,
    facts: &ActionFacts,
    now: DateTime<Utc>,
) -> TicketActions {
    let status = facts.status;
    let reopen_until = facts
        .solved_at
        .filter(|_| status == TicketStatus::Solved)
        .map(|solved_at| solved_at + lifecycle.reopen_window.as_chrono());
    let can_reopen = reopen_until.is_some_and(|until| now < until);
    TicketActions {
        can_reply: status != TicketStatus::Closed && (status != TicketStatus::Solved || can_reopen),
        can_mark_solved: can_mark_solved(status),
        can_accept_solution: can_accept_solution(status, facts.solved_by),
        can_reopen,
        reopen_until,
        can_rate: !facts.survey_given && rating_refusal(status, facts.support_replied).is_none(),
    }
}

/// "This is solved": only while the ticket is being worked on.
pub fn can_mark_solved(status: TicketStatus) -> bool {
    matches!(
        status,
        TicketStatus::New | TicketStatus::Open | TicketStatus::Pending
    )
}

/// "The solution works": only a solution support proposed (a ticket the customer marked solved
/// has nothing to confirm; it closes by itself).
pub fn can_accept_solution(status: TicketStatus, solved_by: Option<ActorKind>) -> bool {
    status == TicketStatus::Solved && solved_by == Some(ActorKind::Agent)
}

/// Why support cannot be rated yet, if it cannot: a rating follows a solved ticket that support
/// answered (Code42 sends its survey after closing, 004_c150f22dbee80e04.txt).
pub fn rating_refusal(status: TicketStatus, support_replied: bool) -> Option<&'static str> {
    if !matches!(status, TicketStatus::Solved | TicketStatus::Closed) {
        Some("You can rate the support once the ticket is solved.")
    } else if !support_replied {
        Some("Support has not answered this ticket, so there is nothing to rate.")
    } else {
        None
    }
}

/// `GET /api/v1/tickets/{number}`: everything the customer may see of a ticket.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub ticket: TicketListItem,
    /// Every field as submitted through the wizard, with the attachments of the ticket itself
    /// (reply attachments are in their timeline entries).
    pub submitted: TicketDraft,
    /// Support level id of the policy (`l1`, `l2`, `l3`).
    pub support_level: String,
    /// Its name from the policy, e.g. "Level 1".
    pub support_level_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub solved_at: Option<DateTime<Utc>>,
    /// Addresses copied on the ticket.
    pub cc: Vec<String>,
    pub actions: TicketActions,
    pub survey: Option<Survey>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Escalation requests, oldest first.
    pub escalations: Vec<Escalation>,
    /// Whether the customer may request an escalation now.
    pub escalation_availability: EscalationAvailability,
    /// While the ticket waits for the customer (Pending): what closes it without an answer.
    #[serde(default)]
    pub waiting: Option<WaitingForAnswer>,
}

/// An internal note: for agents only, never in a customer response or mail.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternalNote {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: DateTime<Utc>,
    pub author_name: String,
    pub body: String,
}

/// `GET /api/v1/agent/tickets/{number}`: the customer's view plus what only agents see.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentTicketDetail {
    pub detail: TicketDetail,
    pub organisation_name: String,
    pub requester_email: String,
    /// Oldest first; `id`s share one sequence with the timeline's, so both merge by id.
    pub internal_notes: Vec<InternalNote>,
}

/// `POST /api/v1/tickets/{number}/replies`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
    pub body: String,
    /// Ids from `POST /api/v1/attachments`, not yet on a ticket.
    pub attachments: Vec<String>,
}

/// `POST /api/v1/tickets/{number}/survey`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyRequest {
    /// 1 to 5.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: u8,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: String,
}

/// `POST /api/v1/agent/tickets/{number}/replies`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentReplyRequest {
    pub body: String,
    /// An internal note: visible to agents only.
    pub internal: bool,
    /// Shown as the author; the agent token's name when empty.
    pub author_name: String,
}

/// `POST /api/v1/agent/tickets/{number}/status`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStatusChange {
    pub status: TicketStatus,
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/agent/tickets/{number}/severity`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentSeverityChange {
    /// Severity id of the policy.
    pub severity: String,
    /// Required: the customer sees why.
    pub reason: String,
}

/// `POST /api/v1/agent/tickets/{number}/support-level`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentSupportLevelChange {
    /// Support level id of the policy (`l1`, `l2`, `l3`).
    pub level: String,
}

/// How a status reads for the customer: Pending is "Waiting for you".
pub fn status_label(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::New => "New",
        TicketStatus::Open => "Open",
        TicketStatus::Pending => "Waiting for you",
        TicketStatus::Solved => "Solved",
        TicketStatus::Closed => "Closed",
    }
}

/// Field errors of a reply (keys `body`, `attachments`); empty when it may be sent.
pub fn validate_reply(reply: &ReplyRequest) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Some(message) = reply_body_error(&reply.body) {
        errors.add("body", message);
    }
    if reply.attachments.len() > MAX_ATTACHMENTS {
        errors.add(
            "attachments",
            format!("Attach at most {MAX_ATTACHMENTS} files to one reply."),
        );
    }
    errors
}

/// Why a reply, note or reason text cannot be sent, if it cannot.
pub fn reply_body_error(body: &str) -> Option<String> {
    let length = body.trim().chars().count();
    if length == 0 {
        Some("Write a message.".to_owned())
    } else if length > MAX_REPLY_LENGTH {
        Some(format!(
            "Keep the message under {MAX_REPLY_LENGTH} characters ({length} now); attach \
             longer texts as a file."
        ))
    } else {
        None
    }
}

/// Field errors of a survey (keys `rating`, `comment`); empty when it may be sent.
pub fn validate_survey(survey: &SurveyRequest) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !(MIN_RATING..=MAX_RATING).contains(&survey.rating) {
        errors.add(
            "rating",
            format!("Choose a rating from {MIN_RATING} to {MAX_RATING}."),
        );
    }
    let length = survey.comment.trim().chars().count();
    if length > MAX_SURVEY_COMMENT_LENGTH {
        errors.add(
            "comment",
            format!(
                "Keep the comment under {MAX_SURVEY_COMMENT_LENGTH} characters ({length} now)."
            ),
        );
    }
    errors
}

#[cfg(test)]
mod tests;
