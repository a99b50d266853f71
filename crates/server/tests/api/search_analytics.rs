//! Search analytics through the real router on a temporary SQLite file: what searches, clicks
//! and the other steps of a visit record, how typing collapses, the agent report and its CSV
//! downloads, retention, and that nothing recorded identifies a person.

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::tickets::{AGENT_TOKEN, ALICE, question_ticket};
use common::{DEMO_PASSWORD, TestApp};
use lantern_core::api::{
    KbSearchResults, KbSuggestions, MatchConfidence, SearchAnalytics, SearchSurface,
};
use lantern_server::analytics;
use lantern_server::analytics::retention;
use lantern_server::clock::Clock;
use lantern_server::db::Db;
use serde_json::{Value, json};
use sqlx::Row;

const VISIT_HEADER: &str = "lantern-visit";

/// A visit id as the app makes them: 32 hex characters.
fn visit(n: u32) -> String {
    format!("{n:032x}")
}

fn article(title: &str, category: &str, products: &str, tags: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: About {title}.\ncategory: {category}\nproducts: [{products}]\ntags: [{tags}]\nupdated: 2026-03-01\n---\n{body}\n"
    )
}

/// A seeded app with a small knowledge base and the agent token.
async fn app_with_articles(adjust: impl FnOnce(&mut lantern_server::config::Config)) -> TestApp {
    let app = TestApp::seeded_with_config(adjust).await;
    app.install_agent_token().await;
    let content = app.dir.path().join("kb");
    std::fs::create_dir_all(&content).expect("a content dir");
    let files = [
        (
            "restore-a-backup",
            article(
                "Restore a backup",
                "Backup & restore",
                "harbor-backup",
                "restore, recovery",
                "## Restore from the agent\n\nOpen the agent and choose **Restore** to restore a backup of files and folders.",
            ),
        ),
        (
            "slow-backups",
            article(
                "Backups are slow: a performance checklist",
                "Backup & restore",
                "harbor-backup",
                "performance, slow",
                "When a backup is slow, check the scan, the deduplication cache and the network.",
            ),
        ),
        (
            "sync-conflicts",
            article(
                "Resolve sync conflicts",
                "Sync",
                "relay-sync",
                "conflicts",
                "Conflicted copies appear when a file changes on two devices.",
            ),
        ),
    ];
    for (slug, text) in files {
        std::fs::write(content.join(format!("{slug}.md")), text).expect("an article file");
    }
    app.import_kb(&content).await;
    app
}

async fn search_as(app: &TestApp, visit: Option<&str>, query: &str) -> KbSearchResults {
    let path = format!("/api/v1/kb/search?q={}", encode(query));
    let mut request = app.get(&path);
    if let Some(visit) = visit {
        request = request.header(VISIT_HEADER, visit);
    }
    let response = request.await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

async fn search(app: &TestApp, visit: &str, query: &str) -> KbSearchResults {
    search_as(app, Some(visit), query).await
}

/// Percent-encodes a query parameter value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn suggestions(
    app: &TestApp,
    visit: &str,
    subject: &str,
    description: &str,
) -> KbSuggestions {
    let response = app
        .send(Method::POST, "/api/v1/kb/suggestions")
        .header(VISIT_HEADER, visit)
        .json(
            &json!({ "subject": subject, "description": description, "product": "harbor-backup" }),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

async fn click(app: &TestApp, visit: &str, search_id: &str, article: &str, position: u32) {
    let response = app
        .send(Method::POST, "/api/v1/kb/events")
        .header(VISIT_HEADER, visit)
        .json(&json!({ "kind": "click", "search_id": search_id, "article": article, "position": position }))
        .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
}

async fn view(app: &TestApp, visit: &str, slug: &str) {
    let response = app
        .get(&format!("/api/v1/kb/articles/{slug}"))
        .header(VISIT_HEADER, visit)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

async fn vote(app: &TestApp, visit: &str, slug: &str, helpful: bool) {
    let response = app
        .send(Method::PUT, &format!("/api/v1/kb/articles/{slug}/vote"))
        .header(VISIT_HEADER, visit)
        .json(&json!({ "helpful": helpful }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

async fn file_ticket(app: &TestApp, cookie: &str, visit: &str, key: &str) {
    let response = app
        .send(Method::POST, "/api/v1/tickets")
        .cookie(cookie)
        .header(VISIT_HEADER, visit)
        .header("idempotency-key", key)
        .json(&question_ticket("Restore one file"))
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}

async fn flush(app: &TestApp) -> usize {
    analytics::flush(&app.state.analytics, &app.state.database, &app.state.writes)
        .await
        .expect("the queue is written")
}

async fn report(app: &TestApp, query: &str) -> SearchAnalytics {
    let response = app
        .agent(
            Method::GET,
            &format!("/api/v1/agent/search-analytics{query}"),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

fn strong_hits(results: &KbSearchResults) -> usize {
    results
        .hits
        .iter()
        .filter(|hit| hit.confidence == MatchConfidence::Strong)
        .count()
}

/// (search_id, visit, surface, query, hits, strong_hits) of every recorded search, oldest first.
async fn recorded_searches(app: &TestApp) -> Vec<(String, String, String, String, i64, i64)> {
    app.rows(
        "SELECT search_id, visit, surface, query, hits, strong_hits FROM analytics_searches ORDER BY id",
    )
    .await
}

/// (visit, kind, search_id, article, position) of every recorded event, oldest first.
async fn recorded_events(
    app: &TestApp,
) -> Vec<(
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
)> {
    app.rows("SELECT visit, kind, search_id, article, position FROM analytics_events ORDER BY id")
        .await
}

#[tokio::test]
async fn searches_and_clicks_are_recorded_and_aggregated() {
    let app = app_with_articles(|_| {}).await;
    let first = search(&app, &visit(1), "Restore a backup").await;
    let search_id = first.search_id.clone().expect("an id for a visit's search");
    let slug = first.hits.first().expect("a hit").slug.clone();
    click(&app, &visit(1), &search_id, &slug, 0).await;
    app.clock.advance(Duration::minutes(5));
    let second = search(&app, &visit(2), "restore   a BACKUP").await;
    assert_ne!(second.search_id, first.search_id);
    let nothing = search(&app, &visit(3), "zzqx frobnicator").await;
    assert_eq!(strong_hits(&nothing), 0, "{nothing:?}");
    // Without a visit nothing is recorded, and the answer names no search.
    let anonymous = search_as(&app, None, "restore a backup").await;
    assert_eq!(anonymous.search_id, None);
    let malformed = search_as(&app, Some("not-a-visit"), "restore a backup").await;
    assert_eq!(malformed.search_id, None);

    assert_eq!(flush(&app).await, 4);
    let searches = recorded_searches(&app).await;
    assert_eq!(searches.len(), 3, "{searches:?}");
    assert_eq!(
        searches[0],
        (
            search_id.clone(),
            visit(1),
            "search".to_owned(),
            "restore a backup".to_owned(),
            i64::try_from(first.hits.len()).expect("a count"),
            i64::try_from(strong_hits(&first)).expect("a count"),
        )
    );
    assert_eq!(searches[1].3, "restore a backup");
    assert_eq!(
        recorded_events(&app).await,
        [(
            Some(visit(1)),
            "click".to_owned(),
            Some(search_id),
            Some(slug),
            Some(0)
        )]
    );

    let overview = report(&app, "").await;
    assert_eq!(overview.to, app.clock.now().date_naive());
    assert_eq!(overview.searches, 3);
    assert_eq!(overview.suggestion_answers, 0);
    assert_eq!(overview.click_through.searches, Some(0.333));
    assert_eq!(overview.click_through.suggestions, None);
    let top = &overview.top_searches[0];
    assert_eq!((top.query.as_str(), top.searches), ("restore a backup", 2));
    assert_eq!(top.click_through, 0.5);
    let strong = [strong_hits(&first), strong_hits(&second)]
        .iter()
        .filter(|count| **count > 0)
        .count();
    assert_eq!(top.strong_share, strong as f64 / 2.0);
    assert_eq!(overview.top_searches[1].query, "zzqx frobnicator");
    assert!(
        overview
            .content_gaps
            .iter()
            .any(|gap| gap.query == "zzqx frobnicator"
                && gap.surface == SearchSurface::Search
                && gap.searches == 1),
        "{:?}",
        overview.content_gaps
    );
    // The period can be chosen; a period without searches is empty.
    let earlier = report(&app, "?from=2025-01-01&to=2025-01-31").await;
    assert_eq!(earlier.searches, 0);
    assert!(earlier.top_searches.is_empty());
    assert_eq!(report(&app, "?limit=1").await.top_searches.len(), 1);
}

#[tokio::test]
async fn typing_collapses_to_the_settled_query() {
    let app = app_with_articles(|_| {}).await;
    let typed = ["res", "resto", "restore a back", "restore a backup"];
    let mut ids = BTreeSet::new();
    for (index, query) in typed.iter().enumerate() {
        ids.insert(search(&app, &visit(1), query).await.search_id);
        app.clock.advance(Duration::seconds(3));
        if index == 1 {
            // The writer may run in the middle of typing: the later answers still replace it.
            flush(&app).await;
        }
    }
    assert_eq!(ids.len(), 1, "one search id while typing: {ids:?}");
    flush(&app).await;
    let searches = recorded_searches(&app).await;
    assert_eq!(searches.len(), 1, "{searches:?}");
    assert_eq!(searches[0].3, "restore a backup");

    // A pause longer than 30 s, or a click, ends the search: what is typed next is a new one.
    app.clock.advance(Duration::seconds(31));
    let after_pause = search(&app, &visit(1), "restore a backup of files").await;
    let after_pause_id = after_pause.search_id.clone().expect("an id");
    assert!(!ids.contains(&Some(after_pause_id.clone())));
    click(&app, &visit(1), &after_pause_id, "restore-a-backup", 0).await;
    let after_click = search(&app, &visit(1), "restore a backup of folders").await;
    assert_ne!(after_click.search_id, Some(after_pause_id));
    // Another question right away is another search too.
    let other = search(&app, &visit(1), "sync conflicts").await;
    assert_ne!(other.search_id, after_click.search_id);
    flush(&app).await;
    let queries: Vec<String> = recorded_searches(&app)
        .await
        .into_iter()
        .map(|row| row.3)
        .collect();
    assert_eq!(
        queries,
        [
            "restore a backup",
            "restore a backup of files",
            "restore a backup of folders",
            "sync conflicts"
        ]
    );
    assert_eq!(report(&app, "").await.searches, 4);
}

#[tokio::test]
async fn suggestions_record_the_subject_and_what_was_shown() {
    let app = app_with_articles(|_| {}).await;
    let answer = suggestions(
        &app,
        &visit(7),
        "Backup is slow since order 88812345",
        "My phone is +1 555 010 4477 and the server is fs01.northwind.example; the dedup cache hit rate is low.",
    )
    .await;
    let search_id = answer
        .search_id
        .clone()
        .expect("an id for a visit's answer");
    if let Some(first) = answer.articles.first() {
        click(&app, &visit(7), &search_id, &first.slug, 0).await;
    }
    flush(&app).await;

    let searches = recorded_searches(&app).await;
    assert_eq!(searches.len(), 1);
    let (stored_id, _, surface, query, hits, strong) = &searches[0];
    assert_eq!(
        (stored_id, surface.as_str(), query.as_str()),
        (
            &search_id,
            "suggestions",
            "backup is slow since order <number>"
        )
    );
    let shown = i64::try_from(answer.articles.len()).expect("a count");
    assert_eq!((*hits, *strong), (shown, shown));
    let impressions: Vec<(i64, String)> = app
        .rows(
            "SELECT i.position, i.article FROM analytics_impressions i
             JOIN analytics_searches s ON s.id = i.search ORDER BY i.position",
        )
        .await;
    let expected: Vec<(i64, String)> = answer
        .articles
        .iter()
        .enumerate()
        .map(|(position, article)| {
            (
                i64::try_from(position).expect("a position"),
                article.slug.clone(),
            )
        })
        .collect();
    assert_eq!(impressions, expected);
    // The description is never kept. The needles hold a space or a dot, which no stored id
    // does: a random id once held "555".
    for needle in [
        "555 010",
        "fs01.northwind",
        "northwind.example",
        "dedup cache",
    ] {
        assert!(
            !all_stored_text(&app)
                .await
                .iter()
                .any(|text| text.contains(needle)),
            "{needle} was stored"
        );
    }
    let report = report(&app, "").await;
    assert_eq!(report.suggestion_answers, 1);
    assert_eq!(report.searches, 0);
    if answer.articles.is_empty() {
        assert_eq!(report.content_gaps[0].surface, SearchSurface::Suggestions);
    } else {
        assert_eq!(report.click_through.suggestions, Some(1.0));
    }
}

#[tokio::test]
async fn clicks_are_checked() {
    let app = app_with_articles(|_| {}).await;
    let search_id = search(&app, &visit(1), "restore a backup")
        .await
        .search_id
        .expect("an id");
    let send = |body: Value| {
        app.send(Method::POST, "/api/v1/kb/events")
            .header(VISIT_HEADER, &visit(1))
            .json(&body)
    };
    let unknown_article = send(json!({ "kind": "click", "search_id": search_id, "article": "no-such-article", "position": 0 })).await;
    assert_eq!(unknown_article.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown_article.value()["error"]["fields"]["article"],
        "There is no such article."
    );
    let bad_id = send(
        json!({ "kind": "click", "search_id": "x", "article": "restore-a-backup", "position": 99 }),
    )
    .await;
    assert_eq!(bad_id.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &bad_id.value()["error"]["fields"];
    assert!(
        fields["search_id"].is_string() && fields["position"].is_string(),
        "{fields}"
    );
    let unknown_kind = send(json!({ "kind": "purchase", "search_id": search_id, "article": "restore-a-backup", "position": 0 })).await;
    assert_eq!(unknown_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Without the CSRF header a cross-site form cannot post clicks.
    let forged = app
        .request(Method::POST, "/api/v1/kb/events")
        .json(&json!({ "kind": "click", "search_id": search_id, "article": "restore-a-backup", "position": 0 }))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    flush(&app).await;
    assert!(recorded_events(&app).await.is_empty());
}

#[tokio::test]
async fn the_funnel_and_self_service_score_follow_a_scripted_scenario() {
    let app = app_with_articles(|_| {}).await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;

    // Visit 1 finds the answer: searches, opens it, votes it helpful.
    let found = search(&app, &visit(1), "restore a backup").await;
    let id = found.search_id.clone().expect("an id");
    click(&app, &visit(1), &id, "restore-a-backup", 0).await;
    view(&app, &visit(1), "restore-a-backup").await;
    vote(&app, &visit(1), "restore-a-backup", true).await;

    // Visit 2 starts a ticket, is suggested an article and says it solved the problem.
    suggestions(&app, &visit(2), "Backups are slow", "").await;
    let deflected = app
        .send(Method::POST, "/api/v1/kb/deflections")
        .header(VISIT_HEADER, &visit(2))
        .json(&json!({ "article_slug": "slow-backups" }))
        .await;
    assert_eq!(deflected.status, StatusCode::NO_CONTENT);

    // Visit 3 searches, reads, is not helped and files a ticket 20 minutes later.
    search(&app, &visit(3), "restore one file").await;
    view(&app, &visit(3), "restore-a-backup").await;
    vote(&app, &visit(3), "restore-a-backup", false).await;
    app.clock.advance(Duration::minutes(20));
    file_ticket(&app, &alice, &visit(3), "visit-3").await;

    // Visit 4 searches and files a ticket two hours later: not "after searching".
    search(&app, &visit(4), "sync conflicts").await;
    app.clock.advance(Duration::hours(2));
    // Two hours idle end Alice's session.
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    file_ticket(&app, &alice, &visit(4), "visit-4").await;

    // Visit 5 only reads an article: a help-centre visit, not part of the funnel.
    view(&app, &visit(5), "sync-conflicts").await;

    // Requests without a visit count for nothing.
    search_as(&app, None, "restore a backup").await;

    flush(&app).await;
    let report = report(&app, "").await;
    assert_eq!(report.funnel.searched, 4, "{:?}", report.funnel);
    assert_eq!(report.funnel.opened_article, 3, "{:?}", report.funnel);
    assert_eq!(report.funnel.self_served, 2, "{:?}", report.funnel);
    assert_eq!(report.funnel.filed_ticket, 1, "{:?}", report.funnel);
    assert_eq!(report.self_service.help_centre_visits, 5);
    assert_eq!(report.self_service.tickets_filed, 2);
    assert_eq!(report.self_service.visits_per_ticket, Some(2.5));

    let kinds: Vec<String> = recorded_events(&app)
        .await
        .into_iter()
        .map(|event| event.1)
        .collect();
    assert_eq!(
        kinds,
        [
            "click",
            "view",
            "helpful",
            "solved",
            "view",
            "not_helpful",
            "ticket_filed",
            "ticket_filed",
            "view"
        ]
    );

    let funnel = app
        .agent(Method::GET, "/api/v1/agent/search-analytics/funnel.csv")
        .await;
    assert_eq!(funnel.status, StatusCode::OK);
    assert_eq!(
        funnel.text(),
        "step,visits,share_of_searching_visits\r\n\
         searched,4,1\r\n\
         opened_article,3,0.75\r\n\
         self_served,2,0.5\r\n\
         filed_ticket_within_hour,1,0.25\r\n"
    );
    let summary = app
        .agent(Method::GET, "/api/v1/agent/search-analytics/summary.csv")
        .await;
    assert!(
        summary.text().contains("\r\nvisits_per_ticket,2.5\r\n"),
        "{}",
        summary.text()
    );
}

#[tokio::test]
async fn csv_downloads_have_a_header_row_quoting_and_no_formulas() {
    let app = app_with_articles(|_| {}).await;
    search(
        &app,
        &visit(1),
        "=HYPERLINK(\"https://evil.example\",\"win\")",
    )
    .await;
    search(&app, &visit(2), "backup, restore \"now\"").await;
    search(&app, &visit(3), "@SUM(1+1)").await;
    flush(&app).await;

    let response = app
        .agent(
            Method::GET,
            "/api/v1/agent/search-analytics/top-searches.csv?from=2025-03-01&to=2025-03-03",
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(
        response.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        response.header("content-disposition"),
        Some("attachment; filename=\"top-searches_2025-03-01_2025-03-03.csv\"")
    );
    let text = response.text();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "query,searches,strong_share,click_through");
    assert_eq!(
        lines.len(),
        5,
        "a header, three rows and the final line end: {text:?}"
    );
    let queries: BTreeSet<&str> = lines[1..4]
        .iter()
        .map(|line| line.rsplitn(4, ',').last().unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        BTreeSet::from([
            "\"'=hyperlink(\"\"<url>\"\",\"\"win\"\")\"",
            "\"backup, restore \"\"now\"\"\"",
            "'@sum(1+1)",
        ])
    );

    let gaps = app
        .agent(
            Method::GET,
            "/api/v1/agent/search-analytics/content-gaps.csv",
        )
        .await;
    assert_eq!(gaps.status, StatusCode::OK);
    assert!(
        gaps.text().starts_with("query,surface,searches\r\n"),
        "{}",
        gaps.text()
    );

    // The downloads are for the support team only, and check the period like the report.
    let anonymous = app
        .get("/api/v1/agent/search-analytics/top-searches.csv")
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let backwards = app
        .agent(
            Method::GET,
            "/api/v1/agent/search-analytics/funnel.csv?from=2025-03-03&to=2025-03-01",
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(backwards.error_code(), "validation_failed");
    let not_a_date = app
        .agent(Method::GET, "/api/v1/agent/search-analytics?from=March")
        .await;
    assert_eq!(not_a_date.status, StatusCode::BAD_REQUEST);
    let wrong_token = app
        .get("/api/v1/agent/search-analytics")
        .header("authorization", "Bearer not-the-token")
        .await;
    assert_eq!(wrong_token.status, StatusCode::UNAUTHORIZED);
    assert_ne!(AGENT_TOKEN, "not-the-token");
}

#[tokio::test]
async fn rows_past_the_retention_period_are_purged() {
    let app = app_with_articles(|config| config.analytics_retention_days = 30).await;
    let old = suggestions(&app, &visit(1), "Restore a backup", "").await;
    view(&app, &visit(1), "restore-a-backup").await;
    if let Some(first) = old.articles.first() {
        click(
            &app,
            &visit(1),
            old.search_id.as_deref().expect("an id"),
            &first.slug,
            0,
        )
        .await;
    }
    flush(&app).await;
    app.clock.advance(Duration::days(31));
    search(&app, &visit(2), "sync conflicts").await;
    view(&app, &visit(2), "sync-conflicts").await;
    flush(&app).await;

    let purged = retention::purge(
        &app.state.database,
        &app.state.writes,
        app.state.config.analytics_retention_days,
        app.clock.now(),
    )
    .await
    .expect("the purge runs");
    assert!(purged >= 2, "{purged}");
    let searches = recorded_searches(&app).await;
    assert_eq!(searches.len(), 1);
    assert_eq!(searches[0].3, "sync conflicts");
    assert_eq!(recorded_events(&app).await.len(), 1);
    let impressions: i64 = app
        .value("SELECT COUNT(*) FROM analytics_impressions")
        .await;
    assert_eq!(impressions, 0);
    // A second run finds nothing left to do.
    assert_eq!(
        retention::purge(
            &app.state.database,
            &app.state.writes,
            app.state.config.analytics_retention_days,
            app.clock.now(),
        )
        .await
        .expect("the purge runs"),
        0
    );
}

/// Every text value stored in the analytics tables (the columns are checked apart).
async fn all_stored_text(app: &TestApp) -> Vec<String> {
    let mut texts = Vec::new();
    for table in [
        "analytics_searches",
        "analytics_impressions",
        "analytics_events",
    ] {
        let sql = format!("SELECT * FROM {table}");
        match &app.state.database {
            Db::Sqlite(pool) => texts.extend(text_values(
                sqlx::query(&sql).fetch_all(pool).await.expect("the rows"),
            )),
            Db::Postgres(pool) => texts.extend(text_values(
                sqlx::query(&sql).fetch_all(pool).await.expect("the rows"),
            )),
        }
    }
    texts
}

/// The values of every text column of `rows`.
fn text_values<R: Row>(rows: Vec<R>) -> Vec<String>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let mut texts = Vec::new();
    for row in rows {
        for index in 0..row.len() {
            if let Ok(Some(text)) = row.try_get::<Option<String>, _>(index) {
                texts.push(text);
            }
        }
    }
    texts
}

async fn columns(app: &TestApp, table: &str) -> BTreeSet<String> {
    let sql = if app.on_postgres() {
        format!(
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_name = '{table}'"
        )
    } else {
        format!("SELECT name FROM pragma_table_info('{table}')")
    };
    app.column(&sql).await.into_iter().collect()
}

#[tokio::test]
async fn anonymous_searches_carry_no_personal_data() {
    let app = app_with_articles(|_| {}).await;
    let alice = app.sign_in(ALICE, DEMO_PASSWORD).await;
    let address = "203.0.113.77";
    let agent = "Mozilla/5.0 (LanternTest; alice-laptop)";
    let query = "restore backup for alice@northwind.example order 4111 1111 1111 1111 see https://fs01.northwind.example/share";
    let response = app
        .get(&format!("/api/v1/kb/search?q={}", encode(query)))
        .cookie(&alice)
        .header(VISIT_HEADER, &visit(9))
        .header("user-agent", agent)
        .client_address(address)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let answer: KbSearchResults = response.json();
    let search_id = answer.search_id.expect("an id");
    let viewed = app
        .get("/api/v1/kb/articles/restore-a-backup")
        .cookie(&alice)
        .header(VISIT_HEADER, &visit(9))
        .header("user-agent", agent)
        .client_address(address)
        .await;
    assert_eq!(viewed.status, StatusCode::OK);
    click(&app, &visit(9), &search_id, "restore-a-backup", 0).await;
    file_ticket(&app, &alice, &visit(9), "private").await;
    flush(&app).await;

    // The tables have no place for a person ...
    let expected = |names: &[&str]| {
        names
            .iter()
            .map(|name| (*name).to_owned())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        columns(&app, "analytics_searches").await,
        expected(&[
            "id",
            "search_id",
            "visit",
            "surface",
            "query",
            "product",
            "category",
            "hits",
            "strong_hits",
            "at"
        ])
    );
    assert_eq!(
        columns(&app, "analytics_impressions").await,
        expected(&["search", "position", "article"])
    );
    assert_eq!(
        columns(&app, "analytics_events").await,
        expected(&[
            "id",
            "visit",
            "kind",
            "search_id",
            "position",
            "article",
            "at"
        ])
    );
    // ... and nothing stored names one: no e-mail, name, organisation, address, browser,
    // session, ticket or card number.
    let ticket_number: String = app
        .value("SELECT number FROM tickets ORDER BY id DESC LIMIT 1")
        .await;
    let session = alice
        .split_once('=')
        .map(|(_, token)| token.to_owned())
        .expect("a token");
    let stored = all_stored_text(&app).await;
    for needle in [
        "alice",
        "northwind",
        "andersen",
        "fs01",
        address,
        "mozilla",
        "lanterntest",
        session.as_str(),
        ticket_number.as_str(),
        "4111 1111",
    ] {
        assert!(
            !stored
                .iter()
                .any(|text| text.to_lowercase().contains(&needle.to_lowercase())),
            "{needle:?} was stored: {stored:?}"
        );
    }
    let (_, visit_stored, _, stored_query, _, _) = recorded_searches(&app).await.remove(0);
    assert_eq!(visit_stored, visit(9));
    assert_eq!(
        stored_query,
        "restore backup for <email> order <number> see <url>"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_analytics_endpoints_and_their_errors() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.value();
    let statuses = |path: &str, method: &str| -> BTreeSet<String> {
        document["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} is documented"))
            .keys()
            .cloned()
            .collect()
    };
    let expected = |codes: &[&str]| {
        codes
            .iter()
            .map(|code| (*code).to_owned())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        statuses("/api/v1/kb/events", "post"),
        expected(&["204", "400", "403", "408", "413", "415", "422"])
    );
    for path in [
        "/api/v1/agent/search-analytics",
        "/api/v1/agent/search-analytics/top-searches.csv",
        "/api/v1/agent/search-analytics/content-gaps.csv",
        "/api/v1/agent/search-analytics/funnel.csv",
        "/api/v1/agent/search-analytics/summary.csv",
    ] {
        assert_eq!(
            statuses(path, "get"),
            expected(&["200", "400", "401", "403", "408", "422"]),
            "{path}"
        );
    }
    assert!(
        document["paths"]["/api/v1/agent/search-analytics/funnel.csv"]["get"]["responses"]["200"]["content"]
            ["text/csv"]
            .is_object()
    );
    assert!(
        document["components"]["schemas"]["KbSearchResults"]["properties"]["search_id"].is_object()
    );
}
