//! SeaORM entities: the shape of each table as this crate reads and writes it.
//! Private: the rest of the workspace only sees domain types.

pub(crate) mod audit_logs;
pub(crate) mod invites;
pub(crate) mod users;
pub(crate) mod workspace_members;
pub(crate) mod workspaces;
