use std::sync::Arc;

use super::model::Member;
use super::ports::{MembershipRepository, PermissionCache};
use crate::PortError;
use crate::actor::Actor;
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::error::DomainError;
use crate::ids::{UserId, WorkspaceId};
use crate::pagination::{Page, PageRequest};
use crate::rbac::{Action, Role, may_grant, may_manage_member};

pub struct MembershipService {
    members: Arc<dyn MembershipRepository>,
    permissions: Arc<dyn PermissionCache>,
    clock: Arc<dyn Clock>,
}

impl MembershipService {
    pub fn new(
        members: Arc<dyn MembershipRepository>,
        permissions: Arc<dyn PermissionCache>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            members,
            permissions,
            clock,
        }
    }

    /// The caller as a member of `workspace`: from the permission cache, or
    /// from MySQL on a miss (then cached). `NotFound` for a non-member and
    /// for a workspace that does not exist alike.
    pub async fn resolve_actor(
        &self,
        user: UserId,
        workspace: WorkspaceId,
    ) -> Result<Actor, DomainError> {
        let role = match self.permissions.get(workspace, user).await {
            Some(role) => role,
            None => {
                let role = self.members.find_role(workspace, user).await?;
                self.permissions.put(workspace, user, role).await;
                role
            }
        };
        Ok(Actor {
            user_id: user,
            workspace_id: workspace,
            role,
        })
    }

    pub async fn list(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> Result<Page<Member>, DomainError> {
        actor.require(Action::Read)?;
        Ok(self.members.list(actor.workspace_id, page).await?)
    }

    /// Changes a member's role. OWNER is never granted here (422); the owner
    /// keeps theirs (409); an ADMIN acts only on MEMBERs and GUESTs and
    /// grants only those roles (403).
    pub async fn change_role(
        &self,
        actor: &Actor,
        target: UserId,
        role: &str,
    ) -> Result<Member, DomainError> {
        let new_role = parse_grantable_role(role)?;
        actor.require(Action::ManageMembers)?;
        let member = self.members.find(actor.workspace_id, target).await?;
        if member.role == Role::Owner {
            return Err(DomainError::Conflict(
                "the workspace owner's role cannot be changed".into(),
            ));
        }
        if !may_manage_member(actor.role, member.role) || !may_grant(actor.role, new_role) {
            return Err(DomainError::Forbidden);
        }
        if member.role == new_role {
            return Ok(member);
        }
        let audit = AuditRecord::new(
            actor.user_id,
            AuditAction::MemberRoleUpdate,
            self.clock.now(),
        )
        .with("from", member.role.as_str())
        .with("to", new_role.as_str());
        self.permissions
            .invalidate(actor.workspace_id, target)
            .await?;
        let updated = self
            .members
            .change_role(actor.workspace_id, target, member.role, new_role, audit)
            .await
            .map_err(role_changed_meanwhile)?;
        // Belt and braces: the block set above already outlasts the write.
        let _ = self
            .permissions
            .invalidate(actor.workspace_id, target)
            .await;
        Ok(updated)
    }

    /// Removes a member, or lets the caller leave when `target` is the
    /// caller. The owner can neither leave nor be removed (409).
    pub async fn remove(&self, actor: &Actor, target: UserId) -> Result<(), DomainError> {
        let leaving = target == actor.user_id;
        if leaving {
            if actor.role == Role::Owner {
                return Err(DomainError::Conflict(
                    "the workspace owner cannot leave it".into(),
                ));
            }
            actor.require(Action::LeaveWorkspace)?;
        } else {
            actor.require(Action::ManageMembers)?;
        }
        let member = self.members.find(actor.workspace_id, target).await?;
        if member.role == Role::Owner {
            return Err(DomainError::Conflict(
                "the workspace owner cannot be removed".into(),
            ));
        }
        if !leaving && !may_manage_member(actor.role, member.role) {
            return Err(DomainError::Forbidden);
        }
        let audit = AuditRecord::new(actor.user_id, AuditAction::MemberRemove, self.clock.now())
            .with("role", member.role.as_str())
            .with("reason", if leaving { "left" } else { "removed" });
        self.permissions
            .invalidate(actor.workspace_id, target)
            .await?;
        match self
            .members
            .remove(actor.workspace_id, target, member.role, audit)
            .await
        {
            // Removed concurrently: the outcome the caller asked for.
            Ok(()) | Err(PortError::NotFound) => {}
            Err(other) => return Err(role_changed_meanwhile(other)),
        }
        let _ = self
            .permissions
            .invalidate(actor.workspace_id, target)
            .await;
        Ok(())
    }
}

/// The repository refuses a change when the member's role moved since the
/// rules were checked (a concurrent change): the caller must look again.
fn role_changed_meanwhile(err: PortError) -> DomainError {
    match err {
        PortError::Conflict => DomainError::Conflict(
            "the member's role changed meanwhile; reload and try again".into(),
        ),
        other => other.into(),
    }
}

/// A role a member may be given through the API: any but OWNER.
pub(crate) fn parse_grantable_role(raw: &str) -> Result<Role, DomainError> {
    match Role::parse(raw) {
        Some(Role::Owner) => Err(DomainError::invalid(
            "role",
            "OWNER cannot be assigned; every workspace has exactly one owner",
        )),
        Some(role) => Ok(role),
        None => Err(DomainError::invalid(
            "role",
            "must be one of ADMIN, MEMBER, GUEST",
        )),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use mockall::predicate::eq;

    use super::*;
    use crate::auth::Email;
    use crate::clock::fixed_clock;
    use crate::membership::ports::{MockMembershipRepository, MockPermissionCache};

    const WS: WorkspaceId = WorkspaceId(10);

    fn member(user: i64, role: Role) -> Member {
        Member {
            user_id: UserId(user),
            email: Email::parse("m@example.com").unwrap(),
            name: "M".into(),
            role,
            joined_at: Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
        }
    }

    fn actor(user: i64, role: Role) -> Actor {
        Actor {
            user_id: UserId(user),
            workspace_id: WS,
            role,
        }
    }

    /// A repository where user `target` holds `role`; role changes succeed.
    fn repo_with(target: i64, role: Role) -> MockMembershipRepository {
        let mut repo = MockMembershipRepository::new();
        repo.expect_find()
            .with(eq(WS), eq(UserId(target)))
            .returning(move |_, user| Ok(member(user.0, role)));
        repo.expect_change_role()
            .returning(|_, user, _, role, _| Ok(member(user.0, role)));
        repo.expect_remove().returning(|_, _, _, _| Ok(()));
        repo
    }

    /// A cache that expects `count` invalidations: a successful change
    /// invalidates before and after its write, a refused one never.
    fn cache_expecting_invalidations(count: usize) -> MockPermissionCache {
        let mut cache = MockPermissionCache::new();
        cache
            .expect_invalidate()
            .times(count)
            .returning(|_, _| Ok(()));
        cache
    }

    fn service(repo: MockMembershipRepository, cache: MockPermissionCache) -> MembershipService {
        MembershipService::new(Arc::new(repo), Arc::new(cache), fixed_clock())
    }

    #[tokio::test]
    async fn a_cache_hit_skips_mysql_and_a_miss_fills_the_cache() {
        let mut cache = MockPermissionCache::new();
        cache.expect_get().returning(|_, _| Some(Role::Admin));
        let mut repo = MockMembershipRepository::new();
        repo.expect_find_role().never();
        let actor = service(repo, cache)
            .resolve_actor(UserId(1), WS)
            .await
            .unwrap();
        assert_eq!(actor.role, Role::Admin);

        let mut cache = MockPermissionCache::new();
        cache.expect_get().returning(|_, _| None);
        cache
            .expect_put()
            .with(eq(WS), eq(UserId(1)), eq(Role::Guest))
            .times(1)
            .returning(|_, _, _| ());
        let mut repo = MockMembershipRepository::new();
        repo.expect_find_role().returning(|_, _| Ok(Role::Guest));
        let actor = service(repo, cache)
            .resolve_actor(UserId(1), WS)
            .await
            .unwrap();
        assert_eq!(actor.role, Role::Guest);
    }

    #[tokio::test]
    async fn a_non_member_is_not_found() {
        let mut cache = MockPermissionCache::new();
        cache.expect_get().returning(|_, _| None);
        cache.expect_put().never();
        let mut repo = MockMembershipRepository::new();
        repo.expect_find_role()
            .returning(|_, _| Err(PortError::NotFound));
        let err = service(repo, cache)
            .resolve_actor(UserId(1), WS)
            .await
            .unwrap_err();
        assert!(matches!(err, DomainError::NotFound));
    }

    /// (actor role, target role, new role, expected outcome)
    #[tokio::test]
    async fn role_change_rules() {
        use Role::*;
        let cases: [(Role, Role, &str, &str); 12] = [
            (Owner, Admin, "MEMBER", "ok"),
            (Owner, Member, "ADMIN", "ok"),
            (Owner, Guest, "MEMBER", "ok"),
            (Admin, Member, "GUEST", "ok"),
            (Admin, Guest, "MEMBER", "ok"),
            (Admin, Member, "ADMIN", "forbidden"),
            (Admin, Admin, "MEMBER", "forbidden"),
            (Member, Guest, "MEMBER", "forbidden"),
            (Guest, Member, "GUEST", "forbidden"),
            (Owner, Owner, "ADMIN", "conflict"),
            (Owner, Member, "OWNER", "invalid"),
            (Owner, Member, "boss", "invalid"),
        ];
        for (actor_role, target_role, new_role, expected) in cases {
            let invalidations = if expected == "ok" { 2 } else { 0 };
            let result = service(
                repo_with(2, target_role),
                cache_expecting_invalidations(invalidations),
            )
            .change_role(&actor(1, actor_role), UserId(2), new_role)
            .await;
            let outcome = match result {
                Ok(member) => {
                    assert_eq!(member.role.as_str(), new_role);
                    "ok"
                }
                Err(DomainError::Forbidden) => "forbidden",
                Err(DomainError::Conflict(_)) => "conflict",
                Err(DomainError::Invalid(_)) => "invalid",
                Err(other) => panic!("{other:?}"),
            };
            assert_eq!(
                outcome, expected,
                "{actor_role:?} sets {target_role:?} to {new_role}"
            );
        }
    }

    #[tokio::test]
    async fn a_role_change_records_from_and_to() {
        let mut repo = MockMembershipRepository::new();
        repo.expect_find()
            .returning(|_, user| Ok(member(user.0, Role::Member)));
        repo.expect_change_role()
            .withf(|_, _, from, role, audit| {
                *from == Role::Member
                    && *role == Role::Admin
                    && audit.action == AuditAction::MemberRoleUpdate
                    && audit.meta.get("from").map(String::as_str) == Some("MEMBER")
                    && audit.meta.get("to").map(String::as_str) == Some("ADMIN")
            })
            .times(1)
            .returning(|_, user, _, role, _| Ok(member(user.0, role)));
        service(repo, cache_expecting_invalidations(2))
            .change_role(&actor(1, Role::Owner), UserId(2), "ADMIN")
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_failed_audit_insert_fails_the_change() {
        let mut repo = MockMembershipRepository::new();
        repo.expect_find()
            .returning(|_, user| Ok(member(user.0, Role::Member)));
        repo.expect_change_role()
            .returning(|_, _, _, _, _| Err(PortError::unexpected("audit insert failed")));
        let err = service(repo, cache_expecting_invalidations(1))
            .change_role(&actor(1, Role::Owner), UserId(2), "GUEST")
            .await
            .unwrap_err();
        assert!(matches!(err, DomainError::Unexpected(_)));
    }

    #[tokio::test]
    async fn an_unreachable_cache_stops_the_change_before_anything_is_written() {
        let mut repo = MockMembershipRepository::new();
        repo.expect_find()
            .returning(|_, user| Ok(member(user.0, Role::Member)));
        repo.expect_change_role().never();
        repo.expect_remove().never();
        let mut cache = MockPermissionCache::new();
        cache
            .expect_invalidate()
            .returning(|_, _| Err(PortError::unavailable("redis down")));
        let service = service(repo, cache);
        let owner = actor(1, Role::Owner);
        let changed = service.change_role(&owner, UserId(2), "GUEST").await;
        assert!(matches!(changed, Err(DomainError::Unavailable(_))));
        let removed = service.remove(&owner, UserId(2)).await;
        assert!(matches!(removed, Err(DomainError::Unavailable(_))));
    }

    #[tokio::test]
    async fn a_role_that_changed_meanwhile_is_a_conflict() {
        let mut repo = MockMembershipRepository::new();
        repo.expect_find()
            .returning(|_, user| Ok(member(user.0, Role::Member)));
        repo.expect_change_role()
            .returning(|_, _, _, _, _| Err(PortError::Conflict));
        let err = service(repo, cache_expecting_invalidations(1))
            .change_role(&actor(1, Role::Admin), UserId(2), "GUEST")
            .await
            .unwrap_err();
        assert!(matches!(err, DomainError::Conflict(_)), "{err:?}");
    }

    #[tokio::test]
    async fn removal_and_leaving_rules() {
        use Role::*;
        // (actor, actor role, target, target role, expected)
        let cases: [(i64, Role, i64, Role, &str); 9] = [
            (1, Owner, 2, Admin, "ok"),
            (1, Admin, 2, Member, "ok"),
            (1, Admin, 2, Admin, "forbidden"),
            (1, Member, 2, Guest, "forbidden"),
            (1, Admin, 2, Owner, "conflict"),
            (1, Owner, 1, Owner, "conflict"),
            (1, Admin, 1, Admin, "ok"),
            (1, Member, 1, Member, "ok"),
            (1, Guest, 1, Guest, "ok"),
        ];
        for (actor_id, actor_role, target, target_role, expected) in cases {
            let invalidations = if expected == "ok" { 2 } else { 0 };
            let result = service(
                repo_with(target, target_role),
                cache_expecting_invalidations(invalidations),
            )
            .remove(&actor(actor_id, actor_role), UserId(target))
            .await;
            let outcome = match result {
                Ok(()) => "ok",
                Err(DomainError::Forbidden) => "forbidden",
                Err(DomainError::Conflict(_)) => "conflict",
                Err(other) => panic!("{other:?}"),
            };
            assert_eq!(outcome, expected, "{actor_role:?} removes {target_role:?}");
        }
    }
}
