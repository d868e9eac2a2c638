use sea_orm_migration::prelude::*;

use crate::{create_table, execute};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            manager,
            r#"
CREATE TABLE audit_logs (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    actor_id BIGINT NOT NULL,
    action VARCHAR(40) NOT NULL,
    entity_type VARCHAR(20) NOT NULL,
    entity_id BIGINT NOT NULL,
    -- A JSON object. LONGTEXT with a check rather than JSON: MySQL 8 sends
    -- JSON columns as binary, MariaDB as text; this reads the same on both.
    meta LONGTEXT NOT NULL CHECK (JSON_VALID(meta)),
    created_at DATETIME NOT NULL,
    -- GET /workspaces/{id}/audit-logs is newest first (id order): unfiltered...
    KEY idx_audit_workspace_id (workspace_id, id),
    -- ...and with each of its filters.
    KEY idx_audit_workspace_action (workspace_id, action, id),
    KEY idx_audit_workspace_actor (workspace_id, actor_id, id),
    KEY idx_audit_workspace_entity (workspace_id, entity_type, id),
    CONSTRAINT fk_audit_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
    CONSTRAINT fk_audit_actor FOREIGN KEY (actor_id) REFERENCES users (id)
)"#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        execute(manager, "DROP TABLE audit_logs").await
    }
}
