//! The new-ticket wizard (`/tickets/new`): six steps that collect what the vendor's policy
//! asks for, a draft that survives reloads, suggested articles, attachments and a submission
//! that files exactly one ticket. Every rule comes from `lantern_core::ticket::validate_draft`,
//! the same function the server runs.

mod attachment_drop_zone;
mod contact_step;
mod describe_step;
mod discard_draft;
mod draft_fields;
mod draft_storage;
mod environment_step;
pub mod focus;
mod phone_lines;
mod policy_field;
mod product_step;
mod review_step;
mod severity_picker;
mod similar_ticket_hint;
mod step_indicator;
mod submit_failure;
mod suggested_articles;
mod ticket_filed;
mod ticket_wizard;
mod wizard_state;

/// The wizard asks the server about the draft (suggestions, similar tickets) once typing
/// pauses for this long.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(400);

pub use attachment_drop_zone::{FileDropZone, kind_label};
pub use ticket_filed::TicketFiled;
pub use ticket_wizard::TicketWizard;
