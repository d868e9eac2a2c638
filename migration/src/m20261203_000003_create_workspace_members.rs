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
CREATE TABLE workspace_members (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    -- Declared from highest to lowest rank.
    role ENUM('OWNER', 'ADMIN', 'MEMBER', 'GUEST') NOT NULL,
    joined_at DATETIME NOT NULL,
    -- One membership per user and workspace; also serves the member list and
    -- the permission lookup (workspace_id, user_id).
    UNIQUE KEY uq_members_workspace_user (workspace_id, user_id),
    -- Serves "the caller's workspaces".
    KEY idx_members_user (user_id, workspace_id),
    CONSTRAINT fk_members_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
    CONSTRAINT fk_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
)"#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        execute(manager, "DROP TABLE workspace_members").await
    }
}
