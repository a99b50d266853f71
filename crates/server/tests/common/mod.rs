//! Builds the real app on a temporary SQLite file, or a PostgreSQL database of its own
//! (`LANTERN_TEST_BACKEND=postgres`), and sends it requests.
#![allow(dead_code)] // each test file uses a different part of this helper

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use lantern_server::clock::ManualClock;
use lantern_server::config::Config;
use lantern_server::db::Db;
use lantern_server::kb::import::{ImportReport, import_dir};
use lantern_server::test_support::TestPostgres;
use lantern_server::{AppState, router, seed, test_support};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use tempfile::TempDir;
use tower::ServiceExt;

pub mod log;
pub mod servers;
pub mod smtp;
pub mod tickets;

pub const DEMO_PASSWORD: &str = seed::DEMO_PASSWORD;

/// A loopback port nothing listens on, for a server a test starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

pub fn start_instant() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-03-03T09:00:00Z")
        .expect("valid instant")
        .with_timezone(&Utc)
}

pub struct TestApp {
    pub dir: Arc<TempDir>,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    router: Router,
    /// The PostgreSQL database of this app and its restarts (`LANTERN_TEST_BACKEND=postgres`),
    /// dropped with the last of them.
    postgres: Option<Arc<TestPostgres>>,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// With demo data seeded.
    pub async fn seeded() -> Self {
        Self::seeded_with_config(|_| {}).await
    }

    /// With the demo data, and the configuration adjusted first.
    pub async fn seeded_with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        let app = Self::with_config(adjust).await;
        assert!(seed::seed_demo(&app.state).await.expect("demo seed"));
        app
    }

    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::with_state(adjust, |_| {}).await
    }

    /// With the configuration and then the assembled state adjusted before the router is built.
    pub async fn with_state(
        adjust_config: impl FnOnce(&mut Config),
        adjust_state: impl FnOnce(&mut AppState),
    ) -> Self {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let (mut config, postgres) = test_support::api_test_config(dir.path())
            .await
            .expect("a database for the test");
        adjust_config(&mut config);
        let clock = Arc::new(ManualClock::new(start_instant()));
        let mut app = Self::build(dir, config, clock, postgres.map(Arc::new)).await;
        adjust_state(&mut app.state);
        app.router = router(app.state.clone());
        app
    }

    /// A second app on the same database file and clock, as after a server restart.
    pub async fn restarted(&self) -> Self {
        let config = (*self.state.config).clone();
        Self::build(
            self.dir.clone(),
            config,
            self.clock.clone(),
            self.postgres.clone(),
        )
        .await
    }

    async fn build(
        dir: Arc<TempDir>,
        config: Config,
        clock: Arc<ManualClock>,
        postgres: Option<Arc<TestPostgres>>,
    ) -> Self {
        let state = AppState::build(config, clock.clone())
            .await
            .expect("app state");
        Self {
            dir,
            router: router(state.clone()),
            state,
            clock,
            postgres,
        }
    }

    /// The SHA-256 of every content in the app's attachment store (folder or bucket).
    pub async fn stored_contents(&self) -> Vec<String> {
        let mut stored: Vec<String> = self
            .state
            .attachment_store
            .list()
            .await
            .expect("the attachment store lists its content")
            .into_iter()
            .map(|content| content.sha256)
            .collect();
        stored.sort();
        stored
    }

    /// Runs the attachments' garbage collection as if its grace period were `grace`; returns
    /// how many contents it removed.
    pub async fn collect_garbage(&self, grace: chrono::Duration) -> usize {
        let mut state = self.state.clone();
        let mut config = (*state.config).clone();
        config.attachments.garbage_grace = grace;
        state.config = Arc::new(config);
        lantern_server::attachments::collect_garbage(&state)
            .await
            .expect("the garbage collection runs")
    }

    /// Whether this app runs on PostgreSQL (`LANTERN_TEST_BACKEND=postgres`).
    pub fn on_postgres(&self) -> bool {
        matches!(self.state.database, Db::Postgres(_))
    }

    /// The rows of `sql` (no parameters), read straight from the app's database, for tests
    /// that check what was stored.
    pub async fn rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let rows = match &self.state.database {
            Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
            Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        };
        rows.unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// The first column of every row of `sql` (no parameters).
    pub async fn column<T>(&self, sql: &str) -> Vec<T>
    where
        (T,): for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        self.rows::<(T,)>(sql)
            .await
            .into_iter()
            .map(|(value,)| value)
            .collect()
    }

    /// The one value `sql` (no parameters) selects, such as a `COUNT(*)`.
    pub async fn value<T>(&self, sql: &str) -> T
    where
        (T,): for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let mut values = self.column::<T>(sql).await;
        assert_eq!(values.len(), 1, "{sql} selects one row");
        values.remove(0)
    }

    /// Runs `sql` (no parameters) on the app's database.
    pub async fn execute(&self, sql: &str) {
        let done = match &self.state.database {
            Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(drop),
            Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop),
        };
        done.unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    pub fn request(&self, method: Method, path: &str) -> TestRequest<'_> {
        TestRequest {
            app: self,
            builder: Request::builder().method(method).uri(path),
            body: Body::empty(),
            client: None,
        }
    }

    pub fn get(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::GET, path)
    }

    /// A state-changing request as the app sends it (with the CSRF header).
    pub fn send(&self, method: Method, path: &str) -> TestRequest<'_> {
        self.request(method, path)
            .header("x-requested-with", "lantern")
    }

    /// Imports the articles of `content` and rebuilds the search engine from them, as a server
    /// does at start.
    pub async fn import_kb(&self, content: &std::path::Path) -> ImportReport {
        let report = import_dir(&self.state.database, &self.state.writes, content)
            .await
            .expect("the import runs");
        self.state
            .search
            .refresh(&self.state.database)
            .await
            .expect("the search engine rebuilds");
        report
    }

    /// Signs in and returns the `Cookie` header value for later requests.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = self
            .send(Method::POST, "/api/v1/session")
            .json(&serde_json::json!({ "email": email, "password": password }))
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "sign-in failed: {}",
            response.text()
        );
        response.session_cookie().expect("a session cookie")
    }
}

/// The boundary of [`multipart_upload`] bodies.
pub const MULTIPART_BOUNDARY: &str = "lantern-test-boundary";

/// A `multipart/form-data` body with a `kind` part and a `file` part, as the app uploads.
pub fn multipart_upload(kind: &str, file_name: &str, content: &[u8]) -> Vec<u8> {
    let boundary = MULTIPART_BOUNDARY;
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

pub struct TestRequest<'a> {
    app: &'a TestApp,
    builder: axum::http::request::Builder,
    body: Body,
    client: Option<SocketAddr>,
}

impl<'a> TestRequest<'a> {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    pub fn cookie(self, cookie: &str) -> Self {
        self.header("cookie", cookie)
    }

    /// Pretends the request comes from this client address.
    pub fn client_address(mut self, address: &str) -> Self {
        self.client = Some(format!("{address}:40000").parse().expect("socket address"));
        self
    }

    /// A header whose value is raw bytes, which need not be UTF-8.
    pub fn header_bytes(mut self, name: &str, value: &[u8]) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    /// A body without a `Content-Type` header.
    pub fn body_without_type(mut self, body: impl Into<Body>) -> Self {
        self.body = body.into();
        self
    }

    pub fn body(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.builder = self.builder.header(header::CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    pub fn json(self, value: &Value) -> Self {
        self.body("application/json", value.to_string())
    }

    pub async fn send(self) -> TestResponse {
        let mut request = self.builder.body(self.body).expect("request");
        if let Some(client) = self.client {
            request.extensions_mut().insert(ConnectInfo(client));
        }
        let response = self
            .app
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body,
        }
    }
}

impl<'a> std::future::IntoFuture for TestRequest<'a> {
    type Output = TestResponse;
    type IntoFuture =
        std::pin::Pin<Box<dyn std::future::Future<Output = TestResponse> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("not the expected JSON ({error}): {}", self.text()))
    }

    pub fn value(&self) -> Value {
        self.json()
    }

    /// The `error.code` of the one error shape.
    pub fn error_code(&self) -> String {
        self.value()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// `name=value` of the session cookie set by this response, when it set a non-empty one.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookie_ending("lantern_session")
    }

    /// `name=value` of the device cookie set by this response, when it set one.
    pub fn device_cookie(&self) -> Option<String> {
        self.cookie_ending("lantern_device")
    }

    /// `name=value` of the cookie that tells anonymous readers apart, when this response set it.
    pub fn browser_cookie(&self) -> Option<String> {
        self.cookie_ending("lantern_browser")
    }

    /// `name=value` of a non-empty cookie whose name ends with `suffix` (so `__Host-` prefixed
    /// names match too).
    fn cookie_ending(&self, suffix: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|set_cookie| set_cookie.split(';').next())
            .map(str::trim)
            .find(|pair| {
                pair.split_once('=')
                    .is_some_and(|(name, value)| name.ends_with(suffix) && !value.is_empty())
            })
            .map(str::to_owned)
    }
}

/// Every file under `dir`, however deep.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                files_under(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}
