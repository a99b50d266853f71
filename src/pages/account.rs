use leptos::prelude::*;

use crate::api;
use crate::components::account::{
    AccountDeletion, DataDownload, PasswordChange, SESSIONS_HEADING_ID, SessionList,
    SignOutEverywhere,
};
use crate::components::page_title::PageTitle;
use crate::components::tickets::clock::provide_ticking_clock;
use crate::session::use_session;

/// `/account`: the signed-in person's password, the browsers she is signed in with, and her
/// data: a download of all of it, and the deletion of her account.
#[component]
pub fn AccountPage() -> impl IntoView {
    provide_ticking_clock();
    // `RequireSignIn` shows this page only once someone is signed in.
    let email = use_session().me().map(|me| me.email).unwrap_or_default();
    let sessions = LocalResource::new(api::my_sessions);
    view! {
        <PageTitle text="Your account"/>
        <section class="page account-page">
            <h1>"Your account"</h1>
            <section class="card" aria-labelledby="password-heading">
                <h2 id="password-heading">"Change your password"</h2>
                <PasswordChange email=email.clone()
                    on_changed=Callback::new(move |()| sessions.refetch())/>
            </section>
            <section class="card" aria-labelledby=SESSIONS_HEADING_ID>
                <h2 id=SESSIONS_HEADING_ID tabindex="-1">"Where you are signed in"</h2>
                <SessionList sessions/>
                <h3>"Sign out everywhere"</h3>
                <SignOutEverywhere/>
            </section>
            <section class="card" aria-labelledby="your-data-heading">
                <h2 id="your-data-heading">"Your data"</h2>
                <p>
                    "Everything Lantern holds about you: your account, the tickets you filed or "
                    "are copied on with their conversations and files, and your votes on "
                    "articles, as a ZIP of JSON files with a README saying what each is."
                </p>
                <DataDownload/>
                <h3>"Delete your account"</h3>
                <AccountDeletion email/>
            </section>
        </section>
    }
}
