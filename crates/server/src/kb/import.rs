//! Importing a folder of article files into the database: upsert by slug, follow renamed
//! articles to their new slug, remove articles whose files are gone (remembering both, for
//! 301 and 410 answers), read the synonyms file beside them ([`SYNONYMS_FILE`]), and record
//! the compact index with its ETag.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use lantern_core::api::KbIndex;
use lantern_core::search::synonyms::{SynonymGroups, parse_synonyms};
use sha2::{Digest, Sha256};

use crate::db::{self, Db, Executor, WriteGate};
use crate::kb::front_matter::{ArticleSource, parse_article};
use crate::kb::render::{render_markdown, slugify};

/// Part of every content hash: bump it when rendering changes, so the next import renders
/// every article again instead of skipping unchanged files.
const RENDER_VERSION: &str = "kb-render-2";

/// The vendor's synonyms, beside the articles (see `lantern_core::search::synonyms`).
pub const SYNONYMS_FILE: &str = "synonyms.txt";

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Articles that came under a new slug (counted as updated or unchanged too).
    pub renamed: usize,
    pub removed: u64,
    /// Files that were skipped, each with the reason.
    pub problems: Vec<ImportProblem>,
}

/// A file that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub file: PathBuf,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} new, {} updated, {} unchanged, {} renamed, {} removed, {} skipped",
            self.inserted,
            self.updated,
            self.unchanged,
            self.renamed,
            self.removed,
            self.problems.len()
        )
    }
}

/// A file that parsed, with its name and the hash of its text.
struct Parsed {
    source: ArticleSource,
    content_hash: String,
    file_name: String,
}

/// Imports every `*.md` file of `dir`. A broken file is reported in [`ImportReport::problems`]
/// and skipped (an older stored version of it is kept); the rest import. Fails only when the
/// folder cannot be read or the database fails, and then changes nothing: it is one write
/// transaction, and one import at a time ([`db::kb::lock_import`]).
pub async fn import_dir(db: &Db, writes: &WriteGate, dir: &Path) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut parsed = Vec::new();
    // Slugs to keep even though their file did not parse this time (named after the file).
    let mut keep: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for file in article_files(dir)? {
        let stem = file_stem(&file);
        match read_article(&file, &stem) {
            Ok(article) if !seen.insert(article.source.slug.clone()) => {
                report.problems.push(ImportProblem {
                    message: format!(
                        "slug `{}` is already used by another file",
                        article.source.slug
                    ),
                    file,
                });
            }
            Ok(article) => {
                keep.push(article.source.slug.clone());
                parsed.push(article);
            }
            Err(message) => {
                keep.push(stem);
                report.problems.push(ImportProblem { file, message });
            }
        }
    }

    let synonyms = read_synonyms(dir, &mut report.problems);

    let mut tx = writes.begin(db).await?;
    db::kb::lock_import(&mut tx).await?;
    let stored = db::kb::stored_sources(&mut tx).await?;
    for (from, to) in renames(&stored, &parsed) {
        db::kb::rename(&mut tx, &from, &to).await?;
        report.renamed += 1;
    }
    for article in &parsed {
        match db::kb::stored_version(&mut tx, &article.source.slug).await? {
            Some(stored)
                if stored.content_hash == article.content_hash
                    && stored.source_file == article.file_name =>
            {
                report.unchanged += 1
            }
            existing => {
                store(&mut tx, article).await?;
                if existing.is_some() {
                    report.updated += 1;
                } else {
                    report.inserted += 1;
                }
            }
        }
    }
    report.removed = db::kb::delete_all_except(&mut tx, &keep).await?;
    if let Some(groups) = &synonyms {
        db::kb::set_synonyms(&mut tx, groups).await?;
    }
    let (etag, json) = build_index(&mut tx).await?;
    db::kb::set_index(&mut tx, &etag, &json).await?;
    tx.commit().await?;
    Ok(report)
}

/// The stored articles that now come under a new slug, as (old, new) slugs: an article whose
/// slug is new is the stored one that lost its slug and came from the same file, or else had
/// the same text (the file was renamed and its slug comes from the name).
fn renames(stored: &[db::kb::StoredSource], parsed: &[Parsed]) -> Vec<(String, String)> {
    let parsed_slugs: HashSet<&str> = parsed.iter().map(|p| p.source.slug.as_str()).collect();
    let stored_slugs: HashSet<&str> = stored.iter().map(|s| s.slug.as_str()).collect();
    let mut orphans: Vec<&db::kb::StoredSource> = stored
        .iter()
        .filter(|article| !parsed_slugs.contains(article.slug.as_str()))
        .collect();
    let mut renames = Vec::new();
    for article in parsed
        .iter()
        .filter(|article| !stored_slugs.contains(article.source.slug.as_str()))
    {
        let same_file = orphans
            .iter()
            .position(|orphan| orphan.source_file == article.file_name);
        let same_text = || {
            orphans
                .iter()
                .position(|orphan| orphan.content_hash == article.content_hash)
        };
        if let Some(position) = same_file.or_else(same_text) {
            let orphan = orphans.remove(position);
            renames.push((orphan.slug.clone(), article.source.slug.clone()));
        }
    }
    renames
}

/// The groups of the synonyms file, `Some(empty)` when there is none (the vendor removed it).
/// Lines that do not parse are reported and skipped; `None` (keep the stored groups) only when
/// the file is there but cannot be read.
fn read_synonyms(dir: &Path, problems: &mut Vec<ImportProblem>) -> Option<SynonymGroups> {
    let file = dir.join(SYNONYMS_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Some(SynonymGroups::new());
        }
        Err(error) => {
            problems.push(ImportProblem {
                message: format!("cannot read: {error}"),
                file,
            });
            return None;
        }
    };
    let (groups, line_problems) = parse_synonyms(&text);
    problems.extend(line_problems.into_iter().map(|problem| ImportProblem {
        file: file.clone(),
        message: problem.to_string(),
    }));
    Some(groups)
}

/// The start-up import: reports what it did in the log and never stops the server (a missing
/// or broken knowledge base must not take the ticket wizard down with it).
pub async fn import_at_start(db: &Db, writes: &WriteGate, dir: &Path) {
    match import_dir(db, writes, dir).await {
        Ok(report) => {
            tracing::info!(folder = %dir.display(), "knowledge base imported: {report}");
            for problem in &report.problems {
                tracing::warn!("knowledge-base article skipped: {problem}");
            }
        }
        Err(error) => tracing::warn!("knowledge base not imported: {error:#}"),
    }
}

/// `lantern-server admin import-kb [--dir DIR]`: imports and describes what happened.
pub async fn import_command(db: &Db, writes: &WriteGate, dir: &Path) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let report = import_dir(db, writes, dir).await?;
    let mut text = format!(
        "Imported {}: {report} in {:.2} s.",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    for problem in &report.problems {
        text.push_str(&format!("\nskipped {problem}"));
    }
    Ok(text)
}

/// The `*.md` files of `dir`, sorted by name so imports and reports are repeatable.
fn article_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the knowledge-base folder {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list the knowledge-base folder {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "md") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn file_stem(file: &Path) -> String {
    file.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_article(file: &Path, stem: &str) -> Result<Parsed, String> {
    let text = std::fs::read_to_string(file).map_err(|error| format!("cannot read: {error}"))?;
    let source = parse_article(&text, stem).map_err(|error| error.to_string())?;
    let content_hash = hex::encode(Sha256::digest(format!("{RENDER_VERSION}\n{text}")));
    let file_name = file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Parsed {
        source,
        content_hash,
        file_name,
    })
}

async fn store(db: impl Into<Executor<'_>>, article: &Parsed) -> sqlx::Result<()> {
    let source = &article.source;
    let rendered = render_markdown(&source.body_md);
    let category_slug = slugify(&source.category);
    db::kb::upsert(
        db,
        &db::kb::NewArticle {
            slug: &source.slug,
            title: &source.title,
            summary: &source.summary,
            category_slug: &category_slug,
            category_name: &source.category,
            products: &source.products,
            tags: &source.tags,
            keywords: &source.keywords,
            updated: &source.updated,
            body_md: &source.body_md,
            body_html: &rendered.html,
            body_text: &rendered.text,
            content_hash: &article.content_hash,
            source_file: &article.file_name,
        },
    )
    .await
}

/// The compact index of everything stored and its strong ETag (a hash of its JSON).
pub async fn build_index(db: impl Into<Executor<'_>>) -> anyhow::Result<(String, String)> {
    let mut db = db.into();
    let index = KbIndex {
        articles: db::kb::index_entries(db.reborrow()).await?,
        categories: db::kb::categories_about(db.reborrow(), None).await?,
        synonyms: db::kb::synonyms(db).await?,
    };
    let json = serde_json::to_string(&index)?;
    let digest = Sha256::digest(&json);
    Ok((format!("\"{}\"", hex::encode(&digest[..16])), json))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::{article_text, write_article};
    use crate::test_support::TestDatabases;

    fn good(title: &str) -> String {
        article_text(
            title,
            "Backup & restore",
            &["harbor-backup"],
            &["restore"],
            "## Steps\n\nDo it.",
        )
    }

    /// An empty content folder in a temporary folder of its own.
    fn content_folder() -> (tempfile::TempDir, PathBuf) {
        let temp = tempfile::tempdir().expect("a temp dir");
        let content = temp.path().join("kb");
        std::fs::create_dir(&content).expect("a content dir");
        (temp, content)
    }

    async fn import(db: &Db, content: &Path) -> anyhow::Result<ImportReport> {
        import_dir(db, &WriteGate::default(), content).await
    }

    /// The one text column `sql` selects, row by row.
    async fn texts(db: &Db, sql: &str) -> Vec<String> {
        db::on_either!(db, |executor| {
            sqlx::query_scalar(sql)
                .fetch_all(executor)
                .await
                .expect("a query")
        })
    }

    #[tokio::test]
    async fn a_broken_article_is_reported_by_file_name_and_the_rest_import() {
        TestDatabases::each(async |db| {
            let (_temp, content) = content_folder();
            write_article(&content, "restore-a-backup", &good("Restore a backup"));
            write_article(&content, "upgrade-agents", &good("Upgrade agents"));
            write_article(
                &content,
                "broken",
                &good("Broken").replace("title: Broken\n", ""),
            );

            let report = import(db, &content).await.expect("the import runs");

            assert_eq!(report.inserted, 2);
            assert_eq!(report.problems.len(), 1);
            let problem = report.problems[0].to_string();
            assert!(problem.contains("broken.md"), "{problem}");
            assert!(problem.contains("`title` is missing"), "{problem}");
            let slugs = texts(db, "SELECT slug FROM kb_articles ORDER BY slug").await;
            assert_eq!(slugs, ["restore-a-backup", "upgrade-agents"]);
        })
        .await;
    }

    #[tokio::test]
    async fn reimport_updates_changed_files_skips_unchanged_and_removes_deleted_ones() {
        TestDatabases::each(async |db| {
            let (_temp, content) = content_folder();
            write_article(&content, "a", &good("Alpha"));
            write_article(&content, "b", &good("Bravo"));
            write_article(&content, "c", &good("Charlie"));
            import(db, &content).await.expect("the first import");

            write_article(&content, "a", &good("Alpha, revised"));
            std::fs::remove_file(content.join("b.md")).expect("b is removed");
            // A file that breaks keeps its last good version rather than vanishing from the site.
            write_article(&content, "c", "no front matter any more");
            let report = import(db, &content).await.expect("the second import");

            assert_eq!(
                (
                    report.inserted,
                    report.updated,
                    report.unchanged,
                    report.removed
                ),
                (0, 1, 0, 1)
            );
            assert_eq!(report.problems.len(), 1);
            let titles = texts(db, "SELECT title FROM kb_articles ORDER BY slug").await;
            assert_eq!(titles, ["Alpha, revised", "Charlie"]);
            let removed = db::kb::retired_slug(db, "b").await.expect("a query");
            assert_eq!(removed, Some(db::kb::RetiredSlug::Removed));

            let again = import(db, &content).await.expect("the third import");
            assert_eq!((again.updated, again.unchanged), (0, 1));
        })
        .await;
    }

    #[tokio::test]
    async fn a_renamed_file_keeps_its_article_and_its_old_slug_leads_to_the_new_one() {
        TestDatabases::each(async |db| {
            let (_temp, content) = content_folder();
            write_article(&content, "old-name", &good("Alpha"));
            import(db, &content).await.expect("the first import");
            let id = db::kb::article_id(db, "old-name").await.expect("a query");

            std::fs::rename(content.join("old-name.md"), content.join("new-name.md"))
                .expect("the file is renamed");
            let report = import(db, &content).await.expect("the second import");

            assert_eq!((report.renamed, report.removed), (1, 0));
            assert_eq!(
                db::kb::article_id(db, "new-name").await.expect("a query"),
                id
            );
            assert_eq!(
                db::kb::retired_slug(db, "old-name").await.expect("a query"),
                Some(db::kb::RetiredSlug::RenamedTo("new-name".to_owned()))
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_duplicate_slug_is_reported_and_a_missing_folder_is_an_error() {
        TestDatabases::each(async |db| {
            let (temp, content) = content_folder();
            write_article(
                &content,
                "first",
                &good("First").replace("title:", "slug: same\ntitle:"),
            );
            write_article(
                &content,
                "second",
                &good("Second").replace("title:", "slug: same\ntitle:"),
            );

            let report = import(db, &content).await.expect("the import runs");
            assert_eq!(report.inserted, 1);
            assert!(
                report.problems[0]
                    .to_string()
                    .contains("second.md: slug `same` is already used")
            );

            let missing = import(db, &temp.path().join("nowhere")).await;
            let message = format!("{:#}", missing.expect_err("a missing folder fails"));
            assert!(message.contains("nowhere"), "{message}");
        })
        .await;
    }

    #[tokio::test]
    async fn the_index_etag_changes_with_the_content() {
        TestDatabases::each(async |db| {
            let (_temp, content) = content_folder();
            write_article(&content, "a", &good("Alpha"));
            import(db, &content).await.expect("the first import");
            let first = db::kb::index_etag(db)
                .await
                .expect("a query")
                .expect("an etag");
            let mut connection = db.acquire().await.expect("a connection");
            let (live_etag, live_json) = build_index(&mut connection).await.expect("an index");
            assert_eq!(
                first, live_etag,
                "the stored ETag is the ETag of the stored index"
            );
            let stored = db::kb::stored_index(db).await.expect("a query");
            assert_eq!(stored, Some((live_etag, live_json)));

            write_article(&content, "a", &good("Alpha 2"));
            import(db, &content).await.expect("the second import");
            let second = db::kb::index_etag(db)
                .await
                .expect("a query")
                .expect("an etag");
            assert_ne!(first, second);
        })
        .await;
    }
}
