use std::time::Duration;

use lantern_core::conversation::TicketDetail;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};

/// How often an open ticket page asks whether anything changed (a `304` when nothing did).
const POLL_EVERY: Duration = Duration::from_secs(10);

/// How far loading the ticket got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Loading,
    /// Unknown, or another customer's: the server answers 404 for both.
    NotFound,
    Failed(ApiError),
    Ready,
}

/// One ticket page's data, shared by its parts; cheap to copy into closures. Parts read what
/// they show through [`TicketState::read`], so a changed ticket updates them in place and a
/// half-written reply survives.
#[derive(Debug, Clone, Copy)]
pub struct TicketState {
    number: StoredValue<String>,
    detail: RwSignal<Option<TicketDetail>>,
    etag: StoredValue<Option<String>>,
    /// Counts the answers of actions, so a check that was already under way when an action
    /// answered cannot put the older ticket back.
    accepted: StoredValue<u64>,
    pub phase: RwSignal<Phase>,
}

impl TicketState {
    /// Starts loading ticket `number`, then checks for changes every few seconds while the
    /// page is visible, until the page goes away.
    pub fn load(number: String) -> Self {
        let state = Self {
            number: StoredValue::new(number),
            detail: RwSignal::new(None),
            etag: StoredValue::new(None),
            accepted: StoredValue::new(0),
            phase: RwSignal::new(Phase::Loading),
        };
        spawn_local(state.refresh());
        let poll = move || {
            if !document().hidden() && state.phase.get_untracked() == Phase::Ready {
                spawn_local(state.refresh());
            }
        };
        // Without a timer the page still works; it just does not update by itself.
        if let Ok(timer) = set_interval_with_handle(poll, POLL_EVERY) {
            on_cleanup(move || timer.clear());
        }
        state
    }

    pub fn number(&self) -> String {
        self.number.get_value()
    }

    /// Reads part of the ticket (reactive); `R::default()` before it has loaded.
    pub fn read<R: Default>(&self, part: impl FnOnce(&TicketDetail) -> R) -> R {
        self.detail
            .with(|detail| detail.as_ref().map(part))
            .unwrap_or_default()
    }

    /// Shows the ticket as an action's answer left it.
    pub fn accept(&self, detail: TicketDetail) {
        self.accepted.update_value(|count| *count += 1);
        self.detail.set(Some(detail));
    }

    /// Fetches the ticket now, after an action whose answer is not the whole ticket.
    pub async fn reload(self) {
        self.refresh().await;
    }

    /// Loads the ticket again after loading it failed.
    pub fn retry(self) {
        self.phase.set(Phase::Loading);
        spawn_local(self.refresh());
    }

    /// Fetches the ticket unless the server says it is unchanged since the last answer.
    async fn refresh(self) {
        let Some(number) = self.number.try_get_value() else {
            return;
        };
        let etag = self.etag.try_get_value().flatten();
        let accepted = self.accepted.try_get_value();
        let answer = api::ticket_if_changed(&number, etag.as_deref()).await;
        if self.accepted.try_get_value() != accepted {
            return;
        }
        match answer {
            Ok(Some(version)) => {
                self.etag.try_set_value(version.etag);
                self.detail.try_set(Some(version.detail));
                self.phase.try_set(Phase::Ready);
            }
            Ok(None) => {}
            // A failed check leaves the page as it was; the next one may succeed.
            Err(_) if self.phase.try_get_untracked() == Some(Phase::Ready) => {}
            Err(error) if error.status() == Some(404) => {
                self.phase.try_set(Phase::NotFound);
            }
            Err(error) => {
                self.phase.try_set(Phase::Failed(error));
            }
        }
    }
}
