use leptos::prelude::*;

use crate::components::wizard::focus;

/// What the confirmed step is: one that cannot be undone (discarding, signing out everywhere),
/// or the step the page offers (marking a ticket solved), which is not shown as a danger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfirmStyle {
    #[default]
    Danger,
    Primary,
}

impl ConfirmStyle {
    fn start_class(self) -> &'static str {
        match self {
            Self::Danger => "button button-quiet",
            Self::Primary => "button button-primary",
        }
    }

    fn confirm_class(self) -> &'static str {
        match self {
            Self::Danger => "button button-danger",
            Self::Primary => "button button-primary",
        }
    }

    fn question_class(self) -> &'static str {
        match self {
            Self::Danger => "confirm-in-place notice notice-warning",
            Self::Primary => "confirm-in-place notice",
        }
    }
}

/// A button for a step that is hard to take back, which asks once more in place before
/// `on_confirm` takes it. The keyboard focus follows the question and comes back when the
/// person changes her mind; while `pending`, the buttons wait.
#[component]
pub fn ConfirmInPlace(
    /// Unique on the page; the buttons' ids derive from it.
    id: &'static str,
    #[prop(into)] start_label: String,
    #[prop(into)] question: Signal<String>,
    #[prop(into)] confirm_label: String,
    #[prop(into)] keep_label: String,
    on_confirm: Callback<()>,
    /// The step is under way (its request has not been answered).
    #[prop(optional, into)]
    pending: Signal<bool>,
    #[prop(optional)] style: ConfirmStyle,
) -> impl IntoView {
    let start_id = format!("{id}-start");
    let confirm_id = format!("{id}-confirm");
    let confirming = RwSignal::new(false);
    let waiting = move || pending.get();
    move || {
        let (start_id, confirm_id) = (start_id.clone(), confirm_id.clone());
        if confirming.get() {
            view! {
                <div class=style.question_class() role="alert">
                    <p>{question}</p>
                    <div class="confirm-in-place-actions">
                        <button
                            type="button"
                            id=confirm_id
                            class=style.confirm_class()
                            disabled=waiting
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
                            disabled=waiting
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
                    class=style.start_class()
                    disabled=waiting
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
