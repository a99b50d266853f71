//! The ticket list's filters as the address records them (`/tickets?status=all&q=restore`), so
//! back/forward and shared links show the same list.

use lantern_core::conversation::{StatusFilter, TicketListQuery, TicketScope, TicketSort};

/// The filters of the address's query; unknown values count as the defaults.
pub fn filters_from_address(get: impl Fn(&str) -> Option<String>) -> TicketListQuery {
    let text = |key: &str| get(key).filter(|value| !value.trim().is_empty());
    TicketListQuery {
        status: text("status").and_then(|value| parse_status(&value)),
        severity: text("severity"),
        product: text("product"),
        q: text("q"),
        sort: text("sort").and_then(|value| parse_sort(&value)),
        scope: text("scope")
            .filter(|value| value == TicketScope::Organisation.as_str())
            .map(|_| TicketScope::Organisation),
        cursor: None,
        limit: None,
    }
}

/// The status filter named `value` in addresses and requests.
pub fn parse_status(value: &str) -> Option<StatusFilter> {
    StatusFilter::ALL
        .into_iter()
        .find(|status| status.as_str() == value)
}

/// The sort order named `value` in addresses and requests.
pub fn parse_sort(value: &str) -> Option<TicketSort> {
    TicketSort::ALL
        .into_iter()
        .find(|sort| sort.as_str() == value)
}

/// Whether only the defaults apply (open tickets, newest update first): then an empty list
/// means the person has no open tickets at all.
pub fn is_default_view(filters: &TicketListQuery) -> bool {
    filters.to_pairs().iter().all(|(key, _)| *key == "scope")
}

/// The list a ticket page came from, by its address's `from`; "My tickets" otherwise.
pub fn origin_scope(from: Option<&str>) -> TicketScope {
    match from {
        Some(from) if from == TicketScope::Organisation.as_str() => TicketScope::Organisation,
        _ => TicketScope::Mine,
    }
}

/// What the list of `scope` is called, in its heading, tab and back links.
pub fn list_name(scope: TicketScope) -> &'static str {
    match scope {
        TicketScope::Mine => "My tickets",
        TicketScope::Organisation => "Organisation tickets",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> TicketListQuery {
        filters_from_address(|key| {
            pairs
                .iter()
                .find(|(name, _)| *name == key)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn reads_every_filter_of_the_address() {
        let filters = from(&[
            ("status", "all"),
            ("severity", "critical"),
            ("product", "harbor"),
            ("q", "restore"),
            ("sort", "created_asc"),
            ("scope", "organisation"),
        ]);
        assert_eq!(filters.status, Some(StatusFilter::All));
        assert_eq!(filters.severity.as_deref(), Some("critical"));
        assert_eq!(filters.product.as_deref(), Some("harbor"));
        assert_eq!(filters.q.as_deref(), Some("restore"));
        assert_eq!(filters.sort, Some(TicketSort::CreatedAsc));
        assert_eq!(filters.scope, Some(TicketScope::Organisation));
        assert!(!is_default_view(&filters));
    }

    #[test]
    fn odd_values_fall_back_to_the_defaults() {
        let filters = from(&[
            ("status", "bogus"),
            ("sort", ""),
            ("q", "  "),
            ("scope", "x"),
        ]);
        assert_eq!(filters, TicketListQuery::default());
        assert!(is_default_view(&filters));
        assert!(is_default_view(&from(&[("scope", "organisation")])));
        assert!(!is_default_view(&from(&[("status", "closed")])));
    }

    #[test]
    fn a_ticket_opened_from_the_organisations_list_leads_back_there() {
        // (The addresses are encoded by the browser's encoder; the Chromium test follows them.)
        assert_eq!(
            list_name(origin_scope(Some("organisation"))),
            "Organisation tickets"
        );
        assert_eq!(list_name(origin_scope(None)), "My tickets");
        assert_eq!(list_name(origin_scope(Some("elsewhere"))), "My tickets");
    }
}
