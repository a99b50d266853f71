use lantern_core::policy::PolicyView;
use leptos::prelude::*;

use crate::api;
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::support::{ContactChannels, OpeningHours, PlanTable, SeverityList};

/// `/support`: plans, response targets, severities, support hours and contact channels, all
/// from the vendor's support policy.
#[component]
pub fn SupportPage() -> impl IntoView {
    let policy = LocalResource::new(api::fetch_policy);
    view! {
        <PageTitle text="Support plans and hours"/>
        <section class="page support-page">
            <h1>"Support plans and hours"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || {
                    policy
                        .get()
                        .map(|answer| answer.map(|view| view! { <SupportOverview view/> }))
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn SupportOverview(view: PolicyView) -> impl IntoView {
    let policy = view.policy.clone();
    view! {
        <p class="lead">
            "How " {policy.vendor.name.clone()}
            " answers your tickets: how soon, when, and how to reach us when it is urgent."
        </p>
        <section aria-labelledby="plans-heading">
            <h2 id="plans-heading">"Plans and response targets"</h2>
            <p>
                "The first response to a new ticket arrives within these times. "
                "Choose the severity that matches the impact on your business."
            </p>
            <PlanTable policy=policy.clone()/>
        </section>
        <section aria-labelledby="hours-heading">
            <h2 id="hours-heading">"Support hours"</h2>
            <OpeningHours view/>
        </section>
        <section aria-labelledby="severities-heading">
            <h2 id="severities-heading">"Severity levels"</h2>
            <SeverityList policy=policy.clone()/>
        </section>
        <section aria-labelledby="contact-heading">
            <h2 id="contact-heading">"How to reach us"</h2>
            <ContactChannels policy/>
        </section>
    }
}
