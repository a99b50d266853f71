use lantern_core::conversation::TicketDetail;
use lantern_core::ticket::TicketStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::relative_time::LocalDateTime;
use super::ticket_state::TicketState;
use crate::api::{self, ApiError};
use crate::components::form::FormError;

/// "Confirm resolved" and "Reopen", while the policy allows them. A refusal shows the
/// server's reason (the reopen window passed, say).
#[component]
pub fn ResolutionActions(ticket: TicketState) -> impl IntoView {
    let facts =
        Memo::new(move |_| ticket.read(|detail| Some((detail.ticket.status, detail.actions))));
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let act = move |action: Action| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        spawn_local(async move {
            let number = ticket.number();
            let answer: Result<TicketDetail, ApiError> = match action {
                Action::Resolve => api::resolve_ticket(&number).await,
                Action::Reopen => api::reopen_ticket(&number).await,
            };
            match answer {
                Ok(detail) => ticket.accept(detail),
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
            pending.try_set(false);
        });
    };
    move || {
        let (status, actions) = facts.get()?;
        if !actions.can_confirm_resolved && !actions.can_reopen {
            return None;
        }
        let resolve_hint = if status == TicketStatus::Solved {
            "Does the solution work for you? Confirming closes the ticket."
        } else {
            "Problem gone? Tell support it is solved."
        };
        Some(view! {
            <section class="resolution card" aria-labelledby="resolution-title">
                <h2 id="resolution-title">"Resolution"</h2>
                {actions.can_confirm_resolved.then(|| view! {
                    <p>{resolve_hint}</p>
                    <button type="button" class="button button-primary" disabled=move || pending.get() on:click=move |_| act(Action::Resolve)>
                        "Confirm resolved"
                    </button>
                })}
                {actions.can_reopen.then(|| view! {
                    <p>
                        "Not solved after all? You can reopen the ticket"
                        {actions.reopen_until.map(|until| view! { " until " <LocalDateTime at=until/> })}
                        "."
                    </p>
                    <button type="button" class="button button-quiet" disabled=move || pending.get() on:click=move |_| act(Action::Reopen)>
                        "Reopen"
                    </button>
                })}
                <FormError error=failure/>
            </section>
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Resolve,
    Reopen,
}
