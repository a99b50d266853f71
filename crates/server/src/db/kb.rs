//! Knowledge-base queries: articles, the compact index, full-text search, views and votes.
//! One SQL text serves both backends but where SQLite's own SQL has no PostgreSQL twin: the
//! list of slugs an import keeps ([`delete_all_except`]), sorting ignoring case
//! ([`ignoring_case`]) and the import's lock ([`lock_import`]).

use lantern_core::api::{KbCategory, KbIndexEntry, KbVotes};
use lantern_core::search::synonyms::SynonymGroups;
use sqlx::FromRow;

use super::{Executor, on_either};

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
    db: impl Into<Executor<'_>>,
    slug: &str,
) -> sqlx::Result<Option<StoredSource>> {
    on_either!(db, |executor| {
        sqlx::query_as("SELECT slug, source_file, content_hash FROM kb_articles WHERE slug = $1")
            .bind(slug)
            .fetch_optional(executor)
            .await
    })
}

/// Inserts the article, or replaces the content of the one with the same slug (keeping its
/// id, views and votes).
pub async fn upsert(db: impl Into<Executor<'_>>, article: &NewArticle<'_>) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO kb_articles (slug, title, summary, category_slug, category_name, products,
                 tags, keywords, updated, body_md, body_html, body_text, content_hash, source_file)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
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
        .execute(executor)
        .await
        .map(drop)
    })
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

pub async fn stored_sources(db: impl Into<Executor<'_>>) -> sqlx::Result<Vec<StoredSource>> {
    on_either!(db, |executor| {
        sqlx::query_as("SELECT slug, source_file, content_hash FROM kb_articles ORDER BY id")
            .fetch_all(executor)
            .await
    })
}

/// Gives the article the slug `to`, keeping its id, views and votes; its old address (and
/// every address that led to it) leads to the new one.
pub async fn rename(db: impl Into<Executor<'_>>, from: &str, to: &str) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE kb_articles SET slug = $2 WHERE slug = $1")
            .bind(from)
            .bind(to)
            .execute(executor.reborrow())
            .await?;
        sqlx::query("UPDATE kb_retired_slugs SET renamed_to = $2 WHERE renamed_to = $1")
            .bind(from)
            .bind(to)
            .execute(executor.reborrow())
            .await?;
        sqlx::query(
            "INSERT INTO kb_retired_slugs (slug, renamed_to) VALUES ($1, $2)
             ON CONFLICT (slug) DO UPDATE SET renamed_to = excluded.renamed_to",
        )
        .bind(from)
        .bind(to)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// Removes every article whose slug is not in `keep`, remembering their slugs as removed (and
/// that the addresses which led to them lead nowhere now); a slug in `keep` is published
/// again. Returns how many articles were removed.
pub async fn delete_all_except(db: impl Into<Executor<'_>>, keep: &[String]) -> sqlx::Result<u64> {
    // The slugs go in as one JSON array, however many there are; each backend reads it with
    // its own function (PostgreSQL has no `json_each`, SQLite no `json_array_elements_text`).
    let db = db.into();
    let kept = match db {
        Executor::Sqlite(_) => "SELECT value FROM json_each($1)",
        Executor::Postgres(_) => "SELECT value FROM json_array_elements_text(CAST($1 AS JSON))",
    };
    let keep = json_list(keep);
    on_either!(db, |executor| {
        sqlx::query(&format!(
            "UPDATE kb_retired_slugs SET renamed_to = NULL WHERE renamed_to NOT IN ({kept})"
        ))
        .bind(&keep)
        .execute(executor.reborrow())
        .await?;
        sqlx::query(&format!(
            "INSERT INTO kb_retired_slugs (slug, renamed_to)
             SELECT slug, NULL FROM kb_articles WHERE slug NOT IN ({kept})
             ON CONFLICT (slug) DO UPDATE SET renamed_to = NULL"
        ))
        .bind(&keep)
        .execute(executor.reborrow())
        .await?;
        sqlx::query(&format!(
            "DELETE FROM kb_retired_slugs WHERE slug IN ({kept})"
        ))
        .bind(&keep)
        .execute(executor.reborrow())
        .await?;
        sqlx::query(&format!(
            "DELETE FROM kb_articles WHERE slug NOT IN ({kept})"
        ))
        .bind(&keep)
        .execute(executor)
        .await
        .map(|result| result.rows_affected())
    })
}

/// What became of an address that names no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetiredSlug {
    RenamedTo(String),
    Removed,
}

pub async fn retired_slug(
    db: impl Into<Executor<'_>>,
    slug: &str,
) -> sqlx::Result<Option<RetiredSlug>> {
    let row: Option<(Option<String>,)> = on_either!(db, |executor| {
        sqlx::query_as("SELECT renamed_to FROM kb_retired_slugs WHERE slug = $1")
            .bind(slug)
            .fetch_optional(executor)
            .await
    })?;
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
    db: impl Into<Executor<'_>>,
    offset: u64,
    limit: u64,
) -> sqlx::Result<Vec<SitemapEntry>> {
    on_either!(db, |executor| {
        sqlx::query_as("SELECT slug, updated FROM kb_articles ORDER BY id LIMIT $1 OFFSET $2")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(executor)
            .await
    })
}

/// How many articles are published, and the last day any of them changed.
pub async fn published_summary(db: impl Into<Executor<'_>>) -> sqlx::Result<(u64, Option<String>)> {
    let (count, updated): (i64, Option<String>) = on_either!(db, |executor| {
        sqlx::query_as("SELECT count(*), max(updated) FROM kb_articles")
            .fetch_one(executor)
            .await
    })?;
    Ok((u64::try_from(count).unwrap_or(0), updated))
}

const INDEX_ETAG: &str = "index_etag";
const INDEX_JSON: &str = "index_json";
const SYNONYMS: &str = "synonyms";

/// Stores the synonym groups of the last import.
pub async fn set_synonyms(db: impl Into<Executor<'_>>, groups: &SynonymGroups) -> sqlx::Result<()> {
    let json = serde_json::to_string(groups).unwrap_or_else(|_| "[]".to_owned());
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO kb_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(SYNONYMS)
        .bind(&json)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// The synonym groups of the last import (none before the first).
pub async fn synonyms(db: impl Into<Executor<'_>>) -> sqlx::Result<SynonymGroups> {
    let json: Option<String> = on_either!(db, |executor| {
        sqlx::query_scalar("SELECT value FROM kb_meta WHERE key = $1")
            .bind(SYNONYMS)
            .fetch_optional(executor)
            .await
    })?;
    // Only `set_synonyms` writes the value, so it parses.
    Ok(json
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// Stores the compact index as served, and its ETag (the import does, after every change).
pub async fn set_index(db: impl Into<Executor<'_>>, etag: &str, json: &str) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO kb_meta (key, value) VALUES ($1, $2), ($3, $4)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(INDEX_ETAG)
        .bind(etag)
        .bind(INDEX_JSON)
        .bind(json)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// The ETag of the stored index.
pub async fn index_etag(db: impl Into<Executor<'_>>) -> sqlx::Result<Option<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT value FROM kb_meta WHERE key = $1")
            .bind(INDEX_ETAG)
            .fetch_optional(executor)
            .await
    })
}

/// The stored index: its ETag and JSON, read together so they always belong to each other.
pub async fn stored_index(db: impl Into<Executor<'_>>) -> sqlx::Result<Option<(String, String)>> {
    let (etag, json): (Option<String>, Option<String>) = on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT (SELECT value FROM kb_meta WHERE key = $1),
                    (SELECT value FROM kb_meta WHERE key = $2)",
        )
        .bind(INDEX_ETAG)
        .bind(INDEX_JSON)
        .fetch_one(executor)
        .await
    })?;
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
pub async fn index_entries(db: impl Into<Executor<'_>>) -> sqlx::Result<Vec<KbIndexEntry>> {
    let db = db.into();
    let sql = format!(
        "SELECT id, slug, title, summary, category_slug, tags, products, keywords
         FROM kb_articles ORDER BY {}, id",
        ignoring_case(&db, "title")
    );
    let rows: Vec<IndexRow> = on_either!(db, |executor| {
        sqlx::query_as(&sql).fetch_all(executor).await
    })?;
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
pub async fn categories_about(
    db: impl Into<Executor<'_>>,
    product: Option<&str>,
) -> sqlx::Result<Vec<KbCategory>> {
    let db = db.into();
    // COUNT of a CASE, not SUM of a condition: PostgreSQL adds no booleans, and its COUNT is
    // a BIGINT as SQLite's is an INTEGER, both an i64. ORDER BY repeats the aggregate, as
    // PostgreSQL sorts by an output name only when it stands alone.
    let sql = format!(
        "SELECT a.category_slug AS slug, min(a.category_name) AS name,
                COUNT(CASE WHEN $1 IS NULL OR EXISTS (SELECT 1 FROM kb_article_products p
                                                      WHERE p.article_id = a.id AND p.product = $1)
                           THEN 1 END) AS article_count
         FROM kb_articles a GROUP BY a.category_slug ORDER BY {}",
        ignoring_case(&db, "min(a.category_name)")
    );
    let rows: Vec<CategoryRow> = on_either!(db, |executor| {
        sqlx::query_as(&sql).bind(product).fetch_all(executor).await
    })?;
    Ok(rows.into_iter().map(KbCategory::from).collect())
}

/// Every product some article is about, by id.
pub async fn article_products(db: impl Into<Executor<'_>>) -> sqlx::Result<Vec<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT DISTINCT product FROM kb_article_products ORDER BY product")
            .fetch_all(executor)
            .await
    })
}

/// The articles of a category about `product` (all of them without one), by title.
pub async fn category_entries(
    db: impl Into<Executor<'_>>,
    category_slug: &str,
    product: Option<&str>,
) -> sqlx::Result<Vec<KbIndexEntry>> {
    let db = db.into();
    let sql = format!(
        "SELECT id, slug, title, summary, category_slug, tags, products, keywords
         FROM kb_articles a
         WHERE category_slug = $1
           AND ($2 IS NULL OR EXISTS (SELECT 1 FROM kb_article_products p
                                      WHERE p.article_id = a.id AND p.product = $2))
         ORDER BY {}, id",
        ignoring_case(&db, "title")
    );
    let rows: Vec<IndexRow> = on_either!(db, |executor| {
        sqlx::query_as(&sql)
            .bind(category_slug)
            .bind(product)
            .fetch_all(executor)
            .await
    })?;
    Ok(rows.into_iter().map(KbIndexEntry::from).collect())
}

pub async fn category(db: impl Into<Executor<'_>>, slug: &str) -> sqlx::Result<Option<KbCategory>> {
    let row: Option<CategoryRow> = on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT category_slug AS slug, min(category_name) AS name, count(*) AS article_count
             FROM kb_articles WHERE category_slug = $1 GROUP BY category_slug",
        )
        .bind(slug)
        .fetch_optional(executor)
        .await
    })?;
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
    db: impl Into<Executor<'_>>,
) -> sqlx::Result<Vec<SearchableArticle>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT id, slug, title, summary, category_slug, category_name, products, tags,
                    keywords, body_text
             FROM kb_articles ORDER BY id",
        )
        .fetch_all(executor)
        .await
    })
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
pub async fn view(db: impl Into<Executor<'_>>, slug: &str) -> sqlx::Result<Option<ArticleRecord>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "UPDATE kb_articles SET views = views + 1 WHERE slug = $1
             RETURNING id, slug, title, summary, category_slug, products, tags, updated,
                       body_html, views, helpful, not_helpful",
        )
        .bind(slug)
        .fetch_optional(executor)
        .await
    })
}

/// Up to `limit` other articles, those sharing the most tags first, then the same category.
pub async fn related(
    db: impl Into<Executor<'_>>,
    article_id: i64,
    category_slug: &str,
    limit: u32,
) -> sqlx::Result<Vec<KbIndexEntry>> {
    // The same category scores as a CASE, not a condition: PostgreSQL adds no booleans.
    let rows: Vec<IndexRow> = on_either!(db, |executor| {
        sqlx::query_as(
            "WITH shared AS (
                 SELECT other.article_id AS id, count(*) AS tags_shared
                 FROM kb_article_tags mine
                 JOIN kb_article_tags other
                     ON other.tag = mine.tag AND other.article_id <> mine.article_id
                 WHERE mine.article_id = $1
                 GROUP BY other.article_id
             ),
             candidates AS (
                 SELECT id, tags_shared FROM shared
                 UNION ALL
                 SELECT id, 0 FROM kb_articles WHERE category_slug = $2 AND id <> $1
             ),
             scored AS (
                 SELECT id, max(tags_shared) AS tags_shared FROM candidates GROUP BY id
             )
             SELECT a.id, a.slug, a.title, a.summary, a.category_slug, a.tags, a.products,
                    a.keywords
             FROM scored JOIN kb_articles a ON a.id = scored.id
             ORDER BY scored.tags_shared * 2
                          + CASE WHEN a.category_slug = $2 THEN 1 ELSE 0 END DESC,
                      a.updated DESC, a.title
             LIMIT $3",
        )
        .bind(article_id)
        .bind(category_slug)
        .bind(i64::from(limit))
        .fetch_all(executor)
        .await
    })?;
    Ok(rows.into_iter().map(KbIndexEntry::from).collect())
}

pub async fn article_id(db: impl Into<Executor<'_>>, slug: &str) -> sqlx::Result<Option<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT id FROM kb_articles WHERE slug = $1")
            .bind(slug)
            .fetch_optional(executor)
            .await
    })
}

/// The article's counts and `voter`'s own vote.
pub async fn votes(
    db: impl Into<Executor<'_>>,
    article_id: i64,
    voter: Option<&str>,
) -> sqlx::Result<KbVotes> {
    let (helpful, not_helpful, mine): (i64, i64, Option<bool>) = on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT a.helpful, a.not_helpful,
                    (SELECT v.helpful FROM kb_votes v WHERE v.article_id = a.id AND v.voter = $2)
             FROM kb_articles a WHERE a.id = $1",
        )
        .bind(article_id)
        .bind(voter)
        .fetch_one(executor)
        .await
    })?;
    Ok(KbVotes {
        helpful: u64::try_from(helpful).unwrap_or(0),
        not_helpful: u64::try_from(not_helpful).unwrap_or(0),
        mine,
    })
}

/// Whether `voter` has a vote on any article.
pub async fn has_voted(db: impl Into<Executor<'_>>, voter: &str) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kb_votes WHERE voter = $1)")
            .bind(voter)
            .fetch_one(executor)
            .await
    })
}

/// Records or changes `voter`'s vote (triggers keep the article's counts in step).
pub async fn set_vote(
    db: impl Into<Executor<'_>>,
    article_id: i64,
    voter: &str,
    helpful: bool,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO kb_votes (article_id, voter, helpful, voted_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (article_id, voter) DO UPDATE SET
                 helpful = excluded.helpful, voted_at = excluded.voted_at",
        )
        .bind(article_id)
        .bind(voter)
        .bind(helpful)
        .bind(now)
        .execute(executor)
        .await
        .map(drop)
    })
}

pub async fn delete_vote(
    db: impl Into<Executor<'_>>,
    article_id: i64,
    voter: &str,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM kb_votes WHERE article_id = $1 AND voter = $2")
            .bind(article_id)
            .bind(voter)
            .execute(executor)
            .await
            .map(drop)
    })
}

pub async fn article_exists(db: impl Into<Executor<'_>>, slug: &str) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kb_articles WHERE slug = $1)")
            .bind(slug)
            .fetch_one(executor)
            .await
    })
}

/// `expression` as a sort key that ignores case, for lists by title or name. SQLite has its
/// NOCASE collation; PostgreSQL has none, and `lower()` sorted in the "C" collation (bytes)
/// gives SQLite's order whatever the cluster's locale, so both backends list alike (its
/// `lower()` folds letters beyond ASCII too, which NOCASE leaves).
fn ignoring_case(db: &Executor<'_>, expression: &str) -> String {
    match db {
        Executor::Sqlite(_) => format!("{expression} COLLATE NOCASE"),
        Executor::Postgres(_) => format!("lower({expression}) COLLATE \"C\""),
    }
}

/// A key of PostgreSQL's advisory locks, this server's import of the knowledge base: the
/// ASCII of `lantkb`.
const IMPORT_LOCK: i64 = 0x6c61_6e74_6b62;

/// Makes the import in `transaction` the only one until it ends. On PostgreSQL an advisory
/// lock, so the imports of servers starting at once take turns: each reads what the one
/// before stored (renames, unchanged files) and builds the index from the articles it leaves.
/// SQLite needs nothing: its write transaction excludes every other writer from the start.
pub async fn lock_import(transaction: &mut super::WriteTransaction) -> sqlx::Result<()> {
    match Executor::from(transaction) {
        Executor::Sqlite(_) => Ok(()),
        Executor::Postgres(executor) => sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(IMPORT_LOCK)
            .execute(executor)
            .await
            .map(drop),
    }
}

/// One of a reader's votes, with the article it is on (the person's data export).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct VoteOf {
    pub slug: String,
    pub title: String,
    pub helpful: bool,
    pub voted_at: i64,
}

/// Every vote of `voter`, the newest first.
pub async fn votes_of(db: impl Into<Executor<'_>>, voter: &str) -> sqlx::Result<Vec<VoteOf>> {
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT a.slug, a.title, v.helpful, v.voted_at
             FROM kb_votes v JOIN kb_articles a ON a.id = v.article_id
             WHERE v.voter = $1 ORDER BY v.voted_at DESC, a.slug",
        )
        .bind(voter)
        .fetch_all(executor)
        .await
    })
}

/// Removes every vote of `voter` (a deleted account's); the triggers take them off the counts.
pub async fn delete_votes_of(db: impl Into<Executor<'_>>, voter: &str) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("DELETE FROM kb_votes WHERE voter = $1")
            .bind(voter)
            .execute(executor)
            .await
            .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::db::WriteGate;
    use crate::test_support::TestDatabases;

    /// An article as the tests store it: the category's slug is its name, lower-cased.
    struct Article<'a> {
        slug: &'a str,
        title: &'a str,
        category: &'a str,
        products: &'a [&'a str],
        tags: &'a [&'a str],
        updated: &'a str,
    }

    impl Default for Article<'_> {
        fn default() -> Self {
            Self {
                slug: "an-article",
                title: "An article",
                category: "General",
                products: &[],
                tags: &[],
                updated: "2026-03-01",
            }
        }
    }

    async fn store(db: impl Into<Executor<'_>>, article: Article<'_>) -> i64 {
        let owned = |items: &[&str]| {
            items
                .iter()
                .map(|&item| item.to_owned())
                .collect::<Vec<_>>()
        };
        let (products, tags) = (owned(article.products), owned(article.tags));
        let mut db = db.into();
        upsert(
            db.reborrow(),
            &NewArticle {
                slug: article.slug,
                title: article.title,
                summary: "A summary.",
                category_slug: &article.category.to_lowercase(),
                category_name: article.category,
                products: &products,
                tags: &tags,
                keywords: &[],
                updated: article.updated,
                body_md: "Body.",
                body_html: "<p>Body.</p>",
                body_text: "Body.",
                content_hash: &format!("hash of {}", article.title),
                source_file: &format!("{}.md", article.slug),
            },
        )
        .await
        .expect("the article is stored");
        article_id(db, article.slug)
            .await
            .expect("a query")
            .expect("the stored article")
    }

    fn slugs(entries: &[KbIndexEntry]) -> Vec<&str> {
        entries.iter().map(|entry| entry.slug.as_str()).collect()
    }

    #[tokio::test]
    async fn an_upsert_keeps_the_article_s_id_views_and_votes() {
        TestDatabases::each(async |db| {
            let id = store(db, Article::default()).await;
            assert_eq!(view(db, "an-article").await.unwrap().unwrap().views, 1);
            set_vote(db, id, "browser:a", true, 10).await.unwrap();
            set_vote(db, id, "browser:b", true, 10).await.unwrap();
            set_vote(db, id, "browser:b", false, 11).await.unwrap();
            assert!(has_voted(db, "browser:b").await.unwrap());
            assert!(!has_voted(db, "browser:c").await.unwrap());

            let revised = Article {
                title: "A revised article",
                ..Article::default()
            };
            assert_eq!(store(db, revised).await, id);
            let record = view(db, "an-article").await.unwrap().unwrap();
            assert_eq!(
                (record.title.as_str(), record.views),
                ("A revised article", 2)
            );
            let counted = votes(db, id, Some("browser:b")).await.unwrap();
            assert_eq!(
                (counted.helpful, counted.not_helpful, counted.mine),
                (1, 1, Some(false))
            );
            delete_vote(db, id, "browser:b").await.unwrap();
            let counted = votes(db, id, Some("browser:b")).await.unwrap();
            assert_eq!(
                (counted.helpful, counted.not_helpful, counted.mine),
                (1, 0, None)
            );
            assert!(article_exists(db, "an-article").await.unwrap());
            assert!(view(db, "nothing").await.unwrap().is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn an_import_keeps_the_listed_slugs_and_remembers_renamed_and_removed_ones() {
        TestDatabases::each(async |db| {
            for slug in ["alpha", "bravo", "charlie", "delta"] {
                store(
                    db,
                    Article {
                        slug,
                        ..Article::default()
                    },
                )
                .await;
            }
            rename(db, "bravo", "bravo-2").await.unwrap();
            rename(db, "bravo-2", "bravo-3").await.unwrap();
            let keep = ["alpha", "bravo-3", "charlie", "not-stored"].map(str::to_owned);
            assert_eq!(delete_all_except(db, &keep).await.unwrap(), 1);

            let mut left = stored_sources(db).await.unwrap();
            left.sort_by(|a, b| a.slug.cmp(&b.slug));
            let left: Vec<&str> = left.iter().map(|source| source.slug.as_str()).collect();
            assert_eq!(left, ["alpha", "bravo-3", "charlie"]);
            let renamed = Some(RetiredSlug::RenamedTo("bravo-3".to_owned()));
            assert_eq!(retired_slug(db, "bravo").await.unwrap(), renamed);
            assert_eq!(retired_slug(db, "bravo-2").await.unwrap(), renamed);
            assert_eq!(
                retired_slug(db, "delta").await.unwrap(),
                Some(RetiredSlug::Removed)
            );
            assert_eq!(retired_slug(db, "alpha").await.unwrap(), None);

            // bravo-3 goes: the addresses that led to it lead nowhere now. delta is back.
            store(
                db,
                Article {
                    slug: "delta",
                    ..Article::default()
                },
            )
            .await;
            let keep = ["alpha", "charlie", "delta"].map(str::to_owned);
            assert_eq!(delete_all_except(db, &keep).await.unwrap(), 1);
            for slug in ["bravo", "bravo-2", "bravo-3"] {
                assert_eq!(
                    retired_slug(db, slug).await.unwrap(),
                    Some(RetiredSlug::Removed),
                    "{slug}"
                );
            }
            assert_eq!(retired_slug(db, "delta").await.unwrap(), None);

            assert_eq!(delete_all_except(db, &[]).await.unwrap(), 3);
            assert_eq!(published_summary(db).await.unwrap(), (0, None));
        })
        .await;
    }

    #[tokio::test]
    async fn lists_by_title_and_by_name_ignore_case_and_sort_as_sqlite_does() {
        TestDatabases::each(async |db| {
            // Byte order after folding case: space, then '-', then letters; a sort by the
            // database's locale, or one that minds case, puts them otherwise.
            for (slug, title, category) in [
                ("upper", "Ab", "beta"),
                ("dash", "a-c", "Alpha"),
                ("space", "a b", "a-z"),
                ("other", "B", "beta"),
            ] {
                let products: &[&str] = if slug == "other" { &[] } else { &["harbor"] };
                store(
                    db,
                    Article {
                        slug,
                        title,
                        category,
                        products,
                        ..Article::default()
                    },
                )
                .await;
            }
            let entries = index_entries(db).await.unwrap();
            assert_eq!(slugs(&entries), ["space", "dash", "upper", "other"]);
            let in_beta = category_entries(db, "beta", None).await.unwrap();
            assert_eq!(slugs(&in_beta), ["upper", "other"]);
            let about_harbor = category_entries(db, "beta", Some("harbor")).await.unwrap();
            assert_eq!(slugs(&about_harbor), ["upper"]);

            let counts = |categories: Vec<KbCategory>| -> Vec<(String, u32)> {
                categories
                    .into_iter()
                    .map(|category| (category.name, category.article_count))
                    .collect()
            };
            let named = |name: &str, count: u32| (name.to_owned(), count);
            assert_eq!(
                counts(categories_about(db, None).await.unwrap()),
                [named("a-z", 1), named("Alpha", 1), named("beta", 2)]
            );
            assert_eq!(
                counts(categories_about(db, Some("harbor")).await.unwrap()),
                [named("a-z", 1), named("Alpha", 1), named("beta", 1)]
            );
            assert_eq!(
                counts(categories_about(db, Some("nothing")).await.unwrap()),
                [named("a-z", 0), named("Alpha", 0), named("beta", 0)]
            );
            let beta = category(db, "beta").await.unwrap().unwrap();
            assert_eq!((beta.name.as_str(), beta.article_count), ("beta", 2));
            assert_eq!(article_products(db).await.unwrap(), ["harbor"]);
        })
        .await;
    }

    #[tokio::test]
    async fn related_articles_share_tags_whatever_their_case_then_the_category() {
        TestDatabases::each(async |db| {
            let mine = store(
                db,
                Article {
                    slug: "mine",
                    category: "Backup",
                    tags: &["restore", "Vault"],
                    ..Article::default()
                },
            )
            .await;
            let stored = [
                ("two-tags", "Sync", &["RESTORE", "vault"][..], "2026-01-01"),
                ("one-tag", "Sync", &["restore"][..], "2026-01-01"),
                ("same-category-newer", "Backup", &[][..], "2026-02-01"),
                ("same-category", "Backup", &[][..], "2026-01-01"),
                ("unrelated", "Sync", &["other"][..], "2026-01-01"),
            ];
            for (slug, category, tags, updated) in stored {
                store(
                    db,
                    Article {
                        slug,
                        category,
                        tags,
                        updated,
                        ..Article::default()
                    },
                )
                .await;
            }
            // Two shared tags score 4, one 2, the same category 1 (and breaks ties).
            let related_ones = related(db, mine, "backup", 5).await.unwrap();
            assert_eq!(
                slugs(&related_ones),
                [
                    "two-tags",
                    "one-tag",
                    "same-category-newer",
                    "same-category"
                ]
            );
            let first_two = related(db, mine, "backup", 2).await.unwrap();
            assert_eq!(slugs(&first_two), ["two-tags", "one-tag"]);
        })
        .await;
    }

    #[tokio::test]
    async fn the_index_synonyms_and_sitemap_come_back_as_stored() {
        TestDatabases::each(async |db| {
            assert_eq!(stored_index(db).await.unwrap(), None);
            assert_eq!(synonyms(db).await.unwrap(), SynonymGroups::new());
            set_index(db, "\"v1\"", "{}").await.unwrap();
            set_index(db, "\"v2\"", "[]").await.unwrap();
            assert_eq!(index_etag(db).await.unwrap().as_deref(), Some("\"v2\""));
            assert_eq!(
                stored_index(db).await.unwrap(),
                Some(("\"v2\"".to_owned(), "[]".to_owned()))
            );
            let groups = vec![vec!["restore".to_owned(), "recover".to_owned()]];
            set_synonyms(db, &groups).await.unwrap();
            assert_eq!(synonyms(db).await.unwrap(), groups);

            for (slug, updated) in [
                ("a", "2026-01-02"),
                ("b", "2026-03-04"),
                ("c", "2026-02-03"),
            ] {
                store(
                    db,
                    Article {
                        slug,
                        updated,
                        ..Article::default()
                    },
                )
                .await;
            }
            assert_eq!(
                published_summary(db).await.unwrap(),
                (3, Some("2026-03-04".to_owned()))
            );
            let page: Vec<String> = sitemap_entries(db, 1, 5)
                .await
                .unwrap()
                .into_iter()
                .map(|entry| entry.slug)
                .collect();
            assert_eq!(page, ["b", "c"]);
            assert_eq!(sitemap_entries(db, 0, 1).await.unwrap()[0].slug, "a");
            let searchable = searchable_articles(db).await.unwrap();
            assert_eq!(searchable.len(), 3);
            let b = stored_version(db, "b").await.unwrap().unwrap();
            assert_eq!(
                (b.source_file.as_str(), b.content_hash.as_str()),
                ("b.md", "hash of An article")
            );
        })
        .await;
    }

    #[tokio::test]
    async fn imports_of_two_servers_take_turns() {
        TestDatabases::each(async |db| {
            let mut first = WriteGate::default().begin(db).await.unwrap();
            lock_import(&mut first).await.unwrap();
            store(&mut first, Article::default()).await;

            // Another server: a gate of its own. On SQLite `BEGIN IMMEDIATE` waits (in the
            // busy handler), on PostgreSQL the advisory lock.
            let other_server = db.clone();
            let second = tokio::spawn(async move {
                let mut second = WriteGate::default().begin(&other_server).await.unwrap();
                lock_import(&mut second).await.unwrap();
                let seen = stored_version(&mut second, "an-article").await.unwrap();
                second.commit().await.unwrap();
                seen
            });
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(
                !second.is_finished(),
                "the second import waits for the first"
            );
            first.commit().await.unwrap();
            let seen = tokio::time::timeout(Duration::from_secs(5), second)
                .await
                .expect("the second import goes on once the first is done")
                .unwrap();
            assert!(
                seen.is_some(),
                "the second import reads what the first stored"
            );
        })
        .await;
    }
}
