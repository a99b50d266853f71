use leptos::prelude::*;

use crate::components::confirm_in_place::ConfirmInPlace;

/// "Discard draft", asking once more in place before `on_discard` throws the draft away.
#[component]
pub fn DiscardDraft(on_discard: Callback<()>) -> impl IntoView {
    view! {
        <div class="discard-draft">
            <ConfirmInPlace
                id="discard-draft"
                start_label="Discard draft"
                question="Discard everything you entered for this ticket? This cannot be undone."
                confirm_label="Yes, discard the draft"
                keep_label="Keep the draft"
                on_confirm=on_discard
            />
        </div>
    }
}
