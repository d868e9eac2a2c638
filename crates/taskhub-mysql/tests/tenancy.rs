//! Workspace, membership and audit repositories against a real MariaDB:
//! a write and its audit row commit together or not at all.

use chrono::{SubsecRound, Utc};
use taskhub_domain::PortError;
use taskhub_domain::audit::{AuditAction, AuditFilter, AuditLogRepository, AuditRecord};
use taskhub_domain::auth::{Email, NewUser, UserRepository};
use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::membership::MembershipRepository;
use taskhub_domain::pagination::PageRequest;
use taskhub_domain::rbac::Role;
use taskhub_domain::workspace::{NewWorkspace, WorkspaceName, WorkspaceRepository};
use taskhub_mysql::{
    DatabaseConnection, MySqlAuditLogRepository, MySqlMembershipRepository, MySqlUserRepository,
    MySqlWorkspaceRepository,
};
use taskhub_test_support::TestDatabase;

/// A user nobody registered: audit rows naming them break a foreign key.
const GHOST: UserId = UserId(999_999);

async fn user(db: &DatabaseConnection, email: &str) -> UserId {
    MySqlUserRepository::new(db.clone())
        .insert(NewUser {
            email: Email::parse(email).unwrap(),
            name: "U".into(),
            password_hash: "h".into(),
            created_at: Utc::now().trunc_subsecs(0),
        })
        .await
        .unwrap()
        .id
}

fn record(actor: UserId, action: AuditAction) -> AuditRecord {
    AuditRecord::new(actor, action, Utc::now().trunc_subsecs(0))
}

async fn workspace(db: &DatabaseConnection, owner: UserId) -> WorkspaceId {
    MySqlWorkspaceRepository::new(db.clone())
        .create(
            NewWorkspace {
                name: WorkspaceName::parse("W").unwrap(),
                owner_id: owner,
                created_at: Utc::now().trunc_subsecs(0),
            },
            record(owner, AuditAction::WorkspaceCreate),
        )
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_failing_audit_insert_rolls_the_rename_back() {
    let (_guard, db) = TestDatabase::migrated().await;
    let owner = user(&db, "o@example.com").await;
    let ws = workspace(&db, owner).await;
    let workspaces = MySqlWorkspaceRepository::new(db.clone());

    let err = workspaces
        .rename(
            ws,
            WorkspaceName::parse("Renamed").unwrap(),
            Utc::now().trunc_subsecs(0),
            record(GHOST, AuditAction::WorkspaceUpdate),
        )
        .await
        .unwrap_err();
    // The audit row names a user that does not exist: a foreign key fails.
    assert!(matches!(err, PortError::NotFound), "{err:?}");
    assert_eq!(workspaces.find(ws).await.unwrap().name, "W");
    let log = MySqlAuditLogRepository::new(db.clone())
        .list(ws, AuditFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.total, 1, "only WORKSPACE_CREATE");
}

#[tokio::test]
async fn a_failing_audit_insert_rolls_back_creation_role_change_and_removal() {
    let (_guard, db) = TestDatabase::migrated().await;
    let owner = user(&db, "o@example.com").await;
    let workspaces = MySqlWorkspaceRepository::new(db.clone());
    let members = MySqlMembershipRepository::new(db.clone());

    let create = workspaces
        .create(
            NewWorkspace {
                name: WorkspaceName::parse("Never").unwrap(),
                owner_id: owner,
                created_at: Utc::now().trunc_subsecs(0),
            },
            record(GHOST, AuditAction::WorkspaceCreate),
        )
        .await;
    assert!(create.is_err());
    let listed = workspaces
        .list_for_member(owner, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        listed.total, 0,
        "no workspace and no membership without its audit row"
    );

    let ws = workspace(&db, owner).await;
    assert!(
        members
            .change_role(
                ws,
                owner,
                Role::Owner,
                Role::Guest,
                record(GHOST, AuditAction::MemberRoleUpdate)
            )
            .await
            .is_err()
    );
    assert!(
        members
            .remove(
                ws,
                owner,
                Role::Owner,
                record(GHOST, AuditAction::MemberRemove)
            )
            .await
            .is_err()
    );
    assert_eq!(members.find_role(ws, owner).await.unwrap(), Role::Owner);
}

#[tokio::test]
async fn membership_reads_and_writes_follow_the_port_contract() {
    let (_guard, db) = TestDatabase::migrated().await;
    let owner = user(&db, "o@example.com").await;
    let outsider = user(&db, "x@example.com").await;
    let ws = workspace(&db, owner).await;
    let members = MySqlMembershipRepository::new(db.clone());

    assert!(matches!(
        members.find_role(ws, outsider).await,
        Err(PortError::NotFound)
    ));
    assert!(matches!(
        members.find_role(WorkspaceId(424_242), owner).await,
        Err(PortError::NotFound)
    ));
    let not_member = members
        .change_role(
            ws,
            outsider,
            Role::Member,
            Role::Guest,
            record(owner, AuditAction::MemberRoleUpdate),
        )
        .await;
    assert!(matches!(not_member, Err(PortError::NotFound)));
    let not_removed = members
        .remove(
            ws,
            outsider,
            Role::Member,
            record(owner, AuditAction::MemberRemove),
        )
        .await;
    assert!(matches!(not_removed, Err(PortError::NotFound)));

    let stale = members
        .change_role(
            ws,
            owner,
            Role::Admin,
            Role::Guest,
            record(owner, AuditAction::MemberRoleUpdate),
        )
        .await;
    assert!(
        matches!(stale, Err(PortError::Conflict)),
        "the role is OWNER, not ADMIN"
    );

    let listed = members.list(ws, PageRequest::default()).await.unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].email.as_str(), "o@example.com");
    assert_eq!(listed.items[0].role, Role::Owner);
}

#[tokio::test]
async fn deleting_a_workspace_returns_its_former_members() {
    let (_guard, db) = TestDatabase::migrated().await;
    let owner = user(&db, "o@example.com").await;
    let ws = workspace(&db, owner).await;
    let workspaces = MySqlWorkspaceRepository::new(db.clone());
    assert_eq!(workspaces.delete(ws).await.unwrap(), vec![owner]);
    assert!(matches!(
        workspaces.find(ws).await,
        Err(PortError::NotFound)
    ));
    assert!(matches!(
        workspaces.delete(ws).await,
        Err(PortError::NotFound)
    ));
}
