use std::sync::Arc;

use lantern_core::api::READ_ARTICLE_PARAMETER;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::loading::Loading;
use crate::components::page_title::PageTitle;
use crate::components::wizard::TicketWizard;
use crate::routes::SUBJECT_PARAMETER;
use crate::session::use_session;
use crate::support_policy::use_support_policy;

/// `/tickets/new`: the new-ticket wizard. Signed-in only; `?subject=` starts a new draft with
/// that subject (the knowledge base's "Create a ticket"), `?article=` with that article noted
/// as read (an article's "Still need help?").
#[component]
pub fn NewTicketPage() -> impl IntoView {
    let policy = use_support_policy();
    let (subject, read_article) = use_query_map().with_untracked(|query| {
        let given = |name: &str| query.get(name).filter(|value| !value.trim().is_empty());
        (given(SUBJECT_PARAMETER), given(READ_ARTICLE_PARAMETER))
    });
    // `RequireSignIn` shows this page only once someone is signed in.
    let me = use_session().me();
    view! {
        <PageTitle text="New ticket"/>
        <section class="page wizard-page">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || {
                    let me = me.clone()?;
                    let subject = subject.clone();
                    let read_article = read_article.clone();
                    policy.get().map(|answer| {
                        answer.map(|policy| {
                            let policy = Arc::unwrap_or_clone(policy);
                            view! { <TicketWizard policy me subject read_article/> }
                        })
                    })
                }}
            </Suspense>
        </section>
    }
}
