use lantern_core::addresses::safe_next;
use lantern_core::api::SignInRequest;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::api;
use crate::components::form::{Field, Form, FormError, Submission, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::components::wizard::focus;
use crate::session::{leave_when_signed_in, use_session};

const HEADING_ID: &str = "signin-heading";
const PASSWORD_ID: &str = "password";
/// How long, in frames, the page the person continues to may take to show its heading (about
/// ten seconds): a page still loading its data shows it only then.
const NEXT_PAGE_FRAMES: u32 = 600;

/// `/signin?next=/path`: e-mail and password; afterwards the person continues to `next`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let next = Memo::new(move |_| query.with(|query| safe_next(query.get_str("next")).to_owned()));
    leave_when_signed_in(next.into());

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sign_in = Submission::new(move |request: &SignInRequest| {
        let request = request.clone();
        async move {
            match api::sign_in(&request).await {
                Ok(me) => {
                    focus_next_page_heading();
                    session.signed_in(me);
                    Ok(())
                }
                Err(error) => {
                    // The password is what to try again; its field, or the banner, says why.
                    focus::element(PASSWORD_ID);
                    Err(error)
                }
            }
        }
    });
    let error = sign_in.failure();
    let pending = sign_in.pending();
    let submit = move || {
        sign_in.submit(SignInRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };

    view! {
        <PageTitle text="Sign in"/>
        <section class="page card narrow">
            <h1 id=HEADING_ID>"Sign in"</h1>
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
                    error=sign_in.field("email")
                />
                <Field
                    label="Password"
                    name=PASSWORD_ID
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    value=password
                    error=sign_in.field("password")
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

/// Once signed in, the person continues to another page, and the form they used is gone: the
/// focus goes to that page's main heading as soon as it shows, where a screen reader starts
/// reading it.
fn focus_next_page_heading() {
    let sign_in_heading = document().get_element_by_id(HEADING_ID);
    focus_new_heading(sign_in_heading, NEXT_PAGE_FRAMES);
}

fn focus_new_heading(old: Option<Element>, frames_left: u32) {
    request_animation_frame(move || {
        let heading = document()
            .query_selector("main h1")
            .ok()
            .flatten()
            .filter(|heading| Some(heading) != old.as_ref())
            .and_then(|heading| heading.dyn_into::<HtmlElement>().ok());
        match heading {
            Some(heading) => {
                if !heading.has_attribute("tabindex") {
                    heading.set_tab_index(-1);
                }
                // Ignored: a heading that cannot take the focus leaves it where it was.
                let _ = heading.focus();
            }
            None if frames_left > 0 => focus_new_heading(old, frames_left - 1),
            None => {}
        }
    });
}
