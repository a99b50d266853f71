//! The one error type of the API. Every failure becomes
//! `{"error": {"code", "message", "fields"}}` ([`ErrorBody`]) with a stable code.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
pub use lantern_core::api::FieldErrors;
use lantern_core::api::{ErrorBody, ErrorDetail};
use lantern_core::request_body::BodyError;

/// What the client is told when the API refuses a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    /// Stable and machine-readable, e.g. `validation_failed`.
    pub code: &'static str,
    /// A sentence a person can read.
    pub message: String,
    pub fields: FieldErrors,
    /// Sent as `Retry-After`: how long to wait before the same request may pass.
    pub retry_after_seconds: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", .0.message)]
    Refused(Refusal),
    /// Anything unexpected: logged with its cause, answered without it.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

const INTERNAL_MESSAGE: &str = "Something went wrong on our side. Please try again.";

impl AppError {
    /// A refusal with its own stable code, e.g. `upload_quota_exceeded`.
    pub fn coded(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Refused(Refusal {
            status,
            code,
            message: message.into(),
            fields: FieldErrors::new(),
            retry_after_seconds: None,
        })
    }

    /// A 409 with its own stable code, e.g. `ticket_closed`.
    pub fn coded_conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::coded(StatusCode::CONFLICT, code, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::coded(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::coded(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::coded(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn csrf_missing() -> Self {
        Self::coded(
            StatusCode::FORBIDDEN,
            "csrf_missing",
            "This request must carry the header `X-Requested-With: lantern`.",
        )
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::coded(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn payload_too_large(message: impl Into<String>) -> Self {
        Self::coded(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    }

    /// A request body over the limit of its endpoint.
    pub fn body_too_large() -> Self {
        Self::payload_too_large("The request body is too large.")
    }

    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::coded(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            message,
        )
    }

    /// A validation failure of one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::fields(FieldErrors::one(field, message))
    }

    /// A validation failure of several fields.
    pub fn fields(fields: FieldErrors) -> Self {
        Self::invalid("Some fields need attention.", fields)
    }

    /// A validation failure: the request as a whole, and its `fields`.
    fn invalid(message: impl Into<String>, fields: FieldErrors) -> Self {
        Self::Refused(Refusal {
            fields,
            ..Refusal::from(Self::coded(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                message,
            ))
        })
    }

    /// Too many requests; the same one may pass after `retry_after_seconds`.
    pub fn rate_limited(retry_after_seconds: u64) -> Self {
        Self::waiting(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            try_again_message(retry_after_seconds),
            retry_after_seconds,
        )
    }

    /// A bounded queue (password hashing) is full; the client should retry shortly.
    pub fn overloaded(retry_after_seconds: u64) -> Self {
        Self::waiting(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "The server is busy. Please try again in a moment.".to_owned(),
            retry_after_seconds,
        )
    }

    fn waiting(
        status: StatusCode,
        code: &'static str,
        message: String,
        retry_after_seconds: u64,
    ) -> Self {
        Self::Refused(Refusal {
            retry_after_seconds: Some(retry_after_seconds.max(1)),
            ..Refusal::from(Self::coded(status, code, message))
        })
    }

    /// An answer that only has a status, such as axum's own rejections and the timeout's: the
    /// one place where a status decides the code.
    pub fn for_status(status: StatusCode, message: impl Into<String>) -> Self {
        let code = match status {
            StatusCode::BAD_REQUEST => "bad_request",
            StatusCode::UNAUTHORIZED => "unauthorized",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::REQUEST_TIMEOUT => "request_timeout",
            StatusCode::CONFLICT => "conflict",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "validation_failed",
            StatusCode::TOO_MANY_REQUESTS => "rate_limited",
            status if status.is_server_error() => "internal",
            _ => "bad_request",
        };
        Self::coded(status, code, message)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Refused(refusal) => refusal.status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused(refusal) => refusal.code,
            Self::Internal(_) => "internal",
        }
    }
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Refused(refusal) => refusal,
            AppError::Internal(_) => Self {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                code: "internal",
                message: INTERNAL_MESSAGE.to_owned(),
                fields: FieldErrors::new(),
                retry_after_seconds: None,
            },
        }
    }
}

impl Refusal {
    fn body(self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
                fields: self.fields,
            },
        }
    }
}

fn try_again_message(retry_after_seconds: u64) -> String {
    match retry_after_seconds.div_ceil(60) {
        0 | 1 => "Too many attempts. Try again in a minute.".to_owned(),
        minutes => format!("Too many attempts. Try again in {minutes} minutes."),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "request failed");
        }
        let refusal = Refusal::from(self);
        let retry_after = refusal.retry_after_seconds;
        let mut response = (refusal.status, Json(refusal.body())).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.into())
    }
}

/// A body of the wrong shape is a validation failure like any other, named by its field.
impl From<BodyError> for AppError {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::Syntax(message) => Self::bad_request(message),
            BodyError::Fields(fields) => Self::fields(fields),
            BodyError::Whole(message) => Self::invalid(message, FieldErrors::new()),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        Self::for_status(rejection.status(), rejection.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        Self::for_status(rejection.status(), rejection.body_text())
    }
}

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    fn body(error: AppError) -> ErrorBody {
        Refusal::from(error).body()
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let body = body(AppError::Internal(anyhow::anyhow!("secret path /etc/x")));
        assert_eq!(body.error.code, "internal");
        assert!(!body.error.message.contains("secret"));
    }

    #[test]
    fn rate_limited_answers_retry_after() {
        let response = AppError::rate_limited(90).into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "90");
        assert_eq!(
            try_again_message(90),
            "Too many attempts. Try again in 2 minutes."
        );
        assert_eq!(
            try_again_message(30),
            "Too many attempts. Try again in a minute."
        );
    }

    #[test]
    fn overloaded_answers_503_with_retry_after() {
        let response = AppError::overloaded(0).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    }

    #[test]
    fn validation_errors_carry_their_fields() {
        let error = AppError::field("password", "Too short.");
        assert_eq!(error.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.code(), "validation_failed");
        assert_eq!(body(error).error.fields.get("password"), Some("Too short."));
    }

    #[test]
    fn an_answer_with_only_a_status_keeps_the_codes_clients_know() {
        for (status, code) in [
            (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            (StatusCode::BAD_GATEWAY, "internal"),
            (StatusCode::IM_A_TEAPOT, "bad_request"),
        ] {
            let error = AppError::for_status(status, "x");
            assert_eq!((error.status(), error.code()), (status, code));
        }
    }
}
