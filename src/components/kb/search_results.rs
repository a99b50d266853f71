use leptos::prelude::*;

use super::{HighlightedTitle, article_path};

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

/// The listbox of results: instant title matches first, then full-text matches from the
/// article text. The keyboard stays in the search box; `active` is the highlighted position
/// in `instant` followed by `full_text`.
#[component]
pub fn SearchResults(
    id: &'static str,
    #[prop(into)] instant: Signal<Vec<ResultItem>>,
    #[prop(into)] full_text: Signal<Vec<ResultItem>>,
    #[prop(into)] active: Signal<Option<usize>>,
) -> impl IntoView {
    let instant_count = move || instant.with(Vec::len);
    let active_in_full_text = Signal::derive(move || {
        active
            .get()
            .and_then(|position| position.checked_sub(instant_count()))
    });
    // An empty listbox would be announced as a list without options; the page says "no
    // articles match" instead.
    let is_empty = move || instant.with(Vec::is_empty) && full_text.with(Vec::is_empty);
    view! {
        <div id=id role="listbox" aria-label="Matching articles" class="kb-results" hidden=is_empty>
            <ResultGroup label="Titles" items=instant active=active/>
            <Show when=move || full_text.with(|items| !items.is_empty())>
                <ResultGroup
                    label="Also mentioned in these articles"
                    items=full_text
                    active=active_in_full_text
                />
            </Show>
        </div>
    }
}

#[component]
fn ResultGroup(
    label: &'static str,
    items: Signal<Vec<ResultItem>>,
    /// The highlighted position within this group.
    active: Signal<Option<usize>>,
) -> impl IntoView {
    let options = move || {
        items
            .get()
            .into_iter()
            .enumerate()
            .map(|(position, item)| {
                let is_active = Signal::derive(move || active.get() == Some(position));
                view! { <ResultOption item is_active/> }
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
fn ResultOption(item: ResultItem, is_active: Signal<bool>) -> impl IntoView {
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
            >
                {detail}
                <span class="kb-result-category">{item.category}</span>
            </a>
        </li>
    }
}
