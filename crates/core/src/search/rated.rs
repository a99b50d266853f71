//! The results list as the home page shows it: the instant index's matches while the reader
//! types, then the server's full-text answer added to them. Here rather than in the app so
//! that the search-quality benchmark measures the list customers see.

use crate::api::MatchConfidence;

/// An article in a results list, known by its id.
pub trait FoundArticle: Clone {
    fn article_id(&self) -> i64;
}

/// What the downloaded index found for the typed text, on every keystroke.
#[derive(Debug, Clone, PartialEq)]
pub struct InstantMatches<T> {
    pub items: Vec<T>,
    /// Whether these matches answer the search by themselves ([`super::answers`]), or only
    /// share some of its words.
    pub answer: bool,
}

impl<T> Default for InstantMatches<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            answer: false,
        }
    }
}

/// The results list in its two groups: articles that answer the search, then articles that
/// match only part of it.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedResults<T> {
    pub strong: Vec<T>,
    pub partial: Vec<T>,
    /// Whether the server's full-text search has rated this search yet. Until it has, the
    /// groups are the instant index's own verdict, and "nothing answers it" cannot be said.
    pub rated_by_server: bool,
}

impl<T> Default for RatedResults<T> {
    fn default() -> Self {
        Self {
            strong: Vec::new(),
            partial: Vec::new(),
            rated_by_server: false,
        }
    }
}

impl<T: FoundArticle> RatedResults<T> {
    /// Groups the instant matches and, once it is there, the server's answer. The server has
    /// read whole articles, so its confidence decides: for every article it returned, and an
    /// instant match it did not return among its best is a partial one (the instant index,
    /// which reads titles and summaries only, would otherwise call strong an article the
    /// server found no answer in). Each group lists the instant matches first, as they were
    /// shown while typing, so the server's answer adds to the list instead of reshuffling it.
    pub fn new(instant: &InstantMatches<T>, full_text: Option<Vec<(T, MatchConfidence)>>) -> Self {
        let rated_by_server = full_text.is_some();
        let full_text = full_text.unwrap_or_default();
        let instant_verdict = if instant.answer && !rated_by_server {
            MatchConfidence::Strong
        } else {
            MatchConfidence::Partial
        };
        let mut results = Self {
            rated_by_server,
            ..Self::default()
        };
        for item in &instant.items {
            let confidence = full_text
                .iter()
                .find(|(hit, _)| hit.article_id() == item.article_id())
                .map_or(instant_verdict, |(_, confidence)| *confidence);
            results.push(item.clone(), confidence);
        }
        for (hit, confidence) in full_text {
            if instant
                .items
                .iter()
                .all(|item| item.article_id() != hit.article_id())
            {
                results.push(hit, confidence);
            }
        }
        results
    }

    fn push(&mut self, item: T, confidence: MatchConfidence) {
        match confidence {
            MatchConfidence::Strong => self.strong.push(item),
            MatchConfidence::Partial => self.partial.push(item),
        }
    }
}

impl<T> RatedResults<T> {
    pub fn len(&self) -> usize {
        self.strong.len() + self.partial.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The result at `position` in the list as shown: the strong group, then the partial one.
    pub fn get(&self, position: usize) -> Option<&T> {
        self.iter().nth(position)
    }

    /// The list as shown, top to bottom.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.strong.iter().chain(&self.partial)
    }

    /// The server found nothing that answers the search.
    pub fn unanswered(&self) -> bool {
        self.rated_by_server && self.strong.is_empty()
    }

    /// What the live region announces, for people who cannot see the list change.
    pub fn summary(&self) -> String {
        let answering = match (self.strong.len(), self.rated_by_server) {
            (0, true) => Some("No article answers this yet".to_owned()),
            (0, false) => None,
            (1, _) => Some("1 matching article".to_owned()),
            (count, _) => Some(format!("{count} matching articles")),
        };
        let partly = match self.partial.len() {
            0 => None,
            1 => Some("1 partly matching article".to_owned()),
            count => Some(format!("{count} partly matching articles")),
        };
        let parts: Vec<String> = [answering, partly].into_iter().flatten().collect();
        if parts.is_empty() {
            "No matching articles yet.".to_owned()
        } else {
            format!("{}.", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MatchConfidence::{Partial, Strong};

    #[derive(Debug, Clone, PartialEq)]
    struct Article(i64);

    impl FoundArticle for Article {
        fn article_id(&self) -> i64 {
            self.0
        }
    }

    fn items(ids: &[i64]) -> Vec<Article> {
        ids.iter().copied().map(Article).collect()
    }

    fn ids(items: &[Article]) -> Vec<i64> {
        items.iter().map(|item| item.0).collect()
    }

    #[test]
    fn while_typing_the_instant_verdict_groups_the_matches() {
        let answering = InstantMatches {
            items: items(&[1, 2]),
            answer: true,
        };
        let results = RatedResults::new(&answering, None);
        assert_eq!(ids(&results.strong), [1, 2]);
        assert!(results.partial.is_empty());
        assert!(
            !results.unanswered(),
            "only the server can say nothing answers"
        );

        let loose = InstantMatches {
            answer: false,
            ..answering
        };
        let results = RatedResults::new(&loose, None);
        assert_eq!(ids(&results.partial), [1, 2]);
        assert!(!results.unanswered());
    }

    #[test]
    fn the_server_rates_what_it_returned_and_adds_the_rest_after_the_instant_matches() {
        let instant = InstantMatches {
            items: items(&[1, 2, 3]),
            answer: true,
        };
        let full_text = vec![
            (Article(4), Strong),
            (Article(2), Partial),
            (Article(1), Strong),
            (Article(5), Partial),
        ];
        let results = RatedResults::new(&instant, Some(full_text));
        // 3 was not among the server's best: only partly a match.
        assert_eq!(ids(&results.strong), [1, 4]);
        assert_eq!(ids(&results.partial), [2, 3, 5]);
        assert_eq!(results.get(3), Some(&Article(3)));
        assert_eq!(results.get(5), None);
        assert_eq!(
            results.iter().map(|item| item.0).collect::<Vec<_>>(),
            [1, 4, 2, 3, 5]
        );
    }

    #[test]
    fn nothing_strong_once_rated_is_unanswered() {
        let results = RatedResults::new(
            &InstantMatches::default(),
            Some(vec![(Article(1), Partial)]),
        );
        assert!(results.unanswered());
        assert_eq!(
            results.summary(),
            "No article answers this yet, 1 partly matching article."
        );
        let nothing = RatedResults::<Article>::new(&InstantMatches::default(), Some(Vec::new()));
        assert!(nothing.unanswered());
        assert_eq!(nothing.summary(), "No article answers this yet.");
    }

    #[test]
    fn the_summary_counts_each_group() {
        let results = RatedResults::new(
            &InstantMatches::default(),
            Some(vec![
                (Article(1), Strong),
                (Article(2), Strong),
                (Article(3), Partial),
            ]),
        );
        assert_eq!(
            results.summary(),
            "2 matching articles, 1 partly matching article."
        );
        assert_eq!(
            RatedResults::<Article>::new(&InstantMatches::default(), None).summary(),
            "No matching articles yet."
        );
        let loose = InstantMatches {
            items: items(&[1, 2]),
            answer: false,
        };
        assert_eq!(
            RatedResults::new(&loose, None).summary(),
            "2 partly matching articles."
        );
    }
}
