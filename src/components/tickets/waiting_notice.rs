use lantern_core::policy::WaitingForAnswer;
use leptos::prelude::*;

use super::relative_time::LocalDateTime;

/// "Waiting for you" on a Pending ticket, with what happens without an answer: how many times
/// support tried to reach the customer (the policy's contact-attempt rule) and when the ticket
/// closes, once the rules fix a time.
#[component]
pub fn WaitingNotice(waiting: WaitingForAnswer) -> impl IntoView {
    let WaitingForAnswer {
        closes_at,
        contact_attempts,
    } = waiting;
    view! {
        <div class="notice notice-warning waiting-notice">
            <p>
                <strong>"Waiting for you: "</strong>
                "support needs your answer to continue. Reply below."
            </p>
            {contact_attempts.map(|count| view! { <p class="waiting-attempts">{count.sentence()}</p> })}
            {closes_at.map(|at| view! {
                <p class="waiting-closes">"Without an answer, this ticket closes " <LocalDateTime at/> "."</p>
            })}
        </div>
    }
}
