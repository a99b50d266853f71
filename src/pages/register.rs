use lantern_core::api::RegistrationRequest;
use leptos::prelude::*;

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::page_title::PageTitle;

/// `/register`: self-registration, for e-mail domains whose organisation allows it. The server
/// mails a confirmation link that leads to `/registrations/:token`.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let register = Submission::new(|request: &RegistrationRequest| {
        let request = request.clone();
        async move { api::register(&request).await }
    });
    let error = register.failure();
    let pending = register.pending();
    let mailed = move || register.succeeded();
    let submit = move || {
        register.submit(RegistrationRequest {
            name: name.get_untracked().trim().to_owned(),
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };

    view! {
        <PageTitle text="Create an account"/>
        <section class="page card narrow">
            <h1>"Create an account"</h1>
            <Show when=mailed fallback=move || view! {
                <p>"Use your work e-mail address. Organisations that do not allow self-registration invite their people instead."</p>
                <Form pending on_submit=submit>
                    <Field label="Your name" name="name" autocomplete="name" required=true
                        value=name error=register.field("name")/>
                    <Field label="E-mail" name="email" input_type="email" autocomplete="email"
                        required=true value=email error=register.field("email")/>
                    <Field label="Password" name="password" input_type="password"
                        autocomplete="new-password" required=true value=password
                        error=register.field("password")/>
                    <FormError error/>
                    <div class="form-actions">
                        <SubmitButton label="Create account" busy_label="Creating account…" pending/>
                        <a href="/signin">"I have an account"</a>
                    </div>
                </Form>
            }>
                <div class="notice notice-success" role="status">
                    <p>
                        "Check your inbox: we sent a link to " <strong>{move || email.get()}</strong>
                        ". Open it within two days and enter the password you chose to confirm your account."
                    </p>
                </div>
            </Show>
        </section>
    }
}
