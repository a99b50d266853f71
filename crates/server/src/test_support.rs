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

use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::config::{AttachmentStorage, Backend, Config, DatabaseUrl};
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

/// Writes `content` to `path`, its modification time `age` ago: what a clean-up that goes by
/// age finds of a file left long ago.
pub fn write_dated(path: &Path, content: &[u8], age: std::time::Duration) {
    std::fs::write(path, content).expect("a file");
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(std::time::SystemTime::now() - age))
        .expect("a file dated back");
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
    /// Dropped with these databases.
    postgres: Option<TestPostgres>,
}

impl TestDatabases {
    pub async fn new(dir: &Path) -> anyhow::Result<Self> {
        let sqlite = db::connect(&format!("sqlite://{}", dir.join("lantern.db").display())).await?;
        let mut all = vec![Db::Sqlite(sqlite)];
        let mut postgres = None;
        if let Some(url) = postgres_url() {
            let database = TestPostgres::create(&url).await?;
            all.push(Db::Postgres(
                db::connect_postgres(database.options.clone(), POOL_SIZE).await?,
            ));
            postgres = Some(database);
        }
        Ok(Self { all, postgres })
    }

    /// Closes the pools and drops the PostgreSQL database, so a long-lived cluster does not
    /// fill with them.
    pub async fn remove(self) -> anyhow::Result<()> {
        for database in &self.all {
            match database {
                Db::Sqlite(pool) => pool.close().await,
                Db::Postgres(pool) => pool.close().await,
            }
        }
        if let Some(postgres) = self.postgres {
            postgres.remove().await?;
        }
        Ok(())
    }
}

/// Connections of a unit test's PostgreSQL pool, as a server's by default.
const POOL_SIZE: u32 = 8;

/// The variable choosing the backend of the API tests' apps (`TestApp`): `postgres` puts each
/// on a database of its own in the cluster of [`POSTGRES_URL_ENV`]; unset or `sqlite`, a SQLite
/// file. `scripts/test.sh` runs the API suite once with each.
pub const BACKEND_ENV: &str = "LANTERN_TEST_BACKEND";

/// The backend [`BACKEND_ENV`] chooses for the API tests' apps.
pub fn api_test_backend() -> Backend {
    match std::env::var(BACKEND_ENV).as_deref() {
        Err(_) | Ok("" | "sqlite") => Backend::Sqlite,
        Ok("postgres") => Backend::Postgres,
        Ok(other) => panic!("{BACKEND_ENV}={other:?}: expected sqlite or postgres"),
    }
}

/// The variable choosing where the API tests' apps store attachments: `s3` puts each app's in
/// a folder of its own in a bucket of the S3-compatible server at [`S3_URL_ENV`]; unset or
/// `folder`, the app's folder. `scripts/test.sh` runs the attachment tests once with each.
pub const ATTACHMENT_STORE_ENV: &str = "LANTERN_TEST_ATTACHMENT_STORE";

/// The address of the S3-compatible server the tests may create buckets in (`moto` in server
/// mode, which `scripts/test.sh` starts).
pub const S3_URL_ENV: &str = "LANTERN_TEST_S3_URL";

/// [`S3_URL_ENV`], or `None` when it is unset outside CI ([`test_resource`]).
pub fn s3_url() -> Option<String> {
    test_resource(
        S3_URL_ENV,
        "the tests on S3 storage are skipped",
        "scripts/test.sh starts moto in server mode and sets it",
    )
}

/// Storage in a new folder of a bucket of the S3-compatible server at `endpoint`, with the
/// credentials any such test server takes.
pub async fn test_bucket(endpoint: &str) -> anyhow::Result<AttachmentStorage> {
    const BUCKET: &str = "lantern-tests";
    crate::content_store::use_ring_for_tls();
    // Creating the bucket again answers 200 (us-east-1) or 409 "already yours": both are fine.
    let created = reqwest::Client::new()
        .put(format!("{}/{BUCKET}", endpoint.trim_end_matches('/')))
        .send()
        .await
        .with_context(|| format!("cannot reach the S3 server of {S3_URL_ENV} at {endpoint}"))?;
    let status = created.status();
    anyhow::ensure!(
        status.is_success() || status == reqwest::StatusCode::CONFLICT,
        "the S3 server at {endpoint} did not create the bucket {BUCKET}: {status}"
    );
    let option = |key: &str, value: &str| (key.to_owned(), value.to_owned());
    Ok(AttachmentStorage::S3 {
        url: format!("s3://{BUCKET}/{:016x}", rand::random::<u64>()),
        options: vec![
            option("aws_endpoint", endpoint),
            option("aws_allow_http", "true"),
            option("aws_region", "us-east-1"),
            option("aws_access_key_id", "lantern-test"),
            option("aws_secret_access_key", "lantern-test"),
        ],
    })
}

/// A configuration for an API test's app in `dir` on the backend of [`api_test_backend`] and
/// the attachment store of [`ATTACHMENT_STORE_ENV`], and the PostgreSQL database it uses, to
/// keep while the app runs.
pub async fn api_test_config(dir: &Path) -> anyhow::Result<(Config, Option<TestPostgres>)> {
    let mut config = config_in(dir);
    match std::env::var(ATTACHMENT_STORE_ENV).as_deref() {
        Err(_) | Ok("" | "folder") => {}
        Ok("s3") => {
            let endpoint = std::env::var(S3_URL_ENV)
                .with_context(|| format!("{ATTACHMENT_STORE_ENV}=s3 needs {S3_URL_ENV}"))?;
            config.attachments.storage = test_bucket(&endpoint).await?;
        }
        Ok(other) => panic!("{ATTACHMENT_STORE_ENV}={other:?}: expected folder or s3"),
    }
    if api_test_backend() == Backend::Sqlite {
        return Ok((config, None));
    }
    let url = std::env::var(POSTGRES_URL_ENV)
        .with_context(|| format!("{BACKEND_ENV}=postgres needs {POSTGRES_URL_ENV}"))?;
    let database = TestPostgres::create(&url).await?;
    config.database = DatabaseUrl {
        backend: Backend::Postgres,
        url: database.url.clone(),
    };
    Ok((config, Some(database)))
}

/// A PostgreSQL database of one test, copied from this run's migrated template (a copy takes
/// a few milliseconds, migrating takes far longer); dropped with this value, so a long-lived
/// cluster does not fill with them.
pub struct TestPostgres {
    cluster: PgConnectOptions,
    pub options: PgConnectOptions,
    pub url: String,
    name: String,
    removed: bool,
}

impl TestPostgres {
    /// A new database in the cluster whose superuser's URL is `cluster_url`.
    pub async fn create(cluster_url: &str) -> anyhow::Result<Self> {
        let cluster = PgConnectOptions::from_str(cluster_url)
            .with_context(|| format!("{POSTGRES_URL_ENV} is not a PostgreSQL URL"))?;
        let template = migrated_template(&cluster).await?;
        let name = format!("lantern_test_{:016x}", rand::random::<u64>());
        let mut admin = cluster
            .connect()
            .await
            .with_context(|| format!("cannot connect to the test cluster of {POSTGRES_URL_ENV}"))?;
        admin
            .execute(format!("CREATE DATABASE {name} TEMPLATE {template}").as_str())
            .await
            .with_context(|| format!("cannot copy the template database {template}"))?;
        admin.close().await?;
        let mut url = url::Url::parse(cluster_url)?;
        url.set_path(&name);
        Ok(Self {
            options: cluster.clone().database(&name),
            cluster,
            url: url.to_string(),
            name,
            removed: false,
        })
    }

    /// Drops the database, closing whatever connections to it are left.
    pub async fn remove(mut self) -> anyhow::Result<()> {
        self.removed = true;
        drop_database(&self.cluster, &self.name).await
    }
}

impl Drop for TestPostgres {
    /// Where no one called [`TestPostgres::remove`] (an app dropped at the end of its test, or
    /// a test that panicked): on a thread of its own, as the test's runtime may be ending.
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        let (cluster, name) = (self.cluster.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(anyhow::Error::from)
                .and_then(|runtime| runtime.block_on(drop_database(&cluster, &name)))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            let _ = writeln!(
                std::io::stderr(),
                "note: the test database {} was left in the cluster",
                self.name
            );
        }
    }
}

async fn drop_database(cluster: &PgConnectOptions, name: &str) -> anyhow::Result<()> {
    let mut admin = cluster.connect().await?;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    admin.close().await?;
    Ok(())
}

/// The name of a database in `cluster` migrated to this build's PostgreSQL migrations, made
/// once per cluster and set of migrations: named after their checksums, built under another
/// name and renamed when complete, under an advisory lock, as several test processes may ask
/// at once.
async fn migrated_template(cluster: &PgConnectOptions) -> anyhow::Result<String> {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_try_init(|| async {
            let mut checksums = Sha256::new();
            for migration in db::POSTGRES_MIGRATIONS.iter() {
                checksums.update(migration.version.to_be_bytes());
                checksums.update(&*migration.checksum);
            }
            let digest = checksums.finalize();
            let name = format!("lantern_template_{}", hex::encode(&digest[..8]));
            let mut admin = cluster.connect().await?;
            sqlx::query("SELECT pg_advisory_lock(hashtextextended('lantern test template', 0))")
                .execute(&mut admin)
                .await?;
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                    .bind(&name)
                    .fetch_one(&mut admin)
                    .await?;
            if !exists {
                let building = format!("{name}_building");
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)").as_str())
                    .await?;
                admin
                    .execute(format!("CREATE DATABASE {building}").as_str())
                    .await?;
                db::connect_postgres(cluster.clone().database(&building), 1)
                    .await?
                    .close()
                    .await;
                admin
                    .execute(format!("ALTER DATABASE {building} RENAME TO {name}").as_str())
                    .await?;
            }
            // Closing the connection also releases the lock.
            admin.close().await?;
            Ok(name)
        })
        .await
        .cloned()
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
