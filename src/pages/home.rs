use std::time::Duration;

use lantern_core::api::KbSearchHit;
use lantern_core::search::SearchFilters;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, KbSearchQuery};
use crate::components::kb::{
    CategoryArticles, CategoryList, KnowledgeBase, NoResults, ResultItem, SearchBox,
    SearchFilterBar, SearchKey, SearchResults, article_path,
};
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;

const LISTBOX_ID: &str = "kb-results";
const INSTANT_LIMIT: usize = 8;
const CLOSE_MATCH_LIMIT: usize = 5;
const TOP_CATEGORY_LIMIT: usize = 4;
/// Full-text search waits for a pause in typing: the instant results cover every keystroke.
const FULL_TEXT_DELAY: Duration = Duration::from_millis(200);

/// The search as the address records it: `/?q=&product=&category=` (empty means "all").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SearchState {
    query: String,
    product: String,
    category: String,
}

impl SearchState {
    fn url(&self) -> String {
        let params: Vec<String> = [
            ("q", &self.query),
            ("product", &self.product),
            ("category", &self.category),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
        if params.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", params.join("&"))
        }
    }

    fn filters(&self) -> SearchFilters {
        SearchFilters {
            product: non_empty(&self.product),
            category: non_empty(&self.category),
        }
    }

    fn full_text_query(&self) -> KbSearchQuery {
        KbSearchQuery {
            query: self.query.trim().to_owned(),
            product: non_empty(&self.product),
            category: non_empty(&self.category),
        }
    }
}

/// The address that lists one category's articles.
fn category_href(slug: &str) -> String {
    SearchState {
        category: slug.to_owned(),
        ..SearchState::default()
    }
    .url()
}

fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// Downloading the index: until it is there, only the search box shows.
#[derive(Debug, Clone, PartialEq)]
enum Download {
    Loading,
    Ready,
    Failed(String),
}

/// The latest answer of the full-text search, with the search it answers.
#[derive(Debug, Clone, PartialEq)]
struct FullTextAnswer {
    search: KbSearchQuery,
    hits: Result<Vec<KbSearchHit>, String>,
}

/// `/`: search the knowledge base, with results on every keystroke; browse by category while
/// the search box is empty.
#[component]
pub fn HomePage() -> impl IntoView {
    let kb = StoredValue::new(None::<KnowledgeBase>);
    let download = RwSignal::new(Download::Loading);
    spawn_local(async move {
        let state = match api::kb_index().await {
            Ok(index) => {
                kb.try_set_value(Some(KnowledgeBase::new(index)));
                Download::Ready
            }
            Err(error) => Download::Failed(error.to_string()),
        };
        download.try_set(state);
    });
    let search = search_in_address();
    let query = search.query;
    let state = search.state;

    let instant = Memo::new(move |_| {
        let state = state.get();
        download.track();
        let items = kb
            .try_update_value(|kb| {
                kb.as_mut()
                    .map(|kb| kb.search(&state.query, &state.filters(), INSTANT_LIMIT))
            })
            .flatten()
            .unwrap_or_default();
        mark_instant_results();
        items
    });
    let answer = full_text_answers(state);
    let current_answer = Memo::new(move |_| {
        let wanted = state.with(SearchState::full_text_query);
        answer.get().filter(|answer| answer.search == wanted)
    });
    let full_text = Memo::new(move |_| {
        let hits = current_answer.with(|answer| match answer {
            Some(FullTextAnswer { hits: Ok(hits), .. }) => hits.clone(),
            _ => Vec::new(),
        });
        instant.with(|shown| {
            kb.with_value(|kb| {
                kb.as_ref()
                    .map(|kb| kb.full_text_items(&hits, shown))
                    .unwrap_or_default()
            })
        })
    });

    let active = RwSignal::new(None::<usize>);
    // A new search starts with no result highlighted.
    Effect::new(move |_| {
        state.track();
        active.set(None);
    });
    let result_count = move || instant.with(Vec::len) + full_text.with(Vec::len);
    let result_at = move |position: usize| {
        let instant_count = instant.with(Vec::len);
        if position < instant_count {
            instant.with(|items| items.get(position).cloned())
        } else {
            full_text.with(|items| items.get(position - instant_count).cloned())
        }
    };
    let active_id = Signal::derive(move || {
        active
            .get()
            .and_then(result_at)
            .map(|item| item.element_id())
    });
    let navigate = use_navigate();
    let on_key = Callback::new(move |key: SearchKey| match key {
        SearchKey::Down => active.set(step_down(active.get_untracked(), result_count())),
        SearchKey::Up => active.set(step_up(active.get_untracked())),
        SearchKey::Enter => {
            if let Some(item) = active.get_untracked().and_then(result_at) {
                navigate(&article_path(&item.slug), NavigateOptions::default());
            }
        }
        SearchKey::Escape => query.set(String::new()),
    });
    Effect::new(move |_| {
        if let Some(id) = active_id.get() {
            scroll_into_view(&id);
        }
    });
    let has_query = move || state.with(|state| !state.query.trim().is_empty());
    let expanded = Signal::derive(move || has_query() && result_count() > 0);

    view! {
        <PageTitle text="Knowledge base"/>
        <section class="page kb-home">
            <h1>"How can we help?"</h1>
            <SearchBox query listbox_id=LISTBOX_ID expanded active_id on_key/>
            <SearchFilterBar
                products=Signal::derive(move || {
                    download.track();
                    kb.with_value(|kb| kb.as_ref().map(|kb| kb.products().to_vec()).unwrap_or_default())
                })
                categories=Signal::derive(move || {
                    download.track();
                    kb.with_value(|kb| kb.as_ref().map(|kb| kb.categories().to_vec()).unwrap_or_default())
                })
                product=Signal::derive(move || state.with(|state| state.product.clone()))
                category=Signal::derive(move || state.with(|state| state.category.clone()))
                on_product=Callback::new(move |product| search.set_filters.run((Some(product), None)))
                on_category=Callback::new(move |category| search.set_filters.run((None, Some(category))))
            />
            <p class="visually-hidden" role="status" aria-live="polite">
                {move || has_query().then(|| result_summary(result_count()))}
            </p>
            {move || match download.get() {
                Download::Loading => view! { <Loading label="Loading the knowledge base…"/> }.into_any(),
                Download::Failed(message) => view! {
                    <p class="notice notice-warning" role="alert">
                        "Instant search is unavailable: " {message}
                    </p>
                }
                .into_any(),
                Download::Ready => ().into_any(),
            }}
            <Show when=has_query fallback=move || view! { <Browse kb state download/> }>
                <SearchResults id=LISTBOX_ID instant full_text active/>
                <SearchProgress kb state instant full_text current_answer download/>
            </Show>
        </section>
    }
}

/// The search box's text and the search in the address, kept in step: typing replaces the
/// address (so reload and back keep the search), and going back or forward fills the box.
#[derive(Clone, Copy)]
struct AddressedSearch {
    query: RwSignal<String>,
    state: Memo<SearchState>,
    /// Sets the product and/or category filter (`None` keeps the current one).
    set_filters: Callback<(Option<String>, Option<String>)>,
}

fn search_in_address() -> AddressedSearch {
    let query_map = use_query_map();
    let address = Memo::new(move |_| {
        query_map.with(|map| SearchState {
            query: map.get("q").unwrap_or_default(),
            product: map.get("product").unwrap_or_default(),
            category: map.get("category").unwrap_or_default(),
        })
    });
    let query = RwSignal::new(address.with_untracked(|address| address.query.clone()));
    let navigate = use_navigate();
    let replace_address = Callback::new(move |state: SearchState| {
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..NavigateOptions::default()
        };
        navigate(&state.url(), options);
    });
    // The box follows the address when the address changes by itself (back, forward, a link).
    Effect::new(move |_| {
        let wanted = address.with(|address| address.query.clone());
        if query.with_untracked(|query| *query != wanted) {
            query.set(wanted);
        }
    });
    // The address follows the box.
    Effect::new(move |_| {
        let typed = query.get();
        let current = address.get_untracked();
        if current.query != typed {
            replace_address.run(SearchState {
                query: typed,
                ..current
            });
        }
    });
    let set_filters = Callback::new(
        move |(product, category): (Option<String>, Option<String>)| {
            let current = address.get_untracked();
            replace_address.run(SearchState {
                product: product.unwrap_or(current.product),
                category: category.unwrap_or(current.category),
                query: query.get_untracked(),
            });
        },
    );
    // The typed text leads: the address may lag a keystroke behind it.
    let state = Memo::new(move |_| SearchState {
        query: query.get(),
        ..address.get()
    });
    AddressedSearch {
        query,
        state,
        set_filters,
    }
}

/// Asks the server's full-text search once typing pauses, and keeps its latest answer.
fn full_text_answers(state: Memo<SearchState>) -> ReadSignal<Option<FullTextAnswer>> {
    let (answer, set_answer) = signal(None::<FullTextAnswer>);
    Effect::new(move |pending: Option<Option<TimeoutHandle>>| {
        if let Some(Some(pending)) = pending {
            pending.clear();
        }
        let search = state.with(SearchState::full_text_query);
        if search.query.is_empty() {
            return None;
        }
        let ask = move || {
            spawn_local(async move {
                let hits = api::kb_search(&search)
                    .await
                    .map(|results| results.hits)
                    .map_err(|error| error.to_string());
                set_answer.try_set(Some(FullTextAnswer { search, hits }));
            })
        };
        set_timeout_with_handle(ask, FULL_TEXT_DELAY).ok()
    });
    answer
}

/// Below the results: a note while the full-text search runs, or what to do without results.
#[component]
fn SearchProgress(
    kb: StoredValue<Option<KnowledgeBase>>,
    state: Memo<SearchState>,
    instant: Memo<Vec<ResultItem>>,
    full_text: Memo<Vec<ResultItem>>,
    current_answer: Memo<Option<FullTextAnswer>>,
    download: RwSignal<Download>,
) -> impl IntoView {
    move || {
        let found_some =
            instant.with(|items| !items.is_empty()) || full_text.with(|items| !items.is_empty());
        let answer = current_answer.get();
        match answer {
            None if !found_some => {
                view! { <p class="kb-searching">"Searching the article text…"</p> }.into_any()
            }
            Some(FullTextAnswer {
                hits: Err(message), ..
            }) => view! {
                <p class="notice notice-warning">"Searching the article text failed: " {message}</p>
            }
            .into_any(),
            Some(_) if !found_some && download.get() != Download::Loading => {
                let state = state.get();
                let (close_matches, top_categories) = kb.with_value(|kb| {
                    kb.as_ref()
                        .map(|kb| {
                            (
                                kb.close_matches(&state.query, &state.filters(), CLOSE_MATCH_LIMIT),
                                kb.top_categories(TOP_CATEGORY_LIMIT),
                            )
                        })
                        .unwrap_or_default()
                });
                view! { <NoResults query=state.query close_matches top_categories category_href/> }
                    .into_any()
            }
            _ => ().into_any(),
        }
    }
}

/// While the search box is empty: every category, or the articles of the chosen category.
#[component]
fn Browse(
    kb: StoredValue<Option<KnowledgeBase>>,
    state: Memo<SearchState>,
    download: RwSignal<Download>,
) -> impl IntoView {
    move || {
        download.track();
        let category = state.with(|state| state.category.clone());
        kb.with_value(|kb| {
            let kb = kb.as_ref()?;
            Some(if category.is_empty() {
                view! { <CategoryList categories=kb.categories().to_vec() category_href/> }.into_any()
            } else {
                view! {
                    <CategoryArticles name=kb.category_name(&category) articles=kb.articles_in(&category)/>
                }
                .into_any()
            })
        })
    }
}

fn step_down(active: Option<usize>, count: usize) -> Option<usize> {
    match active {
        _ if count == 0 => None,
        None => Some(0),
        Some(position) => Some((position + 1).min(count - 1)),
    }
}

/// Up from the first result returns to the typed text.
fn step_up(active: Option<usize>) -> Option<usize> {
    active.and_then(|position| position.checked_sub(1))
}

fn result_summary(count: usize) -> String {
    match count {
        0 => "No matching articles yet.".to_owned(),
        1 => "1 matching article.".to_owned(),
        count => format!("{count} matching articles."),
    }
}

/// Marks the browser's performance timeline each time instant results are ready, so the
/// search benchmark can time keystrokes in the real page.
fn mark_instant_results() {
    if let Some(performance) = window().performance() {
        // Ignored: a failed mark only leaves a gap in a benchmark's timeline.
        let _ = performance.mark("kb-instant-results");
    }
}

/// Keeps the highlighted result visible in a long list.
fn scroll_into_view(element_id: &str) {
    if let Some(element) = document().get_element_by_id(element_id) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_stay_within_the_results() {
        assert_eq!(step_down(None, 3), Some(0));
        assert_eq!(step_down(Some(1), 3), Some(2));
        assert_eq!(step_down(Some(2), 3), Some(2));
        assert_eq!(step_down(None, 0), None);
        assert_eq!(step_up(Some(1)), Some(0));
        assert_eq!(step_up(Some(0)), None);
        assert_eq!(step_up(None), None);
    }

    #[test]
    fn an_empty_search_is_the_bare_home_address() {
        assert_eq!(SearchState::default().url(), "/");
    }
}
