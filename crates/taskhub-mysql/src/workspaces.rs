use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};
use taskhub_domain::PortError;
use taskhub_domain::audit::AuditRecord;
use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::pagination::{Page, PageRequest};
use taskhub_domain::rbac::Role;
use taskhub_domain::workspace::{
    NewWorkspace, Workspace, WorkspaceName, WorkspaceRepository, WorkspaceWithRole,
};

use crate::audit;
use crate::db;
use crate::entities::{workspace_members, workspaces};
use crate::members::parse_role;
use crate::users::utc;

pub struct MySqlWorkspaceRepository {
    db: DatabaseConnection,
}

impl MySqlWorkspaceRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// A workspace row joined with one member's role.
#[derive(FromQueryResult)]
struct WorkspaceRoleRow {
    id: i64,
    name: String,
    owner_id: i64,
    created_at: sea_orm::prelude::DateTime,
    role: String,
}

#[async_trait]
impl WorkspaceRepository for MySqlWorkspaceRepository {
    async fn create(
        &self,
        workspace: NewWorkspace,
        audit: AuditRecord,
    ) -> Result<Workspace, PortError> {
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let row = workspaces::ActiveModel {
                    name: Set(workspace.name.as_str().to_owned()),
                    owner_id: Set(workspace.owner_id.0),
                    created_at: Set(workspace.created_at.naive_utc()),
                    updated_at: Set(workspace.created_at.naive_utc()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                workspace_members::ActiveModel {
                    workspace_id: Set(row.id),
                    user_id: Set(workspace.owner_id.0),
                    role: Set(Role::Owner.as_str().to_owned()),
                    joined_at: Set(workspace.created_at.naive_utc()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(txn, WorkspaceId(row.id), row.id, audit).await?;
                Ok(into_workspace(row))
            })
        })
        .await
    }

    async fn find(&self, id: WorkspaceId) -> Result<Workspace, PortError> {
        db::call(workspaces::Entity::find_by_id(id.0).one(&self.db))
            .await?
            .map(into_workspace)
            .ok_or(PortError::NotFound)
    }

    async fn list_for_member(
        &self,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<WorkspaceWithRole>, PortError> {
        let query = workspaces::Entity::find()
            .join(JoinType::InnerJoin, workspaces::Relation::Members.def())
            .filter(workspace_members::Column::UserId.eq(user.0))
            .select_only()
            .columns([
                workspaces::Column::Id,
                workspaces::Column::Name,
                workspaces::Column::OwnerId,
                workspaces::Column::CreatedAt,
            ])
            .column(workspace_members::Column::Role)
            .order_by_asc(workspaces::Column::Id)
            .into_model::<WorkspaceRoleRow>();
        db::fetch_page(&self.db, query, page).await?.try_map(|row| {
            Ok(WorkspaceWithRole {
                role: parse_role(&row.role)?,
                workspace: Workspace {
                    id: WorkspaceId(row.id),
                    name: row.name,
                    owner_id: UserId(row.owner_id),
                    created_at: utc(row.created_at),
                },
            })
        })
    }

    async fn rename(
        &self,
        id: WorkspaceId,
        name: WorkspaceName,
        updated_at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Workspace, PortError> {
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let Some(row) = workspaces::Entity::find_by_id(id.0)
                    .lock_exclusive()
                    .one(txn)
                    .await?
                else {
                    return Ok(None);
                };
                let mut row: workspaces::ActiveModel = row.into();
                row.name = Set(name.as_str().to_owned());
                row.updated_at = Set(updated_at.naive_utc());
                let row = row.update(txn).await?;
                audit::record(txn, id, id.0, audit).await?;
                Ok(Some(into_workspace(row)))
            })
        })
        .await?
        .ok_or(PortError::NotFound)
    }

    async fn delete(&self, id: WorkspaceId) -> Result<Vec<UserId>, PortError> {
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let members: Vec<i64> = workspace_members::Entity::find()
                    .select_only()
                    .column(workspace_members::Column::UserId)
                    .filter(workspace_members::Column::WorkspaceId.eq(id.0))
                    .into_tuple()
                    .all(txn)
                    .await?;
                // Every tenant table's foreign key cascades from workspaces.id,
                // so this one statement removes everything the workspace owns.
                let deleted = workspaces::Entity::delete_by_id(id.0).exec(txn).await?;
                Ok((deleted.rows_affected > 0).then(|| members.into_iter().map(UserId).collect()))
            })
        })
        .await?
        .ok_or(PortError::NotFound)
    }
}

fn into_workspace(row: workspaces::Model) -> Workspace {
    Workspace {
        id: WorkspaceId(row.id),
        name: row.name,
        owner_id: UserId(row.owner_id),
        created_at: utc(row.created_at),
    }
}
