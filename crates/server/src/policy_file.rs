//! The vendor's support policy file (`LANTERN_POLICY`), read once at start.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use lantern_core::policy::{Policy, SupportHours};

/// How long before a plan's last listed holiday the server starts saying so.
pub const HOLIDAYS_WARNING_DAYS: i64 = 60;

/// Reads and validates the support policy file. The error names the file, the key and the
/// problem, e.g. `invalid support policy policies/default.toml:
/// plans.professional.response_targets.critcal: unknown severity "critcal"`.
pub fn load(path: &Path) -> anyhow::Result<Policy> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the support policy {}", path.display()))?;
    Policy::from_toml_str(&text)
        .map_err(|error| anyhow::anyhow!("invalid support policy {}: {error}", path.display()))
}

/// Each plan with business hours and the last holiday it lists, as `(plan id, date)`.
pub fn holidays_listed_until(policy: &Policy) -> Vec<(&str, NaiveDate)> {
    policy
        .plans
        .iter()
        .filter_map(|plan| match &plan.hours {
            SupportHours::Business(hours) => {
                Some((plan.id.as_str(), hours.holidays_listed_until()?))
            }
            SupportHours::AroundTheClock => None,
        })
        .collect()
}

/// A sentence for the operator for each plan whose holiday list ends within
/// [`HOLIDAYS_WARNING_DAYS`] of `today`, or has ended: response targets beyond it would count
/// the next year's holidays as working days.
pub fn holiday_lists_running_out(policy: &Policy, today: NaiveDate) -> Vec<String> {
    holidays_listed_until(policy)
        .into_iter()
        .filter(|(_, last)| (*last - today).num_days() < HOLIDAYS_WARNING_DAYS)
        .map(|(plan, last)| {
            format!(
                "plan {plan:?} lists holidays until {last}: add the next year's to the support \
                 policy, or response targets after that count them as working days"
            )
        })
        .collect()
}

/// The repository's default policy file, which the tests run with.
pub fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/default.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    #[test]
    fn a_holiday_list_is_named_from_sixty_days_before_it_ends() {
        let policy = load(&default_path()).expect("the default policy");
        let lists = holidays_listed_until(&policy);
        assert!(
            lists
                .iter()
                .any(|(plan, last)| *plan == "professional" && *last == date("2027-12-26")),
            "{lists:?}"
        );
        assert!(
            lists.iter().all(|(plan, _)| *plan != "enterprise"),
            "around the clock, no holidays: {lists:?}"
        );
        assert!(holiday_lists_running_out(&policy, date("2027-10-27")).is_empty());
        let warned = holiday_lists_running_out(&policy, date("2027-10-28"));
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(warned[0].starts_with("plan \"professional\" lists holidays until 2027-12-26"));
        assert_eq!(
            holiday_lists_running_out(&policy, date("2028-02-01")).len(),
            1
        );
    }
}
