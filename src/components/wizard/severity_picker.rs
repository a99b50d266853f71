use chrono::{DateTime, Utc};
use lantern_core::policy::{ContactChannel, PolicyView, Severity, TicketField};
use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::emergency_phone_lines;
use leptos::prelude::*;

use super::phone_lines::PhoneLines;
use super::wizard_state::Wizard;
use crate::components::form::{ChoiceCards, RadioCard};
use crate::components::support::local_time::day_and_time;

/// Step 3: each severity as a card with the policy's definition and examples, and when the
/// customer's plan promises a first response if the ticket were filed now.
#[component]
pub fn SeverityPicker(
    wizard: Wizard,
    /// The customer's plan id.
    plan: String,
) -> impl IntoView {
    let severities = wizard.policy.with_value(|view| {
        view.policy
            .severities
            .iter()
            .map(|severity| SeverityCard {
                due: response_due(view, &plan, &severity.id),
                phones: emergency_phone_lines(&view.policy, &severity.id)
                    .into_iter()
                    .cloned()
                    .collect(),
                severity: severity.clone(),
            })
            .collect::<Vec<_>>()
    });
    let cards = severities
        .into_iter()
        .map(
            |SeverityCard {
                 severity,
                 due,
                 phones,
             }| {
                view! {
                    <RadioCard
                        name="severity"
                        value=severity.id
                        chosen=wizard.draft.severity()
                        title=severity.name
                    >
                        <p>{severity.definition}</p>
                        <Examples examples=severity.examples/>
                        <ResponseTarget due/>
                        <PhoneLines
                            channels=phones
                            intro="For this severity, also call us after filing:".to_owned()
                        />
                    </RadioCard>
                }
            },
        )
        .collect_view();
    view! {
        <ChoiceCards
            legend=wizard.text_of(TicketField::Severity).label
            name="severity"
            help="How much does the problem affect your business? Choose the best fit; support may adjust it."
            error=wizard.error("severity")
            required=true
        >
            {cards}
        </ChoiceCards>
    }
}

/// What one severity card shows.
struct SeverityCard {
    severity: Severity,
    due: Option<DateTime<Utc>>,
    /// Only the emergency severity lists the phone lines.
    phones: Vec<ContactChannel>,
}

#[component]
fn Examples(examples: Vec<String>) -> impl IntoView {
    (!examples.is_empty()).then(|| {
        let items = examples
            .into_iter()
            .map(|example| view! { <li>{example}</li> })
            .collect_view();
        view! {
            <p class="severity-examples-title">"For example:"</p>
            <ul class="severity-examples">{items}</ul>
        }
    })
}

/// "First response by Mon 30 Nov, 10:00 your time", or nothing when the plan sets no target.
#[component]
fn ResponseTarget(due: Option<DateTime<Utc>>) -> impl IntoView {
    due.map(|due| {
        view! {
            <p class="severity-response">
                "First response by " <strong>{day_and_time(due)}</strong> " your time"
            </p>
        }
    })
}

fn response_due(view: &PolicyView, plan: &str, severity: &str) -> Option<DateTime<Utc>> {
    view.plan_hours
        .iter()
        .find(|hours| hours.plan == plan)?
        .response_due_if_filed_now
        .get(severity)
        .copied()
}
