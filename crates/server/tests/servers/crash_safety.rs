//! Crash safety of the real server binary: tickets and uploads made under concurrent load
//! survive a SIGKILL in the middle of the load, no ticket exists twice after every request
//! whose outcome was unknown is retried with its `Idempotency-Key`, no upload is stored
//! half-way, and the database passes `PRAGMA integrity_check` after each crash.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use common::servers::{Outcome, Server, Session, Submission, kill_under_load, outcome_of, replay};
use lantern_server::test_support::write_dated;
use reqwest::{RequestBuilder, StatusCode};
use sha2::{Digest, Sha256};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

/// Every subject of this test starts so; nothing else in the demo data does.
const SUBJECT_PREFIX: &str = "Crash safety ticket";

fn database_url(data: &Path) -> String {
    format!("sqlite://{}", data.join("lantern.db").display())
}

fn attachment_dir(data: &Path) -> PathBuf {
    data.join("attachments")
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
    let mut server = Server::start(data.path(), &database_url(data.path()), &[]).await;
    let session = Session::sign_in(&server.base_url).await;
    let outcomes = kill_under_load(&mut server, move |index| {
        let request = Submission::numbered(SUBJECT_PREFIX, index).request(&session);
        outcome_of(request, "number")
    })
    .await;
    assert_crashed_database_is_sound(data.path()).await;

    let mut restarted = Server::start(data.path(), &database_url(data.path()), &[]).await;
    let numbers = replay(
        &Session::sign_in(&restarted.base_url).await,
        SUBJECT_PREFIX,
        &outcomes,
    )
    .await;
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
    session.upload(&format!("agent-{index}.log"), &upload_content(index))
}

/// Writes `content` to `path`, dated two hours ago.
fn write_hours_ago(path: &Path, content: &[u8]) {
    write_dated(path, content, std::time::Duration::from_secs(2 * 60 * 60));
}

/// Every stored file's content hashes to its name (`sha256/ab/cdef...`): none is half-written.
/// A file the kill cut off while it was written keeps the name it is written under
/// (`cdef...#1`), which is never read, and goes once older than an upload may take.
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
            if name.contains('#') {
                continue;
            }
            let content = std::fs::read(file.path()).expect("a stored file");
            assert_eq!(hex::encode(Sha256::digest(&content)), name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_answered_201_survive_a_sigkill_and_nothing_half_written_remains() {
    let data = tempfile::tempdir().expect("a temporary directory");
    let mut server = Server::start(data.path(), &database_url(data.path()), &[]).await;
    let session = Session::sign_in(&server.base_url).await;
    let outcomes = kill_under_load(&mut server, move |index| {
        outcome_of(upload_request(&session, index), "id")
    })
    .await;
    assert_crashed_database_is_sound(data.path()).await;
    // However the kill fell, an upload cut off while its bytes arrived is left like this one,
    // older than an upload may take (the restart's clean-up leaves younger ones: they may be
    // another server's, arriving).
    let temp = attachment_dir(data.path()).join("tmp");
    std::fs::create_dir_all(&temp).expect("the temporary folder");
    let cut_off = temp.join("cut-off.part");
    write_hours_ago(&cut_off, b"2025-03-03 ERR");
    // And content stored whose commit the kill cut off is left like this one, past the
    // garbage collection's grace period.
    let stray = attachment_dir(data.path())
        .join("sha256")
        .join("ff")
        .join("0".repeat(62));
    std::fs::create_dir_all(stray.parent().expect("a prefix folder")).expect("the store");
    write_hours_ago(&stray, b"2025-03-03 ERR E1042");

    let mut restarted = Server::start(data.path(), &database_url(data.path()), &[]).await;
    // The clean-up runs beside the serving server, at once.
    let cleaned = async {
        while cut_off.exists() || stray.exists() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    if tokio::time::timeout(std::time::Duration::from_secs(20), cleaned)
        .await
        .is_err()
    {
        panic!(
            "the restart did not remove the partial upload and the content no upload refers \
             to:\n{}",
            restarted.log()
        );
    }
    let session = Session::sign_in(&restarted.base_url).await;
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
