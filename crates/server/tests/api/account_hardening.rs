//! A hostile visitor against sign-in and registration (issue 15), through the real router on a
//! real SQLite file: parallel guesses, a flood of sign-ins, timing, mail floods, squatting,
//! lock-outs aimed at a victim, guessable passwords and a forged `X-Forwarded-For`.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration as StdDuration, Instant};

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::{DEMO_PASSWORD, TestApp, TestResponse};
use lantern_core::api::{Me, SessionSummary};
use lantern_server::db;
use lantern_server::passwords::HashingQueue;
use serde_json::json;
use tokio::task::JoinSet;

const ALICE: &str = "alice@northwind.example";
const OLIVIA: &str = "olivia@northwind.example";
const NINA: &str = "nina@northwind.example";
const NINAS_PASSWORD: &str = "blue-kayak-at-dawn";

/// A queue that holds every request of these tests, so only the throttle refuses them.
fn roomy_queue() -> HashingQueue {
    HashingQueue::new(2, 200)
}

async fn sign_in(app: &TestApp, email: &str, password: &str, client: &str) -> TestResponse {
    app.send(Method::POST, "/api/v1/session")
        .client_address(client)
        .json(&json!({ "email": email, "password": password }))
        .await
}

async fn sign_in_with_cookie(
    app: &TestApp,
    cookie: &str,
    password: &str,
    client: &str,
) -> TestResponse {
    app.send(Method::POST, "/api/v1/session")
        .client_address(client)
        .cookie(cookie)
        .json(&json!({ "email": ALICE, "password": password }))
        .await
}

async fn register(app: &TestApp, email: &str, password: &str, client: &str) -> TestResponse {
    app.send(Method::POST, "/api/v1/registrations")
        .client_address(client)
        .json(&json!({ "name": "Nina Nilsen", "email": email, "password": password }))
        .await
}

/// The tokens of every mailed link `/<kind>/<token>` to `recipient`, oldest first.
async fn mailed_tokens(app: &TestApp, recipient: &str, kind: &str) -> Vec<String> {
    let marker = format!("/{kind}/");
    db::outbox::to_recipient(&app.state.database, recipient)
        .await
        .unwrap()
        .iter()
        .filter_map(|mail| {
            let start = mail.body.find(&marker)? + marker.len();
            Some(
                mail.body[start..]
                    .chars()
                    .take_while(char::is_ascii_hexdigit)
                    .collect(),
            )
        })
        .collect()
}

/// Sends every request at once; returns the answers in the order of `requests`.
async fn all_at_once(
    app: &Arc<TestApp>,
    requests: Vec<(String, String, String)>,
) -> Vec<TestResponse> {
    let mut running = JoinSet::new();
    for (index, (email, password, client)) in requests.into_iter().enumerate() {
        let app = Arc::clone(app);
        running.spawn(async move { (index, sign_in(&app, &email, &password, &client).await) });
    }
    let mut answers: Vec<(usize, TestResponse)> = running.join_all().await;
    answers.sort_by_key(|(index, _)| *index);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

fn count(answers: &[TestResponse], status: StatusCode) -> usize {
    answers
        .iter()
        .filter(|answer| answer.status == status)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passwords_beyond_the_limits_are_refused() {
    let app = TestApp::with_state(|_| {}, |state| state.passwords = roomy_queue()).await;
    lantern_server::seed::seed_demo(&app.state).await.unwrap();
    let app = Arc::new(app);
    let limits = app.state.config.sign_in_limits;

    // 30 guesses at one account from 30 addresses at the same moment (limit 5 per account).
    let guesses = (0..30)
        .map(|n| {
            (
                ALICE.to_owned(),
                format!("guess-{n}"),
                format!("198.51.100.{n}"),
            )
        })
        .collect();
    let answers = all_at_once(&app, guesses).await;
    assert_eq!(
        count(&answers, StatusCode::UNAUTHORIZED),
        limits.per_account as usize
    );
    assert_eq!(
        count(&answers, StatusCode::TOO_MANY_REQUESTS),
        30 - limits.per_account as usize
    );

    // 40 guesses at 40 accounts from one address at the same moment (limit 20 per address).
    let guesses = (0..40)
        .map(|n| {
            (
                format!("nobody{n}@northwind.example"),
                "guess".to_owned(),
                "203.0.113.9".to_owned(),
            )
        })
        .collect();
    let answers = all_at_once(&app, guesses).await;
    assert_eq!(
        count(&answers, StatusCode::UNAUTHORIZED),
        limits.per_address as usize
    );
    for refused in answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
    {
        assert_eq!(refused.error_code(), "rate_limited");
        assert!(refused.header("retry-after").is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_sign_ins_hashes_a_bounded_number_at_once() {
    const RUNNING: usize = 2;
    const WAITING: usize = 6;
    let app = TestApp::with_state(
        |config| {
            config.sign_in_limits.per_account = 1000;
            config.sign_in_limits.per_address = 1000;
        },
        |state| state.passwords = HashingQueue::new(RUNNING, WAITING),
    )
    .await;
    lantern_server::seed::seed_demo(&app.state).await.unwrap();
    let app = Arc::new(app);

    let done = Arc::new(AtomicBool::new(false));
    let busiest = Arc::new(AtomicUsize::new(0));
    let watcher = {
        let (app, done, busiest) = (app.clone(), done.clone(), busiest.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                busiest.fetch_max(app.state.passwords.hashing_now(), Ordering::Relaxed);
                tokio::time::sleep(StdDuration::from_micros(200)).await;
            }
        })
    };
    let sign_ins = (0..150)
        .map(|n| {
            let password = if n % 2 == 0 {
                DEMO_PASSWORD
            } else {
                "a-wrong-guess"
            };
            (
                ALICE.to_owned(),
                password.to_owned(),
                format!("192.0.2.{n}"),
            )
        })
        .collect();
    let answers = all_at_once(&app, sign_ins).await;
    done.store(true, Ordering::Relaxed);
    watcher.await.unwrap();

    let busiest = busiest.load(Ordering::Relaxed);
    assert!(
        (1..=RUNNING).contains(&busiest),
        "{busiest} hashes ran at once"
    );
    let overloaded = count(&answers, StatusCode::SERVICE_UNAVAILABLE);
    let checked = count(&answers, StatusCode::OK) + count(&answers, StatusCode::UNAUTHORIZED);
    assert_eq!(overloaded + checked, 150, "only 200, 401 and 503 expected");
    assert!(
        overloaded > 0 && checked >= RUNNING + WAITING,
        "{overloaded} refused, {checked} checked"
    );
    for refused in answers
        .iter()
        .filter(|a| a.status == StatusCode::SERVICE_UNAVAILABLE)
    {
        assert_eq!(refused.error_code(), "overloaded");
        assert_eq!(refused.header("retry-after"), Some("1"));
    }
    assert_eq!(app.state.passwords.hashing_now(), 0);
    app.sign_in(ALICE, DEMO_PASSWORD).await;
}

fn median(mut durations: Vec<StdDuration>) -> StdDuration {
    durations.sort();
    durations[durations.len() / 2]
}

#[tokio::test]
async fn registration_takes_as_long_for_known_and_unknown_addresses() {
    let app = TestApp::seeded_with_config(|config| {
        config.registration_limits.per_address = 1000;
        config.registration_limits.per_mailbox = 1000;
    })
    .await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for n in 0..9 {
        let started = Instant::now();
        let answer = register(&app, [ALICE, OLIVIA][n % 2], NINAS_PASSWORD, "192.0.2.1").await;
        known.push(started.elapsed());
        assert_eq!(answer.status, StatusCode::ACCEPTED);
        let started = Instant::now();
        let email = format!("newcomer{n}@northwind.example");
        let answer = register(&app, &email, NINAS_PASSWORD, "192.0.2.1").await;
        unknown.push(started.elapsed());
        assert_eq!(answer.status, StatusCode::ACCEPTED);
    }
    let (known, unknown) = (median(known), median(unknown));
    let ratio = known.max(unknown).as_secs_f64() / known.min(unknown).as_secs_f64();
    assert!(ratio < 3.0, "known {known:?}, unknown {unknown:?}");
}

#[tokio::test]
async fn registrations_are_limited_per_mailbox_and_per_client_address() {
    let app = TestApp::seeded().await;
    let limits = app.state.config.registration_limits;
    for n in 0..limits.per_mailbox {
        let answer = register(&app, ALICE, NINAS_PASSWORD, &format!("192.0.2.{n}")).await;
        assert_eq!(answer.status, StatusCode::ACCEPTED);
    }
    let refused = register(&app, ALICE, NINAS_PASSWORD, "192.0.2.200").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.error_code(), "rate_limited");
    assert!(refused.header("retry-after").is_some());
    let mails = db::outbox::to_recipient(&app.state.database, ALICE)
        .await
        .unwrap();
    assert_eq!(mails.len(), limits.per_mailbox as usize);
    // An address without an account is refused alike, so the limit tells nothing.
    for n in 0..=limits.per_mailbox {
        let answer = register(&app, NINA, NINAS_PASSWORD, &format!("198.51.100.{n}")).await;
        let expected = if n < limits.per_mailbox {
            StatusCode::ACCEPTED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(answer.status, expected, "registration {n}");
    }

    for n in 0..limits.per_address {
        let email = format!("newcomer{n}@northwind.example");
        let answer = register(&app, &email, NINAS_PASSWORD, "203.0.113.5").await;
        assert_eq!(answer.status, StatusCode::ACCEPTED, "registration {n}");
    }
    let email = "one-more@northwind.example";
    let refused = register(&app, email, NINAS_PASSWORD, "203.0.113.5").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = register(&app, email, NINAS_PASSWORD, "203.0.113.6").await;
    assert_eq!(elsewhere.status, StatusCode::ACCEPTED);

    app.clock.advance(Duration::hours(1));
    let later = register(&app, ALICE, NINAS_PASSWORD, "192.0.2.200").await;
    assert_eq!(later.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_squatted_registration_is_replaced_by_the_owners() {
    let app = TestApp::seeded().await;
    let squatted = register(&app, NINA, "mallorys-own-secret-phrase", "203.0.113.66").await;
    assert_eq!(squatted.status, StatusCode::ACCEPTED);
    let owners = register(&app, NINA, NINAS_PASSWORD, "192.0.2.7").await;
    assert_eq!(owners.status, StatusCode::ACCEPTED);

    let tokens = mailed_tokens(&app, NINA, "registrations").await;
    let [mallorys_link, ninas_link] = tokens.as_slice() else {
        panic!("expected two confirmation mails, got {tokens:?}");
    };
    let confirm = |token: &str, password: &str| {
        app.send(Method::POST, &format!("/api/v1/registrations/{token}"))
            .client_address("192.0.2.7")
            .json(&json!({ "password": password }))
    };
    let stale = confirm(mallorys_link, "mallorys-own-secret-phrase").await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);
    let confirmed = confirm(ninas_link, NINAS_PASSWORD).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
    let nina: Me = confirmed.json();
    assert_eq!(nina.email, NINA);
    let mallory = sign_in(&app, NINA, "mallorys-own-secret-phrase", "203.0.113.66").await;
    assert_eq!(mallory.status, StatusCode::UNAUTHORIZED);
    app.sign_in(NINA, NINAS_PASSWORD).await;
}

#[tokio::test]
async fn unconfirmed_accounts_are_removed_after_the_configured_time() {
    let app =
        TestApp::seeded_with_config(|config| config.unconfirmed_account_max = Duration::days(3))
            .await;
    assert_eq!(
        register(&app, NINA, NINAS_PASSWORD, "192.0.2.7")
            .await
            .status,
        StatusCode::ACCEPTED
    );
    let northwind = db::accounts::organisation_by_name(&app.state.database, "Northwind Traders")
        .await
        .unwrap()
        .unwrap();
    // Its link works for seven days, so the account outlives the three days.
    let invited = "ivan@northwind.example";
    lantern_server::accounts::invite(
        &app.state,
        northwind.id,
        invited,
        "Ivan",
        lantern_core::api::Role::Contact,
    )
    .await
    .unwrap();
    app.clock.advance(Duration::days(2) + Duration::hours(23));
    assert_eq!(
        lantern_server::accounts::remove_stale(&app.state)
            .await
            .unwrap(),
        0
    );
    app.clock.advance(Duration::hours(2));
    assert_eq!(
        lantern_server::accounts::remove_stale(&app.state)
            .await
            .unwrap(),
        1
    );
    let user = |email: &'static str| db::accounts::user_by_email(&app.state.database, email);
    assert!(user(NINA).await.unwrap().is_none());
    assert!(user(invited).await.unwrap().is_some());
    assert!(
        user(ALICE).await.unwrap().is_some(),
        "confirmed accounts stay"
    );

    // The address is free again.
    assert_eq!(
        register(&app, NINA, NINAS_PASSWORD, "192.0.2.7")
            .await
            .status,
        StatusCode::ACCEPTED
    );
    let link = mailed_tokens(&app, NINA, "registrations")
        .await
        .pop()
        .unwrap();
    let confirmed = app
        .send(Method::POST, &format!("/api/v1/registrations/{link}"))
        .json(&json!({ "password": NINAS_PASSWORD }))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_owner_out_of_her_known_browser() {
    let app = TestApp::seeded().await;
    let limit = app.state.config.sign_in_limits.per_account;
    let first = sign_in(&app, ALICE, DEMO_PASSWORD, "192.0.2.10").await;
    assert_eq!(first.status, StatusCode::OK);
    let device = first.device_cookie().expect("a device cookie");
    let set_cookies: Vec<_> = first.headers.get_all("set-cookie").iter().collect();
    let device_header = set_cookies
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("lantern_device="))
        .unwrap();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=15552000"] {
        assert!(device_header.contains(part), "{device_header}");
    }

    // A stranger uses up the account's failures from elsewhere.
    for _ in 0..limit {
        let guess = sign_in(&app, ALICE, "a-wrong-guess", "203.0.113.66").await;
        assert_eq!(guess.status, StatusCode::UNAUTHORIZED);
    }
    for stranger in ["203.0.113.66", "203.0.113.67"] {
        let refused = sign_in(&app, ALICE, "a-wrong-guess", stranger).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{stranger}");
    }
    // A browser that never signed in to the account is refused, the right password or not.
    let unknown = sign_in(&app, ALICE, DEMO_PASSWORD, "192.0.2.11").await;
    assert_eq!(unknown.status, StatusCode::TOO_MANY_REQUESTS);
    // Alice's browser is not.
    let known = sign_in_with_cookie(&app, &device, DEMO_PASSWORD, "192.0.2.10").await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.text());
    assert_eq!(
        known.device_cookie(),
        Some(device.clone()),
        "the browser keeps its token"
    );
    // Also from another network (a phone on the train).
    let roaming = sign_in_with_cookie(&app, &device, DEMO_PASSWORD, "198.51.100.20").await;
    assert_eq!(roaming.status, StatusCode::OK);
    // A made-up device cookie is a stranger's.
    let forged =
        sign_in_with_cookie(&app, "lantern_device=00ff", DEMO_PASSWORD, "192.0.2.12").await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn failures_of_one_address_on_one_account_wait_ever_longer() {
    let app = TestApp::seeded().await;
    let limit = app.state.config.sign_in_limits.per_account;
    let device = sign_in(&app, ALICE, DEMO_PASSWORD, "192.0.2.10")
        .await
        .device_cookie()
        .unwrap();
    for _ in 0..limit {
        let guess = sign_in_with_cookie(&app, &device, "a-wrong-guess", "192.0.2.10").await;
        assert_eq!(guess.status, StatusCode::UNAUTHORIZED);
    }
    for delay in [60, 120, 240] {
        let waiting = sign_in_with_cookie(&app, &device, DEMO_PASSWORD, "192.0.2.10").await;
        assert_eq!(waiting.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            waiting.header("retry-after"),
            Some(delay.to_string().as_str())
        );
        app.clock.advance(Duration::seconds(delay));
        let guess = sign_in_with_cookie(&app, &device, "a-wrong-guess", "192.0.2.10").await;
        assert_eq!(guess.status, StatusCode::UNAUTHORIZED);
    }
    // Another address of the same (known) browser is not slowed down by these failures.
    let elsewhere = sign_in_with_cookie(&app, &device, DEMO_PASSWORD, "198.51.100.20").await;
    assert_eq!(elsewhere.status, StatusCode::OK);
}

#[tokio::test]
async fn guessable_passwords_are_refused_on_the_password_field() {
    let app = TestApp::seeded().await;
    let email = "nina.nilsen@northwind.example";
    for password in ["aaaaaaaaaa", email, "nina.nilsen", "lantern2025"] {
        let answer = register(&app, email, password, "192.0.2.7").await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{password}"
        );
        assert_eq!(answer.error_code(), "validation_failed");
        let fields = &answer.value()["error"]["fields"];
        let message = fields["password"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{password}: {fields}");
        assert_eq!(fields.as_object().unwrap().len(), 1, "{password}: {fields}");
    }
    assert!(
        db::accounts::user_by_email(&app.state.database, email)
            .await
            .unwrap()
            .is_none()
    );

    app.send(Method::POST, "/api/v1/password-resets")
        .json(&json!({ "email": ALICE }))
        .await;
    let token = mailed_tokens(&app, ALICE, "password-resets")
        .await
        .pop()
        .unwrap();
    let weak = app
        .send(Method::POST, &format!("/api/v1/password-resets/{token}"))
        .json(&json!({ "password": ALICE }))
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.value()["error"]["fields"]["password"].is_string());
    app.sign_in(ALICE, DEMO_PASSWORD).await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_address() {
    let app = TestApp::seeded_with_config(|config| {
        config.sign_in_limits.per_address = 3;
        config.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await;
    let guess = |n: u32, peer: &'static str, forwarded_for: &'static str| {
        app.send(Method::POST, "/api/v1/session")
            .client_address(peer)
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({ "email": format!("nobody{n}@northwind.example"), "password": "guess" }))
    };
    for n in 0..3 {
        let answer = guess(n, "10.0.0.1", "192.0.2.99, 198.51.100.1").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let same_client = guess(3, "10.0.0.1", "198.51.100.1").await;
    assert_eq!(same_client.status, StatusCode::TOO_MANY_REQUESTS);
    // Another customer behind the same proxy is not the first one's neighbour.
    let other_client = guess(4, "10.0.0.1", "198.51.100.2").await;
    assert_eq!(other_client.status, StatusCode::UNAUTHORIZED);

    // A client that talks to the server directly cannot choose its address.
    for n in 5..8 {
        let answer = guess(n, "192.0.2.50", "198.51.100.3").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let forged = guess(8, "192.0.2.50", "198.51.100.4").await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
}

const ANDROID_CHROME: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

async fn change_password(app: &TestApp, cookie: &str, current: &str, new: &str) -> TestResponse {
    app.send(Method::PUT, "/api/v1/me/password")
        .cookie(cookie)
        .json(&json!({ "current_password": current, "new_password": new }))
        .await
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_ends_the_other_sessions() {
    let app = TestApp::seeded().await;
    let laptop = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let phone = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let new_password = "quiet-harbour-lights";

    let wrong = change_password(&app, &laptop, "a-wrong-guess", new_password).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.value()["error"]["fields"]["current_password"].is_string());
    let weak = change_password(&app, &laptop, DEMO_PASSWORD, "aaaaaaaaaa").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.value()["error"]["fields"]["new_password"].is_string());
    let visitor = app
        .send(Method::PUT, "/api/v1/me/password")
        .json(&json!({ "current_password": DEMO_PASSWORD, "new_password": new_password }))
        .await;
    assert_eq!(visitor.status, StatusCode::UNAUTHORIZED);

    let changed = change_password(&app, &laptop, DEMO_PASSWORD, new_password).await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text());
    let me = |cookie: &str| app.get("/api/v1/me").cookie(cookie);
    assert_eq!(me(&laptop).await.status, StatusCode::OK);
    assert_eq!(me(&phone).await.status, StatusCode::UNAUTHORIZED);
    let old = sign_in(&app, ALICE, DEMO_PASSWORD, "192.0.2.10").await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.sign_in(ALICE, new_password).await;
}

#[tokio::test]
async fn a_person_lists_her_sessions_ends_one_or_signs_out_everywhere() {
    let app = TestApp::seeded().await;
    let laptop = app.sign_in(ALICE, DEMO_PASSWORD).await;
    app.clock.advance(Duration::minutes(5));
    let phone = app
        .send(Method::POST, "/api/v1/session")
        .header("user-agent", ANDROID_CHROME)
        .json(&json!({ "email": ALICE, "password": DEMO_PASSWORD }))
        .await
        .session_cookie()
        .unwrap();
    let olivia = app.sign_in(OLIVIA, DEMO_PASSWORD).await;
    let list = |cookie: &str| app.get("/api/v1/me/sessions").cookie(cookie);

    let sessions: Vec<SessionSummary> = list(&laptop).await.json();
    assert_eq!(sessions.len(), 2, "only her own sessions: {sessions:?}");
    assert_eq!(
        sessions.iter().map(|s| s.current).collect::<Vec<_>>(),
        [false, true],
        "the most recently used first"
    );
    assert_eq!(
        sessions
            .iter()
            .map(|s| s.browser.as_deref())
            .collect::<Vec<_>>(),
        [Some("Chrome on Android"), None],
        "described from the User-Agent it signed in with (the laptop sent none)"
    );
    let phone_id = &sessions[0].id;
    let foreign = app
        .send(Method::DELETE, &format!("/api/v1/me/sessions/{phone_id}"))
        .cookie(&olivia)
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let ended = app
        .send(Method::DELETE, &format!("/api/v1/me/sessions/{phone_id}"))
        .cookie(&laptop)
        .await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT);
    assert_eq!(list(&phone).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(list(&laptop).await.json::<Vec<SessionSummary>>().len(), 1);

    let tablet = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let everywhere = app
        .send(Method::DELETE, "/api/v1/me/sessions")
        .cookie(&laptop)
        .await;
    assert_eq!(everywhere.status, StatusCode::NO_CONTENT);
    assert!(
        everywhere.session_cookie().is_none(),
        "the cookie is cleared"
    );
    for cookie in [&laptop, &tablet] {
        assert_eq!(list(cookie).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        list(&olivia).await.status,
        StatusCode::OK,
        "others stay signed in"
    );
}
