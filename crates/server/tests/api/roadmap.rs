//! Enhancement requests against the roadmap (issue 19, Chevah 003, Aveksa 002): agents decide on
//! requests of the policy's roadmap case types; the customer sees and is mailed the decision;
//! the vendor lists every organisation's requests by state, as JSON and as CSV.

use crate::common;

use axum::http::{Method, StatusCode};
use common::tickets::{ALICE, CARL};
use common::{DEMO_PASSWORD, TestApp, TestResponse};
use lantern_core::conversation::{TicketDetail, TimelineKind};
use lantern_core::ticket::{RoadmapRequest, RoadmapState};
use lantern_server::db;
use serde_json::{Value, json};

async fn decide(app: &TestApp, number: &str, body: Value) -> TestResponse {
    app.agent(
        Method::PUT,
        &format!("/api/v1/agent/tickets/{number}/roadmap"),
    )
    .json(&body)
    .await
}

async fn requests(app: &TestApp, query: &str) -> Vec<RoadmapRequest> {
    let response = app
        .agent(Method::GET, &format!("/api/v1/agent/roadmap{query}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

async fn enhancement(app: &TestApp, email: &str, subject: &str) -> String {
    app.file_ticket_of_type(email, subject, "minor", "enhancement")
        .await
}

#[tokio::test]
async fn the_same_request_of_two_customers_is_listed_together_with_its_state() {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let alice_asks = enhancement(&app, ALICE, "Export reports as PDF").await;
    let carl_asks = enhancement(&app, CARL, "Export reports as PDF files").await;
    let other = enhancement(&app, ALICE, "Dark mode for the console").await;
    let problem = app
        .file_ticket(ALICE, "Backup fails at night", "major")
        .await;

    let planned = decide(&app, &alice_asks, json!({ "state": "planned" })).await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.text());
    let released = json!({ "state": "released", "released_in": "8.3", "reason": "See the notes." });
    assert_eq!(
        decide(&app, &carl_asks, released).await.status,
        StatusCode::OK
    );

    let all = requests(&app, "").await;
    let numbers: Vec<&str> = all.iter().map(|request| request.number.as_str()).collect();
    assert_eq!(numbers, [&other, &alice_asks, &carl_asks], "by subject");
    assert!(
        !numbers.contains(&problem.as_str()),
        "a problem is no enhancement request"
    );
    assert_eq!(all[2].organisation_name, "Contoso");
    let released_only = requests(&app, "?state=released").await;
    assert_eq!(released_only.len(), 1);
    let decision = released_only[0].decision.clone().expect("decided");
    assert_eq!(decision.state_text(), "Released in 8.3");
    let undecided = requests(&app, "?state=undecided").await;
    assert_eq!(
        undecided
            .iter()
            .map(|r| r.number.as_str())
            .collect::<Vec<_>>(),
        [&other]
    );
    let unknown = app
        .agent(Method::GET, "/api/v1/agent/roadmap?state=done")
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::BAD_REQUEST,
        "as the ticket list's filters"
    );

    // As CSV, for a spreadsheet.
    let csv = app
        .agent(Method::GET, "/api/v1/agent/roadmap.csv?state=released")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "number,subject,product,organisation,requester,filed,state,released_in,reason"
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].starts_with(&format!("{carl_asks},Export reports as PDF files,")),
        "{text}"
    );
    assert!(lines[1].ends_with(",released,8.3,See the notes."), "{text}");

    // The customer sees the decision on the ticket and in the list, and was mailed it.
    let carl = app.sign_in(CARL, DEMO_PASSWORD).await;
    let detail: TicketDetail = app.ticket_detail(&carl, &carl_asks).await;
    let roadmap = detail.ticket.roadmap.clone().expect("the decision");
    assert_eq!(roadmap.state, RoadmapState::Released);
    assert!(detail.timeline.iter().any(|entry| matches!(&entry.kind,
        TimelineKind::RoadmapDecided { state, reason, .. }
            if state == "Released in 8.3" && reason == "See the notes.")));
    let mails = db::outbox::to_recipient(&app.state.database, CARL)
        .await
        .unwrap();
    assert!(
        mails.iter().any(|mail| mail
            .body
            .contains("Your enhancement request is now: Released in 8.3.")),
        "{mails:?}"
    );
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let page: lantern_core::conversation::TicketPage =
        app.get("/api/v1/tickets").cookie(&alice).await.json();
    let listed = page.items.iter().find(|item| item.number == alice_asks);
    let state = listed
        .and_then(|item| item.roadmap.as_ref())
        .map(|d| d.state_text());
    assert_eq!(state.as_deref(), Some("Planned"));
}

#[tokio::test]
async fn only_enhancement_requests_get_a_decision_and_a_decline_says_why() {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let problem = app
        .file_ticket(ALICE, "Backup fails at night", "major")
        .await;
    let refused = decide(&app, &problem, json!({ "state": "planned" })).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.value()["error"]["fields"]["state"].is_string(),
        "{}",
        refused.text()
    );

    let request = enhancement(&app, ALICE, "Export reports as PDF").await;
    for (body, field) in [
        (json!({ "state": "declined" }), "reason"),
        (json!({ "state": "released" }), "released_in"),
        (
            json!({ "state": "planned", "released_in": "8.3" }),
            "released_in",
        ),
    ] {
        let response = decide(&app, &request, body.clone()).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            response.value()["error"]["fields"][field].is_string(),
            "{body}"
        );
    }
    let declined = json!({ "state": "declined", "reason": "It does not fit the product." });
    assert_eq!(
        decide(&app, &request, declined.clone()).await.status,
        StatusCode::OK
    );
    let mails_before = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap()
        .len();
    assert_eq!(
        decide(&app, &request, declined).await.status,
        StatusCode::OK
    );
    let mails = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap();
    assert_eq!(
        mails.len(),
        mails_before,
        "the same decision again mails nothing"
    );
}
