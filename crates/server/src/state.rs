//! What every handler can reach.

use std::sync::Arc;

use lantern_core::policy::Policy;

use crate::analytics::Analytics;
use crate::clock::Clock;
use crate::config::Config;
use crate::content_store::ContentStore;
use crate::db;
use crate::kb::cache::SearchCache;
use crate::kb::engine::{SearchEngine, product_names};
use crate::passwords::HashingQueue;
use crate::policy_file;
use crate::rate_limits::RateLimiters;

#[derive(Clone)]
pub struct AppState {
    /// SQLite or PostgreSQL, as `LANTERN_DATABASE_URL` chose (DEVELOPERS.md "Two database
    /// backends").
    pub database: db::Db,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// The vendor's support policy, read and validated once at start.
    pub policy: Arc<Policy>,
    /// The ranking engine over the knowledge base, rebuilt when the articles change.
    pub search: SearchEngine,
    pub kb_search_cache: SearchCache,
    pub writes: db::WriteGate,
    /// Search analytics being recorded: the queue to the batch writer, the typing runs.
    pub analytics: Analytics,
    /// Where every password hash and verification waits for a core.
    pub passwords: HashingQueue,
    pub rate_limits: Arc<RateLimiters>,
    /// Where attachments' content is stored: the folder, or the bucket of
    /// `LANTERN_ATTACHMENT_STORE`.
    pub attachment_store: ContentStore,
}

impl AppState {
    /// The one place the state is assembled, by `main`, the admin commands and the tests:
    /// opens the database (running migrations) and loads what the configuration names.
    /// New shared resources are loaded here so every caller gets them.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let policy = Arc::new(policy_file::load(&config.policy)?);
        let database = db::open(&config.database, config.database_pool_size).await?;
        let search = SearchEngine::load(&database, product_names(&policy)).await?;
        let attachment_store = ContentStore::open(&config.attachments)?;
        Ok(Self {
            attachment_store,
            rate_limits: Arc::new(RateLimiters::new(&config.rate_limits)),
            database,
            search,
            config: Arc::new(config),
            clock,
            policy,
            kb_search_cache: SearchCache::default(),
            writes: db::WriteGate::default(),
            analytics: Analytics::default(),
            passwords: HashingQueue::default(),
        })
    }

    /// A write transaction, in turn with the other writers of this process.
    pub async fn begin_write(&self) -> sqlx::Result<db::WriteTransaction> {
        self.writes.begin(&self.database).await
    }

    /// A turn for one write statement, in turn with the other writers of this process
    /// ([`db::WriteGate::single`]).
    pub async fn single_write(&self) -> db::SingleWrite<'_> {
        self.writes.single(&self.database).await
    }

    /// "Now" in the database's representation (Unix seconds).
    pub fn now_seconds(&self) -> i64 {
        db::seconds(self.clock.now())
    }
}
