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

/// Members of `workspace` with their user's email and name.
fn members_of(workspace: WorkspaceId) -> Select<workspace_members::Entity> {
    workspace_members::Entity::find()
        .join(JoinType::InnerJoin, workspace_members::Relation::User.def())
        .filter(workspace_members::Column::WorkspaceId.eq(workspace.0))
}

fn with_member_columns(
    query: Select<workspace_members::Entity>,
) -> Select<workspace_members::Entity> {
    query
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
    with_member_columns(members_of(workspace))
        .filter(workspace_members::Column::UserId.eq(user.0))
        .into_model::<MemberRow>()
        .one(conn)
        .await
}

/// What a write found once it held the membership row's lock.
enum Locked<T> {
    Done(T),
    Missing,
    /// The role is no longer the one the caller's checks were made against.
    Changed,
}

/// The membership row of `user`, locked until the transaction ends.
async fn lock_membership(
    conn: &impl ConnectionTrait,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<Option<workspace_members::Model>, DbErr> {
    workspace_members::Entity::find()
        .filter(workspace_members::Column::WorkspaceId.eq(workspace.0))
        .filter(workspace_members::Column::UserId.eq(user.0))
        .lock_exclusive()
        .one(conn)
        .await
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
        let query = with_member_columns(members_of(workspace))
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
                let Some(membership) = lock_membership(txn, workspace, user).await? else {
                    return Ok(Locked::Missing);
                };
                if membership.role != from.as_str() {
                    return Ok(Locked::Changed);
                }
                let mut membership: workspace_members::ActiveModel = membership.into();
                membership.role = Set(to.as_str().to_owned());
                membership.update(txn).await?;
                audit::record(txn, workspace, user.0, audit).await?;
                Ok(Locked::Done(find_member(txn, workspace, user).await?))
            })
        })
        .await?;
        match row {
            Locked::Done(Some(row)) => into_member(row),
            Locked::Done(None) | Locked::Missing => Err(PortError::NotFound),
            Locked::Changed => Err(PortError::Conflict),
        }
    }

    async fn remove(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
        audit: AuditRecord,
    ) -> Result<(), PortError> {
        let outcome = db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let Some(membership) = lock_membership(txn, workspace, user).await? else {
                    return Ok(Locked::Missing);
                };
                if membership.role != role.as_str() {
                    return Ok(Locked::Changed);
                }
                workspace_members::Entity::delete_by_id(membership.id)
                    .exec(txn)
                    .await?;
                audit::record(txn, workspace, user.0, audit).await?;
                Ok(Locked::Done(()))
            })
        })
        .await?;
        match outcome {
            Locked::Done(()) => Ok(()),
            Locked::Missing => Err(PortError::NotFound),
            Locked::Changed => Err(PortError::Conflict),
        }
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
