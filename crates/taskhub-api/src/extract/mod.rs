//! Request extractors whose failures are problem+json, never actix's text.

mod auth;
mod json;
mod pagination;
mod workspace;

use actix_web::{HttpRequest, web};
pub use auth::CurrentUser;
pub use json::{JsonBody, MAX_BODY_BYTES, OptionalJsonBody};
pub use pagination::{PageQuery, Paginated};
pub use workspace::WorkspaceActor;

use crate::error::ApiError;

/// Error handlers for actix's own `Path` and `Query` extractors.
pub(crate) fn configure_builtin_extractors(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(path_error))
        .app_data(web::QueryConfig::default().error_handler(query_error));
}

/// An id that is not a positive integer names nothing that exists.
fn path_error(_: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::not_found().into()
}

fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::bad_request(format!("invalid query string: {err}")).into()
}
