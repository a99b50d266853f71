//! Building a real app on a temporary SQLite file, for the API tests of every module, and
//! databases of both backends for the modules converted to them (issue 18).
//!
//! ```ignore
//! let dir = tempfile::tempdir()?;
//! let clock = Arc::new(ManualClock::new(start));
//! let state = lantern_server::test_support::state_in(dir.path(), clock).await?;
//! let app = lantern_server::router(state.clone());
//! ```

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{self, Db};
use crate::policy_file;
use crate::state::AppState;

/// The variable naming the PostgreSQL cluster the tests may create databases in (its
/// superuser's URL); `scripts/test.sh` starts a private cluster and sets it.
pub const POSTGRES_URL_ENV: &str = "LANTERN_TEST_POSTGRES_URL";

/// A configuration whose database and built app live in `dir` (the app folder `dir/dist` is
/// not created; tests that need it write their own files there).
pub fn config_in(dir: &Path) -> Config {
    let database = dir.join("lantern.db");
    let dist = dir.join("dist");
    let attachments = dir.join("attachments");
    let policy = policy_file::default_path();
    let lookup = |name: &str| match name {
        "LANTERN_DATABASE_URL" => Some(format!("sqlite://{}", database.display())),
        "LANTERN_DIST" => Some(dist.display().to_string()),
        "LANTERN_POLICY" => Some(policy.display().to_string()),
        "LANTERN_ATTACHMENTS" => Some(attachments.display().to_string()),
        _ => None,
    };
    match Config::load(None, lookup) {
        Ok(config) => config,
        Err(error) => panic!("the test configuration is invalid: {error}"),
    }
}

/// A ready state (migrated database) in `dir`.
pub async fn state_in(dir: &Path, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    AppState::build(config_in(dir), clock).await
}

/// [`POSTGRES_URL_ENV`], or `None` when it is unset outside CI ([`test_resource`]).
pub fn postgres_url() -> Option<String> {
    test_resource(
        POSTGRES_URL_ENV,
        "the tests on PostgreSQL are skipped and run on SQLite only",
        "scripts/test.sh starts a private cluster and sets it",
    )
}

/// A resource some tests need, named by the variable `name`: its value, or, when it is unset,
/// `None` and a note on stderr (once per variable and test binary) saying what is `skipped`
/// and `how` to set it. In CI (`CI` set) an unset variable fails the test: a test must not pass
/// there by not running.
pub fn test_resource(name: &'static str, skipped: &str, how: &str) -> Option<String> {
    static NOTED: Mutex<BTreeSet<&str>> = Mutex::new(BTreeSet::new());
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Some(value),
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "{name} is not set, and in CI (CI is set) the tests that need it must run: {how}"
            )
        }
        _ => {
            let first = NOTED.lock().map_or(true, |mut noted| noted.insert(name));
            if first {
                // Straight to stderr: the harness keeps what `eprintln!` writes in a passing
                // test to itself, and this note is for whoever reads the run.
                let _ = writeln!(
                    std::io::stderr(),
                    "note: {name} is not set, so {skipped} ({how})"
                );
            }
            None
        }
    }
}

/// A new, migrated database of each backend the tests can reach: a SQLite file in a folder
/// of the caller's, and a PostgreSQL database of its own in the cluster of
/// [`POSTGRES_URL_ENV`] when [`postgres_url`] gives one.
pub struct TestDatabases {
    /// SQLite first, then PostgreSQL.
    pub all: Vec<Db>,
    postgres: Option<(PgConnectOptions, String)>,
}

impl TestDatabases {
    pub async fn new(dir: &Path) -> anyhow::Result<Self> {
        let sqlite = db::connect(&format!("sqlite://{}", dir.join("lantern.db").display())).await?;
        let mut all = vec![Db::Sqlite(sqlite)];
        let mut postgres = None;
        if let Some(url) = postgres_url() {
            let cluster = PgConnectOptions::from_str(&url)
                .with_context(|| format!("{POSTGRES_URL_ENV} is not a PostgreSQL URL"))?;
            let name = format!("lantern_test_{:016x}", rand::random::<u64>());
            let mut admin = cluster.connect().await.with_context(|| {
                format!("cannot connect to the test cluster of {POSTGRES_URL_ENV}")
            })?;
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await?;
            admin.close().await?;
            all.push(Db::Postgres(
                db::connect_postgres(cluster.clone().database(&name)).await?,
            ));
            postgres = Some((cluster, name));
        }
        Ok(Self { all, postgres })
    }

    /// Closes the pools and drops the PostgreSQL database, so a long-lived cluster does not
    /// fill with them (a failed test leaves its database behind, for reading).
    pub async fn remove(self) -> anyhow::Result<()> {
        for database in &self.all {
            match database {
                Db::Sqlite(pool) => pool.close().await,
                Db::Postgres(pool) => pool.close().await,
            }
        }
        if let Some((cluster, name)) = self.postgres {
            let mut admin = cluster.connect().await?;
            admin
                .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
                .await?;
            admin.close().await?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl TestDatabases {
    /// Runs `test` on a new, migrated database of each backend, SQLite first, in a temporary
    /// folder of its own, and removes them after (the unit tests' common frame).
    pub async fn each(test: impl AsyncFn(&Db)) {
        let dir = tempfile::tempdir().expect("a temporary folder for the test databases");
        let databases = Self::new(dir.path())
            .await
            .expect("the test databases are created and migrated");
        for db in &databases.all {
            test(db).await;
        }
        databases
            .remove()
            .await
            .expect("the test databases are removed");
    }
}

/// A contact with `email` in an organisation of her own, on either backend; her id.
pub async fn test_person(db: &Db, email: &str) -> anyhow::Result<i64> {
    let id = db::on_either!(db, |executor| {
        let organisation: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, plan, allow_self_registration, created_at)
             VALUES ($1, 'standard', $2, 0) RETURNING id",
        )
        .bind(format!("Organisation of {email}"))
        .bind(false)
        .fetch_one(executor.reborrow())
        .await?;
        sqlx::query_scalar(
            "INSERT INTO users (organisation_id, email, name, role, created_at)
             VALUES ($1, $2, 'Someone', 'contact', 0) RETURNING id",
        )
        .bind(organisation)
        .bind(email)
        .fetch_one(executor)
        .await?
    });
    Ok(id)
}

/// A ticket filed by the person `requester_id` in her organisation, on either backend; its id.
pub async fn test_ticket(db: &Db, requester_id: i64) -> anyhow::Result<i64> {
    let id = db::on_either!(db, |executor| {
        sqlx::query_scalar(
            "INSERT INTO tickets (organisation_id, requester_id, product, case_type, severity,
                                  subject, description, contact_name, contact_email,
                                  created_at, updated_at)
             SELECT organisation_id, id, 'product', 'question', 'minor', 'A test ticket', '',
                    name, email, 0, 0
             FROM users WHERE id = $1
             RETURNING id",
        )
        .bind(requester_id)
        .fetch_one(executor)
        .await?
    });
    Ok(id)
}
