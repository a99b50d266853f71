use lantern_core::api::MatchConfidence;

use super::ResultItem;

/// What the downloaded index found for the typed text, on every keystroke.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InstantMatches {
    pub items: Vec<ResultItem>,
    /// Whether these matches answer the search by themselves, or only share some of its words.
    pub answer: bool,
}

/// The results list in its two groups: articles that answer the search, then articles that
/// match only part of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RatedResults {
    pub strong: Vec<ResultItem>,
    pub partial: Vec<ResultItem>,
    /// Whether the server's full-text search has rated this search yet. Until it has, the
    /// groups are the instant index's own verdict, and "nothing answers it" cannot be said.
    pub rated_by_server: bool,
}

impl RatedResults {
    /// Groups the instant matches and, once it is there, the server's answer. The server has
    /// read whole articles, so its confidence decides for every article it returned; an instant
    /// match it did not return keeps the instant verdict. Each group lists the instant matches
    /// first, as they were shown while typing, so the server's answer adds to the list instead of
    /// reshuffling it; the highlighted title of an instant match stays when both found it.
    pub fn new(
        instant: &InstantMatches,
        full_text: Option<Vec<(ResultItem, MatchConfidence)>>,
    ) -> Self {
        let rated_by_server = full_text.is_some();
        let full_text = full_text.unwrap_or_default();
        let instant_verdict = if instant.answer {
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
                .find(|(hit, _)| hit.id == item.id)
                .map_or(instant_verdict, |(_, confidence)| *confidence);
            results.push(item.clone(), confidence);
        }
        for (hit, confidence) in full_text {
            if instant.items.iter().all(|item| item.id != hit.id) {
                results.push(hit, confidence);
            }
        }
        results
    }

    fn push(&mut self, item: ResultItem, confidence: MatchConfidence) {
        match confidence {
            MatchConfidence::Strong => self.strong.push(item),
            MatchConfidence::Partial => self.partial.push(item),
        }
    }

    pub fn len(&self) -> usize {
        self.strong.len() + self.partial.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The result at `position` in the list as shown: the strong group, then the partial one.
    pub fn get(&self, position: usize) -> Option<&ResultItem> {
        self.strong.iter().chain(&self.partial).nth(position)
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
    use super::super::ResultDetail;
    use super::*;
    use MatchConfidence::{Partial, Strong};

    fn item(id: i64) -> ResultItem {
        ResultItem {
            id,
            slug: format!("article-{id}"),
            title: format!("Article {id}"),
            category: "Backup & restore".to_owned(),
            detail: ResultDetail::FullText {
                snippet_html: String::new(),
            },
        }
    }

    fn ids(items: &[ResultItem]) -> Vec<i64> {
        items.iter().map(|item| item.id).collect()
    }

    #[test]
    fn while_typing_the_instant_verdict_groups_the_matches() {
        let answering = InstantMatches {
            items: vec![item(1), item(2)],
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
            items: vec![item(1), item(2), item(3)],
            answer: true,
        };
        let full_text = vec![
            (item(4), Strong),
            (item(2), Partial),
            (item(1), Strong),
            (item(5), Partial),
        ];
        let results = RatedResults::new(&instant, Some(full_text));
        // 3 was not returned: the instant verdict stands.
        assert_eq!(ids(&results.strong), [1, 3, 4]);
        assert_eq!(ids(&results.partial), [2, 5]);
        assert_eq!(results.get(3).map(|item| item.id), Some(2));
        assert_eq!(results.get(5), None);
    }

    #[test]
    fn nothing_strong_once_rated_is_unanswered() {
        let results = RatedResults::new(&InstantMatches::default(), Some(vec![(item(1), Partial)]));
        assert!(results.unanswered());
        assert_eq!(
            results.summary(),
            "No article answers this yet, 1 partly matching article."
        );
        let nothing = RatedResults::new(&InstantMatches::default(), Some(Vec::new()));
        assert!(nothing.unanswered());
        assert_eq!(nothing.summary(), "No article answers this yet.");
    }

    #[test]
    fn the_summary_counts_each_group() {
        let results = RatedResults::new(
            &InstantMatches::default(),
            Some(vec![
                (item(1), Strong),
                (item(2), Strong),
                (item(3), Partial),
            ]),
        );
        assert_eq!(
            results.summary(),
            "2 matching articles, 1 partly matching article."
        );
        assert_eq!(
            RatedResults::new(&InstantMatches::default(), None).summary(),
            "No matching articles yet."
        );
        let loose = InstantMatches {
            items: vec![item(1), item(2)],
            answer: false,
        };
        assert_eq!(
            RatedResults::new(&loose, None).summary(),
            "2 partly matching articles."
        );
    }
}
