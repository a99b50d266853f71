use std::future::Future;

use lantern_core::api::FieldErrors;
use leptos::prelude::*;

use crate::api::ApiError;

/// A form's request to the server, around an [`Action`]: whether it is under way, why it
/// failed, and each field's error, found by the shared validation before sending or answered by
/// the server. A new submission forgets the last one's errors.
pub struct Submission<I: 'static, O: 'static> {
    action: Action<I, Result<O, ApiError>>,
    /// What the shared validation found in the last submission, which was therefore not sent.
    invalid: RwSignal<FieldErrors>,
}

impl<I: 'static, O: 'static> Clone for Submission<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, O: 'static> Copy for Submission<I, O> {}

impl<I: 'static, O: 'static> Submission<I, O> {
    /// `send` makes the request for one input; what it does with a success (show the new
    /// ticket, say) it does itself before returning.
    pub fn new<F, Fu>(send: F) -> Self
    where
        F: Fn(&I) -> Fu + 'static,
        Fu: Future<Output = Result<O, ApiError>> + 'static,
    {
        Self {
            action: Action::new_local(send),
            invalid: RwSignal::new(FieldErrors::new()),
        }
    }

    /// Sends `input`.
    pub fn submit(&self, input: I) {
        self.invalid.set(FieldErrors::new());
        self.action.clear();
        self.action.dispatch_local(input);
    }

    /// Sends `input` unless the shared validation found `problems` in it, which the fields then
    /// show; says whether it was sent.
    pub fn submit_checked(&self, input: I, problems: FieldErrors) -> bool {
        if !problems.is_empty() {
            self.action.clear();
            self.invalid.set(problems);
            return false;
        }
        self.submit(input);
        true
    }

    pub fn pending(&self) -> Signal<bool> {
        let pending = self.action.pending();
        Signal::derive(move || pending.get())
    }

    /// The last submission's failure, until the next one starts.
    pub fn failure(&self) -> Signal<Option<ApiError>> {
        let value = self.action.value();
        Signal::derive(move || value.with(|value| value.as_ref()?.as_ref().err().cloned()))
    }

    /// What the last submission answered, once it succeeded, until the next one starts.
    pub fn answer(&self) -> Signal<Option<O>>
    where
        O: Clone + Send + Sync,
    {
        let value = self.action.value();
        Signal::derive(move || value.with(|value| value.as_ref()?.as_ref().ok().cloned()))
    }

    /// The input being sent, while it is.
    pub fn sending(&self) -> Signal<Option<I>>
    where
        I: Clone + Send + Sync,
    {
        let (input, pending) = (self.action.input(), self.action.pending());
        Signal::derive(move || if pending.get() { input.get() } else { None })
    }

    /// The message for one request field, from the shared validation or the server.
    pub fn field(&self, name: &'static str) -> Signal<Option<String>> {
        let (invalid, failure) = (self.invalid, self.failure());
        Signal::derive(move || {
            invalid
                .with(|invalid| invalid.get(name).map(str::to_owned))
                .or_else(|| failure.with(|failure| failure.as_ref()?.field(name)))
        })
    }

    /// Whether the last submission succeeded (reactive).
    pub fn succeeded(&self) -> bool {
        self.action
            .value()
            .with(|value| matches!(value, Some(Ok(_))))
    }
}
