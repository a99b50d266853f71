use lantern_core::api::{KbCategory, KbIndex, KbIndexEntry, KbSearchHit, MatchConfidence};
use lantern_core::search::{self, SearchFilters, SearchHit, SearchIndex};

use super::{InstantMatches, ResultDetail, ResultItem};

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

    /// The best instant matches of `query`, best first.
    pub fn search(&mut self, query: &str, filters: &SearchFilters, limit: usize) -> InstantMatches {
        let hits = self.index.search(query, filters, limit);
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
