use lantern_core::api::PasswordResetRequest;
use leptos::prelude::*;

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::page_title::PageTitle;

/// `/reset-password`: asks for a password-reset link by e-mail; the link leads to
/// `/password-resets/:token`.
#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let request = Submission::new(|request: &PasswordResetRequest| {
        let request = request.clone();
        async move { api::request_password_reset(&request).await }
    });
    let error = request.failure();
    let pending = request.pending();
    let sent = move || request.succeeded();
    let submit = move || {
        request.submit(PasswordResetRequest {
            email: email.get_untracked().trim().to_owned(),
        });
    };

    view! {
        <PageTitle text="Reset password"/>
        <section class="page card narrow">
            <h1>"Reset your password"</h1>
            <Show when=sent fallback=move || view! {
                <p>"Enter your e-mail address and we will send you a link to choose a new password."</p>
                <Form pending on_submit=submit>
                    <Field label="E-mail" name="email" input_type="email" autocomplete="email"
                        required=true value=email error=request.field("email")/>
                    <FormError error/>
                    <div class="form-actions">
                        <SubmitButton label="Send reset link" busy_label="Sending…" pending/>
                        <a href="/signin">"Back to sign in"</a>
                    </div>
                </Form>
            }>
                <div class="notice notice-success" role="status">
                    <p>
                        "If an account exists for " <strong>{move || email.get()}</strong>
                        ", a link to reset its password is on its way. The link works once and expires soon."
                    </p>
                </div>
            </Show>
        </section>
    }
}
