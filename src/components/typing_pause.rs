//! Asking the server about what is being typed once typing pauses, not on every keystroke.

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// The answer to the latest `request`, asked with `ask` once it has not changed for `pause`.
/// The shown answer stays until a newer one replaces it; an answer to an older request,
/// arriving late, is dropped. A request that `is_empty` answers `A::default()` at once without
/// asking.
pub fn answer_after_pause<Q, A, Fut>(
    request: Memo<Q>,
    pause: Duration,
    is_empty: fn(&Q) -> bool,
    ask: impl Fn(Q) -> Fut + Copy + 'static,
) -> ReadSignal<A>
where
    Q: Clone + PartialEq + Send + Sync + 'static,
    A: Default + Send + Sync + 'static,
    Fut: Future<Output = A> + 'static,
{
    let (answer, set_answer) = signal(A::default());
    let latest = StoredValue::new(0_u64);
    Effect::new(move |pending: Option<Option<TimeoutHandle>>| {
        if let Some(Some(pending)) = pending {
            pending.clear();
        }
        let request = request.get();
        let asked = latest.get_value() + 1;
        latest.set_value(asked);
        if is_empty(&request) {
            set_answer.set(A::default());
            return None;
        }
        let send = move || {
            spawn_local(async move {
                let found = ask(request).await;
                if latest.try_get_value() == Some(asked) {
                    set_answer.try_set(found);
                }
            })
        };
        set_timeout_with_handle(send, pause).ok()
    });
    answer
}
