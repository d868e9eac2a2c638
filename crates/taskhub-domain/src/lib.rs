//! Taskhub's domain: the rules of accounts, workspaces, projects, tasks and
//! comments, the use cases that apply them, and the ports through which they
//! reach storage, caches and the outside world.
//!
//! This crate does no I/O and knows no HTTP, SQL, Redis or JSON. Adapters
//! implement its ports; the binaries wire them into its services.

pub mod actor;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod error;
pub mod health;
pub mod ids;
pub mod invite;
pub mod membership;
pub mod pagination;
pub mod rbac;
pub mod validation;
pub mod workspace;

pub use error::{BoxError, DomainError, PortError};
