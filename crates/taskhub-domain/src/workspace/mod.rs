//! Workspaces: the tenants. Everything else belongs to exactly one.

mod model;
mod ports;
mod service;

pub use model::{NewWorkspace, Workspace, WorkspaceName, WorkspaceWithRole};
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockWorkspaceRepository;
pub use ports::WorkspaceRepository;
pub use service::WorkspaceService;
