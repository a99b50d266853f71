//! Mail survives an outage of the mail server (issue 20): against a real SMTP server (aiosmtpd,
//! `tests/support/smtp_sink.py`) that is first down, then refuses every message with 451,
//! then accepts, every queued mail arrives, and arrives once. The outage lasts minutes on the
//! portal's clock (a manual one, advanced by the delivery loop's five seconds per round), not
//! on the test's: the retries' waits are what is tested, not the wall clock.

use crate::common;

use std::collections::BTreeMap;

use axum::http::Method;
use common::smtp::{Sink, received, sink_python};
use common::{TestApp, free_port};
use lantern_server::db::outbox;
use lantern_server::mail::{self, Mailer};
use serde_json::json;

const ROUND_SECONDS: i64 = 5;

/// One round of the delivery loop, `ROUND_SECONDS` later than the last on the portal's clock.
async fn round(app: &TestApp, mailer: &Mailer) -> usize {
    app.clock.advance(chrono::Duration::seconds(ROUND_SECONDS));
    mail::deliver_pending(&app.state, mailer)
        .await
        .expect("the outbox is readable")
}

#[tokio::test]
async fn mail_queued_while_the_mail_server_is_down_or_refusing_arrives_once_it_is_back() {
    let Some(python) = sink_python() else {
        return;
    };
    let app = TestApp::seeded().await;
    let folder = tempfile::tempdir().expect("a folder for the sink");
    let port = free_port();
    let mailer = Mailer::from_config(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "support@lantern.example",
    )
    .expect("an SMTP mailer");

    // What the portal queues: a password-reset link, and a round of notices.
    let response = app
        .send(Method::POST, "/api/v1/password-resets")
        .json(&json!({ "email": "alice@northwind.example" }))
        .await;
    assert!(response.status.is_success(), "{}", response.text());
    for n in 1..=11 {
        let now = app.state.now_seconds();
        outbox::enqueue(
            &app.state.database,
            &format!("reader{n}@example.com"),
            &format!("Notice {n}"),
            "Body",
            now,
        )
        .await
        .expect("queued");
    }
    let queued: BTreeMap<(String, String), usize> = outbox::pending(&app.state.database, 100)
        .await
        .expect("the outbox")
        .into_iter()
        .map(|mail| ((mail.recipient, mail.subject), 1))
        .collect();
    assert_eq!(queued.len(), 12);

    // One minute with the mail server down (nothing listens), one with it refusing.
    for _ in 0..12 {
        assert_eq!(round(&app, &mailer).await, 0);
    }
    std::fs::write(folder.path().join("refuse"), "").expect("the refusal flag");
    let _sink = Sink::start(&python, port, folder.path());
    for _ in 0..12 {
        assert_eq!(round(&app, &mailer).await, 0);
    }
    let waiting = outbox::pending(&app.state.database, 100)
        .await
        .expect("the outbox");
    assert_eq!(waiting.len(), 12, "nothing is given up on");
    assert!(
        waiting.iter().all(|mail| mail.attempts >= 2),
        "each was tried while the server was down and while it refused: {waiting:?}"
    );
    assert!(
        waiting.iter().any(|mail| mail
            .last_error
            .as_deref()
            .is_some_and(|error| error.contains("451"))),
        "{waiting:?}"
    );
    assert!(received(folder.path()).is_empty());

    // Back: within the longest wait between retries (ten minutes), everything has gone out.
    std::fs::remove_file(folder.path().join("refuse")).expect("the flag is removed");
    let mut delivered = 0;
    for _ in 0..=(10 * 60 / ROUND_SECONDS) {
        delivered += round(&app, &mailer).await;
    }
    assert_eq!(delivered, 12);
    assert_eq!(
        received(folder.path()),
        queued,
        "each mail arrived, and once"
    );
    assert!(
        outbox::pending(&app.state.database, 100)
            .await
            .expect("the outbox")
            .is_empty()
    );
    assert!(
        outbox::failed(&app.state.database)
            .await
            .expect("the outbox")
            .is_empty()
    );
}
