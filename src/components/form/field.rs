use leptos::prelude::*;

use super::Bound;
use super::field_frame::{ControlWiring, FieldFrame};

/// A labelled single-line input bound to `value`, with optional help text and error.
#[component]
pub fn Field<V: Bound<String>>(
    #[prop(into)] label: String,
    /// The request field's name; also the element id unless `id` is given.
    name: &'static str,
    value: V,
    /// `type` of the input: `text`, `email`, `password`, `search`, ...
    #[prop(default = "text")]
    input_type: &'static str,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let wiring = ControlWiring::new(id, name, help);
    let described_by = wiring.described_by(error);
    let ControlWiring { ids, help } = wiring;
    view! {
        <FieldFrame label ids=ids.clone() help error required>
            <input
                id=ids.control.clone()
                name=name
                type=input_type
                autocomplete=autocomplete
                required=required
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
                bind:value=(value, value)
            />
        </FieldFrame>
    }
}
