//! Two real `lantern-server` processes on one PostgreSQL database behind a real nginx (issue
//! 18): the same idempotency key sent to both files one ticket; replies racing closes made on
//! the other server end as their answers said; every mail of the outbox (a real SMTP server,
//! aiosmtpd) arrives once; and one server killed with SIGKILL under ticket load through the
//! proxy loses no ticket answered 201, while the other keeps answering through the proxy.
//! Attachments are stored in a bucket of a real S3 server (moto) and serve both servers.
//! A ticket solved three days ago (its date moved back in the database) is closed once by the
//! auto-close rules both servers run every minute, under their lease.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::free_port;
use common::servers::{
    Outcome, Server, Session, Submission, client, kill_under_load, outcome_of, replay,
    wait_until_healthy,
};
use common::smtp::{Sink, received, sink_python};
use common::tickets::AGENT_TOKEN;
use lantern_server::config::AttachmentStorage;
use lantern_server::content_store::ContentStore;
use lantern_server::test_support::{
    TestPostgres, config_in, postgres_url, s3_url, test_bucket, test_resource,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// The nginx binary; scripts/test.sh installs Debian's nginx and sets it.
const NGINX_ENV: &str = "LANTERN_TEST_NGINX";
const RACES: usize = 12;
const LOAD_PREFIX: &str = "Two servers load ticket";
const AFTER_KILL: usize = 10;
const MAIL_TIMEOUT: Duration = Duration::from_secs(60);

/// nginx in front of servers, in one process of its own (no master, no daemon), killed when
/// dropped.
struct Nginx {
    child: Child,
    base_url: String,
    dir: PathBuf,
}

impl Nginx {
    async fn start(binary: &Path, dir: &Path, upstreams: &[u16]) -> Self {
        std::fs::create_dir_all(dir).expect("nginx's folder");
        let port = free_port();
        let servers: String = upstreams
            .iter()
            .map(|port| format!("server 127.0.0.1:{port} max_fails=1 fail_timeout=30s; "))
            .collect();
        let dir_text = dir.display();
        let config = format!(
            "daemon off; master_process off; worker_processes 1;
             pid {dir_text}/nginx.pid; error_log {dir_text}/error.log warn;
             events {{ worker_connections 256; }}
             http {{
                 access_log off;
                 client_body_temp_path {dir_text}/body; proxy_temp_path {dir_text}/proxy;
                 fastcgi_temp_path {dir_text}/fastcgi; uwsgi_temp_path {dir_text}/uwsgi;
                 scgi_temp_path {dir_text}/scgi;
                 upstream lantern {{ {servers} }}
                 server {{
                     listen 127.0.0.1:{port};
                     client_max_body_size 30m;
                     location / {{
                         proxy_pass http://lantern;
                         proxy_set_header Host $host;
                         proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                         proxy_next_upstream error timeout;
                         proxy_connect_timeout 2s;
                     }}
                 }}
             }}"
        );
        let config_file = dir.join("nginx.conf");
        std::fs::write(&config_file, config).expect("nginx's configuration");
        let child = Command::new(binary)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&config_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let mut nginx = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            dir: dir.to_owned(),
        };
        nginx.wait_until_answering().await;
        nginx
    }

    async fn wait_until_answering(&mut self) {
        let log = self.dir.join("error.log");
        wait_until_healthy(&mut self.child, &self.base_url, "nginx", || {
            std::fs::read_to_string(&log).unwrap_or_default()
        })
        .await;
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request of the agent API (the demo agent token) to `base_url`.
fn agent(base_url: &str, path: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{base_url}/api/v1/agent{path}"))
        .header("authorization", format!("Bearer {AGENT_TOKEN}"))
}

async fn file_ticket(session: &Session, key: &str, subject: &str) -> (StatusCode, Value) {
    let response = Submission {
        key: key.to_owned(),
        subject: subject.to_owned(),
        body: common::tickets::question_ticket(subject),
    }
    .request(session)
    .send()
    .await
    .expect("the submission is answered");
    let status = response.status();
    (status, response.json().await.expect("a JSON answer"))
}

/// Sent to each server at once, one key files one ticket: both answers name it.
async fn one_key_sent_to_both_servers_files_one_ticket(
    first: &Session,
    second: &Session,
    db: &PgPool,
) {
    let subject = "Two servers, one submission";
    let (one, other) = tokio::join!(
        file_ticket(first, "two-servers-one-key", subject),
        file_ticket(second, "two-servers-one-key", subject),
    );
    let statuses = [one.0, other.0];
    assert!(
        statuses.contains(&StatusCode::CREATED)
            && statuses
                .iter()
                .all(|status| [StatusCode::CREATED, StatusCode::OK].contains(status)),
        "{one:?} {other:?}"
    );
    assert_eq!(one.1["number"], other.1["number"]);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE subject = $1")
        .bind(subject)
        .fetch_one(db)
        .await
        .expect("the tickets are readable");
    assert_eq!(stored, 1);
}

/// The same content uploaded through both servers at once is stored once, in `store`; each
/// upload downloads through either server and through the proxy.
async fn uploads_serve_every_server(
    first: &Session,
    second: &Session,
    proxy: &Session,
    store: &ContentStore,
) {
    let content = b"2025-03-03T09:00:00Z ERROR E1042 two servers\n".repeat(2000);
    let (one, other) = tokio::join!(
        first.upload("first.log", &content).send(),
        second.upload("second.log", &content).send(),
    );
    let mut ids = Vec::new();
    for response in [one, other] {
        let response = response.expect("the upload is answered");
        assert_eq!(response.status(), StatusCode::CREATED);
        let uploaded: Value = response.json().await.expect("a JSON answer");
        ids.push(uploaded["id"].as_str().expect("an id").to_owned());
    }
    for id in &ids {
        for session in [first, second, proxy] {
            let response = session
                .get(&format!("/api/v1/attachments/{id}"))
                .send()
                .await
                .expect("the download is answered");
            assert_eq!(response.status(), StatusCode::OK, "{id}");
            let downloaded = response.bytes().await.expect("the file");
            assert!(downloaded == content, "{id} came back changed");
        }
    }
    let sha256 = hex::encode(Sha256::digest(&content));
    let stored = store.list().await.expect("the store lists its content");
    let copies = stored
        .iter()
        .filter(|stored| stored.sha256 == sha256)
        .count();
    assert_eq!(copies, 1, "{stored:?}");
}

/// A ticket an agent solved, dated three days back (past the policy's two days), is closed
/// by the auto-close rules once: one closure in the timeline, and its mail, checked with the
/// others by [`every_mail_arrives_once`], once.
async fn the_auto_close_rules_close_once(first: &Session, second: &Server, db: &PgPool) {
    let (status, ticket) = file_ticket(first, "auto-close", "Solved three days ago").await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    let number = ticket["number"].as_str().expect("a number").to_owned();
    let solved = agent(&second.base_url, &format!("/tickets/{number}/status"))
        .json(&json!({ "status": "solved", "reason": "Answered in the ticket" }))
        .send()
        .await
        .expect("the agent's change is answered");
    assert_eq!(solved.status(), StatusCode::OK);
    const THREE_DAYS: i64 = 3 * 24 * 60 * 60;
    sqlx::query("UPDATE tickets SET solved_at = solved_at - $1 WHERE number = $2")
        .bind(THREE_DAYS)
        .bind(&number)
        .execute(db)
        .await
        .expect("the ticket is dated back");
    // The holder's next round comes within a minute; a lease taken by a server that stopped
    // would pass on within three.
    let deadline = Instant::now() + Duration::from_secs(200);
    loop {
        let status: String = sqlx::query_scalar("SELECT status FROM tickets WHERE number = $1")
            .bind(&number)
            .fetch_one(db)
            .await
            .expect("the ticket");
        if status == "closed" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not closed automatically: {status}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let closures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE t.number = $1 AND e.kind = 'auto_closed'",
    )
    .bind(&number)
    .fetch_one(db)
    .await
    .expect("the timeline");
    assert_eq!(closures, 1);
}

/// The customer replies through one server while an agent closes the ticket through the other;
/// whichever comes first, the stored ticket says what the answers said: a reply answered 200
/// is in the timeline before the closure, one refused (409) is not there at all.
async fn replies_racing_closes_end_as_answered(first: &Session, second: &Server, db: &PgPool) {
    for race in 0..RACES {
        let (status, ticket) = file_ticket(
            first,
            &format!("race-{race}"),
            &format!("Reply racing a close {race}"),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{ticket}");
        let number = ticket["number"].as_str().expect("a number").to_owned();
        let body = format!("Reply in race {race}");
        let reply = first
            .post(&format!("/api/v1/tickets/{number}/replies"))
            .json(&json!({ "body": body, "attachments": [] }))
            .send();
        let close = agent(&second.base_url, &format!("/tickets/{number}/status"))
            .json(&json!({ "status": "closed", "reason": "Race" }))
            .send();
        let (reply, close) = tokio::join!(reply, close);
        let reply = reply.expect("the reply is answered").status();
        let close = close.expect("the close is answered").status();
        assert!(
            [StatusCode::OK, StatusCode::CONFLICT].contains(&reply),
            "reply {reply}"
        );
        assert_eq!(close, StatusCode::OK, "race {race}");
        let (status, ticket_id): (String, i64) =
            sqlx::query_as("SELECT status, id FROM tickets WHERE number = $1")
                .bind(&number)
                .fetch_one(db)
                .await
                .expect("the ticket");
        assert_eq!(status, "closed", "race {race}");
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT kind FROM ticket_events
             WHERE ticket_id = $1 AND kind IN ('customer_reply', 'status_changed') ORDER BY id",
        )
        .bind(ticket_id)
        .fetch_all(db)
        .await
        .expect("the timeline");
        let expected: &[&str] = if reply == StatusCode::OK {
            &["customer_reply", "status_changed"]
        } else {
            &["status_changed"]
        };
        assert_eq!(kinds, expected, "race {race}: reply answered {reply}");
    }
}

/// Once the outbox is empty, every mail it sent arrived once: the same (recipient, subject)
/// pairs, as often, as the outbox holds.
async fn every_mail_arrives_once(mail: &Path, db: &PgPool) {
    let deadline = Instant::now() + MAIL_TIMEOUT;
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(db)
        .await
        .expect("the outbox is readable");
        if waiting == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{waiting} mails still waiting after {MAIL_TIMEOUT:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let rows: Vec<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT recipient, subject, sent_at FROM outbox")
            .fetch_all(db)
            .await
            .expect("the outbox is readable");
    assert!(
        rows.iter().all(|row| row.2.is_some()),
        "a mail failed: {rows:?}"
    );
    let mut sent: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (recipient, subject, _) in rows {
        *sent.entry((recipient, subject)).or_default() += 1;
    }
    assert!(!sent.is_empty(), "the test sent no mail");
    assert_eq!(received(mail), sent);
}

/// Ticket load through the proxy, and the first server killed in the middle of it: every
/// ticket answered 201 is stored once, the submissions whose answer was lost are replayed
/// through the proxy, and new ones keep being answered.
async fn a_killed_server_loses_no_ticket(first: &mut Server, proxy: &Nginx, db: &PgPool) {
    let session = Session::sign_in(&proxy.base_url).await;
    let load = session.clone();
    let outcomes = kill_under_load(first, move |index| {
        outcome_of(
            Submission::numbered(LOAD_PREFIX, index).request(&load),
            "number",
        )
    })
    .await;
    let numbers = replay(&session, LOAD_PREFIX, &outcomes).await;
    let stored: Vec<(String, String)> = sqlx::query_as(
        "SELECT subject, number FROM tickets WHERE subject LIKE $1 ORDER BY subject",
    )
    .bind(format!("{LOAD_PREFIX}%"))
    .fetch_all(db)
    .await
    .expect("the tickets are readable");
    let expected: Vec<(String, String)> = numbers.into_iter().collect();
    assert_eq!(
        stored, expected,
        "every submission has exactly its one ticket"
    );
    for index in 0..AFTER_KILL {
        let outcome = outcome_of(
            Submission::numbered("After the kill", index).request(&session),
            "number",
        )
        .await;
        assert!(
            matches!(outcome, Outcome::Created(_)),
            "after the kill, {index}: {outcome:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_behind_nginx_share_one_postgres_database() {
    let Some(cluster) = postgres_url() else {
        return;
    };
    let Some(nginx) = test_resource(
        NGINX_ENV,
        "the two-server test is skipped",
        "scripts/test.sh installs Debian's nginx and sets it",
    ) else {
        return;
    };
    let Some(python) = sink_python() else {
        return;
    };
    let database = TestPostgres::create(&cluster)
        .await
        .expect("a database for the test");
    let db = PgPool::connect_with(database.options.clone())
        .await
        .expect("the test reads the database");
    let data = tempfile::tempdir().expect("a temporary directory");
    let mail = data.path().join("mail");
    std::fs::create_dir_all(&mail).expect("the sink's folder");
    let smtp_port = free_port();
    let _sink = Sink::start(&python, smtp_port, &mail);
    let mut settings = vec![
        ("LANTERN_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
        ("LANTERN_DEMO_AGENT_TOKEN", AGENT_TOKEN.to_owned()),
        ("LANTERN_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
        ("LANTERN_REPLIES_PER_HOUR", "100000".to_owned()),
        ("LANTERN_IMPORT_KB_AT_START", "false".to_owned()),
    ];
    // The attachments in a bucket, set as a vendor would: the URL and the AWS variables.
    // Without an S3 server (outside CI) they share the folder of LANTERN_ATTACHMENTS.
    let mut attachments = config_in(data.path()).attachments;
    if let Some(endpoint) = s3_url() {
        attachments.storage = test_bucket(&endpoint).await.expect("a bucket");
    }
    let mut variables = Vec::new();
    if let AttachmentStorage::S3 { url, options } = &attachments.storage {
        settings.push(("LANTERN_ATTACHMENT_STORE", url.clone()));
        variables = options
            .iter()
            .map(|(key, value)| (key.to_ascii_uppercase(), value.clone()))
            .collect();
    }
    settings.extend(
        variables
            .iter()
            .map(|(key, value)| (key.as_str(), value.clone())),
    );
    // One after the other, so the demo data is seeded once.
    let mut first = Server::start(data.path(), &database.url, &settings).await;
    let second = Server::start(data.path(), &database.url, &settings).await;
    let proxy = Nginx::start(
        Path::new(&nginx),
        &data.path().join("nginx"),
        &[first.port, second.port],
    )
    .await;

    let on_first = Session::sign_in(&first.base_url).await;
    let on_second = on_first.at(&second.base_url);
    one_key_sent_to_both_servers_files_one_ticket(&on_first, &on_second, &db).await;
    let store = ContentStore::open(&attachments).expect("the test reads the attachment store");
    let on_proxy = on_first.at(&proxy.base_url);
    uploads_serve_every_server(&on_first, &on_second, &on_proxy, &store).await;
    if matches!(attachments.storage, AttachmentStorage::S3 { .. }) {
        assert!(
            !data.path().join("attachments").join("sha256").exists(),
            "nothing stored in the folder"
        );
    }
    replies_racing_closes_end_as_answered(&on_first, &second, &db).await;
    the_auto_close_rules_close_once(&on_first, &second, &db).await;
    // Before the kill: a server killed while it sends may send a mail twice (DEVELOPERS.md).
    every_mail_arrives_once(&mail, &db).await;
    a_killed_server_loses_no_ticket(&mut first, &proxy, &db).await;
    db.close().await;
}
