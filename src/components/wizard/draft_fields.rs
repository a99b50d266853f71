use lantern_core::policy::TicketField;
use lantern_core::ticket::{AttachmentRef, TicketContact, TicketDraft};
use leptos::prelude::*;

/// The draft as one signal per control, because the form kit binds each control to its own
/// `RwSignal<String>`. [`DraftFields::snapshot`] reads it back as the one [`TicketDraft`] that
/// validation, storage and the API take.
#[derive(Debug, Clone, Copy)]
pub struct DraftFields {
    pub product: RwSignal<String>,
    pub component: RwSignal<String>,
    pub version: RwSignal<String>,
    pub case_type: RwSignal<String>,
    pub subject: RwSignal<String>,
    pub description: RwSignal<String>,
    pub steps_to_reproduce: RwSignal<String>,
    pub expected_result: RwSignal<String>,
    pub actual_result: RwSignal<String>,
    pub severity: RwSignal<String>,
    pub operating_system: RwSignal<String>,
    pub computer_id: RwSignal<String>,
    pub username: RwSignal<String>,
    pub recent_changes: RwSignal<String>,
    pub integrations: RwSignal<String>,
    pub attachments: RwSignal<Vec<AttachmentRef>>,
    pub contact_name: RwSignal<String>,
    pub contact_email: RwSignal<String>,
    pub contact_phone: RwSignal<String>,
    pub preferred_channel: RwSignal<String>,
    pub cc: RwSignal<Vec<String>>,
}

impl DraftFields {
    pub fn new(draft: &TicketDraft) -> Self {
        let text = |value: &String| RwSignal::new(value.clone());
        Self {
            product: text(&draft.product),
            component: text(&draft.component),
            version: text(&draft.version),
            case_type: text(&draft.case_type),
            subject: text(&draft.subject),
            description: text(&draft.description),
            steps_to_reproduce: text(&draft.steps_to_reproduce),
            expected_result: text(&draft.expected_result),
            actual_result: text(&draft.actual_result),
            severity: text(&draft.severity),
            operating_system: text(&draft.operating_system),
            computer_id: text(&draft.computer_id),
            username: text(&draft.username),
            recent_changes: text(&draft.recent_changes),
            integrations: text(&draft.integrations),
            attachments: RwSignal::new(draft.attachments.clone()),
            contact_name: text(&draft.contact.name),
            contact_email: text(&draft.contact.email),
            contact_phone: text(&draft.contact.phone),
            preferred_channel: text(&draft.contact.preferred_channel),
            cc: RwSignal::new(draft.cc.clone()),
        }
    }

    /// Replaces everything with `draft` (after "Discard draft").
    pub fn replace(self, draft: &TicketDraft) {
        for (control, value) in self.texts().into_iter().zip(text_values(draft)) {
            control.set(value.clone());
        }
        self.attachments.set(draft.attachments.clone());
        self.cc.set(draft.cc.clone());
    }

    /// The draft as it stands (reactive: tracks every field).
    pub fn snapshot(self) -> TicketDraft {
        TicketDraft {
            product: self.product.get(),
            component: self.component.get(),
            version: self.version.get(),
            case_type: self.case_type.get(),
            subject: self.subject.get(),
            description: self.description.get(),
            steps_to_reproduce: self.steps_to_reproduce.get(),
            expected_result: self.expected_result.get(),
            actual_result: self.actual_result.get(),
            severity: self.severity.get(),
            operating_system: self.operating_system.get(),
            computer_id: self.computer_id.get(),
            username: self.username.get(),
            recent_changes: self.recent_changes.get(),
            integrations: self.integrations.get(),
            attachments: self.attachments.get(),
            contact: TicketContact {
                name: self.contact_name.get(),
                email: self.contact_email.get(),
                phone: self.contact_phone.get(),
                preferred_channel: self.preferred_channel.get(),
            },
            cc: self.cc.get(),
        }
    }

    /// The control of a free-text field the policy can ask for; `None` for choices and files.
    pub fn text(self, field: TicketField) -> Option<RwSignal<String>> {
        Some(match field {
            TicketField::Subject => self.subject,
            TicketField::Description => self.description,
            TicketField::StepsToReproduce => self.steps_to_reproduce,
            TicketField::ExpectedResult => self.expected_result,
            TicketField::ActualResult => self.actual_result,
            TicketField::OperatingSystem => self.operating_system,
            TicketField::ComputerId => self.computer_id,
            TicketField::Username => self.username,
            TicketField::RecentChanges => self.recent_changes,
            TicketField::Integrations => self.integrations,
            TicketField::ContactPhone => self.contact_phone,
            _ => return None,
        })
    }

    /// Every text control, in the order of [`text_values`].
    fn texts(self) -> [RwSignal<String>; 19] {
        [
            self.product,
            self.component,
            self.version,
            self.case_type,
            self.subject,
            self.description,
            self.steps_to_reproduce,
            self.expected_result,
            self.actual_result,
            self.severity,
            self.operating_system,
            self.computer_id,
            self.username,
            self.recent_changes,
            self.integrations,
            self.contact_name,
            self.contact_email,
            self.contact_phone,
            self.preferred_channel,
        ]
    }
}

/// Every text value of a draft, in the order of [`DraftFields::texts`].
fn text_values(draft: &TicketDraft) -> [&String; 19] {
    [
        &draft.product,
        &draft.component,
        &draft.version,
        &draft.case_type,
        &draft.subject,
        &draft.description,
        &draft.steps_to_reproduce,
        &draft.expected_result,
        &draft.actual_result,
        &draft.severity,
        &draft.operating_system,
        &draft.computer_id,
        &draft.username,
        &draft.recent_changes,
        &draft.integrations,
        &draft.contact.name,
        &draft.contact.email,
        &draft.contact.phone,
        &draft.contact.preferred_channel,
    ]
}
