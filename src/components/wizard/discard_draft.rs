use leptos::prelude::*;

use super::focus;

const START_ID: &str = "discard-draft-start";
const CONFIRM_ID: &str = "discard-draft-confirm";

/// "Discard draft", asking once more in place before `on_discard` throws the draft away. The
/// keyboard focus follows the question and comes back when the draft is kept.
#[component]
pub fn DiscardDraft(on_discard: Callback<()>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    move || {
        if confirming.get() {
            view! {
                <div class="discard-draft notice notice-warning" role="alert">
                    <p>"Discard everything you entered for this ticket? This cannot be undone."</p>
                    <div class="discard-draft-actions">
                        <button
                            type="button"
                            id=CONFIRM_ID
                            class="button button-danger"
                            on:click=move |_| {
                                confirming.set(false);
                                on_discard.run(());
                            }
                        >
                            "Yes, discard the draft"
                        </button>
                        <button
                            type="button"
                            class="button button-quiet"
                            on:click=move |_| {
                                confirming.set(false);
                                focus::element(START_ID);
                            }
                        >
                            "Keep the draft"
                        </button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button
                    type="button"
                    id=START_ID
                    class="button button-quiet discard-draft-start"
                    on:click=move |_| {
                        confirming.set(true);
                        focus::element(CONFIRM_ID);
                    }
                >
                    "Discard draft"
                </button>
            }
            .into_any()
        }
    }
}
