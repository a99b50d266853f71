use lantern_core::api::AccountDeletion as AccountDeletionRequest;
use leptos::prelude::*;

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::wizard::focus;
use crate::session::use_session;

const START_ID: &str = "delete-account-start";
const PASSWORD_ID: &str = "delete-account-password";

/// "Delete your account": a button that opens, in place, a form asking for the password. A
/// wrong password is said beside the field and nothing is deleted; once deleted, the session
/// ends and the page leads home. Changing her mind closes the form and brings the focus back.
#[component]
pub fn AccountDeletion(
    /// The account's e-mail address, for password managers to offer the right password.
    email: String,
) -> impl IntoView {
    let session = use_session();
    // The form is built again each time it opens.
    let email = StoredValue::new(email);
    let asking = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let deletion = Submission::new(move |request: &AccountDeletionRequest| {
        let request = request.clone();
        async move {
            match api::delete_my_account(&request).await {
                Ok(()) => {
                    session.signed_out();
                    Ok(())
                }
                Err(error) => {
                    focus::first_invalid_field_in(".account-deletion");
                    Err(error)
                }
            }
        }
    });
    let pending = deletion.pending();
    let submit = move || {
        deletion.submit(AccountDeletionRequest {
            password: password.get_untracked(),
        });
    };
    let open = move |_| {
        asking.set(true);
        focus::element(PASSWORD_ID);
    };
    let keep = move |_| {
        asking.set(false);
        password.set(String::new());
        focus::element(START_ID);
    };
    view! {
        <div class="account-deletion">
            <p>
                "Deleting your account removes your name, e-mail address, sessions and votes. "
                "Your organisation's tickets stay, naming \u{201c}Deleted user\u{201d}, so your "
                "colleagues and support keep their history. This cannot be undone; download "
                "your data first if you want a copy."
            </p>
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" id=START_ID class="button button-quiet" on:click=open>
                        "Delete your account…"
                    </button>
                }
            >
                <div class="confirm-in-place notice notice-warning">
                    <Form pending on_submit=submit label="Delete your account">
                        <input type="email" name="username" autocomplete="username"
                            value=email.get_value() readonly hidden/>
                        <Field label="Your password" name="password" id=PASSWORD_ID
                            input_type="password" autocomplete="current-password" required=true
                            value=password error=deletion.field("password")
                            help="To delete your account, confirm it is you."/>
                        <FormError error=deletion.failure()/>
                        <div class="form-actions">
                            <SubmitButton label="Delete my account" busy_label="Deleting…"
                                pending danger=true/>
                            <button type="button" class="button button-quiet"
                                disabled=move || pending.get() on:click=keep>
                                "Keep my account"
                            </button>
                        </div>
                    </Form>
                </div>
            </Show>
        </div>
    }
}
