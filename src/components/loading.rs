use leptos::prelude::*;

/// A spinner with a text for screen readers and sighted people alike; the `Suspense` fallback
/// of every page that loads data.
#[component]
pub fn Loading(#[prop(optional, into)] label: Option<String>) -> impl IntoView {
    let label = label.unwrap_or_else(|| "Loading…".to_owned());
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
        </div>
    }
}

/// A thin bar across the top of the window while the router opens another page, whose part of
/// the app or data is still on the way. It shows only after a moment (see `style/main.css`), so
/// quick page changes show nothing.
#[component]
pub fn PageLoadingBar(#[prop(into)] loading: Signal<bool>) -> impl IntoView {
    view! {
        <div
            class="page-loading-bar"
            role="progressbar"
            aria-label="Opening the page"
            hidden=move || !loading.get()
        ></div>
    }
}
