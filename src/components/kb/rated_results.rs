use lantern_core::search::rated::FoundArticle;

use super::ResultItem;

/// What the downloaded index found for the typed text, on every keystroke.
pub type InstantMatches = lantern_core::search::rated::InstantMatches<ResultItem>;

/// The results list in its two groups: articles that answer the search, then articles that
/// match only part of it (the rule: [`lantern_core::search::rated`]).
pub type RatedResults = lantern_core::search::rated::RatedResults<ResultItem>;

impl FoundArticle for ResultItem {
    fn article_id(&self) -> i64 {
        self.id
    }
}
