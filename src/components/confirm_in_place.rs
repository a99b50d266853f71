use leptos::prelude::*;

use crate::components::wizard::focus;

/// A button for something that cannot be undone, which asks once more in place before
/// `on_confirm` does it. The keyboard focus follows the question and comes back when the person
/// changes her mind.
#[component]
pub fn ConfirmInPlace(
    /// Unique on the page; the buttons' ids derive from it.
    id: &'static str,
    #[prop(into)] start_label: String,
    #[prop(into)] question: String,
    #[prop(into)] confirm_label: String,
    #[prop(into)] keep_label: String,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let start_id = format!("{id}-start");
    let confirm_id = format!("{id}-confirm");
    let confirming = RwSignal::new(false);
    move || {
        let (start_id, confirm_id) = (start_id.clone(), confirm_id.clone());
        if confirming.get() {
            view! {
                <div class="confirm-in-place notice notice-warning" role="alert">
                    <p>{question.clone()}</p>
                    <div class="confirm-in-place-actions">
                        <button
                            type="button"
                            id=confirm_id
                            class="button button-danger"
                            on:click=move |_| {
                                confirming.set(false);
                                on_confirm.run(());
                            }
                        >
                            {confirm_label.clone()}
                        </button>
                        <button
                            type="button"
                            class="button button-quiet"
                            on:click=move |_| {
                                confirming.set(false);
                                focus::element(start_id.clone());
                            }
                        >
                            {keep_label.clone()}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button
                    type="button"
                    id=start_id
                    class="button button-quiet"
                    on:click=move |_| {
                        confirming.set(true);
                        focus::element(confirm_id.clone());
                    }
                >
                    {start_label.clone()}
                </button>
            }
            .into_any()
        }
    }
}
