use leptos::prelude::*;

use super::Bound;
use super::field_frame::{ControlWiring, FieldFrame};

/// A labelled multi-line text input bound to `value`, with optional help text and error.
#[component]
pub fn TextArea<V: Bound<String>>(
    #[prop(into)] label: String,
    /// The request field's name; also the element id unless `id` is given.
    name: &'static str,
    value: V,
    #[prop(default = 6)] rows: u32,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let wiring = ControlWiring::new(id, name, help);
    let described_by = wiring.described_by(error);
    let ControlWiring { ids, help } = wiring;
    view! {
        <FieldFrame label ids=ids.clone() help error required>
            <textarea
                id=ids.control.clone()
                name=name
                rows=rows
                required=required
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
                bind:value=(value, value)
            ></textarea>
        </FieldFrame>
    }
}
