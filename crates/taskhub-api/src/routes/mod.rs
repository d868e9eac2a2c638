//! Routes, one module per area, each with its DTOs and a `configure`.

pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod health;
pub(crate) mod invites;
pub(crate) mod members;
pub(crate) mod workspaces;

use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, SecondsFormat, Utc};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    auth::configure(cfg);
    workspaces::configure(cfg);
    members::configure(cfg);
    invites::configure(cfg);
    audit::configure(cfg);
}

/// Anything no route matched.
pub(crate) async fn not_found(_: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::not_found())
}

/// RFC 3339 in UTC with a `Z`, e.g. `2026-12-03T10:00:00Z`.
pub(crate) fn timestamp(value: DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::Secs, true)
}
