use lantern_core::dates::day_and_date_in_words;
use lantern_core::policy::{Holiday, OpeningWindow, Plan, PlanHoursNow, PolicyView, SupportHours};
use leptos::prelude::*;

use super::local_time::{day_and_time, same_local_day, time_of_day, viewer_time_zone};

/// Per plan: open now or not, the official hours, the coming week's hours in the viewer's own
/// time, and the holidays ahead.
#[component]
pub fn OpeningHours(view: PolicyView) -> impl IntoView {
    let today = view.generated_at.date_naive();
    let zone_note = viewer_time_zone()
        .map(|zone| format!("Times below are in your time zone ({zone})."))
        .unwrap_or_else(|| "Times below are in your time zone.".to_owned());
    let plans = view
        .policy
        .plans
        .iter()
        .zip(&view.plan_hours)
        .map(|(plan, now)| plan_hours(plan, now, today))
        .collect_view();
    view! {
        <p class="hours-note">{zone_note}</p>
        <div class="hours-grid">{plans}</div>
    }
}

fn plan_hours(plan: &Plan, now: &PlanHoursNow, today: chrono::NaiveDate) -> impl IntoView + use<> {
    let (status_class, status_text) = if now.open_now {
        ("status open", "Open now")
    } else {
        ("status closed", "Closed now")
    };
    let details = match &plan.hours {
        SupportHours::AroundTheClock => {
            view! { <p>"Open around the clock, every day of the year."</p> }.into_any()
        }
        SupportHours::Business(business) => {
            let holidays: Vec<Holiday> = business
                .closures_ahead(today)
                .into_iter()
                .cloned()
                .collect();
            view! {
                <WindowList windows=now.windows.clone() />
                <HolidayList holidays />
            }
            .into_any()
        }
    };
    view! {
        <section class="plan-hours card" aria-label=format!("{} support hours", plan.name)>
            <h3>{plan.name.clone()} " " <span class=status_class>{status_text}</span></h3>
            <p class="official-hours">{plan.hours.describe()}</p>
            {details}
        </section>
    }
}

#[component]
fn WindowList(windows: Vec<OpeningWindow>) -> impl IntoView {
    let items = windows
        .into_iter()
        .map(|window| view! { <li>{window_text(window)}</li> })
        .collect_view();
    view! {
        <h4>"The coming week in your time"</h4>
        <ul class="window-list">{items}</ul>
    }
}

/// "Mon 30 Nov, 09:00 – 19:00", or both days when the window crosses the viewer's midnight.
fn window_text(window: OpeningWindow) -> String {
    let closes = if same_local_day(window.opens_at, window.closes_at) {
        time_of_day(window.closes_at)
    } else {
        day_and_time(window.closes_at)
    };
    format!("{} \u{2013} {}", day_and_time(window.opens_at), closes)
}

#[component]
fn HolidayList(holidays: Vec<Holiday>) -> impl IntoView {
    let any = !holidays.is_empty();
    let items = holidays
        .into_iter()
        .map(|holiday| {
            view! { <li>{day_and_date_in_words(holiday.date)} ": " {holiday.name}</li> }
        })
        .collect_view();
    any.then(|| {
        view! {
            <h4>"Closed on"</h4>
            <ul class="holiday-list">{items}</ul>
        }
    })
}
