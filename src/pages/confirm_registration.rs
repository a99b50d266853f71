use lantern_core::api::NewPassword;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::session::{leave_when_signed_in, use_session};

/// `/registrations/:token`: the link from the confirmation mail; the password chosen when
/// registering confirms the account and signs in.
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    leave_when_signed_in(Signal::stored("/".to_owned()));

    let password = RwSignal::new(String::new());
    let confirm = Submission::new(move |(token, request): &(String, NewPassword)| {
        let (token, request) = (token.clone(), request.clone());
        async move {
            session.signed_in(api::confirm_registration(&token, &request).await?);
            Ok(())
        }
    });
    let error = confirm.failure();
    let pending = confirm.pending();
    let submit = move || {
        let token = params.read_untracked().get("token").unwrap_or_default();
        confirm.submit((
            token,
            NewPassword {
                password: password.get_untracked(),
            },
        ));
    };

    view! {
        <PageTitle text="Confirm your account"/>
        <section class="page card narrow">
            <h1>"Confirm your account"</h1>
            <p>"Enter the password you chose when you registered."</p>
            <Form pending on_submit=submit>
                <Field label="Password" name="password" input_type="password"
                    autocomplete="current-password" required=true value=password
                    error=confirm.field("password")/>
                <FormError error/>
                <div class="form-actions">
                    <SubmitButton label="Confirm account" busy_label="Confirming…" pending/>
                </div>
            </Form>
        </section>
    }
}
