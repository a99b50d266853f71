use lantern_core::conversation::TicketDetail;
use lantern_core::policy::TicketField;
use lantern_core::ticket::{AttachmentRef, TicketDraft};
use leptos::prelude::*;

use super::attachment_links::AttachmentLinks;
use super::policy_names::PolicyNames;
use super::relative_time::LocalDateTime;
use super::ticket_state::TicketState;

/// The customer's request as the conversation's first message, as every helpdesk shows it: who
/// filed it and when, the description, the steps and results, and the files sent with it.
#[component]
pub fn RequestMessage(
    ticket: TicketState,
    #[prop(into)] names: Signal<PolicyNames>,
) -> impl IntoView {
    let request = Memo::new(move |_| ticket.read(|detail| Some(FiledRequest::of(detail))));
    move || {
        request.get().map(|request| {
            let FiledRequest {
                author_name,
                filed_at,
                draft,
            } = request;
            let description = draft.description.clone();
            let files: Vec<AttachmentRef> = draft.attachments.clone();
            let parts = move || {
                request_parts(&draft, &names.get())
                    .into_iter()
                    .map(|(label, text)| {
                        view! {
                            <h3 class="request-part-label">{label}</h3>
                            <div class="timeline-body">{text}</div>
                        }
                    })
                    .collect_view()
            };
            view! {
                <li class="timeline-entry timeline-reply timeline-customer timeline-request">
                    <article aria-label="Your request">
                        <header class="timeline-meta">
                            <strong class="timeline-author">{author_name}</strong>
                            <span class="timeline-role">"Customer"</span>
                            <span>"filed the ticket " <LocalDateTime at=filed_at/></span>
                        </header>
                        <div class="timeline-body">{description}</div>
                        {parts}
                        <AttachmentLinks files/>
                    </article>
                </li>
            }
        })
    }
}

/// What the request shows, so it redraws only when one of these changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FiledRequest {
    author_name: String,
    filed_at: chrono::DateTime<chrono::Utc>,
    draft: TicketDraft,
}

impl FiledRequest {
    fn of(detail: &TicketDetail) -> Self {
        Self {
            author_name: detail.ticket.requester_name.clone(),
            filed_at: detail.ticket.created_at,
            draft: detail.submitted.clone(),
        }
    }
}

/// The filled-in parts of the problem after the description, under the wizard's labels.
fn request_parts(draft: &TicketDraft, names: &PolicyNames) -> Vec<(String, String)> {
    [
        (TicketField::StepsToReproduce, &draft.steps_to_reproduce),
        (TicketField::ExpectedResult, &draft.expected_result),
        (TicketField::ActualResult, &draft.actual_result),
    ]
    .into_iter()
    .filter(|(_, text)| !text.trim().is_empty())
    .map(|(field, text)| (names.label(field), text.clone()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_filled_in_parts_follow_the_description() {
        let draft = TicketDraft {
            description: "Restore stops at 40 percent.".into(),
            steps_to_reproduce: "1. Open the console".into(),
            actual_result: " ".into(),
            ..TicketDraft::default()
        };
        assert_eq!(
            request_parts(&draft, &PolicyNames::default()),
            vec![(
                "Steps to reproduce".to_owned(),
                "1. Open the console".to_owned()
            )]
        );
    }
}
