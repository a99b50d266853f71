//! The knowledge base: article files → database (`import`), rendering (`render`), full-text
//! search (`query` + [`search`]), the article page ([`article`]) and reader votes.
//! Handlers in `api::kb` are thin wrappers around the functions here.

pub mod cache;
pub mod front_matter;
pub mod generate;
pub mod import;
pub mod query;
pub mod render;
#[cfg(test)]
mod testing;

use lantern_core::api::{KbArticle, KbCategory, KbSearchHit, KbSearchResults, KbVotes};
use sqlx::SqlitePool;

use crate::db;
use crate::db::kb::{MATCH_END, MATCH_START, SearchFilter, SearchRow};
use crate::error::{AppError, AppResult};
use query::{MAX_QUERY_CHARS, Match, fts_query};
use render::escape_html;

/// How many related articles an article page lists.
const RELATED_LIMIT: u32 = 5;
/// Hits per search when the request does not say.
pub const DEFAULT_SEARCH_LIMIT: u32 = 10;
const MAX_SEARCH_LIMIT: u32 = 50;

/// What a full-text search asks for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest<'a> {
    pub query: &'a str,
    pub product: Option<&'a str>,
    pub category: Option<&'a str>,
    pub limit: Option<u32>,
}

/// The compact index as JSON with its ETag: as stored by the last import, or built now when
/// nothing was imported yet.
pub async fn index(db: &SqlitePool) -> AppResult<(String, String)> {
    if let Some(stored) = db::kb::stored_index(db).await? {
        return Ok(stored);
    }
    let mut connection = db.acquire().await?;
    Ok(import::build_index(&mut connection).await?)
}

/// Full-text search. All words must match; when that finds nothing, any word may match, so a
/// long question still finds the articles that share its important words.
pub async fn search(db: &SqlitePool, request: &SearchRequest<'_>) -> AppResult<KbSearchResults> {
    let query = validate_query(request.query)?;
    let filter = SearchFilter {
        product: request.product.filter(|value| !value.is_empty()),
        category: request.category.filter(|value| !value.is_empty()),
    };
    let limit = request
        .limit
        .unwrap_or(DEFAULT_SEARCH_LIMIT)
        .clamp(1, MAX_SEARCH_LIMIT);
    let mut rows = Vec::new();
    let mut tried: Option<String> = None;
    for mode in [Match::All, Match::Any] {
        let Some(fts) = fts_query(query, mode) else {
            break;
        };
        if tried.as_ref() == Some(&fts) {
            break; // a one-word query: "any" is the same query again
        }
        rows = db::kb::search(db, &fts, &filter, limit).await?;
        if !rows.is_empty() {
            break;
        }
        tried = Some(fts);
    }
    Ok(KbSearchResults {
        query: query.to_owned(),
        hits: rows.into_iter().map(search_hit).collect(),
    })
}

fn validate_query(query: &str) -> AppResult<&str> {
    let query = query.trim();
    if query.is_empty() {
        return Err(AppError::field("q", "Enter something to search for."));
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::field(
            "q",
            format!("Use at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    Ok(query)
}

fn search_hit(row: SearchRow) -> KbSearchHit {
    KbSearchHit {
        id: row.id,
        slug: row.slug,
        title: row.title,
        category: row.category_slug,
        snippet_html: highlighted_snippet(&row.snippet),
        score: row.score,
    }
}

/// Escapes the raw snippet as a whole, then turns the match markers into `<mark>` elements:
/// article text can never become markup, and every `<mark>` is closed.
pub fn highlighted_snippet(raw: &str) -> String {
    let mut html = String::with_capacity(raw.len() + 32);
    let mut open = false;
    for part in raw.split_inclusive([MATCH_START, MATCH_END]) {
        let (text, marker) = match part.chars().last() {
            Some(last @ (MATCH_START | MATCH_END)) => {
                (&part[..part.len() - last.len_utf8()], Some(last))
            }
            _ => (part, None),
        };
        html.push_str(&escape_html(text));
        match marker {
            Some(MATCH_START) if !open => {
                html.push_str("<mark>");
                open = true;
            }
            Some(MATCH_END) if open => {
                html.push_str("</mark>");
                open = false;
            }
            _ => {}
        }
    }
    if open {
        html.push_str("</mark>");
    }
    html
}

/// Who votes: a signed-in person, else a browser (by its `lantern_browser` cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Voter {
    User(i64),
    Browser(String),
}

impl Voter {
    fn key(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Browser(id) => format!("browser:{id}"),
        }
    }
}

/// The article page: counts a view and gathers category, votes and related articles.
pub async fn article(db: &SqlitePool, slug: &str, voter: Option<&Voter>) -> AppResult<KbArticle> {
    let record = db::kb::view(db, slug)
        .await?
        .ok_or_else(|| article_not_found(slug))?;
    let category = db::kb::category(db, &record.category_slug)
        .await?
        .unwrap_or_else(|| KbCategory {
            slug: record.category_slug.clone(),
            name: record.category_slug.clone(),
            article_count: 1,
        });
    let voter_key = voter.map(Voter::key);
    let votes = db::kb::votes(db, record.id, voter_key.as_deref()).await?;
    let related = db::kb::related(db, record.id, &record.category_slug, RELATED_LIMIT).await?;
    Ok(KbArticle {
        id: record.id,
        products: record.product_list(),
        tags: record.tag_list(),
        slug: record.slug,
        title: record.title,
        summary: record.summary,
        category,
        updated: record.updated,
        body_html: record.body_html,
        views: u64::try_from(record.views).unwrap_or(0),
        votes,
        related,
    })
}

/// Records or changes a vote; `None` removes it.
pub async fn vote(
    db: &SqlitePool,
    slug: &str,
    voter: &Voter,
    helpful: Option<bool>,
    now: i64,
) -> AppResult<KbVotes> {
    let article_id = db::kb::article_id(db, slug)
        .await?
        .ok_or_else(|| article_not_found(slug))?;
    let key = voter.key();
    match helpful {
        Some(helpful) => db::kb::set_vote(db, article_id, &key, helpful, now).await?,
        None => db::kb::delete_vote(db, article_id, &key).await?,
    }
    Ok(db::kb::votes(db, article_id, Some(&key)).await?)
}

fn article_not_found(slug: &str) -> AppError {
    AppError::not_found(format!("There is no article “{slug}”."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_before_they_are_marked() {
        let raw = format!(
            "<img onerror=x> {MATCH_START}restore{MATCH_END} & {MATCH_START}backup{MATCH_END}"
        );
        assert_eq!(
            highlighted_snippet(&raw),
            "&lt;img onerror=x&gt; <mark>restore</mark> &amp; <mark>backup</mark>"
        );
    }

    #[test]
    fn unbalanced_markers_still_give_balanced_marks() {
        assert_eq!(
            highlighted_snippet(&format!("a{MATCH_START}b")),
            "a<mark>b</mark>"
        );
        assert_eq!(highlighted_snippet(&format!("a{MATCH_END}b")), "ab");
    }

    async fn slugs_for(db: &SqlitePool, request: SearchRequest<'_>) -> Vec<String> {
        let results = search(db, &request).await.expect("a search");
        results.hits.into_iter().map(|hit| hit.slug).collect()
    }

    fn query(text: &str) -> SearchRequest<'_> {
        SearchRequest {
            query: text,
            ..SearchRequest::default()
        }
    }

    #[tokio::test]
    async fn a_title_match_outranks_body_only_matches() {
        let (_temp, db) = testing::searchable_base().await;
        // "restore" appears three times in the body of vault-quota, once in the title of
        // restore-a-backup (plus the summary, which repeats the title).
        let slugs = slugs_for(&db, query("restore")).await;
        assert_eq!(
            slugs.first().map(String::as_str),
            Some("restore-a-backup"),
            "{slugs:?}"
        );
        assert!(
            slugs.contains(&"vault-quota".to_owned())
                && slugs.contains(&"sync-conflicts".to_owned())
        );
    }

    #[tokio::test]
    async fn the_last_word_is_a_prefix_and_codes_are_found() {
        let (_temp, db) = testing::searchable_base().await;
        assert_eq!(
            slugs_for(&db, query("resto"))
                .await
                .first()
                .map(String::as_str),
            Some("restore-a-backup")
        );
        assert_eq!(slugs_for(&db, query("HB-30")).await, ["vault-quota"]);
        let typed_halfway = slugs_for(&db, query("restore a back")).await;
        assert_eq!(
            typed_halfway.first().map(String::as_str),
            Some("restore-a-backup"),
            "{typed_halfway:?}"
        );
        assert!(!typed_halfway.contains(&"sftp-keys".to_owned()));
    }

    #[tokio::test]
    async fn filters_narrow_by_product_and_category() {
        let (_temp, db) = testing::searchable_base().await;
        let by_product = SearchRequest {
            product: Some("relay-sync"),
            ..query("restore")
        };
        assert_eq!(slugs_for(&db, by_product).await, ["sync-conflicts"]);
        let by_category = SearchRequest {
            category: Some("error-codes"),
            ..query("restore")
        };
        assert_eq!(slugs_for(&db, by_category).await, ["vault-quota"]);
    }

    #[tokio::test]
    async fn any_input_is_a_valid_query_and_snippets_are_safe() {
        let (_temp, db) = testing::searchable_base().await;
        for input in [
            "\"unbalanced (NOT",
            "AND OR NOT",
            "title:restore",
            "*",
            "a\"b\"c",
            "NEAR(x y)",
            "ünïcödé",
            "ý\u{0}8\u{95}m",
        ] {
            search(&db, &query(input))
                .await
                .unwrap_or_else(|error| panic!("{input:?}: {error}"));
        }
        let results = search(&db, &query("partner")).await.expect("a search");
        let snippet = &results.hits[0].snippet_html;
        assert!(snippet.contains("<mark>partner</mark>"), "{snippet}");
        assert!(!snippet.contains("<script"), "{snippet}");
    }

    #[tokio::test]
    async fn a_long_question_falls_back_to_any_word() {
        let (_temp, db) = testing::searchable_base().await;
        let slugs = slugs_for(&db, query("how do I restore my laptop ")).await;
        assert!(slugs.contains(&"restore-a-backup".to_owned()), "{slugs:?}");
    }

    #[test]
    fn queries_are_validated() {
        assert!(validate_query("   ").is_err());
        assert!(validate_query(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert_eq!(validate_query("  restore ").ok(), Some("restore"));
    }
}
