//! The vendor's support policy: products, case types, severities, plans with support hours and
//! response targets, contact channels, life-cycle and escalation rules.
//!
//! A vendor writes it as a TOML file (see `policies/default.toml`, which explains every key);
//! [`Policy::from_toml_str`] reads and validates it. The same types travel as JSON to the app
//! (`GET /api/v1/policy`), so the wizard and the server apply the same rules. The rules are
//! modelled on the five real policies in `shared/reference/`; comments cite the file.
//!
//! Time-zone arithmetic lives in [`schedule`] so that only code calling it links the time-zone
//! database (the server does, the wasm app does not).

mod keyed;
#[cfg(feature = "openapi")]
mod openapi;
pub mod schedule;
mod validate;
mod values;
mod waiting;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use keyed::identified;
pub use keyed::{Identified, Keyed};
pub use values::{ClockTime, Day, Minutes};
pub use waiting::{
    ContactAttemptCount, ContactAttempts, PendingRule, WaitingForAnswer, contact_attempts,
};

/// The whole policy. Everything in it is customer-visible today (the reference policies publish
/// all of it), so [`PublicPolicy`] is the same type; should internal-only rules arrive, they get
/// their own section and [`Policy::public_view`] is the one place that leaves them out.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub vendor: Vendor,
    /// How many of the newest major versions of each product are supported (Code42 supports
    /// "the two most current major software versions", 004_c150f22dbee80e04.txt).
    #[serde(default = "default_supported_major_versions")]
    pub supported_major_versions: u32,
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::keyed::<Product>))]
    pub products: Keyed<Product>,
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::keyed::<CaseType>))]
    pub case_types: Keyed<CaseType>,
    /// Labels and help texts that replace the built-in ones of [`TicketField`].
    #[serde(default)]
    pub fields: BTreeMap<TicketField, FieldText>,
    /// Ordered from the highest severity to the lowest.
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::keyed::<Severity>))]
    pub severities: Keyed<Severity>,
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::keyed::<ContactChannel>))]
    pub channels: Keyed<ContactChannel>,
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::keyed::<Plan>))]
    pub plans: Keyed<Plan>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::keyed::<SupportLevel>))]
    pub support_levels: Keyed<SupportLevel>,
    pub lifecycle: Lifecycle,
    pub escalation: Escalation,
}

/// What customers may see of the policy (`GET /api/v1/policy`).
pub type PublicPolicy = Policy;

fn default_supported_major_versions() -> u32 {
    2
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::keyed::<Component>))]
    pub components: Keyed<Component>,
    /// Released versions, e.g. `"8.2"`; whether each is supported follows from the major
    /// versions ([`Policy::version_support`]), never from hand-marking.
    pub versions: Vec<String>,
}

/// A part of a product that a ticket can be about, e.g. the backup agent. Written in the file as
/// `agent = "Backup agent"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Component {
    pub id: String,
    pub name: String,
}

impl From<String> for Component {
    fn from(name: String) -> Self {
        Component {
            id: String::new(),
            name,
        }
    }
}

impl From<Component> for String {
    fn from(component: Component) -> Self {
        component.name
    }
}

/// What kind of request a ticket is (Aveksa's case types, 002_52a8a4aae429609e.txt) and which
/// fields support needs for it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseType {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub description: String,
    /// Fields the customer must fill in for this case type, besides the ones every ticket has.
    #[serde(default)]
    pub required: Vec<TicketField>,
    /// Fields the wizard offers for this case type without insisting.
    #[serde(default)]
    pub optional: Vec<TicketField>,
    /// Requests of this type are weighed against the product roadmap: agents mark them planned,
    /// under consideration, released or declined (Chevah 003, Aveksa's enhancement requests 002).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub roadmap: bool,
}

/// A field of the ticket form that the policy can require. The wizard knows how to ask for
/// each; the policy decides when and may reword the label.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketField {
    Product,
    Component,
    Version,
    CaseType,
    Subject,
    Description,
    StepsToReproduce,
    ExpectedResult,
    ActualResult,
    Severity,
    OperatingSystem,
    ComputerId,
    Username,
    RecentChanges,
    Integrations,
    Logs,
    Screenshots,
    ContactPhone,
}

impl TicketField {
    /// The field's name in requests and error maps, e.g. `steps_to_reproduce`.
    pub fn key(self) -> &'static str {
        match self {
            TicketField::Product => "product",
            TicketField::Component => "component",
            TicketField::Version => "version",
            TicketField::CaseType => "case_type",
            TicketField::Subject => "subject",
            TicketField::Description => "description",
            TicketField::StepsToReproduce => "steps_to_reproduce",
            TicketField::ExpectedResult => "expected_result",
            TicketField::ActualResult => "actual_result",
            TicketField::Severity => "severity",
            TicketField::OperatingSystem => "operating_system",
            TicketField::ComputerId => "computer_id",
            TicketField::Username => "username",
            TicketField::RecentChanges => "recent_changes",
            TicketField::Integrations => "integrations",
            TicketField::Logs => "logs",
            TicketField::Screenshots => "screenshots",
            TicketField::ContactPhone => "contact_phone",
        }
    }

    /// The label used when the policy does not give one.
    pub fn default_label(self) -> &'static str {
        match self {
            TicketField::Product => "Product",
            TicketField::Component => "Component",
            TicketField::Version => "Product version",
            TicketField::CaseType => "Case type",
            TicketField::Subject => "Subject",
            TicketField::Description => "Description",
            TicketField::StepsToReproduce => "Steps to reproduce",
            TicketField::ExpectedResult => "What you expected",
            TicketField::ActualResult => "What happened instead",
            TicketField::Severity => "Severity",
            TicketField::OperatingSystem => "Operating system and version",
            TicketField::ComputerId => "Computer ID",
            TicketField::Username => "User name",
            TicketField::RecentChanges => "Recent changes",
            TicketField::Integrations => "Integrations",
            TicketField::Logs => "Log files",
            TicketField::Screenshots => "Screenshots",
            TicketField::ContactPhone => "Phone number",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldText {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Severity {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub definition: String,
    #[serde(default)]
    pub examples: Vec<String>,
    /// Ids of the [`ContactChannel`]s to use at this severity, most preferred first.
    pub channels: Vec<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Portal,
    Phone,
    Email,
    Chat,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactChannel {
    #[serde(skip)]
    pub id: String,
    pub kind: ChannelKind,
    pub label: String,
    /// Phone number, e-mail address or web address, depending on `kind`.
    pub address: String,
    /// When the channel is staffed, in words, e.g. "24 hours a day".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub hours: SupportHours,
    /// Initial-response target per severity id, counted in this plan's support hours.
    pub response_targets: BTreeMap<String, Minutes>,
    /// How often support updates the customer after its first response, per severity id, while
    /// the ticket is with support (New or Open), counted like the response targets: DDEV "Give
    /// the customer updates every hour" on Urgent issues, "every two hours" on High ones
    /// (001_9dfcd67ee301683f.txt). Severities without one have no update cadence.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub update_intervals: BTreeMap<String, Minutes>,
    /// Whether the customer is mailed when an update is late, once per update owed (issue 19:
    /// optional, off unless the vendor asks for it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub late_update_mail: bool,
    /// Severities worked around the clock even though the plan keeps business hours (DDEV:
    /// Urgent 24x7 while the others are 24x5, 001_9dfcd67ee301683f.txt).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub around_the_clock_severities: Vec<String>,
}

/// When support is staffed: around the clock (Druva Enterprise "24x7x365") or business hours
/// in one time zone (Druva Professional "8am - 6pm local time, excluding weekends and public
/// holidays", 000_0e4e71a8972bb245.txt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HoursText", into = "HoursText")]
pub enum SupportHours {
    AroundTheClock,
    Business(BusinessHours),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessHours {
    /// IANA name such as `Europe/Amsterdam`; checked when the policy is loaded.
    pub time_zone: String,
    pub periods: Vec<OpeningPeriod>,
    pub holidays: Vec<Holiday>,
}

impl BusinessHours {
    pub fn is_holiday(&self, date: chrono::NaiveDate) -> bool {
        self.holidays.iter().any(|holiday| holiday.date == date)
    }

    /// The last holiday listed: past it, every week day counts as open until the vendor adds
    /// the next year's. `None` when the plan lists none at all (it closes on no holiday).
    pub fn holidays_listed_until(&self) -> Option<chrono::NaiveDate> {
        self.holidays.iter().map(|holiday| holiday.date).max()
    }

    /// Opening and closing time on a week day, before holidays are considered.
    pub fn hours_on(&self, day: Day) -> Option<(ClockTime, ClockTime)> {
        self.periods
            .iter()
            .find(|period| period.days.contains(&day))
            .map(|period| (period.opens, period.closes))
    }

    /// The holidays from `today` on that close a day support would otherwise be open: one on a
    /// weekend closes nothing, and listing it would only make the closures look longer.
    pub fn closures_ahead(&self, today: chrono::NaiveDate) -> Vec<&Holiday> {
        self.holidays
            .iter()
            .filter(|holiday| holiday.date >= today)
            .filter(|holiday| {
                self.hours_on(Day::from_chrono(chrono::Datelike::weekday(&holiday.date)))
                    .is_some()
            })
            .collect()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningPeriod {
    pub days: Vec<Day>,
    pub opens: ClockTime,
    pub closes: ClockTime,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    #[serde(with = "values::calendar_date")]
    pub date: chrono::NaiveDate,
    pub name: String,
}

/// `[plans.<id>.hours]` as written: either `around_the_clock = true` or a time zone with
/// opening periods and holidays.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HoursText {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    around_the_clock: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    periods: Vec<OpeningPeriod>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    holidays: Vec<Holiday>,
}

impl TryFrom<HoursText> for SupportHours {
    type Error = String;

    fn try_from(text: HoursText) -> Result<Self, String> {
        match (text.around_the_clock, text.time_zone) {
            (true, None) if text.periods.is_empty() && text.holidays.is_empty() => {
                Ok(SupportHours::AroundTheClock)
            }
            (true, _) => Err(
                "`around_the_clock = true` cannot be combined with time_zone, periods or holidays"
                    .into(),
            ),
            (false, None) => Err(
                "give either `around_the_clock = true` or a `time_zone` with opening `periods`"
                    .into(),
            ),
            (false, Some(time_zone)) => Ok(SupportHours::Business(BusinessHours {
                time_zone,
                periods: text.periods,
                holidays: text.holidays,
            })),
        }
    }
}

impl From<SupportHours> for HoursText {
    fn from(hours: SupportHours) -> Self {
        match hours {
            SupportHours::AroundTheClock => HoursText {
                around_the_clock: true,
                ..HoursText::default()
            },
            SupportHours::Business(business) => HoursText {
                around_the_clock: false,
                time_zone: Some(business.time_zone),
                periods: business.periods,
                holidays: business.holidays,
            },
        }
    }
}

/// Aveksa's Level 1 / 2 / 3 support (002_52a8a4aae429609e.txt).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportLevel {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub description: String,
}

/// Automatic status changes, counted in wall-clock time. A Pending ticket closes by the time
/// rule, the contact-attempt rule, whichever comes first when both are set, or never without
/// either ([`waiting`]).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// A Pending ticket without a customer reply closes after this long (DDEV 72 h,
    /// 001_9dfcd67ee301683f.txt; Code42 7 days, 004_c150f22dbee80e04.txt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_auto_close: Option<Minutes>,
    /// A Pending ticket closes after this many attempts to contact the customer within a period
    /// (Druva: three within ten days, 000_0e4e71a8972bb245.txt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_attempts: Option<ContactAttempts>,
    /// A Solved ticket closes after this long (Code42: two days).
    pub solved_auto_close: Minutes,
    /// How long after being solved the customer may still reopen the ticket.
    pub reopen_window: Minutes,
}

/// Escalation requests (Code42: ticket number, reason, severity, extra contact; a manager
/// reviews them, 004_c150f22dbee80e04.txt).
// Named apart in the OpenAPI document: `Escalation` there is the customer's request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = EscalationPolicy))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// How soon a manager reviews an escalation request (wall-clock).
    pub review_target: Minutes,
    /// After a declined request, how long before the same ticket may be escalated again.
    pub cooldown_after_decline: Minutes,
}

identified!(
    Product,
    Component,
    CaseType,
    Severity,
    ContactChannel,
    Plan,
    SupportLevel
);

/// `GET /api/v1/policy`: the customer-visible policy plus, per plan, whether support is open now
/// and the opening windows of the coming week in UTC, so the app shows support hours in the
/// viewer's own time zone without shipping a time-zone database. Built by [`schedule::policy_view`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyView {
    pub policy: PublicPolicy,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub generated_at: DateTime<Utc>,
    /// One entry per plan, in the policy's plan order.
    pub plan_hours: Vec<PlanHoursNow>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanHoursNow {
    /// The plan's id.
    pub plan: String,
    pub open_now: bool,
    /// Empty for around-the-clock plans.
    pub windows: Vec<OpeningWindow>,
    /// Severity id -> when the first response is due for a ticket filed at `generated_at`, so
    /// the ticket wizard can say "first response by Mon 10:00 your time" without a time-zone
    /// database.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub response_due_if_filed_now: BTreeMap<String, DateTime<Utc>>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningWindow {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub opens_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub closes_at: DateTime<Utc>,
}

/// Whether a product version still gets support.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionSupport {
    Supported,
    /// Older than the supported major versions: the wizard warns, support may be limited.
    Unsupported,
}

/// A policy file that cannot be used, naming where (`plans.professional.hours.time_zone`) and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", if path.is_empty() { problem.clone() } else { format!("{path}: {problem}") })]
pub struct PolicyError {
    /// Dotted key path in the file; empty when the file is not valid TOML at all.
    pub path: String,
    pub problem: String,
}

impl PolicyError {
    pub(crate) fn at(path: impl Into<String>, problem: impl Into<String>) -> Self {
        PolicyError {
            path: path.into(),
            problem: problem.into(),
        }
    }
}

/// The major version of `"8.2.1"` is 8.
pub fn major_version(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

impl Policy {
    /// Reads and validates a policy file's text.
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy = serde_path_to_error::deserialize(toml::Deserializer::new(text))
            .map_err(|error| toml_error(text, error))?;
        validate::validate(&policy)?;
        Ok(policy)
    }

    pub fn public_view(&self) -> PublicPolicy {
        self.clone()
    }

    pub fn plan(&self, id: &str) -> Option<&Plan> {
        self.plans.get(id)
    }

    pub fn severity(&self, id: &str) -> Option<&Severity> {
        self.severities.get(id)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.get(id)
    }

    pub fn case_type(&self, id: &str) -> Option<&CaseType> {
        self.case_types.get(id)
    }

    pub fn channel(&self, id: &str) -> Option<&ContactChannel> {
        self.channels.get(id)
    }

    /// 0 for the highest severity, growing towards the lowest; `None` for an unknown id.
    pub fn severity_rank(&self, id: &str) -> Option<usize> {
        self.severities.position(id)
    }

    /// Orders two severity ids so that the higher severity comes first; unknown ids go last.
    pub fn compare_severities(&self, a: &str, b: &str) -> std::cmp::Ordering {
        let rank = |id| self.severity_rank(id).unwrap_or(usize::MAX);
        rank(a).cmp(&rank(b))
    }

    pub fn highest_severity(&self) -> Option<&Severity> {
        self.severities.first()
    }

    /// The channels to use at a severity, in the policy's order.
    pub fn channels_for(&self, severity: &Severity) -> Vec<&ContactChannel> {
        severity
            .channels
            .iter()
            .filter_map(|id| self.channel(id))
            .collect()
    }

    /// The label and help text of a ticket field: the policy's wording, else the built-in label.
    pub fn field_text(&self, field: TicketField) -> FieldText {
        self.fields
            .get(&field)
            .cloned()
            .unwrap_or_else(|| FieldText {
                label: field.default_label().to_owned(),
                help: None,
            })
    }

    /// Whether a version of a product is supported: only the newest
    /// `supported_major_versions` majors are (Code42, 004_c150f22dbee80e04.txt). `None` when the
    /// product or the version is not in the policy.
    pub fn version_support(&self, product_id: &str, version: &str) -> Option<VersionSupport> {
        let product = self.product(product_id)?;
        if !product.versions.iter().any(|listed| listed == version) {
            return None;
        }
        let supported = product.supported_majors(self.supported_major_versions);
        let major = major_version(version)?;
        Some(if supported.contains(&major) {
            VersionSupport::Supported
        } else {
            VersionSupport::Unsupported
        })
    }
}

impl Product {
    /// The newest `count` distinct major versions, newest first.
    pub fn supported_majors(&self, count: u32) -> Vec<u32> {
        let mut majors: Vec<u32> = self
            .versions
            .iter()
            .filter_map(|version| major_version(version))
            .collect();
        majors.sort_unstable_by(|a, b| b.cmp(a));
        majors.dedup();
        majors.truncate(count as usize);
        majors
    }
}

impl SupportHours {
    /// The hours in words, in the plan's own time zone: "Mon-Fri 08:00-18:00 (Europe/Amsterdam)"
    /// or "24 hours a day, 7 days a week".
    pub fn describe(&self) -> String {
        let SupportHours::Business(business) = self else {
            return "24 hours a day, 7 days a week".to_owned();
        };
        let periods: Vec<String> = business
            .periods
            .iter()
            .map(|period| {
                format!(
                    "{} {}\u{2013}{}",
                    days_text(&period.days),
                    period.opens,
                    period.closes
                )
            })
            .collect();
        format!("{} ({})", periods.join(", "), business.time_zone)
    }
}

/// "Mon\u{2013}Fri", "Sat, Sun" or "Mon\u{2013}Wed, Fri": runs of three or more days become ranges.
fn days_text(days: &[Day]) -> String {
    let mut sorted = days.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut runs: Vec<Vec<Day>> = Vec::new();
    for day in sorted {
        match runs.last_mut() {
            Some(run)
                if run
                    .last()
                    .is_some_and(|last| *last as usize + 1 == day as usize) =>
            {
                run.push(day)
            }
            _ => runs.push(vec![day]),
        }
    }
    let mut parts = Vec::new();
    for run in runs {
        match run.as_slice() {
            [first, .., last] if run.len() >= 3 => parts.push(format!(
                "{}\u{2013}{}",
                first.short_name(),
                last.short_name()
            )),
            _ => parts.extend(run.iter().map(|day| day.short_name().to_owned())),
        }
    }
    parts.join(", ")
}

impl Plan {
    pub fn response_target(&self, severity_id: &str) -> Option<Minutes> {
        self.response_targets.get(severity_id).copied()
    }

    pub fn update_interval(&self, severity_id: &str) -> Option<Minutes> {
        self.update_intervals.get(severity_id).copied()
    }

    /// "then an update every 2 h", under the severity's first-response target on /support (the
    /// app's and the server's rendering of it); `None` without a cadence.
    pub fn update_cadence_text(&self, severity_id: &str) -> Option<String> {
        self.update_interval(severity_id)
            .map(|interval| format!("then an update every {}", interval.hours_text()))
    }

    /// The mail's text when support's update on a ticket of `severity` is late: `None` when
    /// the plan mails no such notice or has no cadence for the severity. It names the promise,
    /// not an instant, so it reads right in every time zone.
    pub fn late_update_notice(&self, severity: &Severity) -> Option<String> {
        let interval = self
            .update_interval(&severity.id)
            .filter(|_| self.late_update_mail)?;
        Some(format!(
            "Our update on this ticket is late. On the {plan} plan, support updates tickets \
             of severity \u{201c}{severity}\u{201d} every {every}; we are working on it and \
             will write as soon as we can. If the wait hurts your business, you can request \
             escalation on the ticket page.",
            plan = self.name,
            severity = severity.name,
            every = interval.hours_text(),
        ))
    }

    /// Whether the target for this severity runs in wall-clock time rather than support hours.
    pub fn counts_around_the_clock(&self, severity_id: &str) -> bool {
        matches!(self.hours, SupportHours::AroundTheClock)
            || self
                .around_the_clock_severities
                .iter()
                .any(|id| id == severity_id)
    }
}

/// Turns a deserialisation failure into a [`PolicyError`] with the key path and, because the
/// path alone does not always find the spot, the line and column.
fn toml_error(text: &str, error: serde_path_to_error::Error<toml::de::Error>) -> PolicyError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    let mut problem = inner.message().trim().to_owned();
    if let Some(span) = inner.span() {
        let before = text.get(..span.start).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
        problem.push_str(&format!(" (line {line}, column {column})"));
    }
    PolicyError::at(if path == "." { String::new() } else { path }, problem)
}

#[cfg(test)]
mod tests;
