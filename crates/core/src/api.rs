//! Types of the JSON API under `/api/v1`, shared by the app and the server.

use serde::{Deserialize, Serialize};

pub use crate::field_errors::FieldErrors;

/// The one shape of every API error: `{"error": {"code", "message", "fields"}}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, machine-readable code such as `not_found` or `validation_failed`.
    pub code: String,
    /// A sentence a person can read.
    pub message: String,
    /// Per-field messages, keyed by the field's name in the request.
    #[serde(default, skip_serializing_if = "FieldErrors::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub fields: FieldErrors,
}

/// `GET /api/v1/health`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: bool,
}

/// `GET /api/v1/ready`: whether this server can serve (200) or not (503), check by check, for
/// a load balancer or an orchestrator. `/api/v1/health` says only that the process answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    pub ready: bool,
    pub checks: Vec<ReadinessCheck>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessCheck {
    /// `database`, `migrations` or `outbox`.
    pub name: String,
    pub ok: bool,
    /// What was found, for the operator.
    pub detail: String,
}

// ----- Accounts -----------------------------------------------------------------------------

/// What a signed-in person may see: `contact` sees own tickets, `org_admin` all tickets of the
/// organisation (DDEV policy), `agent` works tickets through the agent API.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Contact,
    OrgAdmin,
    Agent,
}

/// `POST /api/v1/session`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationSummary {
    pub id: i64,
    pub name: String,
    /// Id of the plan in the support policy, e.g. `enterprise`.
    pub plan: String,
    /// The plan's display name from the policy, e.g. `Enterprise`.
    pub plan_name: String,
}

/// `PUT /api/v1/me/password`: a new password, with the current one as proof.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `DELETE /api/v1/me`: the signed-in person deletes her account, her password as proof.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDeletion {
    pub password: String,
}

/// One of the signed-in person's sessions (`GET /api/v1/me/sessions`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// For `DELETE /api/v1/me/sessions/{id}`.
    pub id: String,
    /// The browser and system, e.g. "Firefox on Windows"; `None` when they could not be told.
    pub browser: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub signed_in_at: chrono::DateTime<chrono::Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The session of the request that asked.
    pub current: bool,
}

/// `GET /api/v1/me` (also the body of a successful sign-in).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub organisation: OrganisationSummary,
}

/// `POST /api/v1/registrations`: self-registration where the e-mail's domain allows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 256))]
    pub password: String,
}

/// `POST /api/v1/invitations/{token}`: activates an invited account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationAcceptance {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 256))]
    pub password: String,
}

/// `POST /api/v1/password-resets`: asks for a reset link by mail.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /api/v1/password-resets/{token}`: sets a new password with a mailed token.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword {
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 256))]
    pub password: String,
}

/// `GET /api/v1/session`: who is signed in, if anybody. Unlike `GET /api/v1/me` it answers 200
/// for a visitor who is not signed in, so every anonymous page load does not log a 401.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    pub me: Option<Me>,
}

// ----- Knowledge base -----------------------------------------------------------------------

/// One article in the compact index the app downloads for instant search (`GET /api/v1/kb/index`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbIndexEntry {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub products: Vec<String>,
    /// Words and phrases customers search for that the article may not use itself (front
    /// matter `keywords`); left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbCategory {
    /// URL-safe id, e.g. `backup-and-restore`.
    pub slug: String,
    pub name: String,
    pub article_count: u32,
}

/// `GET /api/v1/kb/index`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbIndex {
    pub articles: Vec<KbIndexEntry>,
    pub categories: Vec<KbCategory>,
    /// The vendor's synonym groups (`synonyms.txt` beside the articles), each member a word or
    /// phrase: instant search expands queries with them as the server does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
}

/// How well a hit answers what was asked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchConfidence {
    /// The article is about what was asked: it matches the words that tell the question apart
    /// (most of the query's weight, the rarer words weighing more), in its title, summary or
    /// keywords, or throughout its text.
    Strong,
    /// The article shares some of the question's words, but not enough to say it answers it.
    Partial,
}

/// One full-text hit of `GET /api/v1/kb/search?q=&product=&category=`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbSearchHit {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub category: String,
    /// Sanitised HTML: plain text with the matched terms wrapped in `<mark>`.
    pub snippet_html: String,
    /// Relevance (BM25 over title, keywords, summary and text, weighed by how much of the
    /// query matched): higher is better, comparable only within one search.
    pub score: f64,
    pub confidence: MatchConfidence,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbSearchResults {
    pub query: String,
    pub hits: Vec<KbSearchHit>,
    /// Names this answer in `POST /api/v1/kb/events` (a click on a hit). Present when the
    /// request carried a `Lantern-Visit` header; searches typed in a row share one id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_id: Option<String>,
}

/// `POST /api/v1/kb/suggestions`: what the customer has written in the ticket wizard so far.
/// Long text is welcome: the server picks the words that tell the problem apart.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbSuggestionRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub subject: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub description: String,
    /// A product id of the policy: only articles about it are suggested.
    #[serde(default)]
    pub product: Option<String>,
    /// A case type id of the policy: its name counts as a hint.
    #[serde(default)]
    pub case_type: Option<String>,
}

/// One suggested article: always a strong match.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbSuggestion {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// The category's slug.
    pub category: String,
    pub summary: String,
    pub confidence: MatchConfidence,
}

/// The answer to `POST /api/v1/kb/suggestions`: at most five articles, best first; none when
/// nothing matches strongly.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbSuggestions {
    pub articles: Vec<KbSuggestion>,
    /// Names this answer in `POST /api/v1/kb/events` (a click on a suggestion). Present when
    /// the request carried a `Lantern-Visit` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_id: Option<String>,
}

/// `GET /api/v1/kb/articles/{slug}`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub category: KbCategory,
    pub products: Vec<String>,
    pub tags: Vec<String>,
    /// ISO date `YYYY-MM-DD` of the last update.
    pub updated: String,
    /// Rendered from Markdown and sanitised by the server; headings carry `id`s for links.
    pub body_html: String,
    pub views: u64,
    pub votes: KbVotes,
    pub related: Vec<KbIndexEntry>,
}

/// A product id as people read it where the policy does not name it (the knowledge base's
/// filters): `harbor-backup` → `Harbor Backup`.
pub fn product_display_name(id: &str) -> String {
    id.split('-')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the server embeds in the HTML of a public page it renders (in
/// `<script type="application/json" id="lantern-page-data">`), so the app starts from the data
/// the page shows instead of fetching it again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageData {
    /// The article of `/kb/{slug}`, as `GET /api/v1/kb/articles/{slug}` gives it to this reader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<KbArticle>,
    /// The categories with their article counts (the home page and category listings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<KbCategory>>,
    /// The support policy of `/support`, as `GET /api/v1/policy` gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<crate::policy::PolicyView>,
}

/// The header a state-changing request must carry: the app sends it, a cross-site form cannot,
/// and a cross-site script could only with a CORS pre-flight, which the server never grants.
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_HEADER_VALUE: &str = "lantern";

/// The header naming one page load of the app for the vendor's search analytics.
pub const VISIT_HEADER: &str = "lantern-visit";

/// The new-ticket wizard's address parameter naming the article the customer read before
/// contacting support: `/tickets/new?article=<slug>` (an article's "Still need help?").
pub const READ_ARTICLE_PARAMETER: &str = "article";

/// The `id` of the element holding a public page's [`PageData`].
pub const PAGE_DATA_ELEMENT_ID: &str = "lantern-page-data";
/// The `id` of the element wrapping the markup the server rendered; the app replaces it.
pub const SERVER_PAGE_ELEMENT_ID: &str = "server-page";

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbVotes {
    pub helpful: u64,
    pub not_helpful: u64,
    /// This reader's own vote, if any (per signed-in user, else per browser).
    pub mine: Option<bool>,
}

/// `PUT /api/v1/kb/articles/{slug}/vote`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbVoteRequest {
    pub helpful: bool,
}

// ----- Search analytics -----------------------------------------------------------------------

/// Where a search was made: full-text search, or the ticket wizard's suggestions.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchSurface {
    Search,
    Suggestions,
}

impl SearchSurface {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Search => "search",
            Self::Suggestions => "suggestions",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "search" => Some(Self::Search),
            "suggestions" => Some(Self::Suggestions),
            _ => None,
        }
    }
}

/// What the reader did with an answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KbEventKind {
    /// Opened an article listed in a search or suggestions answer.
    Click,
}

/// `POST /api/v1/kb/events`, e.g. `{"kind": "click", "search_id": "…", "article":
/// "restore-a-backup", "position": 0}`: recorded for the vendor's search analytics, with nothing
/// about the reader.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbEvent {
    pub kind: KbEventKind,
    /// The `search_id` of the answer the article was listed in.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 32, max_length = 32, pattern = "^[0-9a-fA-F]{32}$")
    )]
    pub search_id: String,
    /// The article's slug.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub article: String,
    /// The article's place in the answer, 0 for the first.
    #[cfg_attr(feature = "openapi", schema(maximum = 49))]
    pub position: u32,
}

/// Query of `GET /api/v1/agent/search-analytics` and its CSV downloads. The period is whole UTC
/// days, both ends included; without dates, the last 30 days up to today.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchAnalyticsQuery {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub from: Option<chrono::NaiveDate>,
    /// Last day, `YYYY-MM-DD` (default: today).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub to: Option<chrono::NaiveDate>,
    /// Most rows per table: 20 by default in JSON, every row (up to 10,000) in CSV.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 10000))]
    pub limit: Option<u32>,
}

/// `GET /api/v1/agent/search-analytics`: what customers searched for and whether they helped
/// themselves. Shares are 0 to 1, rounded to three decimals.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchAnalytics {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: chrono::NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: chrono::NaiveDate,
    /// Full-text searches (typing in a row counts once: the settled query).
    pub searches: u64,
    /// Suggestions answers of the ticket wizard (settled subjects).
    pub suggestion_answers: u64,
    pub click_through: ClickThrough,
    /// Full-text queries, most searched first.
    pub top_searches: Vec<TopSearch>,
    /// Queries that found no strong match (content gaps), most frequent first.
    pub content_gaps: Vec<ContentGap>,
    pub funnel: SelfServiceFunnel,
    pub self_service: SelfServiceScore,
}

/// The share of answers with at least one click; `null` without answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClickThrough {
    pub searches: Option<f64>,
    pub suggestions: Option<f64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopSearch {
    /// Normalised: lower-cased, e-mail addresses, URLs and long numbers replaced.
    pub query: String,
    pub searches: u64,
    /// Share of these searches with at least one strong match.
    pub strong_share: f64,
    /// Share of these searches with at least one click.
    pub click_through: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentGap {
    pub query: String,
    pub surface: SearchSurface,
    pub searches: u64,
}

/// Help-centre visits (page loads of the app) at each step.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfServiceFunnel {
    /// Visits that searched (full text or the wizard's suggestions).
    pub searched: u64,
    /// ... and then opened an article.
    pub opened_article: u64,
    /// ... and then voted it helpful or said "this solved my problem".
    pub self_served: u64,
    /// Visits that filed a ticket within an hour after searching.
    pub filed_ticket: u64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SelfServiceScore {
    /// Visits that searched or read the knowledge base.
    pub help_centre_visits: u64,
    /// Tickets filed in the period, through any channel.
    pub tickets_filed: u64,
    /// `help_centre_visits / tickets_filed`; `null` when no ticket was filed.
    pub visits_per_ticket: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_ids_read_as_names() {
        assert_eq!(product_display_name("harbor-backup"), "Harbor Backup");
        assert_eq!(product_display_name("relay"), "Relay");
    }
}
