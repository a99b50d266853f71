//! The database: connection, migrations, and one query module per table (or per resource where
//! a few tables make one, as `accounts` and `kb` do). SQLite is the default; PostgreSQL is being
//! added beside it (issue 18, DEVELOPERS.md "Two database backends"): a module converted to
//! both takes a [`Db`] and writes its SQL once, for either pool, with [`on_either!`].

pub mod accounts;
pub mod agent_tokens;
pub mod analytics;
pub mod attachments;
pub mod deflections;
pub mod escalations;
pub mod idempotency_keys;
pub mod kb;
pub mod known_devices;
pub mod outbox;
pub mod sessions;
pub mod throttle_events;
pub mod ticket_ccs;
pub mod ticket_events;
pub mod ticket_surveys;
pub mod tickets;
pub mod tokens;

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::config::{Backend, DatabaseUrl};

/// Opens the database `LANTERN_DATABASE_URL` names. PostgreSQL is refused until every query has
/// its PostgreSQL form (issue 18): starting on SQLite instead would let the vendor believe
/// their data is in PostgreSQL.
pub async fn open(database: &DatabaseUrl) -> anyhow::Result<SqlitePool> {
    match database.backend {
        Backend::Sqlite => connect(&database.url).await,
        Backend::Postgres => anyhow::bail!(
            "LANTERN_DATABASE_URL {} names a PostgreSQL database, and Lantern's PostgreSQL \
             support is still being built (issue 18): it cannot serve the portal yet. The server \
             stops instead of using SQLite; set LANTERN_DATABASE_URL to a sqlite:// URL (the \
             default is sqlite://data/lantern.db).",
            database.redacted()
        ),
    }
}

/// Opens (creating when missing) the SQLite database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("LANTERN_DATABASE_URL {url:?} is not a SQLite URL"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    create_parent_dir(options.get_filename())?;
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .context("cannot bring the database schema up to date")?;
    // Before the server answers anything, so no search misses an old ticket.
    tickets::fold_subjects(&pool)
        .await
        .context("cannot fold the subjects of stored tickets for search")?;
    Ok(pool)
}

/// Opens the PostgreSQL database `options` names and brings its schema up to date
/// (`migrations/postgres`, numbered as SQLite's).
pub async fn connect_postgres(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    let database = options.get_database().unwrap_or_default().to_owned();
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the PostgreSQL database {database:?}"))?;
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .context("cannot bring the PostgreSQL database schema up to date")?;
    Ok(pool)
}

/// A pool of either backend, for the modules converted to both.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the pool of whichever backend `$db` is. The body is
/// compiled once per backend, so one SQL text (with `$N` placeholders, which both accept)
/// serves both and each is type-checked against its own driver. Where the SQL must differ, a
/// module matches on [`Db`] itself.
macro_rules! on_either {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_either;

fn create_parent_dir(file: &Path) -> anyhow::Result<()> {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && file != Path::new(":memory:") => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the database folder {}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Write transactions take turns here, first come first served. SQLite has one writer; left to
/// its busy handler, concurrent writers retry after growing sleeps (up to 100 ms each), and
/// under load the unluckiest ticket submission waited most of a second.
#[derive(Debug, Clone, Default)]
pub struct WriteGate(Arc<Mutex<()>>);

impl WriteGate {
    /// A write transaction, once the writers before it are done. `BEGIN IMMEDIATE` takes the
    /// write lock at once, so a transaction that reads first never fails to start writing.
    pub async fn begin(&self, pool: &SqlitePool) -> sqlx::Result<WriteTransaction> {
        let turn = Arc::clone(&self.0).lock_owned().await;
        let transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTransaction { transaction, turn })
    }
}

/// The [`WriteGate`] turn of a committed transaction, kept for work that must finish before the
/// next writer starts (removing a file the transaction stopped using); dropping it passes the
/// turn on.
pub struct WriteTurn {
    _turn: OwnedMutexGuard<()>,
}

/// A transaction holding the [`WriteGate`] until it commits or is dropped (rolled back).
pub struct WriteTransaction {
    // Declared first so it is rolled back before the turn passes on.
    transaction: Transaction<'static, Sqlite>,
    turn: OwnedMutexGuard<()>,
}

impl WriteTransaction {
    pub async fn commit(self) -> sqlx::Result<()> {
        self.transaction.commit().await
    }

    /// Commits, and keeps the turn until the returned [`WriteTurn`] is dropped.
    pub async fn commit_keeping_turn(self) -> sqlx::Result<WriteTurn> {
        self.transaction.commit().await?;
        Ok(WriteTurn { _turn: self.turn })
    }
}

impl Deref for WriteTransaction {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.transaction
    }
}

impl DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.transaction
    }
}

/// Whether the database answers (for the health check).
pub async fn is_reachable(pool: &SqlitePool) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(pool)
        .await
        .is_ok()
}

/// An instant as stored in the database: Unix seconds.
pub fn seconds(instant: chrono::DateTime<chrono::Utc>) -> i64 {
    instant.timestamp()
}

/// The instant of stored Unix seconds (the inverse of [`seconds`]).
pub fn instant(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// Whether a write failed because a unique value (an e-mail, a name, an idempotency key, the one
/// open escalation of a ticket) already exists.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
