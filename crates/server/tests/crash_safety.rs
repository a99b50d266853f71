//! Crash safety of the real server binary: tickets and uploads made under concurrent load
//! survive a SIGKILL in the middle of the load, no ticket exists twice after every request
//! whose outcome was unknown is retried with its `Idempotency-Key`, no upload is stored
//! half-way, and the database passes `PRAGMA integrity_check` after each crash.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::tickets::question_ticket;
use common::{MULTIPART_BOUNDARY, free_port, multipart_upload};
use lantern_server::seed::DEMO_PASSWORD;
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use tokio::sync::Notify;

const ALICE: &str = "alice@northwind.example";
/// Every subject of this test starts so; nothing else in the demo data does.
const SUBJECT_PREFIX: &str = "Crash safety ticket";
/// Requests in flight at any time.
const WORKERS: usize = 8;
/// Most requests per worker; the kill comes long before they are used up.
const REQUESTS_PER_WORKER: usize = 40;
/// The server is killed as soon as this many requests were answered 201.
const KILL_AFTER_CREATED: usize = 60;
const START_TIMEOUT: Duration = Duration::from_secs(30);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The real `lantern-server serve` on a free loopback port; killed when dropped, so a failing
/// assertion never leaves it running.
struct Server {
    child: Child,
    base_url: String,
    log: PathBuf,
}

impl Server {
    async fn start(data: &Path) -> Self {
        let port = free_port();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let log = data.join(format!("server-{port}.log"));
        let child = Command::new(env!("CARGO_BIN_EXE_lantern-server"))
            .arg("serve")
            .current_dir(data)
            .env("LANTERN_ADDR", format!("127.0.0.1:{port}"))
            .env("LANTERN_DATABASE_URL", database_url(data))
            // The API is all this test needs; without a build the server still answers it.
            .env("LANTERN_DIST", repo.join("dist"))
            .env("LANTERN_POLICY", repo.join("policies/default.toml"))
            .env("LANTERN_CONTENT", repo.join("content/kb"))
            .env("LANTERN_ATTACHMENTS", attachment_dir(data))
            .env("LANTERN_DEMO", "1")
            .env("LANTERN_LOG", "warn")
            // Hundreds of tickets from one person within seconds are this test's load.
            .env("LANTERN_TICKETS_PER_HOUR", "100000")
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("a log file"))
            .spawn()
            .expect("the server binary starts");
        let mut server = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&mut self) {
        let client = client();
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited with {status}:\n{}", self.log_text());
            }
            let health = client
                .get(format!("{}/api/v1/health", self.base_url))
                .send()
                .await;
            if health.is_ok_and(|response| response.status() == StatusCode::OK) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the server was not healthy within {START_TIMEOUT:?}:\n{}",
            self.log_text()
        );
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown code of the server runs.
    fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn database_url(data: &Path) -> String {
    format!("sqlite://{}", data.join("lantern.db").display())
}

fn attachment_dir(data: &Path) -> PathBuf {
    data.join("attachments")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("an HTTP client")
}

/// The demo contact signed in to one server; cheap to clone into workers.
#[derive(Clone)]
struct Session {
    base_url: String,
    client: reqwest::Client,
    cookie: String,
}

impl Session {
    async fn sign_in(server: &Server) -> Self {
        let client = client();
        let response = client
            .post(format!("{}/api/v1/session", server.base_url))
            .header("x-requested-with", "lantern")
            .json(&json!({ "email": ALICE, "password": DEMO_PASSWORD }))
            .send()
            .await
            .expect("the sign-in is answered");
        assert_eq!(response.status(), StatusCode::OK, "sign-in failed");
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .expect("a session cookie")
            .to_owned();
        Self {
            base_url: server.base_url.clone(),
            client,
            cookie,
        }
    }

    fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base_url))
            .header("cookie", &self.cookie)
    }

    /// A state-changing request as the app sends it.
    fn post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base_url))
            .header("cookie", &self.cookie)
            .header("x-requested-with", "lantern")
    }
}

/// What the client learnt from one request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// 201 with the new thing's identifier.
    Created(String),
    /// No answer (the server died) or a 5xx: it may or may not have been stored.
    Unknown,
    /// Any other answer: a bug of this test or of the server.
    Unexpected(u16, String),
}

/// The outcome of a request that creates something, identified by `id_field` of the answer.
async fn outcome_of(request: RequestBuilder, id_field: &str) -> Outcome {
    let Ok(response) = request.send().await else {
        return Outcome::Unknown;
    };
    let status = response.status();
    let Ok(body) = response.json::<Value>().await else {
        return Outcome::Unknown;
    };
    match (status, body[id_field].as_str()) {
        (StatusCode::CREATED, Some(id)) => Outcome::Created(id.to_owned()),
        (status, _) if status.is_server_error() => Outcome::Unknown,
        (status, _) => Outcome::Unexpected(status.as_u16(), body.to_string()),
    }
}

/// Sends requests `0, 1, 2, ...` (made by `send`) from `WORKERS` concurrent loops and
/// SIGKILLs the server once `KILL_AFTER_CREATED` were answered 201; returns the outcome of
/// every request sent, by its index. Each loop stops at its first request without an answer.
async fn kill_under_load<F, Fut>(server: &mut Server, send: F) -> BTreeMap<usize, Outcome>
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let created = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(Notify::new());
    let outcomes = Arc::new(Mutex::new(BTreeMap::new()));
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let (send, created) = (send.clone(), created.clone());
            let (enough, outcomes) = (enough.clone(), outcomes.clone());
            tokio::spawn(async move {
                for round in 0..REQUESTS_PER_WORKER {
                    let index = round * WORKERS + worker;
                    let outcome = send(index).await;
                    let server_gone = outcome == Outcome::Unknown;
                    if matches!(outcome, Outcome::Created(_))
                        && created.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER_CREATED
                    {
                        enough.notify_one();
                    }
                    outcomes
                        .lock()
                        .expect("no worker panicked")
                        .insert(index, outcome);
                    if server_gone {
                        break;
                    }
                }
            })
        })
        .collect();
    let all_sent = {
        let enough = enough.clone();
        tokio::spawn(async move {
            for worker in workers {
                worker.await.expect("a worker finishes");
            }
            // Wakes the killer even when the load ended early, so the test fails, not hangs.
            enough.notify_one();
        })
    };
    enough.notified().await;
    server.kill();
    all_sent.await.expect("the load finishes");

    let outcomes = outcomes.lock().expect("no worker panicked").clone();
    let unexpected: Vec<_> = outcomes
        .values()
        .filter(|outcome| matches!(outcome, Outcome::Unexpected(..)))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    assert!(
        created.load(Ordering::SeqCst) >= KILL_AFTER_CREATED,
        "the load ended before the kill"
    );
    assert!(
        outcomes
            .values()
            .any(|outcome| *outcome == Outcome::Unknown),
        "the kill interrupted no request"
    );
    outcomes
}

async fn open_database(data: &Path) -> sqlx::SqliteConnection {
    SqliteConnectOptions::from_str(&database_url(data))
        .expect("a database URL")
        .connect()
        .await
        .expect("the database opens")
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of a stopped server's database.
async fn assert_database_is_sound(data: &Path) {
    let mut connection = open_database(data).await;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut connection)
        .await
        .expect("integrity_check runs");
    assert_eq!(integrity, ["ok"]);
    let broken_references: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(&mut connection)
            .await
            .expect("foreign_key_check runs");
    assert!(broken_references.is_empty(), "{broken_references:?}");
}

/// Checks a copy of the crashed database (with its write-ahead log), so the restarted server
/// still recovers the crashed files itself.
async fn assert_crashed_database_is_sound(data: &Path) {
    let copy = data.join("copy");
    std::fs::create_dir_all(&copy).expect("a folder for the copy");
    for suffix in ["", "-wal", "-shm"] {
        let name = format!("lantern.db{suffix}");
        if data.join(&name).exists() {
            std::fs::copy(data.join(&name), copy.join(&name)).expect("a copy of the database");
        }
    }
    assert_database_is_sound(&copy).await;
}

/// One submission of the wizard: the same key and body on every retry.
#[derive(Debug, Clone)]
struct Submission {
    key: String,
    subject: String,
    body: Value,
}

impl Submission {
    fn numbered(index: usize) -> Self {
        let subject = format!("{SUBJECT_PREFIX} {index:04}");
        let body = question_ticket(&subject);
        Self {
            key: format!("crash-safety-{index:04}"),
            subject,
            body,
        }
    }

    fn request(&self, session: &Session) -> RequestBuilder {
        session
            .post("/api/v1/tickets")
            .header("idempotency-key", &self.key)
            .json(&self.body)
    }
}

/// Replays every submission that may have created a ticket and returns subject -> number,
/// checking that a ticket answered 201 before the crash comes back unchanged.
async fn replay(server: &Server, outcomes: &BTreeMap<usize, Outcome>) -> BTreeMap<String, String> {
    let session = Session::sign_in(server).await;
    let mut numbers = BTreeMap::new();
    for (index, before) in outcomes {
        let submission = Submission::numbered(*index);
        let response = submission
            .request(&session)
            .send()
            .await
            .expect("the restarted server answers");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON answer");
        let number = body["number"].as_str().unwrap_or_default().to_owned();
        match (before, status) {
            (Outcome::Created(number_before), StatusCode::OK) => {
                assert_eq!(&number, number_before, "{}", submission.key);
            }
            (Outcome::Unknown, StatusCode::OK | StatusCode::CREATED) => {}
            (before, status) => panic!(
                "{} ({before:?}) was answered {status} on replay: {body}",
                submission.key
            ),
        }
        numbers.insert(submission.subject, number);
    }
    numbers
}

/// Subject and number of every ticket this test filed, as stored.
async fn stored_tickets(data: &Path) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, number FROM tickets WHERE subject LIKE ? ORDER BY subject")
        .bind(format!("{SUBJECT_PREFIX}%"))
        .fetch_all(&mut open_database(data).await)
        .await
        .expect("the tickets are readable")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_answered_201_survive_a_sigkill_exactly_once() {
    let data = tempfile::tempdir().expect("a temporary directory");
    let mut server = Server::start(data.path()).await;
    let session = Session::sign_in(&server).await;
    let outcomes = kill_under_load(&mut server, move |index| {
        let request = Submission::numbered(index).request(&session);
        outcome_of(request, "number")
    })
    .await;
    assert_crashed_database_is_sound(data.path()).await;

    let mut restarted = Server::start(data.path()).await;
    let numbers = replay(&restarted, &outcomes).await;
    restarted.kill();

    assert_database_is_sound(data.path()).await;
    let stored = stored_tickets(data.path()).await;
    let stored_subjects: BTreeSet<&String> = stored.iter().map(|(subject, _)| subject).collect();
    assert_eq!(stored_subjects.len(), stored.len(), "a ticket exists twice");
    let expected: Vec<(String, String)> = numbers.into_iter().collect();
    assert_eq!(
        stored, expected,
        "every submission has exactly its one ticket"
    );
}

/// The content of upload `index`: 64 KB, different for every upload.
fn upload_content(index: usize) -> Vec<u8> {
    format!("{index:06} 2025-03-03T08:59:59Z ERROR E1042 crash safety\n")
        .repeat(1200)
        .into_bytes()
}

fn upload_request(session: &Session, index: usize) -> RequestBuilder {
    session
        .post("/api/v1/attachments")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
        )
        .body(multipart_upload(
            "log",
            &format!("agent-{index}.log"),
            &upload_content(index),
        ))
}

/// Files in `dir` whose name ends with `.part` (uploads still arriving).
fn partial_uploads(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| {
                    path.extension()
                        .is_some_and(|extension| extension == "part")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every stored file's content hashes to its name (`sha256/ab/cdef...`): none is half-written.
fn assert_store_holds_whole_files(data: &Path) {
    let store = attachment_dir(data).join("sha256");
    let prefixes = std::fs::read_dir(&store).expect("the store exists");
    for prefix in prefixes.flatten() {
        for file in std::fs::read_dir(prefix.path())
            .expect("a prefix folder")
            .flatten()
        {
            let name = format!(
                "{}{}",
                prefix.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            );
            let content = std::fs::read(file.path()).expect("a stored file");
            assert_eq!(hex::encode(Sha256::digest(&content)), name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_answered_201_survive_a_sigkill_and_nothing_half_written_remains() {
    let data = tempfile::tempdir().expect("a temporary directory");
    let mut server = Server::start(data.path()).await;
    let session = Session::sign_in(&server).await;
    let outcomes = kill_under_load(&mut server, move |index| {
        outcome_of(upload_request(&session, index), "id")
    })
    .await;
    assert_crashed_database_is_sound(data.path()).await;
    // However the kill fell, an upload cut off while its bytes arrived is left like this one.
    let temp = attachment_dir(data.path()).join("tmp");
    std::fs::create_dir_all(&temp).expect("the temporary folder");
    std::fs::write(temp.join("cut-off.part"), b"2025-03-03 ERR").expect("a partial upload");
    // And content moved into the store whose commit the kill cut off is left like this one.
    let stray = attachment_dir(data.path())
        .join("sha256")
        .join("ff")
        .join("0".repeat(62));
    std::fs::create_dir_all(stray.parent().expect("a prefix folder")).expect("the store");
    std::fs::write(&stray, b"2025-03-03 ERR E1042").expect("a stray file");

    let mut restarted = Server::start(data.path()).await;
    assert_eq!(partial_uploads(&temp), Vec::<PathBuf>::new());
    assert!(
        !stray.exists(),
        "content no upload refers to is removed at start"
    );
    let session = Session::sign_in(&restarted).await;
    for (index, outcome) in &outcomes {
        let Outcome::Created(id) = outcome else {
            continue;
        };
        let response = session
            .get(&format!("/api/v1/attachments/{id}"))
            .send()
            .await
            .expect("the restarted server answers");
        assert_eq!(response.status(), StatusCode::OK, "upload {index}");
        let content = response.bytes().await.expect("the file");
        assert!(content == upload_content(*index), "upload {index} changed");
    }
    restarted.kill();

    assert_database_is_sound(data.path()).await;
    assert_store_holds_whole_files(data.path());
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments")
        .fetch_one(&mut open_database(data.path()).await)
        .await
        .expect("the uploads are readable");
    let created = outcomes
        .values()
        .filter(|outcome| matches!(outcome, Outcome::Created(_)))
        .count() as i64;
    let sent = outcomes.len() as i64;
    assert!(
        (created..=sent).contains(&rows),
        "{rows} rows for {created} uploads answered 201 of {sent} sent"
    );
}
