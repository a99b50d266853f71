use std::time::Duration;

use lantern_core::search::SearchFilters;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, KbSearchQuery};
use crate::components::kb::{KnowledgeBase, ResultItem, article_path};

/// How many suggestions show beside the form: enough to help, few enough to read.
const SUBJECT_LIMIT: usize = 3;
const TOTAL_LIMIT: usize = 5;
/// The description is searched once typing pauses; the subject on every keystroke.
const DESCRIPTION_DELAY: Duration = Duration::from_millis(500);
/// The server refuses longer queries; the first words of a description carry its topic.
const MAX_QUERY_CHARS: usize = 180;
/// A shorter description is not worth a search yet.
const MIN_DESCRIPTION_CHARS: usize = 12;

/// An article the customer says solved the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolvedBy {
    pub slug: String,
    pub title: String,
}

/// Articles that may answer the question before it becomes a ticket: instant fuzzy matches on
/// the subject, then full-text matches on the description.
#[component]
pub fn SuggestedArticles(
    #[prop(into)] subject: Signal<String>,
    #[prop(into)] description: Signal<String>,
    on_solved: Callback<SolvedBy>,
) -> impl IntoView {
    let kb = StoredValue::new(None::<KnowledgeBase>);
    let loaded = RwSignal::new(false);
    spawn_local(async move {
        // Without the index there are simply no instant suggestions; the form works regardless.
        if let Ok(index) = api::kb_index().await {
            kb.try_set_value(Some(KnowledgeBase::new(index)));
            loaded.try_set(true);
        }
    });
    let by_subject = Memo::new(move |_| {
        loaded.track();
        let subject = subject.get();
        kb.try_update_value(|kb| {
            kb.as_mut()
                .map(|kb| kb.search(&subject, &SearchFilters::default(), SUBJECT_LIMIT))
        })
        .flatten()
        .unwrap_or_default()
    });
    let description_hits = full_text_hits(description);
    let suggestions = Memo::new(move |_| {
        let mut items = by_subject.get();
        let more = description_hits.with(|hits| {
            kb.with_value(|kb| {
                kb.as_ref()
                    .map(|kb| kb.full_text_items(hits, &items))
                    .unwrap_or_default()
            })
        });
        items.extend(more);
        items.truncate(TOTAL_LIMIT);
        items
    });
    view! {
        <aside class="suggested-articles" aria-labelledby="suggested-articles-title">
            <h3 id="suggested-articles-title">"Suggested articles"</h3>
            <p class="visually-hidden" aria-live="polite">{move || summary(suggestions.with(Vec::len))}</p>
            {move || {
                if suggestions.with(Vec::is_empty) {
                    return view! {
                        <p class="suggested-articles-empty">
                            "As you describe the problem, articles that may solve it appear here."
                        </p>
                    }
                    .into_any();
                }
                let items = suggestions
                    .get()
                    .into_iter()
                    .map(|item| view! { <Suggestion item on_solved/> })
                    .collect_view();
                view! { <ul class="suggested-articles-list">{items}</ul> }.into_any()
            }}
        </aside>
    }
}

/// One suggested article: a link to read it (the draft is kept meanwhile) and a button to say
/// it solved the problem.
#[component]
fn Suggestion(item: ResultItem, on_solved: Callback<SolvedBy>) -> impl IntoView {
    let solved = SolvedBy {
        slug: item.slug.clone(),
        title: item.title.clone(),
    };
    view! {
        <li class="suggested-article">
            <a href=article_path(&item.slug)>{item.title.clone()}</a>
            <span class="suggested-article-category">{item.category}</span>
            <button
                type="button"
                class="button button-quiet"
                aria-label=format!("{} solved my problem", item.title)
                on:click=move |_| on_solved.run(solved.clone())
            >
                "This solved my problem"
            </button>
        </li>
    }
}

/// The server's full-text hits for the description, asked once typing pauses.
fn full_text_hits(description: Signal<String>) -> ReadSignal<Vec<lantern_core::api::KbSearchHit>> {
    let (hits, set_hits) = signal(Vec::new());
    Effect::new(move |pending: Option<Option<TimeoutHandle>>| {
        if let Some(Some(pending)) = pending {
            pending.clear();
        }
        let Some(query) = description_query(&description.get()) else {
            set_hits.set(Vec::new());
            return None;
        };
        let ask = move || {
            spawn_local(async move {
                let search = KbSearchQuery {
                    query,
                    ..KbSearchQuery::default()
                };
                // Suggestions are a help, not a duty: a failed search shows none.
                let found = api::kb_search(&search)
                    .await
                    .map(|results| results.hits)
                    .unwrap_or_default();
                set_hits.try_set(found);
            })
        };
        set_timeout_with_handle(ask, DESCRIPTION_DELAY).ok()
    });
    hits
}

/// The start of the description, cut at a word boundary to fit the search's limit; `None`
/// while it is too short to search.
fn description_query(description: &str) -> Option<String> {
    let text = description.trim();
    if text.chars().count() < MIN_DESCRIPTION_CHARS {
        return None;
    }
    let mut query = String::new();
    for word in text.split_whitespace() {
        if query.chars().count() + word.chars().count() + 1 > MAX_QUERY_CHARS {
            break;
        }
        if !query.is_empty() {
            query.push(' ');
        }
        query.push_str(word);
    }
    (!query.is_empty()).then_some(query)
}

fn summary(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => "1 suggested article.".to_owned(),
        count => format!("{count} suggested articles."),
    }
}

#[cfg(test)]
mod tests {
    use super::description_query;

    #[test]
    fn short_descriptions_are_not_searched() {
        assert_eq!(description_query("  restore "), None);
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word_boundary() {
        let description = "restore fails ".repeat(40);
        let query = description_query(&description).expect("long enough");
        assert!(query.chars().count() <= 180);
        assert!(query.ends_with("restore") || query.ends_with("fails"));
    }
}
