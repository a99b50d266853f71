//! The form kit every form of the app is built from: labelled controls that show their own
//! error, a banner for errors that belong to no field, and a submit button that cannot submit
//! twice.

mod choice_cards;
mod field;
mod field_frame;
mod form_element;
mod form_error;
pub mod saved_drafts;
mod select;
mod submit_button;
mod text_area;

pub use choice_cards::{ChoiceCards, RadioCard};
pub use field::Field;
pub use form_element::Form;
pub use form_error::FormError;
pub use select::{Choice, Select};
pub use submit_button::SubmitButton;
pub use text_area::TextArea;

use leptos::prelude::*;

use crate::api::ApiError;

/// What a control edits: a signal of its own, or a field of a draft's store.
pub trait Bound<T>:
    Get<Value = T> + With<Value = T> + Update<Value = T> + Set<Value = T> + Copy + Send + Sync + 'static
{
}

impl<T, B> Bound<T> for B where
    B: Get<Value = T>
        + With<Value = T>
        + Update<Value = T>
        + Set<Value = T>
        + Copy
        + Send
        + Sync
        + 'static
{
}

/// The server's message for one field of a failed request, for a control's `error` prop.
pub fn field_error(error: Signal<Option<ApiError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|error| error.as_ref().and_then(|error| error.field(name))))
}
