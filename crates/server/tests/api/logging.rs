//! The log as the server writes it (issue 15, row 11): text that a visitor typed reaches the
//! log escaped, so a newline in a ticket subject cannot forge a log line and an ANSI escape
//! cannot repaint an operator's terminal.

use crate::common;

use axum::http::{Method, StatusCode};
use common::tickets::{ALICE, question_ticket};
use common::{DEMO_PASSWORD, TestApp};
use lantern_server::config::LogFormat;
use lantern_server::mail::{self, Mailer};

const FORGED: &str = "2025-03-03T09:00:00.000000Z  INFO lantern_server: admin signed in";

/// Files a ticket whose subject carries a forged log line and an ANSI escape, and delivers its
/// mail to the log (no SMTP), with the server's text log set up as configured. (The JSON log
/// escapes control characters by itself.)
async fn text_log_of_a_hostile_subject() -> String {
    let app = TestApp::seeded().await;
    let log = common::log::capture(&app, LogFormat::Text);

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
    log.text()
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
