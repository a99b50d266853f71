use lantern_core::policy::{Plan, PublicPolicy};
use leptos::prelude::*;

/// The plans side by side: support hours and the first-response target for every severity. On
/// a narrow screen the rows stack, each cell named by its plan (`data-plan`, style/support.css),
/// so no plan hides behind a sideways scroll.
#[component]
pub fn PlanTable(policy: PublicPolicy) -> impl IntoView {
    let plan_headers = policy
        .plans
        .iter()
        .map(|plan| view! { <th scope="col">{plan.name.clone()}</th> })
        .collect_view();
    let hours_cells = policy
        .plans
        .iter()
        .map(|plan| view! { <td data-plan=plan.name.clone()>{plan.hours.describe()}</td> })
        .collect_view();
    let severity_rows = policy
        .severities
        .iter()
        .map(|severity| {
            let cells = policy
                .plans
                .iter()
                .map(|plan| {
                    view! { <td data-plan=plan.name.clone()>{target_cell(plan, &severity.id)}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{severity.name.clone()}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        // The region is focusable so keyboard users can scroll the table on a narrow screen.
        <div class="table-scroll" role="region" aria-labelledby="plan-table-caption" tabindex="0">
            <table class="plan-table">
                <caption id="plan-table-caption">"Support hours and first response"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Severity"</th>
                        {plan_headers}
                    </tr>
                </thead>
                <tbody>
                    <tr class="hours-row">
                        <th scope="row">"Support hours"</th>
                        {hours_cells}
                    </tr>
                    {severity_rows}
                </tbody>
            </table>
        </div>
    }
}

/// "2 h" with a note on whether the clock runs only in support hours.
fn target_cell(plan: &Plan, severity_id: &str) -> impl IntoView + use<> {
    let target = plan
        .response_target(severity_id)
        .map(|target| target.hours_text());
    let counting = if plan.counts_around_the_clock(severity_id) {
        "any time"
    } else {
        "within support hours"
    };
    let cadence = plan.update_cadence_text(severity_id).map(|cadence| {
        view! {
            " "
            <span class="target-note target-updates">{cadence}</span>
        }
    });
    view! {
        <span class="target">{target.unwrap_or_else(|| "\u{2014}".to_owned())}</span>
        " "
        <span class="target-note">{counting}</span>
        {cadence}
    }
}
