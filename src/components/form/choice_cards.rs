use leptos::prelude::*;

use super::Bound;

/// A group of [`RadioCard`]s with a legend, help text and one error for the whole group.
#[component]
pub fn ChoiceCards(
    #[prop(into)] legend: String,
    /// The request field's name; the error text's id derives from it.
    name: &'static str,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional)] required: bool,
    children: Children,
) -> impl IntoView {
    let help_id = format!("{name}-help");
    let error_id = format!("{name}-error");
    let described_by = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        let has_help = help.is_some();
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <fieldset
            class="field choice-cards"
            class:field-invalid=move || error.get().is_some()
            aria-describedby=described_by
        >
            <legend>
                {legend}
                {required.then(|| view! { <span class="field-required" aria-hidden="true">" *"</span> })}
            </legend>
            {help.map(|help| view! { <p id=help_id class="field-help">{help}</p> })}
            <div class="choice-cards-list">{children()}</div>
            // Always present, so screen readers announce a message when it appears.
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}

/// One option of a [`ChoiceCards`] group: a radio button whose label is a card with details.
#[component]
pub fn RadioCard<T, V>(
    /// The group's request field name, shared by its radio buttons.
    name: &'static str,
    value: T,
    /// The group's chosen value.
    chosen: V,
    #[prop(into)] title: String,
    children: Children,
) -> impl IntoView
where
    T: AsRef<str> + Clone + PartialEq + Send + Sync + 'static,
    V: Bound<T>,
{
    let id = format!("{name}-{}", value.as_ref());
    let details_id = format!("{id}-details");
    let is_chosen = {
        let value = value.clone();
        Signal::derive(move || chosen.with(|chosen| *chosen == value))
    };
    let choose = {
        let value = value.clone();
        move |_| chosen.set(value.clone())
    };
    view! {
        <div class="radio-card" class:radio-card-chosen=is_chosen>
            <input
                type="radio"
                id=id.clone()
                name=name
                value=value.as_ref().to_owned()
                prop:checked=is_chosen
                aria-describedby=details_id.clone()
                on:change=choose
            />
            <label for=id class="radio-card-title">{title}</label>
            <div id=details_id class="radio-card-details">{children()}</div>
        </div>
    }
}
