use leptos::prelude::*;

use crate::api;
use crate::components::confirm_in_place::ConfirmInPlace;
use crate::components::form::Submission;
use crate::session::use_session;

/// "Sign out everywhere": every browser, this one included, after asking once more. This page
/// then leads home, signed out.
#[component]
pub fn SignOutEverywhere() -> impl IntoView {
    let session = use_session();
    let sign_out = Submission::new(move |_: &()| async move {
        api::sign_out_everywhere().await?;
        session.signed_out();
        Ok::<_, api::ApiError>(())
    });
    let failure = sign_out.failure();
    let failure = move || {
        failure
            .get()
            .map(|error| view! { <p class="form-error" role="alert">{error.to_string()}</p> })
    };
    view! {
        <p>
            "Lost a phone, or signed in on a computer that is not yours? This signs you out in "
            "every browser, this one too; you then sign in again with your password."
        </p>
        <ConfirmInPlace
            id="sign-out-everywhere"
            start_label="Sign out everywhere…"
            question="Sign out in every browser, this one included?"
            confirm_label="Yes, sign out everywhere"
            keep_label="Stay signed in"
            on_confirm=Callback::new(move |()| sign_out.submit(()))
            pending=sign_out.pending()
        />
        {failure}
    }
}
