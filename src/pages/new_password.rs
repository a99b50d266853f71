use lantern_core::api::NewPassword;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::page_title::PageTitle;

/// `/password-resets/:token`: the link from the reset mail; chooses a new password.
#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let password = RwSignal::new(String::new());
    let reset = Submission::new(|(token, request): &(String, NewPassword)| {
        let (token, request) = (token.clone(), request.clone());
        async move { api::reset_password(&token, &request).await }
    });
    let error = reset.failure();
    let pending = reset.pending();
    let changed = move || reset.succeeded();
    let submit = move || {
        let token = params.read_untracked().get("token").unwrap_or_default();
        reset.submit((
            token,
            NewPassword {
                password: password.get_untracked(),
            },
        ));
    };

    view! {
        <PageTitle text="Choose a new password"/>
        <section class="page card narrow">
            <h1>"Choose a new password"</h1>
            <Show when=changed fallback=move || view! {
                <Form pending on_submit=submit>
                    <Field label="New password" name="password" input_type="password"
                        autocomplete="new-password" required=true value=password
                        error=reset.field("password")/>
                    <FormError error/>
                    <div class="form-actions">
                        <SubmitButton label="Change password" busy_label="Changing…" pending/>
                    </div>
                </Form>
            }>
                <div class="notice notice-success" role="status">
                    <p>"Your password has been changed. " <a href="/signin">"Sign in"</a> " with it now."</p>
                </div>
            </Show>
        </section>
    }
}
