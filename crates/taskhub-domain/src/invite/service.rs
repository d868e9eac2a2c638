use std::sync::Arc;
use std::time::Duration;

use super::model::{Invite, InviteStatus, NewInvite, hash_token};
use super::ports::{InvitationQueue, InviteRepository};
use crate::PortError;
use crate::actor::Actor;
use crate::audit::{AuditAction, AuditRecord};
use crate::auth::{Email, UserRepository};
use crate::clock::{Clock, span};
use crate::error::DomainError;
use crate::ids::{InviteId, UserId, WorkspaceId};
use crate::membership::parse_grantable_role;
use crate::pagination::{Page, PageRequest};
use crate::rbac::{Action, Role, may_grant};

#[derive(Clone, Copy, Debug)]
pub struct InviteConfig {
    /// How long an invite can be accepted (`INVITE_TTL_SECS`).
    pub ttl: Duration,
    /// How long after creation the outbox sweep waits before it enqueues an
    /// email the direct enqueue has not delivered.
    pub email_grace: Duration,
}

/// Inviting, listing, revoking and accepting (the API's side of invites).
pub struct InviteService {
    invites: Arc<dyn InviteRepository>,
    users: Arc<dyn UserRepository>,
    queue: Arc<dyn InvitationQueue>,
    clock: Arc<dyn Clock>,
    config: InviteConfig,
}

impl InviteService {
    pub fn new(
        invites: Arc<dyn InviteRepository>,
        users: Arc<dyn UserRepository>,
        queue: Arc<dyn InvitationQueue>,
        clock: Arc<dyn Clock>,
        config: InviteConfig,
    ) -> Self {
        Self {
            invites,
            users,
            queue,
            clock,
            config,
        }
    }

    /// Invites `email` with `role` (default MEMBER). A pending invite for the
    /// same email is replaced (revoked). The email is sent by the worker.
    pub async fn create(
        &self,
        actor: &Actor,
        email: &str,
        role: Option<&str>,
    ) -> Result<Invite, DomainError> {
        let email = Email::parse(email).map_err(|msg| DomainError::invalid("email", msg))?;
        let role = role.map_or(Ok(Role::Member), parse_grantable_role)?;
        actor.require(Action::ManageInvites)?;
        if !may_grant(actor.role, role) {
            return Err(DomainError::Forbidden);
        }
        // The per-workspace invite rate limit belongs here: after the role
        // check, so an outsider or a guest cannot burn the quota.
        if self
            .invites
            .is_member_email(actor.workspace_id, &email)
            .await?
        {
            return Err(DomainError::Conflict(
                "this email already belongs to a member".into(),
            ));
        }
        let now = self.clock.now();
        let invite_audit = AuditRecord::new(actor.user_id, AuditAction::MemberInvite, now)
            .with("email", email.as_str())
            .with("role", role.as_str());
        let revoke_audit = AuditRecord::new(actor.user_id, AuditAction::InviteRevoke, now)
            .with("reason", "replaced");
        let created = self
            .invites
            .create(
                NewInvite {
                    workspace_id: actor.workspace_id,
                    email,
                    role,
                    invited_by: actor.user_id,
                    expires_at: now + span(self.config.ttl),
                    created_at: now,
                    email_due_at: now + span(self.config.email_grace),
                },
                invite_audit,
                revoke_audit,
            )
            .await;
        let invite = match created {
            Ok(invite) => invite,
            Err(PortError::Conflict) => {
                return Err(DomainError::Conflict(
                    "another invite for this email was created at the same moment; retry".into(),
                ));
            }
            Err(other) => return Err(other.into()),
        };
        // After the commit: a failed enqueue is covered by the outbox sweep.
        self.queue.enqueue(invite.workspace_id, invite.id).await;
        Ok(invite)
    }

    pub async fn list(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> Result<Page<Invite>, DomainError> {
        actor.require(Action::ManageInvites)?;
        let now = self.clock.now();
        Ok(self
            .invites
            .list(actor.workspace_id, page)
            .await?
            .map(|invite| invite.at(now)))
    }

    /// Revokes a pending (or expired) invite. Revoking a revoked invite again
    /// is a no-op; an accepted one is a conflict.
    pub async fn revoke(&self, actor: &Actor, id: InviteId) -> Result<(), DomainError> {
        actor.require(Action::ManageInvites)?;
        let invite = self.invites.find(actor.workspace_id, id).await?;
        if !may_grant(actor.role, invite.role) {
            return Err(DomainError::Forbidden);
        }
        match invite.status {
            InviteStatus::Revoked => return Ok(()),
            InviteStatus::Accepted => return Err(already_used()),
            InviteStatus::Pending | InviteStatus::Expired => {}
        }
        let now = self.clock.now();
        let audit = AuditRecord::new(actor.user_id, AuditAction::InviteRevoke, now)
            .with("email", invite.email.as_str());
        match self
            .invites
            .revoke(actor.workspace_id, id, now, audit)
            .await
        {
            Ok(()) => Ok(()),
            Err(PortError::Conflict) => Err(already_used()),
            Err(other) => Err(other.into()),
        }
    }

    /// Accepts an invite with the token from its email. The caller's email
    /// must be the invited one.
    pub async fn accept(
        &self,
        user: UserId,
        token: &str,
    ) -> Result<(WorkspaceId, Role), DomainError> {
        let now = self.clock.now();
        let token_hash = hash_token(token);
        let invite = self.invites.find_by_token_hash(&token_hash).await?.at(now);
        unless_pending(invite.status)?;
        let caller = self.users.find(user).await?;
        if caller.email != invite.email {
            return Err(DomainError::Forbidden);
        }
        let audit = AuditRecord::new(user, AuditAction::MemberJoin, now)
            .with("invite_id", invite.id.to_string())
            .with("role", invite.role.as_str());
        match self
            .invites
            .accept(invite.workspace_id, invite.id, user, now, audit)
            .await
        {
            Ok(()) => {}
            Err(PortError::Conflict) => {
                // Lost a race (accepted, revoked or expired meanwhile), or
                // the caller is a member already: say which.
                let current = self.invites.find_by_token_hash(&token_hash).await?;
                unless_pending(current.at(self.clock.now()).status)?;
                return Err(DomainError::Conflict(
                    "you are already a member of this workspace".into(),
                ));
            }
            Err(other) => return Err(other.into()),
        }
        // Nothing to invalidate: roles of non-members are never cached.
        Ok((invite.workspace_id, invite.role))
    }
}

/// The answer for an invite that can no longer be accepted.
fn unless_pending(status: InviteStatus) -> Result<(), DomainError> {
    match status {
        InviteStatus::Pending => Ok(()),
        InviteStatus::Accepted => Err(already_used()),
        InviteStatus::Revoked => Err(DomainError::InviteRevoked),
        InviteStatus::Expired => Err(DomainError::InviteExpired),
    }
}

fn already_used() -> DomainError {
    DomainError::Conflict("the invite has already been used".into())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use mockall::predicate::eq;

    use super::*;
    use crate::auth::{MockUserRepository, User};
    use crate::clock::fixed_clock;
    use crate::invite::ports::{MockInvitationQueue, MockInviteRepository};

    const WS: WorkspaceId = WorkspaceId(10);

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap()
    }

    fn invite(status: InviteStatus, expires_in_secs: i64) -> Invite {
        Invite {
            id: InviteId(5),
            workspace_id: WS,
            email: Email::parse("new@example.com").unwrap(),
            role: Role::Member,
            status,
            invited_by: UserId(1),
            expires_at: now() + chrono::Duration::seconds(expires_in_secs),
            created_at: now(),
        }
    }

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: UserId(1),
            workspace_id: WS,
            role,
        }
    }

    struct Mocks {
        invites: MockInviteRepository,
        users: MockUserRepository,
        queue: MockInvitationQueue,
    }

    impl Mocks {
        fn new() -> Self {
            Self {
                invites: MockInviteRepository::new(),
                users: MockUserRepository::new(),
                queue: MockInvitationQueue::new(),
            }
        }

        fn service(self) -> InviteService {
            InviteService::new(
                Arc::new(self.invites),
                Arc::new(self.users),
                Arc::new(self.queue),
                fixed_clock(),
                InviteConfig {
                    ttl: Duration::from_secs(3600),
                    email_grace: Duration::from_secs(60),
                },
            )
        }

        fn caller_email(mut self, email: &'static str) -> Self {
            self.users.expect_find().returning(move |id| {
                Ok(User {
                    id,
                    email: Email::parse(email).unwrap(),
                    name: "U".into(),
                    created_at: now(),
                })
            });
            self
        }
    }

    #[tokio::test]
    async fn creating_an_invite_enqueues_its_email_after_the_write() {
        let mut mocks = Mocks::new();
        mocks
            .invites
            .expect_is_member_email()
            .returning(|_, _| Ok(false));
        mocks
            .invites
            .expect_create()
            .withf(|new, invite_audit, revoke_audit| {
                new.role == Role::Guest
                    && new.email.as_str() == "new@example.com"
                    && new.expires_at == now() + chrono::Duration::hours(1)
                    && new.email_due_at == now() + chrono::Duration::minutes(1)
                    && invite_audit.action == AuditAction::MemberInvite
                    && revoke_audit.action == AuditAction::InviteRevoke
            })
            .times(1)
            .returning(|_, _, _| Ok(invite(InviteStatus::Pending, 3600)));
        mocks
            .queue
            .expect_enqueue()
            .with(eq(WS), eq(InviteId(5)))
            .times(1)
            .returning(|_, _| ());
        mocks
            .service()
            .create(&actor(Role::Admin), " NEW@example.com", Some("GUEST"))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn who_may_invite_with_which_role() {
        // (inviter, role, expected)
        let cases = [
            (Role::Owner, "ADMIN", "ok"),
            (Role::Admin, "MEMBER", "ok"),
            (Role::Admin, "ADMIN", "forbidden"),
            (Role::Member, "GUEST", "forbidden"),
            (Role::Guest, "GUEST", "forbidden"),
            (Role::Owner, "OWNER", "invalid"),
        ];
        for (inviter, role, expected) in cases {
            let mut mocks = Mocks::new();
            mocks
                .invites
                .expect_is_member_email()
                .returning(|_, _| Ok(false));
            mocks
                .invites
                .expect_create()
                .returning(|_, _, _| Ok(invite(InviteStatus::Pending, 3600)));
            mocks.queue.expect_enqueue().returning(|_, _| ());
            let outcome = match mocks
                .service()
                .create(&actor(inviter), "new@example.com", Some(role))
                .await
            {
                Ok(_) => "ok",
                Err(DomainError::Forbidden) => "forbidden",
                Err(DomainError::Invalid(_)) => "invalid",
                Err(other) => panic!("{other:?}"),
            };
            assert_eq!(outcome, expected, "{inviter:?} invites {role}");
        }
    }

    #[tokio::test]
    async fn inviting_a_member_is_a_conflict_and_writes_nothing() {
        let mut mocks = Mocks::new();
        mocks
            .invites
            .expect_is_member_email()
            .returning(|_, _| Ok(true));
        mocks.invites.expect_create().never();
        mocks.queue.expect_enqueue().never();
        let err = mocks
            .service()
            .create(&actor(Role::Owner), "new@example.com", None)
            .await
            .unwrap_err();
        assert!(matches!(err, DomainError::Conflict(_)));
    }

    #[tokio::test]
    async fn accept_answers_by_the_state_of_the_invite() {
        // (stored status, seconds until expiry, caller email, expected)
        let cases = [
            (InviteStatus::Accepted, 60, "new@example.com", "conflict"),
            (InviteStatus::Revoked, 60, "new@example.com", "revoked"),
            (InviteStatus::Pending, 0, "new@example.com", "expired"),
            (InviteStatus::Pending, 60, "other@example.com", "forbidden"),
            (InviteStatus::Pending, 60, "NEW@example.com", "ok"),
        ];
        for (status, expires_in, email, expected) in cases {
            let mut mocks = Mocks::new().caller_email(email);
            mocks
                .invites
                .expect_find_by_token_hash()
                .withf(|hash| hash == hash_token("the-token"))
                .returning(move |_| Ok(invite(status, expires_in)));
            mocks
                .invites
                .expect_accept()
                .returning(|_, _, _, _, _| Ok(()));
            let outcome = match mocks.service().accept(UserId(2), "the-token").await {
                Ok((workspace, role)) => {
                    assert_eq!((workspace, role), (WS, Role::Member));
                    "ok"
                }
                Err(DomainError::Conflict(_)) => "conflict",
                Err(DomainError::InviteRevoked) => "revoked",
                Err(DomainError::InviteExpired) => "expired",
                Err(DomainError::Forbidden) => "forbidden",
                Err(other) => panic!("{other:?}"),
            };
            assert_eq!(outcome, expected, "{status:?} {expires_in} {email}");
        }
    }

    #[tokio::test]
    async fn losing_a_race_answers_with_the_invites_new_state() {
        for (state_after, expected) in [
            (InviteStatus::Accepted, "conflict"),
            (InviteStatus::Revoked, "revoked"),
            (InviteStatus::Pending, "conflict"),
        ] {
            let mut mocks = Mocks::new().caller_email("new@example.com");
            let mut reads = 0;
            mocks
                .invites
                .expect_find_by_token_hash()
                .times(2)
                .returning(move |_| {
                    reads += 1;
                    let status = if reads == 1 {
                        InviteStatus::Pending
                    } else {
                        state_after
                    };
                    Ok(invite(status, 60))
                });
            mocks
                .invites
                .expect_accept()
                .returning(|_, _, _, _, _| Err(PortError::Conflict));
            let outcome = match mocks.service().accept(UserId(2), "t").await {
                Err(DomainError::Conflict(_)) => "conflict",
                Err(DomainError::InviteRevoked) => "revoked",
                other => panic!("{other:?}"),
            };
            assert_eq!(outcome, expected, "{state_after:?}");
        }
    }

    #[tokio::test]
    async fn an_unknown_token_is_not_found() {
        let mut mocks = Mocks::new();
        mocks
            .invites
            .expect_find_by_token_hash()
            .returning(|_| Err(PortError::NotFound));
        let err = mocks.service().accept(UserId(2), "t").await.unwrap_err();
        assert!(matches!(err, DomainError::NotFound));
    }
}
