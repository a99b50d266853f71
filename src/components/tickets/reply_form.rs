use lantern_core::api::FieldErrors;
use lantern_core::conversation::{ReplyRequest, validate_reply};
use lantern_core::ticket::{AttachmentKind, AttachmentRef, TicketStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::failure_notice::FailureNotice;
use super::ticket_state::TicketState;
use crate::api::{self, ApiError};
use crate::components::form::{Form, SubmitButton, TextArea};
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
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let error_of = move |key: &'static str| {
        Signal::derive(move || errors.with(|errors| errors.get(key).map(str::to_owned)))
    };
    let send = move || {
        let reply = ReplyRequest {
            body: body.get_untracked(),
            attachments: attachments
                .with_untracked(|files| files.iter().map(|file| file.id.clone()).collect()),
        };
        let problems = validate_reply(&reply);
        sent.set(false);
        failure.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match api::reply_to_ticket(&ticket.number(), &reply).await {
                Ok(detail) => {
                    ticket.accept(detail);
                    body.try_set(String::new());
                    attachments.try_set(Vec::new());
                    sent.try_set(true);
                }
                Err(error) => {
                    errors.try_set(server_field_errors(&error));
                    failure.try_set(Some(error));
                }
            }
            pending.try_set(false);
        });
    };
    view! {
        <Form pending on_submit=send label="Reply to support" novalidate=true>
            <TextArea label="Your reply" name="body" id="reply-body" value=body error=error_of("body") required=true/>
            <FileDropZone attachments error=error_of("attachments") default_kind=AttachmentKind::Other/>
            <FailureNotice
                error=failure
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

/// The server's messages for the reply's fields, when it rejected them.
fn server_field_errors(error: &ApiError) -> FieldErrors {
    ["body", "attachments"]
        .into_iter()
        .filter_map(|key| error.field(key).map(|message| (key.to_owned(), message)))
        .collect()
}
