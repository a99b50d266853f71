use lantern_core::policy::TicketField;
use lantern_core::ticket::error_key;
use leptos::prelude::*;

use super::draft_fields::text_control;
use super::wizard_state::{Ask, Wizard};
use crate::components::form::{Field, TextArea};

/// A free-text ticket field worded by the policy, marked required when the chosen case type
/// requires it, and hidden when the case type does not ask for it (unless `always`).
#[component]
pub fn PolicyField(
    wizard: Wizard,
    field: TicketField,
    #[prop(optional)] multiline: bool,
    /// Shown for every case type, as optional where the case type does not require it.
    #[prop(optional)]
    always: bool,
    /// Required of every ticket, whatever the case type (subject, description).
    #[prop(optional)]
    every_ticket: bool,
) -> impl IntoView {
    let value = text_control(wizard.draft, field);
    let text = wizard.text_of(field);
    let key = error_key(field);
    let id = key.replace('.', "-");
    let error = wizard.error(key);
    move || {
        let value = value?;
        let ask = wizard.asks_for(field);
        if ask == Ask::NotAsked && !always && !every_ticket {
            return None;
        }
        let required = every_ticket || ask == Ask::Required;
        let label = text.label.clone();
        let help = text.help.clone().unwrap_or_default();
        let id = id.clone();
        Some(if multiline {
            view! { <TextArea label name=key id value help error required rows=4/> }.into_any()
        } else {
            view! { <Field label name=key id value help error required/> }.into_any()
        })
    }
}
