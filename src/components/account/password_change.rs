use lantern_core::accounts::MIN_PASSWORD_LENGTH;
use lantern_core::api::PasswordChange as PasswordChangeRequest;
use leptos::prelude::*;

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::wizard::focus;

const CHANGED_ID: &str = "password-changed";

/// Current and new password. The server judges the new one (zxcvbn) and says beside the field
/// why it is too easy to guess; what was typed stays for the next try. Once changed, the fields
/// empty, the focus moves to the announcement, and `on_changed` runs (the other browsers have
/// been signed out).
#[component]
pub fn PasswordChange(
    /// The account's e-mail address, for password managers to file the new password under.
    email: String,
    on_changed: Callback<()>,
) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Submission::new(move |request: &PasswordChangeRequest| {
        let request = request.clone();
        async move {
            match api::change_password(&request).await {
                Ok(()) => {
                    current.try_set(String::new());
                    new.try_set(String::new());
                    on_changed.run(());
                    focus::element(CHANGED_ID);
                    Ok(())
                }
                Err(error) => {
                    focus::first_invalid_field_in(".password-change");
                    Err(error)
                }
            }
        }
    });
    let error = change.failure();
    let pending = change.pending();
    let submit = move || {
        change.submit(PasswordChangeRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };
    view! {
        <div class="password-change">
            <Form pending on_submit=submit>
                // Tells password managers whose password this is; nobody sees or edits it.
                <input type="email" name="username" autocomplete="username" value=email
                    readonly hidden/>
                <Field label="Current password" name="current_password" input_type="password"
                    autocomplete="current-password" required=true value=current
                    error=change.field("current_password")/>
                <Field label="New password" name="new_password" input_type="password"
                    autocomplete="new-password" required=true value=new
                    help=format!("At least {MIN_PASSWORD_LENGTH} characters, and not your e-mail address. A few uncommon words together are easy to remember and hard to guess.")
                    error=change.field("new_password")/>
                <FormError error/>
                <div class="form-actions">
                    <SubmitButton label="Change password" busy_label="Changing…" pending/>
                </div>
            </Form>
            <Show when=move || change.succeeded()>
                <div id=CHANGED_ID class="notice notice-success" role="status" tabindex="-1">
                    <p>"Your password has been changed. Every other browser signed in to your account has been signed out; this one stays signed in."</p>
                </div>
            </Show>
        </div>
    }
}
