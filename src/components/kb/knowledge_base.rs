use lantern_core::api::{KbCategory, KbIndex, KbIndexEntry, KbSearchHit, MatchConfidence};
use lantern_core::search::{self, Narrowing, SearchFilters, SearchHit, SearchIndex};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{InstantMatches, ResultDetail, ResultItem};
use crate::api;

/// The knowledge base's download: not before a page needs it (the home page says when); until
/// it is there, a page that needs it shows only the search box.
pub enum Download {
    NotStarted,
    Loading,
    Ready(Box<KnowledgeBase>),
    Failed(String),
}

/// The knowledge base, one context for the whole app as the session is: downloaded and indexed
/// once, when a page first asks for it, and kept for every page after.
#[derive(Clone, Copy)]
pub struct SharedKnowledgeBase(RwSignal<Download>);

/// Creates the context; nothing is downloaded until a page asks.
pub fn provide_knowledge_base() {
    provide_context(SharedKnowledgeBase(RwSignal::new(Download::NotStarted)));
}

pub fn use_knowledge_base() -> SharedKnowledgeBase {
    expect_context::<SharedKnowledgeBase>()
}

impl SharedKnowledgeBase {
    /// Downloads the index, unless that has started already (or failed, see
    /// [`forget_failure`](Self::forget_failure)).
    pub fn download(self) {
        if !self
            .0
            .with_untracked(|download| matches!(download, Download::NotStarted))
        {
            return;
        }
        self.0.set(Download::Loading);
        spawn_local(async move {
            let state = match api::kb_index().await {
                Ok(index) => Download::Ready(Box::new(KnowledgeBase::new(index))),
                Err(error) => Download::Failed(error.to_string()),
            };
            self.0.try_set(state);
        });
    }

    /// A failed download is tried again when a page asks anew, not on every keystroke of the
    /// page that saw it fail.
    pub fn forget_failure(self) {
        if self
            .0
            .with_untracked(|download| matches!(download, Download::Failed(_)))
        {
            self.0.set(Download::NotStarted);
        }
    }

    /// The download's state (reactive).
    pub fn with<R>(self, read: impl FnOnce(&Download) -> R) -> R {
        self.0.with(read)
    }

    /// What `read` says of the index, `None` until it is there (reactive).
    pub fn with_index<R>(self, read: impl FnOnce(&KnowledgeBase) -> R) -> Option<R> {
        self.0.with(|download| match download {
            Download::Ready(kb) => Some(read(kb)),
            _ => None,
        })
    }
}

/// The downloaded knowledge-base index with its instant-search index.
pub struct KnowledgeBase {
    index: SearchIndex,
    categories: Vec<KbCategory>,
    products: Vec<String>,
}

impl KnowledgeBase {
    pub fn new(downloaded: KbIndex) -> Self {
        let mut products: Vec<String> = downloaded
            .articles
            .iter()
            .flat_map(|article| article.products.iter().cloned())
            .collect();
        products.sort_unstable();
        products.dedup();
        Self {
            index: SearchIndex::new(downloaded.articles, &downloaded.synonyms),
            categories: downloaded.categories,
            products,
        }
    }

    /// Every category with the number of its articles about `product` (all articles without
    /// one), in the server's order.
    pub fn categories_for(&self, product: Option<&str>) -> Vec<KbCategory> {
        self.categories
            .iter()
            .map(|category| KbCategory {
                article_count: self
                    .index
                    .entries()
                    .iter()
                    .filter(|article| {
                        article.category == category.slug && is_about(article, product)
                    })
                    .count() as u32,
                ..category.clone()
            })
            .collect()
    }

    pub fn products(&self) -> &[String] {
        &self.products
    }

    /// The display name of a category slug (the slug itself if unknown).
    pub fn category_name(&self, slug: &str) -> String {
        self.categories
            .iter()
            .find(|category| category.slug == slug)
            .map_or_else(|| slug.to_owned(), |category| category.name.clone())
    }

    /// The best instant matches of `query`, best first, for the search box that keeps
    /// `narrowing`.
    pub fn search(
        &self,
        narrowing: &mut Narrowing,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> InstantMatches {
        let hits = self.index.search_as_typed(narrowing, query, filters, limit);
        InstantMatches {
            answer: search::answers(&hits),
            items: self.instant_items(hits),
        }
    }

    /// Looser matches for a query without results.
    pub fn close_matches(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> Vec<ResultItem> {
        let hits = self.index.close_matches(query, filters, limit);
        self.instant_items(hits)
    }

    /// The articles of one category about `product` (all of them without one), in index order.
    pub fn articles_in(&self, category: &str, product: Option<&str>) -> Vec<KbIndexEntry> {
        self.index
            .entries()
            .iter()
            .filter(|article| article.category == category && is_about(article, product))
            .cloned()
            .collect()
    }

    /// The categories with the most articles about `product`, most first; none that has none.
    pub fn top_categories(&self, product: Option<&str>, count: usize) -> Vec<KbCategory> {
        let mut categories = self.categories_for(product);
        categories.retain(|category| category.article_count > 0);
        categories.sort_by_key(|category| std::cmp::Reverse(category.article_count));
        categories.truncate(count);
        categories
    }

    /// Full-text hits as results, each with the server's confidence.
    pub fn full_text_items(&self, hits: &[KbSearchHit]) -> Vec<(ResultItem, MatchConfidence)> {
        hits.iter()
            .map(|hit| {
                let item = ResultItem {
                    id: hit.id,
                    slug: hit.slug.clone(),
                    title: hit.title.clone(),
                    category: self.category_name(&hit.category),
                    detail: ResultDetail::FullText {
                        snippet_html: hit.snippet_html.clone(),
                    },
                };
                (item, hit.confidence)
            })
            .collect()
    }

    fn instant_items(&self, hits: Vec<SearchHit>) -> Vec<ResultItem> {
        hits.into_iter()
            .map(|hit| {
                let article = &self.index.entries()[hit.entry_index];
                ResultItem {
                    id: article.id,
                    slug: article.slug.clone(),
                    title: article.title.clone(),
                    category: self.category_name(&article.category),
                    detail: ResultDetail::Instant {
                        matches: hit.title_matches,
                        summary: article.summary.clone(),
                    },
                }
            })
            .collect()
    }
}

/// Whether an article is about `product`; every article is when no product is chosen. The same
/// rule as the search filters', which `lantern_core` keeps private.
fn is_about(article: &KbIndexEntry, product: Option<&str>) -> bool {
    product.is_none_or(|product| article.products.iter().any(|id| id == product))
}
