use leptos::prelude::*;

use super::Bound;
use super::field_frame::{ControlWiring, FieldFrame};

/// One option of a [`Select`]: the value sent to the server and the label people read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A labelled drop-down whose options come from data (the policy, say), bound to `value`.
#[component]
pub fn Select<V: Bound<String>>(
    #[prop(into)] label: String,
    /// The request field's name; also the element id unless `id` is given.
    name: &'static str,
    value: V,
    #[prop(into)] choices: Signal<Vec<Choice>>,
    /// Text of a first, empty option, e.g. "Choose a product".
    #[prop(optional, into)]
    placeholder: Option<String>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let wiring = ControlWiring::new(id, name, help);
    let described_by = wiring.described_by(error);
    let ControlWiring { ids, help } = wiring;
    // Each option marks itself selected, so the value survives options arriving later.
    let options = move || {
        choices
            .get()
            .into_iter()
            .map(|choice| {
                let selected = {
                    let option_value = choice.value.clone();
                    move || value.with(|value| *value == option_value)
                };
                view! { <option value=choice.value selected=selected>{choice.label}</option> }
            })
            .collect_view()
    };
    view! {
        <FieldFrame label ids=ids.clone() help error required>
            <select
                id=ids.control.clone()
                name=name
                required=required
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
                on:change=move |event| value.set(event_target_value(&event))
            >
                {placeholder.map(|text| {
                    view! { <option value="" selected=move || value.with(String::is_empty)>{text}</option> }
                })}
                {options}
            </select>
        </FieldFrame>
    }
}
