//! The knowledge base: article files → database (`import`), rendering (`render`), the ranking
//! engine behind full-text search and ticket suggestions (`engine`, with [`search`] and
//! [`suggest`]), the article page ([`article`]) and reader votes.
//! Handlers in `api::kb` are thin wrappers around the functions here.

pub mod cache;
pub mod engine;
pub mod front_matter;
pub mod generate;
pub mod import;
pub mod render;
#[cfg(test)]
mod testing;

use lantern_core::api::{
    KbArticle, KbCategory, KbSearchHit, KbSearchResults, KbSuggestion, KbSuggestionRequest,
    KbSuggestions, KbVotes, MatchConfidence,
};
use lantern_core::policy::Policy;
use lantern_core::search::MAX_QUERY_CHARS;
use lantern_core::ticket::{MAX_LONG_TEXT_LENGTH, MAX_SUBJECT_LENGTH};

use crate::db::{self, Db};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::rate_limits::RateLimiters;
use engine::{Engine, Filter, QuestionPart};

/// How many related articles an article page lists.
const RELATED_LIMIT: u32 = 5;
/// Hits per search when the request does not say.
pub const DEFAULT_SEARCH_LIMIT: u32 = 10;
const MAX_SEARCH_LIMIT: u32 = 50;
/// The most articles the ticket wizard suggests.
pub const SUGGESTION_LIMIT: usize = 5;

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
pub async fn index(db: &Db) -> AppResult<(String, String)> {
    if let Some(stored) = db::kb::stored_index(db).await? {
        return Ok(stored);
    }
    let mut connection = db.acquire().await?;
    Ok(import::build_index(&mut connection).await?)
}

/// Full-text search: the best articles for what the reader typed, each strong or partial.
pub fn search(engine: &Engine, request: &SearchRequest<'_>) -> AppResult<KbSearchResults> {
    let query = validate_query(request.query)?;
    let filter = Filter {
        product: request.product.filter(|value| !value.is_empty()),
        category: request.category.filter(|value| !value.is_empty()),
    };
    let limit = request
        .limit
        .unwrap_or(DEFAULT_SEARCH_LIMIT)
        .clamp(1, MAX_SEARCH_LIMIT);
    let hits = engine
        .search(
            &[QuestionPart::search(request.query)],
            filter,
            limit as usize,
        )
        .map_err(search_failed)?;
    Ok(KbSearchResults {
        query: query.to_owned(),
        hits: hits
            .into_iter()
            .map(|hit| KbSearchHit {
                id: hit.article.id,
                slug: hit.article.slug.clone(),
                title: hit.article.title.clone(),
                category: hit.article.category_slug.clone(),
                snippet_html: hit.snippet_html,
                score: f64::from(hit.score),
                confidence: hit.confidence,
            })
            .collect(),
        search_id: None,
    })
}

/// The articles that may answer a ticket before it is filed: strong matches only, so a
/// subject of "x" gets none.
pub fn suggest(
    engine: &Engine,
    policy: &Policy,
    request: &KbSuggestionRequest,
) -> AppResult<KbSuggestions> {
    let case_type_name = validate_suggestion_request(policy, request)?;
    let mut parts = vec![
        QuestionPart::subject(&request.subject),
        QuestionPart::description(&request.description),
    ];
    parts.extend(case_type_name.map(QuestionPart::hint));
    let filter = Filter {
        product: request.product.as_deref(),
        category: None,
    };
    let hits = engine
        .search(&parts, filter, SUGGESTION_LIMIT)
        .map_err(search_failed)?;
    Ok(KbSuggestions {
        articles: hits
            .into_iter()
            .filter(|hit| hit.confidence == MatchConfidence::Strong)
            .map(|hit| KbSuggestion {
                id: hit.article.id,
                slug: hit.article.slug.clone(),
                title: hit.article.title.clone(),
                category: hit.article.category_slug.clone(),
                summary: hit.article.summary.clone(),
                confidence: hit.confidence,
            })
            .collect(),
        search_id: None,
    })
}

/// Checks the lengths, product and case type; gives the case type's name.
fn validate_suggestion_request<'p>(
    policy: &'p Policy,
    request: &KbSuggestionRequest,
) -> AppResult<Option<&'p str>> {
    let mut fields = FieldErrors::new();
    if request.subject.chars().count() > MAX_SUBJECT_LENGTH {
        fields.add(
            "subject",
            format!("Use at most {MAX_SUBJECT_LENGTH} characters."),
        );
    }
    if request.description.chars().count() > MAX_LONG_TEXT_LENGTH {
        fields.add(
            "description",
            format!("Use at most {MAX_LONG_TEXT_LENGTH} characters."),
        );
    }
    if let Some(product) = &request.product
        && policy.products.get(product).is_none()
    {
        fields.add("product", format!("There is no product “{product}”."));
    }
    let case_type = match &request.case_type {
        Some(id) => match policy.case_types.get(id) {
            Some(case_type) => Some(case_type.name.as_str()),
            None => {
                fields.add("case_type", format!("There is no case type “{id}”."));
                None
            }
        },
        None => None,
    };
    if fields.is_empty() {
        Ok(case_type)
    } else {
        Err(AppError::fields(fields))
    }
}

/// A failure inside the engine is a bug or a lack of memory, never the reader's input.
fn search_failed(error: tantivy::TantivyError) -> AppError {
    AppError::Internal(anyhow::anyhow!("the search failed: {error}"))
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

/// Who votes: a signed-in person, else a browser (by its `lantern_browser` cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Voter {
    User(i64),
    Browser(String),
}

impl Voter {
    pub fn key(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Browser(id) => format!("browser:{id}"),
        }
    }
}

/// The article page: counts a view and gathers category, votes and related articles.
pub async fn article(db: &Db, slug: &str, voter: Option<&Voter>) -> AppResult<KbArticle> {
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

/// Refuses, beyond the per-address limit, a vote of a reader without an account who has not
/// voted before: without a `lantern_browser` cookie, or with one that no vote carries (a made-up
/// cookie is as easy as none). Returning readers and people with accounts vote freely.
pub async fn check_new_anonymous_voter(
    db: &Db,
    limiters: &RateLimiters,
    voter: &Voter,
    address: &str,
) -> AppResult<()> {
    match voter {
        Voter::User(_) => Ok(()),
        Voter::Browser(_) if db::kb::has_voted(db, &voter.key()).await? => Ok(()),
        Voter::Browser(_) => limiters.new_anonymous_voter(address),
    }
}

/// Records or changes a vote; `None` removes it.
pub async fn vote(
    db: &Db,
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

    use crate::kb::testing::searchable_engine;
    use crate::test_support::TestDatabases;

    fn slugs_for(engine: &Engine, request: SearchRequest<'_>) -> Vec<String> {
        let results = search(engine, &request).expect("a search");
        results.hits.into_iter().map(|hit| hit.slug).collect()
    }

    fn query(text: &str) -> SearchRequest<'_> {
        SearchRequest {
            query: text,
            ..SearchRequest::default()
        }
    }

    fn first(engine: &Engine, text: &str) -> Option<String> {
        slugs_for(engine, query(text)).into_iter().next()
    }

    #[tokio::test]
    async fn a_title_match_outranks_body_only_matches() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            // "restore" appears three times in the body of vault-quota, once in the title of
            // restore-a-backup (plus the summary, which repeats the title).
            let slugs = slugs_for(&engine, query("restore"));
            assert_eq!(
                slugs.first().map(String::as_str),
                Some("restore-a-backup"),
                "{slugs:?}"
            );
            assert!(
                slugs.contains(&"vault-quota".to_owned())
                    && slugs.contains(&"sync-conflicts".to_owned())
            );
        })
        .await;
    }

    #[tokio::test]
    async fn the_last_word_is_a_prefix_and_codes_are_found() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            assert_eq!(first(&engine, "resto").as_deref(), Some("restore-a-backup"));
            assert_eq!(first(&engine, "HB-3001").as_deref(), Some("vault-quota"));
            assert_eq!(first(&engine, "hb-300").as_deref(), Some("vault-quota"));
            let typed_halfway = slugs_for(&engine, query("restore a back"));
            assert_eq!(
                typed_halfway.first().map(String::as_str),
                Some("restore-a-backup"),
                "{typed_halfway:?}"
            );
            assert!(!typed_halfway.contains(&"sftp-keys".to_owned()));
        })
        .await;
    }

    #[tokio::test]
    async fn typos_and_synonyms_find_the_article() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            assert_eq!(
                first(&engine, "restor a bakcup ").as_deref(),
                Some("restore-a-backup")
            );
            assert_eq!(
                first(&engine, "recover my laptop ").as_deref(),
                Some("restore-a-backup")
            );
            assert_eq!(
                first(&engine, "conflcited copies").as_deref(),
                Some("sync-conflicts")
            );
        })
        .await;
    }

    #[tokio::test]
    async fn filters_narrow_by_product_and_category() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            let by_product = SearchRequest {
                product: Some("relay-sync"),
                ..query("restore")
            };
            assert_eq!(slugs_for(&engine, by_product), ["sync-conflicts"]);
            let by_category = SearchRequest {
                category: Some("error-codes"),
                ..query("restore")
            };
            assert_eq!(slugs_for(&engine, by_category), ["vault-quota"]);
        })
        .await;
    }

    #[tokio::test]
    async fn any_input_is_a_valid_query_and_snippets_are_safe() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            for input in [
                "\"unbalanced (NOT",
                "AND OR NOT",
                "title:restore",
                "*",
                "a\"b\"c",
                "NEAR(x y)",
                "ünïcödé",
                "ý\u{0}8\u{95}m",
                "the is a",
            ] {
                search(&engine, &query(input)).unwrap_or_else(|error| panic!("{input:?}: {error}"));
            }
            let results = search(&engine, &query("partner scripts")).expect("a search");
            let snippet = &results.hits[0].snippet_html;
            assert!(
                snippet.contains("<mark>partner</mark> <mark>scripts</mark>"),
                "{snippet}"
            );
            // Rendering dropped the body's `<script>` element; what is left is text.
            assert!(snippet.contains("passwords for alert(1)"), "{snippet}");
            assert!(!snippet.contains("<script"), "{snippet}");
        })
        .await;
    }

    #[tokio::test]
    async fn stop_words_neither_match_nor_are_marked() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            assert!(
                search(&engine, &query("is the a "))
                    .expect("a search")
                    .hits
                    .is_empty()
            );
            let results = search(&engine, &query("a restore is ")).expect("a search");
            for hit in &results.hits {
                assert!(
                    !hit.snippet_html.contains("<mark>a</mark>"),
                    "{}",
                    hit.snippet_html
                );
                assert!(
                    !hit.snippet_html.contains("<mark>is</mark>"),
                    "{}",
                    hit.snippet_html
                );
            }
        })
        .await;
    }

    #[tokio::test]
    async fn a_long_question_finds_its_article_and_an_unknown_topic_is_no_strong_match() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            let results = search(&engine, &query("how do I restore a backup from the agent "))
                .expect("a search");
            assert_eq!(results.hits[0].slug, "restore-a-backup");
            assert_eq!(results.hits[0].confidence, MatchConfidence::Strong);
            let unknown = search(&engine, &query("restore kubernetes volumes ")).expect("a search");
            assert!(!unknown.hits.is_empty());
            assert!(
                unknown
                    .hits
                    .iter()
                    .all(|hit| hit.confidence == MatchConfidence::Partial),
                "{unknown:?}"
            );
        })
        .await;
    }

    #[tokio::test]
    async fn suggestions_are_strong_matches_only() {
        TestDatabases::each(async |db| {
            let engine = searchable_engine(db).await;
            let policy = crate::policy_file::load(&crate::policy_file::default_path())
                .expect("the demo policy");
            let ask = |subject: &str, description: &str| {
                let request = KbSuggestionRequest {
                    subject: subject.to_owned(),
                    description: description.to_owned(),
                    ..KbSuggestionRequest::default()
                };
                suggest(&engine, &policy, &request).expect("suggestions")
            };
            assert!(ask("x", "").articles.is_empty());
            let found = ask(
                "Restore a backup",
                "Hi team, I need to recover last week's files from the agent onto a new laptop, \
             picking a point in time before the files were damaged. Thanks!",
            );
            assert_eq!(
                found.articles.first().map(|a| a.slug.as_str()),
                Some("restore-a-backup")
            );
            let unknown_product = KbSuggestionRequest {
                subject: "restore".to_owned(),
                product: Some("nope".to_owned()),
                ..KbSuggestionRequest::default()
            };
            let error =
                suggest(&engine, &policy, &unknown_product).expect_err("an unknown product");
            assert!(error.to_string().contains("Some fields"), "{error}");
        })
        .await;
    }

    #[test]
    fn queries_are_validated() {
        assert!(validate_query("   ").is_err());
        assert!(validate_query(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert_eq!(validate_query("  restore ").ok(), Some("restore"));
    }
}
