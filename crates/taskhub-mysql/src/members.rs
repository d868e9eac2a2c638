use async_trait::async_trait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select, Set,
};
use taskhub_domain::PortError;
use taskhub_domain::audit::AuditRecord;
use taskhub_domain::auth::Email;
use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::membership::{Member, MembershipRepository};
use taskhub_domain::pagination::{Page, PageRequest};
use taskhub_domain::rbac::Role;

use crate::audit;
use crate::db;
use crate::entities::{users, workspace_members};
use crate::users::utc;

pub struct MySqlMembershipRepository {
    db: DatabaseConnection,
}

impl MySqlMembershipRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[derive(FromQueryResult)]
struct MemberRow {
    user_id: i64,
    email: String,
    name: String,
    role: String,
    joined_at: sea_orm::prelude::DateTime,
}

/// Members of `workspace` with their user's email and name (the columns
/// of `MemberRow`).
fn members_of(workspace: WorkspaceId) -> Select<workspace_members::Entity> {
    workspace_members::Entity::find()
        .join(JoinType::InnerJoin, workspace_members::Relation::User.def())
        .filter(workspace_members::Column::WorkspaceId.eq(workspace.0))
        .select_only()
        .columns([
            workspace_members::Column::UserId,
            workspace_members::Column::Role,
            workspace_members::Column::JoinedAt,
        ])
        .columns([users::Column::Email, users::Column::Name])
}

async fn find_member(
    conn: &impl ConnectionTrait,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<Option<MemberRow>, DbErr> {
    members_of(workspace)
        .filter(workspace_members::Column::UserId.eq(user.0))
        .into_model::<MemberRow>()
        .one(conn)
        .await
}

/// The membership row of `user`, locked until the transaction ends, if its
/// role is still `role` (the one the caller's rules were checked against).
/// The inner `Err` is the refusal: `NotFound` (not a member) or `Conflict`
/// (the role changed meanwhile).
async fn lock_membership(
    conn: &impl ConnectionTrait,
    workspace: WorkspaceId,
    user: UserId,
    role: Role,
) -> Result<Result<workspace_members::Model, PortError>, DbErr> {
    let membership = workspace_members::Entity::find()
        .filter(workspace_members::Column::WorkspaceId.eq(workspace.0))
        .filter(workspace_members::Column::UserId.eq(user.0))
        .lock_exclusive()
        .one(conn)
        .await?;
    Ok(match membership {
        None => Err(PortError::NotFound),
        Some(membership) if membership.role != role.as_str() => Err(PortError::Conflict),
        Some(membership) => Ok(membership),
    })
}

#[async_trait]
impl MembershipRepository for MySqlMembershipRepository {
    async fn find_role(&self, workspace: WorkspaceId, user: UserId) -> Result<Role, PortError> {
        let role: Option<String> = db::call(
            workspace_members::Entity::find()
                .select_only()
                .column(workspace_members::Column::Role)
                .filter(workspace_members::Column::WorkspaceId.eq(workspace.0))
                .filter(workspace_members::Column::UserId.eq(user.0))
                .into_tuple()
                .one(&self.db),
        )
        .await?;
        parse_role(&role.ok_or(PortError::NotFound)?)
    }

    async fn find(&self, workspace: WorkspaceId, user: UserId) -> Result<Member, PortError> {
        db::call(find_member(&self.db, workspace, user))
            .await?
            .ok_or(PortError::NotFound)
            .and_then(into_member)
    }

    async fn list(
        &self,
        workspace: WorkspaceId,
        page: PageRequest,
    ) -> Result<Page<Member>, PortError> {
        let query = members_of(workspace)
            .order_by_asc(workspace_members::Column::JoinedAt)
            .order_by_asc(workspace_members::Column::Id)
            .into_model::<MemberRow>();
        db::fetch_page(&self.db, query, page)
            .await?
            .try_map(into_member)
    }

    async fn change_role(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        from: Role,
        to: Role,
        audit: AuditRecord,
    ) -> Result<Member, PortError> {
        let row = db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let membership = match lock_membership(txn, workspace, user, from).await? {
                    Ok(membership) => membership,
                    Err(refused) => return Ok(Err(refused)),
                };
                let mut membership: workspace_members::ActiveModel = membership.into();
                membership.role = Set(to.as_str().to_owned());
                membership.update(txn).await?;
                audit::record(txn, workspace, user.0, audit).await?;
                Ok(find_member(txn, workspace, user)
                    .await?
                    .ok_or(PortError::NotFound))
            })
        })
        .await??;
        into_member(row)
    }

    async fn remove(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
        audit: AuditRecord,
    ) -> Result<(), PortError> {
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let membership = match lock_membership(txn, workspace, user, role).await? {
                    Ok(membership) => membership,
                    Err(refused) => return Ok(Err(refused)),
                };
                workspace_members::Entity::delete_by_id(membership.id)
                    .exec(txn)
                    .await?;
                audit::record(txn, workspace, user.0, audit).await?;
                Ok(Ok(()))
            })
        })
        .await?
    }
}

pub(crate) fn parse_role(raw: &str) -> Result<Role, PortError> {
    Role::parse(raw).ok_or_else(|| PortError::unexpected(format!("unknown role {raw:?} in MySQL")))
}

fn into_member(row: MemberRow) -> Result<Member, PortError> {
    Ok(Member {
        user_id: UserId(row.user_id),
        email: Email::from_trusted(row.email),
        name: row.name,
        role: parse_role(&row.role)?,
        joined_at: utc(row.joined_at),
    })
}
