use lantern_core::api::SessionSummary;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::form::Submission;
use crate::components::loading::Loading;
use crate::components::tickets::RelativeTime;
use crate::components::wizard::focus;

pub const HEADING_ID: &str = "sessions-heading";

/// The browsers the person is signed in with, the most recently used first, "this browser"
/// marked; each other one can be signed out. `sessions` is the page's list, loaded again after
/// every change.
#[component]
pub fn SessionList(
    sessions: LocalResource<Result<Vec<SessionSummary>, ApiError>>,
) -> impl IntoView {
    let end = Submission::new(move |session: &SessionSummary| {
        let session = session.clone();
        async move {
            api::end_session(&session.id).await?;
            sessions.refetch();
            // The button that had the focus is gone.
            focus::element(HEADING_ID);
            Ok::<_, ApiError>(browser_name(&session))
        }
    });
    let (signed_out, failure) = (end.answer(), end.failure());
    let outcome = move || {
        if let Some(browser) = signed_out.get() {
            Some(view! { <p>{format!("{browser} has been signed out.")}</p> }.into_any())
        } else {
            failure
                .get()
                .map(|error| view! { <p class="form-error">{error.to_string()}</p> }.into_any())
        }
    };
    view! {
        <div class="session-outcome" aria-live="polite">{outcome}</div>
        {move || match sessions.get() {
            None => view! { <Loading label="Loading your sessions…"/> }.into_any(),
            Some(Err(error)) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <ul class="session-list">
                    {list
                        .into_iter()
                        .map(|session| view! { <SessionItem session end/> })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        }}
    }
}

/// One browser: what it is, when it signed in and was last used, and "Sign out" for others.
#[component]
fn SessionItem(session: SessionSummary, end: Submission<SessionSummary, String>) -> impl IntoView {
    let described_id = format!("session-{}", session.id);
    let name = browser_name(&session);
    let ending = {
        let (id, sending) = (session.id.clone(), end.sending());
        move || sending.with(|sending| sending.as_ref().is_some_and(|s| s.id == id))
    };
    let sign_out = (!session.current).then(|| {
        let session = session.clone();
        view! {
            <button
                type="button"
                class="button button-quiet"
                aria-describedby=described_id.clone()
                disabled=ending
                on:click=move |_| end.submit(session.clone())
            >
                "Sign out"
            </button>
        }
    });
    view! {
        <li class="session" class:session-current=session.current>
            <div id=described_id.clone() class="session-details">
                <p class="session-browser">
                    <strong>{name}</strong>
                    {session.current.then(|| view! { <span class="session-this">"This browser"</span> })}
                </p>
                <p class="session-times">
                    "Signed in " <RelativeTime at=session.signed_in_at/>
                    ", last active " <RelativeTime at=session.last_seen_at/>
                </p>
            </div>
            {sign_out}
        </li>
    }
}

fn browser_name(session: &SessionSummary) -> String {
    session
        .browser
        .clone()
        .unwrap_or_else(|| "A browser that did not say what it is".to_owned())
}
