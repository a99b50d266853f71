use chrono::{DateTime, SecondsFormat, Utc};
use leptos::prelude::*;

use super::clock::{relative_text, use_clock};
use crate::components::support::local_time::day_and_time;

/// "5 min ago", with the viewer's local date and time in the tooltip.
#[component]
pub fn RelativeTime(at: DateTime<Utc>) -> impl IntoView {
    let clock = use_clock();
    view! {
        <time datetime=at.to_rfc3339_opts(SecondsFormat::Secs, true) title=day_and_time(at)>
            {move || relative_text(at, clock.get())}
        </time>
    }
}

/// "Mon 30 Nov, 09:00" in the viewer's time zone, as a `<time>` element.
#[component]
pub fn LocalDateTime(at: DateTime<Utc>) -> impl IntoView {
    view! {
        <time datetime=at.to_rfc3339_opts(SecondsFormat::Secs, true)>{day_and_time(at)}</time>
    }
}
