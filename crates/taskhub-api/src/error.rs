//! `ApiError`: every failure, rendered once, as RFC 9457 problem details.
//!
//! The `code` member is the stable, machine-readable name from API.md.
//! 5xx bodies stay generic; their cause chain goes to the log (inside the
//! request's span, so it carries the request id).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use taskhub_domain::auth::AuthError;
use taskhub_domain::error::error_chain;
use taskhub_domain::validation::ValidationErrors;
use taskhub_domain::{BoxError, DomainError};
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One rejected field of a 422.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// RFC 9457 problem details.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:taskhub:problem:{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable error code, e.g. `not_found`.
    pub code: String,
    /// Present on 422 `validation_failed` only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<FieldProblem>,
    retry_after_secs: Option<u64>,
    /// Whether a 401 answers a token that was presented (and rejected).
    token_presented: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            token_presented: true,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    /// 401 for a request that carried no credentials at all.
    pub fn missing_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing Authorization: Bearer token",
        )
        .without_token_error()
    }

    /// RFC 6750: no `error` attribute when the request had no token.
    fn without_token_error(mut self) -> Self {
        self.token_presented = false;
        self
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "the resource does not exist",
        )
    }

    pub fn validation(errors: &ValidationErrors) -> Self {
        let mut error = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "the request has invalid fields",
        );
        error.errors = errors
            .fields()
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                message: e.message.clone(),
            })
            .collect();
        error
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests; retry later",
        );
        error.retry_after_secs = Some(retry_after_secs);
        error
    }

    /// A backing service is down: 503, cause logged.
    pub fn unavailable(cause: &BoxError) -> Self {
        tracing::warn!(error = %error_chain(cause.as_ref()), "backing service unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "a backing service is unavailable; retry shortly",
        )
    }

    /// A bug: 500 with a generic body, full cause chain logged.
    pub fn internal(cause: &(dyn std::error::Error + 'static)) -> Self {
        tracing::error!(error = %error_chain(cause), "unexpected error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an unexpected error occurred",
        )
    }

    /// The app was assembled without its `AppState`: a wiring bug.
    pub fn missing_state() -> Self {
        #[derive(Debug, thiserror::Error)]
        #[error("AppState is not registered as app data")]
        struct MissingState;
        Self::internal(&MissingState)
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("urn:taskhub:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_owned(),
            errors: self.errors.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type(PROBLEM_JSON);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, self.www_authenticate()));
        }
        if let Some(seconds) = self.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, seconds));
        }
        response.json(self.problem())
    }
}

impl ApiError {
    /// RFC 6750: `error="invalid_token"` when a token was presented and
    /// rejected; a plain challenge otherwise (no token, wrong password).
    fn www_authenticate(&self) -> HeaderValue {
        if self.token_presented && self.code != "invalid_credentials" {
            HeaderValue::from_static(r#"Bearer error="invalid_token""#)
        } else {
            HeaderValue::from_static("Bearer")
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(err: AuthError) -> Self {
        match &err {
            AuthError::Invalid(errors) => Self::validation(errors),
            AuthError::EmailTaken => Self::new(StatusCode::CONFLICT, "conflict", err.to_string()),
            AuthError::InvalidCredentials => Self::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                err.to_string(),
            ),
            AuthError::InvalidToken => Self::unauthorized(err.to_string()),
            AuthError::TokenReused => {
                Self::new(StatusCode::UNAUTHORIZED, "token_reused", err.to_string())
            }
            AuthError::Unavailable(cause) => Self::unavailable(cause),
            AuthError::Unexpected(_) => Self::internal(&err),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match &err {
            DomainError::NotFound => Self::not_found(),
            DomainError::Forbidden => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", err.to_string())
            }
            DomainError::Invalid(errors) => Self::validation(errors),
            DomainError::Conflict(detail) => {
                Self::new(StatusCode::CONFLICT, "conflict", detail.clone())
            }
            DomainError::InviteExpired => {
                Self::new(StatusCode::GONE, "invite_expired", err.to_string())
            }
            DomainError::InviteRevoked => {
                Self::new(StatusCode::GONE, "invite_revoked", err.to_string())
            }
            DomainError::Unavailable(cause) => Self::unavailable(cause),
            DomainError::Unexpected(_) => Self::internal(&err),
        }
    }
}
