use lantern_core::ticket::WizardStep;
use leptos::prelude::*;

/// The six steps as an ordered list; the current one is marked for screen readers too.
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
                </li>
            }
        })
        .collect_view();
    view! {
        <nav aria-label="Steps of the new ticket">
            <ol class="wizard-steps">{items}</ol>
        </nav>
    }
}
