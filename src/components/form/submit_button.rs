use leptos::prelude::*;

/// The form's submit button: disabled and showing `busy_label` while the request is pending.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional, into)] busy_label: Option<String>,
    /// A step that cannot be undone (deleting an account), shown as a danger.
    #[prop(optional)]
    danger: bool,
) -> impl IntoView {
    let busy_label = busy_label.unwrap_or_else(|| "Please wait…".to_owned());
    let class = if danger {
        "button button-danger"
    } else {
        "button button-primary"
    };
    view! {
        <button
            type="submit"
            class=class
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
        >
            {move || {
                if pending.get() {
                    view! {
                        <span class="spinner spinner-small" aria-hidden="true"></span>
                        {busy_label.clone()}
                    }
                    .into_any()
                } else {
                    label.clone().into_any()
                }
            }}
        </button>
    }
}
