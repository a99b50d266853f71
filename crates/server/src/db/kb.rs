//! Knowledge-base queries: articles, the compact index, full-text search, views and votes.

use lantern_core::api::{KbCategory, KbIndexEntry, KbVotes};
use lantern_core::search::synonyms::SynonymGroups;
use sqlx::{FromRow, SqliteConnection, SqliteExecutor, SqlitePool};

/// An article ready to be stored (front matter checked, body rendered).
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub category_slug: &'a str,
    pub category_name: &'a str,
    pub products: &'a [String],
    pub tags: &'a [String],
    pub keywords: &'a [String],
    pub updated: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub content_hash: &'a str,
    /// The file's name in the content folder, e.g. `restore-a-backup.md`.
    pub source_file: &'a str,
}

/// Where the stored article with this slug came from, if there is one.
pub async fn stored_version(
    db: &mut SqliteConnection,
    slug: &str,
) -> sqlx::Result<Option<StoredSource>> {
    sqlx::query_as("SELECT slug, source_file, content_hash FROM kb_articles WHERE slug = ?")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// Inserts the article, or replaces the content of the one with the same slug (keeping its
/// id, views and votes).
pub async fn upsert(db: &mut SqliteConnection, article: &NewArticle<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO kb_articles (slug, title, summary, category_slug, category_name, products,
             tags, keywords, updated, body_md, body_html, body_text, content_hash, source_file)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (slug) DO UPDATE SET
             title = excluded.title, summary = excluded.summary,
             category_slug = excluded.category_slug, category_name = excluded.category_name,
             products = excluded.products, tags = excluded.tags, keywords = excluded.keywords,
             updated = excluded.updated,
             body_md = excluded.body_md, body_html = excluded.body_html,
             body_text = excluded.body_text, content_hash = excluded.content_hash,
             source_file = excluded.source_file",
    )
    .bind(article.slug)
    .bind(article.title)
    .bind(article.summary)
    .bind(article.category_slug)
    .bind(article.category_name)
    .bind(json_list(article.products))
    .bind(json_list(article.tags))
    .bind(json_list(article.keywords))
    .bind(article.updated)
    .bind(article.body_md)
    .bind(article.body_html)
    .bind(article.body_text)
    .bind(article.content_hash)
    .bind(article.source_file)
    .execute(db)
    .await?;
    Ok(())
}

fn json_list(items: &[String]) -> String {
    serde_json::Value::from(items).to_string()
}

fn parse_list(json: &str) -> Vec<String> {
    // Only this module writes these columns (a CHECK keeps them valid JSON), so a parse failure
    // can only be an array of non-strings: show no items rather than fail the page.
    serde_json::from_str(json).unwrap_or_default()
}

/// A stored article as an import sees it: where it came from and what its text was.
#[derive(Debug, Clone, FromRow)]
pub struct StoredSource {
    pub slug: String,
    pub source_file: String,
    pub content_hash: String,
}

pub async fn stored_sources(db: &mut SqliteConnection) -> sqlx::Result<Vec<StoredSource>> {
    sqlx::query_as("SELECT slug, source_file, content_hash FROM kb_articles ORDER BY id")
        .fetch_all(db)
        .await
}

/// Gives the article the slug `to`, keeping its id, views and votes; its old address (and
/// every address that led to it) leads to the new one.
pub async fn rename(db: &mut SqliteConnection, from: &str, to: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE kb_articles SET slug = ?2 WHERE slug = ?1")
        .bind(from)
        .bind(to)
        .execute(&mut *db)
        .await?;
    sqlx::query("UPDATE kb_retired_slugs SET renamed_to = ?2 WHERE renamed_to = ?1")
        .bind(from)
        .bind(to)
        .execute(&mut *db)
        .await?;
    sqlx::query(
        "INSERT INTO kb_retired_slugs (slug, renamed_to) VALUES (?1, ?2)
         ON CONFLICT (slug) DO UPDATE SET renamed_to = excluded.renamed_to",
    )
    .bind(from)
    .bind(to)
    .execute(db)
    .await?;
    Ok(())
}

/// Removes every article whose slug is not in `keep`, remembering their slugs as removed (and
/// that the addresses which led to them lead nowhere now); a slug in `keep` is published
/// again. Returns how many articles were removed.
pub async fn delete_all_except(db: &mut SqliteConnection, keep: &[String]) -> sqlx::Result<u64> {
    let keep = json_list(keep);
    sqlx::query(
        "UPDATE kb_retired_slugs SET renamed_to = NULL
         WHERE renamed_to NOT IN (SELECT value FROM json_each(?))",
    )
    .bind(&keep)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "INSERT INTO kb_retired_slugs (slug, renamed_to)
         SELECT slug, NULL FROM kb_articles WHERE slug NOT IN (SELECT value FROM json_each(?))
         ON CONFLICT (slug) DO UPDATE SET renamed_to = NULL",
    )
    .bind(&keep)
    .execute(&mut *db)
    .await?;
    sqlx::query("DELETE FROM kb_retired_slugs WHERE slug IN (SELECT value FROM json_each(?))")
        .bind(&keep)
        .execute(&mut *db)
        .await?;
    let result =
        sqlx::query("DELETE FROM kb_articles WHERE slug NOT IN (SELECT value FROM json_each(?))")
            .bind(&keep)
            .execute(db)
            .await?;
    Ok(result.rows_affected())
}

/// What became of an address that names no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetiredSlug {
    RenamedTo(String),
    Removed,
}

pub async fn retired_slug(db: &SqlitePool, slug: &str) -> sqlx::Result<Option<RetiredSlug>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT renamed_to FROM kb_retired_slugs WHERE slug = ?")
            .bind(slug)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(renamed_to,)| renamed_to.map_or(RetiredSlug::Removed, RetiredSlug::RenamedTo)))
}

/// A published article as the sitemap lists it.
#[derive(Debug, Clone, FromRow)]
pub struct SitemapEntry {
    pub slug: String,
    /// `YYYY-MM-DD`.
    pub updated: String,
}

/// Published articles by id, `limit` from `offset` on.
pub async fn sitemap_entries(
    db: &SqlitePool,
    offset: u64,
    limit: u64,
) -> sqlx::Result<Vec<SitemapEntry>> {
    sqlx::query_as("SELECT slug, updated FROM kb_articles ORDER BY id LIMIT ? OFFSET ?")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(db)
        .await
}

/// How many articles are published, and the last day any of them changed.
pub async fn published_summary(db: &SqlitePool) -> sqlx::Result<(u64, Option<String>)> {
    let (count, updated): (i64, Option<String>) =
        sqlx::query_as("SELECT count(*), max(updated) FROM kb_articles")
            .fetch_one(db)
            .await?;
    Ok((u64::try_from(count).unwrap_or(0), updated))
}

const INDEX_ETAG: &str = "index_etag";
const INDEX_JSON: &str = "index_json";
const SYNONYMS: &str = "synonyms";

/// Stores the synonym groups of the last import.
pub async fn set_synonyms(db: &mut SqliteConnection, groups: &SynonymGroups) -> sqlx::Result<()> {
    let json = serde_json::to_string(groups).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "INSERT INTO kb_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(SYNONYMS)
    .bind(json)
    .execute(db)
    .await?;
    Ok(())
}

/// The synonym groups of the last import (none before the first).
pub async fn synonyms(db: &mut SqliteConnection) -> sqlx::Result<SynonymGroups> {
    let json: Option<String> = sqlx::query_scalar("SELECT value FROM kb_meta WHERE key = ?")
        .bind(SYNONYMS)
        .fetch_optional(db)
        .await?;
    // Only `set_synonyms` writes the value, so it parses.
    Ok(json
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// Stores the compact index as served, and its ETag (the import does, after every change).
pub async fn set_index(db: &mut SqliteConnection, etag: &str, json: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO kb_meta (key, value) VALUES (?1, ?2), (?3, ?4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(INDEX_ETAG)
    .bind(etag)
    .bind(INDEX_JSON)
    .bind(json)
    .execute(db)
    .await?;
    Ok(())
}

/// The ETag of the stored index.
pub async fn index_etag(db: &SqlitePool) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM kb_meta WHERE key = ?")
        .bind(INDEX_ETAG)
        .fetch_optional(db)
        .await
}

/// The stored index: its ETag and JSON, read together so they always belong to each other.
pub async fn stored_index(db: &SqlitePool) -> sqlx::Result<Option<(String, String)>> {
    let (etag, json): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT (SELECT value FROM kb_meta WHERE key = ?1), (SELECT value FROM kb_meta WHERE key = ?2)",
    )
    .bind(INDEX_ETAG)
    .bind(INDEX_JSON)
    .fetch_one(db)
    .await?;
    Ok(etag.zip(json))
}

#[derive(FromRow)]
struct IndexRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    category_slug: String,
    tags: String,
    products: String,
    keywords: String,
}

impl From<IndexRow> for KbIndexEntry {
    fn from(row: IndexRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            category: row.category_slug,
            tags: parse_list(&row.tags),
            products: parse_list(&row.products),
            keywords: parse_list(&row.keywords),
        }
    }
}

/// Every article in the compact form of the instant-search index, by title.
pub async fn index_entries(db: &mut SqliteConnection) -> sqlx::Result<Vec<KbIndexEntry>> {
    let rows: Vec<IndexRow> = sqlx::query_as(
        "SELECT id, slug, title, summary, category_slug, tags, products, keywords
         FROM kb_articles ORDER BY title COLLATE NOCASE, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(KbIndexEntry::from).collect())
}

#[derive(FromRow)]
struct CategoryRow {
    slug: String,
    name: String,
    article_count: i64,
}

impl From<CategoryRow> for KbCategory {
    fn from(row: CategoryRow) -> Self {
        Self {
            slug: row.slug,
            name: row.name,
            article_count: u32::try_from(row.article_count).unwrap_or(u32::MAX),
        }
    }
}

/// Every category with its number of articles about `product` (all of them without one), by
/// name; a category may count none.
pub async fn categories_about<'db>(
    db: impl SqliteExecutor<'db>,
    product: Option<&str>,
) -> sqlx::Result<Vec<KbCategory>> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT a.category_slug AS slug, min(a.category_name) AS name,
                sum(?1 IS NULL OR EXISTS (SELECT 1 FROM kb_article_products p
                                          WHERE p.article_id = a.id AND p.product = ?1))
                    AS article_count
         FROM kb_articles a GROUP BY a.category_slug ORDER BY name COLLATE NOCASE",
    )
    .bind(product)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(KbCategory::from).collect())
}

/// Every product some article is about, by id.
pub async fn article_products(db: &SqlitePool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT product FROM kb_article_products ORDER BY product")
        .fetch_all(db)
        .await
}

/// The articles of a category about `product` (all of them without one), by title.
pub async fn category_entries(
    db: &SqlitePool,
    category_slug: &str,
    product: Option<&str>,
) -> sqlx::Result<Vec<KbIndexEntry>> {
    let rows: Vec<IndexRow> = sqlx::query_as(
        "SELECT id, slug, title, summary, category_slug, tags, products, keywords
         FROM kb_articles a
         WHERE category_slug = ?1
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM kb_article_products p
                                      WHERE p.article_id = a.id AND p.product = ?2))
         ORDER BY title COLLATE NOCASE, id",
    )
    .bind(category_slug)
    .bind(product)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(KbIndexEntry::from).collect())
}

pub async fn category(db: &SqlitePool, slug: &str) -> sqlx::Result<Option<KbCategory>> {
    let row: Option<CategoryRow> = sqlx::query_as(
        "SELECT category_slug AS slug, min(category_name) AS name, count(*) AS article_count
         FROM kb_articles WHERE category_slug = ? GROUP BY category_slug",
    )
    .bind(slug)
    .fetch_optional(db)
    .await?;
    Ok(row.map(KbCategory::from))
}

/// An article as the search engine indexes it.
#[derive(Debug, Clone, FromRow)]
pub struct SearchableArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub category_slug: String,
    pub category_name: String,
    pub products: String,
    pub tags: String,
    pub keywords: String,
    pub body_text: String,
}

impl SearchableArticle {
    pub fn product_list(&self) -> Vec<String> {
        parse_list(&self.products)
    }

    pub fn tag_list(&self) -> Vec<String> {
        parse_list(&self.tags)
    }

    pub fn keyword_list(&self) -> Vec<String> {
        parse_list(&self.keywords)
    }
}

/// Every article with its text, for the search engine, in id order.
pub async fn searchable_articles(
    db: &mut SqliteConnection,
) -> sqlx::Result<Vec<SearchableArticle>> {
    sqlx::query_as(
        "SELECT id, slug, title, summary, category_slug, category_name, products, tags, keywords,
                body_text
         FROM kb_articles ORDER BY id",
    )
    .fetch_all(db)
    .await
}

/// An article as the article page shows it.
#[derive(Debug, Clone, FromRow)]
pub struct ArticleRecord {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub category_slug: String,
    pub products: String,
    pub tags: String,
    pub updated: String,
    pub body_html: String,
    pub views: i64,
    pub helpful: i64,
    pub not_helpful: i64,
}

impl ArticleRecord {
    pub fn product_list(&self) -> Vec<String> {
        parse_list(&self.products)
    }

    pub fn tag_list(&self) -> Vec<String> {
        parse_list(&self.tags)
    }
}

/// Counts a view of the article and returns it, or `None` for an unknown slug.
pub async fn view(db: &SqlitePool, slug: &str) -> sqlx::Result<Option<ArticleRecord>> {
    sqlx::query_as(
        "UPDATE kb_articles SET views = views + 1 WHERE slug = ?
         RETURNING id, slug, title, summary, category_slug, products, tags, updated, body_html,
                   views, helpful, not_helpful",
    )
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// Up to `limit` other articles, those sharing the most tags first, then the same category.
pub async fn related(
    db: &SqlitePool,
    article_id: i64,
    category_slug: &str,
    limit: u32,
) -> sqlx::Result<Vec<KbIndexEntry>> {
    let rows: Vec<IndexRow> = sqlx::query_as(
        "WITH shared AS (
             SELECT other.article_id AS id, count(*) AS tags_shared
             FROM kb_article_tags mine
             JOIN kb_article_tags other ON other.tag = mine.tag AND other.article_id <> mine.article_id
             WHERE mine.article_id = ?1
             GROUP BY other.article_id
         ),
         candidates AS (
             SELECT id, tags_shared FROM shared
             UNION ALL
             SELECT id, 0 FROM kb_articles WHERE category_slug = ?2 AND id <> ?1
         ),
         scored AS (
             SELECT id, max(tags_shared) AS tags_shared FROM candidates GROUP BY id
         )
         SELECT a.id, a.slug, a.title, a.summary, a.category_slug, a.tags, a.products, a.keywords
         FROM scored JOIN kb_articles a ON a.id = scored.id
         ORDER BY scored.tags_shared * 2 + (a.category_slug = ?2) DESC, a.updated DESC, a.title
         LIMIT ?3",
    )
    .bind(article_id)
    .bind(category_slug)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(KbIndexEntry::from).collect())
}

pub async fn article_id(db: &SqlitePool, slug: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM kb_articles WHERE slug = ?")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// The article's counts and `voter`'s own vote.
pub async fn votes(db: &SqlitePool, article_id: i64, voter: Option<&str>) -> sqlx::Result<KbVotes> {
    let (helpful, not_helpful, mine): (i64, i64, Option<bool>) = sqlx::query_as(
        "SELECT a.helpful, a.not_helpful,
                (SELECT v.helpful FROM kb_votes v WHERE v.article_id = a.id AND v.voter = ?2)
         FROM kb_articles a WHERE a.id = ?1",
    )
    .bind(article_id)
    .bind(voter)
    .fetch_one(db)
    .await?;
    Ok(KbVotes {
        helpful: u64::try_from(helpful).unwrap_or(0),
        not_helpful: u64::try_from(not_helpful).unwrap_or(0),
        mine,
    })
}

/// Records or changes `voter`'s vote (triggers keep the article's counts in step).
/// Whether `voter` has a vote on any article.
pub async fn has_voted(db: &SqlitePool, voter: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kb_votes WHERE voter = ?)")
        .bind(voter)
        .fetch_one(db)
        .await
}

pub async fn set_vote(
    db: &SqlitePool,
    article_id: i64,
    voter: &str,
    helpful: bool,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO kb_votes (article_id, voter, helpful, voted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (article_id, voter) DO UPDATE SET
             helpful = excluded.helpful, voted_at = excluded.voted_at",
    )
    .bind(article_id)
    .bind(voter)
    .bind(helpful)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_vote(db: &SqlitePool, article_id: i64, voter: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM kb_votes WHERE article_id = ? AND voter = ?")
        .bind(article_id)
        .bind(voter)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn article_exists(db: impl SqliteExecutor<'_>, slug: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kb_articles WHERE slug = ?)")
        .bind(slug)
        .fetch_one(db)
        .await
}
