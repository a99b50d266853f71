//! Types of the JSON API under `/api/v1`, shared by the app and the server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// `GET /api/v1/health`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: bool,
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
    /// bm25-based relevance, higher is better.
    pub score: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbSearchResults {
    pub query: String,
    pub hits: Vec<KbSearchHit>,
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
