use lantern_core::api::{KbSuggestion, KbSuggestionRequest, KbSuggestions};
use leptos::prelude::*;

use super::TYPING_PAUSE;
use lantern_core::ticket::TicketDraftStoreFields;

use super::draft_fields::DraftStore;
use crate::api;
use crate::components::kb::{opens_link, record_opened};
use crate::components::typing_pause::answer_after_pause;
use crate::routes::article_path;

/// The server sends at most this many; enough to help, few enough to read beside the form.
const MAX_SUGGESTIONS: usize = 5;

/// An article the customer says solved the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolvedBy {
    pub slug: String,
    pub title: String,
}

/// Articles that may answer the question before it becomes a ticket, chosen by the server from
/// the subject, the description, the product and the case type: strong matches only, so a
/// vague subject gets none.
#[component]
pub fn SuggestedArticles(draft: DraftStore, on_solved: Callback<SolvedBy>) -> impl IntoView {
    let request = Memo::new(move |_| suggestion_request(draft));
    let suggestions = suggestions_for(request);
    view! {
        <aside class="suggested-articles" aria-labelledby="suggested-articles-title">
            <h3 id="suggested-articles-title">"Suggested articles"</h3>
            <p class="visually-hidden" aria-live="polite">
                {move || summary(suggestions.with(|answer| answer.articles.len()))}
            </p>
            {move || {
                let KbSuggestions { articles, search_id } = suggestions.get();
                if articles.is_empty() {
                    return view! {
                        <p class="suggested-articles-empty">
                            "As you describe the problem, articles that may solve it appear here."
                        </p>
                    }
                    .into_any();
                }
                let items = articles
                    .into_iter()
                    .enumerate()
                    .map(|(position, article)| {
                        let search_id = search_id.clone();
                        view! { <Suggestion article search_id position on_solved/> }
                    })
                    .collect_view();
                view! { <ul class="suggested-articles-list">{items}</ul> }.into_any()
            }}
        </aside>
    }
}

/// One suggested article: a link to read it (the draft is kept meanwhile), what it is about,
/// and a button to say it solved the problem. Opening it counts as a click on the answer
/// `search_id` at `position`; "solved" is recorded by the wizard as a deflection of this visit,
/// which is what the self-service funnel counts.
#[component]
fn Suggestion(
    article: KbSuggestion,
    search_id: Option<String>,
    position: usize,
    on_solved: Callback<SolvedBy>,
) -> impl IntoView {
    let solved = SolvedBy {
        slug: article.slug.clone(),
        title: article.title.clone(),
    };
    let slug = article.slug.clone();
    let opened = move || record_opened(search_id.as_deref(), &slug, position);
    let opened_in_new_tab = opened.clone();
    view! {
        <li class="suggested-article">
            <a
                href=article_path(&article.slug)
                on:click=move |_| opened()
                on:auxclick=move |event| {
                    if opens_link(&event) {
                        opened_in_new_tab();
                    }
                }
            >
                {article.title.clone()}
            </a>
            <span class="suggested-article-summary">{article.summary}</span>
            <button
                type="button"
                class="button button-quiet"
                aria-label=format!("{} solved my problem", article.title)
                on:click=move |_| on_solved.run(solved.clone())
            >
                "This solved my problem"
            </button>
        </li>
    }
}

/// What the draft says so far about the problem (reactive). The server picks the telling words,
/// so the text goes as it is, however long.
fn suggestion_request(draft: DraftStore) -> KbSuggestionRequest {
    let chosen = |id: String| Some(id).filter(|id| !id.is_empty());
    KbSuggestionRequest {
        subject: draft.subject().get().trim().to_owned(),
        description: draft.description().get().trim().to_owned(),
        product: chosen(draft.product().get()),
        case_type: chosen(draft.case_type().get()),
    }
}

/// The server's suggestions for the latest request, asked once typing pauses. Suggestions are
/// a help, not a duty: a failed request shows none.
fn suggestions_for(request: Memo<KbSuggestionRequest>) -> ReadSignal<KbSuggestions> {
    answer_after_pause(
        request,
        TYPING_PAUSE,
        |request| request.subject.is_empty() && request.description.is_empty(),
        |request| async move {
            let mut found = api::kb_suggestions(&request).await.unwrap_or_default();
            found.articles.truncate(MAX_SUGGESTIONS);
            found
        },
    )
}

fn summary(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => "1 suggested article.".to_owned(),
        count => format!("{count} suggested articles."),
    }
}
