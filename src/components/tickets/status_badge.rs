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

/// The status as customers read it.
pub fn status_label(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::New => "New",
        TicketStatus::Open => "Open",
        TicketStatus::Pending => "Waiting for you",
        TicketStatus::Solved => "Solved",
        TicketStatus::Closed => "Closed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_says_whose_turn_it_is() {
        assert_eq!(status_label(TicketStatus::Pending), "Waiting for you");
        assert_eq!(status_label(TicketStatus::Open), "Open");
    }
}
