//! The caller of a workspace-scoped use case.

use crate::error::DomainError;
use crate::ids::{UserId, WorkspaceId};
use crate::rbac::{Action, Role, authorize};

/// A user acting inside one workspace, with their role there. Only obtainable
/// by resolving a real membership, so holding one proves membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub workspace_id: WorkspaceId,
    pub role: Role,
}

impl Actor {
    /// `Forbidden` unless the actor's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), DomainError> {
        if authorize(self.role, action) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }
}
