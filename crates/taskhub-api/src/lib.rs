//! Taskhub's HTTP API: the only crate that knows HTTP.
//!
//! Handlers are thin: they turn a request DTO into a domain command, call one
//! service method and turn the result into a response DTO. Errors of every
//! kind leave through [`error::ApiError`] as RFC 9457 problem+json.

pub mod adapters;
pub mod error;
pub mod extract;
mod middleware;
mod openapi;
mod routes;
pub mod startup;
mod state;

pub use startup::{Application, openapi_document};
pub use state::AppState;
