//! The customer's own data (issue 20, point 4) through the real router: the export holds
//! everything about the person and nothing that is not hers to see; a deletion leaves her
//! organisation's tickets, and no table of the database names her any more.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use axum::http::{Method, StatusCode};
use common::tickets::{ALICE, CARL, OLIVIA, question_ticket};
use common::{DEMO_PASSWORD, MULTIPART_BOUNDARY, TestApp, TestResponse, multipart_upload};
use lantern_core::conversation::TicketDetail;
use lantern_server::tokens::hash_token;
use lantern_server::{db, rate_limits};
use serde_json::{Value, json};

const ALICE_NAME: &str = "Alice Andersen";
const LOG: &[u8] = b"2026-12-04 02:00 ERROR E1042 the share went away";
const SUPPORT_REPLY: &str = "Please send the agent's log of last night.";
const INTERNAL_NOTE: &str = "SECRET-NOTE: the customer's NAS is unsupported";
const ARTICLE: &str = "restore-a-backup";
const CALLBACK_PHONE: &str = "+44 20 7946 0142";
const CONTACT_PHONE: &str = "+44 20 7946 0999";

struct World {
    app: TestApp,
    alice: String,
}

/// Puts Alice in CC of the ticket `number`.
async fn copy_alice_on(app: &TestApp, number: &str) {
    let ticket = db::tickets::find_by_number(&app.state.database, number)
        .await
        .expect("query")
        .expect("the ticket");
    db::ticket_ccs::add(&app.state.database, ticket.id, app.person(ALICE).await.id)
        .await
        .expect("Alice in CC");
}

async fn world() -> World {
    let app = TestApp::seeded().await;
    app.install_agent_token().await;
    let content = app.dir.path().join("kb");
    std::fs::create_dir_all(&content).expect("a content dir");
    std::fs::write(
        content.join(format!("{ARTICLE}.md")),
        "---\ntitle: Restore a backup\nsummary: How to restore.\ncategory: Backup & restore\n\
         products: [harbor-backup]\ntags: [restore]\nupdated: 2026-03-01\n---\nOpen the agent.\n",
    )
    .expect("an article file");
    app.import_kb(&content).await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    World { app, alice }
}

/// Alice's own ticket with a log, support's reply and an internal note, a colleague's ticket
/// she is copied on, an escalation and a vote; returns her ticket, the colleague's she is on
/// and the colleague's she is not on.
async fn alices_history(app: &TestApp, alice: &str) -> (String, String, String) {
    let upload = app
        .send(Method::POST, "/api/v1/attachments")
        .cookie(alice)
        .body(
            &format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            multipart_upload("log", "agent.log", LOG),
        )
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.text());
    let mut ticket = question_ticket("Restore of the file server fails");
    ticket["contact"]["phone"] = json!(CONTACT_PHONE);
    ticket["attachments"] = json!([{
        "id": upload.value()["id"], "name": "agent.log", "size": LOG.len(), "kind": "log",
    }]);
    let filed = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(alice)
        .header("idempotency-key", "alices-first-ticket")
        .json(&ticket)
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    let own = filed.value()["number"]
        .as_str()
        .expect("a number")
        .to_owned();
    agent_reply(app, &own, SUPPORT_REPLY, false).await;
    agent_reply(app, &own, INTERNAL_NOTE, true).await;

    let copied = app.file_ticket(OLIVIA, "Licence renewal", "minor").await;
    let colleague = app.person(OLIVIA).await;
    copy_alice_on(app, &copied).await;
    assert_eq!(
        colleague.organisation_id,
        app.person(ALICE).await.organisation_id
    );
    let reply = app
        .send(Method::POST, &format!("/api/v1/tickets/{copied}/replies"))
        .cookie(alice)
        .json(&json!({ "body": "I am following this one.", "attachments": [] }))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let escalation = app
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{copied}/escalations"),
        )
        .cookie(alice)
        .json(&json!({
            "reason": "business_impact_increased",
            "details": "The renewal blocks every backup from Monday.",
            "requested_severity": "major",
            "callback_phone": CALLBACK_PHONE,
            "callback_availability": "weekdays 9-17 GMT",
        }))
        .await;
    assert_eq!(
        escalation.status,
        StatusCode::CREATED,
        "{}",
        escalation.text()
    );

    let vote = app
        .send(Method::PUT, &format!("/api/v1/kb/articles/{ARTICLE}/vote"))
        .cookie(alice)
        .json(&json!({ "helpful": true }))
        .await;
    assert!(vote.status.is_success(), "{}", vote.text());

    let not_hers = app
        .file_ticket(OLIVIA, "Olivia's own question", "minor")
        .await;
    (own, copied, not_hers)
}

async fn agent_reply(app: &TestApp, number: &str, body: &str, internal: bool) {
    let response = app
        .agent(
            Method::POST,
            &format!("/api/v1/agent/tickets/{number}/replies"),
        )
        .json(&json!({ "body": body, "internal": internal, "author_name": "Sam Support" }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

async fn export(app: &TestApp, cookie: &str) -> TestResponse {
    app.get("/api/v1/me/export").cookie(cookie).await
}

/// Every file of the ZIP by its name.
fn unzip(response: &TestResponse) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(response.body.to_vec())).expect("a ZIP");
    let mut files = BTreeMap::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).expect("a file of the ZIP");
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("its bytes");
        files.insert(file.name().to_owned(), bytes);
    }
    files
}

fn json_of(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Value {
    let bytes = files
        .get(name)
        .unwrap_or_else(|| panic!("{name} is in the export"));
    serde_json::from_slice(bytes).unwrap_or_else(|error| panic!("{name} is JSON: {error}"))
}

#[tokio::test]
async fn the_export_holds_everything_of_the_person_and_nothing_hidden_from_her() {
    let World { app, alice } = world().await;
    let (own, copied, not_hers) = alices_history(&app, &alice).await;

    let response = export(&app, &alice).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("content-type"), Some("application/zip"));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let disposition = response.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("lantern-data-2025-03-03.zip"),
        "{disposition}"
    );
    let files = unzip(&response);
    let names: BTreeSet<String> = files.keys().cloned().collect();
    let expected: BTreeSet<String> = [
        "README.txt".to_owned(),
        "account.json".to_owned(),
        format!("attachments/{own}/agent.log"),
        format!("tickets/{copied}.json"),
        format!("tickets/{own}.json"),
        "votes.json".to_owned(),
    ]
    .into();
    assert_eq!(names, expected);
    assert!(!names.iter().any(|name| name.contains(&not_hers)));

    let account = json_of(&files, "account.json");
    assert_eq!(account["email"], ALICE);
    assert_eq!(account["name"], ALICE_NAME);
    assert_eq!(account["role"], "contact");
    assert_eq!(account["organisation"]["name"], "Northwind Traders");
    assert!(account["created_at"].is_string());
    assert_eq!(account["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(account["sessions"][0]["current"], true);
    assert_eq!(account["known_browsers"].as_array().map(Vec::len), Some(1));

    assert_eq!(files[&format!("attachments/{own}/agent.log")], LOG);
    let own_ticket: TicketDetail =
        serde_json::from_value(json_of(&files, &format!("tickets/{own}.json"))).expect("a ticket");
    assert_eq!(own_ticket.ticket.number, own);
    assert_eq!(own_ticket.submitted.attachments.len(), 1);
    let own_text = String::from_utf8_lossy(&files[&format!("tickets/{own}.json")]).into_owned();
    assert!(own_text.contains(SUPPORT_REPLY), "support's reply is in it");
    for (name, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("SECRET-NOTE"),
            "{name} holds an internal note"
        );
    }
    let copied_ticket: TicketDetail =
        serde_json::from_value(json_of(&files, &format!("tickets/{copied}.json")))
            .expect("a ticket");
    assert_eq!(copied_ticket.escalations.len(), 1);
    assert_eq!(copied_ticket.cc, [ALICE]);

    let votes = json_of(&files, "votes.json");
    assert_eq!(votes.as_array().map(Vec::len), Some(1));
    assert_eq!(votes[0]["article"], ARTICLE);
    assert_eq!(votes[0]["helpful"], true);
    let readme = String::from_utf8_lossy(&files["README.txt"]).into_owned();
    for file in [
        "account.json",
        "tickets/",
        "attachments/",
        "votes.json",
        "Search analytics",
    ] {
        assert!(readme.contains(file), "README.txt explains {file}");
    }
    assert!(!readme.contains("Not included"), "every file fitted");
}

#[tokio::test]
async fn the_export_needs_a_session_and_is_rate_limited() {
    let app = TestApp::seeded_with_config(|config| config.rate_limits.exports_per_hour = 2).await;
    assert_eq!(
        app.get("/api/v1/me/export").await.status,
        StatusCode::UNAUTHORIZED
    );
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    for _ in 0..2 {
        assert_eq!(export(&app, &alice).await.status, StatusCode::OK);
    }
    let third = export(&app, &alice).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.error_code(), "rate_limited");
    assert!(third.header("retry-after").is_some());
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    assert_eq!(export(&app, &olivia).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_export_while_the_server_puts_others_together_is_told_to_come_back() {
    let app = TestApp::seeded_with_config(|config| config.rate_limits.exports_per_hour = 1).await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let others_under_way: Vec<_> = (1..=rate_limits::EXPORTS_AT_ONCE)
        .map(|person| {
            app.state
                .rate_limits
                .export(-i64::try_from(person).expect("small"))
        })
        .collect::<Result<_, _>>()
        .expect("a place for each of the others");
    let refused = export(&app, &alice).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.error_code(), "overloaded");
    assert_eq!(refused.header("retry-after"), Some("30"));
    drop(others_under_way);
    assert_eq!(
        export(&app, &alice).await.status,
        StatusCode::OK,
        "her one export of the hour was still hers"
    );
}

/// `(table, column)` of every text column of the database that holds `needle`, whatever its
/// case, from the database's own catalogue, so a table added later is searched too.
async fn columns_holding(app: &TestApp, needle: &str) -> Vec<(String, String)> {
    let columns: Vec<(String, String)> = if app.on_postgres() {
        app.rows(
            "SELECT c.table_name::TEXT, c.column_name::TEXT FROM information_schema.columns c
             JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'USER-DEFINED')",
        )
        .await
    } else {
        app.rows(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .await
    };
    assert!(
        columns.len() > 40,
        "the catalogue lists the columns: {columns:?}"
    );
    let mut holding = Vec::new();
    for (table, column) in columns {
        let count: i64 = app
            .value(&format!(
                "SELECT COUNT(*) FROM \"{table}\"
                 WHERE LOWER(CAST(\"{column}\" AS TEXT)) LIKE '%{}%'",
                needle.to_lowercase()
            ))
            .await;
        if count > 0 {
            holding.push((table, column));
        }
    }
    holding
}

async fn delete_own_account(app: &TestApp, cookie: &str, password: &str) -> TestResponse {
    app.send(Method::DELETE, "/api/v1/me")
        .cookie(cookie)
        .json(&json!({ "password": password }))
        .await
}

#[tokio::test]
async fn a_deleted_person_is_named_nowhere_and_her_organisations_tickets_stay() {
    let World { app, alice } = world().await;
    let (own, copied, _) = alices_history(&app, &alice).await;
    // A sign-in attempt and a device of hers, so throttling and devices hold her address too.
    let wrong = app
        .send(Method::POST, "/api/v1/session")
        .json(&json!({ "email": ALICE, "password": "not her password" }))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let needles = [ALICE, ALICE_NAME, "andersen", CALLBACK_PHONE, CONTACT_PHONE];
    for needle in needles {
        assert!(
            !columns_holding(&app, needle).await.is_empty(),
            "before the deletion {needle} is stored"
        );
    }
    let alice_id = app.person(ALICE).await.id;

    let response = delete_own_account(&app, &alice, DEMO_PASSWORD).await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert!(
        response
            .header("set-cookie")
            .is_some_and(|cookie| cookie.contains("Max-Age=0")),
        "the session cookie is cleared"
    );

    for needle in needles {
        assert_eq!(
            columns_holding(&app, needle).await,
            [],
            "{needle} is still stored"
        );
    }
    let me = app.get("/api/v1/me").cookie(&alice).await;
    assert_eq!(
        me.status,
        StatusCode::UNAUTHORIZED,
        "the old session is refused"
    );
    let again = app
        .send(Method::POST, "/api/v1/session")
        .json(&json!({ "email": ALICE, "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "she cannot sign in");

    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let kept = app.ticket_detail(&olivia, &own).await;
    assert_eq!(kept.submitted.contact.name, "Deleted user");
    assert!(kept.submitted.contact.email.ends_with(".invalid"));
    assert_eq!(
        kept.submitted.attachments.len(),
        1,
        "the files on tickets stay"
    );
    let colleagues = app.ticket_detail(&olivia, &copied).await;
    assert!(colleagues.cc.is_empty(), "she is no longer copied");
    assert_eq!(colleagues.escalations[0].requested_by, "Deleted user");
    let agents_view = app
        .agent(Method::GET, &format!("/api/v1/agent/tickets/{own}"))
        .await;
    assert_eq!(agents_view.status, StatusCode::OK);
    assert!(
        agents_view.text().contains("SECRET-NOTE"),
        "support keeps its notes"
    );
    let contacts = app
        .get("/api/v1/organisation/contacts")
        .cookie(&olivia)
        .await;
    assert!(
        !contacts.text().contains("Deleted user"),
        "a deleted account is nobody's contact: {}",
        contacts.text()
    );
    let votes: i64 = app
        .value(&format!(
            "SELECT COUNT(*) FROM kb_votes WHERE voter = 'user:{alice_id}'"
        ))
        .await;
    assert_eq!(votes, 0);
    let helpful: i64 = app
        .value(&format!(
            "SELECT helpful FROM kb_articles WHERE slug = '{ARTICLE}'"
        ))
        .await;
    assert_eq!(helpful, 0, "her vote left the article's count");
}

#[tokio::test]
async fn a_wrong_password_deletes_nothing() {
    let World { app, alice } = world().await;
    let response = delete_own_account(&app, &alice, "not my password").await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert_eq!(
        response.value()["error"]["fields"]["password"],
        "This is not your current password."
    );
    let me = app.get("/api/v1/me").cookie(&alice).await;
    assert_eq!(me.status, StatusCode::OK, "the session goes on");
    assert_eq!(me.value()["name"], ALICE_NAME);
    let missing = app
        .send(Method::DELETE, "/api/v1/me")
        .cookie(&alice)
        .json(&json!({}))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.person(ALICE).await.name, ALICE_NAME);
    let nobody = app
        .send(Method::DELETE, "/api/v1/me")
        .json(&json!({ "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_last_admin_may_delete_herself_and_the_organisation_keeps_its_tickets() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(OLIVIA, "Licence renewal", "minor").await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let response = delete_own_account(&app, &olivia, DEMO_PASSWORD).await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    let admins: i64 = app
        .value("SELECT COUNT(*) FROM users WHERE role = 'org_admin'")
        .await;
    assert_eq!(admins, 0);
    let tickets: i64 = app
        .value(&format!(
            "SELECT COUNT(*) FROM tickets WHERE number = '{number}'"
        ))
        .await;
    assert_eq!(tickets, 1);
    let mine = app.get("/api/v1/me").cookie(&alice).await;
    assert_eq!(
        mine.status,
        StatusCode::OK,
        "her colleague is still signed in"
    );
}

#[tokio::test]
async fn an_agent_deletes_an_account_its_token_reaches() {
    let World { app, alice } = world().await;
    let number = app.file_ticket(ALICE, "Backup fails", "major").await;
    let contoso = app.person(CARL).await.organisation_id;
    let scoped = "contoso-only-agent-token-0123456789";
    let token = db::agent_tokens::NewAgentToken {
        name: "Contoso desk",
        token_hash: &hash_token(scoped),
        expires_at: None,
        organisation_id: Some(contoso),
    };
    db::agent_tokens::create(&app.state.database, &token, app.state.now_seconds())
        .await
        .expect("a scoped token");

    let elsewhere = app
        .request(Method::DELETE, &format!("/api/v1/agent/accounts/{ALICE}"))
        .header("authorization", &format!("Bearer {scoped}"))
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "{}",
        elsewhere.text()
    );
    assert_eq!(app.person(ALICE).await.name, ALICE_NAME);

    let unknown = app
        .agent(
            Method::DELETE,
            "/api/v1/agent/accounts/nobody@northwind.example",
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let deleted = app
        .agent(
            Method::DELETE,
            "/api/v1/agent/accounts/Alice@Northwind.example",
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text());
    assert_eq!(columns_holding(&app, ALICE).await, []);
    assert_eq!(
        app.get("/api/v1/me").cookie(&alice).await.status,
        StatusCode::UNAUTHORIZED
    );
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    assert_eq!(
        app.ticket_detail(&olivia, &number)
            .await
            .submitted
            .contact
            .name,
        "Deleted user"
    );
    let carl = app
        .request(Method::DELETE, &format!("/api/v1/agent/accounts/{CARL}"))
        .header("authorization", &format!("Bearer {scoped}"))
        .await;
    assert_eq!(
        carl.status,
        StatusCode::NO_CONTENT,
        "its own organisation's"
    );
}

#[tokio::test]
async fn an_organisation_admin_cannot_delete_a_colleague() {
    let World { app, .. } = world().await;
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let by_agent_route = app
        .send(Method::DELETE, &format!("/api/v1/agent/accounts/{ALICE}"))
        .cookie(&olivia)
        .await;
    assert_eq!(by_agent_route.status, StatusCode::UNAUTHORIZED);
    // `DELETE /me` deletes the caller, whatever the body names.
    let document = app.get("/api/v1/openapi.json").await.value();
    let deletions: Vec<&str> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, item)| item.get("delete").is_some())
        .map(|(path, _)| path.as_str())
        .filter(|path| !path.starts_with("/api/v1/agent/"))
        .filter(|path| path.contains("account") || path.contains("user") || *path == "/api/v1/me")
        .collect();
    assert_eq!(deletions, ["/api/v1/me"], "no other call deletes a person");
    assert_eq!(app.person(ALICE).await.name, ALICE_NAME);
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/me").cookie(&alice).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_colleague_of_the_same_name_keeps_her_name() {
    let World { app, alice } = world().await;
    let organisation = app.person(ALICE).await.organisation_id;
    let namesake = "alice.too@northwind.example";
    lantern_server::accounts::create_account(
        &app.state,
        organisation,
        namesake,
        ALICE_NAME,
        lantern_core::api::Role::Contact,
        "another-quiet-harbour-light",
    )
    .await
    .expect("a namesake");
    let number = app.file_ticket(namesake, "Her own question", "minor").await;
    copy_alice_on(&app, &number).await;
    let namesakes = app.sign_in(namesake, "another-quiet-harbour-light").await;
    for cookie in [&namesakes, &alice] {
        let reply = app
            .send(Method::POST, &format!("/api/v1/tickets/{number}/replies"))
            .cookie(cookie)
            .json(&json!({ "body": "A reply.", "attachments": [] }))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }

    let response = delete_own_account(&app, &alice, DEMO_PASSWORD).await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    let authors: Vec<String> = app
        .column("SELECT actor_name FROM ticket_events WHERE kind = 'customer_reply' ORDER BY id")
        .await;
    assert_eq!(authors, [ALICE_NAME, "Deleted user"]);
}
