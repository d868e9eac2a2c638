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
CREATE TABLE invites (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    -- Stored trimmed and lower-cased, like users.email.
    email VARCHAR(254) NOT NULL,
    role ENUM('OWNER', 'ADMIN', 'MEMBER', 'GUEST') NOT NULL,
    -- EXPIRED is not stored: a PENDING invite past expires_at is expired.
    status ENUM('PENDING', 'ACCEPTED', 'REVOKED') NOT NULL DEFAULT 'PENDING',
    -- SHA-256 (hex) of the invitation token; the token itself is never stored.
    -- NULL until the worker issues the token, just before it sends the email.
    token_hash CHAR(64) NULL,
    invited_by BIGINT NOT NULL,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL,
    accepted_at DATETIME NULL,
    revoked_at DATETIME NULL,
    -- Transactional outbox of the invitation email (see taskhub-worker):
    -- set once the email has been handed to the mail server.
    email_sent_at DATETIME NULL,
    -- When the worker's sweep may (re)enqueue the email if it is still owed;
    -- NULL once it has been given up (dead-lettered).
    email_due_at DATETIME NULL,
    -- The delivery job that currently holds the email (a lease that ends at
    -- email_due_at), so two workers never send one invite at once.
    email_claimed_by CHAR(32) NULL,
    -- The email while the invite is pending, NULL otherwise: with the unique
    -- key below, at most one pending invite per email and workspace, even
    -- when two invites for it are created at the same moment.
    pending_email VARCHAR(254) GENERATED ALWAYS AS (IF(status = 'PENDING', email, NULL)) STORED,
    -- Accepting looks the invite up by token hash.
    UNIQUE KEY uq_invites_token_hash (token_hash),
    -- Serves "revoke the pending invite for this email" (and the rule above).
    UNIQUE KEY uq_invites_pending_email (workspace_id, pending_email),
    -- Serves the invite list of a workspace, newest first.
    KEY idx_invites_workspace (workspace_id, id),
    -- Serves the worker's sweep for invitation emails still owed.
    KEY idx_invites_outbox (email_sent_at, status, email_due_at),
    CONSTRAINT fk_invites_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
    CONSTRAINT fk_invites_invited_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE CASCADE
)"#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        execute(manager, "DROP TABLE invites").await
    }
}
