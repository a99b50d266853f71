use std::collections::BTreeSet;

pub use lantern_core::api::FieldErrors;
use lantern_core::policy::{CaseType, FieldText, PolicyView, PublicPolicy, TicketField};
use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::{DraftChanges, TicketDraft, WizardStep, validate_draft};
use leptos::prelude::*;
use reactive_stores::Store;

use super::draft_fields::DraftStore;

/// Whether the chosen case type asks for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Required,
    Optional,
    NotAsked,
}

/// The field errors of a refused submission, with the draft the server judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVerdict {
    pub judged: TicketDraft,
    pub errors: FieldErrors,
}

/// What every step works with: the policy, the draft, the current step and the field errors to
/// show. Cheap to copy into closures.
#[derive(Debug, Clone, Copy)]
pub struct Wizard {
    pub policy: StoredValue<PolicyView>,
    pub draft: DraftStore,
    pub step: RwSignal<WizardStep>,
    /// Steps whose "Next" (or a submit) found problems: from then on their fields are checked
    /// as they change, so a fixed field loses its message at once.
    pub checked_steps: RwSignal<BTreeSet<WizardStep>>,
    /// The server's last refusal; each of its errors stands until its field changes.
    pub server_verdict: RwSignal<Option<ServerVerdict>>,
    /// What the form shows: the shared validation of the checked steps, and the server's
    /// errors that still stand.
    pub errors: Memo<FieldErrors>,
}

impl Wizard {
    pub fn new(policy: PolicyView, draft: &TicketDraft, step: WizardStep) -> Self {
        let policy = StoredValue::new(policy);
        let draft = Store::new(draft.clone());
        let checked_steps = RwSignal::new(BTreeSet::new());
        let server_verdict = RwSignal::new(None::<ServerVerdict>);
        let errors = Memo::new(move |_| {
            let draft = draft.get();
            let checked = checked_steps.get();
            let verdict = server_verdict.get();
            policy.with_value(|view| {
                standing_errors(&view.policy, &draft, &checked, verdict.as_ref())
            })
        });
        Self {
            policy,
            draft,
            step: RwSignal::new(step),
            checked_steps,
            server_verdict,
            errors,
        }
    }

    /// Forgets every error: a new draft, or a new submission on its way.
    pub fn clear_errors(self) {
        self.checked_steps.set(BTreeSet::new());
        self.server_verdict.set(None);
    }

    pub fn with_policy<R>(self, read: impl FnOnce(&PublicPolicy) -> R) -> R {
        self.policy.with_value(|view| read(&view.policy))
    }

    /// The message of one field's error, for a control's `error` prop.
    pub fn error(self, key: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.errors
                .with(|errors| errors.get(key).map(str::to_owned))
        })
    }

    /// The chosen case type (reactive).
    pub fn case_type(self) -> Option<CaseType> {
        let id = self.draft.case_type().get();
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

/// The errors `draft` has now: the shared validation's for the `checked` steps, and those of the
/// server's `verdict` about fields still as the server saw them.
fn standing_errors(
    policy: &PublicPolicy,
    draft: &TicketDraft,
    checked: &BTreeSet<WizardStep>,
    verdict: Option<&ServerVerdict>,
) -> FieldErrors {
    let mut errors = if checked.is_empty() {
        FieldErrors::new()
    } else {
        validate_draft(policy, draft, None)
    };
    errors.retain(|key| checked.contains(&WizardStep::step_of(key)));
    if let Some(verdict) = verdict {
        let changes = DraftChanges::between(&verdict.judged, draft);
        for (key, message) in &verdict.errors {
            if !changes.changed(key) {
                errors.add(key, message.as_str());
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::demo_policy::demo_policy;

    #[test]
    fn a_step_shows_errors_only_once_checked_and_each_goes_when_fixed() {
        let policy = demo_policy();
        let mut draft = TicketDraft::default();
        let none = BTreeSet::new();
        assert_eq!(
            standing_errors(&policy, &draft, &none, None),
            FieldErrors::new()
        );

        let describe = BTreeSet::from([WizardStep::Describe]);
        let errors = standing_errors(&policy, &draft, &describe, None);
        assert!(errors.contains("subject") && errors.contains("description"));
        assert!(!errors.contains("product"), "{errors:?}");

        draft.subject = "Restore stops at 40%".into();
        let errors = standing_errors(&policy, &draft, &describe, None);
        assert!(!errors.contains("subject"), "{errors:?}");
        assert!(errors.contains("description"), "{errors:?}");
    }

    #[test]
    fn a_server_error_stands_until_its_field_changes() {
        let policy = demo_policy();
        let judged = TicketDraft::default();
        let verdict = ServerVerdict {
            judged: judged.clone(),
            errors: [
                ("operating_system", "Name it."),
                ("ticket", "About no field."),
            ]
            .into_iter()
            .collect(),
        };
        let none = BTreeSet::new();
        let errors = standing_errors(&policy, &judged, &none, Some(&verdict));
        assert_eq!(errors.len(), 2, "{errors:?}");

        let mut changed = judged;
        changed.operating_system = "Windows Server 2022".into();
        let errors = standing_errors(&policy, &changed, &none, Some(&verdict));
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["ticket"]);
    }
}
