//! The new-ticket wizard's draft, its one validation function and the ticket API types.
//!
//! The wizard calls [`validate_draft`] on "Next" (one step) and the server calls it on submit
//! (whole ticket), so a customer sees the same message beside the field as the API answers in
//! its 422. Which fields a ticket needs comes from the policy's case types (Aveksa's required
//! information, 002_52a8a4aae429609e.txt; Druva's new-ticket fields, 000_0e4e71a8972bb245.txt;
//! Code42's request fields, 004_c150f22dbee80e04.txt).

use crate::field_errors::FieldErrors;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::{normalise_email, validate_name};
use crate::policy::{CaseType, ChannelKind, ContactChannel, Policy, TicketField, VersionSupport};

mod actor;
mod defect;
mod listed;
mod roadmap;

pub use actor::{Actor, ActorKind};
pub use defect::{
    AgentDefectLink, DefectLink, DefectState, MAX_DEFECT_ID_LENGTH, validate_defect_link,
};
pub use listed::{ResponseState, TicketListItem, finished_at, response_state};
pub use roadmap::{
    AgentRoadmapDecision, RoadmapDecision, RoadmapFilter, RoadmapQuery, RoadmapRequest,
    RoadmapState, validate_roadmap_decision,
};

/// The request header that makes `POST /api/v1/tickets` idempotent.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Longest idempotency key accepted.
pub const MAX_IDEMPOTENCY_KEY_LENGTH: usize = 100;
/// "x" or "help" tells support nothing: a subject of a few words lets them triage the queue.
pub const MIN_SUBJECT_LENGTH: usize = 8;
pub const MAX_SUBJECT_LENGTH: usize = 200;
/// "help" is not a description: support needs a sentence or two to start.
pub const MIN_DESCRIPTION_LENGTH: usize = 20;
/// Limit of every long text field (description, steps, results, changes, integrations).
pub const MAX_LONG_TEXT_LENGTH: usize = 20_000;
/// Limit of the one-line fields (operating system, computer id, user name, ...).
pub const MAX_SHORT_TEXT_LENGTH: usize = 200;
pub const MAX_ATTACHMENTS: usize = 20;
pub const MAX_CC: usize = 10;

/// Error-map keys of the nested contact fields.
pub const CONTACT_NAME: &str = "contact.name";
pub const CONTACT_EMAIL: &str = "contact.email";
pub const CONTACT_PHONE: &str = "contact.phone";
pub const CONTACT_PREFERRED_CHANNEL: &str = "contact.preferred_channel";
pub const CC: &str = "cc";
pub const ATTACHMENTS: &str = "attachments";

/// What the customer has typed so far; also the body of `POST /api/v1/tickets`. Every field
/// defaults, so a partial draft restored from local storage still reads.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "stores", derive(reactive_stores::Store))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketDraft {
    /// Product id from the policy.
    pub product: String,
    /// Component id of the product; may be empty.
    pub component: String,
    pub version: String,
    /// Case type id from the policy.
    pub case_type: String,
    pub subject: String,
    pub description: String,
    pub steps_to_reproduce: String,
    pub expected_result: String,
    pub actual_result: String,
    /// Severity id from the policy.
    pub severity: String,
    pub operating_system: String,
    pub computer_id: String,
    pub username: String,
    pub recent_changes: String,
    pub integrations: String,
    /// Files uploaded with `POST /api/v1/attachments` before submitting.
    pub attachments: Vec<AttachmentRef>,
    pub contact: TicketContact,
    /// E-mail addresses of contacts of the same organisation who get copies.
    pub cc: Vec<String>,
}

/// A file size as people read it, in the units the limits are set in: "820 bytes", "14.2 KB",
/// "25 MB" (a whole number without its ".0"). The app's file lists and the server's messages
/// about limits and quotas all say sizes this way.
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let bytes_f = bytes as f64;
    let (value, unit) = if bytes_f < KB {
        return format!("{bytes} bytes");
    } else if bytes_f < KB * KB {
        (bytes_f / KB, "KB")
    } else {
        (bytes_f / (KB * KB), "MB")
    };
    let tenths = (value * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0} {unit}")
    } else {
        format!("{tenths:.1} {unit}")
    }
}

/// An uploaded file the draft refers to, as `POST /api/v1/attachments` answered it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub kind: AttachmentKind,
}

/// Why a file is attached: the policy can require logs or screenshots.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Log,
    Screenshot,
    #[default]
    Other,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Log => "log",
            AttachmentKind::Screenshot => "screenshot",
            AttachmentKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<AttachmentKind> {
        match text {
            "log" => Some(AttachmentKind::Log),
            "screenshot" => Some(AttachmentKind::Screenshot),
            "other" => Some(AttachmentKind::Other),
            _ => None,
        }
    }
}

/// Who support answers (Aveksa asks for the contact, 002_52a8a4aae429609e.txt); prefilled from
/// the account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "stores", derive(reactive_stores::Store))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketContact {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Id of a contact channel of the policy, e.g. `email` or `phone`; empty means the portal.
    pub preferred_channel: String,
}

/// The wizard's steps, in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    Product,
    Describe,
    Severity,
    Environment,
    Contact,
    Review,
}

impl WizardStep {
    pub const ALL: [WizardStep; 6] = [
        WizardStep::Product,
        WizardStep::Describe,
        WizardStep::Severity,
        WizardStep::Environment,
        WizardStep::Contact,
        WizardStep::Review,
    ];

    /// The error-map keys asked for on this step; empty for Review, which shows everything.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            WizardStep::Product => &["product", "component", "version", "case_type"],
            WizardStep::Describe => &[
                "subject",
                "description",
                "steps_to_reproduce",
                "expected_result",
                "actual_result",
            ],
            WizardStep::Severity => &["severity"],
            WizardStep::Environment => &[
                "operating_system",
                "computer_id",
                "username",
                "recent_changes",
                "integrations",
                "logs",
                "screenshots",
                ATTACHMENTS,
            ],
            WizardStep::Contact => &[
                CONTACT_NAME,
                CONTACT_EMAIL,
                CONTACT_PHONE,
                CONTACT_PREFERRED_CHANNEL,
                CC,
            ],
            WizardStep::Review => &[],
        }
    }

    /// The step that asks for a field, so a 422's field errors lead back to the right step.
    /// Unknown keys belong to Review, where everything is shown.
    pub fn step_of(field_key: &str) -> WizardStep {
        let key = if field_key == TicketField::ContactPhone.key() {
            CONTACT_PHONE
        } else {
            field_key
        };
        WizardStep::ALL
            .into_iter()
            .find(|step| step.fields().contains(&key))
            .unwrap_or(WizardStep::Review)
    }

    pub fn title(self) -> &'static str {
        match self {
            WizardStep::Product => "Product",
            WizardStep::Describe => "Describe the problem",
            WizardStep::Severity => "Severity",
            WizardStep::Environment => "Environment and files",
            WizardStep::Contact => "Contact",
            WizardStep::Review => "Review and submit",
        }
    }
}

/// The error-map key of a policy field (`contact_phone` is nested as `contact.phone`).
pub fn error_key(field: TicketField) -> &'static str {
    match field {
        TicketField::ContactPhone => CONTACT_PHONE,
        other => other.key(),
    }
}

/// Checks a draft against the policy. `None` checks the whole ticket (submit); `Some(step)`
/// only that step's fields ("Next"); Review checks everything. Returns field key -> a message
/// the customer understands; empty means valid.
pub fn validate_draft(
    policy: &Policy,
    draft: &TicketDraft,
    step: Option<WizardStep>,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    check_choices(policy, draft, &mut errors);
    check_texts(draft, &mut errors);
    if let Some(case_type) = policy.case_type(&draft.case_type) {
        check_case_type_requirements(case_type, draft, &mut errors);
    }
    check_attachments(draft, &mut errors);
    check_contact(policy, draft, &mut errors);
    check_cc(&draft.cc, &mut errors);
    if let Some(step) = step.filter(|step| *step != WizardStep::Review) {
        errors.retain(|key| WizardStep::step_of(key) == step);
    }
    errors
}

/// A warning (not an error) when the chosen version is older than the supported majors
/// (Code42 supports only the two newest, 004_c150f22dbee80e04.txt).
pub fn version_warning(policy: &Policy, draft: &TicketDraft) -> Option<String> {
    if policy.version_support(&draft.product, &draft.version)? != VersionSupport::Unsupported {
        return None;
    }
    let product = policy.product(&draft.product)?;
    let majors: Vec<String> = product
        .supported_majors(policy.supported_major_versions)
        .iter()
        .map(u32::to_string)
        .collect();
    Some(format!(
        "Version {} of {} is no longer supported: only versions {} get full support. You can \
         still file the ticket, but we may ask you to upgrade first.",
        draft.version,
        product.name,
        majors.join(" and ")
    ))
}

/// Two drafts side by side, to tell whether the part of the draft that an error-map key names
/// differs between them, so an error the server gave about it no longer stands. Each draft is
/// read once, however many keys are asked about.
///
/// An error's key is the path of its field in the draft as sent (`subject`, `contact.email`,
/// `attachments[0].id`), so the draft's own serialization finds it: a field added to the draft
/// needs no entry here. The policy's fields that are not a field of the draft name the part
/// they are kept in.
pub struct DraftChanges {
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

impl DraftChanges {
    pub fn between(before: &TicketDraft, after: &TicketDraft) -> Self {
        Self {
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(after).ok(),
        }
    }

    /// Whether the part `key` names differs. Keys of no field never differ.
    pub fn changed(&self, key: &str) -> bool {
        let key = match key {
            _ if key == TicketField::Logs.key() || key == TicketField::Screenshots.key() => {
                ATTACHMENTS
            }
            _ if key == TicketField::ContactPhone.key() => CONTACT_PHONE,
            _ => key,
        };
        let pointer = format!("/{}", key.replace(['.', '['], "/").replace(']', ""));
        let before = self
            .before
            .as_ref()
            .and_then(|draft| draft.pointer(&pointer));
        let after = self
            .after
            .as_ref()
            .and_then(|draft| draft.pointer(&pointer));
        before != after
    }
}

/// The phone lines to call as well as filing, for a ticket of the policy's highest severity
/// (the emergency one; the policy requires it to list a phone channel). Empty for any other.
pub fn emergency_phone_lines<'policy>(
    policy: &'policy Policy,
    severity: &str,
) -> Vec<&'policy ContactChannel> {
    let Some(highest) = policy
        .highest_severity()
        .filter(|highest| highest.id == severity)
    else {
        return Vec::new();
    };
    policy
        .channels_for(highest)
        .into_iter()
        .filter(|channel| channel.kind == ChannelKind::Phone)
        .collect()
}

/// How long an earlier ticket with the same subject counts as "you just filed this".
pub const SIMILAR_TICKET_DAYS: i64 = 7;

/// Whether two subjects say the same: the same words, whatever the case, spacing and
/// punctuation ("Restore fails!" and "restore  fails").
pub fn same_subject(a: &str, b: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let a = words(a);
    !a.is_empty() && a == words(b)
}

/// The most recent of `tickets` with the same subject as `subject`, filed within
/// [`SIMILAR_TICKET_DAYS`] before `now`: the wizard points to it before a duplicate is filed.
pub fn similar_recent_ticket<'list>(
    subject: &str,
    tickets: &'list [TicketListItem],
    now: DateTime<Utc>,
) -> Option<&'list TicketListItem> {
    let since = now - chrono::Duration::days(SIMILAR_TICKET_DAYS);
    tickets
        .iter()
        .filter(|ticket| ticket.created_at >= since && same_subject(subject, &ticket.subject))
        .max_by_key(|ticket| ticket.created_at)
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

const NOT_OFFERED: &str = "is not offered. Choose one from the list.";

/// Product, component, version, case type and severity must be the policy's own ids: anything
/// else is a tampered or outdated request.
fn check_choices(policy: &Policy, draft: &TicketDraft, errors: &mut FieldErrors) {
    let product = policy.product(&draft.product);
    if is_blank(&draft.product) {
        errors.add("product", "Choose the product the ticket is about.");
    } else if product.is_none() {
        errors.add("product", format!("This product {NOT_OFFERED}"));
    }
    if let Some(product) = product {
        if !draft.component.is_empty() && product.components.get(&draft.component).is_none() {
            errors.add("component", format!("This component {NOT_OFFERED}"));
        }
        if !draft.version.is_empty() && !product.versions.contains(&draft.version) {
            errors.add("version", format!("This version {NOT_OFFERED}"));
        }
    }
    if is_blank(&draft.case_type) {
        errors.add("case_type", "Choose the case type.");
    } else if policy.case_type(&draft.case_type).is_none() {
        errors.add("case_type", format!("This case type {NOT_OFFERED}"));
    }
    if is_blank(&draft.severity) {
        errors.add("severity", "Choose how severe the problem is.");
    } else if policy.severity(&draft.severity).is_none() {
        errors.add("severity", format!("This severity {NOT_OFFERED}"));
    }
}

/// Subject and description every ticket has, and length limits of all free text.
fn check_texts(draft: &TicketDraft, errors: &mut FieldErrors) {
    let subject = draft.subject.trim().chars().count();
    if subject == 0 {
        errors.add("subject", "Give the ticket a short subject.");
    } else if subject < MIN_SUBJECT_LENGTH {
        errors.add(
            "subject",
            format!(
                "Say in a few words what the ticket is about: use at least \
                 {MIN_SUBJECT_LENGTH} characters, such as \u{201c}Restore stops at 40%\u{201d}."
            ),
        );
    } else if subject > MAX_SUBJECT_LENGTH {
        errors.add(
            "subject",
            format!("Keep the subject to {MAX_SUBJECT_LENGTH} characters or fewer."),
        );
    }
    let description = draft.description.trim().chars().count();
    if description == 0 {
        errors.add("description", "Describe the problem or question.");
    } else if description < MIN_DESCRIPTION_LENGTH {
        errors.add(
            "description",
            format!(
                "Tell us a little more: use at least {MIN_DESCRIPTION_LENGTH} characters so \
                 support can start without asking back."
            ),
        );
    }
    let long = [
        ("description", &draft.description),
        ("steps_to_reproduce", &draft.steps_to_reproduce),
        ("expected_result", &draft.expected_result),
        ("actual_result", &draft.actual_result),
        ("recent_changes", &draft.recent_changes),
        ("integrations", &draft.integrations),
    ];
    let short = [
        ("operating_system", &draft.operating_system),
        ("computer_id", &draft.computer_id),
        ("username", &draft.username),
    ];
    for (limit, fields) in [
        (MAX_LONG_TEXT_LENGTH, &long[..]),
        (MAX_SHORT_TEXT_LENGTH, &short[..]),
    ] {
        for (key, text) in fields {
            if text.chars().count() > limit {
                errors.add(key, format!("Keep this to {limit} characters or fewer."));
            }
        }
    }
}

/// The fields the case type insists on.
fn check_case_type_requirements(
    case_type: &CaseType,
    draft: &TicketDraft,
    errors: &mut FieldErrors,
) {
    for field in &case_type.required {
        if let Some(message) = missing_message(*field, draft) {
            errors.add(error_key(*field), message);
        }
    }
}

/// Why a required field is not filled in, or `None` when it is.
fn missing_message(field: TicketField, draft: &TicketDraft) -> Option<&'static str> {
    let has_kind = |kind| draft.attachments.iter().any(|file| file.kind == kind);
    let (filled, message) = match field {
        TicketField::Product => (!is_blank(&draft.product), "Choose the product."),
        TicketField::Component => (
            !is_blank(&draft.component),
            "Choose the part of the product the ticket is about.",
        ),
        TicketField::Version => (
            !is_blank(&draft.version),
            "Choose the product version you use.",
        ),
        TicketField::CaseType => (!is_blank(&draft.case_type), "Choose the case type."),
        TicketField::Subject => (
            !is_blank(&draft.subject),
            "Give the ticket a short subject.",
        ),
        TicketField::Description => (
            !is_blank(&draft.description),
            "Describe the problem or question.",
        ),
        TicketField::StepsToReproduce => (
            !is_blank(&draft.steps_to_reproduce),
            "Describe the steps that lead to the problem.",
        ),
        TicketField::ExpectedResult => (
            !is_blank(&draft.expected_result),
            "Tell us what you expected to happen.",
        ),
        TicketField::ActualResult => (
            !is_blank(&draft.actual_result),
            "Tell us what happened instead, with the exact error message if there was one.",
        ),
        TicketField::Severity => (
            !is_blank(&draft.severity),
            "Choose how severe the problem is.",
        ),
        TicketField::OperatingSystem => (
            !is_blank(&draft.operating_system),
            "Enter the operating system and its version.",
        ),
        TicketField::ComputerId => (
            !is_blank(&draft.computer_id),
            "Enter the ID of the affected computer.",
        ),
        TicketField::Username => (
            !is_blank(&draft.username),
            "Enter the user name or e-mail of the affected account.",
        ),
        TicketField::RecentChanges => (
            !is_blank(&draft.recent_changes),
            "Describe what changed shortly before the problem started, or write \"nothing\".",
        ),
        TicketField::Integrations => (
            !is_blank(&draft.integrations),
            "List the integrations involved, or write \"none\".",
        ),
        TicketField::Logs => (
            has_kind(AttachmentKind::Log),
            "Attach at least one log file.",
        ),
        TicketField::Screenshots => (
            has_kind(AttachmentKind::Screenshot),
            "Attach at least one screenshot.",
        ),
        TicketField::ContactPhone => (
            !is_blank(&draft.contact.phone),
            "Enter a phone number support can call.",
        ),
    };
    (!filled).then_some(message)
}

fn check_attachments(draft: &TicketDraft, errors: &mut FieldErrors) {
    if draft.attachments.len() > MAX_ATTACHMENTS {
        errors.add(
            ATTACHMENTS,
            format!("Attach at most {MAX_ATTACHMENTS} files; put more in a zip file."),
        );
    }
    if draft.attachments.iter().any(|file| is_blank(&file.id)) {
        errors.add(ATTACHMENTS, "Upload the file again: it did not finish.");
    }
}

fn check_contact(policy: &Policy, draft: &TicketDraft, errors: &mut FieldErrors) {
    let contact = &draft.contact;
    if let Err(message) = validate_name(&contact.name) {
        errors.add(CONTACT_NAME, message);
    }
    if let Err(message) = normalise_email(&contact.email) {
        errors.add(CONTACT_EMAIL, message);
    }
    if !is_blank(&contact.phone) && !is_phone_number(&contact.phone) {
        errors.add(
            CONTACT_PHONE,
            "Enter a phone number with digits, such as +44 20 7946 0142.",
        );
    }
    if !contact.preferred_channel.is_empty() && policy.channel(&contact.preferred_channel).is_none()
    {
        errors.add(
            CONTACT_PREFERRED_CHANNEL,
            format!("This contact channel {NOT_OFFERED}"),
        );
    }
}

/// Digits with the usual separators, between 6 and 20 digits.
pub(crate) fn is_phone_number(phone: &str) -> bool {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    (6..=20).contains(&digits) && phone.len() <= 40 && phone.chars().all(allowed)
}

/// Shape only: whether each address belongs to the organisation is the server's check.
fn check_cc(cc: &[String], errors: &mut FieldErrors) {
    if cc.len() > MAX_CC {
        errors.add(CC, format!("Copy at most {MAX_CC} people."));
    }
    if let Some(bad) = cc.iter().find(|email| normalise_email(email).is_err()) {
        errors.add(
            CC,
            format!("\u{201c}{bad}\u{201d} is not an e-mail address such as name@example.com."),
        );
    }
}

// ----- API types ----------------------------------------------------------------------------

/// Where a ticket is in its life.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    New,
    Open,
    /// Waiting for the customer (DDEV: the ball is in the customer's court).
    Pending,
    Solved,
    Closed,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::Open => "open",
            TicketStatus::Pending => "pending",
            TicketStatus::Solved => "solved",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<TicketStatus> {
        [
            TicketStatus::New,
            TicketStatus::Open,
            TicketStatus::Pending,
            TicketStatus::Solved,
            TicketStatus::Closed,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// The human ticket number of a sequence number: 123 -> `LAN-000123`.
pub fn ticket_number(sequence: i64) -> String {
    format!("LAN-{sequence:06}")
}

/// A ticket number as the customer typed it, in the form it is stored: ` lan-000123` ->
/// `LAN-000123`. Ticket numbers are case-insensitive everywhere (addresses, the agent API,
/// mails); the app and the server both read them through this.
pub fn canonical_ticket_number(typed: &str) -> String {
    typed.trim().to_ascii_uppercase()
}

/// Text as searches compare it, with Unicode case folded: `Überwachung` -> `überwachung`.
/// Ticket subjects are stored folded beside the original, so the database compares the
/// result and never folds itself (SQLite's `lower()` folds ASCII only).
pub fn fold_case(text: &str) -> String {
    text.to_lowercase()
}

/// A ticket in lists, and the answer of `POST /api/v1/tickets`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    /// Human ticket number, e.g. `LAN-000123`.
    pub number: String,
    pub subject: String,
    pub status: TicketStatus,
    /// Severity id from the policy.
    pub severity: String,
    /// Product id from the policy.
    pub product: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    /// When the first response is due under the organisation's plan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub response_due_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/tickets` answers with the new (or, on a retry, the same) ticket.
pub type TicketCreated = TicketSummary;

/// `POST /api/v1/attachments`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentUploaded {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub kind: AttachmentKind,
    pub content_type: String,
}

impl From<AttachmentUploaded> for AttachmentRef {
    fn from(uploaded: AttachmentUploaded) -> Self {
        AttachmentRef {
            id: uploaded.id,
            name: uploaded.name,
            size: uploaded.size,
            kind: uploaded.kind,
        }
    }
}

/// `GET /api/v1/attachments/limits`: what the upload accepts, from the server's configuration.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLimits {
    pub max_bytes: u64,
    /// Lower-case file extensions with the dot, e.g. `.log`.
    pub allowed_extensions: Vec<String>,
}

/// `POST /api/v1/kb/deflections`: "This solved my problem" on a suggested article.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deflection {
    pub article_slug: String,
}

/// One entry of `GET /api/v1/organisation/contacts`, for the CC picker.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationContact {
    pub name: String,
    pub email: String,
}

#[cfg(test)]
mod tests;
