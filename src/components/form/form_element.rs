use leptos::prelude::*;

/// A form that calls `on_submit` instead of reloading the page, and ignores further submits
/// (Enter pressed twice, say) while the previous one is `pending`.
#[component]
pub fn Form(
    #[prop(into)] pending: Signal<bool>,
    on_submit: impl Fn() + 'static,
    /// Accessible name of the form, when the page's heading does not already say it.
    #[prop(optional, into)]
    label: Option<String>,
    /// Skips the browser's own checks of `required` controls, for forms that check themselves
    /// and show the messages beside the fields (the ticket wizard).
    #[prop(optional)]
    novalidate: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <form
            class="form"
            novalidate=novalidate
            aria-label=label
            on:submit=move |event| {
                event.prevent_default();
                if !pending.get_untracked() {
                    on_submit();
                }
            }
        >
            {children()}
        </form>
    }
}
