use lantern_core::policy::{PublicPolicy, Severity};
use leptos::prelude::*;

/// Every severity, highest first, with its definition, examples and the channels to use.
#[component]
pub fn SeverityList(policy: PublicPolicy) -> impl IntoView {
    let items = policy
        .severities
        .iter()
        .map(|severity| view! { <li>{severity_card(&policy, severity)}</li> })
        .collect_view();
    view! { <ol class="severity-list">{items}</ol> }
}

fn severity_card(policy: &PublicPolicy, severity: &Severity) -> impl IntoView + use<> {
    let heading_id = format!("severity-{}", severity.id);
    let labelled_by = heading_id.clone();
    let examples = (!severity.examples.is_empty()).then(|| {
        let items = severity
            .examples
            .iter()
            .map(|example| view! { <li>{example.clone()}</li> })
            .collect_view();
        view! {
            <p class="severity-examples-title">"For example:"</p>
            <ul class="severity-examples">{items}</ul>
        }
    });
    let channels = policy
        .channels_for(severity)
        .iter()
        .map(|channel| channel.label.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <article class="severity-card" aria-labelledby=labelled_by>
            <h3 id=heading_id>{severity.name.clone()}</h3>
            <p class="severity-definition">{severity.definition.clone()}</p>
            {examples}
            <p class="severity-channels">
                <span class="label">"Contact us through: "</span>
                {channels}
            </p>
        </article>
    }
}
