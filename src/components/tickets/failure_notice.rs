use leptos::prelude::*;

use crate::api::ApiError;

/// A request that failed: what went wrong, what the failure left in place, and (when trying
/// again can help) a button that does. Announced when it appears.
#[component]
pub fn FailureNotice(
    #[prop(into)] error: Signal<Option<ApiError>>,
    /// What is still there, e.g. "Your reply is kept below."
    kept: &'static str,
    #[prop(into)] on_retry: Callback<()>,
    /// While a retry is under way the button is disabled.
    #[prop(optional, into)]
    pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="form-error failure-notice" role="alert">
            {move || error.get().map(|error| {
                let retry = can_help(&error).then(|| view! {
                    <button type="button" class="button button-quiet" disabled=move || pending.get() on:click=move |_| on_retry.run(())>
                        "Try again"
                    </button>
                });
                view! {
                    <p>{error.to_string()}</p>
                    <p>{kept}</p>
                    {retry}
                }
            })}
        </div>
    }
}

/// Whether the same request may succeed later: no answer, an unreadable one, a timeout, a
/// limit, or trouble on the server. A refusal (closed ticket, invalid field) stays one.
fn can_help(error: &ApiError) -> bool {
    match error.status() {
        None => true,
        Some(status) => status >= 500 || status == 408 || status == 429,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_that_may_pass_later_offer_a_retry() {
        assert!(can_help(&ApiError::Network));
        assert!(can_help(&ApiError::from_answer(
            500,
            "Internal error",
            None
        )));
        assert!(can_help(&ApiError::from_answer(429, "", Some("3"))));
        assert!(!can_help(&ApiError::from_answer(409, "", None)));
        assert!(!can_help(&ApiError::from_answer(422, "", None)));
    }
}
