//! `SupportPage`'s markup (`src/pages/support.rs`, `src/components/support/`): plans, response
//! targets, support hours, severities and contact channels, all from the vendor's policy. The
//! app shows the coming week's hours in the viewer's time zone, which only the browser knows;
//! the server shows them in each plan's own.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use lantern_core::dates::day_and_date_in_words;
use lantern_core::policy::{
    ChannelKind, ContactChannel, Plan, PlanHoursNow, PolicyView, PublicPolicy, SupportHours,
};
use maud::{Markup, html};

pub fn support_page(view: &PolicyView) -> Markup {
    let policy = &view.policy;
    html! {
        section.page.support-page {
            h1 { "Support plans and hours" }
            p.lead {
                "How " (policy.vendor.name)
                " answers your tickets: how soon, when, and how to reach us when it is urgent."
            }
            section aria-labelledby="plans-heading" {
                h2 id="plans-heading" { "Plans and response targets" }
                p {
                    "The first response to a new ticket arrives within these times. "
                    "Choose the severity that matches the impact on your business."
                }
                (plan_table(policy))
            }
            section aria-labelledby="hours-heading" {
                h2 id="hours-heading" { "Support hours" }
                (opening_hours(view))
            }
            section aria-labelledby="severities-heading" {
                h2 id="severities-heading" { "Severity levels" }
                (severity_list(policy))
            }
            section aria-labelledby="contact-heading" {
                h2 id="contact-heading" { "How to reach us" }
                (contact_channels(policy))
            }
        }
    }
}

/// `PlanTable`.
fn plan_table(policy: &PublicPolicy) -> Markup {
    html! {
        div.table-scroll role="region" aria-labelledby="plan-table-caption" tabindex="0" {
            table.plan-table {
                caption id="plan-table-caption" { "Support hours and first response" }
                thead {
                    tr {
                        th scope="col" { "Severity" }
                        @for plan in policy.plans.iter() { th scope="col" { (plan.name) } }
                    }
                }
                tbody {
                    tr.hours-row {
                        th scope="row" { "Support hours" }
                        @for plan in policy.plans.iter() { td data-plan=(plan.name) { (plan.hours.describe()) } }
                    }
                    @for severity in policy.severities.iter() {
                        tr {
                            th scope="row" { (severity.name) }
                            @for plan in policy.plans.iter() {
                                td data-plan=(plan.name) { (target_cell(plan, &severity.id)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn target_cell(plan: &Plan, severity_id: &str) -> Markup {
    let target = plan
        .response_target(severity_id)
        .map_or_else(|| "\u{2014}".to_owned(), |target| target.hours_text());
    let counting = if plan.counts_around_the_clock(severity_id) {
        "any time"
    } else {
        "within support hours"
    };
    let cadence = plan.update_cadence_text(severity_id);
    html! {
        span.target { (target) } " " span.target-note { (counting) }
        @if let Some(cadence) = cadence { " " span.target-note.target-updates { (cadence) } }
    }
}

/// `OpeningHours`.
fn opening_hours(view: &PolicyView) -> Markup {
    let today = view.generated_at.date_naive();
    html! {
        p.hours-note { "Times below are in each plan's own time zone." }
        div.hours-grid {
            @for (plan, now) in view.policy.plans.iter().zip(&view.plan_hours) {
                (plan_hours(plan, now, today))
            }
        }
    }
}

fn plan_hours(plan: &Plan, now: &PlanHoursNow, today: NaiveDate) -> Markup {
    let (status_class, status_text) = if now.open_now {
        ("status open", "Open now")
    } else {
        ("status closed", "Closed now")
    };
    html! {
        section.plan-hours.card aria-label=(format!("{} support hours", plan.name)) {
            h3 { (plan.name) " " span class=(status_class) { (status_text) } }
            p.official-hours { (plan.hours.describe()) }
            @match &plan.hours {
                SupportHours::AroundTheClock => p { "Open around the clock, every day of the year." },
                SupportHours::Business(business) => {
                    @let zone: Option<Tz> = business.time_zone.parse().ok();
                    h4 { "The coming week (" (business.time_zone) ")" }
                    ul.window-list {
                        @for window in &now.windows {
                            li { (window_text(window.opens_at, window.closes_at, zone)) }
                        }
                    }
                    @let holidays = business.closures_ahead(today);
                    @if !holidays.is_empty() {
                        h4 { "Closed on" }
                        ul.holiday-list {
                            @for holiday in holidays {
                                li { (day_and_date_in_words(holiday.date)) ": " (holiday.name) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "Mon 30 Nov, 09:00 – 19:00" in the plan's time zone (UTC should the zone not parse, which
/// loading the policy rules out).
fn window_text(opens: DateTime<Utc>, closes: DateTime<Utc>, zone: Option<Tz>) -> String {
    let zone = zone.unwrap_or(Tz::UTC);
    let (opens, closes) = (opens.with_timezone(&zone), closes.with_timezone(&zone));
    let closes_text = if opens.date_naive() == closes.date_naive() {
        closes.format("%H:%M").to_string()
    } else {
        closes.format("%a %-d %b, %H:%M").to_string()
    };
    format!(
        "{} \u{2013} {closes_text}",
        opens.format("%a %-d %b, %H:%M")
    )
}

/// `SeverityList`.
fn severity_list(policy: &PublicPolicy) -> Markup {
    html! {
        ol.severity-list {
            @for severity in policy.severities.iter() {
                @let heading_id = format!("severity-{}", severity.id);
                @let channels: Vec<&str> = policy.channels_for(severity).iter().map(|c| c.label.as_str()).collect();
                li {
                    article.severity-card aria-labelledby=(heading_id) {
                        h3 id=(heading_id) { (severity.name) }
                        p.severity-definition { (severity.definition) }
                        @if !severity.examples.is_empty() {
                            p.severity-examples-title { "For example:" }
                            ul.severity-examples {
                                @for example in &severity.examples { li { (example) } }
                            }
                        }
                        p.severity-channels {
                            span.label { "Contact us through: " }
                            (channels.join(", "))
                        }
                    }
                }
            }
        }
    }
}

/// `ContactChannels`.
fn contact_channels(policy: &PublicPolicy) -> Markup {
    html! {
        ul.channel-list {
            @for channel in policy.channels.iter() {
                @let used_for: Vec<&str> = policy
                    .severities
                    .iter()
                    .filter(|severity| severity.channels.contains(&channel.id))
                    .map(|severity| severity.name.as_str())
                    .collect();
                li.channel {
                    h3 { (channel.label) }
                    p.channel-address { (channel_link(channel)) }
                    @if let Some(text) = &channel.availability { p { (text) } }
                    p.channel-severities {
                        span.label { "For: " }
                        (used_for.join(", "))
                    }
                }
            }
        }
    }
}

fn channel_link(channel: &ContactChannel) -> Markup {
    let href = match channel.kind {
        ChannelKind::Phone => format!("tel:{}", channel.address.replace(' ', "")),
        ChannelKind::Email => format!("mailto:{}", channel.address),
        ChannelKind::Portal | ChannelKind::Chat => channel.address.clone(),
    };
    let text = match channel.kind {
        ChannelKind::Portal => "Open a ticket",
        _ => channel.address.as_str(),
    };
    html! { a href=(href) { (text) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_reads_in_the_plan_s_time_zone_and_names_both_days_across_midnight() {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .expect("an instant")
                .to_utc()
        };
        let zone: Option<Tz> = "Europe/Amsterdam".parse().ok();
        assert_eq!(
            window_text(at("2026-11-30T08:00:00Z"), at("2026-11-30T17:00:00Z"), zone),
            "Mon 30 Nov, 09:00 \u{2013} 18:00"
        );
        assert_eq!(
            window_text(at("2026-11-30T20:00:00Z"), at("2026-12-01T02:00:00Z"), zone),
            "Mon 30 Nov, 21:00 \u{2013} Tue 1 Dec, 03:00"
        );
    }
}
