use lantern_core::escalation::{EscalationReason, EscalationRequest, EscalationRequestStoreFields};
use leptos::prelude::*;
use reactive_stores::Store;

use crate::components::form::saved_drafts;

/// A ticket page's escalation request: whether the form is shown and what it holds, shared by
/// the escalation panel and the "response target missed" notice that opens it. What is written
/// stays in `localStorage` until it is sent or discarded, so it survives reloads and failed
/// submissions; a saved draft opens the form again.
#[derive(Debug, Clone, Copy)]
pub struct EscalationDraft {
    /// What is written; each control binds to its field.
    pub request: Store<EscalationRequest>,
    pub open: RwSignal<bool>,
    /// `None` when nobody is signed in: then nothing is stored.
    storage_key: StoredValue<Option<String>>,
}

impl EscalationDraft {
    /// The draft of ticket `number` for the person with `user_id`, as they left it.
    pub fn load(number: &str, user_id: Option<i64>) -> Self {
        let storage_key = user_id.map(|user_id| storage_key(user_id, number));
        let saved: Option<EscalationRequest> = storage_key.as_deref().and_then(saved_drafts::load);
        let draft = Self {
            request: Store::new(saved.clone().unwrap_or_default()),
            open: RwSignal::new(saved.is_some()),
            storage_key: StoredValue::new(storage_key),
        };
        draft.keep_saved();
        draft
    }

    /// Shows the form, with `reason` chosen when the page already knows it.
    pub fn start(&self, reason: Option<EscalationReason>) {
        if let Some(reason) = reason {
            self.request.reason().set(reason);
        }
        self.open.set(true);
    }

    /// Empties and hides the form, after "Cancel" or once the request was sent.
    pub fn discard(&self) {
        self.request.set(EscalationRequest::default());
        self.open.set(false);
    }

    /// Saves on every change; an untouched form keeps nothing.
    fn keep_saved(self) {
        Effect::new(move |_| {
            let request = self.request.get();
            let Some(key) = self.storage_key.get_value() else {
                return;
            };
            if request == EscalationRequest::default() {
                saved_drafts::clear(&key);
            } else {
                saved_drafts::save(&key, &request);
            }
        });
    }
}

/// One draft per person and ticket; versioned, so a future shape does not trip over this one.
fn storage_key(user_id: i64, number: &str) -> String {
    format!("lantern.escalation-draft.v1.{user_id}.{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_person_and_ticket_has_a_draft_of_its_own() {
        assert_ne!(storage_key(1, "LAN-000001"), storage_key(2, "LAN-000001"));
        assert_ne!(storage_key(1, "LAN-000001"), storage_key(1, "LAN-000002"));
    }
}
