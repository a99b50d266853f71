use lantern_core::conversation::status_label;
use lantern_core::ticket::TicketStatus;
use leptos::prelude::*;

/// A ticket's status as a coloured label; Pending reads "Waiting for you" and stands out,
/// because then the next step is the customer's.
#[component]
pub fn StatusBadge(status: TicketStatus) -> impl IntoView {
    view! {
        <span class=format!("status-badge status-{}", status.as_str())>{status_label(status)}</span>
    }
}
