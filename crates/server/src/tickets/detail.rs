//! The top floor: a ticket as its reader sees it. The customer's detail and the agent's (with
//! internal notes) are assembled in one place from the rooms below: the list's item, the
//! timeline from the events, the escalation requests, and the actions open to the customer.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lantern_core::conversation::{
    ActionFacts, Actor, AgentTicketDetail, InternalNote, Survey, TicketDetail, TicketListItem,
    TimelineEntry, TimelineKind, ticket_actions,
};
use lantern_core::escalation::{Escalation, escalation_availability};
use lantern_core::ticket::{
    AttachmentKind, AttachmentRef, TicketContact, TicketDraft, TicketStatus,
};

use crate::db::{
    self, instant,
    ticket_events::EventRow,
    tickets::{ListRow, TicketRow},
};
use crate::error::AppResult;
use crate::state::AppState;

use super::escalation;
use super::events::{EventKind, actor_kind, solved_by, waiting_for_answer};
use super::list::list_item;

/// The customer's view of a ticket.
pub async fn for_customer(state: &AppState, row: &TicketRow) -> AppResult<TicketDetail> {
    let events = db::ticket_events::of_ticket(&state.database, row.id, false).await?;
    build_detail(state, row, &events).await
}

/// The agent's view: the customer's plus internal notes.
pub async fn for_agent(state: &AppState, row: &TicketRow) -> AppResult<AgentTicketDetail> {
    let events = db::ticket_events::of_ticket(&state.database, row.id, true).await?;
    let (notes, public): (Vec<EventRow>, Vec<EventRow>) =
        events.into_iter().partition(|event| event.internal);
    Ok(AgentTicketDetail {
        detail: build_detail(state, row, &public).await?,
        organisation_name: row.organisation_name.clone(),
        requester_email: row.requester_email.clone(),
        internal_notes: notes
            .into_iter()
            .map(|note| InternalNote {
                id: note.id,
                at: instant(note.at),
                author_name: note.actor_name,
                body: note.body,
            })
            .collect(),
    })
}

/// Builds the detail from public events only: the one place the timeline is assembled.
async fn build_detail(
    state: &AppState,
    row: &TicketRow,
    public_events: &[EventRow],
) -> AppResult<TicketDetail> {
    let mut by_event: BTreeMap<Option<i64>, Vec<AttachmentRef>> = BTreeMap::new();
    for attachment in db::attachments::of_ticket(&state.database, row.id).await? {
        by_event
            .entry(attachment.event_id)
            .or_default()
            .push(AttachmentRef {
                id: attachment.id,
                name: attachment.name,
                size: u64::try_from(attachment.size).unwrap_or_default(),
                kind: AttachmentKind::parse(&attachment.kind).unwrap_or_default(),
            });
    }
    let survey = db::ticket_surveys::of_ticket(&state.database, row.id)
        .await?
        .map(|survey| Survey {
            rating: u8::try_from(survey.rating).unwrap_or_default(),
            comment: survey.comment,
            given_at: instant(survey.given_at),
        });
    let cc = db::ticket_ccs::emails(&state.database, row.id).await?;
    let escalations = escalation::of_ticket(&state.database, row.id).await?;
    let now = state.clock.now();
    let status = row.status();
    let timeline = public_events
        .iter()
        .filter(|event| !event.internal)
        .map(|event| TimelineEntry {
            id: event.id,
            at: instant(event.at),
            kind: timeline_kind(
                event,
                by_event.remove(&Some(event.id)).unwrap_or_default(),
                &escalations,
            ),
        })
        .collect();
    let support_level_name = state
        .policy
        .support_levels
        .get(&row.support_level)
        .map_or_else(
            || row.support_level.to_uppercase(),
            |level| level.name.clone(),
        );
    let escalated = escalations
        .iter()
        .any(|escalation| escalation.state.is_open());
    Ok(TicketDetail {
        ticket: ticket_item(row, escalated, now),
        submitted: submitted(row, by_event.remove(&None).unwrap_or_default(), cc.clone()),
        support_level: row.support_level.clone(),
        support_level_name,
        solved_at: row.solved_at.map(instant),
        cc,
        actions: ticket_actions(
            &state.policy.lifecycle,
            &ActionFacts {
                status,
                solved_at: row.solved_at.map(instant),
                solved_by: solved_by(public_events),
                support_replied: row.first_response_at.is_some(),
                survey_given: survey.is_some(),
            },
            now,
        ),
        survey,
        timeline,
        escalation_availability: escalation_availability(&state.policy, status, &escalations, now),
        escalations,
        waiting: waiting_for_answer(&state.policy.lifecycle, row, public_events, now),
    })
}

/// The ticket's list item: the list's own mapping, so both read the same.
fn ticket_item(row: &TicketRow, escalated: bool, now: DateTime<Utc>) -> TicketListItem {
    let list_row = ListRow {
        id: row.id,
        number: row.number.clone(),
        subject: row.subject.clone(),
        status: row.status.clone(),
        severity: row.severity.clone(),
        product: row.product.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        response_due_at: row.response_due_at,
        first_response_at: row.first_response_at,
        solved_at: row.solved_at,
        update_due_at: row.update_due_at,
        requester_name: row.requester_name.clone(),
        // Sort keys: only a list's cursor reads them.
        severity_rank: 0,
        due_key: 0,
        escalated,
        defect: row.defect.clone(),
        roadmap: row.roadmap.clone(),
    };
    list_item(list_row, now)
}

fn submitted(row: &TicketRow, attachments: Vec<AttachmentRef>, cc: Vec<String>) -> TicketDraft {
    TicketDraft {
        product: row.product.clone(),
        component: row.component.clone(),
        version: row.version.clone(),
        case_type: row.case_type.clone(),
        subject: row.subject.clone(),
        description: row.description.clone(),
        steps_to_reproduce: row.steps_to_reproduce.clone(),
        expected_result: row.expected_result.clone(),
        actual_result: row.actual_result.clone(),
        severity: row.severity.clone(),
        operating_system: row.operating_system.clone(),
        computer_id: row.computer_id.clone(),
        username: row.username.clone(),
        recent_changes: row.recent_changes.clone(),
        integrations: row.integrations.clone(),
        attachments,
        contact: TicketContact {
            name: row.contact_name.clone(),
            email: row.contact_email.clone(),
            phone: row.contact_phone.clone(),
            preferred_channel: row.preferred_channel.clone(),
        },
        cc,
    }
}

fn timeline_kind(
    event: &EventRow,
    attachments: Vec<AttachmentRef>,
    escalations: &[Escalation],
) -> TimelineKind {
    let status = |text: &str| TicketStatus::parse(text).unwrap_or(TicketStatus::New);
    let by = || Actor {
        kind: actor_kind(event),
        name: event.actor_name.clone(),
    };
    let Some(kind) = EventKind::of(event) else {
        return TimelineKind::Unknown;
    };
    match kind {
        EventKind::CustomerReply => TimelineKind::CustomerReply {
            author_name: event.actor_name.clone(),
            body: event.body.clone(),
            attachments,
        },
        EventKind::AgentReply => TimelineKind::AgentReply {
            author_name: event.actor_name.clone(),
            body: event.body.clone(),
            attachments,
        },
        EventKind::StatusChanged => TimelineKind::StatusChanged {
            from: status(&event.from_value),
            to: status(&event.to_value),
            by: by(),
            reason: event.body.clone(),
        },
        EventKind::SeverityChanged => TimelineKind::SeverityChanged {
            from: event.from_value.clone(),
            to: event.to_value.clone(),
            by: by(),
            reason: event.body.clone(),
        },
        EventKind::SupportLevelChanged => TimelineKind::SupportLevelChanged {
            from: event.from_value.clone(),
            to: event.to_value.clone(),
            by: by(),
        },
        EventKind::DefectLinked => TimelineKind::DefectLinked {
            id: event.to_value.clone(),
            state: event.from_value.clone(),
            by: by(),
            note: event.body.clone(),
        },
        EventKind::RoadmapDecided => TimelineKind::RoadmapDecided {
            state: event.to_value.clone(),
            by: by(),
            reason: event.body.clone(),
        },
        EventKind::AutoClosed => TimelineKind::AutoClosed {
            from: status(&event.from_value),
            reason: event.body.clone(),
        },
        EventKind::Escalation(state) => escalation::timeline_step(state, event, by(), escalations)
            .map_or(TimelineKind::Unknown, TimelineKind::Escalation),
        // Internal notes are never among the public events.
        EventKind::InternalNote => TimelineKind::Unknown,
    }
}
