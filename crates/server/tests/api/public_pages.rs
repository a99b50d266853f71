//! The public help centre as HTML through the real router: server-rendered pages and their
//! heads, robots.txt, the sitemap, and the status of every kind of address.

use crate::common;

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use common::{TestApp, TestResponse};
use lantern_core::api::{KbArticle, PageData};
use lantern_server::public::crawling;

const SHELL: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"description\" content=\"The app\"><title>Lantern Support</title>\
    <script type=\"module\">import init from '/lantern.js'; init();</script></head>\
    <body><noscript>Lantern needs JavaScript.</noscript></body></html>";
const PUBLIC_URL: &str = "https://help.example.com";

async fn help_centre() -> (TestApp, PathBuf) {
    let app = TestApp::with_config(|config| config.public_url = PUBLIC_URL.to_owned()).await;
    let dist = &app.state.config.dist;
    std::fs::create_dir_all(dist).expect("a dist folder");
    std::fs::write(dist.join("index.html"), SHELL).expect("the shell");
    let content = app.dir.path().join("kb");
    std::fs::create_dir_all(&content).expect("a content folder");
    write(
        &content,
        "restore-a-backup",
        &article(
            "Restore a backup",
            "Backup & restore",
            "harbor-backup",
            "2026-03-01",
        ),
    );
    write(
        &content,
        "exclude-folders",
        &article(
            "Exclude folders",
            "Backup & restore",
            "harbor-backup",
            "2026-04-02",
        ),
    );
    write(
        &content,
        "sync-conflicts",
        &article("Resolve sync conflicts", "Sync", "relay-sync", "2026-05-03"),
    );
    app.import_kb(&content).await;
    (app, content)
}

fn article(title: &str, category: &str, product: &str, updated: &str) -> String {
    format!(
        "---\ntitle: '{title}'\nsummary: 'What to do: {title}.'\ncategory: {category}\n\
         products: [{product}]\ntags: [backup]\nupdated: {updated}\n---\n## Steps\n\nDo it.\n"
    )
}

fn write(content: &Path, file: &str, text: &str) {
    std::fs::write(content.join(format!("{file}.md")), text).expect("the article file");
}

fn page_data(response: &TestResponse) -> PageData {
    let html = response.text();
    let start = html
        .find("<script type=\"application/json\" id=\"lantern-page-data\">")
        .expect("the page data")
        + "<script type=\"application/json\" id=\"lantern-page-data\">".len();
    let end = start + html[start..].find("</script>").expect("its end");
    serde_json::from_str(&html[start..end]).expect("page data JSON")
}

#[tokio::test]
async fn an_article_page_is_complete_html_with_its_head_and_data() {
    let (app, _content) = help_centre().await;
    let response = app.get("/kb/restore-a-backup").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = response.text();
    assert_eq!(html.matches("<title>").count(), 1, "{html}");
    assert!(
        html.contains("<title>Restore a backup · Lantern Support</title>"),
        "{html}"
    );
    assert!(html.contains(r#"<meta name="description" content="What to do: Restore a backup.">"#));
    assert!(
        html.contains(
            r#"<link rel="canonical" href="https://help.example.com/kb/restore-a-backup">"#
        )
    );
    assert!(html.contains(r#"<meta property="og:type" content="article">"#));
    assert!(html.contains(r#"<meta name="twitter:card" content="summary">"#));
    assert!(html.contains(r#""@type":"BreadcrumbList""#), "{html}");
    assert!(html.contains(r#""dateModified":"2026-03-01""#), "{html}");
    assert!(!html.contains("noindex") && !html.contains("<noscript>"));
    // The page itself: breadcrumbs, the title, the body and the related article.
    assert!(html.contains(r#"<h1 id="kb-article-title" tabindex="-1">Restore a backup</h1>"#));
    assert!(
        html.contains(r#"<time datetime="2026-03-01">1 March 2026</time>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="/tickets/new?article=restore-a-backup""#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/?category=backup-and-restore">Backup &amp; restore</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<h2 id="steps">Steps</h2>"#) || html.contains("<h2 id=\"steps\""),
        "{html}"
    );
    assert!(html.contains(r#"<a href="/kb/exclude-folders">Exclude folders</a>"#));
    // The app starts from what the API gives the same reader.
    let embedded = page_data(&response).article.expect("the article");
    let api: KbArticle = app.get("/api/v1/kb/articles/restore-a-backup").await.json();
    assert_eq!(embedded.views + 1, api.views, "each counted one view");
    assert_eq!(
        KbArticle {
            views: api.views,
            ..embedded
        },
        api
    );
}

#[tokio::test]
async fn hostile_article_texts_are_escaped_in_the_page_the_head_and_the_data() {
    let (app, content) = help_centre().await;
    let hostile = "</script><script>alert(1)</script>";
    write(
        &content,
        "hostile",
        &article(hostile, "Sync", "relay-sync", "2026-06-01"),
    );
    app.import_kb(&content).await;
    let response = app.get("/kb/hostile").await;
    assert_eq!(response.status, StatusCode::OK);
    let html = response.text();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    // JSON-LD and the page data stay inside their elements and still say the title.
    assert!(
        html.contains(r#"\u003c/script\u003e\u003cscript\u003ealert(1)"#),
        "{html}"
    );
    assert_eq!(
        page_data(&response).article.expect("the article").title,
        hostile
    );
    assert_eq!(
        html.matches("</script>").count(),
        html.matches("<script").count()
    );
}

#[tokio::test]
async fn the_home_page_and_a_category_list_what_there_is() {
    let (app, _content) = help_centre().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    assert!(html.contains("<h1>How can we help?</h1>"));
    assert!(
        html.contains(r#"<a class="kb-category" href="/?category=backup-and-restore">"#),
        "{html}"
    );
    assert!(html.contains(r#"<link rel="canonical" href="https://help.example.com/">"#));
    assert!(
        html.contains(r#"<option value="relay-sync">Relay Sync</option>"#),
        "{html}"
    );
    assert_eq!(page_data(&home).categories.expect("categories").len(), 2);

    let category = app
        .get("/?product=relay-sync&category=backup-and-restore")
        .await;
    assert_eq!(category.status, StatusCode::OK);
    let html = category.text();
    assert!(
        html.contains("<title>Backup &amp; restore · Lantern Support</title>"),
        "{html}"
    );
    assert!(html.contains("None of this category's articles is about the chosen product."));
    assert!(html.contains(
        r#"<link rel="canonical" href="https://help.example.com/?category=backup-and-restore">"#
    ));
    let all = app.get("/?category=backup-and-restore").await.text();
    assert!(all.contains(r#"<a href="/kb/exclude-folders">Exclude folders</a>"#));
    assert!(all.contains("2 articles"));

    assert_eq!(
        app.get("/?category=nowhere").await.status,
        StatusCode::NOT_FOUND
    );
    // A search is the app's to show, and no page for search engines.
    let search = app.get("/?q=restore").await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(search.text().contains("noindex"));
}

#[tokio::test]
async fn unknown_addresses_are_404_and_private_pages_are_not_indexed() {
    let (app, _content) = help_centre().await;
    for path in ["/nowhere", "/kb/no-such-article", "/tickets/1/2"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        // The app still shows its not-found page.
        assert!(
            response.text().contains("import init from '/lantern.js'"),
            "{path}"
        );
        assert!(response.text().contains("noindex"), "{path}");
    }
    for path in [
        "/tickets",
        "/tickets/new",
        // The confirmation of a ticket just filed survives a reload.
        "/tickets/new/filed/LAN-000004",
        "/tickets/LAN-4",
        "/signin?next=%2Ftickets",
        "/register",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        let html = response.text();
        assert!(
            html.contains(r#"<meta name="robots" content="noindex, nofollow">"#),
            "{path}"
        );
        assert!(
            !html.contains("canonical") && !html.contains("server-page"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_renamed_article_leads_to_its_new_address_and_a_removed_one_is_gone() {
    let (app, content) = help_centre().await;
    app.get("/kb/restore-a-backup").await;
    // A new slug in the same file, then the file renamed with its text unchanged.
    let text = article(
        "Restore a backup",
        "Backup & restore",
        "harbor-backup",
        "2026-03-01",
    );
    write(
        &content,
        "restore-a-backup",
        &text.replace("---\ntitle:", "---\nslug: restore-files\ntitle:"),
    );
    app.import_kb(&content).await;
    std::fs::rename(
        content.join("sync-conflicts.md"),
        content.join("sync-conflicts-explained.md"),
    )
    .expect("the file is renamed");
    std::fs::remove_file(content.join("exclude-folders.md")).expect("the file is removed");
    let report = app.import_kb(&content).await;
    assert_eq!((report.renamed, report.removed), (1, 1), "{report}");

    let moved = app.get("/kb/restore-a-backup?utm=mail").await;
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(moved.header("location"), Some("/kb/restore-files?utm=mail"));
    let renamed: KbArticle = app.get("/api/v1/kb/articles/restore-files").await.json();
    assert_eq!(renamed.views, 2, "the renamed article keeps its views");
    let by_name = app.get("/kb/sync-conflicts").await;
    assert_eq!(
        by_name.header("location"),
        Some("/kb/sync-conflicts-explained")
    );
    let gone = app.get("/kb/exclude-folders").await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.text().contains("noindex"));

    // Renamed again: the first address leads straight to the newest; published again: no
    // longer retired.
    write(
        &content,
        "restore-a-backup",
        &text.replace("---\ntitle:", "---\nslug: restore-everything\ntitle:"),
    );
    write(
        &content,
        "exclude-folders",
        &article(
            "Exclude folders",
            "Backup & restore",
            "harbor-backup",
            "2026-04-02",
        ),
    );
    app.import_kb(&content).await;
    let first = app.get("/kb/restore-a-backup").await;
    assert_eq!(first.header("location"), Some("/kb/restore-everything"));
    assert_eq!(app.get("/kb/exclude-folders").await.status, StatusCode::OK);
}

#[tokio::test]
async fn robots_txt_names_the_sitemap_which_lists_every_published_page() {
    let (app, _content) = help_centre().await;
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert_eq!(
        robots.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let robots = robots.text();
    assert!(
        robots.contains("Sitemap: https://help.example.com/sitemap.xml"),
        "{robots}"
    );
    assert!(robots.contains("Disallow: /api/") && robots.contains("Disallow: /tickets"));

    let sitemap = app.get("/sitemap.xml").await;
    assert_eq!(sitemap.status, StatusCode::OK);
    assert_eq!(
        sitemap.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    let xml = sitemap.text();
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"),
        "{xml}"
    );
    for slug in ["restore-a-backup", "exclude-folders", "sync-conflicts"] {
        assert!(
            xml.contains(&format!("<loc>https://help.example.com/kb/{slug}</loc>")),
            "{slug}: {xml}"
        );
    }
    assert!(xml.contains(
        "<loc>https://help.example.com/kb/sync-conflicts</loc><lastmod>2026-05-03</lastmod>"
    ));
    assert!(xml.contains("<loc>https://help.example.com/?category=backup-and-restore</loc>"));
    assert!(xml.contains("<loc>https://help.example.com/</loc><lastmod>2026-05-03</lastmod>"));
    assert_eq!(
        xml.matches("<url>").count(),
        2 + 2 + 3,
        "home, support, 2 categories, 3 articles"
    );
    assert_eq!(
        app.get("/sitemaps/1.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn past_the_limit_the_sitemap_is_an_index_of_files_that_list_every_page_once() {
    let (app, _content) = help_centre().await;
    let db = &app.state.database;
    let index = crawling::sitemap(db, PUBLIC_URL, 3)
        .await
        .expect("the sitemap");
    assert!(index.contains("<sitemapindex"), "{index}");
    assert!(index.contains("<loc>https://help.example.com/sitemaps/3.xml</loc>"));
    assert!(!index.contains("/sitemaps/4.xml"));
    let mut listed = Vec::new();
    for number in 1..=3 {
        let file = crawling::sitemap_file(db, PUBLIC_URL, 3, number)
            .await
            .expect("a query")
            .expect("a file");
        assert!(file.matches("<url>").count() <= 3);
        listed.extend(
            file.split("<loc>")
                .skip(1)
                .map(|rest| rest[..rest.find('<').unwrap_or(0)].to_owned()),
        );
    }
    assert_eq!(listed.len(), 7, "{listed:?}");
    listed.sort();
    listed.dedup();
    assert_eq!(listed.len(), 7, "every page once");
    assert!(
        crawling::sitemap_file(db, PUBLIC_URL, 3, 4)
            .await
            .expect("a query")
            .is_none()
    );
}

#[tokio::test]
async fn the_support_page_shows_the_policy_and_carries_it_for_the_app() {
    let (app, _content) = help_centre().await;
    let support = app.get("/support").await;
    assert_eq!(support.status, StatusCode::OK);
    let html = support.text();
    assert!(html.contains(r#"<link rel="canonical" href="https://help.example.com/support">"#));
    assert!(html.contains("<h1>Support plans and hours</h1>"));
    assert!(html.contains(r#"<a href="/support" aria-current="page">Support</a>"#));
    let policy = &app.state.policy;
    for plan in policy.plans.iter() {
        assert!(
            html.contains(&format!(r#"<th scope="col">{}</th>"#, plan.name)),
            "{}",
            plan.name
        );
    }
    for severity in policy.severities.iter() {
        assert!(
            html.contains(&format!(r#"<h3 id="severity-{}">"#, severity.id)),
            "{}",
            severity.id
        );
    }
    let embedded = page_data(&support).policy.expect("the policy");
    let api: lantern_core::policy::PolicyView = app.get("/api/v1/policy").await.json();
    assert_eq!(embedded, api);
}
