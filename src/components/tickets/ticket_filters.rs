use lantern_core::conversation::{StatusFilter, TicketListQuery, TicketSort};
use leptos::prelude::*;

use super::list_address::{parse_sort, parse_status};
use super::policy_names::PolicyNames;

/// Status, severity, product, sort and a text search over number and subject. Every change
/// reports the whole new filter set; the page puts it in the address.
#[component]
pub fn TicketFilters(
    #[prop(into)] filters: Signal<TicketListQuery>,
    #[prop(into)] names: Signal<PolicyNames>,
    on_change: Callback<TicketListQuery>,
) -> impl IntoView {
    let change = move |edit: fn(&mut TicketListQuery, String), value: String| {
        let mut next = filters.get_untracked();
        edit(&mut next, value);
        on_change.run(next);
    };
    let status_choices = Signal::derive(|| {
        StatusFilter::ALL
            .iter()
            .map(|status| {
                (
                    status.as_str().to_owned(),
                    status_filter_label(*status).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let sort_choices = Signal::derive(|| {
        TicketSort::ALL
            .iter()
            .map(|sort| (sort.as_str().to_owned(), sort_label(*sort).to_owned()))
            .collect::<Vec<_>>()
    });
    let severity_choices =
        Signal::derive(move || with_all(names.get().severities, "All severities"));
    let product_choices = Signal::derive(move || with_all(names.get().products, "All products"));
    view! {
        <div class="ticket-filters" role="group" aria-label="Filter tickets">
            <SearchTickets filters on_change/>
            <FilterSelect
                id="ticket-status"
                label="Status"
                choices=status_choices
                current=Signal::derive(move || filters.get().status.unwrap_or_default().as_str().to_owned())
                on_pick=move |value: String| change(|f, v| f.status = parse_status(&v), value)
            />
            <FilterSelect
                id="ticket-severity"
                label="Severity"
                choices=severity_choices
                current=Signal::derive(move || filters.get().severity.unwrap_or_default())
                on_pick=move |value: String| change(|f, v| f.severity = non_empty(v), value)
            />
            <FilterSelect
                id="ticket-product"
                label="Product"
                choices=product_choices
                current=Signal::derive(move || filters.get().product.unwrap_or_default())
                on_pick=move |value: String| change(|f, v| f.product = non_empty(v), value)
            />
            <FilterSelect
                id="ticket-sort"
                label="Sort by"
                choices=sort_choices
                current=Signal::derive(move || filters.get().sort.unwrap_or_default().as_str().to_owned())
                on_pick=move |value: String| change(|f, v| f.sort = parse_sort(&v), value)
            />
        </div>
    }
}

/// A search box over ticket number and subject; searches on Enter or the button, so the
/// address (and the history) gets one entry per search rather than one per keystroke.
#[component]
fn SearchTickets(
    filters: Signal<TicketListQuery>,
    on_change: Callback<TicketListQuery>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    // Back/forward and shared links change the search too.
    Effect::new(move |_| text.set(filters.get().q.unwrap_or_default()));
    view! {
        <form
            class="ticket-search"
            role="search"
            on:submit=move |event| {
                event.prevent_default();
                let mut next = filters.get_untracked();
                next.q = non_empty(text.get_untracked().trim().to_owned());
                on_change.run(next);
            }
        >
            <label for="ticket-search">"Search by number, subject or issue id"</label>
            <div class="ticket-search-row">
                <input id="ticket-search" type="search" name="q" bind:value=text/>
                <button type="submit" class="button button-quiet">"Search"</button>
            </div>
        </form>
    }
}

/// A labelled drop-down whose choice takes effect at once.
#[component]
fn FilterSelect(
    id: &'static str,
    label: &'static str,
    choices: Signal<Vec<(String, String)>>,
    current: Signal<String>,
    #[prop(into)] on_pick: Callback<String>,
) -> impl IntoView {
    let options = move || {
        choices
            .get()
            .into_iter()
            .map(|(value, text)| {
                let selected = current.get() == value;
                view! { <option value=value selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="ticket-filter">
            <label for=id>{label}</label>
            <select id=id on:change=move |event| on_pick.run(event_target_value(&event))>
                {options}
            </select>
        </div>
    }
}

fn with_all(names: Vec<(String, String)>, all: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), all.to_owned()))
        .chain(names)
        .collect()
}

fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

fn status_filter_label(status: StatusFilter) -> &'static str {
    match status {
        StatusFilter::Open => "Open tickets",
        StatusFilter::All => "All tickets",
        StatusFilter::New => "New",
        StatusFilter::Pending => "Waiting for you",
        StatusFilter::Solved => "Solved",
        StatusFilter::Closed => "Closed",
    }
}

fn sort_label(sort: TicketSort) -> &'static str {
    match sort {
        TicketSort::UpdatedDesc => "Last update",
        TicketSort::CreatedDesc => "Newest first",
        TicketSort::CreatedAsc => "Oldest first",
        TicketSort::Severity => "Severity",
        TicketSort::DueFirst => "Reply due soonest",
    }
}
