//! The one client of Lantern's JSON API: every HTTP call of the app goes through this module, so
//! pages never build URLs or parse error bodies themselves.
//!
//! To add an endpoint, write a small function below its resource's heading that calls
//! [`get_json`], [`send_json`], [`send_for_status`] or [`delete`] with a path under `/api/v1`
//! (escape user-supplied path parts with [`segment`]) and a `lantern_core::api` type.

use std::fmt;
use std::marker::PhantomData;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use lantern_core::api::{
    AccountDeletion, CSRF_HEADER, CSRF_HEADER_VALUE, ErrorBody, FieldErrors, InvitationAcceptance,
    KbArticle, KbIndex, KbSearchResults, KbSuggestionRequest, KbSuggestions, KbVoteRequest,
    KbVotes, Me, NewPassword, PasswordChange, PasswordResetRequest, RegistrationRequest,
    SessionState, SessionSummary, SignInRequest, VISIT_HEADER,
};
use lantern_core::conversation::{
    ReplyRequest, SurveyRequest, TicketDetail, TicketListQuery, TicketPage,
};
use lantern_core::escalation::{Escalation, EscalationRequest};
use lantern_core::policy::PolicyView;
use lantern_core::ticket::{
    AttachmentKind, AttachmentLimits, AttachmentUploaded, Deflection, IDEMPOTENCY_KEY_HEADER,
    OrganisationContact, TicketCreated, TicketDraft,
};
use leptos::prelude::{LocalStorage, StoredValue, UpdateValue, window};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCredentials;

const API_PREFIX: &str = "/api/v1";

/// Why an API call failed, in a form pages can show to people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer: offline, server down, or the fetch was blocked.
    Network,
    /// The server answered with an error status.
    Http {
        status: u16,
        /// Stable machine-readable code, e.g. `invalid_credentials`.
        code: String,
        /// A sentence for people, written by the server.
        message: String,
        /// Per-field messages keyed by the request field's name.
        fields: FieldErrors,
        /// Seconds to wait before trying again (`Retry-After` of a 429 answer).
        retry_after: Option<u32>,
    },
    /// The server answered successfully but with a body this app version cannot read.
    UnexpectedAnswer,
}

impl ApiError {
    /// Builds the error for a non-success answer from its status, body and `Retry-After` header.
    /// Bodies that are not Lantern's error shape (a proxy's HTML page, say) still give a
    /// readable message.
    pub fn from_answer(status: u16, body: &str, retry_after: Option<&str>) -> Self {
        let retry_after = retry_after.and_then(|value| value.trim().parse().ok());
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(ErrorBody { error }) => ApiError::Http {
                status,
                code: error.code,
                message: error.message,
                fields: error.fields,
                retry_after,
            },
            Err(_) => ApiError::Http {
                status,
                code: format!("http_{status}"),
                message: fallback_message(status).to_owned(),
                fields: FieldErrors::new(),
                retry_after,
            },
        }
    }

    /// The server's message for one request field, if it rejected that field.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Http { fields, .. } => fields.get(name).map(str::to_owned),
            _ => None,
        }
    }

    /// When to try again, in words: from `Retry-After` ("You can try again in about 3
    /// minutes."), or a plain "Wait a little, then try again." without one.
    pub fn when_to_retry(&self) -> String {
        match self {
            ApiError::Http {
                retry_after: Some(seconds),
                ..
            } => retry_hint(*seconds),
            _ => "Wait a little, then try again.".to_owned(),
        }
    }

    /// The HTTP status of an error answer; `None` when there was no (readable) answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network => {
                f.write_str("Could not reach Lantern. Check your connection and try again.")
            }
            ApiError::Http {
                status,
                code,
                message,
                retry_after,
                ..
            } => match (limit_sentences(*status, code), retry_after) {
                (Some((what, _)), Some(seconds)) => write!(f, "{what} {}", retry_hint(*seconds)),
                (Some((what, no_wait_known)), None) => write!(f, "{what} {no_wait_known}"),
                (None, Some(seconds)) => write!(f, "{message} {}", retry_hint(*seconds)),
                (None, None) => f.write_str(message),
            },
            ApiError::UnexpectedAnswer => f.write_str(
                "Lantern sent an answer this page could not read. Reload the page and try again.",
            ),
        }
    }
}

impl std::error::Error for ApiError {}

/// "You can try again in about 3 minutes." for a wait of `seconds`.
fn retry_hint(seconds: u32) -> String {
    if seconds < 60 {
        let unit = if seconds == 1 { "second" } else { "seconds" };
        return format!("You can try again in {seconds} {unit}.");
    }
    let minutes = seconds.div_ceil(60);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("You can try again in about {minutes} {unit}.")
}

/// What the app says itself for the answers of a limit, too many requests (429) or too busy
/// (503 `overloaded`), and when no `Retry-After` says how long to wait: the server's sentences
/// for them are generic, and name the wait again, which the app words from `Retry-After`.
fn limit_sentences(status: u16, code: &str) -> Option<(&'static str, &'static str)> {
    match (status, code) {
        (429, _) => Some((
            "Too many attempts in a short time.",
            "Wait a little, then try again.",
        )),
        (503, "overloaded" | "http_503") => Some((
            "Lantern is busy right now.",
            "Please try again in a moment.",
        )),
        _ => None,
    }
}

/// What to say when an error answer does not carry Lantern's error shape.
fn fallback_message(status: u16) -> &'static str {
    match status {
        401 => "Please sign in to continue.",
        403 => "You do not have access to this.",
        404 => "This could not be found.",
        413 => "This is larger than Lantern accepts.",
        500..=599 => "Lantern ran into a problem. Please try again in a moment.",
        _ => "The request could not be completed.",
    }
}

/// Escapes one user-supplied path segment (a slug, a token) for use in an API path.
pub use lantern_core::addresses::encode_component as segment;

// ----- Generic helpers -------------------------------------------------------------------------

/// `GET /api/v1{path}` and decode the JSON answer.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = send(without_body(request(Method::GET, path))?).await?;
    decode(response).await
}

/// Send `body` as JSON with `method` to `/api/v1{path}` and decode the JSON answer.
pub async fn send_json<B, T>(method: Method, path: &str, body: &B) -> Result<T, ApiError>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let response = send(with_json(request(method, path), body)?).await?;
    decode(response).await
}

/// Send `body` as JSON with `method` to `/api/v1{path}` when only success matters, not the answer.
pub async fn send_for_status<B>(method: Method, path: &str, body: &B) -> Result<(), ApiError>
where
    B: Serialize + ?Sized,
{
    send(with_json(request(method, path), body)?)
        .await
        .map(drop)
}

/// `DELETE /api/v1{path}`.
pub async fn delete(path: &str) -> Result<(), ApiError> {
    send(without_body(request(Method::DELETE, path))?)
        .await
        .map(drop)
}

/// `DELETE /api/v1{path}` and decode the JSON answer.
pub async fn delete_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = send(without_body(request(Method::DELETE, path))?).await?;
    decode(response).await
}

fn request(method: Method, path: &str) -> RequestBuilder {
    let changes_state = !matches!(method, Method::GET | Method::HEAD);
    let mut builder = RequestBuilder::new(&format!("{API_PREFIX}{path}"))
        .method(method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json");
    if let Some(visit) = visit_id() {
        builder = builder.header(VISIT_HEADER, &visit);
    }
    if changes_state {
        builder.header(CSRF_HEADER, CSRF_HEADER_VALUE)
    } else {
        builder
    }
}

thread_local! {
    /// 128 random bits made once per page load and kept in memory only: no cookie, no storage,
    /// so nothing outlives the page and nothing needs consent. `None` where the browser offers
    /// no `crypto.getRandomValues`; requests then go without the header.
    static VISIT_ID: Option<String> = new_visit_id();
}

fn visit_id() -> Option<String> {
    VISIT_ID.with(Clone::clone)
}

fn new_visit_id() -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

// Building fails only for malformed headers or unserialisable bodies, which our own types never
// are; should it ever happen, the request was not sent, which is what `Network` tells the person.
fn without_body(builder: RequestBuilder) -> Result<Request, ApiError> {
    builder.build().map_err(|_| ApiError::Network)
}

fn with_json<B: Serialize + ?Sized>(
    builder: RequestBuilder,
    body: &B,
) -> Result<Request, ApiError> {
    builder.json(body).map_err(|_| ApiError::Network)
}

/// Sends the request and turns error statuses into [`ApiError`].
async fn send(request: Request) -> Result<Response, ApiError> {
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    check(response).await
}

/// Turns error statuses into [`ApiError`].
async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    Err(noticed(read_error(response).await))
}

async fn read_error(response: Response) -> ApiError {
    let retry_after = response.headers().get("Retry-After");
    let body = response.text().await.unwrap_or_default();
    ApiError::from_answer(response.status(), &body, retry_after.as_deref())
}

/// A 401 to a request that needs a session, while the app believes someone signed in, means
/// her session ended elsewhere (signed out from another browser, say): the session is told,
/// so that a private page sends her to sign in again.
fn noticed(error: ApiError) -> ApiError {
    if error.status() == Some(401) {
        crate::session::ended_elsewhere();
    }
    error
}

/// Sends a password to sign in with (`POST` `body` to `/api/v1{path}`): a 401 then says the
/// password was wrong, not that a session ended.
async fn send_credentials<B, T>(path: &str, body: &B) -> Result<T, ApiError>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let sent = with_json(request(Method::POST, path), body)?.send().await;
    let response = sent.map_err(|_| ApiError::Network)?;
    if !response.ok() {
        return Err(read_error(response).await);
    }
    decode(response).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json()
        .await
        .map_err(|_| ApiError::UnexpectedAnswer)
}

/// A `GET` that leaves before the code reading its answer has arrived. A route sends it from
/// `LazyRoute::data()`, in the app's main part, while the page's own part downloads, and the
/// page decodes the answer there: decoding in `data()` would bring the decoder of every page's
/// data into the first download.
pub struct SentAhead<T> {
    sent: StoredValue<Option<Result<js_sys::Promise, ApiError>>, LocalStorage>,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for SentAhead<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for SentAhead<T> {}

impl<T: DeserializeOwned> SentAhead<T> {
    fn get(path: &str) -> Self {
        let sent = without_body(request(Method::GET, path))
            .map(|request| window().fetch_with_request(&request.into()));
        Self {
            sent: StoredValue::new_local(Some(sent)),
            answer: PhantomData,
        }
    }

    /// The answer, to the first caller only; a later one sends a request of its own.
    pub fn take(self) -> Option<impl Future<Output = Result<T, ApiError>> + use<T>> {
        let sent = self.sent.try_update_value(Option::take).flatten()?;
        Some(async move {
            let answer = JsFuture::from(sent?).await.map_err(|_| ApiError::Network)?;
            let response = answer
                .dyn_into::<web_sys::Response>()
                .map_err(|_| ApiError::Network)?;
            decode(check(Response::from(response)).await?).await
        })
    }
}

// ----- Accounts --------------------------------------------------------------------------------

/// The signed-in person, or `None` when nobody is signed in.
pub async fn me() -> Result<Option<Me>, ApiError> {
    let session: SessionState = get_json("/session").await?;
    Ok(session.me)
}

pub async fn sign_in(request: &SignInRequest) -> Result<Me, ApiError> {
    send_credentials("/session", request).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    delete("/session").await
}

/// Self-registration, where the e-mail's domain allows it: the server mails a confirmation link
/// (and answers the same when the address already has an account).
pub async fn register(request: &RegistrationRequest) -> Result<(), ApiError> {
    send_for_status(Method::POST, "/registrations", request).await
}

/// Confirms a registration from its mailed link with the password chosen when registering;
/// signs in.
pub async fn confirm_registration(token: &str, request: &NewPassword) -> Result<Me, ApiError> {
    let path = format!("/registrations/{}", segment(token));
    send_credentials(&path, request).await
}

/// Accepts an invitation from its mailed link with a name and password; signs in.
pub async fn accept_invitation(
    token: &str,
    request: &InvitationAcceptance,
) -> Result<Me, ApiError> {
    let path = format!("/invitations/{}", segment(token));
    send_credentials(&path, request).await
}

/// Asks for a password-reset link by e-mail. Succeeds whether or not the address has an account.
pub async fn request_password_reset(request: &PasswordResetRequest) -> Result<(), ApiError> {
    send_for_status(Method::POST, "/password-resets", request).await
}

/// Sets a new password with the token from the reset e-mail; every session of the account ends.
pub async fn reset_password(token: &str, request: &NewPassword) -> Result<(), ApiError> {
    let path = format!("/password-resets/{}", segment(token));
    send_for_status(Method::POST, &path, request).await
}

/// Changes the signed-in person's password with her current one; her other sessions end.
pub async fn change_password(request: &PasswordChange) -> Result<(), ApiError> {
    send_for_status(Method::PUT, "/me/password", request).await
}

/// The browsers the signed-in person is signed in with, the most recently used first.
pub async fn my_sessions() -> Result<Vec<SessionSummary>, ApiError> {
    get_json("/me/sessions").await
}

/// Signs one of the person's other browsers out (`id` from [`my_sessions`]).
pub async fn end_session(id: &str) -> Result<(), ApiError> {
    delete(&format!("/me/sessions/{}", segment(id))).await
}

/// Signs the person out in every browser, this one included.
pub async fn sign_out_everywhere() -> Result<(), ApiError> {
    delete("/me/sessions").await
}

/// Everything Lantern holds about the person: the ZIP, and the dated name the server gives it.
/// Fetched rather than linked, so that a refusal (too many this hour, the server busy) is a
/// message on the page and not a small JSON file saved as the download.
pub async fn download_my_data() -> Result<(web_sys::Blob, String), ApiError> {
    let response = send(without_body(request(Method::GET, "/me/export"))?).await?;
    let file_name = response
        .headers()
        .get("Content-Disposition")
        .and_then(|disposition| quoted_file_name(&disposition).map(str::to_owned))
        .unwrap_or_else(|| "lantern-data.zip".to_owned());
    let blob = web_sys::Response::from(response)
        .blob()
        .map_err(|_| ApiError::UnexpectedAnswer)?;
    let blob = JsFuture::from(blob)
        .await
        .map_err(|_| ApiError::Network)?
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| ApiError::UnexpectedAnswer)?;
    Ok((blob, file_name))
}

/// `lantern-data-2026-12-06.zip` of `attachment; filename="lantern-data-2026-12-06.zip"; …`.
fn quoted_file_name(disposition: &str) -> Option<&str> {
    let (_, rest) = disposition.split_once("filename=\"")?;
    let (name, _) = rest.split_once('"')?;
    Some(name).filter(|name| !name.is_empty())
}

/// Deletes the signed-in person's account, her password as proof; her sessions end with it.
pub async fn delete_my_account(request: &AccountDeletion) -> Result<(), ApiError> {
    send_for_status(Method::DELETE, "/me", request).await
}

// ----- Knowledge base --------------------------------------------------------------------------

/// The compact index for instant search. The server sends an ETag and `no-cache`, so the
/// browser's HTTP cache revalidates it and a revisit costs a `304`.
pub async fn kb_index() -> Result<KbIndex, ApiError> {
    get_json("/kb/index").await
}

/// What a full-text search asks for; empty filters are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KbSearchQuery {
    pub query: String,
    pub product: Option<String>,
    pub category: Option<String>,
}

/// Full-text search over whole articles (`query` must not be empty).
pub async fn kb_search(search: &KbSearchQuery) -> Result<KbSearchResults, ApiError> {
    let mut path = format!("/kb/search?q={}", segment(&search.query));
    for (name, value) in [("product", &search.product), ("category", &search.category)] {
        if let Some(value) = value {
            path.push_str(&format!("&{name}={}", segment(value)));
        }
    }
    get_json(&path).await
}

/// Articles that may answer the ticket being written: strong matches only, at most five.
pub async fn kb_suggestions(request: &KbSuggestionRequest) -> Result<KbSuggestions, ApiError> {
    send_json(Method::POST, "/kb/suggestions", request).await
}

/// One article; counts a view.
pub async fn kb_article(slug: &str) -> Result<KbArticle, ApiError> {
    get_json(&kb_article_path(slug)).await
}

/// [`kb_article`], sent ahead of the page that shows it.
pub fn kb_article_ahead(slug: &str) -> SentAhead<KbArticle> {
    SentAhead::get(&kb_article_path(slug))
}

fn kb_article_path(slug: &str) -> String {
    format!("/kb/articles/{}", segment(slug))
}

/// Records this reader's "Was this helpful?" answer, or takes it back with `None`.
pub async fn kb_vote(slug: &str, helpful: Option<bool>) -> Result<KbVotes, ApiError> {
    let path = format!("/kb/articles/{}/vote", segment(slug));
    match helpful {
        Some(helpful) => send_json(Method::PUT, &path, &KbVoteRequest { helpful }).await,
        None => delete_json(&path).await,
    }
}

/// Reports what the reader did with a search or suggestions answer, for the vendor's search
/// analytics (nothing about the reader is sent but this page load's random visit id).
pub async fn record_kb_event(event: &lantern_core::api::KbEvent) -> Result<(), ApiError> {
    send_for_status(Method::POST, "/kb/events", event).await
}

/// A click on the article at `position` (0 = first) of the answer named `search_id`
/// (`KbSearchResults::search_id` or `KbSuggestions::search_id`).
pub async fn record_kb_click(
    search_id: &str,
    article_slug: &str,
    position: usize,
) -> Result<(), ApiError> {
    let event = lantern_core::api::KbEvent {
        kind: lantern_core::api::KbEventKind::Click,
        search_id: search_id.to_owned(),
        article: article_slug.to_owned(),
        position: u32::try_from(position).unwrap_or(u32::MAX),
    };
    record_kb_event(&event).await
}

// ----- Support policy --------------------------------------------------------------------------

const POLICY_PATH: &str = "/policy";

/// The customer-visible part of the vendor's support policy.
pub async fn fetch_policy() -> Result<PolicyView, ApiError> {
    get_json(POLICY_PATH).await
}

/// [`fetch_policy`], sent ahead of the page that shows it.
pub fn policy_ahead() -> SentAhead<PolicyView> {
    SentAhead::get(POLICY_PATH)
}

// ----- Tickets ---------------------------------------------------------------------------------

/// Files a ticket. `idempotency_key` stays the same for every attempt with one draft, so a
/// retry after a lost answer, or a double click, gives the same one ticket.
pub async fn create_ticket(
    draft: &TicketDraft,
    idempotency_key: &str,
) -> Result<TicketCreated, ApiError> {
    let builder = request(Method::POST, "/tickets").header(IDEMPOTENCY_KEY_HEADER, idempotency_key);
    let response = send(with_json(builder, draft)?).await?;
    decode(response).await
}

/// Uploads one file for a ticket that is being written; `on_progress` gets the sent share.
pub async fn upload_attachment(
    file: &web_sys::File,
    kind: AttachmentKind,
    on_progress: impl Fn(f64) + 'static,
) -> Result<AttachmentUploaded, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
    form.append_with_str("kind", kind.as_str())
        .map_err(|_| ApiError::Network)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(|_| ApiError::Network)?;
    post_form_with_progress("/attachments", &form, on_progress).await
}

/// Removes an uploaded file that no ticket uses yet.
pub async fn delete_attachment(id: &str) -> Result<(), ApiError> {
    delete(&format!("/attachments/{}", segment(id))).await
}

/// The size and type limits of uploads, from the server's configuration.
pub async fn attachment_limits() -> Result<AttachmentLimits, ApiError> {
    get_json("/attachments/limits").await
}

/// Records that a suggested article solved the problem, so no ticket was needed.
pub async fn record_deflection(article_slug: &str) -> Result<(), ApiError> {
    let body = Deflection {
        article_slug: article_slug.to_owned(),
    };
    send_for_status(Method::POST, "/kb/deflections", &body).await
}

/// The people of the signed-in person's organisation, who may be copied on a ticket.
pub async fn organisation_contacts() -> Result<Vec<OrganisationContact>, ApiError> {
    get_json("/organisation/contacts").await
}

// ----- My tickets ------------------------------------------------------------------------------

/// One page of the signed-in person's tickets (or their organisation's, with
/// `scope=organisation`).
pub async fn list_tickets(query: &TicketListQuery) -> Result<TicketPage, ApiError> {
    get_json(&format!("/tickets{}", query_string(&query.to_pairs()))).await
}

/// `?name=value&...` with escaped values, or nothing for no pairs.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", segment(value)))
        .collect();
    format!("?{}", pairs.join("&"))
}

/// One of the signed-in person's tickets.
pub async fn ticket(number: &str) -> Result<TicketDetail, ApiError> {
    get_json(&ticket_path(number, "")).await
}

/// A ticket's page data with the answer's `ETag`, to ask later whether anything changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketVersion {
    pub detail: TicketDetail,
    pub etag: Option<String>,
}

/// The ticket, or `None` when it has not changed since the answer that carried `etag`.
pub async fn ticket_if_changed(
    number: &str,
    etag: Option<&str>,
) -> Result<Option<TicketVersion>, ApiError> {
    let mut builder = request(Method::GET, &ticket_path(number, ""));
    if let Some(etag) = etag {
        builder = builder.header("If-None-Match", etag);
    }
    match send(without_body(builder)?).await {
        Ok(response) => {
            let etag = response.headers().get("ETag");
            let detail = decode(response).await?;
            Ok(Some(TicketVersion { detail, etag }))
        }
        Err(error) if error.status() == Some(304) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Adds a reply; a Pending (or recently Solved) ticket goes back to Open.
pub async fn reply_to_ticket(number: &str, reply: &ReplyRequest) -> Result<TicketDetail, ApiError> {
    send_json(Method::POST, &ticket_path(number, "/replies"), reply).await
}

/// "This is solved": a ticket still being worked on -> Solved.
pub async fn mark_ticket_solved(number: &str) -> Result<TicketDetail, ApiError> {
    post_without_body(&ticket_path(number, "/resolve")).await
}

/// "The solution works": a ticket support solved -> Closed.
pub async fn accept_solution(number: &str) -> Result<TicketDetail, ApiError> {
    post_without_body(&ticket_path(number, "/accept-solution")).await
}

/// Reopens a Solved ticket within the policy's reopen window.
pub async fn reopen_ticket(number: &str) -> Result<TicketDetail, ApiError> {
    post_without_body(&ticket_path(number, "/reopen")).await
}

/// The satisfaction survey, once per Solved or Closed ticket.
pub async fn rate_ticket(number: &str, survey: &SurveyRequest) -> Result<TicketDetail, ApiError> {
    send_json(Method::POST, &ticket_path(number, "/survey"), survey).await
}

/// Asks for an escalation of the ticket; a support manager reviews it within the policy's
/// review target. The ticket itself changes too (timeline, availability): fetch it again.
pub async fn request_escalation(
    number: &str,
    request: &EscalationRequest,
) -> Result<Escalation, ApiError> {
    send_json(Method::POST, &ticket_path(number, "/escalations"), request).await
}

/// Where the browser downloads an attachment (a link, not a fetch).
pub fn attachment_url(id: &str) -> String {
    format!("{API_PREFIX}/attachments/{}", segment(id))
}

fn ticket_path(number: &str, action: &str) -> String {
    format!("/tickets/{}{action}", segment(number))
}

async fn post_without_body<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = send(without_body(request(Method::POST, path))?).await?;
    decode(response).await
}

// ----- Uploads ---------------------------------------------------------------------------------

/// `POST /api/v1{path}` with a multipart body, through `XMLHttpRequest` because it is the one
/// browser API that reports upload progress; `on_progress` gets the sent share, 0.0 to 1.0.
pub async fn post_form_with_progress<T: DeserializeOwned>(
    path: &str,
    form: &web_sys::FormData,
    on_progress: impl Fn(f64) + 'static,
) -> Result<T, ApiError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    // Failing to set up the request means it was never sent, which is what `Network` says.
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    xhr.open("POST", &format!("{API_PREFIX}{path}"))
        .map_err(|_| ApiError::Network)?;
    for (name, value) in [
        (CSRF_HEADER, CSRF_HEADER_VALUE),
        ("Accept", "application/json"),
    ] {
        xhr.set_request_header(name, value)
            .map_err(|_| ApiError::Network)?;
    }
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                on_progress(event.loaded() / event.total());
            }
        });
    xhr.upload()
        .map_err(|_| ApiError::Network)?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    // `loadend` fires once whatever the outcome: success, error status, network error or abort.
    let finished = js_sys::Promise::new(&mut |resolve, _reject| {
        xhr.set_onloadend(Some(&resolve));
    });
    xhr.send_with_opt_form_data(Some(form))
        .map_err(|_| ApiError::Network)?;
    let _ = wasm_bindgen_futures::JsFuture::from(finished).await;
    drop(progress);
    read_xhr_answer(&xhr)
}

fn read_xhr_answer<T: DeserializeOwned>(xhr: &web_sys::XmlHttpRequest) -> Result<T, ApiError> {
    let status = xhr.status().unwrap_or(0);
    if status == 0 {
        return Err(ApiError::Network);
    }
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        return serde_json::from_str(&body).map_err(|_| ApiError::UnexpectedAnswer);
    }
    let retry_after = xhr.get_response_header("Retry-After").ok().flatten();
    Err(noticed(ApiError::from_answer(
        status,
        &body,
        retry_after.as_deref(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lantern_error_shape_with_fields() {
        let body = r#"{"error":{"code":"validation_failed","message":"Check the form.","fields":{"email":"Enter an e-mail address."}}}"#;
        let error = ApiError::from_answer(422, body, None);
        assert_eq!(error.status(), Some(422));
        assert_eq!(
            error.field("email").as_deref(),
            Some("Enter an e-mail address.")
        );
        assert_eq!(error.field("password"), None);
        assert_eq!(error.to_string(), "Check the form.");
    }

    #[test]
    fn foreign_error_bodies_still_read_well() {
        let error = ApiError::from_answer(502, "<html>Bad gateway</html>", None);
        assert_eq!(
            error.to_string(),
            "Lantern ran into a problem. Please try again in a moment."
        );
    }

    #[test]
    fn too_many_attempts_says_when_to_retry_once() {
        let body = r#"{"error":{"code":"rate_limited","message":"Too many attempts. Try again in 5 minutes."}}"#;
        let error = ApiError::from_answer(429, body, Some("300"));
        assert_eq!(
            error.to_string(),
            "Too many attempts in a short time. You can try again in about 5 minutes."
        );
        let soon = ApiError::from_answer(429, body, Some("1"));
        assert!(soon.to_string().ends_with("try again in 1 second."));
        assert_eq!(soon.when_to_retry(), "You can try again in 1 second.");
        assert_eq!(
            ApiError::from_answer(429, body, None).when_to_retry(),
            "Wait a little, then try again."
        );
    }

    #[test]
    fn the_export_is_saved_under_the_servers_name() {
        assert_eq!(
            quoted_file_name(
                "attachment; filename=\"lantern-data-2026-12-06.zip\"; filename*=UTF-8''lantern-data-2026-12-06.zip"
            ),
            Some("lantern-data-2026-12-06.zip")
        );
        assert_eq!(quoted_file_name("attachment"), None);
        assert_eq!(quoted_file_name("attachment; filename=\"\""), None);
    }

    #[test]
    fn a_busy_server_says_when_to_retry() {
        let body = r#"{"error":{"code":"overloaded","message":"The server is busy. Please try again in a moment."}}"#;
        assert_eq!(
            ApiError::from_answer(503, body, Some("3")).to_string(),
            "Lantern is busy right now. You can try again in 3 seconds."
        );
        assert_eq!(
            ApiError::from_answer(503, "<html>busy</html>", None).to_string(),
            "Lantern is busy right now. Please try again in a moment."
        );
        // Another failure of the server is no reason to wait.
        let internal = r#"{"error":{"code":"internal","message":"Something went wrong on our side. Please try again."}}"#;
        assert_eq!(
            ApiError::from_answer(500, internal, None).to_string(),
            "Something went wrong on our side. Please try again."
        );
    }

    #[test]
    fn a_refused_upload_names_the_limit_the_server_gave() {
        let quota = r#"{"error":{"code":"upload_quota_exceeded","message":"You can upload 200 MB a day and have used 199 MB of it. Remove files you no longer need, or try again tomorrow."}}"#;
        assert!(
            ApiError::from_answer(413, quota, None)
                .to_string()
                .starts_with("You can upload 200 MB a day")
        );
        // A proxy's own page for a body too large.
        assert_eq!(
            ApiError::from_answer(413, "<html>Request Entity Too Large</html>", None).to_string(),
            "This is larger than Lantern accepts."
        );
    }

    #[test]
    fn unreadable_retry_after_is_ignored() {
        let error = ApiError::from_answer(429, "", Some("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(
            error.to_string(),
            "Too many attempts in a short time. Wait a little, then try again."
        );
    }

    #[test]
    fn network_error_tells_what_to_do() {
        assert_eq!(
            ApiError::Network.to_string(),
            "Could not reach Lantern. Check your connection and try again."
        );
        assert_eq!(ApiError::Network.status(), None);
    }
}
