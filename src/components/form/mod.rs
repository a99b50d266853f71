//! The form kit every form of the app is built from: labelled controls that show their own
//! error, a banner for errors that belong to no field, a submit button that cannot submit
//! twice, and the [`Submission`] that feeds them.

mod choice_cards;
mod field;
mod field_frame;
mod form_element;
mod form_error;
pub mod saved_drafts;
mod select;
mod submission;
mod submit_button;
mod text_area;

pub use choice_cards::{ChoiceCards, RadioCard};
pub use field::Field;
pub use form_element::Form;
pub use form_error::FormError;
pub use select::{Choice, Select};
pub use submission::Submission;
pub use submit_button::SubmitButton;
pub use text_area::TextArea;

use leptos::prelude::*;

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
