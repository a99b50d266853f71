//! "Now" and durations as people read them. The browser's clock gives "now", because chrono's
//! own clock is not available in WebAssembly without extra features.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;

/// The current instant, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// "Now", updated every half minute, so "due in 20 min" and "5 min ago" keep counting.
#[derive(Debug, Clone, Copy)]
struct TickingClock(RwSignal<DateTime<Utc>>);

/// Starts the page's clock; it stops when the page goes away.
pub fn provide_ticking_clock() {
    let clock = RwSignal::new(now());
    // Without a timer the times are still right when drawn; they just do not count on.
    if let Ok(timer) = set_interval_with_handle(move || clock.set(now()), Duration::from_secs(30)) {
        on_cleanup(move || timer.clear());
    }
    provide_context(TickingClock(clock));
}

/// The page's ticking "now", or the instant of the call where no page clock runs.
pub fn use_clock() -> Signal<DateTime<Utc>> {
    match use_context::<TickingClock>() {
        Some(TickingClock(clock)) => clock.into(),
        None => Signal::stored(now()),
    }
}

/// "1 h 20 min", "45 min", "2 days 3 h": the two largest units, for targets and ages.
pub fn span_text(span: TimeDelta) -> String {
    let minutes = span.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, hours) if mins == 0 => format!("{hours} h"),
        (0, hours) => format!("{hours} h {mins} min"),
        (1, 0) => "1 day".to_owned(),
        (1, hours) => format!("1 day {hours} h"),
        (days, 0) => format!("{days} days"),
        (days, hours) => format!("{days} days {hours} h"),
    }
}

/// "just now", "5 min ago", "3 h ago", "2 days ago": how long ago `then` was at `now`.
pub fn relative_text(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let age = now - then;
    if age < TimeDelta::minutes(1) {
        return "just now".to_owned();
    }
    let coarse = if age < TimeDelta::hours(1) {
        TimeDelta::minutes(age.num_minutes())
    } else if age < TimeDelta::days(1) {
        TimeDelta::hours(age.num_hours())
    } else {
        TimeDelta::days(age.num_days())
    };
    format!("{} ago", span_text(coarse))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + minutes * 60, 0).unwrap_or_default()
    }

    #[test]
    fn spans_read_in_the_two_largest_units() {
        assert_eq!(span_text(TimeDelta::minutes(80)), "1 h 20 min");
        assert_eq!(span_text(TimeDelta::minutes(45)), "45 min");
        assert_eq!(span_text(TimeDelta::minutes(120)), "2 h");
        assert_eq!(span_text(TimeDelta::minutes(1440 + 185)), "1 day 3 h");
        assert_eq!(span_text(TimeDelta::minutes(3 * 1440)), "3 days");
        assert_eq!(span_text(TimeDelta::minutes(-5)), "0 min");
    }

    #[test]
    fn ages_round_down_to_one_unit() {
        assert_eq!(relative_text(at(0), at(0)), "just now");
        assert_eq!(relative_text(at(0), at(5)), "5 min ago");
        assert_eq!(relative_text(at(0), at(200)), "3 h ago");
        assert_eq!(relative_text(at(0), at(3 * 1440 + 100)), "3 days ago");
        // A clock slightly behind the server's must not say "in the future".
        assert_eq!(relative_text(at(2), at(0)), "just now");
    }
}
