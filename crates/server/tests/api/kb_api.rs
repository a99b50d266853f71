//! The knowledge-base API through the real router on a temporary SQLite file.

use crate::common;

use std::path::{Path, PathBuf};

use axum::http::{Method, StatusCode};
use common::{DEMO_PASSWORD, TestApp};
use lantern_core::api::{KbArticle, KbIndex, KbSearchResults, KbVotes};
use lantern_core::search::{SearchFilters, SearchIndex};
use serde_json::json;

fn article(title: &str, category: &str, products: &str, tags: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: About {title}.\ncategory: {category}\nproducts: [{products}]\ntags: [{tags}]\nupdated: 2026-03-01\n---\n{body}\n"
    )
}

/// A small knowledge base written into the app's temp dir and imported.
async fn app_with_articles() -> (TestApp, PathBuf) {
    let app = TestApp::seeded().await;
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
                "## Restore from the agent\n\nOpen the agent and choose **Restore**.\n\n## Restore from the console\n\nPick the device.",
            ),
        ),
        (
            "restore-fails",
            article(
                "Restore fails or stalls",
                "Backup & restore",
                "harbor-backup",
                "restore, troubleshooting",
                "## Error codes\n\nHB-4004 means the target folder is not writable.",
            ),
        ),
        (
            "sync-conflicts",
            article(
                "Resolve sync conflicts",
                "Sync",
                "relay-sync",
                "conflicts",
                "Conflicted copies appear when a file changes on two devices; restore the version you want.",
            ),
        ),
        (
            "sftp-keys",
            article(
                "Use SSH keys for SFTP",
                "File transfer",
                "beacon-gateway",
                "sftp, keys",
                "<script>alert('x')</script>\n\nKeys replace passwords. <img src=x onerror=alert(1)>",
            ),
        ),
    ];
    for (slug, text) in files {
        std::fs::write(content.join(format!("{slug}.md")), text).expect("an article file");
    }
    app.import_kb(&content).await;
    (app, content)
}

#[tokio::test]
async fn the_index_is_compact_cacheable_and_revalidates_with_304() {
    let (app, content) = app_with_articles().await;

    let first = app.get("/api/v1/kb/index").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "a strong ETag: {etag}"
    );
    let index: KbIndex = first.json();
    assert_eq!(index.articles.len(), 4);
    assert!(
        !first.text().contains("body"),
        "the index carries no article bodies"
    );
    let backup = index
        .categories
        .iter()
        .find(|c| c.slug == "backup-and-restore")
        .expect("a category");
    assert_eq!(
        (backup.name.as_str(), backup.article_count),
        ("Backup & restore", 2)
    );
    let restore = index
        .articles
        .iter()
        .find(|a| a.slug == "restore-a-backup")
        .expect("an entry");
    assert_eq!(restore.category, "backup-and-restore");
    assert_eq!(restore.tags, ["restore", "recovery"]);

    let revisit = app
        .get("/api/v1/kb/index")
        .header("if-none-match", &etag)
        .await;
    assert_eq!(revisit.status, StatusCode::NOT_MODIFIED);
    assert!(revisit.body.is_empty());
    assert_eq!(revisit.header("etag"), Some(etag.as_str()));

    std::fs::remove_file(content.join("sftp-keys.md")).expect("an article is removed");
    app.import_kb(&content).await;
    let changed = app
        .get("/api/v1/kb/index")
        .header("if-none-match", &etag)
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    assert_eq!(changed.json::<KbIndex>().articles.len(), 3);
}

#[tokio::test]
async fn search_ranks_filters_and_highlights() {
    let (app, _content) = app_with_articles().await;

    let results: KbSearchResults = app.get("/api/v1/kb/search?q=restore").await.json();
    assert_eq!(results.query, "restore");
    assert_eq!(results.hits[0].slug, "restore-a-backup");
    assert!(results.hits.iter().any(|hit| hit.slug == "sync-conflicts"));
    assert!(
        results
            .hits
            .iter()
            .all(|hit| hit.snippet_html.contains("<mark>")),
        "{:?}",
        results.hits
    );
    assert!(
        results
            .hits
            .windows(2)
            .all(|pair| pair[0].score >= pair[1].score)
    );

    let filtered: KbSearchResults = app
        .get(
            "/api/v1/kb/search?q=restore&product=harbor-backup&category=backup-and-restore&limit=1",
        )
        .await
        .json();
    assert_eq!(filtered.hits.len(), 1);
    assert_eq!(filtered.hits[0].slug, "restore-a-backup");

    let safe: KbSearchResults = app.get("/api/v1/kb/search?q=keys%20replace").await.json();
    let snippet = &safe.hits[0].snippet_html;
    assert!(
        snippet.contains("<mark>Keys</mark> <mark>replace</mark>"),
        "{snippet}"
    );
    assert!(
        !snippet.contains("<script") && !snippet.contains("<img"),
        "{snippet}"
    );

    let syntax: KbSearchResults = app
        .get("/api/v1/kb/search?q=%22NOT%20(restore")
        .await
        .json();
    assert_eq!(syntax.query, "\"NOT (restore");
}

#[tokio::test]
async fn empty_and_overlong_queries_are_field_errors() {
    let (app, _content) = app_with_articles().await;
    for path in [
        "/api/v1/kb/search?q=%20%20".to_owned(),
        "/api/v1/kb/search".to_owned(),
        format!("/api/v1/kb/search?q={}", "a".repeat(201)),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(response.error_code(), "validation_failed");
        assert!(
            response.value()["error"]["fields"]["q"].is_string(),
            "{}",
            response.text()
        );
    }
    let at_limit = app
        .get(&format!("/api/v1/kb/search?q={}", "a".repeat(200)))
        .await;
    assert_eq!(at_limit.status, StatusCode::OK);
}

#[tokio::test]
async fn an_article_has_a_safe_body_linkable_headings_views_and_related_articles() {
    let (app, _content) = app_with_articles().await;

    let first: KbArticle = app.get("/api/v1/kb/articles/restore-a-backup").await.json();
    assert_eq!(first.title, "Restore a backup");
    assert_eq!(first.category.slug, "backup-and-restore");
    assert_eq!(first.category.article_count, 2);
    assert_eq!(first.updated, "2026-03-01");
    assert!(
        first
            .body_html
            .contains("<h2 id=\"restore-from-the-agent\">"),
        "{}",
        first.body_html
    );
    assert_eq!(
        first.related[0].slug, "restore-fails",
        "shares a tag and the category"
    );
    assert!(
        first
            .related
            .iter()
            .all(|related| related.slug != "restore-a-backup")
    );
    assert_eq!(
        first.votes,
        KbVotes {
            helpful: 0,
            not_helpful: 0,
            mine: None
        }
    );

    let second: KbArticle = app.get("/api/v1/kb/articles/restore-a-backup").await.json();
    assert_eq!(second.views, first.views + 1);

    let unsafe_article: KbArticle = app.get("/api/v1/kb/articles/sftp-keys").await.json();
    assert!(
        !unsafe_article.body_html.contains("<script"),
        "{}",
        unsafe_article.body_html
    );
    assert!(
        !unsafe_article.body_html.contains("onerror"),
        "{}",
        unsafe_article.body_html
    );
}

#[tokio::test]
async fn an_unknown_article_is_not_found() {
    let (app, _content) = app_with_articles().await;
    let response = app.get("/api/v1/kb/articles/no-such-article").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error_code(), "not_found");
    let vote = app
        .send(Method::PUT, "/api/v1/kb/articles/no-such-article/vote")
        .json(&json!({ "helpful": true }))
        .await;
    assert_eq!(vote.status, StatusCode::NOT_FOUND);
}

const VOTE: &str = "/api/v1/kb/articles/restore-a-backup/vote";

#[tokio::test]
async fn a_vote_needs_the_csrf_header() {
    let (app, _content) = app_with_articles().await;
    let response = app
        .request(Method::PUT, VOTE)
        .json(&json!({ "helpful": true }))
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.error_code(), "csrf_missing");
    let article: KbArticle = app.get("/api/v1/kb/articles/restore-a-backup").await.json();
    assert_eq!(article.votes.helpful, 0);
}

#[tokio::test]
async fn a_browser_votes_once_and_can_change_or_take_back_its_vote() {
    let (app, _content) = app_with_articles().await;

    let first = app
        .send(Method::PUT, VOTE)
        .json(&json!({ "helpful": true }))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let set_cookie = first
        .header("set-cookie")
        .expect("a browser cookie")
        .to_owned();
    assert!(
        set_cookie.starts_with("lantern_browser=") && set_cookie.contains("HttpOnly"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().expect("name=value").to_owned();
    assert_eq!(
        first.json::<KbVotes>(),
        KbVotes {
            helpful: 1,
            not_helpful: 0,
            mine: Some(true)
        }
    );

    let again = app
        .send(Method::PUT, VOTE)
        .cookie(&cookie)
        .json(&json!({ "helpful": true }))
        .await;
    assert!(
        again.header("set-cookie").is_none(),
        "a known browser keeps its cookie"
    );
    assert_eq!(
        again.json::<KbVotes>(),
        KbVotes {
            helpful: 1,
            not_helpful: 0,
            mine: Some(true)
        }
    );

    let changed = app
        .send(Method::PUT, VOTE)
        .cookie(&cookie)
        .json(&json!({ "helpful": false }))
        .await;
    assert_eq!(
        changed.json::<KbVotes>(),
        KbVotes {
            helpful: 0,
            not_helpful: 1,
            mine: Some(false)
        }
    );

    let other_browser = app
        .send(Method::PUT, VOTE)
        .json(&json!({ "helpful": true }))
        .await;
    assert_eq!(
        other_browser.json::<KbVotes>(),
        KbVotes {
            helpful: 1,
            not_helpful: 1,
            mine: Some(true)
        }
    );

    let seen: KbArticle = app
        .get("/api/v1/kb/articles/restore-a-backup")
        .cookie(&cookie)
        .await
        .json();
    assert_eq!(
        seen.votes,
        KbVotes {
            helpful: 1,
            not_helpful: 1,
            mine: Some(false)
        }
    );

    let removed = app.send(Method::DELETE, VOTE).cookie(&cookie).await;
    assert_eq!(
        removed.json::<KbVotes>(),
        KbVotes {
            helpful: 1,
            not_helpful: 0,
            mine: None
        }
    );
}

#[tokio::test]
async fn a_signed_in_person_has_one_vote_on_any_browser() {
    let (app, _content) = app_with_articles().await;
    let session = app.sign_in("alice@northwind.example", DEMO_PASSWORD).await;

    let first = app
        .send(Method::PUT, VOTE)
        .cookie(&session)
        .json(&json!({ "helpful": false }))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.header("set-cookie").is_none(),
        "no browser cookie for a signed-in person"
    );
    let both = format!("{session}; lantern_browser=0123456789abcdef0123456789abcdef");
    let changed = app
        .send(Method::PUT, VOTE)
        .cookie(&both)
        .json(&json!({ "helpful": true }))
        .await;
    assert_eq!(
        changed.json::<KbVotes>(),
        KbVotes {
            helpful: 1,
            not_helpful: 0,
            mine: Some(true)
        }
    );
}

/// The demo content imports cleanly, and instant search over the served index finds
/// "Restore a backup" despite typos (the example).
#[tokio::test]
async fn the_demo_knowledge_base_imports_cleanly_and_forgives_typos() {
    let app = TestApp::new().await;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/kb");
    let report = app.import_kb(&content).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(report.inserted >= 60, "{report}");

    let index: KbIndex = app.get("/api/v1/kb/index").await.json();
    assert!(index.categories.len() >= 8);
    let search = SearchIndex::new(index.articles.clone(), &index.synonyms);
    let hits = search.search("resore bakup", &SearchFilters::default(), 5);
    let first = hits
        .first()
        .map(|hit| index.articles[hit.entry_index].title.as_str());
    assert_eq!(first, Some("Restore a backup"));

    let results: KbSearchResults = app.get("/api/v1/kb/search?q=HB-2310").await.json();
    assert_eq!(results.hits[0].slug, "error-hb-2310-vss-snapshot-failed");
}
