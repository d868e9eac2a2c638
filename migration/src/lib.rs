//! Taskhub's schema history, one file per change, applied in name order.
//!
//! Migrations spell out their own tables and columns in SQL: they are history
//! and must not change when the application's entities do, so they never
//! import them.
//!
//! Conventions of the schema:
//! - ids are `BIGINT AUTO_INCREMENT`; timestamps are `DATETIME` in UTC;
//! - every tenant-owned table carries `workspace_id` with a foreign key that
//!   cascades, so deleting a workspace removes everything it owns in one
//!   statement (and one transaction);
//! - enumerations are MySQL `ENUM`s declared in their sort order, because
//!   `ORDER BY` on an `ENUM` follows declaration order: that gives the API's
//!   `LOW < MEDIUM < HIGH < URGENT` and `TODO < DOING < BLOCKED < DONE`.

pub use sea_orm_migration::prelude::*;

mod m20261203_000001_create_users;
mod m20261203_000002_create_workspaces;
mod m20261203_000003_create_workspace_members;
mod m20261203_000004_create_invites;
mod m20261203_000005_create_projects;
mod m20261203_000006_create_tasks;
mod m20261203_000007_create_task_comments;
mod m20261203_000008_create_audit_logs;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261203_000001_create_users::Migration),
            Box::new(m20261203_000002_create_workspaces::Migration),
            Box::new(m20261203_000003_create_workspace_members::Migration),
            Box::new(m20261203_000004_create_invites::Migration),
            Box::new(m20261203_000005_create_projects::Migration),
            Box::new(m20261203_000006_create_tasks::Migration),
            Box::new(m20261203_000007_create_task_comments::Migration),
            Box::new(m20261203_000008_create_audit_logs::Migration),
        ]
    }
}

/// Runs one or more DDL statements. MySQL commits DDL implicitly, so each
/// migration is one table: a failure leaves no half-built table behind.
pub(crate) async fn execute(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await?;
    Ok(())
}

/// Runs a `CREATE TABLE` with the options every table shares.
pub(crate) async fn create_table(
    manager: &SchemaManager<'_>,
    definition: &str,
) -> Result<(), DbErr> {
    let sql =
        format!("{definition} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
    execute(manager, &sql).await
}
