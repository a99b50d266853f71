//! Files for tickets: `POST /attachments`, `GET /attachments/limits`,
//! `GET|DELETE /attachments/{id}`. The logic lives in `crate::attachments`.

use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lantern_core::api::ErrorBody;
use lantern_core::ticket::{AttachmentLimits, AttachmentUploaded};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::attachments::{self, content_disposition, download_content_type};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(limits))
        .routes(routes!(download, remove))
}

/// `POST /attachments`, which may take longer than other requests: `crate::api::routes` gives
/// it the upload timeout instead of the request timeout.
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        // The API-wide body limit is for JSON; uploads enforce the configured limit while
        // streaming (`crate::attachments`).
        .route_layer(DefaultBodyLimit::disable())
}

/// Uploads one file (`multipart/form-data` with a `kind` part, `log`, `screenshot` or `other`,
/// and one `file` part). The size limit is enforced while the file streams.
#[utoipa::path(post, path = "/attachments", tag = "tickets",
    request_body(content_type = "multipart/form-data", description = "Parts `kind` and `file`"),
    responses(
        (status = 201, description = "Stored; put it into the draft's `attachments`", body = AttachmentUploaded),
        (status = 400, description = "`bad_request`: not a readable `multipart/form-data` body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: larger than the configured limit; `upload_quota_exceeded`: past the bytes the person or their organisation may upload a day", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: a file type that is not allowed", body = ErrorBody),
        (status = 422, description = "No file, an empty file or a bad `kind`", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<AttachmentUploaded>)> {
    let multipart = multipart
        .map_err(|rejection| AppError::for_status(rejection.status(), rejection.body_text()))?;
    let uploaded = attachments::upload(&state, &user, multipart).await?;
    Ok((StatusCode::CREATED, Json(uploaded)))
}

/// What uploads accept.
#[utoipa::path(get, path = "/attachments/limits", tag = "tickets",
    responses((status = 200, description = "Largest size and allowed file types", body = AttachmentLimits)))]
pub async fn limits(State(state): State<AppState>) -> Json<AttachmentLimits> {
    Json(attachments::limits(&state.config.attachments))
}

/// Downloads a file of the caller's organisation, always as a download.
#[utoipa::path(get, path = "/attachments/{id}", tag = "tickets",
    params(("id" = String, Path, description = "The attachment's id")),
    responses(
        (status = 200, description = "The file, with `Content-Disposition: attachment`"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such file in the caller's organisation", body = ErrorBody),
    ))]
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (attachment, content) = attachments::open_for_download(&state, &user, &id).await?;
    let mut response = Body::from_stream(content).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(download_content_type(&attachment.content_type)),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(attachment.size));
    let disposition = HeaderValue::from_str(&content_disposition(&attachment.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// Removes one's own upload that is not on a ticket yet.
#[utoipa::path(delete, path = "/attachments/{id}", tag = "tickets",
    params(("id" = String, Path, description = "The attachment's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "Not one's own upload, or already on a ticket", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    attachments::delete(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
