use leptos::prelude::*;

use crate::server_page;

/// Shows the page, or a readable message in its place when loading its data failed.
///
/// Every route gets its own boundary (see `app.rs`): an error boundary around `<Routes>` does
/// not see errors of the routed pages in Leptos 0.8, and a per-page boundary also clears itself
/// when the person navigates elsewhere.
#[component]
pub fn PageOrError(children: Children) -> impl IntoView {
    view! {
        <ErrorBoundary fallback=|errors| view! { <ErrorMessage errors/> }>
            {children()}
        </ErrorBoundary>
    }
}

/// What the error boundary shows instead of a blank page when loading a page's data failed.
#[component]
fn ErrorMessage(errors: ArcRwSignal<Errors>) -> impl IntoView {
    server_page::page_ready();
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| view! { <li>{error.to_string()}</li> })
            .collect_view()
    };
    view! {
        <section class="card error-card" role="alert">
            <h1>"Something went wrong"</h1>
            <ul class="error-list">{messages}</ul>
            <p>
                "Try again in a moment, or go back to the "
                <a href="/">"knowledge base"</a>
                "."
            </p>
        </section>
    }
}
