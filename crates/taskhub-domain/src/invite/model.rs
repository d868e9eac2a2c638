use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::auth::Email;
use crate::ids::{InviteId, UserId, WorkspaceId};
use crate::rbac::Role;

/// The state of an invite as clients see it. `Expired` is derived: a
/// pending invite past its expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InviteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteStatus::Pending => "PENDING",
            InviteStatus::Accepted => "ACCEPTED",
            InviteStatus::Revoked => "REVOKED",
            InviteStatus::Expired => "EXPIRED",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    pub id: InviteId,
    pub workspace_id: WorkspaceId,
    pub email: Email,
    pub role: Role,
    /// Repositories return the stored status (`Pending`, `Accepted` or
    /// `Revoked`); services apply expiry with [`Invite::at`].
    pub status: InviteStatus,
    pub invited_by: UserId,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl Invite {
    /// The invite as it stands at `now`: a pending one past its expiry is
    /// `Expired`.
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        if self.status == InviteStatus::Pending && self.expires_at <= now {
            self.status = InviteStatus::Expired;
        }
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInvite {
    pub workspace_id: WorkspaceId,
    pub email: Email,
    pub role: Role,
    pub invited_by: UserId,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// When the outbox sweep may enqueue the email if the direct enqueue
    /// after commit did not lead to a delivery.
    pub email_due_at: DateTime<Utc>,
}

/// A fresh invitation token and the hash that is stored in its place.
#[derive(Clone, PartialEq, Eq)]
pub struct InviteToken {
    pub token: String,
    pub hash: String,
}

impl std::fmt::Debug for InviteToken {
    // The token must never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InviteToken")
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
}

/// The SHA-256 of a token, hex-encoded: what the database holds.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A job of the invitation queue: send the email of one invite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationJob {
    /// Unique per job; identifies the delivery's claim on the invite.
    pub job_id: String,
    pub workspace_id: WorkspaceId,
    pub invite_id: InviteId,
    /// 1 for the first try.
    pub attempt: u32,
    /// The queue's handle for this delivery of the job (e.g. a stream
    /// entry id); opaque to the domain.
    pub receipt: String,
}

/// An invite the worker has claimed for delivery, with what the email says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedInvite {
    pub email: Email,
    pub role: Role,
    pub workspace_name: String,
    pub inviter_name: String,
    pub expires_at: DateTime<Utc>,
}

/// A plain-text email.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for OutgoingEmail {
    // The body carries a token: keep it out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingEmail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn a_pending_invite_past_its_expiry_is_expired() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap();
        let invite = Invite {
            id: InviteId(1),
            workspace_id: WorkspaceId(1),
            email: Email::parse("a@example.com").unwrap(),
            role: Role::Member,
            status: InviteStatus::Pending,
            invited_by: UserId(1),
            expires_at: now + Duration::seconds(1),
            created_at: now,
        };
        assert_eq!(invite.clone().at(now).status, InviteStatus::Pending);
        let later = now + Duration::seconds(1);
        assert_eq!(invite.clone().at(later).status, InviteStatus::Expired);
        let revoked = Invite {
            status: InviteStatus::Revoked,
            ..invite
        };
        assert_eq!(revoked.at(later).status, InviteStatus::Revoked);
    }

    #[test]
    fn tokens_are_stored_as_sha256_hex() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
