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
CREATE TABLE tasks (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    title VARCHAR(200) NOT NULL,
    description TEXT NOT NULL,
    -- Declared in the API's sort order (see lib.rs).
    status ENUM('TODO', 'DOING', 'BLOCKED', 'DONE') NOT NULL DEFAULT 'TODO',
    priority ENUM('LOW', 'MEDIUM', 'HIGH', 'URGENT') NOT NULL DEFAULT 'MEDIUM',
    assignee_id BIGINT NULL,
    due_date DATE NULL,
    -- Optimistic concurrency: bumped by every change, compared with If-Match.
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    -- GET /projects/{id}/tasks: the default sort (-created_at, id).
    KEY idx_tasks_project_created (project_id, created_at, id),
    -- The same list sorted by updated_at.
    KEY idx_tasks_project_updated (project_id, updated_at, id),
    -- Filter status= (and sort=status).
    KEY idx_tasks_project_status (project_id, status, id),
    -- Filter priority= (and sort=priority).
    KEY idx_tasks_project_priority (project_id, priority, id),
    -- Filters due_before/due_after/overdue (and sort=due_date).
    KEY idx_tasks_project_due (project_id, due_date, id),
    -- Filter assignee_id=; also the foreign key's index.
    KEY idx_tasks_project_assignee (project_id, assignee_id, id),
    -- The workspace dashboard: counts by status and overdue tasks.
    KEY idx_tasks_workspace_status_due (workspace_id, status, due_date),
    -- The assignee foreign key needs an index that starts with assignee_id.
    -- (q= is a substring match, LIKE '%q%', that no B-tree index serves; it
    -- only ever runs within one project, which the indexes above narrow.)
    KEY idx_tasks_assignee (assignee_id),
    CONSTRAINT fk_tasks_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
    CONSTRAINT fk_tasks_project FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    CONSTRAINT fk_tasks_assignee FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_tasks_created_by FOREIGN KEY (created_by) REFERENCES users (id)
)"#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        execute(manager, "DROP TABLE tasks").await
    }
}
