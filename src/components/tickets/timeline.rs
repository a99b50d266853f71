use chrono::{DateTime, Utc};
use lantern_core::conversation::{Actor, ActorKind, TimelineEntry, TimelineKind};
use lantern_core::escalation::{EscalationState, EscalationStep};
use lantern_core::ticket::AttachmentRef;
use leptos::prelude::*;

use super::attachment_links::AttachmentLinks;
use super::policy_names::PolicyNames;
use super::relative_time::LocalDateTime;
use super::request_message::RequestMessage;
use super::ticket_state::TicketState;
use lantern_core::conversation::status_label;

/// The conversation, oldest first: the customer's request, then public replies of both sides,
/// every change of status, severity and support level, and the steps of escalation requests.
/// New entries join at the end without redrawing the others.
#[component]
pub fn Timeline(ticket: TicketState, #[prop(into)] names: Signal<PolicyNames>) -> impl IntoView {
    let entries = move || {
        ticket.read(|detail| {
            detail
                .timeline
                .iter()
                .filter(|entry| entry.kind != TimelineKind::Unknown)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="timeline" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Conversation"</h2>
            // New replies are announced as they arrive.
            <ol class="timeline-list" aria-live="polite" aria-relevant="additions">
                <RequestMessage ticket names/>
                <For
                    each=entries
                    key=|entry| entry.id
                    children=move |entry| view! { <TimelineItem entry names/> }
                />
            </ol>
            <Show when=move || !ticket.read(|detail| support_replied(&detail.timeline))>
                <p class="timeline-empty">"Support has not answered yet. Their replies appear here."</p>
            </Show>
        </section>
    }
}

fn support_replied(timeline: &[TimelineEntry]) -> bool {
    timeline
        .iter()
        .any(|entry| matches!(entry.kind, TimelineKind::AgentReply { .. }))
}

#[component]
fn TimelineItem(entry: TimelineEntry, names: Signal<PolicyNames>) -> impl IntoView {
    let TimelineEntry { at, kind, .. } = entry;
    match kind {
        TimelineKind::CustomerReply {
            author_name,
            body,
            attachments,
        } => view! { <Reply from=ActorKind::Customer author_name body attachments at/> }.into_any(),
        TimelineKind::AgentReply {
            author_name,
            body,
            attachments,
        } => view! { <Reply from=ActorKind::Agent author_name body attachments at/> }.into_any(),
        TimelineKind::Escalation(step) => view! { <EscalationStepItem step at names/> }.into_any(),
        other => {
            let text = move || change_text(&other, &names.get());
            view! {
                <li class="timeline-entry timeline-change">
                    <p class="timeline-change-text">{text}</p>
                    <p class="timeline-meta"><LocalDateTime at/></p>
                </li>
            }
            .into_any()
        }
    }
}

/// A public reply: who wrote it, when, the text and its files.
#[component]
fn Reply(
    from: ActorKind,
    author_name: String,
    body: String,
    attachments: Vec<AttachmentRef>,
    at: DateTime<Utc>,
) -> impl IntoView {
    let (class, role) = match from {
        ActorKind::Agent => ("timeline-entry timeline-reply timeline-agent", "Support"),
        _ => (
            "timeline-entry timeline-reply timeline-customer",
            "Customer",
        ),
    };
    view! {
        <li class=class>
            <article>
                <header class="timeline-meta">
                    <strong class="timeline-author">{author_name}</strong>
                    <span class="timeline-role">{role}</span>
                    <LocalDateTime at/>
                </header>
                <div class="timeline-body">{body}</div>
                <AttachmentLinks files=attachments/>
            </article>
        </li>
    }
}

/// A step of an escalation request: its state, who took it, the reason, and the customer's
/// details or the agent's answer.
#[component]
fn EscalationStepItem(
    step: EscalationStep,
    at: DateTime<Utc>,
    names: Signal<PolicyNames>,
) -> impl IntoView {
    let EscalationStep {
        state,
        by,
        reason,
        text,
        requested_severity,
        ..
    } = step;
    let class = format!(
        "timeline-entry timeline-escalation timeline-escalation-{}",
        state.as_str()
    );
    view! {
        <li class=class>
            <article>
                <header class="timeline-meta">
                    <strong class="timeline-escalation-state">{state.label()}</strong>
                    <span>{escalation_actor(state, &by)}</span>
                    <LocalDateTime at/>
                </header>
                <p class="timeline-escalation-reason">"Reason: " {reason.label()}</p>
                {requested_severity.map(|severity| view! {
                    <p class="timeline-escalation-severity">
                        {move || format!("Asked to raise the severity to {}.", names.get().severity(&severity))}
                    </p>
                })}
                {(!text.trim().is_empty()).then(|| view! { <div class="timeline-body">{text}</div> })}
            </article>
        </li>
    }
}

/// "by Alice Andersen" for the customer's request, "answered by Sam Support" for support's steps.
fn escalation_actor(state: EscalationState, by: &Actor) -> String {
    match state {
        EscalationState::Requested => format!("by {}", actor_name(by)),
        _ => format!("answered by {}", actor_name(by)),
    }
}

/// A sentence for a change: "Support Agent changed the status from Open to Waiting for you:
/// we need the log file."
fn change_text(kind: &TimelineKind, names: &PolicyNames) -> String {
    match kind {
        TimelineKind::StatusChanged {
            from,
            to,
            by,
            reason,
        } => with_reason(
            format!(
                "{} changed the status from {} to {}",
                actor_name(by),
                status_label(*from),
                status_label(*to)
            ),
            reason,
        ),
        TimelineKind::SeverityChanged {
            from,
            to,
            by,
            reason,
        } => with_reason(
            format!(
                "{} changed the severity from {} to {}",
                actor_name(by),
                names.severity(from),
                names.severity(to)
            ),
            reason,
        ),
        TimelineKind::SupportLevelChanged { from, to, by } => format!(
            "{} moved the ticket from {} to {}.",
            actor_name(by),
            names.support_level_name(from),
            names.support_level_name(to)
        ),
        TimelineKind::DefectLinked {
            id,
            state,
            by,
            note,
        } => with_reason(
            format!(
                "{} linked the ticket to engineering issue {id} ({state})",
                actor_name(by)
            ),
            note,
        ),
        TimelineKind::RoadmapDecided { state, by, reason } => with_reason(
            format!(
                "{} set the request's roadmap state to {state}",
                actor_name(by)
            ),
            reason,
        ),
        TimelineKind::AutoClosed { from, reason } => with_reason(
            format!("Closed automatically (was {})", status_label(*from)),
            reason,
        ),
        TimelineKind::CustomerReply { .. }
        | TimelineKind::AgentReply { .. }
        | TimelineKind::Escalation(_)
        | TimelineKind::Unknown => String::new(),
    }
}

fn actor_name(actor: &Actor) -> String {
    match actor.kind {
        ActorKind::System => "Lantern".to_owned(),
        _ => actor.name.clone(),
    }
}

fn with_reason(sentence: String, reason: &str) -> String {
    match reason.trim() {
        "" => format!("{sentence}."),
        reason => format!("{sentence}: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use lantern_core::ticket::TicketStatus;

    use super::*;

    fn agent() -> Actor {
        Actor {
            kind: ActorKind::Agent,
            name: "Sam Support".into(),
        }
    }

    #[test]
    fn changes_read_as_sentences_with_their_reason() {
        let names = PolicyNames {
            severities: vec![
                ("critical".into(), "Critical".into()),
                ("minor".into(), "Minor".into()),
            ],
            ..PolicyNames::default()
        };
        let status = TimelineKind::StatusChanged {
            from: TicketStatus::Open,
            to: TicketStatus::Pending,
            by: agent(),
            reason: String::new(),
        };
        assert_eq!(
            change_text(&status, &names),
            "Sam Support changed the status from Open to Waiting for you."
        );
        let severity = TimelineKind::SeverityChanged {
            from: "critical".into(),
            to: "minor".into(),
            by: agent(),
            reason: "A workaround restores service.".into(),
        };
        assert_eq!(
            change_text(&severity, &names),
            "Sam Support changed the severity from Critical to Minor: A workaround restores service."
        );
        let level = TimelineKind::SupportLevelChanged {
            from: "l1".into(),
            to: "l2".into(),
            by: agent(),
        };
        assert_eq!(
            change_text(&level, &names),
            "Sam Support moved the ticket from support level L1 to support level L2."
        );
        let defect = TimelineKind::DefectLinked {
            id: "SFTPPLUS-1234".into(),
            state: "Fixed in 4.2.0".into(),
            by: agent(),
            note: "Update to get the fix.".into(),
        };
        assert_eq!(
            change_text(&defect, &names),
            "Sam Support linked the ticket to engineering issue SFTPPLUS-1234 (Fixed in 4.2.0): \
             Update to get the fix."
        );
        let roadmap = TimelineKind::RoadmapDecided {
            state: "Planned".into(),
            by: agent(),
            reason: String::new(),
        };
        assert_eq!(
            change_text(&roadmap, &names),
            "Sam Support set the request's roadmap state to Planned."
        );
    }

    #[test]
    fn escalation_steps_say_who_asked_and_who_answered() {
        let customer = Actor {
            kind: ActorKind::Customer,
            name: "Alice Andersen".into(),
        };
        assert_eq!(
            escalation_actor(EscalationState::Requested, &customer),
            "by Alice Andersen"
        );
        assert_eq!(
            escalation_actor(EscalationState::Declined, &agent()),
            "answered by Sam Support"
        );
    }
}
