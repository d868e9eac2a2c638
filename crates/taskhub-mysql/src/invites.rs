//! Invites, their acceptance, and the transactional outbox of their emails.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    Statement, UpdateMany,
};
use taskhub_domain::PortError;
use taskhub_domain::audit::AuditRecord;
use taskhub_domain::auth::Email;
use taskhub_domain::ids::{InviteId, UserId, WorkspaceId};
use taskhub_domain::invite::{ClaimedInvite, Invite, InviteRepository, InviteStatus, NewInvite};
use taskhub_domain::pagination::{Page, PageRequest};

use crate::audit;
use crate::db;
use crate::entities::{invites, users, workspace_members};
use crate::members::parse_role;
use crate::users::utc;

const PENDING: &str = "PENDING";
const ACCEPTED: &str = "ACCEPTED";
const REVOKED: &str = "REVOKED";

pub struct MySqlInviteRepository {
    db: DatabaseConnection,
}

impl MySqlInviteRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// What the invitation email needs, read right after the claim.
#[derive(FromQueryResult)]
struct ClaimRow {
    email: String,
    role: String,
    expires_at: sea_orm::prelude::DateTime,
    workspace_name: String,
    inviter_name: String,
}

/// An invite whose email is still owed: pending, unexpired, not sent, not
/// given up.
fn email_owed(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(invites::Column::Status.eq(PENDING))
        .add(invites::Column::ExpiresAt.gt(now.naive_utc()))
        .add(invites::Column::EmailSentAt.is_null())
        .add(invites::Column::EmailDueAt.is_not_null())
}

#[async_trait]
impl InviteRepository for MySqlInviteRepository {
    async fn create(
        &self,
        invite: NewInvite,
        invite_audit: AuditRecord,
        revoke_audit: AuditRecord,
    ) -> Result<Invite, PortError> {
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let workspace = invite.workspace_id;
                // At most one pending invite per email (a unique key): lock
                // and revoke it, then insert its replacement.
                let replaced: Option<i64> = invites::Entity::find()
                    .select_only()
                    .column(invites::Column::Id)
                    .filter(invites::Column::WorkspaceId.eq(workspace.0))
                    .filter(invites::Column::Email.eq(invite.email.as_str()))
                    .filter(invites::Column::Status.eq(PENDING))
                    .lock_exclusive()
                    .into_tuple()
                    .one(txn)
                    .await?;
                if let Some(id) = replaced {
                    invites::Entity::update_many()
                        .col_expr(invites::Column::Status, Expr::value(REVOKED))
                        .col_expr(
                            invites::Column::RevokedAt,
                            Expr::value(invite.created_at.naive_utc()),
                        )
                        .filter(invites::Column::Id.eq(id))
                        .filter(invites::Column::WorkspaceId.eq(workspace.0))
                        .exec(txn)
                        .await?;
                    audit::record(txn, workspace, id, revoke_audit).await?;
                }
                let row = invites::ActiveModel {
                    workspace_id: Set(workspace.0),
                    email: Set(invite.email.as_str().to_owned()),
                    role: Set(invite.role.as_str().to_owned()),
                    status: Set(PENDING.to_owned()),
                    invited_by: Set(invite.invited_by.0),
                    expires_at: Set(invite.expires_at.naive_utc()),
                    created_at: Set(invite.created_at.naive_utc()),
                    email_due_at: Set(Some(invite.email_due_at.naive_utc())),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(txn, workspace, row.id, invite_audit).await?;
                Ok(row)
            })
        })
        .await
        .and_then(into_invite)
    }

    async fn is_member_email(
        &self,
        workspace: WorkspaceId,
        email: &Email,
    ) -> Result<bool, PortError> {
        let members = db::call(
            workspace_members::Entity::find()
                .inner_join(users::Entity)
                .filter(workspace_members::Column::WorkspaceId.eq(workspace.0))
                .filter(users::Column::Email.eq(email.as_str()))
                .count(&self.db),
        )
        .await?;
        Ok(members > 0)
    }

    async fn list(
        &self,
        workspace: WorkspaceId,
        page: PageRequest,
    ) -> Result<Page<Invite>, PortError> {
        let query = invites::Entity::find()
            .filter(invites::Column::WorkspaceId.eq(workspace.0))
            .order_by_desc(invites::Column::Id);
        db::fetch_page(&self.db, query, page)
            .await?
            .try_map(into_invite)
    }

    async fn find(&self, workspace: WorkspaceId, id: InviteId) -> Result<Invite, PortError> {
        db::call(
            invites::Entity::find_by_id(id.0)
                .filter(invites::Column::WorkspaceId.eq(workspace.0))
                .one(&self.db),
        )
        .await?
        .ok_or(PortError::NotFound)
        .and_then(into_invite)
    }

    async fn find_by_token_hash(&self, token_hash: &str) -> Result<Invite, PortError> {
        db::call(
            invites::Entity::find()
                .filter(invites::Column::TokenHash.eq(token_hash))
                .one(&self.db),
        )
        .await?
        .ok_or(PortError::NotFound)
        .and_then(into_invite)
    }

    async fn revoke(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        now: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<(), PortError> {
        // The inner `Result` is the refusal: nothing written, and why.
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let updated = invites::Entity::update_many()
                    .col_expr(invites::Column::Status, Expr::value(REVOKED))
                    .col_expr(invites::Column::RevokedAt, Expr::value(now.naive_utc()))
                    .filter(invites::Column::Id.eq(id.0))
                    .filter(invites::Column::WorkspaceId.eq(workspace.0))
                    .filter(invites::Column::Status.eq(PENDING))
                    .exec(txn)
                    .await?;
                if updated.rows_affected == 0 {
                    return Ok(Err(PortError::Conflict));
                }
                audit::record(txn, workspace, id.0, audit).await?;
                Ok(Ok(()))
            })
        })
        .await?
    }

    async fn accept(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        user: UserId,
        now: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<(), PortError> {
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                // Locks the invite row: of concurrent accepts, the first
                // flips the status and every other one finds it ACCEPTED.
                let Some(invite) = invites::Entity::find_by_id(id.0)
                    .filter(invites::Column::WorkspaceId.eq(workspace.0))
                    .filter(invites::Column::Status.eq(PENDING))
                    .filter(invites::Column::ExpiresAt.gt(now.naive_utc()))
                    .lock_exclusive()
                    .one(txn)
                    .await?
                else {
                    return Ok(Err(PortError::Conflict));
                };
                invites::Entity::update_many()
                    .col_expr(invites::Column::Status, Expr::value(ACCEPTED))
                    .col_expr(invites::Column::AcceptedAt, Expr::value(now.naive_utc()))
                    .filter(invites::Column::Id.eq(id.0))
                    .filter(invites::Column::WorkspaceId.eq(workspace.0))
                    .exec(txn)
                    .await?;
                // The unique (workspace_id, user_id) key turns "already a
                // member" into a Conflict, rolling the acceptance back.
                workspace_members::ActiveModel {
                    workspace_id: Set(workspace.0),
                    user_id: Set(user.0),
                    role: Set(invite.role.clone()),
                    joined_at: Set(now.naive_utc()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(txn, workspace, user.0, audit).await?;
                Ok(Ok(()))
            })
        })
        .await?
    }

    async fn claim_for_delivery(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        job_id: &str,
        token_hash: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<ClaimedInvite>, PortError> {
        let (job_id, token_hash) = (job_id.to_owned(), token_hash.to_owned());
        let claimed = db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                let free_or_ours = Condition::any()
                    .add(invites::Column::EmailClaimedBy.is_null())
                    .add(invites::Column::EmailClaimedBy.eq(job_id.as_str()))
                    .add(invites::Column::EmailDueAt.lte(now.naive_utc()));
                let updated = invites::Entity::update_many()
                    .col_expr(invites::Column::TokenHash, Expr::value(token_hash))
                    .col_expr(invites::Column::EmailClaimedBy, Expr::value(job_id))
                    .col_expr(
                        invites::Column::EmailDueAt,
                        Expr::value(lease_until.naive_utc()),
                    )
                    .filter(invites::Column::Id.eq(id.0))
                    .filter(invites::Column::WorkspaceId.eq(workspace.0))
                    .filter(email_owed(now))
                    .filter(free_or_ours)
                    .exec(txn)
                    .await?;
                if updated.rows_affected == 0 {
                    return Ok(None);
                }
                claim_details(txn, workspace, id).await
            })
        })
        .await?;
        claimed
            .map(|row| {
                Ok(ClaimedInvite {
                    email: Email::from_trusted(row.email),
                    role: parse_role(&row.role)?,
                    workspace_name: row.workspace_name,
                    inviter_name: row.inviter_name,
                    expires_at: utc(row.expires_at),
                })
            })
            .transpose()
    }

    async fn mark_email_sent(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        job_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        db::call(
            end_claim(workspace, id, job_id, None)
                .col_expr(invites::Column::EmailSentAt, Expr::value(now.naive_utc()))
                .exec(&self.db),
        )
        .await?;
        Ok(())
    }

    async fn release_claim(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        job_id: &str,
        due_at: Option<DateTime<Utc>>,
    ) -> Result<(), PortError> {
        db::call(end_claim(workspace, id, job_id, due_at).exec(&self.db)).await?;
        Ok(())
    }

    async fn take_due_emails(
        &self,
        now: DateTime<Utc>,
        next_due: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<(WorkspaceId, InviteId)>, PortError> {
        db::transaction(&self.db, move |txn| {
            Box::pin(async move {
                // SKIP LOCKED lets concurrent sweeps of several workers split
                // the due rows instead of waiting on each other.
                let due: Vec<(i64, i64)> = invites::Entity::find()
                    .select_only()
                    .columns([invites::Column::WorkspaceId, invites::Column::Id])
                    .filter(email_owed(now))
                    .filter(invites::Column::EmailDueAt.lte(now.naive_utc()))
                    .order_by_asc(invites::Column::EmailDueAt)
                    .limit(limit)
                    .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
                    .into_tuple()
                    .all(txn)
                    .await?;
                if !due.is_empty() {
                    invites::Entity::update_many()
                        .col_expr(
                            invites::Column::EmailDueAt,
                            Expr::value(next_due.naive_utc()),
                        )
                        .col_expr(
                            invites::Column::EmailClaimedBy,
                            Expr::value(Option::<String>::None),
                        )
                        .filter(invites::Column::Id.is_in(due.iter().map(|(_, id)| *id)))
                        .exec(txn)
                        .await?;
                }
                Ok(due
                    .into_iter()
                    .map(|(workspace, id)| (WorkspaceId(workspace), InviteId(id)))
                    .collect())
            })
        })
        .await
    }
}

/// Ends `job_id`'s claim on the invite; the email is next due at `due_at`
/// (`None`: never, because it was sent or given up). Callers add columns.
fn end_claim(
    workspace: WorkspaceId,
    id: InviteId,
    job_id: &str,
    due_at: Option<DateTime<Utc>>,
) -> UpdateMany<invites::Entity> {
    invites::Entity::update_many()
        .col_expr(
            invites::Column::EmailClaimedBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            invites::Column::EmailDueAt,
            Expr::value(due_at.map(|at| at.naive_utc())),
        )
        .filter(invites::Column::Id.eq(id.0))
        .filter(invites::Column::WorkspaceId.eq(workspace.0))
        .filter(invites::Column::EmailClaimedBy.eq(job_id))
}

/// The email's details: the invite joined with its workspace and inviter.
async fn claim_details(
    conn: &impl ConnectionTrait,
    workspace: WorkspaceId,
    id: InviteId,
) -> Result<Option<ClaimRow>, sea_orm::DbErr> {
    ClaimRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::MySql,
        "SELECT i.email, i.role, i.expires_at, \
                w.name AS workspace_name, u.name AS inviter_name \
         FROM invites i \
         JOIN workspaces w ON w.id = i.workspace_id \
         JOIN users u ON u.id = i.invited_by \
         WHERE i.id = ? AND i.workspace_id = ?",
        [id.0.into(), workspace.0.into()],
    ))
    .one(conn)
    .await
}

fn into_invite(row: invites::Model) -> Result<Invite, PortError> {
    let status = match row.status.as_str() {
        PENDING => InviteStatus::Pending,
        ACCEPTED => InviteStatus::Accepted,
        REVOKED => InviteStatus::Revoked,
        other => {
            return Err(PortError::unexpected(format!(
                "invite {}: unknown status {other:?}",
                row.id
            )));
        }
    };
    Ok(Invite {
        id: InviteId(row.id),
        workspace_id: WorkspaceId(row.workspace_id),
        email: Email::from_trusted(row.email),
        role: parse_role(&row.role)?,
        status,
        invited_by: UserId(row.invited_by),
        expires_at: utc(row.expires_at),
        created_at: utc(row.created_at),
    })
}
