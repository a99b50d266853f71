//! The one error type of the API. Every failure becomes
//! `{"error": {"code", "message", "fields"}}` ([`ErrorBody`]) with a stable code.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
pub use lantern_core::api::FieldErrors;
use lantern_core::api::{ErrorBody, ErrorDetail};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    /// Malformed request (bad JSON, bad query string, wrong content type).
    #[error("{message}")]
    BadRequest { status: StatusCode, message: String },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("This request must carry the header `X-Requested-With: lantern`.")]
    CsrfMissing,
    #[error("{}", try_again_message(*retry_after_seconds))]
    RateLimited { retry_after_seconds: u64 },
    /// A bounded queue (password hashing) is full; the client should retry shortly.
    #[error("The server is busy. Please try again in a moment.")]
    Overloaded { retry_after_seconds: u64 },
    #[error("The request body is too large.")]
    PayloadTooLarge,
    #[error("{0}")]
    Conflict(String),
    /// A failure with its own stable code, e.g. `idempotency_conflict`.
    #[error("{message}")]
    Coded {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// Anything unexpected: logged with its cause, answered without it.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound(message.into())
    }

    /// A validation failure of one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::fields(FieldErrors::one(field, message))
    }

    /// A validation failure of several fields.
    pub fn fields(fields: FieldErrors) -> Self {
        Self::Validation {
            message: "Some fields need attention.".to_owned(),
            fields,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::Unauthorized(message.into())
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    /// A 409 with its own stable code, e.g. `ticket_closed`.
    pub fn coded_conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Coded {
            status: StatusCode::CONFLICT,
            code,
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest { status, .. } => *status,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::CsrfMissing => StatusCode::FORBIDDEN,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Coded { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::Validation { .. } => "validation_failed",
            Self::BadRequest { status, .. } => code_for_status(*status),
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::CsrfMissing => "csrf_missing",
            Self::RateLimited { .. } => "rate_limited",
            Self::Overloaded { .. } => "overloaded",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Conflict(_) => "conflict",
            Self::Coded { code, .. } => code,
            Self::Internal(_) => "internal",
        }
    }

    fn body(&self) -> ErrorBody {
        let message = match self {
            Self::Internal(_) => "Something went wrong on our side. Please try again.".to_owned(),
            other => other.to_string(),
        };
        let fields = match self {
            Self::Validation { fields, .. } => fields.clone(),
            _ => FieldErrors::new(),
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message,
                fields,
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

/// The code of an error that only has a status (used for rejections raised outside handlers).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::UNPROCESSABLE_ENTITY => "validation_failed",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::CONFLICT => "conflict",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        status if status.is_server_error() => "internal",
        _ => "bad_request",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "request failed");
        }
        let mut response = (self.status(), Json(self.body())).into_response();
        if let Self::RateLimited {
            retry_after_seconds,
        }
        | Self::Overloaded {
            retry_after_seconds,
        } = self
        {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after_seconds.max(1)),
            );
        }
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        match rejection {
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            JsonRejection::MissingJsonContentType(_) => Self::BadRequest {
                status,
                message: "Send the body as JSON with `Content-Type: application/json`.".to_owned(),
            },
            other => Self::BadRequest {
                status,
                message: other.body_text(),
            },
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest {
            status: rejection.status(),
            message: rejection.body_text(),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest {
            status: rejection.status(),
            message: rejection.body_text(),
        }
    }
}

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let body = AppError::Internal(anyhow::anyhow!("secret path /etc/x")).body();
        assert_eq!(body.error.code, "internal");
        assert!(!body.error.message.contains("secret"));
    }

    #[test]
    fn rate_limited_answers_retry_after() {
        let response = AppError::RateLimited {
            retry_after_seconds: 90,
        }
        .into_response();
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
        let response = AppError::Overloaded {
            retry_after_seconds: 1,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    }

    #[test]
    fn validation_errors_carry_their_fields() {
        let error = AppError::field("password", "Too short.");
        assert_eq!(error.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error.body().error.fields.get("password"),
            Some("Too short.")
        );
    }
}
