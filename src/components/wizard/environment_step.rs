use lantern_core::policy::TicketField;
use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::WizardStep;
use leptos::prelude::*;

use super::attachment_drop_zone::AttachmentDropZone;
use super::policy_field::PolicyField;
use super::wizard_state::Wizard;

/// Step 4: where the problem happens (system, device, recent changes) and the files support
/// needs to look into it.
#[component]
pub fn EnvironmentStep(wizard: Wizard) -> impl IntoView {
    view! {
        <ChosenVersion wizard/>
        <PolicyField wizard field=TicketField::OperatingSystem always=true/>
        <PolicyField wizard field=TicketField::ComputerId always=true/>
        <PolicyField wizard field=TicketField::Username/>
        <PolicyField wizard field=TicketField::RecentChanges multiline=true always=true/>
        <PolicyField wizard field=TicketField::Integrations multiline=true/>
        <AttachmentDropZone wizard/>
    }
}

/// The product and version chosen in step 1, with a way back to change them.
#[component]
fn ChosenVersion(wizard: Wizard) -> impl IntoView {
    let draft = wizard.draft;
    let product = move || {
        let id = draft.product().get();
        wizard.with_policy(|policy| policy.product(&id).map(|product| product.name.clone()))
    };
    let version = move || {
        let version = draft.version().get();
        if version.is_empty() {
            "version not given".to_owned()
        } else {
            version
        }
    };
    view! {
        <p class="wizard-chosen-version">
            <span class="label">"Product version: "</span>
            {product} " " {version} " "
            <button type="button" class="button-link" on:click=move |_| wizard.step.set(WizardStep::Product)>
                "Change"
            </button>
        </p>
    }
}
