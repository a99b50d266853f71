use lantern_core::ticket::{DefectLink, DefectState};
use leptos::prelude::*;

/// The engineering issue a ticket is linked to: its id (a link to the vendor's tracker when it
/// is public) and its state, "Open", "Fixed in 4.2.0" or "Won't fix".
#[component]
pub fn DefectLinkText(defect: DefectLink) -> impl IntoView {
    let state = defect.state_text();
    let tone = match defect.state {
        DefectState::Open => "defect-open",
        DefectState::Fixed => "defect-fixed",
        DefectState::WontFix => "defect-wont-fix",
    };
    let id = match defect.url {
        // The server accepts only http and https addresses with a host.
        Some(url) => {
            view! { <a href=url rel="noopener noreferrer external">{defect.id}</a> }.into_any()
        }
        None => view! { <span>{defect.id}</span> }.into_any(),
    };
    view! {
        <span class="defect-link">
            {id} " " <span class=format!("defect-state {tone}")>{state}</span>
        </span>
    }
}
