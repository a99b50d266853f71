use std::collections::BTreeMap;

use lantern_core::policy::{CaseType, FieldText, PolicyView, PublicPolicy, TicketField};
use lantern_core::ticket::WizardStep;
use leptos::prelude::*;

use super::draft_fields::DraftFields;

/// Whether the chosen case type asks for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Required,
    Optional,
    NotAsked,
}

/// What every step works with: the policy, the draft's controls, the current step and the
/// field errors of the last "Next" or submit. Cheap to copy into closures.
#[derive(Debug, Clone, Copy)]
pub struct Wizard {
    pub policy: StoredValue<PolicyView>,
    pub fields: DraftFields,
    pub step: RwSignal<WizardStep>,
    /// Field key (as `validate_draft` and the API name it) -> message.
    pub errors: RwSignal<BTreeMap<String, String>>,
}

impl Wizard {
    pub fn with_policy<R>(self, read: impl FnOnce(&PublicPolicy) -> R) -> R {
        self.policy.with_value(|view| read(&view.policy))
    }

    /// The message of one field's error, for a control's `error` prop.
    pub fn error(self, key: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.errors.with(|errors| errors.get(key).cloned()))
    }

    /// The chosen case type (reactive).
    pub fn case_type(self) -> Option<CaseType> {
        let id = self.fields.case_type.get();
        self.with_policy(|policy| policy.case_type(&id).cloned())
    }

    /// Whether the chosen case type requires or offers `field` (reactive).
    pub fn asks_for(self, field: TicketField) -> Ask {
        match self.case_type() {
            Some(case_type) if case_type.required.contains(&field) => Ask::Required,
            Some(case_type) if case_type.optional.contains(&field) => Ask::Optional,
            _ => Ask::NotAsked,
        }
    }

    /// The policy's label and help text of a field.
    pub fn text_of(self, field: TicketField) -> FieldText {
        self.with_policy(|policy| policy.field_text(field))
    }
}
