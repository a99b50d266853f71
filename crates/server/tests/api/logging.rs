//! The log as the server writes it (issue 15, row 11): text that a visitor typed reaches the
//! log escaped, so a newline in a ticket subject cannot forge a log line and an ANSI escape
//! cannot repaint an operator's terminal.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use common::tickets::{ALICE, question_ticket};
use common::{DEMO_PASSWORD, TestApp};
use lantern_server::config::LogFormat;
use lantern_server::logging;
use lantern_server::mail::{self, Mailer};

const FORGED: &str = "2025-03-03T09:00:00.000000Z  INFO lantern_server: admin signed in";

/// A log writer that keeps what it is given.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("the log buffer")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the log buffer")).into_owned()
    }
}

/// Files a ticket whose subject carries a forged log line and an ANSI escape, and delivers its
/// mail to the log (no SMTP), with the server's text log set up as configured. (The JSON log
/// escapes control characters by itself.)
async fn text_log_of_a_hostile_subject() -> String {
    let app = TestApp::seeded().await;
    let mut config = (*app.state.config).clone();
    config.log = "info".to_owned();
    config.log_format = LogFormat::Text;
    let captured = Captured::default();
    let writer = captured.clone();
    let _log = tracing::subscriber::set_default(logging::subscriber(
        &config,
        move || writer.clone(),
        false,
    ));

    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let subject = format!("Backup fails\n{FORGED}\r\u{1b}[2J");
    let response = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(&alice)
        .header("idempotency-key", "forged-log-line")
        .json(&question_ticket(&subject))
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let delivered = mail::deliver_pending(&app.state, &Mailer::Log)
        .await
        .expect("the outbox is delivered");
    assert!(delivered > 0);
    captured.text()
}

#[tokio::test]
async fn a_newline_in_a_ticket_subject_cannot_forge_a_text_log_line() {
    let log = text_log_of_a_hostile_subject().await;
    assert!(log.contains("mail (no SMTP configured"), "{log}");
    for line in log.lines() {
        assert!(!line.starts_with(FORGED), "a forged line: {log}");
    }
    assert!(
        log.contains("Backup fails\\n"),
        "the newline is escaped: {log}"
    );
    assert!(!log.contains('\r') && !log.contains('\u{1b}'), "{log:?}");
}
