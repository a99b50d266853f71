use lantern_core::api::{KbCategory, KbIndex, KbIndexEntry, KbSearchHit};
use lantern_core::search::{SearchFilters, SearchHit, SearchIndex};

use super::{ResultDetail, ResultItem};

/// The downloaded knowledge-base index with its instant-search index. Pages keep it in a
/// `StoredValue`, outside the reactive system: searching updates the index's narrowing state,
/// and cloning ten thousand articles per keystroke would cost more than the search itself.
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
            index: SearchIndex::new(downloaded.articles),
            categories: downloaded.categories,
            products,
        }
    }

    pub fn categories(&self) -> &[KbCategory] {
        &self.categories
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

    /// The best instant matches of `query`, best first.
    pub fn search(
        &mut self,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> Vec<ResultItem> {
        let hits = self.index.search(query, filters, limit);
        self.instant_items(hits)
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

    /// The articles of one category, in index order.
    pub fn articles_in(&self, category: &str) -> Vec<KbIndexEntry> {
        self.index
            .entries()
            .iter()
            .filter(|article| article.category == category)
            .cloned()
            .collect()
    }

    /// The categories with the most articles, most first.
    pub fn top_categories(&self, count: usize) -> Vec<KbCategory> {
        let mut categories = self.categories.clone();
        categories.sort_by_key(|category| std::cmp::Reverse(category.article_count));
        categories.truncate(count);
        categories
    }

    /// Full-text hits as results, leaving out articles already among `shown`.
    pub fn full_text_items(&self, hits: &[KbSearchHit], shown: &[ResultItem]) -> Vec<ResultItem> {
        hits.iter()
            .filter(|hit| shown.iter().all(|item| item.id != hit.id))
            .map(|hit| ResultItem {
                id: hit.id,
                slug: hit.slug.clone(),
                title: hit.title.clone(),
                category: self.category_name(&hit.category),
                detail: ResultDetail::FullText {
                    snippet_html: hit.snippet_html.clone(),
                },
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
