//! Every address of the app, for the routes of `src/app.rs`: pages and components link and
//! navigate through these, never by writing a path of their own. The addresses the server's
//! pages link to as well come from `lantern_core::addresses`, so both link alike.

use lantern_core::conversation::{TicketListQuery, TicketScope};

use crate::api;
pub use lantern_core::addresses::{
    article_path, category_path, contact_support_path, encode_component, sign_in_path,
    ticket_filed_path, ticket_path,
};

/// The new-ticket wizard's parameter giving the subject to start with (the knowledge base's
/// "Create a ticket").
pub const SUBJECT_PARAMETER: &str = "subject";

/// In the wizard's address once "This solved my problem" ended it ([`finished_wizard_path`]); a
/// filed ticket has an address of its own instead ([`ticket_filed_path`]).
pub const DONE_PARAMETER: &str = "done";

/// The query key of a ticket's address opened from the organisation's list, so that its back
/// link leads there again.
pub const FROM: &str = "from";

/// The home page with a search and its filters (`/?q=&product=&category=`; empty ones left
/// out).
pub fn search_path(query: &str, product: &str, category: &str) -> String {
    let params: Vec<String> = [("q", query), ("product", product), ("category", category)]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode_component(value)))
        .collect();
    if params.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", params.join("&"))
    }
}

/// The new-ticket wizard starting a draft about `subject`.
pub fn new_ticket_path(subject: &str) -> String {
    format!(
        "/tickets/new?{SUBJECT_PARAMETER}={}",
        encode_component(subject)
    )
}

/// The wizard's own address once the ticket is filed: "New ticket" in the header, which leads
/// to the wizard without the mark, starts a new ticket from there.
pub fn finished_wizard_path() -> String {
    format!("/tickets/new?{DONE_PARAMETER}=1")
}

/// The ticket list with these filters.
pub fn ticket_list_path(filters: &TicketListQuery) -> String {
    format!("/tickets{}", api::query_string(&filters.to_pairs()))
}

/// The list of `scope` with its default filters.
pub fn scope_path(scope: TicketScope) -> String {
    ticket_list_path(&TicketListQuery {
        scope: Some(scope),
        ..TicketListQuery::default()
    })
}

/// One ticket's page, opened from the list of `scope`.
pub fn listed_ticket_path(number: &str, scope: TicketScope) -> String {
    let address = ticket_path(number);
    match scope {
        TicketScope::Mine => address,
        TicketScope::Organisation => format!("{address}?{FROM}={}", scope.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_search_is_the_bare_home_address() {
        assert_eq!(search_path("", "", ""), "/");
        assert_eq!(
            search_path("log in", "", "sign-in"),
            "/?q=log%20in&category=sign-in"
        );
    }

    #[test]
    fn a_new_ticket_starts_from_the_subject_it_is_given() {
        assert_eq!(
            new_ticket_path("Wiederherstellung stoppt bei 40% #2"),
            "/tickets/new?subject=Wiederherstellung%20stoppt%20bei%2040%25%20%232"
        );
    }
}
