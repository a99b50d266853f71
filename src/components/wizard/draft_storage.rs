//! The draft in the browser's `localStorage`, one per signed-in person, so a reload, a crash or
//! a visit to a suggested article loses nothing.

use lantern_core::ticket::{TicketDraft, WizardStep};
use serde::{Deserialize, Serialize};

use crate::components::form::saved_drafts;

/// What is kept between visits: the draft, where the customer was, and the idempotency key
/// that makes every submission of this draft create the same one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub draft: TicketDraft,
    pub step: WizardStep,
    pub idempotency_key: String,
}

impl SavedDraft {
    /// A new draft at the first step with a key of its own.
    pub fn fresh(draft: TicketDraft) -> Self {
        Self {
            draft,
            step: WizardStep::Product,
            idempotency_key: new_idempotency_key(),
        }
    }
}

/// Versioned, so a future draft shape does not trip over an old one.
fn storage_key(user_id: i64) -> String {
    format!("{}ticket-draft.v1.{user_id}", saved_drafts::KEY_PREFIX)
}

/// The saved draft of this person, if any.
pub fn load(user_id: i64) -> Option<SavedDraft> {
    saved_drafts::load(&storage_key(user_id))
}

/// Says whether the browser kept the draft.
pub fn save(user_id: i64, saved: &SavedDraft) -> bool {
    saved_drafts::save(&storage_key(user_id), saved)
}

pub fn clear(user_id: i64) {
    saved_drafts::clear(&storage_key(user_id));
}

/// A random UUID from the browser; the time-and-randomness fallback covers browsers without
/// `crypto.randomUUID` (it needs a secure context).
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * u64::MAX as f64) as u64
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_person_has_their_own_draft() {
        assert_ne!(storage_key(1), storage_key(2));
    }

    #[test]
    fn a_saved_draft_reads_back_with_its_step_and_key() {
        let saved = SavedDraft {
            draft: TicketDraft {
                subject: "Restore fails".into(),
                ..TicketDraft::default()
            },
            step: WizardStep::Environment,
            idempotency_key: "key-1".into(),
        };
        let text = serde_json::to_string(&saved).expect("serialises");
        assert_eq!(serde_json::from_str::<SavedDraft>(&text).ok(), Some(saved));
    }
}
