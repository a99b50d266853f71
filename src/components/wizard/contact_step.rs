use lantern_core::policy::TicketField;
use lantern_core::ticket::{
    CC, CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE, CONTACT_PREFERRED_CHANNEL, OrganisationContact,
};
use lantern_core::ticket::{TicketContactStoreFields, TicketDraftStoreFields};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::wizard_state::{Ask, Wizard};
use crate::api;
use crate::components::form::{Choice, Field, Select};

/// Step 5: who support talks to and how, prefilled from the account; colleagues to copy.
#[component]
pub fn ContactStep(
    wizard: Wizard,
    /// The signed-in person's e-mail, left out of the people to copy.
    own_email: String,
) -> impl IntoView {
    let draft = wizard.draft;
    let channels = wizard.with_policy(|policy| {
        policy
            .channels
            .iter()
            .map(|channel| Choice::new(channel.id.clone(), channel.label.clone()))
            .collect::<Vec<_>>()
    });
    let phone_required = move || wizard.asks_for(TicketField::ContactPhone) == Ask::Required;
    view! {
        <Field
            label="Your name"
            name=CONTACT_NAME
            id="contact-name"
            value=draft.contact().name()
            autocomplete="name"
            error=wizard.error(CONTACT_NAME)
            required=true
        />
        <Field
            label="E-mail"
            name=CONTACT_EMAIL
            id="contact-email"
            input_type="email"
            value=draft.contact().email()
            autocomplete="email"
            error=wizard.error(CONTACT_EMAIL)
            required=true
        />
        {move || view! {
            <Field
                label=wizard.text_of(TicketField::ContactPhone).label
                name=CONTACT_PHONE
                id="contact-phone"
                input_type="tel"
                value=draft.contact().phone()
                autocomplete="tel"
                error=wizard.error(CONTACT_PHONE)
                required=phone_required()
            />
        }}
        <Select
            label="Preferred way to reach you"
            name=CONTACT_PREFERRED_CHANNEL
            id="contact-preferred-channel"
            value=draft.contact().preferred_channel()
            choices=channels
            placeholder="No preference (the support portal)"
            error=wizard.error(CONTACT_PREFERRED_CHANNEL)
        />
        <CopiedColleagues wizard own_email/>
    }
}

/// Colleagues of the same organisation who get a copy of every update.
#[component]
fn CopiedColleagues(wizard: Wizard, own_email: String) -> impl IntoView {
    let contacts = RwSignal::new(None::<Result<Vec<OrganisationContact>, String>>);
    spawn_local(async move {
        let answer = api::organisation_contacts()
            .await
            .map(|all| {
                all.into_iter()
                    .filter(|contact| !contact.email.eq_ignore_ascii_case(&own_email))
                    .collect()
            })
            .map_err(|error| error.to_string());
        contacts.try_set(Some(answer));
    });
    let error = wizard.error(CC);
    let list = move || {
        match contacts.get() {
        None => view! { <p class="field-help">"Loading your colleagues…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="notice notice-warning">{message}</p> }.into_any(),
        Some(Ok(colleagues)) if colleagues.is_empty() => {
            view! { <p class="field-help">"Nobody else in your organisation has an account yet."</p> }
                .into_any()
        }
        Some(Ok(colleagues)) => {
            let boxes = colleagues
                .into_iter()
                .map(|contact| view! { <CopyCheckbox wizard contact/> })
                .collect_view();
            view! { <ul class="cc-list">{boxes}</ul> }.into_any()
        }
    }
    };
    view! {
        <fieldset class="field" class:field-invalid=move || error.get().is_some() aria-describedby="cc-help cc-error">
            <legend>"Send copies to"</legend>
            <p id="cc-help" class="field-help">"Colleagues get an e-mail for every update of this ticket."</p>
            {list}
            <p id="cc-error" class="field-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}

#[component]
fn CopyCheckbox(wizard: Wizard, contact: OrganisationContact) -> impl IntoView {
    let cc = wizard.draft.cc();
    let id = format!("cc-{}", contact.email.replace(['@', '.'], "-"));
    let email = contact.email.clone();
    let copied = {
        let email = email.clone();
        move || cc.with(|cc| cc.iter().any(|copied| copied.eq_ignore_ascii_case(&email)))
    };
    let toggle = move |event| {
        let on = event_target_checked(&event);
        cc.update(|cc| {
            cc.retain(|copied| !copied.eq_ignore_ascii_case(&email));
            if on {
                cc.push(email.clone());
            }
        });
    };
    view! {
        <li class="cc-item">
            <input type="checkbox" id=id.clone() prop:checked=copied on:change=toggle/>
            <label for=id>{contact.name} " " <span class="cc-email">"(" {contact.email} ")"</span></label>
        </li>
    }
}
