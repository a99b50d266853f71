//! The vendor's support policy: one context for the whole app, as the session is. Nothing is
//! loaded at start (the public pages start faster without it); the first page that shows the
//! policy loads it, and the pages opened after it share it while it is fresh.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use lantern_core::policy::PolicyView;
use leptos::prelude::*;

use crate::api::{self, ApiError};

/// How long a loaded policy serves the pages opened after: its opening hours and "first
/// response by" times are as of when the server sent it.
const FRESH_FOR_MS: f64 = 60_000.0;

/// A policy a page already has on its way (the server's page came with it, or the route sent
/// its request ahead), instead of asking for it.
pub type OnItsWay = Pin<Box<dyn Future<Output = Result<PolicyView, ApiError>>>>;

/// The page's answer: the policy, or why it could not be loaded.
pub type PolicyAnswer = LocalResource<Result<Arc<PolicyView>, ApiError>>;

#[derive(Clone, Copy)]
struct SharedPolicy(StoredValue<Option<Loaded>>);

struct Loaded {
    policy: Arc<PolicyView>,
    at_ms: f64,
}

/// Creates the context; nothing is loaded until a page asks.
pub fn provide_support_policy() {
    provide_context(SharedPolicy(StoredValue::new(None)));
}

/// The policy for the page being built.
pub fn use_support_policy() -> PolicyAnswer {
    use_support_policy_or(|| None)
}

/// [`use_support_policy`], for a page that may have the policy on its way already: what
/// `on_its_way` gives is waited for before anything held or a new request.
pub fn use_support_policy_or(on_its_way: impl Fn() -> Option<OnItsWay> + 'static) -> PolicyAnswer {
    let SharedPolicy(shared) = expect_context::<SharedPolicy>();
    LocalResource::new(move || {
        let held = shared.with_value(|loaded| {
            loaded
                .as_ref()
                .filter(|loaded| js_sys::Date::now() - loaded.at_ms < FRESH_FOR_MS)
                .map(|loaded| Arc::clone(&loaded.policy))
        });
        let coming = on_its_way();
        async move {
            let policy = match (coming, held) {
                (Some(coming), _) => coming.await?,
                (None, Some(held)) => return Ok(held),
                (None, None) => api::fetch_policy().await?,
            };
            let policy = Arc::new(policy);
            shared.try_set_value(Some(Loaded {
                policy: Arc::clone(&policy),
                at_ms: js_sys::Date::now(),
            }));
            Ok(policy)
        }
    })
}
