use leptos::prelude::*;

use super::{HighlightedTitle, RatedResults, opens_link};
use crate::routes::article_path;

/// One article in the search results list.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultItem {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// The category's display name.
    pub category: String,
    pub detail: ResultDetail,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResultDetail {
    /// Found in the downloaded index while typing: the title's matched characters.
    Instant {
        matches: Vec<usize>,
        summary: String,
    },
    /// Found by the server's full-text search: a sanitised snippet with `<mark>`ed terms.
    FullText { snippet_html: String },
}

impl ResultItem {
    /// The id of the result's element, for `aria-activedescendant`.
    pub fn element_id(&self) -> String {
        format!("kb-result-{}", self.id)
    }
}

/// The listbox of results: the articles that answer the search, then those that match only
/// part of it, each group under its own label. The keyboard stays in the search box; `active`
/// is the highlighted position in the strong group followed by the partial one, and `on_open`
/// hears of a result opened with the mouse (its position, counted the same way).
#[component]
pub fn SearchResults(
    id: &'static str,
    #[prop(into)] results: Signal<RatedResults>,
    #[prop(into)] active: Signal<Option<usize>>,
    on_open: Callback<usize>,
) -> impl IntoView {
    let strong = Signal::derive(move || results.with(|results| results.strong.clone()));
    let partial = Signal::derive(move || results.with(|results| results.partial.clone()));
    let active_in_partial = Signal::derive(move || {
        active
            .get()
            .and_then(|position| position.checked_sub(strong.with(Vec::len)))
    });
    let open_partial =
        Callback::new(move |position: usize| on_open.run(strong.with(Vec::len) + position));
    // An empty listbox would be announced as a list without options; the page says "no
    // article answers" instead.
    let is_empty = move || results.with(RatedResults::is_empty);
    view! {
        <div id=id role="listbox" aria-label="Matching articles" class="kb-results" hidden=is_empty>
            <ResultGroup label="Best matches" items=strong active on_open/>
            <ResultGroup label="Partly matching articles" items=partial active=active_in_partial on_open=open_partial/>
        </div>
    }
}

#[component]
fn ResultGroup(
    label: &'static str,
    items: Signal<Vec<ResultItem>>,
    /// The highlighted position within this group.
    active: Signal<Option<usize>>,
    /// Hears of a result opened with the mouse, by its position within this group.
    on_open: Callback<usize>,
) -> impl IntoView {
    let options = move || {
        items
            .get()
            .into_iter()
            .enumerate()
            .map(|(position, item)| {
                let is_active = Signal::derive(move || active.get() == Some(position));
                let on_open = Callback::new(move |()| on_open.run(position));
                view! { <ResultOption item is_active on_open/> }
            })
            .collect_view()
    };
    view! {
        <div role="group" aria-label=label class="kb-result-group" hidden=move || items.with(Vec::is_empty)>
            <p class="kb-result-group-label" aria-hidden="true">{label}</p>
            <ul role="presentation" class="kb-result-list">{options}</ul>
        </div>
    }
}

#[component]
fn ResultOption(item: ResultItem, is_active: Signal<bool>, on_open: Callback<()>) -> impl IntoView {
    let href = article_path(&item.slug);
    let element_id = item.element_id();
    let detail = match item.detail {
        ResultDetail::Instant { matches, summary } => view! {
            <span class="kb-result-title"><HighlightedTitle title=item.title matches/></span>
            <span class="kb-result-text">{summary}</span>
        }
        .into_any(),
        ResultDetail::FullText { snippet_html } => view! {
            <span class="kb-result-title">{item.title}</span>
            // Sanitised by the server: plain text with `<mark>` around the matched terms.
            <span class="kb-result-text" inner_html=snippet_html></span>
        }
        .into_any(),
    };
    view! {
        // The link itself is the option: an option may hold no interactive control, and the
        // link keeps "open in a new tab" for the mouse. Keyboard users choose from the search
        // box, so the link stays out of the tab order.
        <li role="presentation" class="kb-result" class:kb-result-active=move || is_active.get()>
            <a
                href=href
                tabindex="-1"
                role="option"
                id=element_id
                class="kb-result-link"
                aria-selected=move || is_active.get().to_string()
                on:click=move |_| on_open.run(())
                on:auxclick=move |event| {
                    if opens_link(&event) {
                        on_open.run(());
                    }
                }
            >
                {detail}
                <span class="kb-result-category">{item.category}</span>
            </a>
        </li>
    }
}
