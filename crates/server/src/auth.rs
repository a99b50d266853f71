//! Who is asking: the signed-in person (session cookie) or an agent (bearer token).
//!
//! Handlers take [`CurrentUser`] (answers 401 without a valid session), [`MaybeUser`]
//! (anonymous allowed) or [`AgentAuth`] (agent API, `Authorization: Bearer <token>`).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use lantern_core::api::Role;

use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::tokens::hash_token;

/// The session cookie's name. With secure cookies the `__Host-` prefix makes browsers insist
/// on https, path `/` and no `Domain`, so no sibling sub-domain can plant one.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-lantern_session"
    } else {
        "lantern_session"
    }
}

/// A signed-in person, from a valid session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub organisation_id: i64,
    pub role: Role,
    pub name: String,
    pub email: String,
    /// The plan id of the person's organisation.
    pub plan: String,
    /// Hash of the session token (for signing out).
    pub session: String,
}

impl CurrentUser {
    /// Organisation admins see everything of their organisation (DDEV policy).
    pub fn is_org_admin(&self) -> bool {
        self.role == Role::OrgAdmin
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(token) = session_token(parts, state) else {
            return Err(AppError::unauthorized("Please sign in."));
        };
        current_user(state, &hash_token(&token))
            .await?
            .ok_or_else(|| AppError::unauthorized("Your session has ended. Please sign in again."))
    }
}

/// The signed-in person, if any.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match session_token(parts, state) {
            Some(token) => Ok(Self(current_user(state, &hash_token(&token)).await?)),
            None => Ok(Self(None)),
        }
    }
}

/// The session token from the request's cookie.
fn session_token(parts: &Parts, state: &AppState) -> Option<String> {
    cookie_value(parts, session_cookie_name(state.config.secure_cookies))
}

/// The value of the request's cookie `name`.
pub fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The session's person when the session exists and has not expired; expired ones are removed.
pub async fn current_user(
    state: &AppState,
    session_hash: &str,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(session) = db::sessions::find(&state.database, session_hash).await? else {
        return Ok(None);
    };
    let now = state.now_seconds();
    let idle_limit = state.config.session_idle.num_seconds();
    let max_limit = state.config.session_max.num_seconds();
    if now - session.last_seen_at >= idle_limit || now - session.created_at >= max_limit {
        db::sessions::delete(&state.database, session_hash).await?;
        return Ok(None);
    }
    // Writing on every request would serialise readers on SQLite's one writer; a minute of
    // slack on the idle timeout is harmless.
    if now - session.last_seen_at >= 60 {
        db::sessions::touch(&state.database, session_hash, now).await?;
    }
    tracing::Span::current().record("user_id", session.user_id);
    Ok(Some(CurrentUser {
        id: session.user_id,
        organisation_id: session.organisation_id,
        role: session.role(),
        name: session.name,
        email: session.email,
        plan: session.plan,
        session: session_hash.to_owned(),
    }))
}

/// A caller of the agent API, authenticated by `Authorization: Bearer <token>` that is neither
/// revoked nor expired.
#[derive(Debug, Clone)]
pub struct AgentAuth {
    pub id: i64,
    pub name: String,
    /// The one organisation whose tickets this agent reaches; `None` for every organisation.
    pub organisation_id: Option<i64>,
}

impl AgentAuth {
    /// Whether the agent's token reaches the tickets of `organisation_id`.
    pub fn reaches(&self, organisation_id: i64) -> bool {
        self.organisation_id
            .is_none_or(|scope| scope == organisation_id)
    }
}

/// An agent whose token reaches every organisation, for what spans them all (search
/// analytics); a token limited to one organisation gets 403.
#[derive(Debug, Clone)]
pub struct UnscopedAgent(pub AgentAuth);

impl FromRequestParts<AppState> for UnscopedAgent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let agent = AgentAuth::from_request_parts(parts, state).await?;
        if agent.organisation_id.is_some() {
            return Err(AppError::forbidden(
                "This agent token is limited to one organisation; this spans them all.",
            ));
        }
        Ok(Self(agent))
    }
}

impl FromRequestParts<AppState> for AgentAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| AppError::unauthorized("An agent token is required."))?;
        let agent =
            db::agent_tokens::find_valid(&state.database, &hash_token(token), state.now_seconds())
                .await?
                .ok_or_else(|| {
                    AppError::unauthorized(
                        "The agent token is not valid, has expired or was revoked.",
                    )
                })?;
        tracing::Span::current().record("agent_token_id", agent.id);
        Ok(Self {
            id: agent.id,
            name: agent.name,
            organisation_id: agent.organisation_id,
        })
    }
}
