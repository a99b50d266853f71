use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::emergency_phone_lines;
use leptos::prelude::*;

use super::phone_lines::PhoneLines;
use super::wizard_state::Wizard;
use crate::api::ApiError;

/// Why the submission failed, that the draft is safe (when the browser kept it) and, for the
/// policy's emergency severity, the phone lines to call instead of waiting. Announced when it
/// appears.
#[component]
pub fn SubmitFailure(
    wizard: Wizard,
    error: RwSignal<Option<ApiError>>,
    /// Whether the browser kept the latest draft.
    draft_saved: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="form-error submit-failure" role="alert">
            {move || error.get().map(|error| view! {
                <p>{error.to_string()}</p>
                <DraftSafety error draft_saved=draft_saved.get()/>
                <EmergencyPhoneLines wizard/>
            })}
        </div>
    }
}

/// Whether what the customer wrote is still there. Not said after a 401: the session ended, and
/// a signed-out browser keeps no drafts.
#[component]
fn DraftSafety(error: ApiError, draft_saved: bool) -> impl IntoView {
    (error.status() != Some(401)).then(|| {
        if draft_saved {
            view! {
                <p class="submit-failure-draft">
                    "Your draft is safe: it is saved in this browser, so nothing you entered is \
                     lost, even if you close this page. Submit again when you are ready."
                </p>
            }
        } else {
            view! {
                <p class="submit-failure-draft">
                    "This browser could not save your draft: keep this page open, or copy what \
                     you wrote, until the ticket is filed."
                </p>
            }
        }
    })
}

/// The policy's phone lines when the chosen severity is its emergency one.
#[component]
fn EmergencyPhoneLines(wizard: Wizard) -> impl IntoView {
    move || {
        let severity = wizard.draft.severity().get();
        let (channels, name) = wizard.with_policy(|policy| {
            let channels = emergency_phone_lines(policy, &severity)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>();
            let name = policy
                .severity(&severity)
                .map(|severity| severity.name.clone())
                .unwrap_or_default();
            (channels, name)
        });
        let intro = format!("\u{201c}{name}\u{201d} cannot wait for the portal: call us now.");
        view! { <PhoneLines channels intro/> }
    }
}
