use std::sync::Arc;

use lantern_core::escalation::{
    CALLBACK_AVAILABILITY, CALLBACK_PHONE, DETAILS, EscalationReason, EscalationRequest,
    EscalationRequestStoreFields, MIN_ESCALATION_DETAILS_LENGTH, REASON, REQUESTED_SEVERITY,
    ReasonFacts, higher_severities, offered_reasons, validate_escalation,
};
use lantern_core::policy::PolicyView;
use leptos::prelude::*;

use super::clock::use_clock;
use super::escalation_draft::EscalationDraft;
use super::escalation_panel::PANEL_TITLE_ID;
use super::failure_notice::FailureNotice;
use super::ticket_state::TicketState;
use crate::api;
use crate::components::form::{
    Bound, Choice, ChoiceCards, Field, Form, RadioCard, Select, Submission, SubmitButton, TextArea,
};
use crate::components::wizard::focus;

/// The form's heading; focused when the form opens, so keyboard and screen-reader users land
/// in it.
pub const FORM_TITLE_ID: &str = "escalation-form-title";

/// "Request escalation": reason, details, an optional higher severity and callback details,
/// checked with the same rule as the server before sending.
#[component]
pub fn EscalationForm(
    ticket: TicketState,
    draft: EscalationDraft,
    policy: Arc<PolicyView>,
) -> impl IntoView {
    let policy = StoredValue::new(policy);
    let request = draft.request;
    let severity = Memo::new(move |_| ticket.read(|detail| detail.ticket.severity.clone()));
    let facts = Memo::new(move |_| ticket.read(|detail| ReasonFacts::of(&detail.ticket)));
    let clock = use_clock();
    let escalate = Submission::new(move |request: &EscalationRequest| {
        let request = request.clone();
        async move {
            let answer = api::request_escalation(&ticket.number(), &request).await;
            // The panel shows the request's state from the ticket's own answer; a refusal
            // (already open, ticket closed) changed what the panel explains.
            match &answer {
                Ok(_) => {
                    ticket.reload().await;
                    draft.discard();
                    focus::element(PANEL_TITLE_ID);
                }
                Err(error) if error.status() == Some(409) => ticket.reload().await,
                Err(_) => {}
            }
            answer
        }
    });
    let pending = escalate.pending();
    let send = move || {
        let request = request.get();
        let problems = policy.with_value(|view| {
            validate_escalation(
                &view.policy,
                &severity.get_untracked(),
                facts.get_untracked(),
                clock.get_untracked(),
                &request,
            )
        });
        if !escalate.submit_checked(request, problems) {
            focus::first_invalid_field_in(".escalation-form");
        }
    };
    let cancel = move |_| draft.discard();
    view! {
        <div class="escalation-form">
            <h3 id=FORM_TITLE_ID tabindex="-1">"Request escalation"</h3>
            <Form pending on_submit=send label="Request escalation" novalidate=true>
                <ReasonCards chosen=request.reason() facts error=escalate.field(REASON)/>
                <TextArea
                    label="What happened, and why does it need more attention?"
                    name=DETAILS
                    id="escalation-details"
                    value=request.details()
                    help=details_help()
                    error=escalate.field(DETAILS)
                    required=true
                />
                <DetailsCount details=request.details()/>
                <SeverityRequest policy severity value=request.requested_severity() error=escalate.field(REQUESTED_SEVERITY)/>
                <Field
                    label="Callback phone (optional)"
                    name=CALLBACK_PHONE
                    id="escalation-callback-phone"
                    input_type="tel"
                    autocomplete="tel"
                    value=request.callback_phone()
                    help="A number where a support manager can reach you about this request."
                    error=escalate.field(CALLBACK_PHONE)
                />
                <Field
                    label="When can we call? (optional)"
                    name=CALLBACK_AVAILABILITY
                    id="escalation-callback-availability"
                    value=request.callback_availability()
                    help="For example: weekdays 9:00–17:00 CET."
                    error=escalate.field(CALLBACK_AVAILABILITY)
                />
                <FailureNotice
                    error=escalate.failure()
                    kept="Your request was not sent. It is kept here, also if you reload the page."
                    on_retry=move |_| send()
                    pending
                />
                <div class="form-actions">
                    <SubmitButton label="Send escalation request" pending busy_label="Sending…"/>
                    <button type="button" class="button button-quiet" disabled=move || pending.get() on:click=cancel>
                        "Cancel"
                    </button>
                </div>
            </Form>
        </div>
    }
}

fn details_help() -> String {
    format!(
        "At least {MIN_ESCALATION_DETAILS_LENGTH} characters: what changed since you filed the \
         ticket, and what it costs you."
    )
}

/// The reasons that hold for the ticket now as cards, each with when to choose it. "No
/// response" appears once the first-response target passes without an answer (the page's
/// clock counts on), and not before: the server would refuse it.
#[component]
fn ReasonCards(
    chosen: impl Bound<EscalationReason>,
    facts: Memo<ReasonFacts>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let clock = use_clock();
    let offered = Memo::new(move |_| offered_reasons(facts.get(), clock.get()));
    view! {
        <ChoiceCards legend="Reason" name=REASON error required=true>
            {move || {
                offered
                    .get()
                    .into_iter()
                    .map(|reason| view! {
                        <RadioCard name=REASON value=reason chosen title=reason.label()>
                            <p>{reason_hint(reason)}</p>
                        </RadioCard>
                    })
                    .collect_view()
            }}
        </ChoiceCards>
    }
}

/// When a reason fits, in the customer's words.
fn reason_hint(reason: EscalationReason) -> &'static str {
    match reason {
        EscalationReason::NoResponse => {
            "The first-response target passed and support has not answered."
        }
        EscalationReason::BusinessImpactIncreased => {
            "More people or systems are affected, or a deadline is close."
        }
        EscalationReason::SolutionDoesNotWork => {
            "You tried what support proposed and the problem remains."
        }
        EscalationReason::NeedsMoreExpertise => {
            "The case needs a specialist or a higher support level."
        }
        EscalationReason::Other => "Explain it in the details below.",
    }
}

/// How far the details are from the minimum, so nobody has to count.
#[component]
fn DetailsCount(details: impl Bound<String>) -> impl IntoView {
    let text = move || details.with(|details| details_count(details));
    view! { <p class="escalation-details-count" aria-hidden="true">{text}</p> }
}

/// "12 of at least 30 characters", counted as the shared validation counts.
fn details_count(details: &str) -> String {
    let count = details.trim().chars().count();
    if count < MIN_ESCALATION_DETAILS_LENGTH {
        format!("{count} of at least {MIN_ESCALATION_DETAILS_LENGTH} characters")
    } else {
        format!("{count} characters")
    }
}

/// "Raise severity to": only the policy's severities above the ticket's; nothing to offer
/// when it already has the highest.
#[component]
fn SeverityRequest(
    policy: StoredValue<Arc<PolicyView>>,
    severity: Memo<String>,
    value: impl Bound<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let choices = Signal::derive(move || {
        let current = severity.get();
        policy.with_value(|view| {
            higher_severities(&view.policy, &current)
                .map(|severity| Choice::new(severity.id.clone(), severity.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let keep_label = move || {
        let current = severity.get();
        let name = policy.with_value(|view| {
            view.policy
                .severity(&current)
                .map_or_else(|| current.clone(), |severity| severity.name.clone())
        });
        format!("Keep the current severity ({name})")
    };
    move || {
        (!choices.with(Vec::is_empty)).then(|| {
            view! {
                <Select
                    label="Raise the severity to (optional)"
                    name=REQUESTED_SEVERITY
                    id="escalation-requested-severity"
                    value
                    choices
                    placeholder=keep_label()
                    help="Support reviews the severity with the request."
                    error
                />
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_policy::demo_policy;

    #[test]
    fn the_count_reaches_the_minimum_when_the_shared_validation_accepts_the_details() {
        let policy = demo_policy();
        let details_error = |details: &str| {
            let request = EscalationRequest {
                reason: EscalationReason::Other,
                details: details.to_owned(),
                ..EscalationRequest::default()
            };
            validate_escalation(
                &policy,
                "minor",
                ReasonFacts::default(),
                chrono::Utc::now(),
                &request,
            )
            .contains(DETAILS)
        };
        let short = format!("  {}  ", "é".repeat(MIN_ESCALATION_DETAILS_LENGTH - 1));
        assert_eq!(
            details_count(&short),
            format!(
                "{} of at least {MIN_ESCALATION_DETAILS_LENGTH} characters",
                MIN_ESCALATION_DETAILS_LENGTH - 1
            )
        );
        assert!(details_error(&short));
        let enough = format!("{}x  ", short.trim_end());
        assert_eq!(
            details_count(&enough),
            format!("{MIN_ESCALATION_DETAILS_LENGTH} characters")
        );
        assert!(!details_error(&enough));
    }
}
