//! The bottom floor: what happened to a ticket. Every change writes one timeline event through
//! [`record`]: who made it ([`Author`]), what it was ([`EventKind`], stored as text) and its
//! details; and the mail about it goes to everyone on the ticket but its author ([`notify`]).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use lantern_core::conversation::ActorKind;
use lantern_core::escalation::EscalationState;
use lantern_core::policy::{Lifecycle, WaitingForAnswer, contact_attempts};
use lantern_core::ticket::TicketStatus;

use crate::auth::CurrentUser;
use crate::db::WriteTransaction;
use crate::db::{
    self, instant,
    ticket_events::{EventRow, NewEvent},
    tickets::TicketRow,
};
use crate::error::AppResult;
use crate::state::AppState;

/// Who makes a change, as stored with its event.
#[derive(Debug, Clone)]
pub struct Author {
    pub kind: ActorKind,
    pub name: String,
    /// A customer's account e-mail: they get no mail about their own change.
    pub email: Option<String>,
    /// A customer's account, stored with the event so a deletion of it finds her events.
    pub user_id: Option<i64>,
}

impl Author {
    pub fn customer(user: &CurrentUser) -> Self {
        Self {
            kind: ActorKind::Customer,
            name: user.name.clone(),
            email: Some(user.email.to_lowercase()),
            user_id: Some(user.id),
        }
    }

    pub fn agent(name: &str) -> Self {
        Self {
            kind: ActorKind::Agent,
            name: name.to_owned(),
            email: None,
            user_id: None,
        }
    }

    /// An agent under the name a request asks to show (`shown_as`), or its token's name.
    pub fn agent_shown_as(shown_as: &str, token_name: &str) -> Self {
        let shown_as = shown_as.trim();
        Self::agent(if shown_as.is_empty() {
            token_name
        } else {
            shown_as
        })
    }

    pub fn system() -> Self {
        Self {
            kind: ActorKind::System,
            name: "Lantern".to_owned(),
            email: None,
            user_id: None,
        }
    }
}

fn stored_actor_kind(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Customer => "customer",
        ActorKind::Agent => "agent",
        ActorKind::System => "system",
    }
}

/// The actor kind of a stored event.
pub fn actor_kind(event: &EventRow) -> ActorKind {
    match event.actor_kind.as_str() {
        "customer" => ActorKind::Customer,
        "agent" => ActorKind::Agent,
        _ => ActorKind::System,
    }
}

/// What an event records; stored as the text of [`EventKind::as_str`] (migration 0004).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    CustomerReply,
    AgentReply,
    /// For agents only: never in a customer's response or mail.
    InternalNote,
    StatusChanged,
    SeverityChanged,
    SupportLevelChanged,
    /// Closed by a life-cycle rule of the policy.
    AutoClosed,
    /// An escalation request moved to this state.
    Escalation(EscalationState),
    /// Linked to an engineering issue, or the linked issue changed state (`to_value`: its id,
    /// `from_value`: its state as the customer reads it).
    DefectLinked,
    /// Support decided on an enhancement request (`to_value`: the state as the customer reads
    /// it, `body`: the reason).
    RoadmapDecided,
}

impl EventKind {
    const ALL: [EventKind; 13] = [
        EventKind::CustomerReply,
        EventKind::AgentReply,
        EventKind::InternalNote,
        EventKind::StatusChanged,
        EventKind::SeverityChanged,
        EventKind::SupportLevelChanged,
        EventKind::AutoClosed,
        EventKind::Escalation(EscalationState::Requested),
        EventKind::Escalation(EscalationState::Acknowledged),
        EventKind::Escalation(EscalationState::Resolved),
        EventKind::Escalation(EscalationState::Declined),
        EventKind::DefectLinked,
        EventKind::RoadmapDecided,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CustomerReply => "customer_reply",
            EventKind::AgentReply => "agent_reply",
            EventKind::InternalNote => "internal_note",
            EventKind::StatusChanged => "status_changed",
            EventKind::SeverityChanged => "severity_changed",
            EventKind::SupportLevelChanged => "support_level_changed",
            EventKind::AutoClosed => "auto_closed",
            EventKind::Escalation(EscalationState::Requested) => "escalation_requested",
            EventKind::Escalation(EscalationState::Acknowledged) => "escalation_acknowledged",
            EventKind::Escalation(EscalationState::Resolved) => "escalation_resolved",
            EventKind::Escalation(EscalationState::Declined) => "escalation_declined",
            EventKind::DefectLinked => "defect_linked",
            EventKind::RoadmapDecided => "roadmap_decided",
        }
    }

    /// The kind of a stored event; `None` for a kind this server does not know.
    pub fn of(event: &EventRow) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == event.kind)
    }
}

/// A new event of a ticket, before it is stored.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub kind: EventKind,
    pub author: &'a Author,
    /// The message, reason or answer; empty when there is none.
    pub body: &'a str,
    /// What changed, from and to (ids or states); empty for a message.
    pub change: (&'a str, &'a str),
    /// The escalation request a step belongs to.
    pub escalation_id: Option<i64>,
}

impl<'a> Event<'a> {
    /// A message or a change without values: replies, notes.
    pub fn new(kind: EventKind, author: &'a Author, body: &'a str) -> Self {
        Self {
            kind,
            author,
            body,
            change: ("", ""),
            escalation_id: None,
        }
    }

    /// A change of a value from `from` to `to`, with its reason.
    pub fn change(
        kind: EventKind,
        author: &'a Author,
        reason: &'a str,
        (from, to): (&'a str, &'a str),
    ) -> Self {
        Self {
            change: (from, to),
            ..Self::new(kind, author, reason)
        }
    }

    /// The step of the escalation request `escalation_id` to `to`.
    pub fn escalation_step(
        escalation_id: i64,
        to: EscalationState,
        author: &'a Author,
        text: &'a str,
    ) -> Self {
        Self {
            escalation_id: Some(escalation_id),
            ..Self::change(EventKind::Escalation(to), author, text, ("", to.as_str()))
        }
    }
}

/// Stores `event` on the ticket at `now`; returns its id (replies' files hang on it).
pub async fn record(
    tx: &mut WriteTransaction,
    ticket_id: i64,
    event: &Event<'_>,
    now: i64,
) -> AppResult<i64> {
    let (from_value, to_value) = event.change;
    let id = db::ticket_events::insert(
        tx,
        &NewEvent {
            ticket_id,
            at: now,
            kind: event.kind.as_str(),
            internal: event.kind == EventKind::InternalNote,
            actor_kind: stored_actor_kind(event.author.kind),
            actor_name: &event.author.name,
            actor_user_id: event.author.user_id,
            body: event.body,
            from_value,
            to_value,
            escalation_id: event.escalation_id,
        },
    )
    .await?;
    Ok(id)
}

/// Who set the ticket to Solved the last time, from its public events (oldest first).
pub fn solved_by(public_events: &[EventRow]) -> Option<ActorKind> {
    public_events
        .iter()
        .rev()
        .find(|event| {
            EventKind::of(event) == Some(EventKind::StatusChanged)
                && event.to_value == TicketStatus::Solved.as_str()
        })
        .map(actor_kind)
}

/// While the ticket is Pending: what closes it without an answer, from its public events (the
/// agent replies since the move to Pending are attempts to contact).
pub fn waiting_for_answer(
    lifecycle: &Lifecycle,
    row: &TicketRow,
    public_events: &[EventRow],
    now: DateTime<Utc>,
) -> Option<WaitingForAnswer> {
    let pending = row.status() == TicketStatus::Pending;
    let since = instant(row.pending_since.filter(|_| pending)?);
    let replies: Vec<_> = public_events
        .iter()
        .filter(|event| EventKind::of(event) == Some(EventKind::AgentReply))
        .map(|event| instant(event.at))
        .collect();
    let attempts = contact_attempts(since, &replies);
    Some(lifecycle.waiting_for_answer(since, &attempts, now))
}

/// Mails the requester and the CCs about a change, except its author.
pub async fn notify(
    tx: &mut WriteTransaction,
    state: &AppState,
    row: &TicketRow,
    author: &Author,
    message: &str,
    now: i64,
) -> AppResult<()> {
    let mut recipients: BTreeSet<String> = db::ticket_ccs::emails(&mut *tx, row.id)
        .await?
        .into_iter()
        .collect();
    recipients.insert(row.requester_email.to_lowercase());
    if let Some(email) = &author.email {
        recipients.remove(email);
    }
    let subject = format!("[{}] {}", row.number, row.subject);
    let body = format!(
        "Hello,\n\n{message}\n\nSee the ticket and answer at {url}/tickets/{number}.\n\
         Please mention {number} whenever you contact {vendor} support about it.\n\n\
         {vendor} Support\n",
        url = state.config.public_url,
        number = row.number,
        vendor = state.policy.vendor.name,
    );
    for recipient in recipients {
        db::outbox::enqueue(&mut *tx, &recipient, &subject, &body, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_stored_text() {
        for kind in EventKind::ALL {
            let stored = EventRow {
                id: 1,
                at: 0,
                kind: kind.as_str().to_owned(),
                internal: false,
                actor_kind: "agent".into(),
                actor_name: "Sam".into(),
                body: String::new(),
                from_value: String::new(),
                to_value: String::new(),
                escalation_id: None,
            };
            assert_eq!(EventKind::of(&stored), Some(kind));
        }
    }
}
