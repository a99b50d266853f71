use lantern_core::conversation::{ReplyRequest, validate_reply};
use lantern_core::ticket::{AttachmentKind, AttachmentRef, TicketStatus};
use leptos::prelude::*;

use super::failure_notice::FailureNotice;
use super::ticket_state::TicketState;
use crate::api;
use crate::components::form::{Form, Submission, SubmitButton, TextArea};
use crate::components::wizard::FileDropZone;

/// Write a reply with files. Checks it with the same rule as the server before sending; a
/// reply to a ticket that waits for the customer puts it back in support's court.
#[component]
pub fn ReplyForm(ticket: TicketState) -> impl IntoView {
    let can_reply = Memo::new(move |_| ticket.read(|detail| detail.actions.can_reply));
    let status = Memo::new(move |_| ticket.read(|detail| Some(detail.ticket.status)));
    view! {
        <section class="reply card" aria-labelledby="reply-title">
            <h2 id="reply-title">"Reply"</h2>
            <Show
                when=move || can_reply.get()
                fallback=move || view! {
                    <p class="reply-closed">
                        {move || closed_reason(status.get())}
                        " To follow up, file a "
                        <a href="/tickets/new">"new ticket"</a>
                        " and mention " {ticket.number()} "."
                    </p>
                }
            >
                <ReplyStatusNote status/>
                <ReplyEditor ticket/>
            </Show>
        </section>
    }
}

/// Why the ticket takes no more replies.
fn closed_reason(status: Option<TicketStatus>) -> &'static str {
    match status {
        Some(TicketStatus::Solved) => "This ticket is solved and can no longer be reopened.",
        _ => "This ticket is closed.",
    }
}

/// What a reply does to the ticket's status, when it changes it.
#[component]
fn ReplyStatusNote(status: Memo<Option<TicketStatus>>) -> impl IntoView {
    move || {
        let note = match status.get()? {
            TicketStatus::Pending => {
                "Support is waiting for your answer. Sending a reply moves the ticket back to Open."
            }
            TicketStatus::Solved => "This ticket is solved. Sending a reply reopens it.",
            _ => return None,
        };
        Some(view! { <p class="notice notice-warning reply-status-note">{note}</p> })
    }
}

#[component]
fn ReplyEditor(ticket: TicketState) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let attachments = RwSignal::new(Vec::<AttachmentRef>::new());
    let sent = RwSignal::new(false);
    let reply = Submission::new(move |reply: &ReplyRequest| {
        let reply = reply.clone();
        async move {
            let detail = api::reply_to_ticket(&ticket.number(), &reply).await?;
            ticket.accept(detail);
            body.try_set(String::new());
            attachments.try_set(Vec::new());
            sent.try_set(true);
            Ok(())
        }
    });
    let pending = reply.pending();
    let send = move || {
        let request = ReplyRequest {
            body: body.get_untracked(),
            attachments: attachments
                .with_untracked(|files| files.iter().map(|file| file.id.clone()).collect()),
        };
        sent.set(false);
        reply.submit_checked(request.clone(), validate_reply(&request));
    };
    view! {
        <Form pending on_submit=send label="Reply to support" novalidate=true>
            <TextArea label="Your reply" name="body" id="reply-body" value=body error=reply.field("body") required=true/>
            <FileDropZone attachments error=reply.field("attachments") default_kind=AttachmentKind::Other/>
            <FailureNotice
                error=reply.failure()
                kept="Your reply was not sent. Its text and files are kept here."
                on_retry=move |_| send()
                pending
            />
            <div class="form-actions">
                <SubmitButton label="Send reply" pending busy_label="Sending…"/>
                <p class="reply-sent" role="status">{move || sent.get().then_some("Reply sent.")}</p>
            </div>
        </Form>
    }
}
