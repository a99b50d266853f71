use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::api;
use crate::components::form::Submission;
use crate::routes::sign_in_path;
use crate::session::use_session;

/// The bar at the top of every page: the Lantern name, the main navigation and who is signed in.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <BrandLink/>
                <MainNav/>
                <AccountArea/>
            </div>
        </header>
    }
}

/// Lets keyboard users jump past the header straight to the page's content.
#[component]
pub fn SkipLink() -> impl IntoView {
    // `rel="external"` leaves the click to the browser, which focuses the target; the router
    // would turn it into a navigation that moves no focus.
    view! { <a class="skip-link" href="#main" rel="external">"Skip to content"</a> }
}

#[component]
fn BrandLink() -> impl IntoView {
    view! {
        <a class="brand" href="/">
            <svg class="brand-logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                <rect width="32" height="32" rx="7" fill="#1d4ed8"></rect>
                <path d="M16 5c-3 4-6 7-6 11a6 6 0 0 0 12 0c0-4-3-7-6-11z" fill="#fde68a"></path>
                <rect x="12" y="24" width="8" height="3" rx="1" fill="#fde68a"></rect>
            </svg>
            <span class="brand-name">"Lantern"</span>
            <span class="brand-suffix">"Support"</span>
        </a>
    }
}

/// The main links; on a narrow screen they fold into a "Menu" that opens them (a `<details>`,
/// so the server's page opens it too, before and without the app). Wide, they are always shown
/// (`style/main.css`).
#[component]
fn MainNav() -> impl IntoView {
    let open = RwSignal::new(false);
    let location = use_location();
    // A chosen link opens another page; the menu should not stay open over it.
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    view! {
        <nav class="main-nav" aria-label="Main">
            <details
                class="main-nav-menu"
                prop:open=open
                on:toggle=move |event| open.set(event_target::<Element>(&event).has_attribute("open"))
                on:keydown=move |event| close_on_escape(&event, open)
            >
                <summary class="button button-quiet main-nav-toggle">"Menu"</summary>
                <ul>
                    <li><A href="/" exact=true>"Knowledge base"</A></li>
                    <li><A href="/tickets/new">"New ticket"</A></li>
                    <li><A href="/tickets" exact=true>"My tickets"</A></li>
                    <li><A href="/support">"Support"</A></li>
                </ul>
            </details>
        </nav>
    }
}

/// Escape closes an open menu and leaves the focus on its button, as it does for any popup.
fn close_on_escape(event: &KeyboardEvent, open: RwSignal<bool>) {
    if event.key() != "Escape" || !open.get_untracked() {
        return;
    }
    open.set(false);
    let toggle = event_target::<Element>(event)
        .closest("details")
        .ok()
        .flatten()
        .and_then(|menu| menu.query_selector("summary").ok().flatten())
        .and_then(|summary| summary.dyn_into::<HtmlElement>().ok());
    if let Some(toggle) = toggle {
        // Ignored: a summary can always take the focus.
        let _ = toggle.focus();
    }
}

/// The signed-in person's name and "Sign out", or a "Sign in" link.
#[component]
fn AccountArea() -> impl IntoView {
    let session = use_session();
    view! {
        <div class="account">
            {move || match session.me() {
                Some(me) => view! {
                    <span class="account-name">{me.name}</span>
                    <A href="/account">"Account"</A>
                    <SignOutButton/>
                }
                .into_any(),
                None => view! { <SignInLink/> }.into_any(),
            }}
        </div>
    }
}

/// Links to the sign-in page, which brings the person back to the page they were on.
#[component]
fn SignInLink() -> impl IntoView {
    let location = use_location();
    let href = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get());
        sign_in_path(&here)
    };
    view! { <a class="button button-quiet" href=href>"Sign in"</a> }
}

#[component]
fn SignOutButton() -> impl IntoView {
    let session = use_session();
    // A protected page notices and leads home; other pages stay.
    let sign_out = Submission::new(move |_: &()| async move {
        let result = api::sign_out().await;
        if result.is_ok() {
            session.signed_out();
        }
        result
    });
    let (pending, failure) = (sign_out.pending(), sign_out.failure());
    let failure = move || {
        failure.get().map(
            |error| view! { <span class="account-error" role="alert">{error.to_string()}</span> },
        )
    };
    view! {
        <button
            type="button"
            class="button button-quiet"
            disabled=pending
            on:click=move |_| sign_out.submit(())
        >
            "Sign out"
        </button>
        {failure}
    }
}
