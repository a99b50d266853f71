//! The database: connection, migrations, and one query module per table (or per resource where
//! a few tables make one, as `accounts` and `kb` do). SQLite is the default; PostgreSQL is being
//! added beside it (issue 18, DEVELOPERS.md "Two database backends"): a module converted to
//! both takes an [`Executor`] (a [`Db`], a [`WriteTransaction`] or a [`PooledConnection`]) and
//! writes its SQL once, for either backend, with [`on_either!`].

pub mod accounts;
pub mod agent_tokens;
pub mod analytics;
pub mod attachments;
pub mod deflections;
pub mod escalations;
pub mod idempotency_keys;
pub mod kb;
pub mod known_devices;
pub mod leases;
pub mod outbox;
pub mod sessions;
pub mod throttle_events;
pub mod ticket_ccs;
pub mod ticket_events;
pub mod ticket_surveys;
pub mod tickets;
pub mod tokens;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{
    Database, Describe, Either, Execute, PgPool, Pool, Postgres, Sqlite, SqliteConnection,
    SqlitePool, Transaction,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::config::{Backend, DatabaseUrl};

/// Opens the database `LANTERN_DATABASE_URL` names. PostgreSQL is refused until every query has
/// its PostgreSQL form (issue 18): starting on SQLite instead would let the vendor believe
/// their data is in PostgreSQL.
pub async fn open(database: &DatabaseUrl, postgres_pool_size: u32) -> anyhow::Result<Db> {
    Ok(match database.backend {
        Backend::Sqlite => Db::Sqlite(connect(&database.url).await?),
        Backend::Postgres => {
            // The configuration checked that it parses; the message names the key regardless.
            let options = PgConnectOptions::from_str(&database.url).with_context(|| {
                format!(
                    "LANTERN_DATABASE_URL {} is not a PostgreSQL URL",
                    database.redacted()
                )
            })?;
            Db::Postgres(
                connect_postgres(options, postgres_pool_size)
                    .await
                    .with_context(|| format!("LANTERN_DATABASE_URL {}", database.redacted()))?,
            )
        }
    })
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
    SQLITE_MIGRATIONS
        .run(&pool)
        .await
        .context("cannot bring the database schema up to date")?;
    // Before the server answers anything, so no search misses an old ticket.
    tickets::fold_subjects(&pool)
        .await
        .context("cannot fold the subjects of stored tickets for search")?;
    Ok(pool)
}

/// The SQLite schema.
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The PostgreSQL schema, numbered as SQLite's (`tests/api/schema_parity.rs`).
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Opens the PostgreSQL database `options` names and brings its schema up to date
/// (`migrations/postgres`, numbered as SQLite's).
pub async fn connect_postgres(options: PgConnectOptions, pool_size: u32) -> anyhow::Result<PgPool> {
    let database = options.get_database().unwrap_or_default().to_owned();
    let pool = PgPoolOptions::new()
        .max_connections(pool_size)
        // sqlx's 30 s default kept a server whose database is down silent for half a minute at
        // start, and a request waiting as long for a connection helps no one.
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the PostgreSQL database {database:?}"))?;
    POSTGRES_MIGRATIONS
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

impl Db {
    /// One connection of the pool, for reads that must see the same connection (no
    /// transaction); it goes back to the pool when dropped.
    pub async fn acquire(&self) -> sqlx::Result<PooledConnection> {
        Ok(match self {
            Self::Sqlite(pool) => PooledConnection::Sqlite(pool.acquire().await?),
            Self::Postgres(pool) => PooledConnection::Postgres(pool.acquire().await?),
        })
    }
}

/// A connection taken from a [`Db`] by [`Db::acquire`].
#[derive(Debug)]
pub enum PooledConnection {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// Where a query of a converted module runs, on either backend: a pool (each query takes a
/// connection of its own) or one connection (a transaction's, or a [`PooledConnection`]).
/// Functions take `impl Into<Executor<'_>>`, so callers pass `&state.database` or `&mut tx`.
#[derive(Debug)]
pub enum Executor<'c> {
    Sqlite(PoolOrConnection<'c, Sqlite>),
    Postgres(PoolOrConnection<'c, Postgres>),
}

impl Executor<'_> {
    /// The same pool or connection for one more call, where a function passes its executor to
    /// several converted functions in turn.
    pub fn reborrow(&mut self) -> Executor<'_> {
        match self {
            Self::Sqlite(executor) => Executor::Sqlite(executor.reborrow()),
            Self::Postgres(executor) => Executor::Postgres(executor.reborrow()),
        }
    }
}

/// One backend's side of an [`Executor`]. It is a `sqlx::Executor` itself, so the one body
/// [`on_either!`] compiles per backend serves the pool and the connection alike.
pub enum PoolOrConnection<'c, DB: Database> {
    Pool(&'c Pool<DB>),
    Connection(&'c mut DB::Connection),
}

impl<DB: Database> PoolOrConnection<'_, DB> {
    /// The same pool or connection for one more query, for a body that runs several (a
    /// `sqlx::Executor` is used up by its query).
    pub fn reborrow(&mut self) -> PoolOrConnection<'_, DB> {
        match self {
            Self::Pool(pool) => PoolOrConnection::Pool(*pool),
            Self::Connection(connection) => PoolOrConnection::Connection(&mut **connection),
        }
    }

    /// `clause` (`FOR UPDATE`, `FOR UPDATE SKIP LOCKED`) on PostgreSQL, nothing on SQLite,
    /// which has no row locks and needs none: its one writer is alone while it writes.
    pub fn row_lock(&self, clause: &'static str) -> &'static str {
        if DB::NAME == Postgres::NAME {
            clause
        } else {
            ""
        }
    }
}

impl<DB: Database> std::fmt::Debug for PoolOrConnection<'_, DB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Pool(pool) => f.debug_tuple("Pool").field(pool).finish(),
            Self::Connection(_) => f.write_str("Connection"),
        }
    }
}

impl<'c, DB: Database> sqlx::Executor<'c> for PoolOrConnection<'c, DB>
where
    for<'a> &'a mut DB::Connection: sqlx::Executor<'a, Database = DB>,
{
    type Database = DB;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<DB::QueryResult, DB::Row>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, DB>,
    {
        match self {
            Self::Pool(pool) => pool.fetch_many(query),
            Self::Connection(connection) => connection.fetch_many(query),
        }
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<DB::Row>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, DB>,
    {
        match self {
            Self::Pool(pool) => pool.fetch_optional(query),
            Self::Connection(connection) => connection.fetch_optional(query),
        }
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [DB::TypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<DB::Statement<'q>>>
    where
        'c: 'e,
    {
        match self {
            Self::Pool(pool) => pool.prepare_with(sql, parameters),
            Self::Connection(connection) => connection.prepare_with(sql, parameters),
        }
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<DB>>>
    where
        'c: 'e,
    {
        match self {
            Self::Pool(pool) => pool.describe(sql),
            Self::Connection(connection) => connection.describe(sql),
        }
    }
}

impl<'c> From<&'c Db> for Executor<'c> {
    fn from(db: &'c Db) -> Self {
        match db {
            Db::Sqlite(pool) => Self::Sqlite(PoolOrConnection::Pool(pool)),
            Db::Postgres(pool) => Self::Postgres(PoolOrConnection::Pool(pool)),
        }
    }
}

impl<'c> From<&'c mut PooledConnection> for Executor<'c> {
    fn from(connection: &'c mut PooledConnection) -> Self {
        match connection {
            PooledConnection::Sqlite(connection) => {
                Self::Sqlite(PoolOrConnection::Connection(&mut **connection))
            }
            PooledConnection::Postgres(connection) => {
                Self::Postgres(PoolOrConnection::Connection(&mut **connection))
            }
        }
    }
}

impl<'c> From<&'c mut WriteTransaction> for Executor<'c> {
    fn from(transaction: &'c mut WriteTransaction) -> Self {
        match &mut transaction.0 {
            OpenTransaction::Sqlite { transaction, .. } => {
                Self::Sqlite(PoolOrConnection::Connection(&mut **transaction))
            }
            OpenTransaction::Postgres(transaction) => {
                Self::Postgres(PoolOrConnection::Connection(&mut **transaction))
            }
        }
    }
}

/// For the modules not converted yet, which hold a SQLite connection (from
/// [`WriteTransaction::sqlite`]) and call converted ones with it.
impl<'c> From<&'c mut SqliteConnection> for Executor<'c> {
    fn from(connection: &'c mut SqliteConnection) -> Self {
        Self::Sqlite(PoolOrConnection::Connection(connection))
    }
}

/// Runs `$body` with `$executor` bound to the [`PoolOrConnection`] of whichever backend `$db`
/// (anything `Into<Executor>`) is on. The body is compiled once per backend, so one SQL text
/// (with `$N` placeholders, which both accept) serves both and each is type-checked against
/// its own driver. Where the SQL must differ, a module matches on [`Executor`] itself.
macro_rules! on_either {
    ($db:expr, |$executor:ident| $body:expr) => {
        match ::std::convert::Into::<$crate::db::Executor<'_>>::into($db) {
            // `mut` for bodies that run several queries (`reborrow`).
            #[allow(unused_mut)]
            $crate::db::Executor::Sqlite(mut $executor) => $body,
            #[allow(unused_mut)]
            $crate::db::Executor::Postgres(mut $executor) => $body,
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

/// SQLite's write transactions take turns here, first come first served. SQLite has one
/// writer; left to its busy handler, concurrent writers retry after growing sleeps (up to 100 ms
/// each), and under load the unluckiest ticket submission waited most of a second. PostgreSQL
/// writers do not queue here: it locks rows, and other servers may share the database.
#[derive(Debug, Clone, Default)]
pub struct WriteGate(Arc<Mutex<()>>);

impl WriteGate {
    /// A write transaction. On SQLite, once the writers before it are done, and `BEGIN
    /// IMMEDIATE` takes the write lock at once, so a transaction that reads first never fails
    /// to start writing. On PostgreSQL a plain `BEGIN` (READ COMMITTED) at once.
    pub async fn begin(&self, db: &Db) -> sqlx::Result<WriteTransaction> {
        let open = match db {
            Db::Sqlite(pool) => {
                let turn = self.turn().await;
                let transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
                OpenTransaction::Sqlite { transaction, turn }
            }
            Db::Postgres(pool) => OpenTransaction::Postgres(pool.begin().await?),
        };
        Ok(WriteTransaction(open))
    }

    /// A turn for one write statement without a transaction around it: a single statement is
    /// atomic on both backends. On SQLite it waits for the writers before it, as [`begin`]
    /// does; on PostgreSQL it is free at once, and the statement is one round trip instead of
    /// three (`BEGIN`, the statement, `COMMIT`).
    ///
    /// [`begin`]: WriteGate::begin
    pub async fn single<'db>(&self, db: &'db Db) -> SingleWrite<'db> {
        let turn = match db {
            Db::Sqlite(_) => Some(self.turn().await),
            Db::Postgres(_) => None,
        };
        SingleWrite { db, _turn: turn }
    }

    /// Waits for the writers before this one, timed for the metrics.
    async fn turn(&self) -> OwnedMutexGuard<()> {
        let started = std::time::Instant::now();
        let turn = Arc::clone(&self.0).lock_owned().await;
        crate::metrics::write_gate_waited(started.elapsed());
        turn
    }
}

/// A turn for one write statement ([`WriteGate::single`]); the turn passes on when dropped.
pub struct SingleWrite<'db> {
    db: &'db Db,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl<'c> From<&'c SingleWrite<'_>> for Executor<'c> {
    fn from(write: &'c SingleWrite<'_>) -> Self {
        write.db.into()
    }
}

/// A write transaction of either backend, rolled back when dropped uncommitted; on SQLite it
/// holds the [`WriteGate`] until then.
pub struct WriteTransaction(OpenTransaction);

enum OpenTransaction {
    Sqlite {
        // Declared first so it is rolled back before the turn passes on.
        transaction: Transaction<'static, Sqlite>,
        turn: OwnedMutexGuard<()>,
    },
    Postgres(Transaction<'static, Postgres>),
}

impl WriteTransaction {
    pub async fn commit(self) -> sqlx::Result<()> {
        match self.0 {
            OpenTransaction::Sqlite { transaction, turn } => {
                let committed = transaction.commit().await;
                // Only now may the next writer begin.
                drop(turn);
                committed
            }
            OpenTransaction::Postgres(transaction) => transaction.commit().await,
        }
    }
}

/// Waits for the transaction-scoped advisory lock named `key` on PostgreSQL, held until the
/// transaction ends; nothing on SQLite, whose one writer orders the transactions already.
pub async fn lock_in_transaction(db: impl Into<Executor<'_>>, key: &str) -> sqlx::Result<()> {
    match db.into() {
        Executor::Sqlite(_) => Ok(()),
        Executor::Postgres(executor) => {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(executor)
                .await
                .map(drop)
        }
    }
}

/// Whether the database answers (for the health check).
pub async fn is_reachable(db: &Db) -> bool {
    on_either!(db, |executor| sqlx::query("SELECT 1")
        .execute(executor)
        .await
        .is_ok())
}

/// The schema version this server's migrations bring the database to.
pub fn expected_schema_version(db: &Db) -> i64 {
    let migrator = match db {
        Db::Sqlite(_) => &SQLITE_MIGRATIONS,
        Db::Postgres(_) => &POSTGRES_MIGRATIONS,
    };
    migrator
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap_or(0)
}

/// The newest migration applied to the database, and whether one of them failed halfway.
pub async fn applied_schema_version(db: &Db) -> sqlx::Result<(i64, bool)> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT),
                 COUNT(*) FILTER (WHERE NOT success) > 0
             FROM _sqlx_migrations",
        )
        .fetch_one(executor)
        .await
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{TestDatabases, test_person};

    async fn count_known_devices(db: impl Into<Executor<'_>>) -> i64 {
        on_either!(db, |executor| {
            sqlx::query_scalar("SELECT COUNT(*) FROM known_devices")
                .fetch_one(executor)
                .await
                .unwrap()
        })
    }

    async fn remember_device(db: impl Into<Executor<'_>>, token_hash: &str, user_id: i64) {
        on_either!(db, |executor| {
            sqlx::query(
                "INSERT INTO known_devices (token_hash, user_id, last_used_at) VALUES ($1, $2, 0)",
            )
            .bind(token_hash)
            .bind(user_id)
            .execute(executor)
            .await
            .unwrap();
        });
    }

    #[tokio::test]
    async fn a_write_transaction_commits_or_rolls_back_on_either_backend() {
        TestDatabases::each(async |db| {
            let gate = WriteGate::default();
            let alice = test_person(db, "alice@example.com").await.unwrap();

            let mut dropped = gate.begin(db).await.unwrap();
            remember_device(&mut dropped, "rolled-back", alice).await;
            assert_eq!(count_known_devices(&mut dropped).await, 1);
            drop(dropped);
            assert_eq!(count_known_devices(db).await, 0);

            let mut committed = gate.begin(db).await.unwrap();
            remember_device(&mut committed, "committed", alice).await;
            committed.commit().await.unwrap();
            let mut connection = db.acquire().await.unwrap();
            assert_eq!(count_known_devices(&mut connection).await, 1);
        })
        .await;
    }

    #[tokio::test]
    async fn sqlite_writers_take_turns_and_postgres_writers_do_not() {
        TestDatabases::each(async |db| {
            let gate = WriteGate::default();
            let first = gate.begin(db).await.unwrap();
            let second = tokio::time::timeout(Duration::from_millis(200), gate.begin(db)).await;
            match db {
                Db::Sqlite(_) => assert!(second.is_err(), "the second writer waits its turn"),
                Db::Postgres(_) => assert!(
                    second.is_ok_and(|begun| begun.is_ok()),
                    "a PostgreSQL writer begins at once"
                ),
            }
            first.commit().await.unwrap();
            gate.begin(db).await.unwrap().commit().await.unwrap();
        })
        .await;
    }
}
