use lantern_core::accounts::MIN_PASSWORD_LENGTH;
use lantern_core::api::PasswordChange as PasswordChangeRequest;
use leptos::prelude::*;

use crate::api;
use crate::components::form::{Field, Form, FormError, SubmitButton, field_error};
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
    let change = Action::new_local(|request: &PasswordChangeRequest| {
        let request = request.clone();
        async move { api::change_password(&request).await }
    });
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let pending = Signal::derive(move || change.pending().get());
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => {
            current.set(String::new());
            new.set(String::new());
            on_changed.run(());
            focus::element(CHANGED_ID);
        }
        Some(Err(_)) => focus::first_invalid_field_in(".password-change"),
        None => {}
    });
    let submit = move || {
        change.dispatch(PasswordChangeRequest {
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
                    error=field_error(error, "current_password")/>
                <Field label="New password" name="new_password" input_type="password"
                    autocomplete="new-password" required=true value=new
                    help=format!("At least {MIN_PASSWORD_LENGTH} characters, and not your e-mail address. A few uncommon words together are easy to remember and hard to guess.")
                    error=field_error(error, "new_password")/>
                <FormError error/>
                <div class="form-actions">
                    <SubmitButton label="Change password" busy_label="Changing…" pending/>
                </div>
            </Form>
            <Show when=changed>
                <div id=CHANGED_ID class="notice notice-success" role="status" tabindex="-1">
                    <p>"Your password has been changed. Every other browser signed in to your account has been signed out; this one stays signed in."</p>
                </div>
            </Show>
        </div>
    }
}
