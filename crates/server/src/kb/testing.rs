//! Helpers for the knowledge-base tests: article files and a migrated database in a temp dir.

use std::path::Path;

use sqlx::SqlitePool;

/// The text of an article file.
pub fn article_text(
    title: &str,
    category: &str,
    products: &[&str],
    tags: &[&str],
    body: &str,
) -> String {
    format!(
        "---\ntitle: {title}\nsummary: About {title}.\ncategory: {category}\nproducts: [{}]\ntags: [{}]\nupdated: 2026-03-01\n---\n{body}\n",
        products.join(", "),
        tags.join(", "),
    )
}

/// Writes `dir/<slug>.md`.
pub fn write_article(dir: &Path, slug: &str, text: &str) {
    std::fs::write(dir.join(format!("{slug}.md")), text).expect("the article file is written");
}

/// A migrated database in `dir`.
pub async fn database(dir: &Path) -> SqlitePool {
    crate::db::connect(&format!("sqlite://{}", dir.join("kb.db").display()))
        .await
        .expect("a database")
}
