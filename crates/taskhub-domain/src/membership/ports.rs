use async_trait::async_trait;

use super::model::Member;
use crate::PortError;
use crate::audit::AuditRecord;
use crate::ids::{UserId, WorkspaceId};
use crate::pagination::{Page, PageRequest};
use crate::rbac::Role;

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait MembershipRepository: Send + Sync {
    /// The role of `user` in `workspace`.
    ///
    /// # Errors
    /// - `NotFound`: not a member (or no such workspace).
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn find_role(&self, workspace: WorkspaceId, user: UserId) -> Result<Role, PortError>;

    /// # Errors
    /// - `NotFound`: not a member (or no such workspace).
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn find(&self, workspace: WorkspaceId, user: UserId) -> Result<Member, PortError>;

    /// Members in the order they joined.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn list(
        &self,
        workspace: WorkspaceId,
        page: PageRequest,
    ) -> Result<Page<Member>, PortError>;

    /// In one transaction: sets the role and records `audit` (entity: the
    /// member's user id).
    ///
    /// # Errors
    /// - `NotFound`: not a member (nothing written).
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn change_role(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
        audit: AuditRecord,
    ) -> Result<Member, PortError>;

    /// In one transaction: removes the membership and records `audit`.
    ///
    /// # Errors
    /// - `NotFound`: not a member (nothing written).
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn remove(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        audit: AuditRecord,
    ) -> Result<(), PortError>;
}

/// A best-effort cache of members' roles (Redis in production). MySQL stays
/// the source of truth: implementations log their own failures and report
/// a miss, so an unreachable cache slows requests down but never fails them.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait PermissionCache: Send + Sync {
    /// The cached role, or `None` on a miss or a cache failure.
    async fn get(&self, workspace: WorkspaceId, user: UserId) -> Option<Role>;

    /// Remembers a role for the configured time.
    async fn put(&self, workspace: WorkspaceId, user: UserId, role: Role);

    /// Forgets a role, so the next request reads MySQL.
    async fn invalidate(&self, workspace: WorkspaceId, user: UserId);
}
