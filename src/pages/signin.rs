use lantern_core::api::SignInRequest;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiError};
use crate::components::form::{Field, Form, FormError, SubmitButton, field_error};
use crate::components::page_title::PageTitle;
use crate::session::{leave_when_signed_in, safe_next, use_session};

/// `/signin?next=/path`: e-mail and password; afterwards the person continues to `next`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let next = Memo::new(move |_| query.with(|query| safe_next(query.get_str("next")).to_owned()));
    leave_when_signed_in(next.into());

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sign_in = Action::new_local(move |request: &SignInRequest| {
        let request = request.clone();
        async move {
            let me = api::sign_in(&request).await?;
            session.signed_in(me);
            Ok::<(), ApiError>(())
        }
    });
    let error = Signal::derive(move || sign_in.value().get().and_then(Result::err));
    let pending = Signal::derive(move || sign_in.pending().get());
    let submit = move || {
        sign_in.dispatch(SignInRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };

    view! {
        <PageTitle text="Sign in"/>
        <section class="page card narrow">
            <h1>"Sign in"</h1>
            <p>"Sign in to file tickets and follow your organisation's support requests."</p>
            <Show when=move || session.ended()>
                <div class="notice notice-warning" role="status">
                    <p>"You have been signed out: from another browser, or by a password change. Sign in again to continue."</p>
                </div>
            </Show>
            <Form pending on_submit=submit>
                <Field
                    label="E-mail"
                    name="email"
                    input_type="email"
                    autocomplete="username"
                    required=true
                    value=email
                    error=field_error(error, "email")
                />
                <Field
                    label="Password"
                    name="password"
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    value=password
                    error=field_error(error, "password")
                />
                <FormError error/>
                <div class="form-actions">
                    <SubmitButton label="Sign in" busy_label="Signing in…" pending/>
                    <a href="/reset-password">"Forgot your password?"</a>
                </div>
            </Form>
            <p class="card-footer">
                "New here? " <a href="/register">"Create an account"</a>
                " if your organisation allows it, or ask its administrator for an invitation."
            </p>
        </section>
    }
}
