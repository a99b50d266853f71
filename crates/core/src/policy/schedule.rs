//! Support-hours arithmetic: when a response is due, whether support is open, and the coming
//! opening windows. All of it needs the time-zone database (chrono-tz), so it lives here and
//! only code that calls these functions (the server) links it.
//!
//! Business time is counted in real elapsed time inside each opening window, so on the day
//! daylight-saving time starts a 00:00-24:00 window lasts 23 hours, and an 08:00 opening is
//! 08:00 on the wall clock whatever the UTC offset.

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::{
    BusinessHours, ClockTime, Day, Minutes, OpeningWindow, Plan, PlanHoursNow, Policy, PolicyView,
    SupportHours,
};

/// How far ahead [`policy_view`] lists opening windows: a week shows every week day once.
const WINDOW_DAYS: i64 = 7;

/// When the first response to a ticket of this severity is due under this plan, counted in the
/// plan's support hours (Druva's initial-response targets, 000_0e4e71a8972bb245.txt). `None`
/// when the plan has no target for the severity.
pub fn response_due(
    plan: &Plan,
    severity_id: &str,
    created_at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let target = plan.response_target(severity_id)?;
    if plan.counts_around_the_clock(severity_id) {
        return Some(created_at + target.as_chrono());
    }
    Some(add_support_time(&plan.hours, created_at, target))
}

/// When support's next update to the customer is due under this plan: the plan's update
/// interval for the severity after `since` (support's last public reply, or the moment the
/// ticket came back to support), counted like the response targets (DDEV's hourly updates on
/// Urgent issues, 001_9dfcd67ee301683f.txt). `None` when the plan sets no interval for the
/// severity.
pub fn update_due(plan: &Plan, severity_id: &str, since: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let interval = plan.update_interval(severity_id)?;
    if plan.counts_around_the_clock(severity_id) {
        return Some(since + interval.as_chrono());
    }
    Some(add_support_time(&plan.hours, since, interval))
}

/// The instant `duration` of support time after `start`: time outside opening hours, on closed
/// week days and on holidays does not count.
pub fn add_support_time(
    hours: &SupportHours,
    start: DateTime<Utc>,
    duration: Minutes,
) -> DateTime<Utc> {
    let business = match hours {
        SupportHours::Business(business) if has_opening_time(business) => business,
        // Without any opening time nothing could ever be due; count wall-clock time instead.
        _ => return start + duration.as_chrono(),
    };
    let zone = time_zone(business);
    let mut remaining = duration.as_chrono();
    let mut date = start.with_timezone(&zone).date_naive();
    loop {
        if let Some((opens_at, closes_at)) = window_on(business, zone, date) {
            let counting_from = opens_at.max(start);
            if counting_from < closes_at {
                let available = closes_at - counting_from;
                if remaining <= available {
                    return counting_from + remaining;
                }
                remaining -= available;
            }
        }
        date = next_day(date);
    }
}

/// Whether support is staffed at this instant (the /support page's "open now").
pub fn is_open(hours: &SupportHours, at: DateTime<Utc>) -> bool {
    match hours {
        SupportHours::AroundTheClock => true,
        SupportHours::Business(business) => {
            let zone = time_zone(business);
            let date = at.with_timezone(&zone).date_naive();
            window_on(business, zone, date)
                .is_some_and(|(opens_at, closes_at)| opens_at <= at && at < closes_at)
        }
    }
}

/// The opening windows that end after `from` and start before `until`, in order. Empty for
/// around-the-clock hours, which have no windows to list.
pub fn opening_windows(
    hours: &SupportHours,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<OpeningWindow> {
    let SupportHours::Business(business) = hours else {
        return Vec::new();
    };
    let zone = time_zone(business);
    let mut windows = Vec::new();
    let mut date = from.with_timezone(&zone).date_naive();
    while local_midnight(zone, date) < until {
        if let Some((opens_at, closes_at)) = window_on(business, zone, date)
            && closes_at > from
            && opens_at < until
        {
            windows.push(OpeningWindow {
                opens_at,
                closes_at,
            });
        }
        date = next_day(date);
    }
    windows
}

/// The customer-visible policy plus, per plan, whether it is open now and its windows for the
/// coming week in UTC, so the app can show them in the viewer's time without a time-zone database.
pub fn policy_view(policy: &Policy, now: DateTime<Utc>) -> PolicyView {
    let until = now + Duration::days(WINDOW_DAYS);
    let plan_hours = policy
        .plans
        .iter()
        .map(|plan| PlanHoursNow {
            plan: plan.id.clone(),
            open_now: is_open(&plan.hours, now),
            windows: opening_windows(&plan.hours, now, until),
            response_due_if_filed_now: policy
                .severities
                .iter()
                .filter_map(|severity| {
                    response_due(plan, &severity.id, now).map(|due| (severity.id.clone(), due))
                })
                .collect(),
        })
        .collect();
    PolicyView {
        policy: policy.public_view(),
        generated_at: now,
        plan_hours,
    }
}

fn has_opening_time(business: &BusinessHours) -> bool {
    business
        .periods
        .iter()
        .any(|period| !period.days.is_empty() && period.opens < period.closes)
}

/// Loading the policy checks the name; a plan built by hand with a bad name counts in UTC.
fn time_zone(business: &BusinessHours) -> Tz {
    business.time_zone.parse().unwrap_or(Tz::UTC)
}

/// Opening and closing instant on a local date, or `None` when closed all day.
fn window_on(
    business: &BusinessHours,
    zone: Tz,
    date: NaiveDate,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    if business.is_holiday(date) {
        return None;
    }
    let (opens, closes) = business.hours_on(Day::from_chrono(chrono::Datelike::weekday(&date)))?;
    Some((
        local_instant(zone, date, opens),
        local_instant(zone, date, closes),
    ))
}

fn local_midnight(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_instant(zone, date, ClockTime::MIDNIGHT)
}

/// The instant a wall-clock time occurs on a date. A time repeated when clocks go back means
/// its first occurrence; a time skipped when clocks go forward is shifted by the gap, the usual
/// convention (02:30 on a spring-forward night becomes 03:30).
fn local_instant(zone: Tz, date: NaiveDate, time: ClockTime) -> DateTime<Utc> {
    let local = date.and_time(chrono::NaiveTime::MIN)
        + Duration::minutes(i64::from(time.minutes_after_midnight()));
    if let Some(instant) = zone.from_local_datetime(&local).earliest() {
        return instant.with_timezone(&Utc);
    }
    let offset_before_gap = zone
        .offset_from_utc_datetime(&(local - Duration::days(1)))
        .fix();
    Utc.from_utc_datetime(
        &(local - Duration::seconds(i64::from(offset_before_gap.local_minus_utc()))),
    )
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.succ_opt().unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan open Monday to Friday 08:00-18:00 in `zone`, with an 8-hour Major target.
    fn business_plan(zone: &str, holidays: &str) -> Plan {
        let mut plan: Plan = toml::from_str(&format!(
            r#"
            name = "Professional"
            response_targets = {{ major = "8h", emergency = "2h" }}
            [hours]
            time_zone = "{zone}"
            periods = [{{ days = ["mon", "tue", "wed", "thu", "fri"], opens = "08:00", closes = "18:00" }}]
            holidays = [{holidays}]
            "#
        ))
        .unwrap();
        plan.id = "professional".into();
        plan
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_major_ticket_filed_friday_evening_in_new_york_is_due_monday() {
        let plan = business_plan("America/New_York", "");
        // Friday 2026-11-27 17:30 EST: half an hour on Friday, seven and a half on Monday.
        let due = response_due(&plan, "major", utc("2026-11-27T22:30:00Z")).unwrap();
        assert_eq!(due, utc("2026-11-30T20:30:00Z"), "Monday 15:30 EST");
    }

    #[test]
    fn a_ticket_filed_before_opening_starts_counting_at_opening() {
        let plan = business_plan("Europe/Berlin", "");
        // Tuesday 2026-12-01 06:00 CET; the 2-hour target runs from 08:00.
        let due = response_due(&plan, "emergency", utc("2026-12-01T05:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-12-01T09:00:00Z"), "Tuesday 10:00 CET");
    }

    #[test]
    fn a_ticket_filed_at_closing_time_starts_the_next_working_day() {
        let plan = business_plan("Europe/Berlin", "");
        // Wednesday 2026-12-02 18:00 CET.
        let due = response_due(&plan, "emergency", utc("2026-12-02T17:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-12-03T09:00:00Z"), "Thursday 10:00 CET");
    }

    #[test]
    fn the_next_update_is_counted_in_support_hours_unless_the_severity_runs_around_the_clock() {
        let mut plan = business_plan("Europe/Berlin", "");
        plan.update_intervals.insert("major".into(), Minutes(120));
        plan.update_intervals
            .insert("emergency".into(), Minutes(60));
        // Friday 2026-12-04 17:30 CET: half an hour on Friday, an hour and a half on Monday.
        let since = utc("2026-12-04T16:30:00Z");
        assert_eq!(
            update_due(&plan, "major", since),
            Some(utc("2026-12-07T08:30:00Z")),
            "Monday 09:30 CET"
        );
        assert_eq!(update_due(&plan, "minor", since), None, "no cadence");
        plan.around_the_clock_severities.push("emergency".into());
        assert_eq!(
            update_due(&plan, "emergency", since),
            Some(utc("2026-12-04T17:30:00Z")),
            "an hour later, Friday evening"
        );
    }

    #[test]
    fn a_target_longer_than_a_business_day_rolls_over_days() {
        let mut plan = business_plan("Europe/Berlin", "");
        plan.response_targets
            .insert("minor".into(), Minutes(24 * 60));
        // Monday 2026-11-30 09:00 CET: 9 h Monday, 10 h Tuesday, 5 h Wednesday.
        let due = response_due(&plan, "minor", utc("2026-11-30T08:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-12-02T12:00:00Z"), "Wednesday 13:00 CET");
    }

    #[test]
    fn holidays_do_not_count() {
        let plan = business_plan(
            "Europe/Berlin",
            r#"{ date = 2026-12-25, name = "Christmas Day" }"#,
        );
        // Thursday 2026-12-24 17:00 CET: 1 h Thursday, Friday is a holiday, 7 h Monday.
        let due = response_due(&plan, "major", utc("2026-12-24T16:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-12-28T14:00:00Z"), "Monday 15:00 CET");
    }

    #[test]
    fn the_spring_clock_change_keeps_opening_hours_on_the_wall_clock() {
        let plan = business_plan("Europe/Berlin", "");
        // Friday 2026-03-27 17:00 CET; clocks go forward on Sunday 29 March, so Monday
        // 15:00 is CEST (UTC+2), not CET.
        let due = response_due(&plan, "major", utc("2026-03-27T16:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-03-30T13:00:00Z"));
    }

    #[test]
    fn the_autumn_clock_change_keeps_opening_hours_on_the_wall_clock() {
        let plan = business_plan("America/New_York", "");
        // Friday 2026-10-30 17:00 EDT; clocks go back on Sunday 1 November, so Monday 15:00
        // is EST (UTC-5).
        let due = response_due(&plan, "major", utc("2026-10-30T21:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-11-02T20:00:00Z"));
    }

    #[test]
    fn a_whole_day_window_is_23_hours_long_when_clocks_go_forward() {
        let mut plan = business_plan("Europe/Berlin", "");
        let SupportHours::Business(business) = &mut plan.hours else {
            unreachable!()
        };
        business.periods[0].days = Day::ALL.to_vec();
        business.periods[0].opens = ClockTime::MIDNIGHT;
        business.periods[0].closes = ClockTime::END_OF_DAY;
        plan.response_targets
            .insert("minor".into(), Minutes(24 * 60));
        // Saturday 2026-03-28 12:00 CET: 24 h of "24x7 business time" is 24 real hours.
        let due = response_due(&plan, "minor", utc("2026-03-28T11:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-03-29T11:00:00Z"));
    }

    #[test]
    fn around_the_clock_plans_count_wall_clock_time() {
        let mut plan = business_plan("Europe/Berlin", "");
        plan.hours = SupportHours::AroundTheClock;
        // Saturday night counts like any other time.
        let due = response_due(&plan, "major", utc("2026-11-28T22:00:00Z")).unwrap();
        assert_eq!(due, utc("2026-11-29T06:00:00Z"));
    }

    #[test]
    fn an_around_the_clock_severity_ignores_business_hours() {
        let mut plan = business_plan("America/Denver", "");
        plan.around_the_clock_severities = vec!["emergency".into()];
        let saturday_night = utc("2026-11-29T03:00:00Z");
        assert_eq!(
            response_due(&plan, "emergency", saturday_night),
            Some(utc("2026-11-29T05:00:00Z"))
        );
        assert!(
            response_due(&plan, "major", saturday_night).unwrap() > utc("2026-11-30T15:00:00Z")
        );
    }

    #[test]
    fn a_severity_without_target_has_no_due_time() {
        let plan = business_plan("Europe/Berlin", "");
        assert_eq!(
            response_due(&plan, "unknown", utc("2026-11-30T08:00:00Z")),
            None
        );
    }

    #[test]
    fn open_now_follows_opening_hours_weekends_and_holidays() {
        let plan = business_plan(
            "Europe/Berlin",
            r#"{ date = 2026-12-25, name = "Christmas Day" }"#,
        );
        let open = |text| is_open(&plan.hours, utc(text));
        assert!(open("2026-11-27T16:59:00Z"), "Friday 17:59 CET");
        assert!(!open("2026-11-27T17:00:00Z"), "Friday 18:00 CET");
        assert!(!open("2026-11-28T10:00:00Z"), "Saturday");
        assert!(!open("2026-12-25T10:00:00Z"), "Christmas Day");
        assert!(is_open(
            &SupportHours::AroundTheClock,
            utc("2026-12-25T03:00:00Z")
        ));
    }

    #[test]
    fn opening_windows_list_the_coming_working_days() {
        let plan = business_plan(
            "Europe/Berlin",
            r#"{ date = 2026-12-25, name = "Christmas Day" }"#,
        );
        // From Wednesday 2026-12-23 12:00 CET, a week ahead: Wed (open now), Thu, Mon, Tue, Wed.
        let from = utc("2026-12-23T11:00:00Z");
        let windows = opening_windows(&plan.hours, from, from + Duration::days(7));
        let opens: Vec<_> = windows.iter().map(|window| window.opens_at).collect();
        assert_eq!(
            opens,
            [
                "2026-12-23",
                "2026-12-24",
                "2026-12-28",
                "2026-12-29",
                "2026-12-30"
            ]
            .map(|day| utc(&format!("{day}T07:00:00Z")))
        );
        assert_eq!(windows[0].closes_at, utc("2026-12-23T17:00:00Z"));
        assert!(
            opening_windows(
                &SupportHours::AroundTheClock,
                from,
                from + Duration::days(7)
            )
            .is_empty()
        );
    }

    #[test]
    fn a_skipped_opening_time_moves_past_the_gap() {
        let zone: Tz = "Europe/Berlin".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let instant = local_instant(zone, date, "02:30".parse().unwrap());
        assert_eq!(instant, utc("2026-03-29T01:30:00Z"), "03:30 CEST");
    }
}
