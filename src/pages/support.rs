use std::sync::Arc;

use lantern_core::policy::PolicyView;
use leptos::prelude::*;

use crate::api::{self, SentAhead};
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::support::{ContactChannels, OpeningHours, PlanTable, SeverityList};
use crate::page_data;
use crate::server_page::{self, InNextTask};
use crate::support_policy::{OnItsWay, use_support_policy_or};

/// What the route starts for the support page (`src/app.rs`) while the page's part of the app
/// downloads, so neither waits for the other: the policy's request, unless the page the server
/// rendered came with the policy.
#[derive(Clone, Copy)]
pub struct SupportData(Option<SentAhead<PolicyView>>);

impl SupportData {
    pub fn start() -> Self {
        Self((!page_data::is_waiting()).then(api::policy_ahead))
    }
}

/// `/support`: plans, response targets, severities, support hours and contact channels, all
/// from the vendor's support policy.
#[component]
pub fn SupportPage(data: SupportData) -> impl IntoView {
    let policy = use_support_policy_or(move || {
        if let Some(embedded) = page_data::policy() {
            return Some(Box::pin(async move { Ok(embedded) }) as OnItsWay);
        }
        let sent = data.0.and_then(SentAhead::take)?;
        Some(Box::pin(sent))
    });
    view! {
        <PageTitle text="Support plans and hours"/>
        <section class="page support-page">
            <h1>"Support plans and hours"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || {
                    policy
                        .get()
                        .map(|answer| {
                            answer.map(|view| {
                                view! { <SupportOverview view=Arc::unwrap_or_clone(view)/> }
                            })
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The sections below the first screen of a phone are each built in a task of their own while
/// the server's page shows (`InNextTask`): built in one, the page kept a visitor's first touch
/// waiting for 272 ms on a phone. The takeover waits for the last of them, so it still swaps in
/// a complete page.
#[component]
fn SupportOverview(view: PolicyView) -> impl IntoView {
    let policy = view.policy.clone();
    view! {
        // One text node, as the server writes it: three would paint a slightly larger area,
        // which the browser would count as a new largest paint once the app takes over.
        <p class="lead">
            {format!(
                "How {} answers your tickets: how soon, when, and how to reach us when it is urgent.",
                policy.vendor.name,
            )}
        </p>
        <section aria-labelledby="plans-heading">
            <h2 id="plans-heading">"Plans and response targets"</h2>
            <p>
                "The first response to a new ticket arrives within these times. "
                "Choose the severity that matches the impact on your business."
            </p>
            <PlanTable policy=policy.clone()/>
        </section>
        <InNextTask>
            <section aria-labelledby="hours-heading">
                <h2 id="hours-heading">"Support hours"</h2>
                <OpeningHours view=view.clone()/>
            </section>
        </InNextTask>
        <InNextTask>
            <section aria-labelledby="severities-heading">
                <h2 id="severities-heading">"Severity levels"</h2>
                <SeverityList policy=policy.clone()/>
            </section>
            <section aria-labelledby="contact-heading">
                <h2 id="contact-heading">"How to reach us"</h2>
                <ContactChannels policy=policy.clone()/>
            </section>
            {server_page::page_ready()}
        </InNextTask>
    }
}
