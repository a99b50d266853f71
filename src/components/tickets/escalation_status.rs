use lantern_core::escalation::{Escalation, EscalationState};
use leptos::prelude::*;

use super::policy_names::PolicyNames;
use super::relative_time::LocalDateTime;

/// Where an open escalation request stands: its state, what was asked, and by when a support
/// manager reviews it.
#[component]
pub fn EscalationStatus(
    escalation: Escalation,
    #[prop(into)] names: Signal<PolicyNames>,
    /// The policy's review target, "4 h"; `None` until the policy has loaded.
    #[prop(into)]
    review_target: Signal<Option<String>>,
) -> impl IntoView {
    let Escalation {
        state,
        reason,
        requested_severity,
        requested_at,
        review_due_at,
        acknowledged_at,
        answer,
        answered_by,
        ..
    } = escalation;
    let target_note = move || {
        review_target
            .get()
            .map(|target| format!(" (review target: {target})"))
    };
    view! {
        <div class="escalation-status">
            <p class=format!("escalation-state escalation-state-{}", state.as_str())>{state.label()}</p>
            <p>{next_step(state)}</p>
            <dl class="escalation-facts">
                <div><dt>"Reason"</dt><dd>{reason.label()}</dd></div>
                {requested_severity.map(|severity| view! {
                    <div><dt>"Severity asked for"</dt><dd>{move || names.get().severity(&severity)}</dd></div>
                })}
                <div><dt>"Requested"</dt><dd><LocalDateTime at=requested_at/></dd></div>
                <div>
                    <dt>"Review by"</dt>
                    <dd><LocalDateTime at=review_due_at/>{target_note}</dd>
                </div>
                {acknowledged_at.map(|at| view! {
                    <div><dt>"Acknowledged"</dt><dd><LocalDateTime at/></dd></div>
                })}
            </dl>
            {(!answer.trim().is_empty()).then(|| view! {
                <blockquote class="escalation-answer">
                    <p class="escalation-answer-by">{answered_by}" wrote:"</p>
                    <p class="escalation-answer-text">{answer}</p>
                </blockquote>
            })}
        </div>
    }
}

/// What happens next for a request in `state`.
fn next_step(state: EscalationState) -> &'static str {
    match state {
        EscalationState::Requested => {
            "A support manager reviews your request by the time below. You get an e-mail, \
             and the conversation shows each step."
        }
        EscalationState::Acknowledged => {
            "A support manager has taken on your request and is working on an answer. You \
             get an e-mail when it is resolved."
        }
        EscalationState::Resolved | EscalationState::Declined => {
            "Support has answered this request; see the conversation."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_open_state_says_what_comes_next() {
        assert!(next_step(EscalationState::Requested).contains("reviews your request"));
        assert!(next_step(EscalationState::Acknowledged).contains("taken on your request"));
    }
}
