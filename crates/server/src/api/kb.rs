//! The knowledge base: `GET /kb/index`, `GET /kb/search`, `POST /kb/suggestions`,
//! `GET /kb/articles/{slug}`, `PUT|DELETE /kb/articles/{slug}/vote`. The logic lives in
//! `crate::kb`.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lantern_core::api::{
    KbArticle, KbIndex, KbSearchResults, KbSuggestionRequest, KbSuggestions, KbVoteRequest, KbVotes,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::session::{cookie, set_cookie};
use crate::analytics::ids::Visit;
use crate::analytics::recorder::ActivityKind;
use crate::auth::MaybeUser;
use crate::error::AppResult;
use crate::extract::{ClientAddr, Json, Path, Query};
use crate::kb::{self, SearchRequest, Voter};
use crate::metrics;
use crate::state::AppState;
use crate::tokens::new_token;
use crate::web::etag_matches;

/// The cookie that tells anonymous readers apart for "Was this helpful?".
pub const BROWSER_COOKIE: &str = "lantern_browser";
const BROWSER_COOKIE_MAX_AGE: i64 = 365 * 24 * 60 * 60;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index))
        .routes(routes!(search))
        .routes(routes!(suggestions))
        .routes(routes!(article))
        .routes(routes!(vote, remove_vote))
}

/// The compact index for instant search. Revalidated on every visit (`no-cache`) so a
/// returning reader pays only a `304 Not Modified` until the articles change.
#[utoipa::path(get, path = "/kb/index", tag = "knowledge base",
    responses(
        (status = 200, description = "Every article in compact form, and the categories with their article counts", body = KbIndex),
        (status = 304, description = "The index matches the `If-None-Match` ETag"),
    ))]
pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(etag) = crate::db::kb::index_etag(&state.database).await?
        && etag_matches(&headers, &etag)
    {
        return Ok(with_cache_headers(
            StatusCode::NOT_MODIFIED.into_response(),
            &etag,
        ));
    }
    let (etag, json) = kb::index(&state.database).await?;
    let response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        Body::from(json),
    )
        .into_response();
    Ok(with_cache_headers(response, &etag))
}

fn with_cache_headers(mut response: Response, etag: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    product: Option<String>,
    category: Option<String>,
    limit: Option<u32>,
}

/// Full-text search: the ranking engine (BM25 over title, keywords, summary and text, weighed
/// by how much of the query each article covers; stemming, typo tolerance, synonyms), with
/// snippets whose matched words are in `<mark>`. Every hit says whether it is a `strong` match
/// (the article is about what was asked) or a `partial` one (it shares some of the words).
#[utoipa::path(get, path = "/kb/search", tag = "knowledge base",
    params(
        ("q" = String, Query, description = "What the reader typed", min_length = 1, max_length = 200),
        ("product" = Option<String>, Query, description = "Only articles about this product id"),
        ("category" = Option<String>, Query, description = "Only articles in this category slug"),
        ("limit" = Option<u32>, Query, description = "Most hits to return (default 10)", minimum = 1, maximum = 50),
    ),
    responses(
        (status = 200, description = "Hits, best first", body = KbSearchResults),
        (status = 422, description = "`q` is empty or longer than 200 characters", body = lantern_core::api::ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    Visit(visit): Visit,
    Query(params): Query<SearchParams>,
) -> AppResult<Json<SearchAnswer>> {
    let request = SearchRequest {
        query: &params.q,
        product: params.product.as_deref(),
        category: params.category.as_deref(),
        limit: params.limit,
    };
    let started = Instant::now();
    let results = state
        .kb_search_cache
        .search(&state.search.current(), &request)?;
    metrics::searched(started.elapsed());
    let search_id =
        state
            .analytics
            .full_text_search(visit.as_ref(), &request, &results, state.now_seconds());
    Ok(Json(SearchAnswer { results, search_id }))
}

/// A shared (cached) answer with this request's own search id, written as [`KbSearchResults`]
/// without copying its hits: copying them cost a few percent of an uncached search.
pub struct SearchAnswer {
    results: Arc<KbSearchResults>,
    search_id: Option<String>,
}

impl serde::Serialize for SearchAnswer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Destructured in full, so a new field of the answer cannot be forgotten here.
        let KbSearchResults {
            query,
            hits,
            search_id: _,
        } = &*self.results;
        let mut answer = serializer.serialize_struct("KbSearchResults", 3)?;
        answer.serialize_field("query", query)?;
        answer.serialize_field("hits", hits)?;
        match &self.search_id {
            Some(search_id) => answer.serialize_field("search_id", search_id)?,
            None => answer.skip_field("search_id")?,
        }
        answer.end()
    }
}

/// Articles that may answer a ticket being written: at most five, strong matches only (none
/// for a subject like "x"). Long descriptions are welcome: the most telling words count.
#[utoipa::path(post, path = "/kb/suggestions", tag = "knowledge base",
    request_body = KbSuggestionRequest,
    responses(
        (status = 200, description = "Strong matches, best first (possibly none)", body = KbSuggestions),
        (status = 403, description = "The `X-Requested-With: lantern` header is missing", body = lantern_core::api::ErrorBody),
        (status = 422, description = "Text too long, or an unknown product or case type", body = lantern_core::api::ErrorBody),
    ))]
pub async fn suggestions(
    State(state): State<AppState>,
    Visit(visit): Visit,
    Json(request): Json<KbSuggestionRequest>,
) -> AppResult<Json<KbSuggestions>> {
    let mut answer = kb::suggest(&state.search.current(), &state.policy, &request)?;
    answer.search_id =
        state
            .analytics
            .suggestions(visit.as_ref(), &request, &answer, state.now_seconds());
    Ok(Json(answer))
}

/// One article with its rendered body, votes and related articles; counts a view.
#[utoipa::path(get, path = "/kb/articles/{slug}", tag = "knowledge base",
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The article", body = KbArticle),
        (status = 404, description = "No article has this slug", body = lantern_core::api::ErrorBody),
    ))]
pub async fn article(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(user): MaybeUser,
    Visit(visit): Visit,
    headers: HeaderMap,
) -> AppResult<Json<KbArticle>> {
    let voter = reader(user.as_ref(), &headers);
    let article = kb::article(&state.database, &slug, voter.as_ref()).await?;
    state.analytics.activity(
        visit.as_ref(),
        ActivityKind::View,
        Some(&article.slug),
        state.now_seconds(),
    );
    Ok(Json(article))
}

/// "Was this helpful?": records or changes this reader's vote (one per signed-in person, else
/// one per browser, remembered by an HttpOnly `lantern_browser` cookie set here when missing).
#[utoipa::path(put, path = "/kb/articles/{slug}/vote", tag = "knowledge base",
    request_body = KbVoteRequest,
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The article's counts and this reader's vote", body = KbVotes),
        (status = 403, description = "The `X-Requested-With: lantern` header is missing", body = lantern_core::api::ErrorBody),
        (status = 404, description = "No article has this slug", body = lantern_core::api::ErrorBody),
        (status = 429, description = "`rate_limited`: too many first votes from this address (readers without an account who never voted); `Retry-After` says when", body = lantern_core::api::ErrorBody),
    ))]
pub async fn vote(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(user): MaybeUser,
    Visit(visit): Visit,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    Json(request): Json<KbVoteRequest>,
) -> AppResult<Response> {
    let (voter, new_browser) = match (user, browser_id(&headers)) {
        (Some(user), _) => (Voter::User(user.id), None),
        (None, Some(id)) => (Voter::Browser(id), None),
        (None, None) => {
            let id = new_browser_id();
            (Voter::Browser(id.clone()), Some(id))
        }
    };
    kb::check_new_anonymous_voter(&state.database, &state.rate_limits, &voter, &address).await?;
    let votes = kb::vote(
        &state.database,
        &slug,
        &voter,
        Some(request.helpful),
        state.now_seconds(),
    )
    .await?;
    let kind = if request.helpful {
        ActivityKind::Helpful
    } else {
        ActivityKind::NotHelpful
    };
    state
        .analytics
        .activity(visit.as_ref(), kind, Some(&slug), state.now_seconds());
    let mut response = Json(votes).into_response();
    if let Some(id) = new_browser {
        let browser = cookie(&state.config, BROWSER_COOKIE, &id, BROWSER_COOKIE_MAX_AGE);
        set_cookie(&mut response, &browser);
    }
    Ok(response)
}

/// Takes back this reader's vote.
#[utoipa::path(delete, path = "/kb/articles/{slug}/vote", tag = "knowledge base",
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The article's counts, without a vote of this reader", body = KbVotes),
        (status = 403, description = "The `X-Requested-With: lantern` header is missing", body = lantern_core::api::ErrorBody),
        (status = 404, description = "No article has this slug", body = lantern_core::api::ErrorBody),
    ))]
pub async fn remove_vote(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
) -> AppResult<Json<KbVotes>> {
    // A browser without the cookie has no vote to remove; an unused key changes nothing.
    let voter = match user {
        Some(user) => Voter::User(user.id),
        None => Voter::Browser(browser_id(&headers).unwrap_or_default()),
    };
    Ok(Json(
        kb::vote(&state.database, &slug, &voter, None, state.now_seconds()).await?,
    ))
}

/// Who reads: the signed-in person, else the browser by its `lantern_browser` cookie (none
/// before its first vote).
pub fn reader(user: Option<&crate::auth::CurrentUser>, headers: &HeaderMap) -> Option<Voter> {
    match user {
        Some(user) => Some(Voter::User(user.id)),
        None => browser_id(headers).map(Voter::Browser),
    }
}

/// The browser id from the `lantern_browser` cookie, when it has the shape we hand out.
fn browser_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == BROWSER_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| is_browser_id(value))
}

fn is_browser_id(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// 128 random bits, hex-encoded: enough to tell browsers apart, nothing to guess.
fn new_browser_id() -> String {
    new_token()[..32].to_owned()
}

#[cfg(test)]
mod tests {
    use lantern_core::api::{KbSearchHit, MatchConfidence};

    use super::*;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).expect("a header value"));
        headers
    }

    #[test]
    fn only_well_formed_browser_ids_are_used() {
        let id = new_browser_id();
        assert!(is_browser_id(&id));
        let cookie = format!("other=1; {BROWSER_COOKIE}={id}");
        assert_eq!(browser_id(&headers(header::COOKIE, &cookie)), Some(id));
        let forged = format!("{BROWSER_COOKIE}=user:1");
        assert_eq!(browser_id(&headers(header::COOKIE, &forged)), None);
    }

    #[test]
    fn a_shared_answer_is_written_as_search_results_with_this_requests_id() {
        let results = Arc::new(KbSearchResults {
            query: "backup slow".into(),
            hits: vec![KbSearchHit {
                id: 7,
                slug: "backups-are-slow".into(),
                title: "Backups are slow".into(),
                category: "backup".into(),
                snippet_html: "<mark>Backups</mark> are slow".into(),
                score: 1.5,
                confidence: MatchConfidence::Strong,
            }],
            search_id: Some("cached-id".into()),
        });
        let written = |search_id: Option<&str>| -> KbSearchResults {
            let answer = SearchAnswer {
                results: Arc::clone(&results),
                search_id: search_id.map(str::to_owned),
            };
            serde_json::from_str(&serde_json::to_string(&answer).expect("json"))
                .expect("read back as search results")
        };
        let with_id = written(Some("this-request"));
        assert_eq!(with_id.hits, results.hits);
        assert_eq!(with_id.query, results.query);
        assert_eq!(with_id.search_id.as_deref(), Some("this-request"));
        assert_eq!(written(None).search_id, None);
    }
}
