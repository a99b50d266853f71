//! Backups of the real server binary (issue 20): `lantern-server admin backup` taken while
//! tickets are filed restores, through `admin restore` into a new folder, every ticket
//! acknowledged before it began, with its replies and files, into a database that passes
//! `PRAGMA integrity_check`; and a restore never overwrites a database.

use crate::common;

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::servers::{Server, Session, Submission, lantern_server};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

const LOAD_PREFIX: &str = "Backup load ticket";
const LOG: &[u8] = b"2025-03-03T02:00:00Z ERROR E1042 snapshot of /srv/share failed\n";

fn database_url(data: &Path) -> String {
    format!("sqlite://{}", data.join("lantern.db").display())
}

/// `lantern-server admin ARGS...` for `data`; panics with its output unless it succeeds.
fn admin(data: &Path, args: &[&str]) -> std::process::Output {
    lantern_server(data, &database_url(data))
        .arg("admin")
        .args(args)
        .output()
        .expect("the admin command runs")
}

async fn created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("a JSON answer")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_restores_every_acknowledged_ticket_reply_and_file() {
    let data = tempfile::tempdir().expect("a temporary directory");
    let mut server = Server::start(data.path(), &database_url(data.path()), &[]).await;
    let session = Session::sign_in(&server.base_url).await;

    // Before the backup: a ticket whose reply carries a file.
    let ticket = created(
        Submission::numbered("Before the backup", 0)
            .request(&session)
            .send()
            .await
            .expect("the ticket is answered"),
    )
    .await;
    let number = ticket["number"].as_str().expect("a number").to_owned();
    let upload = created(
        session
            .upload("night.log", LOG)
            .send()
            .await
            .expect("answered"),
    )
    .await;
    let file_id = upload["id"].as_str().expect("an id").to_owned();
    let reply = session
        .post(&format!("/api/v1/tickets/{number}/replies"))
        .json(&json!({ "body": "The log of last night.", "attachments": [file_id] }))
        .send()
        .await
        .expect("the reply is answered");
    assert_eq!(reply.status(), StatusCode::OK);

    // Tickets filed one after the other all through the backup, each noted when answered 201.
    let acknowledged: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = tokio::spawn({
        let (session, acknowledged, stop) = (session.clone(), acknowledged.clone(), stop.clone());
        async move {
            let mut index = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let response = Submission::numbered(LOAD_PREFIX, index)
                    .request(&session)
                    .send()
                    .await;
                if let Ok(response) = response
                    && response.status() == StatusCode::CREATED
                {
                    let body: Value = response.json().await.unwrap_or_default();
                    let number = body["number"].as_str().unwrap_or_default().to_owned();
                    if let Ok(mut acknowledged) = acknowledged.lock() {
                        acknowledged.push((Instant::now(), number));
                    }
                }
                index += 1;
            }
        }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    let began = Instant::now();
    let backup = data.path().join("backup.tar");
    let backup_arg = backup.display().to_string();
    let output = {
        let data = data.path().to_owned();
        tokio::task::spawn_blocking(move || admin(&data, &["backup", "--to", &backup_arg]))
            .await
            .expect("the backup ran")
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    load.await.expect("the load ends");
    server.kill();
    let before: Vec<String> = acknowledged
        .lock()
        .expect("the load's notes")
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, number)| number.clone())
        .collect();
    assert!(
        !before.is_empty(),
        "the load filed tickets before the backup"
    );
    let during = acknowledged.lock().expect("the load's notes").len() - before.len();
    assert!(during > 0, "the load went on around the backup");

    // Restored into a new folder, checked, and served.
    let restored = tempfile::tempdir().expect("a temporary directory");
    let from = backup.display().to_string();
    let output = admin(restored.path(), &["restore", "--from", &from]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut connection = SqliteConnectOptions::from_str(&database_url(restored.path()))
        .expect("a database URL")
        .read_only(true)
        .connect()
        .await
        .expect("the restored database opens");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .expect("the check runs");
    assert_eq!(check, "ok");
    let stored: Vec<String> = sqlx::query_scalar("SELECT number FROM tickets")
        .fetch_all(&mut connection)
        .await
        .expect("the tickets are readable");
    connection.close().await.expect("closed");
    for number in before.iter().chain([&number]) {
        assert!(
            stored.contains(number),
            "{number} is missing from the restore"
        );
    }

    let mut server = Server::start(restored.path(), &database_url(restored.path()), &[]).await;
    let session = Session::sign_in(&server.base_url).await;
    let detail: Value = session
        .get(&format!("/api/v1/tickets/{number}"))
        .send()
        .await
        .expect("the ticket is answered")
        .json()
        .await
        .expect("a JSON answer");
    assert!(
        detail.to_string().contains("The log of last night."),
        "the reply is restored: {detail}"
    );
    let download = session
        .get(&format!("/api/v1/attachments/{file_id}"))
        .send()
        .await
        .expect("the download is answered");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.expect("the file").as_ref(), LOG);
    server.kill();

    // A restore never overwrites a database.
    let again = admin(restored.path(), &["restore", "--from", &from]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("exists"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}
