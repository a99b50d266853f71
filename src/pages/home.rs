use std::time::Duration;

use lantern_core::api::{KbCategory, KbSearchHit};
use lantern_core::search::{Narrowing, SearchFilters};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api::{self, KbSearchQuery};
use crate::components::kb::{
    CategoryArticles, CategoryList, Download, NoGoodMatch, RatedResults, SearchBox,
    SearchFilterBar, SearchKey, SearchResults, SharedKnowledgeBase, record_opened,
    use_knowledge_base,
};
use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::typing_pause::answer_after_pause;
use crate::routes::{article_path, search_path};
use crate::{page_data, server_page};

const LISTBOX_ID: &str = "kb-results";
const INSTANT_LIMIT: usize = 8;
const CLOSE_MATCH_LIMIT: usize = 5;
const TOP_CATEGORY_LIMIT: usize = 4;
/// Full-text search waits for a pause in typing: the instant results cover every keystroke.
const FULL_TEXT_DELAY: Duration = Duration::from_millis(200);
/// Where the browser has no `requestIdleCallback`, how long after the page showed the index
/// download starts by itself.
const IDLE_FALLBACK_MS: i32 = 1000;

/// The search as the address records it: `/?q=&product=&category=` (empty means "all").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SearchState {
    query: String,
    product: String,
    category: String,
}

impl SearchState {
    fn url(&self) -> String {
        search_path(&self.query, &self.product, &self.category)
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

    fn product(&self) -> Option<&str> {
        (!self.product.is_empty()).then_some(self.product.as_str())
    }

    /// The address that lists one category's articles, about the chosen product.
    fn category_href(&self) -> impl Fn(&str) -> String + 'static + use<> {
        let product = self.product.clone();
        move |slug| {
            SearchState {
                category: slug.to_owned(),
                product: product.clone(),
                ..SearchState::default()
            }
            .url()
        }
    }
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// The categories that came with the page the server rendered, counted for the product its
/// address named: the page shows them without waiting for the index.
#[derive(Clone, Copy)]
struct ServedCategories(StoredValue<Option<(String, Vec<KbCategory>)>>);

impl ServedCategories {
    fn take(product: String) -> Self {
        let categories = page_data::categories();
        Self(StoredValue::new(
            categories.map(|categories| (product, categories)),
        ))
    }

    /// The served categories, if the server counted them for `product`.
    fn about(self, product: &str) -> Option<Vec<KbCategory>> {
        self.0.with_value(|served| {
            served
                .as_ref()
                .filter(|(counted_for, _)| counted_for == product)
                .map(|(_, categories)| categories.clone())
        })
    }
}

/// Whether what the address asks for needs the index: a search, a category's articles, or
/// categories the server did not count.
fn index_needed(served: ServedCategories, state: &SearchState) -> bool {
    !state.query.trim().is_empty()
        || !state.category.is_empty()
        || served.about(&state.product).is_none()
}

/// The latest answer of the full-text search, with the search it answers.
#[derive(Debug, Clone, PartialEq)]
struct FullTextAnswer {
    search: KbSearchQuery,
    hits: Result<Vec<KbSearchHit>, String>,
    /// Names the answer in the vendor's search analytics (none for a failed search, or when
    /// the request went without a visit id).
    search_id: Option<String>,
}

/// `/`: search the knowledge base, with results on every keystroke; browse by category while
/// the search box is empty.
#[component]
pub fn HomePage() -> impl IntoView {
    let kb = use_knowledge_base();
    kb.forget_failure();
    let search = search_in_address();
    let query = search.query;
    let state = search.state;
    let served = ServedCategories::take(state.with_untracked(|state| state.product.clone()));
    let needs_index = move || state.with(|state| index_needed(served, state));
    // With nothing to answer yet, the index waits for the reader to reach for the search box,
    // or for the browser to be idle, so that it never holds up the page.
    let start_download = move || kb.download();
    Effect::new(move |_| {
        if needs_index() {
            start_download();
        }
    });
    // Asked for in an animation frame, the idle time comes after the frame that shows the page.
    request_animation_frame(move || when_idle(start_download));
    // Ready once it shows the served categories, or what the index has to say.
    Effect::new(move |_| {
        if !needs_index()
            || kb.with(|download| matches!(download, Download::Ready(_) | Download::Failed(_)))
        {
            server_page::page_ready();
        }
    });

    // What this search box kept from its previous query, for the next keystroke.
    let narrowing = StoredValue::new(Narrowing::default());
    let instant = Memo::new(move |_| {
        let state = state.get();
        let matches = kb
            .with_index(|kb| {
                let mut narrowing = narrowing.write_value();
                kb.search(
                    &mut narrowing,
                    &state.query,
                    &state.filters(),
                    INSTANT_LIMIT,
                )
            })
            .unwrap_or_default();
        mark_instant_results();
        matches
    });
    let answer = full_text_answers(state);
    let current_answer = Memo::new(move |_| {
        let wanted = state.with(SearchState::full_text_query);
        answer.get().filter(|answer| answer.search == wanted)
    });
    let results = Memo::new(move |_| {
        // Without the index (still loading, or failed) the hits cannot be named and the instant
        // matches are missing: the search counts as not rated rather than as unanswered.
        let full_text = current_answer.with(|answer| match answer {
            Some(FullTextAnswer { hits: Ok(hits), .. }) => {
                kb.with_index(|kb| kb.full_text_items(hits))
            }
            _ => None,
        });
        instant.with(|instant| RatedResults::new(instant, full_text))
    });

    let active = RwSignal::new(None::<usize>);
    // A new search starts with no result highlighted.
    Effect::new(move |_| {
        state.track();
        active.set(None);
    });
    let result_count = move || results.with(RatedResults::len);
    let result_at = move |position: usize| results.with(|results| results.get(position).cloned());
    // An opened result counts for the server's answer to the search shown, instant matches
    // included: they are shown as part of it. Before that answer (or when it failed) there is
    // nothing to count the click against.
    let search_id = Memo::new(move |_| {
        current_answer.with(|answer| answer.as_ref().and_then(|answer| answer.search_id.clone()))
    });
    let on_open = Callback::new(move |position: usize| {
        if let Some(item) = result_at(position) {
            search_id.with_untracked(|id| record_opened(id.as_deref(), &item.slug, position));
        }
    });
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
            if let Some(position) = active.get_untracked()
                && let Some(item) = result_at(position)
            {
                on_open.run(position);
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
            <SearchBox
                query
                listbox_id=LISTBOX_ID
                expanded
                active_id
                on_key
                on_focus=Callback::new(move |()| start_download())
            />
            <SearchFilterBar
                products=Signal::derive(move || {
                    kb.with_index(|kb| kb.products().to_vec()).unwrap_or_default()
                })
                categories=Signal::derive(move || {
                    let state = state.get();
                    served
                        .about(&state.product)
                        .or_else(|| kb.with_index(|kb| kb.categories_for(state.product())))
                        .unwrap_or_default()
                })
                product=Signal::derive(move || state.with(|state| state.product.clone()))
                category=Signal::derive(move || state.with(|state| state.category.clone()))
                on_product=Callback::new(move |product| search.set_filters.run((Some(product), None)))
                on_category=Callback::new(move |category| search.set_filters.run((None, Some(category))))
            />
            <p class="visually-hidden" role="status" aria-live="polite">
                {move || has_query().then(|| results.with(RatedResults::summary))}
            </p>
            {move || kb.with(|download| match download {
                Download::Loading if needs_index() => {
                    view! { <Loading label="Loading the knowledge base…"/> }.into_any()
                }
                Download::Failed(message) => view! {
                    <p class="notice notice-warning" role="alert">
                        "Instant search is unavailable: " {message.clone()}
                    </p>
                }
                .into_any(),
                _ => ().into_any(),
            })}
            <Show when=has_query fallback=move || view! { <Browse kb served state/> }>
                <NoAnswer kb state results/>
                <SearchResults id=LISTBOX_ID results active on_open/>
                <SearchProgress current_answer/>
            </Show>
        </section>
    }
}

/// Runs `task` once the browser has nothing more urgent to do.
fn when_idle(task: impl FnOnce() + 'static) {
    let task = Closure::once_into_js(task);
    if window()
        .request_idle_callback(task.unchecked_ref())
        .is_err()
    {
        // Ignored: without a timer either, the search box's focus still starts the download.
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            task.unchecked_ref(),
            IDLE_FALLBACK_MS,
        );
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
    let search = Memo::new(move |_| state.with(SearchState::full_text_query));
    answer_after_pause(
        search,
        FULL_TEXT_DELAY,
        |search| search.query.is_empty(),
        |search| async move {
            let (hits, search_id) = match api::kb_search(&search).await {
                Ok(results) => (Ok(results.hits), results.search_id),
                Err(error) => (Err(error.to_string()), None),
            };
            Some(FullTextAnswer {
                search,
                hits,
                search_id,
            })
        },
    )
}

/// Once the server has rated the search and no article answers it: says so above the list of
/// partial matches, and offers support.
#[component]
fn NoAnswer(
    kb: SharedKnowledgeBase,
    state: Memo<SearchState>,
    results: Memo<RatedResults>,
) -> impl IntoView {
    move || {
        if !results.with(RatedResults::unanswered) {
            return None;
        }
        let state = state.get();
        let has_partial = results.with(|results| !results.partial.is_empty());
        // Partial matches are the better lead; without any, looser ones and the categories.
        let (close_matches, top_categories) = if has_partial {
            Default::default()
        } else {
            kb.with_index(|kb| {
                (
                    kb.close_matches(&state.query, &state.filters(), CLOSE_MATCH_LIMIT),
                    kb.top_categories(state.product(), TOP_CATEGORY_LIMIT),
                )
            })
            .unwrap_or_default()
        };
        let category_href = state.category_href();
        Some(view! {
            <NoGoodMatch query=state.query has_partial close_matches top_categories category_href/>
        })
    }
}

/// Below the results: a note while the full-text search runs, since its answer may add results
/// and regroup them, or that it failed.
#[component]
fn SearchProgress(current_answer: Memo<Option<FullTextAnswer>>) -> impl IntoView {
    move || match current_answer.get() {
        None => {
            Some(view! { <p class="kb-searching">"Searching the article text…"</p> }.into_any())
        }
        Some(FullTextAnswer {
            hits: Err(message), ..
        }) => Some(
            view! {
                <p class="notice notice-warning">"Searching the article text failed: " {message}</p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

/// While the search box is empty: every category, or the articles of the chosen category, with
/// only the articles about the chosen product.
#[component]
fn Browse(
    kb: SharedKnowledgeBase,
    served: ServedCategories,
    state: Memo<SearchState>,
) -> impl IntoView {
    move || {
        let state = state.get();
        let served_categories = served.about(&state.product);
        if let Some(categories) = served_categories.filter(|_| state.category.is_empty()) {
            // Not redrawn when the index arrives with the same categories: that would only take
            // the focus from a reader's link.
            let category_href = state.category_href();
            return Some(view! { <CategoryList categories category_href/> }.into_any());
        }
        kb.with_index(|kb| {
            let product = state.product();
            if state.category.is_empty() {
                view! {
                    <CategoryList
                        categories=kb.categories_for(product)
                        category_href=state.category_href()
                    />
                }
                .into_any()
            } else {
                view! {
                    <CategoryArticles
                        name=kb.category_name(&state.category)
                        articles=kb.articles_in(&state.category, product)
                    />
                }
                .into_any()
            }
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
    use lantern_core::addresses::category_path;

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

    #[test]
    fn a_search_address_escapes_each_value() {
        let search = SearchState {
            query: "restore a&b é?".into(),
            product: "harbor-backup".into(),
            category: String::new(),
        };
        assert_eq!(
            search.url(),
            "/?q=restore%20a%26b%20%C3%A9%3F&product=harbor-backup"
        );
    }

    #[test]
    fn a_category_links_where_the_server_rendered_page_does() {
        let category = SearchState {
            category: "backup & restore".into(),
            product: "harbor-backup".into(),
            ..SearchState::default()
        };
        assert_eq!(
            category.url(),
            category_path("backup & restore", Some("harbor-backup"))
        );
    }
}
