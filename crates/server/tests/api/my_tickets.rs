//! "My Tickets" and the agent API through the real router on a temporary SQLite file: who sees
//! which ticket, the conversation, the life cycle and its automatic rules at their boundaries.

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::tickets::{ALICE, CARL, OLIVIA};
use common::{DEMO_PASSWORD, MULTIPART_BOUNDARY, TestApp, TestResponse, multipart_upload};
use lantern_core::conversation::{
    AgentTicketDetail, ResponseState, TicketDetail, TicketPage, TimelineKind,
};
use lantern_core::policy::Minutes;
use lantern_core::ticket::TicketStatus;
use lantern_server::clock::Clock;
use lantern_server::db::{self, Db};
use lantern_server::tickets::lifecycle;
use serde_json::{Value, json};

struct World {
    app: TestApp,
    alice: String,
    olivia: String,
    carl: String,
}

async fn world() -> World {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    World {
        app,
        alice,
        olivia,
        carl,
    }
}

async fn list(app: &TestApp, cookie: &str, query: &str) -> TestResponse {
    app.get(&format!("/api/v1/tickets{query}"))
        .cookie(cookie)
        .await
}

fn numbers(page: &TicketPage) -> BTreeSet<String> {
    page.items.iter().map(|item| item.number.clone()).collect()
}

async fn detail(app: &TestApp, cookie: &str, number: &str) -> TestResponse {
    app.get(&format!("/api/v1/tickets/{number}"))
        .cookie(cookie)
        .await
}

async fn customer_post(
    app: &TestApp,
    cookie: &str,
    number: &str,
    action: &str,
    body: Value,
) -> TestResponse {
    app.send(Method::POST, &format!("/api/v1/tickets/{number}/{action}"))
        .cookie(cookie)
        .json(&body)
        .await
}

async fn agent_post(app: &TestApp, number: &str, action: &str, body: Value) -> TestResponse {
    app.agent(
        Method::POST,
        &format!("/api/v1/agent/tickets/{number}/{action}"),
    )
    .json(&body)
    .await
}

async fn agent_set_status(app: &TestApp, number: &str, status: &str) {
    let response = agent_post(
        app,
        number,
        "status",
        json!({ "status": status, "reason": "Please send the log of last night." }),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

/// The demo policy's time rule for waiting tickets.
fn pending_limit(app: &TestApp) -> Minutes {
    app.state
        .policy
        .lifecycle
        .pending_auto_close
        .expect("the demo policy closes waiting tickets after a time")
}

/// An agent's public reply or internal note.
async fn agent_reply(app: &TestApp, number: &str, body: &str, internal: bool) {
    let response = agent_post(
        app,
        number,
        "replies",
        json!({ "body": body, "internal": internal }),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

async fn status_of(app: &TestApp, cookie: &str, number: &str) -> TicketStatus {
    detail(app, cookie, number)
        .await
        .json::<TicketDetail>()
        .ticket
        .status
}

#[tokio::test]
async fn contacts_see_their_own_tickets_and_admins_their_organisation() {
    let World {
        app,
        alice,
        olivia,
        carl,
    } = world().await;
    let first = app.file_ticket(ALICE, "Backup fails", "major").await;
    let second = app.file_ticket(ALICE, "Restore is slow", "minor").await;
    let olivias = app.file_ticket(OLIVIA, "Licence renewal", "minor").await;
    let carls = app.file_ticket(CARL, "Contoso outage", "critical").await;

    let mine: TicketPage = list(&app, &alice, "").await.json();
    assert_eq!(
        numbers(&mine),
        BTreeSet::from([first.clone(), second.clone()])
    );
    let olivia_mine: TicketPage = list(&app, &olivia, "").await.json();
    assert_eq!(numbers(&olivia_mine), BTreeSet::from([olivias.clone()]));
    let organisation: TicketPage = list(&app, &olivia, "?scope=organisation").await.json();
    assert_eq!(
        numbers(&organisation),
        BTreeSet::from([first.clone(), second.clone(), olivias.clone()])
    );
    assert_eq!(
        list(&app, &alice, "?scope=organisation").await.status,
        StatusCode::FORBIDDEN
    );
    let carls_list: TicketPage = list(&app, &carl, "").await.json();
    assert_eq!(numbers(&carls_list), BTreeSet::from([carls.clone()]));

    assert_eq!(detail(&app, &olivia, &first).await.status, StatusCode::OK);
    assert_eq!(
        detail(&app, &alice, &olivias).await.status,
        StatusCode::NOT_FOUND
    );
    for (cookie, number) in [(&carl, &first), (&alice, &carls), (&olivia, &carls)] {
        let response = detail(&app, cookie, number).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{number}");
        assert_eq!(response.error_code(), "not_found");
        let reply = customer_post(&app, cookie, number, "replies", json!({"body": "Hi"})).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }

    // A CC sees the ticket and finds it in their list.
    let alice_id = db::accounts::user_by_email(&app.state.database, ALICE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let olivias_id: i64 = olivias.trim_start_matches("LAN-").parse().unwrap();
    db::ticket_ccs::add(&app.state.database, olivias_id, alice_id)
        .await
        .unwrap();
    assert_eq!(detail(&app, &alice, &olivias).await.status, StatusCode::OK);
    let with_cc: TicketPage = list(&app, &alice, "").await.json();
    assert!(numbers(&with_cc).contains(&olivias));
}

#[tokio::test]
async fn filters_search_and_the_open_default() {
    let World { app, alice, .. } = world().await;
    let backup = app.file_ticket(ALICE, "Backup fails", "major").await;
    let restore = app.file_ticket(ALICE, "Restore 100% slow", "minor").await;
    agent_set_status(&app, &restore, "solved").await;

    let open: TicketPage = list(&app, &alice, "").await.json();
    assert_eq!(numbers(&open), BTreeSet::from([backup.clone()]));
    let all: TicketPage = list(&app, &alice, "?status=all").await.json();
    assert_eq!(all.items.len(), 2);
    let solved: TicketPage = list(&app, &alice, "?status=solved").await.json();
    assert_eq!(numbers(&solved), BTreeSet::from([restore.clone()]));
    let minor: TicketPage = list(&app, &alice, "?status=all&severity=minor")
        .await
        .json();
    assert_eq!(numbers(&minor), BTreeSet::from([restore.clone()]));
    let text: TicketPage = list(&app, &alice, "?status=all&q=BACKUP").await.json();
    assert_eq!(numbers(&text), BTreeSet::from([backup.clone()]));
    let by_number: TicketPage = list(&app, &alice, &format!("?status=all&q={restore}"))
        .await
        .json();
    assert_eq!(numbers(&by_number), BTreeSet::from([restore.clone()]));
    let wildcard: TicketPage = list(&app, &alice, "?status=all&q=0%25").await.json();
    assert_eq!(numbers(&wildcard), BTreeSet::from([restore.clone()]));
    let bad = list(&app, &alice, "?status=nonsense").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    let bad_cursor = list(&app, &alice, "?cursor=zz").await;
    assert_eq!(bad_cursor.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn cursor_pages_return_every_ticket_exactly_once() {
    let World { app, alice, .. } = world().await;
    let severities = ["emergency", "critical", "major", "minor"];
    let mut filed = BTreeSet::new();
    for index in 0..57 {
        // Every third ticket shares its instant with the one before: ties need the id.
        if index % 3 != 0 {
            app.clock.advance(Duration::seconds(7));
        }
        let severity = severities[index % severities.len()];
        filed.insert(
            app.file_ticket(ALICE, &format!("Ticket {index}"), severity)
                .await,
        );
    }
    // A severity the policy has dropped since: listed after the policy's own.
    filed.insert(app.file_ticket(ALICE, "Legacy ticket", "legacy").await);
    for sort in ["updated_desc", "created_desc", "created_asc", "severity"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let query = match &cursor {
                Some(cursor) => format!("?sort={sort}&limit=25&cursor={cursor}"),
                None => format!("?sort={sort}&limit=25"),
            };
            let response = list(&app, &alice, &query).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.text());
            let page: TicketPage = response.json();
            seen.extend(page.items.iter().map(|item| item.number.clone()));
            pages += 1;
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, 3, "{sort}");
        assert_eq!(seen.len(), filed.len(), "{sort}: no ticket twice");
        assert_eq!(
            seen.iter().cloned().collect::<BTreeSet<_>>(),
            filed,
            "{sort}"
        );
    }
    let ascending: TicketPage = list(&app, &alice, "?sort=created_asc&limit=2").await.json();
    assert_eq!(ascending.items[0].subject, "Ticket 0");
    let by_severity: TicketPage = list(&app, &alice, "?sort=severity&limit=100").await.json();
    let ranks: Vec<usize> = by_severity
        .items
        .iter()
        .map(|item| {
            severities
                .iter()
                .position(|severity| *severity == item.severity)
                .unwrap_or(severities.len())
        })
        .collect();
    assert!(ranks.is_sorted(), "most severe first: {ranks:?}");
    assert_eq!(by_severity.items[0].severity, "emergency");
    assert_eq!(by_severity.items[56].severity, "minor");
    assert_eq!(by_severity.items[57].severity, "legacy");
    let only_critical: TicketPage =
        list(&app, &alice, "?sort=severity&severity=critical&limit=100")
            .await
            .json();
    assert_eq!(only_critical.items.len(), 14);
    assert!(
        only_critical
            .items
            .iter()
            .all(|item| item.severity == "critical")
    );
}

#[tokio::test]
async fn internal_notes_never_reach_customers() {
    let World { app, alice, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let note = agent_post(
        &app,
        &number,
        "replies",
        json!({"body": "SECRET-NOTE: customer runs an unsupported NAS", "internal": true}),
    )
    .await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.text());
    let reply = agent_post(
        &app,
        &number,
        "replies",
        json!({"body": "Please send the agent log.", "internal": false}),
    )
    .await;
    let agent_view: AgentTicketDetail = reply.json();
    assert_eq!(agent_view.internal_notes.len(), 1);
    assert!(agent_view.internal_notes[0].body.contains("SECRET-NOTE"));

    let customer_detail = detail(&app, &alice, &number).await;
    assert!(!customer_detail.text().contains("SECRET-NOTE"));
    let detail: TicketDetail = customer_detail.json();
    assert!(matches!(
        &detail.timeline[..],
        [entry] if matches!(&entry.kind, TimelineKind::AgentReply { author_name, .. } if author_name == "Sam Support")
    ));
    assert!(matches!(
        detail.ticket.response_state,
        ResponseState::Met { .. }
    ));
    assert!(!list(&app, &alice, "").await.text().contains("SECRET-NOTE"));
    let agent_list = app.agent(Method::GET, "/api/v1/agent/tickets").await;
    assert!(!agent_list.text().contains("SECRET-NOTE"));
    let mails = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1, "one mail: the public reply");
    assert!(mails[0].subject.starts_with(&format!("[{number}]")));
    assert!(mails[0].body.contains("Please send the agent log."));
    let everything = db::outbox::pending(&app.state.database, 1000)
        .await
        .unwrap();
    assert!(
        everything
            .iter()
            .all(|mail| !mail.body.contains("SECRET-NOTE"))
    );
}

#[tokio::test]
async fn the_agent_api_needs_a_token() {
    let World { app, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let anonymous = app.get(&format!("/api/v1/agent/tickets/{number}")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let wrong = app
        .request(
            Method::POST,
            &format!("/api/v1/agent/tickets/{number}/replies"),
        )
        .header("authorization", "Bearer wrong")
        .json(&json!({"body": "hi"}))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_reply_to_a_pending_ticket_opens_it_again() {
    let World {
        app, alice, olivia, ..
    } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    agent_set_status(&app, &number, "pending").await;
    let waiting: TicketPage = list(&app, &alice, "").await.json();
    assert!(waiting.items[0].waiting_for_customer);

    let empty = customer_post(&app, &alice, &number, "replies", json!({"body": "  "})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let response = customer_post(
        &app,
        &alice,
        &number,
        "replies",
        json!({"body": "Here is the log.", "attachments": []}),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let detail: TicketDetail = response.json();
    assert_eq!(detail.ticket.status, TicketStatus::Open);
    assert!(!detail.ticket.waiting_for_customer);
    let kinds: Vec<&TimelineKind> = detail.timeline.iter().map(|entry| &entry.kind).collect();
    assert!(matches!(
        kinds[..],
        [
            TimelineKind::StatusChanged {
                to: TicketStatus::Pending,
                ..
            },
            TimelineKind::CustomerReply { .. },
            TimelineKind::StatusChanged {
                from: TicketStatus::Pending,
                to: TicketStatus::Open,
                ..
            },
        ]
    ));
    // The organisation admin sees the same conversation.
    let admin_view: TicketDetail = app.ticket_detail(&olivia, &number).await;
    assert_eq!(admin_view.timeline, detail.timeline);
}

/// How many tickets a round of the life-cycle rules on `holder` closed; `None` when another
/// server holds the lease.
async fn closed_in_round(app: &TestApp, holder: &str) -> Option<u64> {
    let round = lifecycle::run_if_holding(&app.state, holder).await;
    round
        .expect("a round of the rules")
        .map(|round| round.closed)
}

#[tokio::test]
async fn one_server_of_several_runs_the_auto_close_rules_until_it_stops() {
    let World { app, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    agent_set_status(&app, &number, "pending").await;
    app.clock.advance(pending_limit(&app).as_chrono());

    let first = closed_in_round(&app, "first server").await;
    assert_eq!(first, Some(1), "the first to ask takes the lease and works");
    let second = closed_in_round(&app, "second server").await;
    assert_eq!(second, None, "the lease is the first server's");
    app.clock.advance(Duration::minutes(2));
    let renewed = closed_in_round(&app, "first server").await;
    assert_eq!(renewed, Some(0), "its holder renews it each round");

    // The first server stops: three minutes after its last round, the second takes over.
    app.clock
        .advance(Duration::minutes(3) - Duration::seconds(1));
    let waiting = closed_in_round(&app, "second server").await;
    assert_eq!(waiting, None);
    app.clock.advance(Duration::seconds(1));
    let taken_over = closed_in_round(&app, "second server").await;
    assert_eq!(taken_over, Some(0));
}

#[tokio::test]
async fn pending_tickets_close_exactly_at_the_policy_limit() {
    let World { app, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    agent_set_status(&app, &number, "pending").await;
    let limit = pending_limit(&app).as_chrono();
    let mails_before = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap()
        .len();

    app.clock.advance(limit - Duration::seconds(1));
    // Sessions expire while the clock runs; sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let closed = lifecycle::apply_auto_close(&app.state, app.clock.now())
        .await
        .unwrap();
    assert_eq!(closed, 0);
    assert_eq!(
        status_of(&app, &alice, &number).await,
        TicketStatus::Pending
    );

    app.clock.advance(Duration::seconds(1));
    // Sessions expire while the clock runs; sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let closed = lifecycle::apply_auto_close(&app.state, app.clock.now())
        .await
        .unwrap();
    assert_eq!(closed, 1);
    let detail = app.ticket_detail(&alice, &number).await;
    assert_eq!(detail.ticket.status, TicketStatus::Closed);
    assert!(matches!(
        detail.timeline.last().map(|entry| &entry.kind),
        Some(TimelineKind::AutoClosed { from: TicketStatus::Pending, reason })
            if reason.contains(&format!("waited {}", pending_limit(&app).wall_clock_text()))
    ));
    let mails = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap();
    assert_eq!(mails.len(), mails_before + 1);

    // Idempotent: a second run changes nothing and sends nothing.
    let again = lifecycle::apply_auto_close(&app.state, app.clock.now())
        .await
        .unwrap();
    assert_eq!(again, 0);
    assert_eq!(
        db::outbox::to_recipient(&app.state.database, ALICE)
            .await
            .unwrap()
            .len(),
        mails_before + 1
    );
    let reply = customer_post(&app, &alice, &number, "replies", json!({"body": "Still?"})).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error_code(), "ticket_closed");
    assert!(reply.text().contains(&format!("mention {number}")));
}

/// The contact-attempt count the customer sees on a waiting ticket.
async fn attempts_made(app: &TestApp, cookie: &str, number: &str) -> Option<u32> {
    let detail = app.ticket_detail(cookie, number).await;
    Some(detail.waiting?.contact_attempts?.made)
}

#[tokio::test]
async fn a_waiting_ticket_closes_at_the_end_of_ten_days_with_three_unanswered_attempts() {
    let World { app, alice, .. } = world().await;
    let rule = app.state.policy.lifecycle.contact_attempts;
    let rule = rule.expect("the demo policy follows Druva's contact attempts");
    assert_eq!(
        (rule.attempts, rule.within.wall_clock_text().as_str()),
        (3, "10 days")
    );
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    agent_reply(
        &app,
        &number,
        "Could you send the log of last night?",
        false,
    )
    .await;
    agent_set_status(&app, &number, "pending").await; // the first attempt
    let pending_since = app.clock.now();
    let detail = app.ticket_detail(&alice, &number).await;
    let waiting = detail
        .waiting
        .expect("a waiting ticket says what closes it");
    assert_eq!(waiting.contact_attempts.map(|count| count.made), Some(1));
    assert_eq!(
        waiting.closes_at,
        Some(pending_since + pending_limit(&app).as_chrono()),
        "one attempt: only the time rule fixes a time"
    );

    app.clock.advance(Duration::days(3));
    // Sessions expire while the clock runs; sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    agent_reply(&app, &number, "Internal: customer is on holiday?", true).await;
    assert_eq!(
        attempts_made(&app, &alice, &number).await,
        Some(1),
        "an internal note is no attempt"
    );
    agent_reply(&app, &number, "Any news about the log?", false).await;
    assert_eq!(attempts_made(&app, &alice, &number).await, Some(2));
    let mails = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap();
    let reply_mail = mails
        .iter()
        .max_by_key(|mail| mail.id)
        .expect("the reply's mail");
    assert!(
        reply_mail.body.contains("Any news about the log?")
            && reply_mail
                .body
                .contains("We have tried to reach you 2 of 3 times."),
        "the reply's mail says how the count stands: {}",
        reply_mail.body
    );
    app.clock.advance(Duration::days(3));
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    agent_reply(&app, &number, "We still need the log.", false).await;
    let detail = app.ticket_detail(&alice, &number).await;
    let waiting = detail.waiting.expect("still waiting");
    assert_eq!(waiting.contact_attempts.map(|count| count.made), Some(3));
    let closes_at = pending_since + rule.within.as_chrono();
    assert_eq!(waiting.closes_at, Some(closes_at));

    app.clock.set(closes_at - Duration::seconds(1));
    let closed = lifecycle::apply_auto_close(&app.state, app.clock.now()).await;
    assert_eq!(
        closed.unwrap(),
        0,
        "the customer has the rest of the period to answer"
    );
    app.clock.set(closes_at);
    let closed = lifecycle::apply_auto_close(&app.state, app.clock.now()).await;
    assert_eq!(closed.unwrap(), 1);
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let detail = app.ticket_detail(&alice, &number).await;
    assert_eq!(detail.ticket.status, TicketStatus::Closed);
    assert_eq!(detail.waiting, None);
    assert!(matches!(
        detail.timeline.last().map(|entry| &entry.kind),
        Some(TimelineKind::AutoClosed { from: TicketStatus::Pending, reason })
            if reason.contains("we tried to reach you 3 times within 10 days")
    ));
}

#[tokio::test]
async fn an_answer_from_the_customer_ends_the_count_of_attempts() {
    let World { app, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    agent_set_status(&app, &number, "pending").await;
    app.clock.advance(Duration::days(1));
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    agent_reply(&app, &number, "Any news?", false).await;
    agent_reply(&app, &number, "Any news now?", false).await;
    assert_eq!(attempts_made(&app, &alice, &number).await, Some(3));
    let answer = customer_post(&app, &alice, &number, "replies", json!({"body": "Here."})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(
        attempts_made(&app, &alice, &number).await,
        None,
        "no longer waiting"
    );

    app.clock.advance(Duration::days(1));
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    agent_set_status(&app, &number, "pending").await;
    assert_eq!(
        attempts_made(&app, &alice, &number).await,
        Some(1),
        "a new wait counts afresh"
    );
    app.clock.advance(Duration::days(10));
    let closed = lifecycle::apply_auto_close(&app.state, app.clock.now()).await;
    assert_eq!(
        closed.unwrap(),
        0,
        "the attempts before the answer no longer count"
    );
}

#[tokio::test]
async fn solved_tickets_close_at_the_limit_and_a_reply_resets_pending() {
    let World { app, alice, .. } = world().await;
    let solved = app.file_ticket(ALICE, "Solved one", "major").await;
    let answered = app.file_ticket(ALICE, "Answered one", "major").await;
    agent_set_status(&app, &solved, "solved").await;
    agent_set_status(&app, &answered, "pending").await;
    let reply = customer_post(
        &app,
        &alice,
        &answered,
        "replies",
        json!({"body": "Log attached."}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);

    let limit = app.state.policy.lifecycle.solved_auto_close.as_chrono();
    app.clock.advance(limit - Duration::seconds(1));
    // Sessions expire while the clock runs; sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    assert_eq!(
        lifecycle::apply_auto_close(&app.state, app.clock.now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(status_of(&app, &alice, &solved).await, TicketStatus::Solved);
    app.clock.advance(Duration::seconds(1));
    // Sessions expire while the clock runs; sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    assert_eq!(
        lifecycle::apply_auto_close(&app.state, app.clock.now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(status_of(&app, &alice, &solved).await, TicketStatus::Closed);

    app.clock.advance(Duration::days(30));
    // Sessions expire while the clock runs; sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    assert_eq!(
        lifecycle::apply_auto_close(&app.state, app.clock.now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(status_of(&app, &alice, &answered).await, TicketStatus::Open);
}

#[tokio::test]
async fn reopening_works_only_within_the_window() {
    let World { app, alice, .. } = world().await;
    let early = app.file_ticket(ALICE, "Reopen in time", "major").await;
    let late = app.file_ticket(ALICE, "Reopen too late", "major").await;
    agent_set_status(&app, &early, "solved").await;
    agent_set_status(&app, &late, "solved").await;
    let replied = app.file_ticket(ALICE, "Reply in time", "major").await;
    agent_set_status(&app, &replied, "solved").await;
    let reply = customer_post(
        &app,
        &alice,
        &replied,
        "replies",
        json!({"body": "Back again."}),
    )
    .await;
    assert_eq!(
        reply.json::<TicketDetail>().ticket.status,
        TicketStatus::Open
    );
    let window = app.state.policy.lifecycle.reopen_window.as_chrono();

    let in_time: TicketDetail = customer_post(&app, &alice, &early, "reopen", json!({}))
        .await
        .json();
    assert_eq!(in_time.ticket.status, TicketStatus::Open);

    app.clock.advance(window);
    // Sessions expire while the clock runs; sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let too_late = customer_post(&app, &alice, &late, "reopen", json!({})).await;
    assert_eq!(too_late.status, StatusCode::CONFLICT);
    assert_eq!(too_late.error_code(), "reopen_window_passed");
    let message = too_late.value()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let deadline = (common::start_instant() + window)
        .format("%-d %B %Y, %H:%M")
        .to_string();
    assert!(message.contains(&deadline), "{message}");
    assert!(message.contains(&late), "{message}");
    let reply = customer_post(&app, &alice, &late, "replies", json!({"body": "Again"})).await;
    assert_eq!(reply.error_code(), "reopen_window_passed");
    let not_solved = customer_post(&app, &alice, &early, "reopen", json!({})).await;
    assert_eq!(not_solved.error_code(), "not_solved");
}

#[tokio::test]
async fn the_survey_is_given_once_after_an_answer_and_resolution() {
    let World { app, alice, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let early = customer_post(&app, &alice, &number, "survey", json!({"rating": 5})).await;
    assert_eq!(early.error_code(), "survey_not_available");
    agent_post(
        &app,
        &number,
        "replies",
        json!({"body": "Restart the agent."}),
    )
    .await;
    agent_set_status(&app, &number, "solved").await;
    assert!(app.ticket_detail(&alice, &number).await.actions.can_rate);
    let closed: TicketDetail = customer_post(&app, &alice, &number, "accept-solution", json!({}))
        .await
        .json();
    assert_eq!(closed.ticket.status, TicketStatus::Closed);
    assert!(closed.actions.can_rate);

    let invalid = customer_post(&app, &alice, &number, "survey", json!({"rating": 0})).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let given = customer_post(
        &app,
        &alice,
        &number,
        "survey",
        json!({"rating": 4, "comment": "Quick and friendly."}),
    )
    .await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.text());
    let detail: TicketDetail = given.json();
    assert_eq!(detail.survey.map(|survey| survey.rating), Some(4));
    assert!(!detail.actions.can_rate);
    let twice = customer_post(&app, &alice, &number, "survey", json!({"rating": 1})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.error_code(), "survey_already_given");
}

#[tokio::test]
async fn a_ticket_support_never_answered_is_not_rated() {
    let World { app, alice, .. } = world().await;
    let number = app.file_ticket(ALICE, "Found it myself", "major").await;
    let solved: TicketDetail = customer_post(&app, &alice, &number, "resolve", json!({}))
        .await
        .json();
    assert_eq!(solved.ticket.status, TicketStatus::Solved);
    assert!(!solved.actions.can_rate);
    let refused = customer_post(&app, &alice, &number, "survey", json!({"rating": 5})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_code(), "survey_not_available");
    assert!(
        refused
            .text()
            .contains("Support has not answered this ticket"),
        "{}",
        refused.text()
    );
}

#[tokio::test]
async fn one_resolution_step_per_state() {
    let World { app, alice, .. } = world().await;
    // The customer says it is solved: Solved, once; nothing to confirm a second time.
    let own = app.file_ticket(ALICE, "Solved it myself", "major").await;
    let opened = app.ticket_detail(&alice, &own).await.actions;
    assert!(opened.can_mark_solved && !opened.can_accept_solution);
    let solved: TicketDetail = customer_post(&app, &alice, &own, "resolve", json!({}))
        .await
        .json();
    assert_eq!(solved.ticket.status, TicketStatus::Solved);
    assert!(!solved.actions.can_mark_solved && !solved.actions.can_accept_solution);
    assert!(solved.actions.can_reopen);
    let again = customer_post(&app, &alice, &own, "resolve", json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "already_solved");
    let nothing_to_confirm = customer_post(&app, &alice, &own, "accept-solution", json!({})).await;
    assert_eq!(nothing_to_confirm.status, StatusCode::CONFLICT);
    assert_eq!(nothing_to_confirm.error_code(), "no_proposed_solution");
    assert_eq!(status_of(&app, &alice, &own).await, TicketStatus::Solved);

    // Support proposes a solution: the customer confirms it, which closes the ticket.
    let proposed = app.file_ticket(ALICE, "Support solves it", "major").await;
    let too_soon = customer_post(&app, &alice, &proposed, "accept-solution", json!({})).await;
    assert_eq!(too_soon.error_code(), "no_proposed_solution");
    agent_set_status(&app, &proposed, "solved").await;
    let offered = app.ticket_detail(&alice, &proposed).await.actions;
    assert!(offered.can_accept_solution && !offered.can_mark_solved);
    let closed: TicketDetail = customer_post(&app, &alice, &proposed, "accept-solution", json!({}))
        .await
        .json();
    assert_eq!(closed.ticket.status, TicketStatus::Closed);
    assert!(!closed.actions.can_accept_solution);
    let closed_again = customer_post(&app, &alice, &proposed, "accept-solution", json!({})).await;
    assert_eq!(closed_again.error_code(), "ticket_closed");
}

#[tokio::test]
async fn a_solved_ticket_no_longer_waits_for_its_first_response() {
    let World { app, alice, .. } = world().await;
    let number = app.file_ticket(ALICE, "Gone by itself", "major").await;
    let filed = app.ticket_detail(&alice, &number).await;
    assert!(matches!(
        filed.ticket.response_state,
        ResponseState::Due { .. }
    ));
    customer_post(&app, &alice, &number, "resolve", json!({})).await;
    // Past the Enterprise plan's 6 h target for a major ticket.
    app.clock.advance(Duration::hours(7));
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let solved = app.ticket_detail(&alice, &number).await;
    assert_eq!(solved.ticket.response_state, ResponseState::NoLongerNeeded);
    let listed: TicketPage = list(&app, &alice, "?status=solved").await.json();
    assert_eq!(
        listed.items[0].response_state,
        ResponseState::NoLongerNeeded
    );
}

#[tokio::test]
async fn ticket_numbers_are_read_in_any_case() {
    let World {
        app, alice, carl, ..
    } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let lower = number.to_lowercase();
    let own = detail(&app, &alice, &lower).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text());
    assert_eq!(own.json::<TicketDetail>().ticket.number, number);
    let replied = customer_post(
        &app,
        &alice,
        &lower,
        "replies",
        json!({"body": "Still failing."}),
    )
    .await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    let agent = app
        .agent(Method::GET, &format!("/api/v1/agent/tickets/{lower}"))
        .await;
    assert_eq!(agent.status, StatusCode::OK, "{}", agent.text());
    // Another organisation's person learns nothing, in any case.
    let stranger = detail(&app, &carl, &lower).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    assert!(
        stranger
            .text()
            .contains("does not exist or you do not have access"),
        "{}",
        stranger.text()
    );
}

#[tokio::test]
async fn search_folds_unicode_case() {
    let World { app, alice, .. } = world().await;
    let monitoring = app
        .file_ticket(ALICE, "Überwachung meldet Fehler", "major")
        .await;
    app.file_ticket(ALICE, "Backup fails", "major").await;
    for typed in ["Überwachung", "überwachung", "ÜBERWACHUNG"] {
        let page: TicketPage = list(&app, &alice, &format!("?q={}", urlencode(typed)))
            .await
            .json();
        assert_eq!(
            numbers(&page),
            BTreeSet::from([monitoring.clone()]),
            "{typed}"
        );
    }
}

/// Percent-encodes a query value (UTF-8 bytes beyond ASCII letters and digits).
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn subjects_stored_before_folding_are_folded_when_the_database_opens() {
    let World { app, alice, .. } = world().await;
    // SQLite only: the PostgreSQL schema never held tickets without a folded subject.
    let Db::Sqlite(pool) = &app.state.database else {
        return;
    };
    let number = app
        .file_ticket(ALICE, "Überwachung startet nicht", "major")
        .await;
    app.execute("UPDATE tickets SET subject_folded = NULL")
        .await;
    assert_eq!(db::tickets::fold_subjects(pool).await.ok(), Some(1));
    let page: TicketPage = list(&app, &alice, "?q=%C3%BCBERWACHUNG").await.json();
    assert_eq!(numbers(&page), BTreeSet::from([number]));
}

#[tokio::test]
async fn the_etag_answers_304_until_an_agent_replies() {
    let World { app, alice, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let first = detail(&app, &alice, &number).await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"));

    let unchanged = app
        .get(&format!("/api/v1/tickets/{number}"))
        .cookie(&alice)
        .header("if-none-match", &etag)
        .await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert!(unchanged.body.is_empty());

    agent_post(&app, &number, "replies", json!({"body": "We are on it."})).await;
    let changed = app
        .get(&format!("/api/v1/tickets/{number}"))
        .cookie(&alice)
        .header("if-none-match", &etag)
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
}

/// When support's next update is due, as the customer reads it.
async fn update_due(
    app: &TestApp,
    cookie: &str,
    number: &str,
) -> Option<chrono::DateTime<chrono::Utc>> {
    app.ticket_detail(cookie, number).await.ticket.update_due_at
}

/// The Enterprise plan updates Critical tickets every two hours and Emergency ones every hour
/// (policies/default.toml, after DDEV's cadence), around the clock.
#[tokio::test]
async fn support_owes_an_update_on_the_plans_cadence_while_the_ticket_is_with_it() {
    let World { app, alice, .. } = world().await;
    let number = app
        .file_ticket(ALICE, "Replication stalls", "critical")
        .await;
    assert_eq!(
        update_due(&app, &alice, &number).await,
        None,
        "before the first response, the response target applies"
    );
    let reply = |body: &'static str, internal: bool| {
        agent_post(
            &app,
            &number,
            "replies",
            json!({ "body": body, "internal": internal }),
        )
    };
    assert_eq!(
        reply("We are looking at the logs.", false).await.status,
        StatusCode::OK
    );
    let answered_at = app.clock.now();
    assert_eq!(
        update_due(&app, &alice, &number).await,
        Some(answered_at + Duration::hours(2))
    );
    app.clock.advance(Duration::minutes(30));
    assert_eq!(
        reply("Asked the storage team.", true).await.status,
        StatusCode::OK
    );
    assert_eq!(
        update_due(&app, &alice, &number).await,
        Some(answered_at + Duration::hours(2)),
        "an internal note is no update to the customer"
    );
    assert_eq!(
        reply("The storage team is on it.", false).await.status,
        StatusCode::OK
    );
    assert_eq!(
        update_due(&app, &alice, &number).await,
        Some(app.clock.now() + Duration::hours(2))
    );

    // Waiting for the customer, nothing is owed; their answer brings the cadence back.
    agent_set_status(&app, &number, "pending").await;
    assert_eq!(update_due(&app, &alice, &number).await, None);
    app.clock.advance(Duration::hours(5));
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let answer = json!({ "body": "Here is the log.", "attachments": [] });
    let replied = customer_post(&app, &alice, &number, "replies", answer).await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    assert_eq!(
        update_due(&app, &alice, &number).await,
        Some(app.clock.now() + Duration::hours(2))
    );

    // A new severity's cadence counts from the change; one without a cadence owes none.
    app.clock.advance(Duration::minutes(10));
    let change = |severity: &'static str| {
        agent_post(
            &app,
            &number,
            "severity",
            json!({ "severity": severity, "reason": "Production is down." }),
        )
    };
    assert_eq!(change("emergency").await.status, StatusCode::OK);
    assert_eq!(
        update_due(&app, &alice, &number).await,
        Some(app.clock.now() + Duration::hours(1))
    );
    assert_eq!(change("major").await.status, StatusCode::OK);
    assert_eq!(update_due(&app, &alice, &number).await, None);
    assert_eq!(change("critical").await.status, StatusCode::OK);
    assert!(update_due(&app, &alice, &number).await.is_some());
    agent_set_status(&app, &number, "solved").await;
    assert_eq!(
        update_due(&app, &alice, &number).await,
        None,
        "solved owes none"
    );
}

/// The customer's mails saying support's update on `number` is late.
async fn late_update_mails(app: &TestApp, email: &str, number: &str) -> usize {
    db::outbox::to_recipient(&app.state.database, email)
        .await
        .expect("the outbox")
        .iter()
        .filter(|mail| mail.subject.contains(number))
        .filter(|mail| mail.body.contains("Our update on this ticket is late."))
        .count()
}

/// How many customers a round of the life-cycle rules mailed that an update is late.
async fn late_update_round(app: &TestApp) -> u64 {
    let round = lifecycle::run_if_holding(&app.state, "the only server").await;
    let round = round.expect("a round of the rules");
    round
        .expect("the only server holds the lease")
        .late_update_mails
}

/// Northwind's Enterprise plan mails the customer when an hourly Emergency update is late
/// (`late_update_mail`): once per missed update, from the instant it is due, and again after
/// support's next reply is missed too. Contoso's Professional plan keeps a cadence but promises
/// no such mail.
#[tokio::test]
async fn a_late_update_is_mailed_once_per_miss_on_plans_that_promise_it() {
    let World { app, alice, .. } = world().await;
    let number = app
        .file_ticket(ALICE, "All backups stopped", "emergency")
        .await;
    let on_professional = app.file_ticket(CARL, "Transfers stall", "emergency").await;
    agent_reply(&app, &number, "We are on it.", false).await;
    agent_reply(&app, &on_professional, "Looking into it.", false).await;
    let due = update_due(&app, &alice, &number)
        .await
        .expect("an update is owed");

    app.clock.set(due - Duration::seconds(1));
    assert_eq!(late_update_round(&app).await, 0, "not late yet");
    app.clock.set(due);
    assert_eq!(
        late_update_round(&app).await,
        1,
        "late from the instant it is due"
    );
    assert_eq!(late_update_mails(&app, ALICE, &number).await, 1);
    let mail = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .expect("the outbox")
        .into_iter()
        .find(|mail| mail.body.contains("is late"))
        .expect("the late-update mail");
    assert!(
        mail.body.contains("every 1 h") && mail.body.contains("request escalation"),
        "it names the promise and the way on: {}",
        mail.body
    );
    app.clock.advance(Duration::hours(3));
    assert_eq!(
        late_update_round(&app).await,
        0,
        "one mail per missed update"
    );
    assert_eq!(late_update_mails(&app, ALICE, &number).await, 1);

    agent_reply(&app, &number, "Still on it.", false).await;
    app.clock.advance(Duration::minutes(30));
    assert_eq!(
        late_update_round(&app).await,
        0,
        "the new update is not due yet"
    );
    app.clock.advance(Duration::minutes(30));
    assert_eq!(
        late_update_round(&app).await,
        1,
        "the next miss is mailed again"
    );
    assert_eq!(late_update_mails(&app, ALICE, &number).await, 2);

    // Waiting for the customer, nothing is owed and nothing is late.
    agent_set_status(&app, &number, "pending").await;
    app.clock.advance(Duration::days(5));
    assert_eq!(late_update_round(&app).await, 0);
    assert_eq!(late_update_mails(&app, ALICE, &number).await, 2);
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    assert!(
        update_due(&app, &carl, &on_professional)
            .await
            .is_some_and(|due| due <= app.clock.now()),
        "Carl's update is late too"
    );
    assert_eq!(late_update_mails(&app, CARL, &on_professional).await, 0);
}

/// The agent queue "reply due soonest" (issue 19): a first response that is outstanding, else
/// the next update, earliest first; tickets owing nothing come last, by age. Read in pages of
/// two, so the order holds across the cursor too.
#[tokio::test]
async fn the_agent_queue_lists_what_support_owes_soonest_first() {
    let World { app, .. } = world().await;
    // `file_ticket` sets the first response due in an hour; Northwind's plan (Enterprise)
    // updates Emergency tickets hourly and Major ones on no cadence.
    let filed_first = app
        .file_ticket(ALICE, "Report export is slow", "minor")
        .await;
    let emergency = app
        .file_ticket(ALICE, "All backups stopped", "emergency")
        .await;
    let waiting = app.file_ticket(ALICE, "Licence question", "major").await;
    let answered = app.file_ticket(ALICE, "Agent upgrade", "major").await;
    app.clock.advance(Duration::minutes(10));
    for number in [&emergency, &answered] {
        let replied = agent_post(&app, number, "replies", json!({"body": "On it."})).await;
        assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    }
    agent_set_status(&app, &waiting, "pending").await;
    app.clock.advance(Duration::minutes(20));
    let filed_last = app.file_ticket(ALICE, "Restores fail", "critical").await;

    let mut queue = Vec::new();
    let mut path = "/api/v1/agent/tickets?sort=due_first&status=all&limit=2".to_owned();
    loop {
        let response = app.agent(Method::GET, &path).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let page: TicketPage = response.json();
        assert!(page.items.len() <= 2);
        queue.extend(page.items.into_iter().map(|item| item.number));
        let Some(cursor) = page.next_cursor else {
            break;
        };
        path = format!("/api/v1/agent/tickets?sort=due_first&status=all&limit=2&cursor={cursor}");
    }
    let ours: Vec<&String> = queue
        .iter()
        .filter(|number| {
            [&filed_first, &emergency, &waiting, &answered, &filed_last].contains(number)
        })
        .collect();
    // Due in 30 min (a first response), 40 min (an update), 60 min (a first response); then
    // the pending ticket and the answered Major one, which owe nothing, oldest first.
    assert_eq!(
        ours,
        [&filed_first, &emergency, &filed_last, &waiting, &answered],
        "the whole queue: {queue:?}"
    );
    let distinct: BTreeSet<&String> = queue.iter().collect();
    assert_eq!(distinct.len(), queue.len(), "no ticket on two pages");
}

/// The Professional plan counts its cadence in its support hours (08:00-18:00 Amsterdam,
/// weekdays): an answer on Friday at 17:30 owes the next Critical update on Monday at 11:30.
#[tokio::test]
async fn the_cadence_counts_in_the_plans_support_hours() {
    let World { app, .. } = world().await;
    // Friday 2025-03-07 17:30 CET.
    app.clock
        .set("2025-03-07T16:30:00Z".parse().expect("an instant"));
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    let number = app.file_ticket(CARL, "Transfers stall", "critical").await;
    let replied = agent_post(
        &app,
        &number,
        "replies",
        json!({ "body": "Looking into it." }),
    )
    .await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    assert_eq!(
        update_due(&app, &carl, &number).await,
        Some("2025-03-10T10:30:00Z".parse().expect("an instant")),
        "half an hour on Friday, three and a half hours on Monday from 08:00"
    );
}

#[tokio::test]
async fn agents_change_severity_and_support_level_with_notice() {
    let World { app, alice, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let unknown = agent_post(
        &app,
        &number,
        "severity",
        json!({"severity": "apocalyptic", "reason": "x"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_reason = agent_post(&app, &number, "severity", json!({"severity": "critical"})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let raised = agent_post(
        &app,
        &number,
        "severity",
        json!({"severity": "critical", "reason": "All backups fail."}),
    )
    .await;
    assert_eq!(raised.status, StatusCode::OK, "{}", raised.text());
    let level = agent_post(&app, &number, "support-level", json!({"level": "l2"})).await;
    assert_eq!(level.status, StatusCode::OK, "{}", level.text());
    let bad_level = agent_post(&app, &number, "support-level", json!({"level": "l9"})).await;
    assert_eq!(bad_level.status, StatusCode::UNPROCESSABLE_ENTITY);

    let detail = app.ticket_detail(&alice, &number).await;
    assert_eq!(detail.ticket.severity, "critical");
    // The enterprise plan answers critical tickets within 2 h, around the clock.
    assert_eq!(
        detail.ticket.response_due_at,
        Some(common::start_instant() + Duration::hours(2))
    );
    assert_eq!(detail.support_level, "l2");
    assert!(matches!(
        &detail.timeline[..],
        [
            entry_a,
            entry_b,
        ] if matches!(&entry_a.kind, TimelineKind::SeverityChanged { from, to, reason, .. }
                if from == "major" && to == "critical" && reason == "All backups fail.")
            && matches!(&entry_b.kind, TimelineKind::SupportLevelChanged { to, .. } if to == "l2")
    ));
    assert_eq!(
        db::outbox::to_recipient(&app.state.database, ALICE)
            .await
            .unwrap()
            .len(),
        2
    );
}

/// Uploads a log file as the signed-in person; returns its id.
async fn upload_log(app: &TestApp, cookie: &str, file_name: &str) -> String {
    let response = app
        .send(Method::POST, "/api/v1/attachments")
        .cookie(cookie)
        .body(
            &format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            multipart_upload("log", file_name, b"ERROR E1042"),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.value()["id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn replies_carry_the_organisations_own_free_uploads() {
    let World {
        app, alice, carl, ..
    } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let log = upload_log(&app, &alice, "agent.log").await;
    let response = customer_post(
        &app,
        &alice,
        &number,
        "replies",
        json!({"body": "The log of last night.", "attachments": [log]}),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let detail: TicketDetail = response.json();
    assert!(matches!(
        detail.timeline.last().map(|entry| &entry.kind),
        Some(TimelineKind::CustomerReply { attachments, .. })
            if attachments.len() == 1 && attachments[0].id == log && attachments[0].name == "agent.log"
    ));
    assert!(detail.submitted.attachments.is_empty());

    let again = customer_post(
        &app,
        &alice,
        &number,
        "replies",
        json!({"body": "Again", "attachments": [log]}),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let carls = upload_log(&app, &carl, "contoso.log").await;
    let foreign = customer_post(
        &app,
        &alice,
        &number,
        "replies",
        json!({"body": "Theirs", "attachments": [carls]}),
    )
    .await;
    // Someone else's upload is not found, as a made-up id would not be.
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(foreign.error_code(), "not_found");
    let replies = app.ticket_detail(&alice, &number).await.timeline.len();
    assert_eq!(replies, 1, "a refused reply leaves nothing behind");
}

#[tokio::test]
async fn the_endpoints_are_documented() {
    let World { app, .. } = world().await;
    let document = app.get("/api/v1/openapi.json").await.value();
    for path in [
        "/api/v1/tickets/{number}",
        "/api/v1/tickets/{number}/replies",
        "/api/v1/tickets/{number}/resolve",
        "/api/v1/tickets/{number}/accept-solution",
        "/api/v1/tickets/{number}/reopen",
        "/api/v1/tickets/{number}/survey",
        "/api/v1/agent/tickets",
        "/api/v1/agent/tickets/{number}/status",
        "/api/v1/agent/tickets/{number}/support-level",
        "/api/v1/agent/tickets/{number}/defect",
        "/api/v1/agent/tickets/{number}/roadmap",
        "/api/v1/agent/roadmap",
        "/api/v1/agent/roadmap.csv",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is missing");
    }
    assert!(document["paths"]["/api/v1/tickets"]["get"].is_object());
    assert!(document["paths"]["/api/v1/tickets"]["post"].is_object());
}
