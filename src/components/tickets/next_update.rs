use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::clock::{span_text, use_clock};
use super::response_target::target_badge;
use crate::components::support::local_time::day_and_time;

/// When support's next update is due, as the policy's update cadence sets it: "Due in 1 h 20
/// min", then "Overdue", with the exact local time in the tooltip.
#[component]
pub fn NextUpdate(due_at: DateTime<Utc>) -> impl IntoView {
    let clock = use_clock();
    target_badge(Memo::new(move |_| describe(due_at, clock.get())))
}

/// Text, style and tooltip at `now`.
fn describe(due_at: DateTime<Utc>, now: DateTime<Utc>) -> (String, &'static str, Option<String>) {
    let (text, tone) = text_and_tone(due_at, now);
    let title = if now < due_at {
        format!("Support's next update is due {}", day_and_time(due_at))
    } else {
        format!("Support's update was due {}", day_and_time(due_at))
    };
    (text, tone, Some(title))
}

/// What the cell says, and its style.
fn text_and_tone(due_at: DateTime<Utc>, now: DateTime<Utc>) -> (String, &'static str) {
    if now < due_at {
        (format!("Due in {}", span_text(due_at - now)), "due")
    } else {
        ("Overdue".to_owned(), "missed")
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn a_due_update_counts_down_then_reads_overdue() {
        let due_at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        assert_eq!(
            text_and_tone(due_at, due_at - TimeDelta::minutes(80)),
            ("Due in 1 h 20 min".to_owned(), "due")
        );
        assert_eq!(
            text_and_tone(due_at, due_at),
            ("Overdue".to_owned(), "missed")
        );
    }
}
