//! Escalation requests (issue 7) through the real router on a temporary SQLite file: every rule
//! of a request and of an agent's answer, at their boundaries, with the timeline, the ticket
//! list, the agents' queue and the mail each step sends.

use crate::common;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::tickets::{ALICE, CARL, OLIVIA};
use common::{DEMO_PASSWORD, TestApp, TestResponse};
use lantern_core::conversation::{AgentTicketDetail, TicketPage, TimelineEntry, TimelineKind};
use lantern_core::escalation::{
    Escalation, EscalationAvailability, EscalationReason, EscalationState, EscalationStep,
    OpenEscalation,
};
use lantern_server::clock::Clock;
use lantern_server::db;
use serde_json::{Value, json};

const DETAILS: &str = "Every nightly backup has failed for three days; we cannot restore.";

struct World {
    app: TestApp,
    alice: String,
}

async fn world() -> World {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    World { app, alice }
}

fn request_body() -> Value {
    json!({
        "reason": "business_impact_increased",
        "details": DETAILS,
        "requested_severity": "critical",
        "callback_phone": "+44 20 7946 0142",
        "callback_availability": "weekdays 9-17 GMT",
    })
}

async fn escalate(app: &TestApp, cookie: &str, number: &str, body: Value) -> TestResponse {
    app.send(
        Method::POST,
        &format!("/api/v1/tickets/{number}/escalations"),
    )
    .cookie(cookie)
    .json(&body)
    .await
}

async fn escalate_ok(app: &TestApp, cookie: &str, number: &str) -> Escalation {
    let response = escalate(app, cookie, number, request_body()).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json()
}

async fn answer(app: &TestApp, number: &str, id: i64, body: Value) -> TestResponse {
    app.agent(
        Method::POST,
        &format!("/api/v1/agent/tickets/{number}/escalations/{id}"),
    )
    .json(&body)
    .await
}

async fn answer_ok(app: &TestApp, number: &str, id: i64, body: Value) -> Escalation {
    let response = answer(app, number, id, body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

async fn set_status(app: &TestApp, number: &str, status: &str) {
    let response = app
        .agent(
            Method::POST,
            &format!("/api/v1/agent/tickets/{number}/status"),
        )
        .json(&json!({ "status": status, "reason": "" }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

async fn queue(app: &TestApp) -> Vec<OpenEscalation> {
    let response = app.agent(Method::GET, "/api/v1/agent/escalations").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

async fn escalated_in_list(app: &TestApp, cookie: &str, number: &str) -> bool {
    let page: TicketPage = app
        .get("/api/v1/tickets?status=all")
        .cookie(cookie)
        .await
        .json();
    page.items
        .iter()
        .find(|item| item.number == number)
        .expect("the ticket is listed")
        .escalated
}

async fn mails_to(app: &TestApp, email: &str) -> Vec<String> {
    db::outbox::to_recipient(&app.state.database, email)
        .await
        .expect("outbox")
        .into_iter()
        .map(|mail| mail.body)
        .collect()
}

fn steps(timeline: &[TimelineEntry]) -> Vec<&EscalationStep> {
    timeline
        .iter()
        .filter_map(|entry| match &entry.kind {
            TimelineKind::Escalation(step) => Some(step),
            _ => None,
        })
        .collect()
}

async fn count_escalations(app: &TestApp) -> i64 {
    app.value("SELECT COUNT(*) FROM escalations").await
}

#[tokio::test]
async fn a_request_is_acknowledged_then_resolved_at_a_higher_support_level() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let olivia_id = app.person(OLIVIA).await.id;
    let ticket_id: i64 = number.trim_start_matches("LAN-").parse().expect("id");
    db::ticket_ccs::add(&app.state.database, ticket_id, olivia_id)
        .await
        .expect("cc");
    assert!(!escalated_in_list(&app, &alice, &number).await);
    assert_eq!(
        app.ticket_detail(&alice, &number)
            .await
            .escalation_availability,
        EscalationAvailability::Available
    );

    let requested = escalate_ok(&app, &alice, &number).await;
    let now = app.clock.now();
    assert_eq!(requested.state, EscalationState::Requested);
    assert_eq!(requested.reason, EscalationReason::BusinessImpactIncreased);
    assert_eq!(requested.requested_severity.as_deref(), Some("critical"));
    assert_eq!(requested.requested_at, now);
    assert_eq!(requested.review_due_at, now + Duration::hours(4));
    assert_eq!(requested.requested_by, "Alice Andersen");

    let page = app.ticket_detail(&alice, &number).await;
    assert_eq!(page.escalations, vec![requested.clone()]);
    assert_eq!(
        page.escalation_availability,
        EscalationAvailability::AlreadyOpen {
            escalation_id: requested.id
        }
    );
    assert!(page.ticket.escalated);
    assert_eq!(page.ticket.updated_at, now);
    let [step] = steps(&page.timeline)[..] else {
        panic!("one step: {:?}", page.timeline)
    };
    assert_eq!(step.state, EscalationState::Requested);
    assert_eq!(step.escalation_id, requested.id);
    assert_eq!(step.text, DETAILS);
    assert_eq!(step.requested_severity.as_deref(), Some("critical"));
    assert!(escalated_in_list(&app, &alice, &number).await);
    // The requester is told what happens next, and so is the CC.
    for email in [ALICE, OLIVIA] {
        let mails = mails_to(&app, email).await;
        assert_eq!(mails.len(), 1, "{email}: {mails:?}");
        assert!(mails[0].contains("What happens next"), "{}", mails[0]);
        assert!(mails[0].contains("within 4 h"), "{}", mails[0]);
        assert!(mails[0].contains(DETAILS));
    }

    let open = queue(&app).await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].ticket_number, number);
    assert_eq!(open[0].organisation_name, "Northwind Traders");
    assert_eq!(open[0].escalation, requested);

    app.clock.advance(Duration::minutes(30));
    let acknowledged = answer_ok(
        &app,
        &number,
        requested.id,
        json!({ "state": "acknowledged" }),
    )
    .await;
    assert_eq!(acknowledged.state, EscalationState::Acknowledged);
    assert_eq!(acknowledged.acknowledged_at, Some(app.clock.now()));
    assert_eq!(acknowledged.answered_by, "Sam Support");
    assert_eq!(mails_to(&app, ALICE).await.len(), 2);
    assert!(escalated_in_list(&app, &alice, &number).await);

    app.clock.advance(Duration::hours(1));
    let resolved = answer_ok(
        &app,
        &number,
        requested.id,
        json!({
            "state": "resolved",
            "answer": "An L2 engineer owns the case now and calls you today.",
            "support_level": "l2",
            "author_name": "Maya Manager",
        }),
    )
    .await;
    assert_eq!(resolved.state, EscalationState::Resolved);
    assert_eq!(resolved.closed_at, Some(app.clock.now()));
    assert_eq!(resolved.answered_by, "Maya Manager");

    let page = app.ticket_detail(&alice, &number).await;
    assert_eq!(page.support_level, "l2");
    assert!(!page.ticket.escalated);
    assert_eq!(
        page.escalation_availability,
        EscalationAvailability::Available
    );
    let states: Vec<_> = steps(&page.timeline)
        .iter()
        .map(|step| step.state)
        .collect();
    assert_eq!(
        states,
        [
            EscalationState::Requested,
            EscalationState::Acknowledged,
            EscalationState::Resolved
        ]
    );
    let resolved_step = steps(&page.timeline)[2];
    assert_eq!(resolved_step.by.name, "Maya Manager");
    assert_eq!(
        resolved_step.reason,
        EscalationReason::BusinessImpactIncreased
    );
    assert!(resolved_step.text.starts_with("An L2 engineer"));
    assert_eq!(resolved_step.requested_severity, None);
    assert!(page.timeline.iter().any(|entry| matches!(
        &entry.kind,
        TimelineKind::SupportLevelChanged { from, to, .. } if from == "l1" && to == "l2"
    )));
    assert!(!escalated_in_list(&app, &alice, &number).await);
    assert!(queue(&app).await.is_empty());
    let mails = mails_to(&app, ALICE).await;
    assert_eq!(mails.len(), 3, "one mail per step: {mails:?}");
    assert!(mails[1].contains("Escalation acknowledged"), "{}", mails[1]);
    assert!(mails[2].contains("Escalation resolved"), "{}", mails[2]);
    assert!(mails[2].contains("An L2 engineer owns the case"));
    assert!(mails[2].contains("Level 2"), "{}", mails[2]);

    // The agent API shows the same requests.
    let agent_view: AgentTicketDetail = app
        .agent(Method::GET, &format!("/api/v1/agent/tickets/{number}"))
        .await
        .json();
    assert_eq!(agent_view.detail.escalations, vec![resolved]);
}

#[tokio::test]
async fn request_fields_are_checked() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let cases = [
        ("details", json!("Too short to act on.")),
        ("details", json!("   ")),
        ("requested_severity", json!("minor")),
        ("requested_severity", json!("major")),
        ("requested_severity", json!("apocalyptic")),
        ("callback_phone", json!("call me")),
        ("callback_availability", json!("x".repeat(500))),
    ];
    for (field, value) in cases {
        let mut body = request_body();
        body[field] = value.clone();
        let response = escalate(&app, &alice, &number, body).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} = {value}: {}",
            response.text()
        );
        assert_eq!(response.error_code(), "validation_failed");
        let fields = response.value()["error"]["fields"].clone();
        assert!(fields[field].is_string(), "{field}: {fields}");
    }
    let bad_reason = escalate(
        &app,
        &alice,
        &number,
        json!({ "reason": "bored", "details": DETAILS }),
    )
    .await;
    assert_eq!(bad_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_escalations(&app).await, 0);
    assert!(mails_to(&app, ALICE).await.is_empty());

    // Exactly the minimum, keeping the severity and without a callback, is enough.
    let minimum = escalate(
        &app,
        &alice,
        &number,
        json!({ "reason": "other", "details": "x".repeat(30) }),
    )
    .await;
    assert_eq!(minimum.status, StatusCode::CREATED, "{}", minimum.text());
    assert_eq!(minimum.json::<Escalation>().requested_severity, None);
}

#[tokio::test]
async fn a_ticket_has_at_most_one_open_request() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let first = escalate_ok(&app, &alice, &number).await;
    let second = escalate(&app, &alice, &number, request_body()).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.error_code(), "escalation_open");
    answer_ok(&app, &number, first.id, json!({ "state": "acknowledged" })).await;
    let third = escalate(&app, &alice, &number, request_body()).await;
    assert_eq!(third.error_code(), "escalation_open");
    assert_eq!(count_escalations(&app).await, 1);

    // Once resolved, a new request is possible straight away (the cool-down follows declines).
    answer_ok(
        &app,
        &number,
        first.id,
        json!({ "state": "resolved", "answer": "Fixed by the hotfix." }),
    )
    .await;
    escalate_ok(&app, &alice, &number).await;
}

#[tokio::test]
async fn simultaneous_requests_create_one() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let (a, b, c) = tokio::join!(
        escalate(&app, &alice, &number, request_body()),
        escalate(&app, &alice, &number, request_body()),
        escalate(&app, &alice, &number, request_body()),
    );
    let mut statuses: Vec<_> = [&a, &b, &c].iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CONFLICT,
            StatusCode::CONFLICT
        ],
        "{} {} {}",
        a.text(),
        b.text(),
        c.text()
    );
    assert_eq!(count_escalations(&app).await, 1);
}

#[tokio::test]
async fn the_database_refuses_a_second_open_request() {
    let World { app, .. } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let ticket_id: i64 = number.trim_start_matches("LAN-").parse().expect("id");
    let requester_id = app.person(ALICE).await.id;
    let new = db::escalations::NewEscalation {
        ticket_id,
        reason: "other",
        details: DETAILS,
        requested_severity: None,
        callback_phone: "",
        callback_availability: "",
        requester_id,
        requested_by: "Alice",
        requested_at: 0,
        review_due_at: 0,
    };
    db::escalations::insert(&app.state.database, &new)
        .await
        .expect("first");
    let second = db::escalations::insert(&app.state.database, &new).await;
    assert!(
        second.as_ref().is_err_and(db::is_unique_violation),
        "{second:?}"
    );
}

#[tokio::test]
async fn closed_and_solved_tickets_take_no_request() {
    let World { app, alice } = world().await;
    let solved = app.file_ticket(ALICE, "Backup fails", "major").await;
    set_status(&app, &solved, "solved").await;
    let response = escalate(&app, &alice, &solved, request_body()).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.error_code(), "ticket_finished");
    assert_eq!(
        app.ticket_detail(&alice, &solved)
            .await
            .escalation_availability,
        EscalationAvailability::TicketFinished
    );

    let closed = app.file_ticket(ALICE, "Backup fails", "major").await;
    set_status(&app, &closed, "closed").await;
    let response = escalate(&app, &alice, &closed, request_body()).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.error_code(), "ticket_closed");
    assert_eq!(count_escalations(&app).await, 0);

    // Pending means waiting for the customer, who may still escalate.
    let pending = app.file_ticket(ALICE, "Backup fails", "major").await;
    set_status(&app, &pending, "pending").await;
    escalate_ok(&app, &alice, &pending).await;
}

#[tokio::test]
async fn a_declined_request_cools_down_until_its_boundary() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let request = escalate_ok(&app, &alice, &number).await;
    let unexplained = answer(&app, &number, request.id, json!({ "state": "declined" })).await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unexplained.value()["error"]["fields"]["answer"].is_string());

    app.clock.advance(Duration::hours(1));
    let declined_at = app.clock.now();
    let declined = answer_ok(
        &app,
        &number,
        request.id,
        json!({ "state": "declined", "answer": "The target is not missed yet; we reply today." }),
    )
    .await;
    assert_eq!(declined.state, EscalationState::Declined);
    assert_eq!(declined.closed_at, Some(declined_at));
    let until = declined_at + Duration::hours(24);
    let page = app.ticket_detail(&alice, &number).await;
    assert_eq!(
        page.escalation_availability,
        EscalationAvailability::CoolingDown { until }
    );
    let last = *steps(&page.timeline).last().expect("a step");
    assert_eq!(last.state, EscalationState::Declined);
    assert!(last.text.contains("not missed yet"));
    let mails = mails_to(&app, ALICE).await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].contains("Escalation declined"), "{}", mails[1]);
    assert!(mails[1].contains("not missed yet"));

    app.clock.set(until - Duration::seconds(1));
    // A day later the session has ended: sign in again.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let early = escalate(&app, &alice, &number, request_body()).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.error_code(), "escalation_cooling_down");
    let message = early.value()["error"]["message"].clone();
    let expected = until.format("%A %-d %B %Y, %H:%M").to_string();
    assert!(
        message
            .as_str()
            .is_some_and(|text| text.contains(&expected)),
        "{message} names {expected}"
    );

    app.clock.set(until);
    let again = escalate_ok(&app, &alice, &number).await;
    assert_ne!(again.id, request.id);
}

#[tokio::test]
async fn agents_move_requests_only_along_the_allowed_steps() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let other = app.file_ticket(ALICE, "Backup fails", "major").await;
    let request = escalate_ok(&app, &alice, &number).await;

    for (path_number, id) in [(&other, request.id), (&number, request.id + 1000)] {
        let response = answer(&app, path_number, id, json!({ "state": "acknowledged" })).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path_number}/{id}");
        assert_eq!(response.error_code(), "not_found");
    }
    let unknown_ticket = answer(
        &app,
        "LAN-999999",
        request.id,
        json!({ "state": "acknowledged" }),
    )
    .await;
    assert_eq!(unknown_ticket.status, StatusCode::NOT_FOUND);

    let back = answer(&app, &number, request.id, json!({ "state": "requested" })).await;
    assert_eq!(back.status, StatusCode::CONFLICT);
    assert_eq!(back.error_code(), "escalation_state");
    let bad_level = answer(
        &app,
        &number,
        request.id,
        json!({ "state": "acknowledged", "support_level": "l9" }),
    )
    .await;
    assert_eq!(bad_level.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_level.value()["error"]["fields"]["support_level"].is_string());
    let unexplained = answer(&app, &number, request.id, json!({ "state": "resolved" })).await;
    assert!(unexplained.value()["error"]["fields"]["answer"].is_string());
    // None of the refused answers changed anything.
    let page = app.ticket_detail(&alice, &number).await;
    assert_eq!(page.escalations, vec![request.clone()]);
    assert_eq!(page.support_level, "l1");
    assert_eq!(mails_to(&app, ALICE).await.len(), 1);

    answer_ok(
        &app,
        &number,
        request.id,
        json!({ "state": "acknowledged" }),
    )
    .await;
    let twice = answer(
        &app,
        &number,
        request.id,
        json!({ "state": "acknowledged" }),
    )
    .await;
    assert_eq!(twice.error_code(), "escalation_state");
    answer_ok(
        &app,
        &number,
        request.id,
        json!({ "state": "declined", "answer": "Handled as a normal ticket." }),
    )
    .await;
    for state in ["resolved", "declined", "acknowledged"] {
        let late = answer(
            &app,
            &number,
            request.id,
            json!({ "state": state, "answer": "Now resolved after all." }),
        )
        .await;
        assert_eq!(late.status, StatusCode::CONFLICT, "{state}");
        assert_eq!(late.error_code(), "escalation_state", "{state}");
    }
}

#[tokio::test]
async fn other_organisations_cannot_escalate_or_see_requests() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    escalate_ok(&app, &alice, &number).await;
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    let response = escalate(&app, &carl, &number, request_body()).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error_code(), "not_found");
    let page = app
        .get(&format!("/api/v1/tickets/{number}"))
        .cookie(&carl)
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.text().contains(DETAILS));
    let carls_list = app.get("/api/v1/tickets?status=all").cookie(&carl).await;
    assert!(!carls_list.text().contains(&number));
    assert_eq!(count_escalations(&app).await, 1);
    // Customers have no access to the agents' queue.
    let queue = app.get("/api/v1/agent/escalations").cookie(&carl).await;
    assert_eq!(queue.status, StatusCode::UNAUTHORIZED);

    // Within the organisation, its admin may escalate a contact's ticket.
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let second = app.file_ticket(ALICE, "Backup fails", "major").await;
    escalate_ok(&app, &olivia, &second).await;
}

#[tokio::test]
async fn internal_notes_stay_internal_around_escalations() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let note = app.agent(Method::POST,
        &format!("/api/v1/agent/tickets/{number}/replies"),
    )
    .json(
        &json!({ "body": "SECRET-NOTE: escalate only if the NAS is supported", "internal": true }),
    )
    .await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.text());
    let request = escalate_ok(&app, &alice, &number).await;
    answer_ok(
        &app,
        &number,
        request.id,
        json!({ "state": "resolved", "answer": "We took it to Level 3.", "support_level": "l3" }),
    )
    .await;

    let customer = app
        .get(&format!("/api/v1/tickets/{number}"))
        .cookie(&alice)
        .await;
    assert!(!customer.text().contains("SECRET-NOTE"));
    let agent_view: AgentTicketDetail = app
        .agent(Method::GET, &format!("/api/v1/agent/tickets/{number}"))
        .await
        .json();
    assert_eq!(agent_view.internal_notes.len(), 1);
    assert_eq!(steps(&agent_view.detail.timeline).len(), 2);
    let queue_text = app
        .agent(Method::GET, "/api/v1/agent/escalations")
        .await
        .text();
    assert!(!queue_text.contains("SECRET-NOTE"));
    let mails = db::outbox::pending(&app.state.database, 1000)
        .await
        .expect("outbox");
    assert!(!mails.is_empty());
    assert!(mails.iter().all(|mail| !mail.body.contains("SECRET-NOTE")));
}

#[tokio::test]
async fn the_agents_queue_lists_open_requests_by_review_target() {
    let World { app, alice } = world().await;
    let later = app.file_ticket(ALICE, "Backup fails", "major").await;
    let sooner = app.file_ticket(ALICE, "Backup fails", "major").await;
    let done = app.file_ticket(ALICE, "Backup fails", "major").await;
    let first = escalate_ok(&app, &alice, &sooner).await;
    let finished = escalate_ok(&app, &alice, &done).await;
    app.clock.advance(Duration::minutes(5));
    let second = escalate_ok(&app, &alice, &later).await;
    answer_ok(
        &app,
        &done,
        finished.id,
        json!({ "state": "resolved", "answer": "Done on the phone." }),
    )
    .await;

    let open = queue(&app).await;
    let ids: Vec<_> = open.iter().map(|item| item.escalation.id).collect();
    assert_eq!(ids, [first.id, second.id]);
    assert_eq!(open[0].ticket_number, sooner);
    assert_eq!(open[0].ticket_subject, "Backup fails");
    let anonymous = app.get("/api/v1/agent/escalations").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_ticket_that_closes_resolves_its_open_request() {
    let World { app, alice } = world().await;
    let by_agent = app.file_ticket(ALICE, "Closed by support", "major").await;
    let by_rule = app
        .file_ticket(ALICE, "Closed by the pending rule", "major")
        .await;
    let solved_only = app.file_ticket(ALICE, "Solved, not closed", "major").await;
    for number in [&by_agent, &by_rule, &solved_only] {
        escalate_ok(&app, &alice, number).await;
    }
    set_status(&app, &by_agent, "closed").await;
    set_status(&app, &by_rule, "pending").await;
    app.clock.advance(
        app.state
            .policy
            .lifecycle
            .pending_auto_close
            .unwrap()
            .as_chrono(),
    );
    set_status(&app, &solved_only, "solved").await;
    let closed = lantern_server::tickets::lifecycle::apply_auto_close(&app.state, app.clock.now())
        .await
        .expect("the rules run");
    assert_eq!(closed, 1);

    // A week later the session has ended.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    for number in [&by_agent, &by_rule] {
        let ticket = app.ticket_detail(&alice, number).await;
        assert_eq!(ticket.escalations[0].state, EscalationState::Resolved);
        let last = *steps(&ticket.timeline).last().expect("steps");
        assert_eq!(last.state, EscalationState::Resolved);
        assert_eq!(last.by.kind, lantern_core::conversation::ActorKind::System);
        assert!(last.text.contains("closed"), "{}", last.text);
    }
    // A solved ticket may still be reopened: its request waits for a manager.
    let open: Vec<_> = queue(&app)
        .await
        .into_iter()
        .map(|item| item.ticket_number)
        .collect();
    assert_eq!(open, [solved_only]);
}

#[tokio::test]
async fn the_endpoints_are_documented() {
    let World { app, .. } = world().await;
    let document = app.get("/api/v1/openapi.json").await.value();
    assert!(document["paths"]["/api/v1/tickets/{number}/escalations"]["post"].is_object());
    assert!(document["paths"]["/api/v1/agent/escalations"]["get"].is_object());
    assert!(
        document["paths"]["/api/v1/agent/tickets/{number}/escalations/{id}"]["post"].is_object()
    );
    for schema in [
        "EscalationRequest",
        "Escalation",
        "EscalationAnswer",
        "OpenEscalation",
        "EscalationAvailability",
        "EscalationStep",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema} is missing"
        );
    }
    // Two types are called `Escalation` in Rust: the request and the policy's section. Under
    // one name, one would replace the other in the document.
    let schemas = &document["components"]["schemas"];
    assert!(schemas["Escalation"]["properties"]["reason"].is_object());
    assert!(schemas["EscalationPolicy"]["properties"]["review_target"].is_object());
}

fn with_reason(reason: &str) -> Value {
    let mut body = request_body();
    body["reason"] = json!(reason);
    body
}

#[tokio::test]
async fn no_response_is_refused_until_the_target_passes_without_an_answer() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Nobody answers", "major").await;
    let due_at = match app
        .ticket_detail(&alice, &number)
        .await
        .ticket
        .response_due_at
    {
        Some(due_at) => due_at,
        None => panic!("a major ticket of the Enterprise plan has a response target"),
    };
    // Two minutes after filing, hours before the target: a clear error on the reason field.
    app.clock.advance(Duration::minutes(2));
    let early = escalate(&app, &alice, &number, with_reason("no_response")).await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.text()
    );
    assert_eq!(early.error_code(), "validation_failed");
    let message = early.value()["error"]["fields"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("has not passed yet"), "{message}");
    assert_eq!(count_escalations(&app).await, 0);

    // Once the target passed without an answer, the reason holds.
    app.clock.set(due_at);
    let escalation: Escalation = escalate(&app, &alice, &number, with_reason("no_response"))
        .await
        .json();
    assert_eq!(escalation.reason, EscalationReason::NoResponse);
}

/// An update support owes (Critical on Enterprise: every two hours) that does not come in time
/// is a missed response: "no response" is a reason again from its due instant.
#[tokio::test]
async fn no_response_holds_again_once_an_owed_update_is_late() {
    let World { app, alice } = world().await;
    let number = app
        .file_ticket(ALICE, "Replication stalls", "critical")
        .await;
    let replied = app
        .agent(
            Method::POST,
            &format!("/api/v1/agent/tickets/{number}/replies"),
        )
        .json(&json!({ "body": "We are looking at the logs." }))
        .await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    let due_at = match app
        .ticket_detail(&alice, &number)
        .await
        .ticket
        .update_due_at
    {
        Some(due_at) => due_at,
        None => panic!("a Critical ticket of the Enterprise plan owes updates"),
    };
    app.clock.set(due_at - Duration::minutes(1));
    let early = escalate(&app, &alice, &number, with_reason("no_response")).await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.text()
    );
    let message = early.value()["error"]["fields"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("next update is not due yet"), "{message}");
    app.clock.set(due_at);
    let mut body = with_reason("no_response");
    body["requested_severity"] = json!("emergency");
    let late = escalate(&app, &alice, &number, body).await;
    assert_eq!(late.status, StatusCode::CREATED, "{}", late.text());
}

#[tokio::test]
async fn an_answered_ticket_takes_neither_no_response_nor_a_failed_solution_before_one() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Restore fails", "major").await;
    let no_solution = escalate(&app, &alice, &number, with_reason("solution_does_not_work")).await;
    assert_eq!(no_solution.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_solution.value()["error"]["fields"]["reason"].is_string());

    app.agent(
        Method::POST,
        &format!("/api/v1/agent/tickets/{number}/replies"),
    )
    .json(&json!({ "body": "Please restart the agent." }))
    .await;
    let answered = escalate(&app, &alice, &number, with_reason("no_response")).await;
    assert_eq!(answered.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = answered.value()["error"]["fields"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("Support has answered"), "{message}");
    let does_not_work =
        escalate(&app, &alice, &number, with_reason("solution_does_not_work")).await;
    assert_eq!(
        does_not_work.status,
        StatusCode::CREATED,
        "{}",
        does_not_work.text()
    );
}
