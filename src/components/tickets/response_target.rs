use chrono::{DateTime, Utc};
use lantern_core::conversation::ResponseState;
use leptos::prelude::*;

use super::clock::{span_text, use_clock};
use crate::components::support::local_time::day_and_time;

/// Where the first response stands against its target: "Due in 1 h 20 min", "Met", "Missed"
/// or, on a ticket solved before it was due, "No longer needed", with the exact local time in
/// the tooltip.
#[component]
pub fn ResponseTarget(state: ResponseState) -> impl IntoView {
    let clock = use_clock();
    target_badge(Memo::new(move |_| describe(state, clock.get())))
}

/// A target's text, styled by its tone (`due`, `met`, `missed`, `none`), with a tooltip.
pub fn target_badge(described: Memo<(String, &'static str, Option<String>)>) -> impl IntoView {
    view! {
        <span
            class=move || format!("response-target target-{}", described.get().1)
            title=move || described.get().2
        >
            {move || described.get().0}
        </span>
    }
}

/// Text, style and tooltip of a state at `now`.
fn describe(state: ResponseState, now: DateTime<Utc>) -> (String, &'static str, Option<String>) {
    let (text, tone) = text_and_tone(state, now);
    let title = match state {
        ResponseState::Due { due_at } if now < due_at => {
            Some(format!("First response due {}", day_and_time(due_at)))
        }
        ResponseState::Due { due_at } | ResponseState::Missed { due_at } => {
            Some(format!("First response was due {}", day_and_time(due_at)))
        }
        ResponseState::Met { responded_at } => {
            Some(format!("Answered {}", day_and_time(responded_at)))
        }
        ResponseState::NoTarget => None,
        ResponseState::NoLongerNeeded => {
            Some("The ticket was solved before support's first response was due.".to_owned())
        }
    };
    (text, tone, title)
}

/// What the target's cell says, and its style. A due target that passed since the server
/// answered already reads "Missed".
fn text_and_tone(state: ResponseState, now: DateTime<Utc>) -> (String, &'static str) {
    match state {
        ResponseState::Due { due_at } if now < due_at => {
            (format!("Due in {}", span_text(due_at - now)), "due")
        }
        ResponseState::Due { .. } | ResponseState::Missed { .. } => ("Missed".to_owned(), "missed"),
        ResponseState::Met { .. } => ("Met".to_owned(), "met"),
        ResponseState::NoTarget => ("No target".to_owned(), "none"),
        ResponseState::NoLongerNeeded => ("No longer needed".to_owned(), "none"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn a_due_target_counts_down_then_reads_missed() {
        let due_at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        let due = ResponseState::Due { due_at };
        assert_eq!(
            text_and_tone(due, due_at - TimeDelta::minutes(80)),
            ("Due in 1 h 20 min".to_owned(), "due")
        );
        assert_eq!(text_and_tone(due, due_at), ("Missed".to_owned(), "missed"));
        let met = ResponseState::Met {
            responded_at: due_at,
        };
        assert_eq!(text_and_tone(met, due_at), ("Met".to_owned(), "met"));
        assert_eq!(text_and_tone(ResponseState::NoTarget, due_at).1, "none");
        assert_eq!(
            text_and_tone(ResponseState::NoLongerNeeded, due_at),
            ("No longer needed".to_owned(), "none")
        );
    }
}
