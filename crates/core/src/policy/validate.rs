//! The rules a policy must follow beyond its shape, checked once when it is loaded. Each error
//! names the key path, e.g. `plans.professional.response_targets.critcal: unknown severity "critcal"`.

use std::collections::BTreeSet;

use super::{
    BusinessHours, CaseType, ChannelKind, Identified, Keyed, Minutes, Plan, Policy, PolicyError,
    Product, Severity, SupportHours, major_version,
};

type Checked = Result<(), PolicyError>;

/// More attempts than this are a typo: no support team tries a customer a hundred times.
const MAX_CONTACT_ATTEMPTS: u32 = 20;

pub(super) fn validate(policy: &Policy) -> Checked {
    require_text("vendor.name", &policy.vendor.name)?;
    if policy.supported_major_versions == 0 {
        return Err(PolicyError::at(
            "supported_major_versions",
            "must be at least 1",
        ));
    }
    for (name, empty) in [
        ("products", policy.products.is_empty()),
        ("case_types", policy.case_types.is_empty()),
        ("severities", policy.severities.is_empty()),
        ("channels", policy.channels.is_empty()),
        ("plans", policy.plans.is_empty()),
    ] {
        if empty {
            return Err(PolicyError::at(name, "declare at least one entry"));
        }
    }
    check_collection("products", &policy.products, check_product)?;
    check_collection("case_types", &policy.case_types, check_case_type)?;
    for (field, text) in &policy.fields {
        require_text(&format!("fields.{}.label", field.key()), &text.label)?;
    }
    check_collection("channels", &policy.channels, |path, channel| {
        require_text(&format!("{path}.label"), &channel.label)?;
        require_text(&format!("{path}.address"), &channel.address)
    })?;
    check_collection("severities", &policy.severities, |path, severity| {
        check_severity(policy, path, severity)
    })?;
    check_top_severity_has_phone(policy)?;
    check_collection("plans", &policy.plans, |path, plan| {
        check_plan(policy, path, plan)
    })?;
    check_collection("support_levels", &policy.support_levels, |path, level| {
        require_text(&format!("{path}.name"), &level.name)
    })?;
    let lifecycle = &policy.lifecycle;
    if let Some(after) = lifecycle.pending_auto_close {
        require_positive("lifecycle.pending_auto_close", after)?;
    }
    if let Some(rule) = lifecycle.contact_attempts {
        if !(1..=MAX_CONTACT_ATTEMPTS).contains(&rule.attempts) {
            return Err(PolicyError::at(
                "lifecycle.contact_attempts.attempts",
                format!("must be from 1 to {MAX_CONTACT_ATTEMPTS}"),
            ));
        }
        require_positive("lifecycle.contact_attempts.within", rule.within)?;
    }
    require_positive("lifecycle.solved_auto_close", lifecycle.solved_auto_close)?;
    require_positive("lifecycle.reopen_window", lifecycle.reopen_window)?;
    require_positive("escalation.review_target", policy.escalation.review_target)?;
    require_positive(
        "escalation.cooldown_after_decline",
        policy.escalation.cooldown_after_decline,
    )
}

/// Ids become URL parts, request values and key paths, so they stay plain.
fn check_collection<T: Identified>(
    name: &str,
    items: &Keyed<T>,
    check_item: impl Fn(&str, &T) -> Checked,
) -> Checked {
    for item in items.iter() {
        let path = format!("{name}.{}", item.id());
        let plain = |character: char| {
            character.is_ascii_lowercase() || character.is_ascii_digit() || "-_".contains(character)
        };
        if item.id().is_empty() || !item.id().chars().all(plain) {
            return Err(PolicyError::at(
                path,
                "ids may only hold lowercase letters, digits, '-' and '_'",
            ));
        }
        check_item(&path, item)?;
    }
    Ok(())
}

fn check_product(path: &str, product: &Product) -> Checked {
    require_text(&format!("{path}.name"), &product.name)?;
    check_collection(
        &format!("{path}.components"),
        &product.components,
        |_, _| Ok(()),
    )?;
    if product.versions.is_empty() {
        return Err(PolicyError::at(
            format!("{path}.versions"),
            "list at least one version",
        ));
    }
    let mut seen = BTreeSet::new();
    for (index, version) in product.versions.iter().enumerate() {
        let version_path = format!("{path}.versions[{index}]");
        let numeric = version
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
        if !numeric || major_version(version).is_none() {
            return Err(PolicyError::at(
                version_path,
                format!("version {version:?} must be numbers separated by dots, like \"8.2.1\""),
            ));
        }
        if !seen.insert(version.as_str()) {
            return Err(PolicyError::at(
                version_path,
                format!("version {version:?} is listed twice"),
            ));
        }
    }
    Ok(())
}

fn check_case_type(path: &str, case_type: &CaseType) -> Checked {
    require_text(&format!("{path}.name"), &case_type.name)?;
    match case_type
        .required
        .iter()
        .find(|field| case_type.optional.contains(field))
    {
        Some(field) => Err(PolicyError::at(
            format!("{path}.optional"),
            format!("field \"{}\" is already required", field.key()),
        )),
        None => Ok(()),
    }
}

fn check_severity(policy: &Policy, path: &str, severity: &Severity) -> Checked {
    require_text(&format!("{path}.name"), &severity.name)?;
    require_text(&format!("{path}.definition"), &severity.definition)?;
    if severity.channels.is_empty() {
        return Err(PolicyError::at(
            format!("{path}.channels"),
            "list at least one contact channel",
        ));
    }
    for channel in &severity.channels {
        if policy.channel(channel).is_none() {
            return Err(PolicyError::at(
                format!("{path}.channels"),
                format!("unknown channel {channel:?}"),
            ));
        }
    }
    Ok(())
}

/// Druva asks customers to report severity-1 issues by telephone (000_0e4e71a8972bb245.txt);
/// Code42 says to call when the issue is urgent (004_c150f22dbee80e04.txt).
fn check_top_severity_has_phone(policy: &Policy) -> Checked {
    let Some(top) = policy.highest_severity() else {
        return Ok(());
    };
    let has_phone = policy
        .channels_for(top)
        .iter()
        .any(|channel| channel.kind == ChannelKind::Phone);
    if has_phone {
        Ok(())
    } else {
        Err(PolicyError::at(
            format!("severities.{}.channels", top.id),
            "the highest severity needs a phone channel",
        ))
    }
}

fn check_plan(policy: &Policy, path: &str, plan: &Plan) -> Checked {
    require_text(&format!("{path}.name"), &plan.name)?;
    if let SupportHours::Business(hours) = &plan.hours {
        check_business_hours(&format!("{path}.hours"), hours)?;
    }
    let targets_path = format!("{path}.response_targets");
    for (severity, target) in &plan.response_targets {
        let target_path = format!("{targets_path}.{severity}");
        if policy.severity(severity).is_none() {
            return Err(PolicyError::at(
                target_path,
                format!("unknown severity {severity:?}"),
            ));
        }
        require_positive(&target_path, *target)?;
    }
    if let Some(missing) = policy
        .severities
        .iter()
        .find(|severity| plan.response_target(&severity.id).is_none())
    {
        return Err(PolicyError::at(
            targets_path,
            format!("missing a target for severity {:?}", missing.id),
        ));
    }
    for (severity, interval) in &plan.update_intervals {
        let interval_path = format!("{path}.update_intervals.{severity}");
        if policy.severity(severity).is_none() {
            return Err(PolicyError::at(
                interval_path,
                format!("unknown severity {severity:?}"),
            ));
        }
        require_positive(&interval_path, *interval)?;
    }
    if plan.late_update_mail && plan.update_intervals.is_empty() {
        return Err(PolicyError::at(
            format!("{path}.late_update_mail"),
            "needs update_intervals: without a cadence no update is ever late",
        ));
    }
    for severity in &plan.around_the_clock_severities {
        if policy.severity(severity).is_none() {
            return Err(PolicyError::at(
                format!("{path}.around_the_clock_severities"),
                format!("unknown severity {severity:?}"),
            ));
        }
    }
    Ok(())
}

fn check_business_hours(path: &str, hours: &BusinessHours) -> Checked {
    if hours.time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(PolicyError::at(
            format!("{path}.time_zone"),
            format!(
                "unknown time zone {:?} (use an IANA name such as \"Europe/Amsterdam\")",
                hours.time_zone
            ),
        ));
    }
    if hours.periods.is_empty() {
        return Err(PolicyError::at(
            format!("{path}.periods"),
            "list at least one opening period",
        ));
    }
    let mut days_seen = BTreeSet::new();
    for (index, period) in hours.periods.iter().enumerate() {
        let period_path = format!("{path}.periods[{index}]");
        if period.days.is_empty() {
            return Err(PolicyError::at(
                format!("{period_path}.days"),
                "list at least one day",
            ));
        }
        if period.opens >= period.closes {
            return Err(PolicyError::at(
                format!("{period_path}.closes"),
                format!(
                    "closing time {} must be after opening time {}",
                    period.closes, period.opens
                ),
            ));
        }
        if let Some(day) = period.days.iter().find(|day| !days_seen.insert(**day)) {
            return Err(PolicyError::at(
                format!("{period_path}.days"),
                format!("{} already appears in an earlier period", day.short_name()),
            ));
        }
    }
    for (index, holiday) in hours.holidays.iter().enumerate() {
        require_text(&format!("{path}.holidays[{index}].name"), &holiday.name)?;
    }
    Ok(())
}

fn require_text(path: &str, text: &str) -> Checked {
    if text.trim().is_empty() {
        Err(PolicyError::at(path, "must not be empty"))
    } else {
        Ok(())
    }
}

fn require_positive(path: &str, duration: Minutes) -> Checked {
    if duration.0 == 0 {
        Err(PolicyError::at(path, "must be longer than zero"))
    } else {
        Ok(())
    }
}
