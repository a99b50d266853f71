//! Who is signed in: one context for the whole app, filled from `GET /api/v1/me` at start and
//! updated on sign-in and sign-out.

use std::cell::Cell;

use lantern_core::api::Me;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::form::saved_drafts;
use crate::components::loading::Loading;
use crate::routes::sign_in_path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// `GET /api/v1/me` has not answered yet.
    Checking,
    SignedOut,
    SignedIn(Me),
    /// Was signed in, until the server stopped knowing the session (it was signed out from
    /// another browser, or ended by a password change there).
    Ended,
}

/// The session context; cheap to copy into closures.
#[derive(Debug, Clone, Copy)]
pub struct Session(RwSignal<SessionState>);

impl Session {
    /// The signed-in person, `None` while checking or when signed out (reactive).
    pub fn me(&self) -> Option<Me> {
        self.0.with(|state| match state {
            SessionState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// Whether the server has said who is signed in (reactive).
    pub fn known(&self) -> bool {
        self.0.with(|state| *state != SessionState::Checking)
    }

    pub fn signed_in(&self, me: Me) {
        self.0.set(SessionState::SignedIn(me));
    }

    /// Signed out here, or found signed out (the session ended elsewhere, say by "sign out
    /// everywhere"): the drafts saved in this browser go too, as the next person at a shared
    /// computer must not find them.
    pub fn signed_out(&self) {
        saved_drafts::clear_all();
        self.0.set(SessionState::SignedOut);
    }

    /// Whether the session ended elsewhere (reactive), for the sign-in page to say why.
    pub fn ended(&self) -> bool {
        self.0.with(|state| *state == SessionState::Ended)
    }

    /// Asks the server who is signed in.
    async fn load(self) {
        match api::me().await {
            Ok(Some(me)) => self.signed_in(me),
            Ok(None) => self.signed_out(),
            // Unreachable server: treat as signed out, but keep the drafts, which may well be
            // of someone still signed in; every later call reports the network.
            Err(_) => self.0.set(SessionState::SignedOut),
        }
    }

    fn access(&self) -> Access {
        self.0.with(|state| match state {
            SessionState::Checking => Access::Unknown,
            SessionState::SignedOut => Access::Denied,
            SessionState::Ended => Access::Ended,
            SessionState::SignedIn(_) => Access::Granted,
        })
    }
}

thread_local! {
    /// The app's session, for [`ended_elsewhere`]: the API client learns of an ended session
    /// outside any component, where there is no context to ask.
    static APP_SESSION: Cell<Option<Session>> = const { Cell::new(None) };
}

/// Creates the session context and starts asking the server who is signed in.
pub fn provide_session() {
    let session = Session(RwSignal::new(SessionState::Checking));
    provide_context(session);
    APP_SESSION.set(Some(session));
    spawn_local(session.load());
}

/// The server answered 401: when the app believed someone signed in, her session has ended.
pub fn ended_elsewhere() {
    let Some(Session(state)) = APP_SESSION.get() else {
        return;
    };
    let was_signed_in =
        state.try_with_untracked(|state| matches!(state, SessionState::SignedIn(_)));
    if was_signed_in == Some(true) {
        state.set(SessionState::Ended);
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Unknown,
    Denied,
    /// Denied because the session ended elsewhere: to sign in again, and come back.
    Ended,
    Granted,
}

/// Shows its children only to signed-in people; everyone else is sent to the sign-in page,
/// which brings them back here afterwards. Signing out here leads to the home page instead,
/// unless the session ended elsewhere: then to sign in again.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    // A memo, so that an updated `Me` does not rebuild the protected page.
    let access = Memo::new(move |_| session.access());
    let had_access = StoredValue::new(false);
    let location = use_location();
    move || match access.get() {
        Access::Unknown => view! { <Loading/> }.into_any(),
        Access::Denied if had_access.get_value() => replace_with("/".to_owned()),
        Access::Denied | Access::Ended => {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            replace_with(sign_in_path(&here))
        }
        Access::Granted => {
            had_access.set_value(true);
            children().into_any()
        }
    }
}

/// Goes to `path` in place of the current page in the history, so "back" does not bounce.
fn replace_with(path: String) -> AnyView {
    view! { <Redirect path options=replacing()/> }.into_any()
}

fn replacing() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// Leaves a sign-in or account page for `next` as soon as someone is signed in (just now, or
/// before they arrived there).
pub fn leave_when_signed_in(next: Signal<String>) {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.me().is_some() {
            navigate(&next.get_untracked(), replacing());
        }
    });
}
