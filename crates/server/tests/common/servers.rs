//! The real `lantern-server serve` binary on free loopback ports, the demo contact signed in to
//! it, and load cut off by a SIGKILL (`tests/servers/crash_safety.rs`,
//! `tests/servers/several_servers.rs`).

use std::collections::BTreeMap;
use std::fs::File;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lantern_server::seed::DEMO_PASSWORD;
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::tickets::{ALICE, question_ticket};
use super::{MULTIPART_BOUNDARY, free_port, multipart_upload};

/// Requests in flight at any time.
pub const WORKERS: usize = 8;
/// Most requests per worker; the kill comes long before they are used up.
const REQUESTS_PER_WORKER: usize = 40;
/// The server is killed as soon as this many requests were answered 201.
pub const KILL_AFTER_CREATED: usize = 60;
const START_TIMEOUT: Duration = Duration::from_secs(30);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The real `lantern-server serve` on a free loopback port; killed when dropped, so a failing
/// assertion never leaves it running.
pub struct Server {
    child: Child,
    pub base_url: String,
    pub port: u16,
    log: PathBuf,
}

impl Server {
    /// On `database_url`, with its files in `data` and `settings` (`LANTERN_*` pairs) over the
    /// defaults here; seeds the demo data into an empty database.
    pub async fn start(data: &Path, database_url: &str, settings: &[(&str, String)]) -> Self {
        let port = free_port();
        let log = data.join(format!("server-{port}.log"));
        let mut command = lantern_server(data, database_url);
        command
            .arg("serve")
            .env("LANTERN_ADDR", format!("127.0.0.1:{port}"))
            .env("LANTERN_DEMO", "1")
            .env("LANTERN_LOG", "warn")
            // Hundreds of tickets from one person within seconds are this test's load.
            .env("LANTERN_TICKETS_PER_HOUR", "100000")
            .envs(settings.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("a log file"));
        let child = command.spawn().expect("the server binary starts");
        let mut server = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            port,
            log,
        };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&mut self) {
        let log = self.log.clone();
        wait_until_healthy(&mut self.child, &self.base_url, "the server", || {
            std::fs::read_to_string(&log).unwrap_or_default()
        })
        .await;
    }

    /// What the server logged so far, for a failing assertion's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown code of the server runs.
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The `lantern-server` binary set up for `data` (its database at `database_url`, its
/// attachments in `data/attachments`, the repository's policy and articles), for a command to
/// be added: `serve`, or `admin ...`.
pub fn lantern_server(data: &Path, database_url: &str) -> Command {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut command = Command::new(env!("CARGO_BIN_EXE_lantern-server"));
    command
        .current_dir(data)
        .env("LANTERN_DATABASE_URL", database_url)
        // The API is all these tests need; without a build the server still answers it.
        .env("LANTERN_DIST", repo.join("dist"))
        .env("LANTERN_POLICY", repo.join("policies/default.toml"))
        .env("LANTERN_CONTENT", repo.join("content/kb"))
        .env("LANTERN_ATTACHMENTS", data.join("attachments"));
    command
}

/// Waits until `base_url/api/v1/health` answers 200, for at most [`START_TIMEOUT`]; panics with
/// `log` when `child` (`what`) exits first or the time runs out.
pub async fn wait_until_healthy(
    child: &mut Child,
    base_url: &str,
    what: &str,
    log: impl Fn() -> String,
) {
    let client = client();
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited with {status}:\n{}", log());
        }
        let health = client.get(format!("{base_url}/api/v1/health")).send().await;
        if health.is_ok_and(|response| response.status() == StatusCode::OK) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{what} was not healthy within {START_TIMEOUT:?}:\n{}",
        log()
    );
}

pub fn client() -> reqwest::Client {
    lantern_server::content_store::use_ring_for_tls();
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("an HTTP client")
}

/// The demo contact signed in to one server; cheap to clone into workers.
#[derive(Clone)]
pub struct Session {
    base_url: String,
    client: reqwest::Client,
    cookie: String,
}

impl Session {
    /// Signs the demo contact in at `base_url` (a server, or a proxy in front of several).
    pub async fn sign_in(base_url: &str) -> Self {
        let client = client();
        let response = client
            .post(format!("{base_url}/api/v1/session"))
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
            base_url: base_url.to_owned(),
            client,
            cookie,
        }
    }

    /// The same session sent to `base_url` (another server of the same database).
    pub fn at(&self, base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            ..self.clone()
        }
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base_url))
            .header("cookie", &self.cookie)
    }

    /// A state-changing request as the app sends it.
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base_url))
            .header("cookie", &self.cookie)
            .header("x-requested-with", "lantern")
    }

    /// An upload of a log file named `name`.
    pub fn upload(&self, name: &str, content: &[u8]) -> RequestBuilder {
        self.post("/api/v1/attachments")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            )
            .body(multipart_upload("log", name, content))
    }
}

/// What the client learnt from one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 201 with the new thing's identifier.
    Created(String),
    /// No answer (the server died) or a 5xx: it may or may not have been stored.
    Unknown,
    /// Any other answer: a bug of this test or of the server.
    Unexpected(u16, String),
}

/// The outcome of a request that creates something, identified by `id_field` of the answer.
pub async fn outcome_of(request: RequestBuilder, id_field: &str) -> Outcome {
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
pub async fn kill_under_load<F, Fut>(server: &mut Server, send: F) -> BTreeMap<usize, Outcome>
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

/// One submission of the wizard: the same key and body on every retry.
#[derive(Debug, Clone)]
pub struct Submission {
    pub key: String,
    pub subject: String,
    pub body: Value,
}

impl Submission {
    /// Submission `index` of a load whose subjects start with `subject_prefix`.
    pub fn numbered(subject_prefix: &str, index: usize) -> Self {
        let subject = format!("{subject_prefix} {index:04}");
        let body = question_ticket(&subject);
        Self {
            key: format!(
                "{}-{index:04}",
                subject_prefix.to_lowercase().replace(' ', "-")
            ),
            subject,
            body,
        }
    }

    pub fn request(&self, session: &Session) -> RequestBuilder {
        session
            .post("/api/v1/tickets")
            .header("idempotency-key", &self.key)
            .json(&self.body)
    }
}

/// Replays every submission of the load `subject_prefix` that may have created a ticket and
/// returns subject -> number, checking that a ticket answered 201 before the crash comes back
/// unchanged.
pub async fn replay(
    session: &Session,
    subject_prefix: &str,
    outcomes: &BTreeMap<usize, Outcome>,
) -> BTreeMap<String, String> {
    let mut numbers = BTreeMap::new();
    for (index, before) in outcomes {
        let submission = Submission::numbered(subject_prefix, *index);
        let response = submission
            .request(session)
            .send()
            .await
            .expect("the replay is answered");
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
