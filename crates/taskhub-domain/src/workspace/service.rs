use std::sync::Arc;

use super::model::{NewWorkspace, WorkspaceName, WorkspaceWithRole};
use super::ports::WorkspaceRepository;
use crate::actor::Actor;
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::error::DomainError;
use crate::ids::UserId;
use crate::membership::PermissionCache;
use crate::pagination::{Page, PageRequest};
use crate::rbac::{Action, Role};

pub struct WorkspaceService {
    workspaces: Arc<dyn WorkspaceRepository>,
    permissions: Arc<dyn PermissionCache>,
    clock: Arc<dyn Clock>,
}

impl WorkspaceService {
    pub fn new(
        workspaces: Arc<dyn WorkspaceRepository>,
        permissions: Arc<dyn PermissionCache>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            workspaces,
            permissions,
            clock,
        }
    }

    /// Creates a workspace whose one OWNER is `user`.
    pub async fn create(&self, user: UserId, name: &str) -> Result<WorkspaceWithRole, DomainError> {
        let name = WorkspaceName::parse(name).map_err(|msg| DomainError::invalid("name", msg))?;
        let now = self.clock.now();
        let audit =
            AuditRecord::new(user, AuditAction::WorkspaceCreate, now).with("name", name.as_str());
        let workspace = self
            .workspaces
            .create(
                NewWorkspace {
                    name,
                    owner_id: user,
                    created_at: now,
                },
                audit,
            )
            .await?;
        Ok(WorkspaceWithRole {
            workspace,
            role: Role::Owner,
        })
    }

    /// The caller's workspaces, each with the caller's role.
    pub async fn list_mine(
        &self,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<WorkspaceWithRole>, DomainError> {
        Ok(self.workspaces.list_for_member(user, page).await?)
    }

    pub async fn get(&self, actor: &Actor) -> Result<WorkspaceWithRole, DomainError> {
        actor.require(Action::Read)?;
        let workspace = self.workspaces.find(actor.workspace_id).await?;
        Ok(WorkspaceWithRole {
            workspace,
            role: actor.role,
        })
    }

    /// Applies a `PATCH` (OWNER, ADMIN). `name: None` changes nothing and
    /// records nothing, but is still subject to the permission.
    pub async fn update(
        &self,
        actor: &Actor,
        name: Option<&str>,
    ) -> Result<WorkspaceWithRole, DomainError> {
        actor.require(Action::RenameWorkspace)?;
        let Some(name) = name else {
            return self.get(actor).await;
        };
        let name = WorkspaceName::parse(name).map_err(|msg| DomainError::invalid("name", msg))?;
        let now = self.clock.now();
        let audit = AuditRecord::new(actor.user_id, AuditAction::WorkspaceUpdate, now)
            .with("name", name.as_str());
        let workspace = self
            .workspaces
            .rename(actor.workspace_id, name, now, audit)
            .await?;
        Ok(WorkspaceWithRole {
            workspace,
            role: actor.role,
        })
    }

    /// Deletes the workspace with everything in it (OWNER only). Its audit
    /// log goes with it: there is no workspace left to hold the row.
    pub async fn delete(&self, actor: &Actor) -> Result<(), DomainError> {
        actor.require(Action::DeleteWorkspace)?;
        let former_members = self.workspaces.delete(actor.workspace_id).await?;
        // Best effort: a stale cached role of a deleted workspace only gets
        // its holder as far as a 404, since every row is gone.
        for user in former_members {
            let _ = self.permissions.invalidate(actor.workspace_id, user).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::PortError;
    use crate::clock::fixed_clock;
    use crate::ids::WorkspaceId;
    use crate::membership::MockPermissionCache;
    use crate::workspace::Workspace;
    use crate::workspace::ports::MockWorkspaceRepository;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: UserId(1),
            workspace_id: WorkspaceId(10),
            role,
        }
    }

    fn service(repo: MockWorkspaceRepository, cache: MockPermissionCache) -> WorkspaceService {
        WorkspaceService::new(Arc::new(repo), Arc::new(cache), fixed_clock())
    }

    #[tokio::test]
    async fn create_records_workspace_create_with_the_write() {
        let mut repo = MockWorkspaceRepository::new();
        repo.expect_create()
            .withf(|new, audit| {
                new.name.as_str() == "Acme"
                    && new.owner_id == UserId(1)
                    && audit.action == AuditAction::WorkspaceCreate
                    && audit.actor_id == UserId(1)
                    && audit.meta.get("name").map(String::as_str) == Some("Acme")
            })
            .times(1)
            .returning(|new, _| {
                Ok(Workspace {
                    id: WorkspaceId(10),
                    name: new.name.as_str().to_owned(),
                    owner_id: new.owner_id,
                    created_at: new.created_at,
                })
            });
        let created = service(repo, MockPermissionCache::new())
            .create(UserId(1), "  Acme ")
            .await
            .unwrap();
        assert_eq!(created.role, Role::Owner);
        assert_eq!(created.workspace.name, "Acme");
    }

    #[tokio::test]
    async fn when_the_audit_insert_fails_the_rename_fails_as_a_whole() {
        // The repository writes the rename and its audit row in one
        // transaction: a failing audit insert means nothing was written.
        let mut repo = MockWorkspaceRepository::new();
        repo.expect_rename()
            .times(1)
            .returning(|_, _, _, _| Err(PortError::unexpected("audit insert failed")));
        let err = service(repo, MockPermissionCache::new())
            .update(&actor(Role::Admin), Some("New name"))
            .await
            .unwrap_err();
        assert!(matches!(err, DomainError::Unexpected(_)), "{err:?}");
    }

    #[tokio::test]
    async fn members_and_guests_cannot_rename_and_nothing_is_written() {
        for role in [Role::Member, Role::Guest] {
            let mut repo = MockWorkspaceRepository::new();
            repo.expect_rename().never();
            let err = service(repo, MockPermissionCache::new())
                .update(&actor(role), Some("x"))
                .await
                .unwrap_err();
            assert!(matches!(err, DomainError::Forbidden), "{role:?}");
        }
    }

    #[tokio::test]
    async fn an_empty_name_is_invalid() {
        let err = service(MockWorkspaceRepository::new(), MockPermissionCache::new())
            .create(UserId(1), "   ")
            .await
            .unwrap_err();
        assert!(matches!(err, DomainError::Invalid(_)));
    }

    #[tokio::test]
    async fn delete_is_owner_only_and_forgets_every_cached_permission() {
        let mut repo = MockWorkspaceRepository::new();
        repo.expect_delete()
            .times(1)
            .returning(|_| Ok(vec![UserId(1), UserId(2)]));
        let mut cache = MockPermissionCache::new();
        cache.expect_invalidate().times(2).returning(|_, _| Ok(()));
        service(repo, cache)
            .delete(&actor(Role::Owner))
            .await
            .unwrap();

        let mut repo = MockWorkspaceRepository::new();
        repo.expect_delete().never();
        let err = service(repo, MockPermissionCache::new())
            .delete(&actor(Role::Admin))
            .await
            .unwrap_err();
        assert!(matches!(err, DomainError::Forbidden));
    }
}
