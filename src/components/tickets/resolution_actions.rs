use std::sync::Arc;

use lantern_core::conversation::TicketActions;
use lantern_core::policy::PolicyView;
use leptos::prelude::*;

use super::failure_notice::FailureNotice;
use super::relative_time::LocalDateTime;
use super::ticket_state::TicketState;
use crate::api;
use crate::components::confirm_in_place::{ConfirmInPlace, ConfirmStyle};
use crate::components::form::Submission;

/// The one resolution step the ticket's state allows, worded for who takes it: while support
/// works on it, the customer may say it is solved (after a confirmation); once support solved
/// it, the customer confirms the solution, or reopens it. A ticket the customer marked solved
/// offers only reopening. A refusal shows the server's reason (the reopen window passed, say).
#[component]
pub fn ResolutionActions(
    ticket: TicketState,
    policy: Signal<Option<Arc<PolicyView>>>,
) -> impl IntoView {
    let actions = Memo::new(move |_| ticket.read(|detail| Some(detail.actions)));
    let resolve = Submission::new(move |action: &Action| {
        let (action, number) = (*action, ticket.number());
        async move {
            let detail = match action {
                Action::MarkSolved => api::mark_ticket_solved(&number).await,
                Action::AcceptSolution => api::accept_solution(&number).await,
                Action::Reopen => api::reopen_ticket(&number).await,
            }?;
            ticket.accept(detail);
            Ok(())
        }
    });
    let pending = resolve.pending();
    let last_action = StoredValue::new(None::<Action>);
    let act = move |action: Action| {
        if pending.get_untracked() {
            return;
        }
        last_action.set_value(Some(action));
        resolve.submit(action);
    };
    let reopen_window = Signal::derive(move || {
        policy.with(|policy| {
            policy
                .as_ref()
                .map(|view| view.policy.lifecycle.reopen_window.hours_text())
        })
    });
    move || {
        let actions = actions.get()?;
        let step = if actions.can_mark_solved {
            view! { <MarkSolved pending reopen_window on_confirm=move || act(Action::MarkSolved)/> }
                .into_any()
        } else if actions.can_accept_solution {
            view! {
                <p>"Support has marked this ticket as solved. Does the solution work for you?"</p>
                <button type="button" class="button button-primary" disabled=move || pending.get() on:click=move |_| act(Action::AcceptSolution)>
                    "Yes, it works: close the ticket"
                </button>
            }
            .into_any()
        } else if actions.can_reopen {
            view! { <p>"You have marked this ticket as solved."</p> }.into_any()
        } else {
            return None;
        };
        Some(view! {
            <section class="resolution card" aria-labelledby="resolution-title">
                <h2 id="resolution-title">"Resolution"</h2>
                {step}
                {actions.can_reopen.then(|| view! { <Reopen actions pending on_reopen=move || act(Action::Reopen)/> })}
                <FailureNotice
                    error=resolve.failure()
                    kept="Nothing was changed on the ticket."
                    on_retry=move |_| {
                        if let Some(action) = last_action.get_value() {
                            act(action);
                        }
                    }
                    pending
                />
            </section>
        })
    }
}

/// "This is solved", then a confirmation that says what it means, so one click cannot end the
/// work on a ticket by mistake.
#[component]
fn MarkSolved(
    pending: Signal<bool>,
    reopen_window: Signal<Option<String>>,
    on_confirm: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let question = Signal::derive(move || {
        let reopen = reopen_window.get().map_or_else(
            || "You can reopen it for a while if the problem comes back.".to_owned(),
            |window| format!("You can reopen it within {window} if the problem comes back."),
        );
        format!("Mark this ticket as solved? Support stops working on it. {reopen}")
    });
    view! {
        <p>"Problem gone? Tell support it is solved."</p>
        <ConfirmInPlace
            id="mark-solved"
            start_label="This is solved"
            question
            confirm_label="Yes, mark as solved"
            keep_label="Cancel"
            on_confirm=Callback::new(move |()| on_confirm())
            pending
            style=ConfirmStyle::Primary
        />
    }
}

/// "Reopen" while the policy's window lasts.
#[component]
fn Reopen(
    actions: TicketActions,
    pending: Signal<bool>,
    on_reopen: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <p>
            "Not solved after all? You can reopen the ticket"
            {actions.reopen_until.map(|until| view! { " until " <LocalDateTime at=until/> })}
            "."
        </p>
        <button type="button" class="button button-quiet" disabled=move || pending.get() on:click=move |_| on_reopen()>
            "Reopen"
        </button>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    MarkSolved,
    AcceptSolution,
    Reopen,
}
