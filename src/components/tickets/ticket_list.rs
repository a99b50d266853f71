use lantern_core::conversation::{TicketListItem, TicketListQuery, TicketScope};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::defect_link::DefectLinkText;
use super::failure_notice::FailureNotice;
use super::list_address::is_default_view;
use super::policy_names::PolicyNames;
use super::relative_time::RelativeTime;
use super::response_target::ResponseTarget;
use super::status_badge::StatusBadge;
use crate::api::{self, ApiError};
use crate::components::loading::Loading;
use crate::routes::listed_ticket_path;

/// The list's pages loaded so far for one set of filters.
#[derive(Debug, Clone, Default, PartialEq)]
struct Loaded {
    items: Vec<TicketListItem>,
    next_cursor: Option<String>,
    loading: bool,
    failure: Option<ApiError>,
}

impl Loaded {
    /// Nothing yet, the first page on its way (so the empty state does not flash first).
    fn starting() -> Self {
        Self {
            loading: true,
            ..Self::default()
        }
    }
}

/// The tickets matching `filters`: a table on wide screens, cards on narrow ones, with
/// "Load more" for the next page (cursor pagination on the server).
#[component]
pub fn TicketList(
    #[prop(into)] filters: Signal<TicketListQuery>,
    #[prop(into)] names: Signal<PolicyNames>,
) -> impl IntoView {
    let loaded = RwSignal::new(Loaded::starting());
    Effect::new(move |_| {
        let query = filters.get();
        loaded.set(Loaded::starting());
        load_page(filters, loaded, query, None);
    });
    // The next page, or (after a failure) the page that failed: a first page has no cursor.
    let load_more = move || {
        let cursor = loaded.with_untracked(|state| state.next_cursor.clone());
        load_page(filters, loaded, filters.get_untracked(), cursor);
    };
    let failure = Signal::derive(move || loaded.with(|state| state.failure.clone()));
    let kept = move || {
        if loaded.with(|state| state.items.is_empty()) {
            "Your filters are kept."
        } else {
            "The tickets loaded so far stay in the list."
        }
    };
    let organisation =
        Signal::derive(move || filters.get().scope == Some(TicketScope::Organisation));
    let has_items = move || loaded.with(|state| !state.items.is_empty());
    let settled_empty = move || {
        loaded.with(|state| state.items.is_empty() && !state.loading && state.failure.is_none())
    };
    view! {
        <Show when=has_items>
            <table class="ticket-table">
                <caption class="visually-hidden">"Tickets"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Ticket"</th>
                        <th scope="col">"Subject"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"Product"</th>
                        <Show when=move || organisation.get()>
                            <th scope="col">"Requester"</th>
                        </Show>
                        <th scope="col">"Last update"</th>
                        <th scope="col">"First response"</th>
                    </tr>
                </thead>
                <tbody>
                    // Keyed, so "Load more" adds rows without redrawing (and unfocusing) the others.
                    <For
                        each=move || loaded.with(|state| state.items.clone())
                        key=|ticket| ticket.number.clone()
                        children=move |ticket| view! { <TicketRow ticket names organisation/> }
                    />
                </tbody>
            </table>
        </Show>
        <Show when=settled_empty>
            <EmptyList default_view=Signal::derive(move || is_default_view(&filters.get()))/>
        </Show>
        <div class="ticket-list-footer" aria-live="polite">
            {move || loaded.with(|state| state.loading).then(|| view! { <Loading label="Loading tickets…"/> })}
            {move || view! {
                <FailureNotice
                    error=failure
                    kept=kept()
                    on_retry=move |_| load_more()
                    pending=Signal::derive(move || loaded.with(|state| state.loading))
                />
            }}
            // Stays while loading (disabled), so keyboard focus is not lost.
            <Show when=move || loaded.with(|state| state.next_cursor.is_some())>
                <button
                    type="button"
                    class="button button-quiet"
                    disabled=move || loaded.with(|state| state.loading)
                    on:click=move |_| load_more()
                >
                    "Load more tickets"
                </button>
            </Show>
        </div>
    }
}

/// Fetches one page and adds it, unless the filters changed while it loaded.
fn load_page(
    filters: Signal<TicketListQuery>,
    loaded: RwSignal<Loaded>,
    query: TicketListQuery,
    cursor: Option<String>,
) {
    loaded.update(|state| {
        state.loading = true;
        state.failure = None;
    });
    spawn_local(async move {
        let answer = api::list_tickets(&TicketListQuery {
            cursor,
            ..query.clone()
        })
        .await;
        if filters.try_get_untracked().as_ref() != Some(&query) {
            return;
        }
        loaded.try_update(|state| {
            state.loading = false;
            match answer {
                Ok(page) => {
                    let first_new = state.items.len();
                    // A ticket updated while paging can come again; it shows once.
                    let fresh: Vec<_> = page
                        .items
                        .into_iter()
                        .filter(|item| !state.items.iter().any(|known| known.number == item.number))
                        .collect();
                    state.items.extend(fresh);
                    state.next_cursor = page.next_cursor;
                    if first_new > 0 {
                        request_animation_frame(move || focus_row(first_new));
                    }
                }
                Err(error) => state.failure = Some(error),
            }
        });
    });
}

/// Moves keyboard focus to the link of row `index` (0-based), the first of a page just added.
fn focus_row(index: usize) {
    let selector = format!(".ticket-table tbody tr:nth-child({}) a", index + 1);
    let link = document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(link) = link {
        let _ = link.focus();
    }
}

/// One ticket: a table row, or a card on narrow screens (the labels come from `data-label`).
#[component]
fn TicketRow(
    ticket: TicketListItem,
    names: Signal<PolicyNames>,
    organisation: Signal<bool>,
) -> impl IntoView {
    let TicketListItem {
        number,
        subject,
        status,
        severity,
        product,
        updated_at,
        response_state,
        waiting_for_customer,
        requester_name,
        escalated,
        defect,
        roadmap,
        ..
    } = ticket;
    let scope = if organisation.get_untracked() {
        TicketScope::Organisation
    } else {
        TicketScope::Mine
    };
    let href = listed_ticket_path(&number, scope);
    view! {
        <tr class="ticket-row" class:ticket-row-waiting=waiting_for_customer>
            <td data-label="Ticket" class="ticket-number">{number}</td>
            <td data-label="Subject" class="ticket-subject">
                <a href=href>{subject}</a>
                {defect.map(|defect| view! {
                    <span class="ticket-defect">"Engineering issue " <DefectLinkText defect/></span>
                })}
                {roadmap.map(|decision| view! {
                    <span class="ticket-defect">"Roadmap: " <span class="roadmap-state">{decision.state_text()}</span></span>
                })}
            </td>
            <td data-label="Status">
                <span class="ticket-status-badges">
                    <StatusBadge status/>
                    {escalated.then(|| view! { <span class="escalated-badge">"Escalated"</span> })}
                </span>
            </td>
            <td data-label="Severity">{move || names.get().severity(&severity)}</td>
            <td data-label="Product">{move || names.get().product(&product)}</td>
            <Show when=move || organisation.get()>
                <td data-label="Requester">{requester_name.clone()}</td>
            </Show>
            <td data-label="Last update"><RelativeTime at=updated_at/></td>
            <td data-label="First response"><ResponseTarget state=response_state/></td>
        </tr>
    }
}

/// Nothing to list: say why, and offer to file a ticket.
#[component]
fn EmptyList(default_view: Signal<bool>) -> impl IntoView {
    view! {
        <div class="ticket-list-empty card">
            {move || {
                if default_view.get() {
                    view! { <p>"You have no open tickets."</p> }.into_any()
                } else {
                    view! {
                        <p>"No tickets match these filters. " <a href="/tickets">"Show open tickets"</a></p>
                    }
                    .into_any()
                }
            }}
            <p><a class="button button-primary" href="/tickets/new">"File a new ticket"</a></p>
        </div>
    }
}
