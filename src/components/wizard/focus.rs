//! Moving the keyboard focus after a form (the wizard, say) changes what it shows, once the page
//! is drawn.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the first control of the first field showing an error.
pub fn first_invalid_field() {
    first_invalid_field_in(".wizard-form");
}

/// Focuses the first control of the first field showing an error inside the element that
/// `container` (a CSS selector) finds.
pub fn first_invalid_field_in(container: &'static str) {
    request_animation_frame(move || {
        let control = document()
            .query_selector(&format!("{container} .field-invalid"))
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
pub fn element(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || focus(document().get_element_by_id(&id)));
}

fn focus(element: Option<web_sys::Element>) {
    if let Some(element) =
        element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
