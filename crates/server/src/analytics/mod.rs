//! Search analytics for the vendor: what customers search for, what they find, and whether they
//! help themselves or file a ticket.
//!
//! What is recorded, and only for requests of the app, which sends a random visit id per page
//! load (`Lantern-Visit`, kept in the page's memory, see [`ids`]): full-text searches and the
//! ticket wizard's suggestions (the query normalised and redacted by [`query_text`], filters,
//! hit counts, the suggested articles), clicks on their results, article views, helpful /
//! not-helpful votes, "this solved my problem", and that a ticket was filed. What is never
//! recorded: who (user, organisation, e-mail), from where (IP address, user agent), which
//! ticket, or a suggestion request's description.
//!
//! Handlers call the functions below, which queue and return ([`recorder`]); reports are built
//! by [`report`], downloads by [`csv`], old rows purged by [`retention`].

pub mod csv;
pub mod ids;
pub mod query_text;
pub mod recorder;
pub mod report;
pub mod retention;
pub mod typing;

use std::sync::Arc;

use lantern_core::api::{
    KbEvent, KbEventKind, KbSearchResults, KbSuggestionRequest, KbSuggestions, MatchConfidence,
    SearchSurface,
};

use crate::db;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::kb::SearchRequest;
use ids::{SearchId, VisitId};
use recorder::{ActivityKind, ActivityRecord, Event, Recorder, SearchRecord};
use typing::TypingRuns;

pub use recorder::{flush, spawn_writer};
pub use retention::spawn_purge;

/// The longest slug a click may name (slugs are far shorter).
const MAX_SLUG_CHARS: usize = 200;
/// Positions are within one answer, which holds at most 50 hits.
const MAX_POSITION: u32 = 49;

/// What handlers record through; part of `AppState`.
#[derive(Clone, Default)]
pub struct Analytics {
    recorder: Recorder,
    typing: Arc<TypingRuns>,
}

impl Analytics {
    /// A full-text search answer (`results` as served, possibly from the cache). Returns the
    /// answer's `search_id`, or `None` when the request had no visit or nothing to record.
    pub fn full_text_search(
        &self,
        visit: Option<&VisitId>,
        request: &SearchRequest<'_>,
        results: &KbSearchResults,
        now: i64,
    ) -> Option<String> {
        let strong_hits = results
            .hits
            .iter()
            .filter(|hit| hit.confidence == MatchConfidence::Strong)
            .count();
        self.search(
            visit?,
            Answer {
                surface: SearchSurface::Search,
                query: request.query,
                product: request.product,
                category: request.category,
                hits: results.hits.len(),
                strong_hits,
                shown: Vec::new(),
            },
            now,
        )
    }

    /// A suggestions answer of the ticket wizard. Only the subject is kept as the query: the
    /// description is where customers write names, hosts and log lines.
    pub fn suggestions(
        &self,
        visit: Option<&VisitId>,
        request: &KbSuggestionRequest,
        answer: &KbSuggestions,
        now: i64,
    ) -> Option<String> {
        self.search(
            visit?,
            Answer {
                surface: SearchSurface::Suggestions,
                query: &request.subject,
                product: request.product.as_deref(),
                category: None,
                hits: answer.articles.len(),
                strong_hits: answer
                    .articles
                    .iter()
                    .filter(|article| article.confidence == MatchConfidence::Strong)
                    .count(),
                shown: answer
                    .articles
                    .iter()
                    .map(|article| article.slug.clone())
                    .collect(),
            },
            now,
        )
    }

    fn search(&self, visit: &VisitId, answer: Answer<'_>, now: i64) -> Option<String> {
        let query = query_text::normalise(answer.query);
        if query.is_empty() {
            return None;
        }
        let search_id = self.typing.search_id(visit, answer.surface, &query, now);
        self.recorder.record(Event::Search(SearchRecord {
            search_id: search_id.clone(),
            visit: visit.clone(),
            surface: answer.surface,
            query,
            product: filter_value(answer.product),
            category: filter_value(answer.category),
            hits: count(answer.hits),
            strong_hits: count(answer.strong_hits),
            shown: answer.shown,
            at: now,
        }));
        Some(search_id.into_string())
    }

    /// A step of the visit with an article (a view, a vote, "this solved my problem") or
    /// without (a ticket filed). Recorded only with a visit: alone it says nothing the
    /// article's own counters do not.
    pub fn activity(
        &self,
        visit: Option<&VisitId>,
        kind: ActivityKind,
        article: Option<&str>,
        now: i64,
    ) {
        let Some(visit) = visit else {
            return;
        };
        self.typing.settle(visit);
        self.recorder.record(Event::Activity(ActivityRecord {
            visit: Some(visit.clone()),
            kind,
            search_id: None,
            article: article.map(str::to_owned),
            position: None,
            at: now,
        }));
    }

    /// `POST /kb/events`: checks the event and queues it. The article must exist, so stored
    /// slugs are always real ones.
    pub async fn record_event(
        &self,
        db: &db::Db,
        visit: Option<&VisitId>,
        event: &KbEvent,
        now: i64,
    ) -> AppResult<()> {
        match event.kind {
            KbEventKind::Click => {
                let click = checked_click(event)?;
                if db::kb::article_id(db, &click.article).await?.is_none() {
                    return Err(AppError::field("article", "There is no such article."));
                }
                self.click(visit, click, now);
            }
        }
        Ok(())
    }

    fn click(&self, visit: Option<&VisitId>, click: Click, now: i64) {
        if let Some(visit) = visit {
            self.typing.settle(visit);
        }
        self.recorder.record(Event::Activity(ActivityRecord {
            visit: visit.cloned(),
            kind: ActivityKind::Click,
            search_id: Some(click.search_id),
            article: Some(click.article),
            position: Some(click.position),
            at: now,
        }));
    }
}

/// One answer to record, from either surface.
struct Answer<'a> {
    surface: SearchSurface,
    query: &'a str,
    product: Option<&'a str>,
    category: Option<&'a str>,
    hits: usize,
    strong_hits: usize,
    shown: Vec<String>,
}

/// A product or category filter. The app sends the vendor's own ids, but any client can send
/// any text, so filters get the same treatment as queries.
fn filter_value(value: Option<&str>) -> Option<String> {
    value
        .map(query_text::normalise)
        .filter(|value| !value.is_empty())
}

fn count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A click as checked by [`Analytics::record_event`].
struct Click {
    search_id: SearchId,
    article: String,
    position: u32,
}

fn checked_click(event: &KbEvent) -> AppResult<Click> {
    let mut fields = FieldErrors::new();
    let search_id = SearchId::parse(&event.search_id);
    if search_id.is_none() {
        fields.add(
            "search_id",
            "Use the search_id of the answer the article was listed in.".to_owned(),
        );
    }
    let article = event.article.trim();
    if article.is_empty() || article.chars().count() > MAX_SLUG_CHARS {
        fields.add("article", "Name the article by its slug.".to_owned());
    }
    if event.position > MAX_POSITION {
        fields.add(
            "position",
            format!("Use the article's position in the answer, 0 to {MAX_POSITION}."),
        );
    }
    match search_id {
        Some(search_id) if fields.is_empty() => Ok(Click {
            search_id,
            article: article.to_owned(),
            position: event.position,
        }),
        _ => Err(AppError::fields(fields)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Refusal;

    fn click(search_id: &str, article: &str, position: u32) -> KbEvent {
        KbEvent {
            kind: KbEventKind::Click,
            search_id: search_id.to_owned(),
            article: article.to_owned(),
            position,
        }
    }

    fn rejected_fields(event: &KbEvent) -> Vec<String> {
        match checked_click(event) {
            Err(AppError::Refused(Refusal { fields, .. })) => {
                fields.fields().map(str::to_owned).collect()
            }
            other => panic!("expected a validation error, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn a_click_names_a_search_an_article_and_a_position() {
        let id = SearchId::random();
        let checked = checked_click(&click(id.as_str(), " restore-a-backup ", 3)).expect("valid");
        assert_eq!(checked.search_id, id);
        assert_eq!(checked.article, "restore-a-backup");
        assert_eq!(rejected_fields(&click("nope", "x", 0)), ["search_id"]);
        assert_eq!(
            rejected_fields(&click(id.as_str(), " ", 50)),
            ["article", "position"]
        );
    }

    #[test]
    fn searches_without_a_visit_or_a_query_are_not_recorded() {
        let analytics = Analytics::default();
        let results = KbSearchResults {
            query: "x".to_owned(),
            hits: Vec::new(),
            search_id: None,
        };
        let request = SearchRequest {
            query: "restore",
            ..SearchRequest::default()
        };
        assert_eq!(
            analytics.full_text_search(None, &request, &results, 0),
            None
        );
        let visit = VisitId::parse(&"b".repeat(32)).expect("a visit");
        let blank = SearchRequest {
            query: " \t ",
            ..SearchRequest::default()
        };
        assert_eq!(
            analytics.full_text_search(Some(&visit), &blank, &results, 0),
            None
        );
        assert!(
            analytics
                .full_text_search(Some(&visit), &request, &results, 0)
                .is_some()
        );
    }
}
