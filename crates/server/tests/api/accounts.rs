//! Accounts and sessions through the real router on a real SQLite file.

use crate::common;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, Request, StatusCode};
use chrono::Duration;
use common::{DEMO_PASSWORD, TestApp};
use lantern_core::api::{Me, Role};
use lantern_server::admin::{self, AdminCommand};
use lantern_server::auth::AgentAuth;
use lantern_server::db;
use serde_json::json;

const ALICE: &str = "alice@northwind.example";
const WRONG_CREDENTIALS: &str = "The e-mail address or password is not correct.";

fn credentials(email: &str, password: &str) -> serde_json::Value {
    json!({ "email": email, "password": password })
}

/// The token of the newest mailed link `/<kind>/<token>` to `recipient`.
async fn mailed_token(app: &TestApp, recipient: &str, kind: &str) -> String {
    let mails = db::outbox::to_recipient(&app.state.database, recipient)
        .await
        .unwrap();
    let mail = mails
        .last()
        .unwrap_or_else(|| panic!("no mail to {recipient}"));
    let marker = format!("/{kind}/");
    let start = mail
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {kind} link in {}", mail.body))
        + marker.len();
    mail.body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

async fn me(app: &TestApp, cookie: &str) -> common::TestResponse {
    app.get("/api/v1/me").cookie(cookie).await
}

#[tokio::test]
async fn signing_in_sets_a_safe_cookie_and_me_shows_the_person() {
    let app = TestApp::seeded().await;
    let response = app
        .send(Method::POST, "/api/v1/session")
        .json(&credentials(" Alice@Northwind.example ", DEMO_PASSWORD))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let set_cookie = response.header("set-cookie").unwrap();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    let signed_in: Me = response.json();
    assert_eq!(signed_in.email, ALICE);
    assert_eq!(signed_in.role, Role::Contact);
    assert_eq!(signed_in.organisation.name, "Northwind Traders");
    assert_eq!(signed_in.organisation.plan, "enterprise");
    assert_eq!(signed_in.organisation.plan_name, "Enterprise");

    let cookie = response.session_cookie().unwrap();
    let shown: Me = me(&app, &cookie).await.json();
    assert_eq!(shown, signed_in);
}

#[tokio::test]
async fn secure_cookies_use_the_host_prefix() {
    let app = TestApp::seeded_with_config(|config| config.secure_cookies = true).await;
    let response = app
        .send(Method::POST, "/api/v1/session")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    let set_cookie = response.header("set-cookie").unwrap();
    assert!(
        set_cookie.starts_with("__Host-lantern_session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Secure"), "{set_cookie}");
    let cookie = response.session_cookie().unwrap();
    assert_eq!(me(&app, &cookie).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_session_state_names_the_signed_in_person_and_is_null_for_visitors() {
    let app = TestApp::seeded().await;
    let visitor = app.get("/api/v1/session").await;
    assert_eq!(visitor.status, StatusCode::OK);
    assert_eq!(visitor.value(), serde_json::json!({ "me": null }));

    let cookie = app
        .sign_in("alice@northwind.example", "bright-lantern-demo")
        .await;
    let signed_in = app.get("/api/v1/session").cookie(&cookie).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert_eq!(signed_in.value()["me"]["email"], "alice@northwind.example");
}

#[tokio::test]
async fn me_without_a_session_is_401() {
    let app = TestApp::seeded().await;
    let response = app.get("/api/v1/me").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "unauthorized");
    let forged = me(&app, "lantern_session=0000").await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::seeded().await;
    for email in [ALICE, "nobody@northwind.example"] {
        let response = app
            .send(Method::POST, "/api/v1/session")
            .json(&credentials(email, "not-the-password"))
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{email}");
        assert_eq!(response.error_code(), "unauthorized");
        assert_eq!(response.value()["error"]["message"], WRONG_CREDENTIALS);
        assert!(response.header("set-cookie").is_none());
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_across_a_restart() {
    let app = TestApp::seeded().await;
    for attempt in 1..=5 {
        let response = app
            .send(Method::POST, "/api/v1/session")
            .json(&credentials(ALICE, "guess"))
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
        app.clock.advance(Duration::seconds(10));
    }
    let locked = app
        .send(Method::POST, "/api/v1/session")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.error_code(), "rate_limited");
    // The first failure leaves the 15-minute window 50 s after it was counted... from now: 900 - 50.
    assert_eq!(locked.header("retry-after"), Some("850"));

    let restarted = app.restarted().await;
    let still_locked = restarted
        .send(Method::POST, "/api/v1/session")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    assert_eq!(still_locked.status, StatusCode::TOO_MANY_REQUESTS);

    app.clock.advance(Duration::seconds(850));
    let cookie = restarted.sign_in(ALICE, DEMO_PASSWORD).await;
    assert_eq!(me(&restarted, &cookie).await.status, StatusCode::OK);
}

#[tokio::test]
async fn other_accounts_are_not_locked_by_one_accounts_failures() {
    let app = TestApp::seeded().await;
    for _ in 0..5 {
        app.send(Method::POST, "/api/v1/session")
            .client_address("192.0.2.1")
            .json(&credentials(ALICE, "guess"))
            .await;
    }
    let carl = app
        .send(Method::POST, "/api/v1/session")
        .client_address("192.0.2.1")
        .json(&credentials("carl@contoso.example", DEMO_PASSWORD))
        .await;
    assert_eq!(carl.status, StatusCode::OK);
}

#[tokio::test]
async fn many_failures_from_one_address_lock_that_address() {
    let app = TestApp::seeded_with_config(|config| config.sign_in_limits.per_address = 3).await;
    for n in 0..3 {
        let email = format!("nobody{n}@northwind.example");
        let response = app
            .send(Method::POST, "/api/v1/session")
            .client_address("198.51.100.7")
            .json(&credentials(&email, "guess"))
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let same_address = app
        .send(Method::POST, "/api/v1/session")
        .client_address("198.51.100.7")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    assert_eq!(same_address.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(same_address.header("retry-after").is_some());
    let other_address = app
        .send(Method::POST, "/api/v1/session")
        .client_address("198.51.100.8")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    assert_eq!(other_address.status, StatusCode::OK);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in(ALICE, DEMO_PASSWORD).await;
    // Activity keeps the session alive past the idle limit (two hours) ...
    app.clock.advance(Duration::minutes(110));
    assert_eq!(me(&app, &cookie).await.status, StatusCode::OK);
    app.clock.advance(Duration::minutes(110));
    assert_eq!(me(&app, &cookie).await.status, StatusCode::OK);
    // ... two hours without a request end it.
    app.clock.advance(Duration::minutes(120));
    let expired = me(&app, &cookie).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(
        expired.text().contains("session has ended"),
        "{}",
        expired.text()
    );
}

#[tokio::test]
async fn a_busy_session_still_ends_at_the_absolute_limit() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in(ALICE, DEMO_PASSWORD).await;
    for _ in 0..23 {
        app.clock.advance(Duration::hours(1));
        assert_eq!(me(&app, &cookie).await.status, StatusCode::OK);
    }
    app.clock.advance(Duration::hours(1));
    assert_eq!(me(&app, &cookie).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_out_ends_the_session_at_once() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let other_device = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let response = app
        .send(Method::DELETE, "/api/v1/session")
        .cookie(&cookie)
        .await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(
        response
            .header("set-cookie")
            .is_some_and(|c| c.contains("Max-Age=0"))
    );
    assert!(response.session_cookie().is_none());
    assert_eq!(me(&app, &cookie).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &other_device).await.status, StatusCode::OK);
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_header() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let sign_in = app
        .request(Method::POST, "/api/v1/session")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    assert_eq!(sign_in.status, StatusCode::FORBIDDEN);
    assert_eq!(sign_in.error_code(), "csrf_missing");
    let sign_out = app
        .request(Method::DELETE, "/api/v1/session")
        .cookie(&cookie)
        .await;
    assert_eq!(sign_out.status, StatusCode::FORBIDDEN);
    assert_eq!(
        me(&app, &cookie).await.status,
        StatusCode::OK,
        "the refused sign-out must not end the session"
    );
    let wrong_value = app
        .request(Method::POST, "/api/v1/session")
        .header("x-requested-with", "XMLHttpRequest")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    assert_eq!(wrong_value.status, StatusCode::FORBIDDEN);
    // Reading needs no header, and there is no CORS grant for other origins.
    let read = app
        .get("/api/v1/me")
        .cookie(&cookie)
        .header("origin", "https://evil.example")
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn self_registration_works_where_the_domain_allows_it() {
    let app = TestApp::seeded().await;
    let email = "nina@northwind.example";
    let response = app
        .send(Method::POST, "/api/v1/registrations")
        .json(&json!({ "name": "Nina Nilsen", "email": email, "password": "a-long-password" }))
        .await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.text());
    // Not usable before the mailed link is confirmed.
    let early = app
        .send(Method::POST, "/api/v1/session")
        .json(&credentials(email, "a-long-password"))
        .await;
    assert_eq!(early.status, StatusCode::UNAUTHORIZED);

    let token = mailed_token(&app, email, "registrations").await;
    let path = format!("/api/v1/registrations/{token}");
    let wrong = app
        .send(Method::POST, &path)
        .json(&json!({ "password": "somebody-elses" }))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let confirmed = app
        .send(Method::POST, &path)
        .json(&json!({ "password": "a-long-password" }))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
    let nina: Me = confirmed.json();
    assert_eq!(
        (nina.name.as_str(), nina.role),
        ("Nina Nilsen", Role::Contact)
    );
    assert_eq!(nina.organisation.name, "Northwind Traders");
    assert!(confirmed.session_cookie().is_some());

    let again = app
        .send(Method::POST, &path)
        .json(&json!({ "password": "a-long-password" }))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    app.sign_in(email, "a-long-password").await;
}

#[tokio::test]
async fn self_registration_is_refused_for_other_domains() {
    let app = TestApp::seeded().await;
    for email in ["dora@contoso.example", "eve@elsewhere.example"] {
        let response = app
            .send(Method::POST, "/api/v1/registrations")
            .json(&json!({ "name": "Someone", "email": email, "password": "a-long-password" }))
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        assert_eq!(response.error_code(), "validation_failed");
        assert!(
            response.value()["error"]["fields"]["email"]
                .as_str()
                .unwrap()
                .contains("invitation")
        );
        assert!(
            db::outbox::to_recipient(&app.state.database, email)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn registration_reports_each_bad_field() {
    let app = TestApp::seeded().await;
    let response = app
        .send(Method::POST, "/api/v1/registrations")
        .json(&json!({ "name": "", "email": "not-an-email", "password": "short" }))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &response.value()["error"]["fields"];
    for field in ["name", "email", "password"] {
        assert!(
            fields[field].is_string(),
            "{field} has no message: {fields}"
        );
    }
}

#[tokio::test]
async fn registering_a_known_address_reveals_nothing_and_changes_nothing() {
    let app = TestApp::seeded().await;
    let response = app
        .send(Method::POST, "/api/v1/registrations")
        .json(&json!({ "name": "Mallory", "email": ALICE, "password": "mallorys-password" }))
        .await;
    assert_eq!(response.status, StatusCode::ACCEPTED);
    let mails = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert!(!mails[0].body.contains("/registrations/"));
    app.sign_in(ALICE, DEMO_PASSWORD).await;
}

#[tokio::test]
async fn an_invitation_works_once_and_expires() {
    let app = TestApp::seeded().await;
    let northwind = db::accounts::organisation_by_name(&app.state.database, "Northwind Traders")
        .await
        .unwrap()
        .unwrap();
    let invite = |email: &'static str| {
        let state = app.state.clone();
        async move {
            lantern_server::accounts::invite(
                &state,
                northwind.id,
                email,
                "Invited Person",
                Role::Contact,
            )
            .await
            .unwrap()
        }
    };
    invite("ivan@northwind.example").await;
    let token = mailed_token(&app, "ivan@northwind.example", "invitations").await;
    let path = format!("/api/v1/invitations/{token}");
    let short = app
        .send(Method::POST, &path)
        .json(&json!({ "name": "Ivan Ivanov", "password": "short" }))
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.value()["error"]["fields"]["password"].is_string());
    let accepted = app
        .send(Method::POST, &path)
        .json(&json!({ "name": "Ivan Ivanov", "password": "ivans-password" }))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    assert_eq!(accepted.json::<Me>().name, "Ivan Ivanov");
    let reused = app
        .send(Method::POST, &path)
        .json(&json!({ "name": "Ivan Ivanov", "password": "other-password" }))
        .await;
    assert_eq!(reused.status, StatusCode::NOT_FOUND);
    assert_eq!(reused.error_code(), "not_found");
    app.sign_in("ivan@northwind.example", "ivans-password")
        .await;

    invite("jane@northwind.example").await;
    let token = mailed_token(&app, "jane@northwind.example", "invitations").await;
    app.clock.advance(Duration::days(7) + Duration::seconds(1));
    let expired = app
        .send(Method::POST, &format!("/api/v1/invitations/{token}"))
        .json(&json!({ "name": "Jane", "password": "janes-password" }))
        .await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn password_reset_answers_alike_and_mails_only_known_accounts() {
    let app = TestApp::seeded().await;
    for email in [ALICE, "nobody@northwind.example"] {
        let response = app
            .send(Method::POST, "/api/v1/password-resets")
            .json(&json!({ "email": email }))
            .await;
        assert_eq!(response.status, StatusCode::ACCEPTED, "{email}");
        assert!(response.body.is_empty());
    }
    assert_eq!(
        db::outbox::to_recipient(&app.state.database, ALICE)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        db::outbox::to_recipient(&app.state.database, "nobody@northwind.example")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_reset_token_sets_a_new_password_once_and_ends_sessions() {
    let app = TestApp::seeded().await;
    let old_session = app.sign_in(ALICE, DEMO_PASSWORD).await;
    app.send(Method::POST, "/api/v1/password-resets")
        .json(&json!({ "email": ALICE }))
        .await;
    let token = mailed_token(&app, ALICE, "password-resets").await;
    let path = format!("/api/v1/password-resets/{token}");

    let short = app
        .send(Method::POST, &path)
        .json(&json!({ "password": "short" }))
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short.value()["error"]["fields"]["password"]
            .as_str()
            .unwrap()
            .contains("10")
    );

    let reset = app
        .send(Method::POST, &path)
        .json(&json!({ "password": "a-brand-new-password" }))
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.text());
    assert_eq!(
        me(&app, &old_session).await.status,
        StatusCode::UNAUTHORIZED
    );
    let old = app
        .send(Method::POST, "/api/v1/session")
        .json(&credentials(ALICE, DEMO_PASSWORD))
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.sign_in(ALICE, "a-brand-new-password").await;

    let reused = app
        .send(Method::POST, &path)
        .json(&json!({ "password": "yet-another-password" }))
        .await;
    assert_eq!(reused.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reset_token_expires_after_an_hour_and_only_the_newest_works() {
    let app = TestApp::seeded().await;
    let ask = || {
        app.send(Method::POST, "/api/v1/password-resets")
            .json(&json!({ "email": ALICE }))
    };
    let set_password = |token: &str| {
        app.send(Method::POST, &format!("/api/v1/password-resets/{token}"))
            .json(&json!({ "password": "a-brand-new-password" }))
    };
    ask().await;
    let first = mailed_token(&app, ALICE, "password-resets").await;
    // A second request within five minutes sends nothing: the form cannot flood a mailbox.
    ask().await;
    assert_eq!(
        db::outbox::to_recipient(&app.state.database, ALICE)
            .await
            .unwrap()
            .len(),
        1
    );
    app.clock.advance(Duration::minutes(5));
    ask().await;
    let second = mailed_token(&app, ALICE, "password-resets").await;
    assert_ne!(first, second);
    assert_eq!(set_password(&first).await.status, StatusCode::NOT_FOUND);
    app.clock.advance(Duration::minutes(61));
    assert_eq!(set_password(&second).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_demo_seed_creates_the_documented_accounts_once() {
    let app = TestApp::seeded().await;
    assert!(!lantern_server::seed::seed_demo(&app.state).await.unwrap());
    let olivia: Me = {
        let cookie = app.sign_in("olivia@northwind.example", DEMO_PASSWORD).await;
        me(&app, &cookie).await.json()
    };
    assert_eq!(
        (olivia.name.as_str(), olivia.role),
        ("Olivia Ortiz", Role::OrgAdmin)
    );
    let carl: Me = {
        let cookie = app.sign_in("carl@contoso.example", DEMO_PASSWORD).await;
        me(&app, &cookie).await.json()
    };
    assert_eq!(carl.organisation.name, "Contoso");
    assert_eq!(carl.organisation.plan, "professional");
}

async fn agent_from_header(
    app: &TestApp,
    authorization: &str,
) -> Result<AgentAuth, lantern_server::error::AppError> {
    let request = Request::builder()
        .header("authorization", authorization)
        .body(())
        .unwrap();
    let (mut parts, ()): (Parts, ()) = request.into_parts();
    AgentAuth::from_request_parts(&mut parts, &app.state).await
}

#[tokio::test]
async fn the_demo_agent_token_comes_from_the_environment() {
    let app = TestApp::seeded_with_config(|config| {
        config.demo_agent_token = Some("demo-agent-secret".to_owned())
    })
    .await;
    let agent = agent_from_header(&app, "Bearer demo-agent-secret")
        .await
        .unwrap();
    assert_eq!(agent.name, "demo-agent");
    assert!(agent_from_header(&app, "Bearer wrong").await.is_err());
}

#[tokio::test]
async fn admin_commands_create_organisations_contacts_and_tokens() {
    let app = TestApp::new().await;
    let run = |command| {
        let state = app.state.clone();
        async move { admin::run(&state, command).await }
    };
    run(AdminCommand::CreateOrg {
        name: "Fabrikam".to_owned(),
        plan: "professional".to_owned(),
        domains: vec!["fabrikam.example".to_owned()],
        allow_self_registration: false,
    })
    .await
    .unwrap();
    let unknown_plan = run(AdminCommand::CreateOrg {
        name: "Other".to_owned(),
        plan: "platinum".to_owned(),
        domains: vec![],
        allow_self_registration: false,
    })
    .await;
    assert!(unknown_plan.unwrap_err().to_string().contains("platinum"));
    let duplicate = run(AdminCommand::CreateOrg {
        name: "Fabrikam".to_owned(),
        plan: "professional".to_owned(),
        domains: vec![],
        allow_self_registration: false,
    })
    .await;
    assert!(duplicate.is_err());

    run(AdminCommand::CreateContact {
        org: "Fabrikam".to_owned(),
        email: "fay@fabrikam.example".to_owned(),
        name: "Fay Fischer".to_owned(),
        password: Some("fays-own-password".to_owned()),
        invite: false,
        org_admin: true,
    })
    .await
    .unwrap();
    let cookie = app
        .sign_in("fay@fabrikam.example", "fays-own-password")
        .await;
    assert_eq!(me(&app, &cookie).await.json::<Me>().role, Role::OrgAdmin);

    let invited = run(AdminCommand::CreateContact {
        org: "Fabrikam".to_owned(),
        email: "gus@fabrikam.example".to_owned(),
        name: "Gus".to_owned(),
        password: None,
        invite: true,
        org_admin: false,
    })
    .await
    .unwrap();
    assert!(invited.contains("/invitations/"), "{invited}");
    assert_eq!(
        db::outbox::to_recipient(&app.state.database, "gus@fabrikam.example")
            .await
            .unwrap()
            .len(),
        1
    );

    let unknown_org = run(AdminCommand::CreateContact {
        org: "Nope".to_owned(),
        email: "x@nope.example".to_owned(),
        name: "X".to_owned(),
        password: Some("long-enough-pw".to_owned()),
        invite: false,
        org_admin: false,
    })
    .await;
    assert!(unknown_org.unwrap_err().to_string().contains("Nope"));

    let printed = run(AdminCommand::CreateAgentToken {
        name: "helpdesk".to_owned(),
        expires_in_days: 90,
        org: None,
    })
    .await
    .unwrap();
    let token = printed.lines().last().unwrap();
    let agent = agent_from_header(&app, &format!("Bearer {token}"))
        .await
        .unwrap();
    assert_eq!(agent.name, "helpdesk");
}

#[tokio::test]
async fn without_smtp_the_outbox_is_logged_and_marked_delivered() {
    let app = TestApp::seeded().await;
    app.send(Method::POST, "/api/v1/password-resets")
        .json(&json!({ "email": ALICE }))
        .await;
    let mailer = lantern_server::mail::Mailer::from_config(None, "x").unwrap();
    let delivered = lantern_server::mail::deliver_pending(&app.state, &mailer)
        .await
        .unwrap();
    assert_eq!(delivered, 1);
    assert!(
        db::outbox::pending(&app.state.database, 10)
            .await
            .unwrap()
            .is_empty()
    );
}
