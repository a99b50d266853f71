//! The shipped policy files load, and broken files are refused with the key path and problem.

use chrono::{DateTime, Utc};

use super::schedule::{policy_view, response_due};
use super::*;

const DEFAULT: &str = include_str!("../../../../policies/default.toml");
const DRUVA: &str = include_str!("../../../../policies/druva-example.toml");
const DDEV: &str = include_str!("../../../../policies/ddev-example.toml");

fn default_policy() -> Policy {
    Policy::from_toml_str(DEFAULT).expect("policies/default.toml is valid")
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Loads the default policy with one piece of text replaced and returns the error message.
fn error_after_replacing(original: &str, replacement: &str) -> String {
    assert!(
        DEFAULT.contains(original),
        "the default policy no longer contains {original:?}"
    );
    let broken = DEFAULT.replacen(original, replacement, 1);
    match Policy::from_toml_str(&broken) {
        Ok(_) => panic!("replacing {original:?} with {replacement:?} was accepted"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn every_shipped_policy_loads() {
    for (name, text) in [
        ("default", DEFAULT),
        ("druva-example", DRUVA),
        ("ddev-example", DDEV),
    ] {
        if let Err(error) = Policy::from_toml_str(text) {
            panic!("policies/{name}.toml: {error}");
        }
    }
}

#[test]
fn the_default_policy_keeps_the_order_of_the_file() {
    let policy = default_policy();
    let severities: Vec<_> = policy
        .severities
        .iter()
        .map(|severity| severity.id.as_str())
        .collect();
    assert_eq!(severities, ["emergency", "critical", "major", "minor"]);
    let plans: Vec<_> = policy.plans.iter().map(|plan| plan.name.as_str()).collect();
    assert_eq!(plans, ["Professional", "Enterprise"]);
    let components: Vec<_> = policy
        .product("harbor-backup")
        .unwrap()
        .components
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(components, ["agent", "console", "vault"]);
}

#[test]
fn lookups_find_what_the_file_declares() {
    let policy = default_policy();
    assert_eq!(policy.vendor.name, "Lantern Demo Software");
    assert_eq!(
        policy.plan("enterprise").unwrap().response_target("major"),
        Some(Minutes(6 * 60))
    );
    assert_eq!(
        policy
            .plan("professional")
            .unwrap()
            .response_target("minor"),
        Some(Minutes(24 * 60))
    );
    assert_eq!(policy.severity("critical").unwrap().name, "Critical");
    assert_eq!(policy.product("relay-sync").unwrap().name, "Relay Sync");
    assert!(policy.plan("gold").is_none());
    assert_eq!(policy.severity_rank("emergency"), Some(0));
    assert_eq!(policy.severity_rank("minor"), Some(3));
    assert_eq!(
        policy.compare_severities("major", "critical"),
        std::cmp::Ordering::Greater
    );
    assert_eq!(policy.highest_severity().unwrap().id, "emergency");
    let top_channels = policy.channels_for(policy.highest_severity().unwrap());
    assert_eq!(top_channels[0].kind, ChannelKind::Phone);
    assert_eq!(policy.field_text(TicketField::ComputerId).label, "Computer");
    assert_eq!(
        policy.field_text(TicketField::Subject).label,
        "Subject",
        "built-in label"
    );
}

#[test]
fn only_the_two_newest_major_versions_are_supported() {
    let policy = default_policy();
    assert_eq!(
        policy.version_support("harbor-backup", "8.2.1"),
        Some(VersionSupport::Supported)
    );
    assert_eq!(
        policy.version_support("harbor-backup", "7.3.0"),
        Some(VersionSupport::Supported)
    );
    assert_eq!(
        policy.version_support("harbor-backup", "6.9.5"),
        Some(VersionSupport::Unsupported)
    );
    assert_eq!(
        policy.version_support("harbor-backup", "9.0.0"),
        None,
        "not a released version"
    );
    assert_eq!(policy.version_support("no-such-product", "8.2.1"), None);
    assert_eq!(
        policy.product("relay-sync").unwrap().supported_majors(2),
        [5, 4]
    );
}

#[test]
fn the_public_view_round_trips_through_json() {
    let policy = default_policy();
    let view = policy_view(&policy, utc("2026-11-27T12:00:00Z"));
    let json = serde_json::to_string(&view).unwrap();
    let back: PolicyView = serde_json::from_str(&json).unwrap();
    assert_eq!(back, view);
    assert_eq!(
        back.policy.severities[0].id, "emergency",
        "ids and order survive JSON"
    );
    let professional = &back.plan_hours[0];
    assert_eq!(professional.plan, "professional");
    assert!(professional.open_now, "Friday 13:00 in Amsterdam");
    assert_eq!(
        professional.windows[0].closes_at,
        utc("2026-11-27T17:00:00Z")
    );
    assert!(
        back.plan_hours[1].open_now && back.plan_hours[1].windows.is_empty(),
        "24x7"
    );
    // Friday 13:00 CET: the 8 h Major target runs 5 h on Friday and 3 h from Monday 08:00.
    assert_eq!(
        professional.response_due_if_filed_now["major"],
        utc("2026-11-30T10:00:00Z")
    );
    assert_eq!(
        back.plan_hours[1].response_due_if_filed_now["major"],
        utc("2026-11-27T18:00:00Z")
    );
}

#[test]
fn a_major_professional_ticket_filed_friday_1730_amsterdam_is_due_monday() {
    let policy = default_policy();
    let professional = policy.plan("professional").unwrap();
    // Friday 2026-11-27 17:30 CET: 30 minutes on Friday, 7.5 hours from Monday 08:00.
    let due = response_due(professional, "major", utc("2026-11-27T16:30:00Z")).unwrap();
    assert_eq!(due, utc("2026-11-30T14:30:00Z"), "Monday 15:30 CET");
}

#[test]
fn an_enterprise_ticket_is_due_in_wall_clock_time() {
    let policy = default_policy();
    let enterprise = policy.plan("enterprise").unwrap();
    let due = response_due(enterprise, "emergency", utc("2026-12-25T23:30:00Z")).unwrap();
    assert_eq!(due, utc("2026-12-26T00:30:00Z"), "Christmas night counts");
}

#[test]
fn the_default_professional_plan_skips_christmas() {
    let policy = default_policy();
    let professional = policy.plan("professional").unwrap();
    // Thursday 2026-12-24 16:00 CET: 2 h Thursday, Christmas and Boxing Day and Sunday
    // closed, the remaining 2 h of the Critical target on Monday 28 December.
    let due = response_due(professional, "critical", utc("2026-12-24T15:00:00Z")).unwrap();
    assert_eq!(due, utc("2026-12-28T09:00:00Z"), "Monday 10:00 CET");
}

#[test]
fn the_ddev_urgent_target_runs_around_the_clock_while_high_waits_for_monday() {
    let policy = Policy::from_toml_str(DDEV).unwrap();
    let plan = policy.plan("standard").unwrap();
    // Saturday 2026-11-28 10:00 MST.
    let saturday = utc("2026-11-28T17:00:00Z");
    assert_eq!(
        response_due(plan, "urgent", saturday),
        Some(utc("2026-11-28T18:00:00Z"))
    );
    // 24x5: the High target starts at Monday 00:00 MST.
    assert_eq!(
        response_due(plan, "high", saturday),
        Some(utc("2026-11-30T09:00:00Z"))
    );
}

#[test]
fn a_misspelt_severity_in_a_response_target_is_named() {
    let error = error_after_replacing(
        "emergency = \"2h\"\ncritical = \"4h\"",
        "emergency = \"2h\"\ncritcal = \"4h\"",
    );
    assert_eq!(
        error,
        "plans.professional.response_targets.critcal: unknown severity \"critcal\""
    );
}

#[test]
fn update_intervals_name_known_severities_and_last_a_while() {
    let misspelt = error_after_replacing(
        "[plans.enterprise.update_intervals]\nemergency = \"1h\"",
        "[plans.enterprise.update_intervals]\nemergancy = \"1h\"",
    );
    assert_eq!(
        misspelt,
        "plans.enterprise.update_intervals.emergancy: unknown severity \"emergancy\""
    );
    let zero = error_after_replacing(
        "[plans.enterprise.update_intervals]\nemergency = \"1h\"",
        "[plans.enterprise.update_intervals]\nemergency = \"0m\"",
    );
    assert!(
        zero.starts_with("plans.enterprise.update_intervals.emergency:"),
        "{zero}"
    );
}

#[test]
fn a_late_update_mail_needs_a_cadence_to_be_late_against() {
    let enterprise_cadence =
        "[plans.enterprise.update_intervals]\nemergency = \"1h\"\ncritical = \"2h\"\n";
    assert!(DEFAULT.contains(enterprise_cadence) && DEFAULT.contains("late_update_mail = true"));
    let without_cadence = DEFAULT.replacen(enterprise_cadence, "", 1);
    let error = Policy::from_toml_str(&without_cadence).expect_err("a mail without a cadence");
    assert_eq!(
        error.to_string(),
        "plans.enterprise.late_update_mail: needs update_intervals: without a cadence no update \
         is ever late"
    );
    let without_mail = without_cadence.replacen("late_update_mail = true\n", "", 1);
    assert!(Policy::from_toml_str(&without_mail).is_ok());
}

#[test]
fn the_late_update_notice_names_the_promise_on_plans_that_mail_it() {
    let policy = default_policy();
    let severity = |id: &str| policy.severity(id).expect("a severity").clone();
    let enterprise = policy.plan("enterprise").expect("the Enterprise plan");
    assert_eq!(
        enterprise
            .late_update_notice(&severity("emergency"))
            .as_deref(),
        Some(
            "Our update on this ticket is late. On the Enterprise plan, support updates \
             tickets of severity \u{201c}Emergency down\u{201d} every 1 h; we are working on it \
             and will write as soon as we can. If the wait hurts your business, you can request escalation on the ticket page."
        )
    );
    assert_eq!(
        enterprise.late_update_notice(&severity("major")),
        None,
        "Major has no cadence"
    );
    let professional = policy.plan("professional").expect("the Professional plan");
    assert!(professional.update_interval("critical").is_some());
    assert_eq!(
        professional.late_update_notice(&severity("critical")),
        None,
        "the Professional plan mails no notice"
    );
}

#[test]
fn the_default_policy_gives_enterprise_critical_tickets_an_update_every_two_hours() {
    let policy = Policy::from_toml_str(DEFAULT).expect("the default policy");
    let enterprise = policy.plan("enterprise").expect("the Enterprise plan");
    assert_eq!(
        enterprise.update_cadence_text("critical").as_deref(),
        Some("then an update every 2 h")
    );
    assert_eq!(enterprise.update_cadence_text("minor"), None);
}

#[test]
fn a_plan_without_a_target_for_every_severity_is_refused() {
    let error = error_after_replacing("minor = \"8h\"\n", "");
    assert_eq!(
        error,
        "plans.enterprise.response_targets: missing a target for severity \"minor\""
    );
}

#[test]
fn an_unknown_time_zone_is_named() {
    let error = error_after_replacing(
        "time_zone = \"Europe/Amsterdam\"",
        "time_zone = \"Europe/Amsterdm\"",
    );
    assert!(
        error.starts_with(
            "plans.professional.hours.time_zone: unknown time zone \"Europe/Amsterdm\""
        ),
        "{error}"
    );
}

#[test]
fn an_unreadable_duration_is_named() {
    let error = error_after_replacing(
        "pending_auto_close = \"14d\"",
        "pending_auto_close = \"14 days\"",
    );
    assert!(
        error.starts_with("lifecycle.pending_auto_close: invalid duration \"14 days\""),
        "{error}"
    );
}

#[test]
fn a_contact_attempt_rule_without_attempts_is_refused() {
    let error = error_after_replacing(
        "contact_attempts = { attempts = 3,",
        "contact_attempts = { attempts = 0,",
    );
    assert!(
        error.starts_with("lifecycle.contact_attempts.attempts: must be from 1 to 20"),
        "{error}"
    );
}

#[test]
fn the_pending_rules_are_each_optional() {
    let druva = Policy::from_toml_str(DRUVA).expect("the Druva example");
    assert_eq!(druva.lifecycle.pending_auto_close, None);
    assert_eq!(
        druva.lifecycle.contact_attempts,
        Some(ContactAttempts {
            attempts: 3,
            within: Minutes(10 * 24 * 60)
        })
    );
    let ddev = Policy::from_toml_str(DDEV).expect("the DDEV example");
    assert_eq!(ddev.lifecycle.pending_auto_close, Some(Minutes(72 * 60)));
    assert_eq!(ddev.lifecycle.contact_attempts, None);
}

#[test]
fn an_unknown_ticket_field_is_named() {
    let error = error_after_replacing(
        "\"steps_to_reproduce\", \"expected_result\", \"actual_result\", \"logs\"]",
        "\"stpes\"]",
    );
    assert!(
        error.starts_with("case_types.product_error.required[2]: unknown variant `stpes`"),
        "{error}"
    );
}

#[test]
fn an_unknown_key_is_named() {
    let error = error_after_replacing("[vendor]\n", "[vendor]\ncolour = \"red\"\n");
    assert!(
        error.starts_with("vendor.colour: unknown field `colour`"),
        "{error}"
    );
}

#[test]
fn a_missing_key_is_named_with_its_table() {
    let error = error_after_replacing("name = \"Enterprise\"\n", "");
    assert!(
        error.starts_with("plans.enterprise: missing field `name`"),
        "{error}"
    );
}

#[test]
fn the_top_severity_needs_a_phone_channel() {
    let error = error_after_replacing(
        "channels = [\"phone\", \"portal\"]",
        "channels = [\"portal\"]",
    );
    assert_eq!(
        error,
        "severities.emergency.channels: the highest severity needs a phone channel"
    );
}

#[test]
fn a_severity_naming_an_unknown_channel_is_refused() {
    let error = error_after_replacing(
        "channels = [\"portal\", \"email\"]",
        "channels = [\"portal\", \"fax\"]",
    );
    assert_eq!(error, "severities.major.channels: unknown channel \"fax\"");
}

#[test]
fn a_version_that_is_not_numeric_is_named() {
    let error = error_after_replacing("\"8.1.0\"", "\"8.x\"");
    assert!(
        error.starts_with("products.harbor-backup.versions[1]: version \"8.x\""),
        "{error}"
    );
}

#[test]
fn closing_before_opening_is_refused() {
    let error = error_after_replacing(
        "opens = \"08:00\", closes = \"18:00\"",
        "opens = \"18:00\", closes = \"08:00\"",
    );
    assert_eq!(
        error,
        "plans.professional.hours.periods[0].closes: closing time 08:00 must be after opening time 18:00"
    );
}

#[test]
fn around_the_clock_cannot_have_a_time_zone_too() {
    let error = error_after_replacing(
        "\naround_the_clock = true",
        "\naround_the_clock = true\ntime_zone = \"UTC\"",
    );
    assert!(
        error.starts_with("plans.enterprise.hours: `around_the_clock = true` cannot be combined"),
        "{error}"
    );
}

#[test]
fn a_bad_id_is_refused() {
    let error = error_after_replacing("[products.relay-sync]", "[products.\"Relay Sync\"]");
    assert_eq!(
        error,
        "products.Relay Sync: ids may only hold lowercase letters, digits, '-' and '_'"
    );
}

#[test]
fn a_toml_syntax_error_gives_the_line() {
    let error = error_after_replacing("[lifecycle]\n", "[lifecycle\n");
    let lifecycle_line = DEFAULT
        .lines()
        .position(|line| line == "[lifecycle]")
        .unwrap()
        + 1;
    assert!(error.contains(&format!("line {lifecycle_line}")), "{error}");
}

#[test]
fn support_hours_read_as_words() {
    let policy = default_policy();
    assert_eq!(
        policy.plan("professional").unwrap().hours.describe(),
        "Mon\u{2013}Fri 08:00\u{2013}18:00 (Europe/Amsterdam)"
    );
    assert_eq!(
        policy.plan("enterprise").unwrap().hours.describe(),
        "24 hours a day, 7 days a week"
    );
    let split: SupportHours = toml::from_str(
        r#"
        time_zone = "America/Chicago"
        periods = [
          { days = ["sat", "sun"], opens = "09:00", closes = "17:00" },
          { days = ["mon", "tue", "wed", "fri"], opens = "07:00", closes = "19:00" },
        ]
        "#,
    )
    .unwrap();
    assert_eq!(
        split.describe(),
        "Sat, Sun 09:00\u{2013}17:00, Mon\u{2013}Wed, Fri 07:00\u{2013}19:00 (America/Chicago)"
    );
}

#[test]
fn closures_ahead_leave_out_past_holidays_and_those_on_closed_days() {
    let policy = default_policy();
    let professional = policy
        .plan("professional")
        .expect("the default policy's plan");
    let SupportHours::Business(business) = &professional.hours else {
        panic!("Professional has business hours");
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
    let closures: Vec<String> = business
        .closures_ahead(today)
        .iter()
        .map(|holiday| format!("{} {}", holiday.date, holiday.name))
        .collect();
    // Boxing Day 2026 is a Saturday; both Christmas days of 2027 fall on the weekend.
    assert_eq!(
        closures,
        [
            "2026-12-25 Christmas Day",
            "2027-01-01 New Year's Day",
            "2027-03-29 Easter Monday",
            "2027-04-27 King's Day",
            "2027-05-06 Ascension Day",
            "2027-05-17 Whit Monday",
        ]
    );
}

#[test]
fn the_example_policies_weigh_enhancement_requests_against_the_roadmap() {
    for text in [DEFAULT, DRUVA, DDEV] {
        let policy = Policy::from_toml_str(text).expect("an example policy");
        let on_roadmap: Vec<&str> = policy
            .case_types
            .iter()
            .filter(|case_type| case_type.roadmap)
            .map(|case_type| case_type.id.as_str())
            .collect();
        assert_eq!(on_roadmap, ["enhancement"]);
    }
}
