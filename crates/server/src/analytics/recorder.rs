//! Recording without slowing search down. Handlers put events into a bounded queue and return;
//! [`flush`] (every second, and at shutdown) writes what is queued in a few short write
//! transactions through the write gate. SQLite has one writer and search must keep answering
//! thousands of requests a second, so when the queue is full an event is dropped and counted
//! (the count is logged) rather than making a reader wait.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lantern_core::api::SearchSurface;
use tokio::sync::{Mutex, mpsc};

use super::Analytics;
use super::ids::{SearchId, VisitId};
use crate::clock::Clock;
use crate::db;
use crate::error::AppResult;

/// About ten seconds of searches at the budgeted 5,000 a second.
pub const QUEUE_CAPACITY: usize = 50_000;
/// Events per write transaction: short turns, so a ticket being filed never waits long behind
/// the analytics writer.
const EVENTS_PER_TRANSACTION: usize = 500;
/// How often the background writer flushes.
const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

/// Something to record.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A search answer; a later one with the same id replaces it (see `typing`).
    Search(SearchRecord),
    Activity(ActivityRecord),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchRecord {
    pub search_id: SearchId,
    pub visit: VisitId,
    pub surface: SearchSurface,
    /// Normalised and redacted (`query_text::normalise`).
    pub query: String,
    pub product: Option<String>,
    pub category: Option<String>,
    pub hits: u32,
    pub strong_hits: u32,
    /// The slugs shown, best first: kept for suggestions (impressions), empty for full text,
    /// whose hit count says enough.
    pub shown: Vec<String>,
    pub at: i64,
}

/// What a visit did besides searching.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRecord {
    pub visit: Option<VisitId>,
    pub kind: ActivityKind,
    /// Clicks: the answer clicked in, and the position of the article in it (0 = first).
    pub search_id: Option<SearchId>,
    pub article: Option<String>,
    pub position: Option<u32>,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Click,
    View,
    Helpful,
    NotHelpful,
    /// "This solved my problem" (a deflection).
    Solved,
    TicketFiled,
}

impl ActivityKind {
    /// As stored in `analytics_events.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Click => "click",
            Self::View => "view",
            Self::Helpful => "helpful",
            Self::NotHelpful => "not_helpful",
            Self::Solved => "solved",
            Self::TicketFiled => "ticket_filed",
        }
    }
}

/// The queue between handlers and the writer.
#[derive(Clone)]
pub struct Recorder {
    sender: mpsc::Sender<Event>,
    /// Held for a whole flush, so two flushes (the background one, a test's, the last one at
    /// shutdown) never write batches out of order.
    receiver: Arc<Mutex<mpsc::Receiver<Event>>>,
    dropped: Arc<AtomicU64>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self::with_capacity(QUEUE_CAPACITY)
    }
}

impl Recorder {
    pub fn with_capacity(capacity: usize) -> Self {
        let (sender, receiver) = mpsc::channel(capacity.max(1));
        Self {
            sender,
            receiver: Arc::new(Mutex::new(receiver)),
            dropped: Arc::default(),
        }
    }

    /// Queues `event` without waiting; drops it when the queue is full.
    pub fn record(&self, event: Event) {
        if self.sender.try_send(event).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Events dropped since the last call.
    fn take_dropped(&self) -> u64 {
        self.dropped.swap(0, Ordering::Relaxed)
    }
}

/// Writes every queued event; returns how many were written. Events queued while it runs wait
/// for the next flush, so a flood cannot keep it going forever.
pub async fn flush(analytics: &Analytics, db: &db::Db, writes: &db::WriteGate) -> AppResult<usize> {
    let recorder = &analytics.recorder;
    let mut receiver = recorder.receiver.lock().await;
    let dropped = recorder.take_dropped();
    if dropped > 0 {
        tracing::warn!(
            dropped,
            "search analytics: events dropped because the queue was full"
        );
    }
    let mut remaining = receiver.len();
    let mut written = 0;
    while remaining > 0 {
        let mut batch = Vec::with_capacity(remaining.min(EVENTS_PER_TRANSACTION));
        while batch.len() < EVENTS_PER_TRANSACTION
            && remaining > 0
            && let Ok(event) = receiver.try_recv()
        {
            batch.push(event);
            remaining -= 1;
        }
        if batch.is_empty() {
            break;
        }
        let batch = latest_answers(batch);
        write(db, writes, &batch).await?;
        written += batch.len();
    }
    Ok(written)
}

/// The batch without search answers that a later answer of the same batch replaces.
fn latest_answers(batch: Vec<Event>) -> Vec<Event> {
    let mut last: HashMap<SearchId, usize> = HashMap::new();
    for (index, event) in batch.iter().enumerate() {
        if let Event::Search(search) = event {
            last.insert(search.search_id.clone(), index);
        }
    }
    batch
        .into_iter()
        .enumerate()
        .filter(|(index, event)| match event {
            Event::Search(search) => last.get(&search.search_id) == Some(index),
            Event::Activity(_) => true,
        })
        .map(|(_, event)| event)
        .collect()
}

async fn write(db: &db::Db, writes: &db::WriteGate, batch: &[Event]) -> AppResult<()> {
    let mut tx = writes.begin(db).await?;
    for event in batch {
        match event {
            Event::Search(search) => {
                let row = db::analytics::upsert_search(
                    &mut tx,
                    &db::analytics::NewSearch {
                        search_id: search.search_id.as_str(),
                        visit: search.visit.as_str(),
                        surface: search.surface.as_str(),
                        query: &search.query,
                        product: search.product.as_deref(),
                        category: search.category.as_deref(),
                        hits: search.hits,
                        strong_hits: search.strong_hits,
                        at: search.at,
                    },
                )
                .await?;
                if search.surface == SearchSurface::Suggestions {
                    db::analytics::replace_impressions(&mut tx, row, &search.shown).await?;
                }
            }
            Event::Activity(activity) => {
                db::analytics::insert_event(
                    &mut tx,
                    &db::analytics::NewEvent {
                        visit: activity.visit.as_ref().map(VisitId::as_str),
                        kind: activity.kind.as_str(),
                        search_id: activity.search_id.as_ref().map(SearchId::as_str),
                        article: activity.article.as_deref(),
                        position: activity.position,
                        at: activity.at,
                    },
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Flushes every second for as long as the server runs, and forgets typing runs that settled.
pub fn spawn_writer(
    analytics: Analytics,
    db: db::Db,
    writes: db::WriteGate,
    clock: Arc<dyn Clock>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(FLUSH_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            analytics.typing.forget_settled(db::seconds(clock.now()));
            if let Err(error) = flush(&analytics, &db, &writes).await {
                tracing::error!(error = %error, "search analytics: cannot write the recorded events");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(id: &SearchId, query: &str) -> Event {
        Event::Search(SearchRecord {
            search_id: id.clone(),
            visit: VisitId::parse(&"a".repeat(32)).expect("a visit"),
            surface: SearchSurface::Search,
            query: query.to_owned(),
            product: None,
            category: None,
            hits: 1,
            strong_hits: 1,
            shown: Vec::new(),
            at: 0,
        })
    }

    #[test]
    fn a_later_answer_replaces_an_earlier_one_of_the_same_search() {
        let (typed, other) = (SearchId::random(), SearchId::random());
        let batch = vec![
            search(&typed, "back"),
            search(&other, "vpn"),
            search(&typed, "backup"),
        ];
        assert_eq!(
            latest_answers(batch),
            vec![search(&other, "vpn"), search(&typed, "backup")]
        );
    }

    #[test]
    fn a_full_queue_drops_and_counts() {
        let recorder = Recorder::with_capacity(1);
        recorder.record(search(&SearchId::random(), "a"));
        recorder.record(search(&SearchId::random(), "b"));
        recorder.record(search(&SearchId::random(), "c"));
        assert_eq!(recorder.take_dropped(), 2);
        assert_eq!(recorder.take_dropped(), 0);
    }
}
