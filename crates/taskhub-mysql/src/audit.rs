//! Writing audit rows inside a repository's transaction, and reading them.

use async_trait::async_trait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use taskhub_domain::PortError;
use taskhub_domain::audit::{
    AuditAction, AuditEntry, AuditFilter, AuditLogRepository, AuditMeta, AuditRecord, EntityType,
};
use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::pagination::{Page, PageRequest};

use crate::db;
use crate::entities::audit_logs;
use crate::users::utc;

/// Inserts `record` about `entity_id` in `workspace`. Call it on the
/// transaction of the write it describes, so both commit or neither does.
pub(crate) async fn record(
    txn: &impl ConnectionTrait,
    workspace: WorkspaceId,
    entity_id: i64,
    record: AuditRecord,
) -> Result<(), DbErr> {
    let meta = serde_json::to_string(&record.meta)
        .map_err(|err| DbErr::Custom(format!("audit meta: {err}")))?;
    audit_logs::ActiveModel {
        workspace_id: Set(workspace.0),
        actor_id: Set(record.actor_id.0),
        action: Set(record.action.as_str().to_owned()),
        entity_type: Set(record.action.entity_type().as_str().to_owned()),
        entity_id: Set(entity_id),
        meta: Set(meta),
        created_at: Set(record.at.naive_utc()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

pub struct MySqlAuditLogRepository {
    db: DatabaseConnection,
}

impl MySqlAuditLogRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl AuditLogRepository for MySqlAuditLogRepository {
    async fn list(
        &self,
        workspace: WorkspaceId,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, PortError> {
        let mut query =
            audit_logs::Entity::find().filter(audit_logs::Column::WorkspaceId.eq(workspace.0));
        if let Some(action) = filter.action {
            query = query.filter(audit_logs::Column::Action.eq(action.as_str()));
        }
        if let Some(actor) = filter.actor_id {
            query = query.filter(audit_logs::Column::ActorId.eq(actor.0));
        }
        if let Some(entity_type) = filter.entity_type {
            query = query.filter(audit_logs::Column::EntityType.eq(entity_type.as_str()));
        }
        db::fetch_page(&self.db, query.order_by_desc(audit_logs::Column::Id), page)
            .await?
            .try_map(into_entry)
    }
}

fn into_entry(row: audit_logs::Model) -> Result<AuditEntry, PortError> {
    let corrupt = |what: &str| PortError::unexpected(format!("audit row {}: bad {what}", row.id));
    Ok(AuditEntry {
        id: row.id,
        workspace_id: WorkspaceId(row.workspace_id),
        actor_id: UserId(row.actor_id),
        action: AuditAction::parse(&row.action).ok_or_else(|| corrupt("action"))?,
        entity_type: EntityType::parse(&row.entity_type).ok_or_else(|| corrupt("entity_type"))?,
        entity_id: row.entity_id,
        meta: serde_json::from_str::<AuditMeta>(&row.meta).map_err(|_| corrupt("meta"))?,
        created_at: utc(row.created_at),
    })
}
