use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::{ClaimedInvite, InvitationJob, Invite, InviteToken, NewInvite, OutgoingEmail};
use crate::PortError;
use crate::audit::AuditRecord;
use crate::auth::Email;
use crate::ids::{InviteId, UserId, WorkspaceId};
use crate::pagination::{Page, PageRequest};

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait InviteRepository: Send + Sync {
    /// In one transaction: revokes the workspace's pending invites for the
    /// same email (recording `revoke_audit` for each), inserts the new invite
    /// with its email owed (recording `invite_audit`).
    ///
    /// # Errors
    /// - `Conflict`: another invite for this email was created at the same
    ///   moment (nothing written; a retry replaces it).
    /// - `NotFound`: the workspace was deleted meanwhile.
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn create(
        &self,
        invite: NewInvite,
        invite_audit: AuditRecord,
        revoke_audit: AuditRecord,
    ) -> Result<Invite, PortError>;

    /// Whether a member of `workspace` has this email.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn is_member_email(
        &self,
        workspace: WorkspaceId,
        email: &Email,
    ) -> Result<bool, PortError>;

    /// The workspace's invites, newest first.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn list(
        &self,
        workspace: WorkspaceId,
        page: PageRequest,
    ) -> Result<Page<Invite>, PortError>;

    /// # Errors
    /// - `NotFound`: no such invite in this workspace.
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn find(&self, workspace: WorkspaceId, id: InviteId) -> Result<Invite, PortError>;

    /// The invite whose token hashes to `token_hash`, in any workspace.
    ///
    /// # Errors
    /// - `NotFound`: no invite has this token.
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn find_by_token_hash(&self, token_hash: &str) -> Result<Invite, PortError>;

    /// In one transaction: marks a pending invite `REVOKED` and records `audit`.
    ///
    /// # Errors
    /// - `NotFound`: no such invite in this workspace.
    /// - `Conflict`: it is no longer pending (accepted meanwhile).
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn revoke(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        now: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<(), PortError>;

    /// In one transaction: marks the invite `ACCEPTED` if it is still pending
    /// and unexpired at `now`, makes `user` a member with the invite's role,
    /// and records `audit` (entity: the new member's user id).
    ///
    /// # Errors
    /// - `Conflict`: the invite is no longer pending (a concurrent accept or
    ///   revoke won), or `user` is already a member. Nothing is written.
    /// - `Unavailable` / `Unexpected`: see [`PortError`]; nothing is written.
    async fn accept(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        user: UserId,
        now: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<(), PortError>;

    /// Claims the invite's email for delivery job `job_id` until
    /// `lease_until`, storing `token_hash` as its token. Succeeds only if the
    /// invite is pending, unexpired, its email is still owed and nobody else
    /// holds an unexpired claim (the same job may claim again).
    ///
    /// Returns `None` when the email must not be sent (revoked, accepted,
    /// expired, already sent, or claimed by another job).
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn claim_for_delivery(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        job_id: &str,
        token_hash: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<ClaimedInvite>, PortError>;

    /// Records that `job_id` handed the email to the mail server.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn mark_email_sent(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        job_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), PortError>;

    /// Releases `job_id`'s claim after a failed send. The email becomes due
    /// for the outbox sweep at `due_at`, or never again with `None`.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn release_claim(
        &self,
        workspace: WorkspaceId,
        id: InviteId,
        job_id: &str,
        due_at: Option<DateTime<Utc>>,
    ) -> Result<(), PortError>;

    /// The outbox sweep: invites whose email is owed and due at `now`, at
    /// most `limit`. Each returned invite's next due time is moved to
    /// `next_due`, so concurrent sweeps never return the same invite twice.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn take_due_emails(
        &self,
        now: DateTime<Utc>,
        next_due: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<(WorkspaceId, InviteId)>, PortError>;
}

/// The job queue of invitation emails (Redis in production).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait InvitationQueue: Send + Sync {
    /// Adds a first-attempt job for `invite` of `workspace`. Best effort by
    /// contract: a failure is logged by the implementation, and the
    /// transactional outbox (see [`InviteRepository::take_due_emails`])
    /// delivers the email later.
    async fn enqueue(&self, workspace: WorkspaceId, invite: InviteId);

    /// The next job to run: a retry that has come due, a job whose worker
    /// died mid-way (reclaimed after a visibility timeout), or a new one.
    /// Waits briefly (about a second) when there is none.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn next(&self) -> Result<Option<InvitationJob>, PortError>;

    /// The job is done (sent or deliberately skipped).
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`]; the job stays
    /// pending and runs again later (at-least-once).
    async fn complete(&self, job: &InvitationJob) -> Result<(), PortError>;

    /// Runs the job again, as attempt `job.attempt + 1`, after `delay`.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn retry(&self, job: &InvitationJob, delay: std::time::Duration)
    -> Result<(), PortError>;

    /// Gives up: moves the job and its last error to the dead-letter list.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn dead_letter(&self, job: &InvitationJob, error: &str) -> Result<(), PortError>;
}

/// Sends email.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Mailer: Send + Sync {
    /// # Errors
    /// `Unavailable` when the mail server cannot be reached or refuses for
    /// now; `Unexpected` for anything else. Both are retried.
    async fn send(&self, email: &OutgoingEmail) -> Result<(), PortError>;
}

/// Creates invitation tokens (at least 128 bits from a CSPRNG, URL-safe).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait TokenGenerator: Send + Sync {
    fn generate(&self) -> InviteToken;
}
