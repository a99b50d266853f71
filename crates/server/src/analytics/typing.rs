//! Typing produces a search per pause: "back", "backup", "backup is slo", "backup is slow".
//! Only the settled query should count, so within one visit a search that extends or edits the
//! previous one, within [`SETTLE_SECONDS`] of it, takes over its id, and the recorder keeps only
//! the last answer per id. A click or any other step of the visit settles the run: what is typed
//! next is a new search.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use lantern_core::api::SearchSurface;

use super::ids::{SearchId, VisitId};

/// A search within this many seconds of the previous one of its run may replace it.
pub const SETTLE_SECONDS: i64 = 30;
/// Runs tracked at once; beyond this (a flood of visits) each search simply counts on its own.
const MAX_RUNS: usize = 100_000;
/// Edit distance is only worth computing for short queries; long ones compare by prefix.
const EDIT_DISTANCE_MAX_CHARS: usize = 64;

/// The run of searches being typed, per visit and surface.
#[derive(Debug, Default)]
pub struct TypingRuns {
    runs: Mutex<HashMap<(VisitId, SearchSurface), Run>>,
}

#[derive(Debug)]
struct Run {
    id: SearchId,
    /// The normalised query of the run's latest search.
    query: String,
    at: i64,
}

impl TypingRuns {
    /// The id of this search: the run's when it refines the run's latest search (the recorder
    /// then replaces that search's record), else a new one that starts a run.
    pub fn search_id(
        &self,
        visit: &VisitId,
        surface: SearchSurface,
        query: &str,
        now: i64,
    ) -> SearchId {
        let mut runs = self.lock();
        let key = (visit.clone(), surface);
        if let Some(run) = runs.get_mut(&key)
            && now - run.at <= SETTLE_SECONDS
            && now >= run.at
            && is_refinement(&run.query, query)
        {
            query.clone_into(&mut run.query);
            run.at = now;
            return run.id.clone();
        }
        let id = SearchId::random();
        if runs.len() < MAX_RUNS || runs.contains_key(&key) {
            runs.insert(
                key,
                Run {
                    id: id.clone(),
                    query: query.to_owned(),
                    at: now,
                },
            );
        }
        id
    }

    /// The visit did something with what it found (clicked, opened, voted, filed a ticket):
    /// its runs are over.
    pub fn settle(&self, visit: &VisitId) {
        let mut runs = self.lock();
        for surface in [SearchSurface::Search, SearchSurface::Suggestions] {
            runs.remove(&(visit.clone(), surface));
        }
    }

    /// Forgets runs no search can join any more.
    pub fn forget_settled(&self, now: i64) {
        self.lock().retain(|_, run| now - run.at <= SETTLE_SECONDS);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(VisitId, SearchSurface), Run>> {
        // A panic while holding the lock cannot leave a run half-written; the map stays usable.
        self.runs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Whether `next` (normalised) continues or corrects `previous`: one extends the other
/// ("backup is" -> "backup is slow", or back-spacing), they share most of their beginning
/// ("restore files" -> "restore folders"), or a few letters changed ("restroe" -> "restore").
pub fn is_refinement(previous: &str, next: &str) -> bool {
    if next.starts_with(previous) || previous.starts_with(next) {
        return true;
    }
    let shared_prefix = previous
        .chars()
        .zip(next.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let shorter = previous.chars().count().min(next.chars().count());
    if shared_prefix * 2 >= shorter {
        return true;
    }
    shorter <= EDIT_DISTANCE_MAX_CHARS
        && previous.chars().count().max(next.chars().count()) <= EDIT_DISTANCE_MAX_CHARS
        && strsim::normalized_levenshtein(previous, next) >= 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(n: u8) -> VisitId {
        VisitId::parse(&format!("{n:032x}")).expect("a visit id")
    }

    #[test]
    fn extensions_edits_and_typos_refine() {
        assert!(is_refinement("back", "backup is slow"));
        assert!(is_refinement("backup is slow", "backup is"));
        assert!(is_refinement("restore files", "restore folders"));
        assert!(is_refinement("restroe backup", "restore backup"));
        assert!(is_refinement("vpn", "vpn"));
    }

    #[test]
    fn a_different_question_does_not() {
        assert!(!is_refinement("restore backup", "sync conflicts"));
        assert!(!is_refinement("vpn", "sftp keys"));
        assert!(!is_refinement("printer", "license"));
    }

    #[test]
    fn typing_keeps_one_id_until_a_pause_or_another_question() {
        let runs = TypingRuns::default();
        let surface = SearchSurface::Search;
        let first = runs.search_id(&visit(1), surface, "back", 100);
        assert_eq!(runs.search_id(&visit(1), surface, "backup", 102), first);
        assert_eq!(
            runs.search_id(&visit(1), surface, "backup is slow", 130),
            first
        );
        // Another visit, or the other surface, has its own run.
        assert_ne!(runs.search_id(&visit(2), surface, "backup", 131), first);
        assert_ne!(
            runs.search_id(&visit(1), SearchSurface::Suggestions, "backup", 131),
            first
        );
        // A pause longer than the settle time starts a new search, as does a new question.
        let after_pause = runs.search_id(&visit(1), surface, "backup is slow again", 161);
        assert_ne!(after_pause, first);
        assert_ne!(
            runs.search_id(&visit(1), surface, "sync conflicts", 162),
            after_pause
        );
    }

    #[test]
    fn settling_a_visit_ends_its_runs() {
        let runs = TypingRuns::default();
        let first = runs.search_id(&visit(1), SearchSurface::Search, "restore", 10);
        runs.settle(&visit(1));
        assert_ne!(
            runs.search_id(&visit(1), SearchSurface::Search, "restore a file", 11),
            first
        );
    }

    #[test]
    fn settled_runs_are_forgotten() {
        let runs = TypingRuns::default();
        runs.search_id(&visit(1), SearchSurface::Search, "restore", 10);
        runs.search_id(&visit(2), SearchSurface::Search, "restore", 50);
        runs.forget_settled(50);
        assert_eq!(runs.lock().len(), 1);
    }
}
