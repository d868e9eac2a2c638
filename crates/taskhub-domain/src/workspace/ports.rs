use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::{NewWorkspace, Workspace, WorkspaceName, WorkspaceWithRole};
use crate::PortError;
use crate::audit::AuditRecord;
use crate::ids::{UserId, WorkspaceId};
use crate::pagination::{Page, PageRequest};

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait WorkspaceRepository: Send + Sync {
    /// In one transaction: inserts the workspace, makes its creator the
    /// OWNER member, and records `audit` (entity: the new workspace).
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn create(
        &self,
        workspace: NewWorkspace,
        audit: AuditRecord,
    ) -> Result<Workspace, PortError>;

    /// # Errors
    /// - `NotFound`: no such workspace.
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn find(&self, id: WorkspaceId) -> Result<Workspace, PortError>;

    /// The workspaces `user` is a member of, with its role, oldest first.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn list_for_member(
        &self,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<WorkspaceWithRole>, PortError>;

    /// In one transaction: renames and records `audit`.
    ///
    /// # Errors
    /// - `NotFound`: no such workspace (nothing written).
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn rename(
        &self,
        id: WorkspaceId,
        name: WorkspaceName,
        updated_at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Workspace, PortError>;

    /// Deletes the workspace and everything it owns (members, invites,
    /// projects, tasks, comments, audit rows) in one transaction, and
    /// returns the users who were its members.
    ///
    /// # Errors
    /// - `NotFound`: no such workspace.
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is deleted.
    async fn delete(&self, id: WorkspaceId) -> Result<Vec<UserId>, PortError>;
}
