//! The data the server embedded in a public page it rendered ([`PageData`]): what that page
//! shows, so the app starts from it instead of fetching it again. Each page decodes only its
//! own part, in its own part of the app: decoding all of it at start would bring the decoder of
//! every page's data into the first download (the support policy's alone is tens of kilobytes).
//!
//! [`PageData`]: lantern_core::api::PageData

use std::cell::Cell;

use lantern_core::api::{KbArticle, KbCategory, PAGE_DATA_ELEMENT_ID};
use lantern_core::policy::PolicyView;
use leptos::prelude::document;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

thread_local! {
    static TAKEN: Cell<bool> = const { Cell::new(false) };
}

/// Whether the page came with data that no page has taken yet: the page at its address will
/// find what it shows there.
pub fn is_waiting() -> bool {
    !TAKEN.get() && document().get_element_by_id(PAGE_DATA_ELEMENT_ID).is_some()
}

/// The article the page came with. Like the other parts, for the first page that asks only.
pub fn article() -> Option<KbArticle> {
    take::<Part<KbArticle, IgnoredAny, IgnoredAny>>()?.article
}

/// The categories the page came with, counted for the product its address names.
pub fn categories() -> Option<Vec<KbCategory>> {
    take::<Part<IgnoredAny, Vec<KbCategory>, IgnoredAny>>()?.categories
}

/// The support policy the page came with.
pub fn policy() -> Option<PolicyView> {
    take::<Part<IgnoredAny, IgnoredAny, PolicyView>>()?.policy
}

/// `PageData` with only the wanted field decoded, the others skipped (the test below keeps the
/// names in step).
#[derive(Deserialize)]
struct Part<Article, Categories, Policy> {
    article: Option<Article>,
    categories: Option<Categories>,
    policy: Option<Policy>,
}

/// The data, for the first page that asks: the one the server rendered. Every later call gets
/// nothing, so a page opened again in the app fetches afresh, as it always has (and an article
/// counts the new view).
fn take<T: DeserializeOwned>() -> Option<T> {
    if TAKEN.replace(true) {
        return None;
    }
    let json = document()
        .get_element_by_id(PAGE_DATA_ELEMENT_ID)?
        .text_content()?;
    // Unreadable data is no data: the page fetches what it shows, as without a server page.
    serde_json::from_str(&json).ok()
}

#[cfg(test)]
mod tests {
    use lantern_core::api::{KbVotes, PageData};
    use lantern_core::policy::schedule::policy_view;

    use super::*;
    use crate::demo_policy::demo_policy;

    fn category() -> KbCategory {
        KbCategory {
            slug: "backup-and-restore".to_owned(),
            name: "Backup & restore".to_owned(),
            article_count: 3,
        }
    }

    fn article() -> KbArticle {
        KbArticle {
            id: 7,
            slug: "restore-a-backup".to_owned(),
            title: "Restore a backup".to_owned(),
            summary: "Get files back.".to_owned(),
            category: category(),
            products: vec!["harbor-backup".to_owned()],
            tags: Vec::new(),
            updated: "2026-11-30".to_owned(),
            body_html: "<p>Open the agent.</p>".to_owned(),
            views: 12,
            votes: KbVotes {
                helpful: 2,
                not_helpful: 1,
                mine: None,
            },
            related: Vec::new(),
        }
    }

    #[test]
    fn each_page_reads_its_own_part_of_the_page_data() {
        let policy = demo_policy();
        let data = PageData {
            article: Some(article()),
            categories: Some(vec![category()]),
            policy: Some(policy_view(&policy, chrono::Utc::now())),
        };
        let json = serde_json::to_string(&data).expect("page data serialises");

        let part: Part<KbArticle, IgnoredAny, IgnoredAny> =
            serde_json::from_str(&json).expect("the article part reads");
        assert_eq!(part.article, data.article);
        assert!(part.categories.is_some() && part.policy.is_some());

        let part: Part<IgnoredAny, Vec<KbCategory>, IgnoredAny> =
            serde_json::from_str(&json).expect("the categories part reads");
        assert_eq!(part.categories, data.categories);

        let part: Part<IgnoredAny, IgnoredAny, PolicyView> =
            serde_json::from_str(&json).expect("the policy part reads");
        assert_eq!(part.policy, data.policy);
    }

    #[test]
    fn a_page_without_a_part_reads_none() {
        let part: Part<KbArticle, IgnoredAny, IgnoredAny> =
            serde_json::from_str(r#"{"categories":[]}"#).expect("reads");
        assert!(part.article.is_none() && part.policy.is_none());
    }
}
