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

    /// In one transaction: changes the member's role from `from` to `to`
    /// and records `audit` (entity: the member's user id).
    ///
    /// # Errors
    /// - `NotFound`: not a member (nothing written).
    /// - `Conflict`: the member's role is no longer `from` (changed
    ///   concurrently; the rules were checked against `from`). Nothing written.
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn change_role(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        from: Role,
        to: Role,
        audit: AuditRecord,
    ) -> Result<Member, PortError>;

    /// In one transaction: removes the membership, if its role is still
    /// `role`, and records `audit`.
    ///
    /// # Errors
    /// - `NotFound`: not a member (nothing written).
    /// - `Conflict`: the member's role is no longer `role`. Nothing written.
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn remove(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
        audit: AuditRecord,
    ) -> Result<(), PortError>;
}

/// A cache of members' roles (Redis in production). MySQL stays the source
/// of truth: reads and fills are best effort (implementations log their own
/// failures and report a miss), so an unreachable cache slows requests down
/// but never fails them.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait PermissionCache: Send + Sync {
    /// The cached role, or `None` on a miss, a blocked entry or a failure.
    async fn get(&self, workspace: WorkspaceId, user: UserId) -> Option<Role>;

    /// Fills the cache after a miss. Never overwrites: while an entry is
    /// blocked by [`invalidate`](Self::invalidate), the fill is dropped.
    async fn put(&self, workspace: WorkspaceId, user: UserId, role: Role);

    /// Forgets a role and blocks fills of it for longer than any request
    /// takes, so a request that read the old role from MySQL just before a
    /// change cannot put it back. Call it before the change is written (and
    /// again after).
    ///
    /// # Errors
    /// `Unavailable` when the cache cannot be reached: the change must then
    /// not be written, or the old role could stay cached.
    async fn invalidate(&self, workspace: WorkspaceId, user: UserId) -> Result<(), PortError>;
}
