use lantern_core::api::InvitationAcceptance;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::session::{leave_when_signed_in, use_session};

/// `/invitations/:token`: the link from an invitation mail; choosing a name and password
/// activates the account and signs in.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    leave_when_signed_in(Signal::stored("/".to_owned()));

    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let accept = Submission::new(move |(token, request): &(String, InvitationAcceptance)| {
        let (token, request) = (token.clone(), request.clone());
        async move {
            session.signed_in(api::accept_invitation(&token, &request).await?);
            Ok(())
        }
    });
    let error = accept.failure();
    let pending = accept.pending();
    let submit = move || {
        let token = params.read_untracked().get("token").unwrap_or_default();
        let request = InvitationAcceptance {
            name: name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        accept.submit((token, request));
    };

    view! {
        <PageTitle text="Accept invitation"/>
        <section class="page card narrow">
            <h1>"Accept your invitation"</h1>
            <p>"Choose the name support will see and a password for your account."</p>
            <Form pending on_submit=submit>
                <Field label="Your name" name="name" autocomplete="name" required=true
                    value=name error=accept.field("name")/>
                <Field label="Password" name="password" input_type="password"
                    autocomplete="new-password" required=true value=password
                    error=accept.field("password")/>
                <FormError error/>
                <div class="form-actions">
                    <SubmitButton label="Create account" busy_label="Creating account…" pending/>
                </div>
            </Form>
        </section>
    }
}
