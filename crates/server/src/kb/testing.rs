//! Helpers for the knowledge-base tests: article files, and a base of articles imported into
//! a database of either backend.

use std::path::Path;

use crate::db::{Db, WriteGate};

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

/// Imports into `db` four articles about backup, sync and file transfer (one body holds a
/// script tag) and two synonym groups.
pub async fn searchable_base(db: &Db) {
    let temp = tempfile::tempdir().expect("a temp dir");
    let content = temp.path().join("kb");
    std::fs::create_dir(&content).expect("a content dir");
    let articles = [
        (
            "restore-a-backup",
            article_text(
                "Restore a backup",
                "Backup & restore",
                &["harbor-backup"],
                &["recovery"],
                "## From the agent\n\nPick the files and a point in time.",
            ),
        ),
        (
            "vault-quota",
            article_text(
                "Vault quota exceeded",
                "Error codes",
                &["harbor-backup"],
                &["HB-3001", "storage"],
                "## Symptom\n\nBackups stop with HB-3001. A restore still works; restore old files first, then restore the rest.",
            ),
        ),
        (
            "sync-conflicts",
            article_text(
                "Resolve sync conflicts",
                "Sync",
                &["relay-sync"],
                &["conflicts"],
                "Conflicted copies appear when a file changes on two devices. Restore the version you want.",
            ),
        ),
        (
            "sftp-keys",
            article_text(
                "Use SSH keys for SFTP",
                "File transfer",
                &["beacon-gateway"],
                &["sftp"],
                "Keys replace passwords for <script>alert(1)</script> partner scripts.",
            ),
        ),
    ];
    for (slug, text) in &articles {
        write_article(&content, slug, text);
    }
    std::fs::write(
        content.join(super::import::SYNONYMS_FILE),
        "restore, recover\ncomputer, laptop\n",
    )
    .expect("the synonyms file is written");
    super::import::import_dir(db, &WriteGate::default(), &content)
        .await
        .expect("the import runs");
}

/// The search engine over [`searchable_base`] imported into `db`.
pub async fn searchable_engine(db: &Db) -> super::engine::Engine {
    searchable_base(db).await;
    super::engine::Engine::load(db, &demo_products())
        .await
        .expect("the engine builds")
}

/// The products of the repository's default policy, as the engine takes them.
pub fn demo_products() -> Vec<(String, String)> {
    let policy =
        crate::policy_file::load(&crate::policy_file::default_path()).expect("the default policy");
    super::engine::product_names(&policy)
}
