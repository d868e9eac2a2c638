//! MySQL adapters: SeaORM entities (private to this crate) and the
//! repository implementations of the domain's ports.
//!
//! Every call goes through [`db::call`], which bounds it in time and turns
//! driver errors into the domain's [`PortError`](taskhub_domain::PortError),
//! so no SeaORM or sqlx type ever crosses into the domain.

mod audit;
mod db;
mod entities;
mod health;
mod invites;
mod members;
mod users;
mod workspaces;

pub use audit::MySqlAuditLogRepository;
pub use db::{ConnectError, connect};
pub use health::MySqlHealthProbe;
pub use invites::MySqlInviteRepository;
pub use members::MySqlMembershipRepository;
pub use sea_orm::DatabaseConnection;
pub use users::MySqlUserRepository;
pub use workspaces::MySqlWorkspaceRepository;
