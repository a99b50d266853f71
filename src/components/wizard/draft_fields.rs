use lantern_core::policy::TicketField;
use lantern_core::ticket::{TicketContactStoreFields, TicketDraft, TicketDraftStoreFields};
use reactive_stores::{Field, Store};

/// The draft being written: each control binds to its field of the store, and validation,
/// storage and the API read it back whole (`draft.get()`, which tracks every field).
pub type DraftStore = Store<TicketDraft>;

/// The control of a free-text field the policy can ask for; `None` for choices and files.
pub fn text_control(draft: DraftStore, field: TicketField) -> Option<Field<String>> {
    Some(match field {
        TicketField::Subject => draft.subject().into(),
        TicketField::Description => draft.description().into(),
        TicketField::StepsToReproduce => draft.steps_to_reproduce().into(),
        TicketField::ExpectedResult => draft.expected_result().into(),
        TicketField::ActualResult => draft.actual_result().into(),
        TicketField::OperatingSystem => draft.operating_system().into(),
        TicketField::ComputerId => draft.computer_id().into(),
        TicketField::Username => draft.username().into(),
        TicketField::RecentChanges => draft.recent_changes().into(),
        TicketField::Integrations => draft.integrations().into(),
        TicketField::ContactPhone => draft.contact().phone().into(),
        _ => return None,
    })
}
