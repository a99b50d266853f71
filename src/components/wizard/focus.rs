//! Moving the keyboard focus after the wizard changes what it shows, once the page is drawn.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the first control of the first field showing an error.
pub fn first_invalid_field() {
    request_animation_frame(|| {
        let control = document()
            .query_selector(".wizard-form .field-invalid")
            .ok()
            .flatten()
            .and_then(|field| {
                field
                    .query_selector("input:not([type=hidden]), select, textarea")
                    .ok()
                    .flatten()
            });
        focus(control);
    });
}

/// Focuses the element with `id` (a heading with `tabindex="-1"`, say).
pub fn element(id: &'static str) {
    request_animation_frame(move || focus(document().get_element_by_id(id)));
}

fn focus(element: Option<web_sys::Element>) {
    if let Some(element) =
        element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
