//! Recent full-text results. Readers ask the same questions again and again, and one FTS5
//! query over thousands of matching articles costs milliseconds (bm25 is computed for every
//! match), so repeated searches are answered from memory. Entries live [`TIME_TO_LIVE`]: an
//! import by the admin command, in another process, shows within that time.

use std::sync::Arc;
use std::time::Duration;

use lantern_core::api::KbSearchResults;
use moka::sync::Cache;
use sqlx::SqlitePool;

use super::{SearchRequest, search};
use crate::error::AppResult;

const TIME_TO_LIVE: Duration = Duration::from_secs(60);
/// Distinct searches kept; a result is a few kilobytes.
const CAPACITY: u64 = 10_000;

/// What makes two searches the same: the query as typed (trimmed), the filters and the limit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SearchKey {
    query: String,
    product: Option<String>,
    category: Option<String>,
    limit: Option<u32>,
}

impl SearchKey {
    fn of(request: &SearchRequest<'_>) -> Self {
        Self {
            query: request.query.trim().to_owned(),
            product: request.product.map(str::to_owned),
            category: request.category.map(str::to_owned),
            limit: request.limit,
        }
    }
}

#[derive(Clone)]
pub struct SearchCache(Cache<SearchKey, Arc<KbSearchResults>>);

impl Default for SearchCache {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TIME_TO_LIVE)
                .build(),
        )
    }
}

impl SearchCache {
    /// The results of `request`, from memory when it was searched recently. Errors (an
    /// invalid query) are not kept.
    pub async fn search(
        &self,
        db: &SqlitePool,
        request: &SearchRequest<'_>,
    ) -> AppResult<Arc<KbSearchResults>> {
        let key = SearchKey::of(request);
        if let Some(results) = self.0.get(&key) {
            return Ok(results);
        }
        let results = Arc::new(search(db, request).await?);
        self.0.insert(key, Arc::clone(&results));
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::searchable_base;

    #[tokio::test]
    async fn a_repeated_search_is_answered_from_memory() {
        let (_dir, db) = searchable_base().await;
        let cache = SearchCache::default();
        let request = SearchRequest {
            query: "partner",
            ..SearchRequest::default()
        };
        let first = cache.search(&db, &request).await.expect("a search");
        assert!(!first.hits.is_empty());
        sqlx::query("DELETE FROM kb_articles")
            .execute(&db)
            .await
            .expect("articles deleted");
        let again = cache.search(&db, &request).await.expect("a search");
        assert!(Arc::ptr_eq(&first, &again), "served from memory");
        let other_limit = SearchRequest {
            limit: Some(3),
            ..request
        };
        let fresh = cache.search(&db, &other_limit).await.expect("a search");
        assert!(fresh.hits.is_empty(), "another limit is another search");
    }

    #[tokio::test]
    async fn invalid_queries_are_refused_every_time() {
        let (_dir, db) = searchable_base().await;
        let cache = SearchCache::default();
        let empty = SearchRequest::default();
        assert!(cache.search(&db, &empty).await.is_err());
        assert!(cache.search(&db, &empty).await.is_err());
    }
}
