//! Recent full-text results. Readers ask the same questions again and again, so repeated
//! searches are answered from memory. A result belongs to the engine that found it: once the
//! articles change, the rebuilt engine answers afresh.

use std::sync::Arc;
use std::time::Duration;

use lantern_core::api::KbSearchResults;
use moka::sync::Cache;

use super::engine::Engine;
use super::{SearchRequest, search};
use crate::error::AppResult;

const TIME_TO_LIVE: Duration = Duration::from_secs(60);
/// Distinct searches kept; a result is a few kilobytes.
const CAPACITY: u64 = 10_000;

/// What makes two searches the same: the articles searched, the query as typed (a trailing
/// space ends the last word, so it counts), the filters and the limit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SearchKey {
    version: Option<String>,
    query: String,
    product: Option<String>,
    category: Option<String>,
    limit: Option<u32>,
}

impl SearchKey {
    fn of(engine: &Engine, request: &SearchRequest<'_>) -> Self {
        Self {
            version: engine.version().map(str::to_owned),
            query: request.query.trim_start().to_owned(),
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
    pub fn search(
        &self,
        engine: &Engine,
        request: &SearchRequest<'_>,
    ) -> AppResult<Arc<KbSearchResults>> {
        let key = SearchKey::of(engine, request);
        if let Some(results) = self.0.get(&key) {
            return Ok(results);
        }
        let results = Arc::new(search(engine, request)?);
        self.0.insert(key, Arc::clone(&results));
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::searchable_engine;
    use crate::test_support::TestDatabases;

    #[tokio::test]
    async fn a_repeated_search_is_answered_from_memory_until_the_articles_change() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            let cache = SearchCache::default();
            let request = SearchRequest {
                query: "partner",
                ..SearchRequest::default()
            };
            let first = cache.search(&engine, &request).expect("a search");
            assert!(!first.hits.is_empty());
            let again = cache.search(&engine, &request).expect("a search");
            assert!(Arc::ptr_eq(&first, &again), "served from memory");
            let other_limit = SearchRequest {
                limit: Some(3),
                ..request.clone()
            };
            let fresh = cache.search(&engine, &other_limit).expect("a search");
            assert!(
                !Arc::ptr_eq(&first, &fresh),
                "another limit is another search"
            );

            crate::db::on_either!(db, |executor| {
                sqlx::query("DELETE FROM kb_articles")
                    .execute(executor)
                    .await
                    .expect("articles deleted");
            });
            let mut connection = db.acquire().await.expect("a connection");
            let (etag, json) = crate::kb::import::build_index(&mut connection)
                .await
                .expect("an index");
            crate::db::kb::set_index(&mut connection, &etag, &json)
                .await
                .expect("stored");
            let rebuilt = Engine::load(db, &crate::kb::testing::demo_products())
                .await
                .expect("the engine builds");
            let after = cache.search(&rebuilt, &request).expect("a search");
            assert!(after.hits.is_empty(), "the rebuilt engine answers");
        })
        .await;
    }

    #[tokio::test]
    async fn invalid_queries_are_refused_every_time() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            let cache = SearchCache::default();
            let empty = SearchRequest::default();
            assert!(cache.search(&engine, &empty).is_err());
            assert!(cache.search(&engine, &empty).is_err());
        })
        .await;
    }
}
