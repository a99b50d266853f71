use leptos::prelude::*;

use crate::api::ApiError;

/// The banner above a form's button for errors of the whole request: a wrong password, too many
/// attempts, no connection. Announced to screen readers when it appears.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    view! {
        <div class="form-error" role="alert">
            {move || error.get().map(|error| view! { <p>{error.to_string()}</p> })}
        </div>
    }
}
