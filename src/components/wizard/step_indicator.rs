use lantern_core::ticket::WizardStep;
use leptos::prelude::*;

/// Where the customer is among the six steps: plain progress, not navigation. "Back" and the
/// review's "Edit" buttons lead to earlier steps; a step further on is reached only through
/// "Next", which checks the step before it.
#[component]
pub fn StepIndicator(step: RwSignal<WizardStep>) -> impl IntoView {
    let items = WizardStep::ALL
        .into_iter()
        .enumerate()
        .map(|(index, this)| {
            let current = move || step.get() == this;
            let done = move || step.get() > this;
            view! {
                <li
                    class="wizard-steps-item"
                    class:wizard-steps-current=current
                    class:wizard-steps-done=done
                    aria-current=move || current().then_some("step")
                >
                    <span class="wizard-steps-number" aria-hidden="true">{index + 1}</span>
                    <span class="wizard-steps-title">{this.title()}</span>
                    <Show when=done>
                        <span class="visually-hidden">" (done)"</span>
                    </Show>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="wizard-steps" aria-label="Steps of the new ticket">{items}</ol> }
}
