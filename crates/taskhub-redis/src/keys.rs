//! Every Redis key Taskhub uses, built in one place with the configured
//! prefix (`REDIS_KEY_PREFIX`).
//!
//! Keys that one script touches together share a hash tag (`{...}`), so the
//! scripts also run on Redis Cluster. A prefix must therefore not contain
//! braces of its own.

use taskhub_domain::auth::SessionId;
use taskhub_domain::ids::{UserId, WorkspaceId};

#[derive(Clone, Debug)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Allowlist entry of one refresh token; value: its session id.
    pub fn refresh_token(&self, token_id: &str) -> String {
        format!("{}auth:refresh:{{{token_id}}}", self.prefix)
    }

    /// Tombstone of a consumed refresh token, kept for its remaining
    /// lifetime so that a replay is recognised (same hash tag as above).
    pub fn consumed_refresh_token(&self, token_id: &str) -> String {
        format!("{}auth:refresh-used:{{{token_id}}}", self.prefix)
    }

    /// A revoked access token.
    pub fn blacklisted_access_token(&self, token_id: &str) -> String {
        format!("{}auth:blacklist:{token_id}", self.prefix)
    }

    /// A revoked login session (all its refresh and access tokens).
    pub fn revoked_session(&self, session: &SessionId) -> String {
        format!("{}auth:session-revoked:{}", self.prefix, session.0)
    }

    /// The sessions a user has open, scored by their expiry (ms since epoch).
    pub fn user_sessions(&self, user: UserId) -> String {
        format!("{}auth:user-sessions:{user}", self.prefix)
    }

    /// The invitation job stream (consumer group `workers`).
    pub fn queue_stream(&self) -> String {
        format!("{}queue:{{invitations}}:stream", self.prefix)
    }

    /// Retries waiting for their time, scored by due time (ms since epoch).
    pub fn queue_delayed(&self) -> String {
        format!("{}queue:{{invitations}}:delayed", self.prefix)
    }

    /// Jobs that used up their attempts, each with its last error (JSON).
    pub fn queue_dead(&self) -> String {
        format!("{}queue:{{invitations}}:dead", self.prefix)
    }

    /// A member's cached role.
    pub fn permission(&self, workspace: WorkspaceId, user: UserId) -> String {
        format!("{}perm:ws:{workspace}:user:{user}", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_the_prefix_and_hash_tags() {
        let keys = Keys::new("t1:");
        assert_eq!(keys.refresh_token("abc"), "t1:auth:refresh:{abc}");
        assert_eq!(
            keys.consumed_refresh_token("abc"),
            "t1:auth:refresh-used:{abc}"
        );
        assert_eq!(
            keys.blacklisted_access_token("abc"),
            "t1:auth:blacklist:abc"
        );
        assert_eq!(keys.user_sessions(UserId(7)), "t1:auth:user-sessions:7");
        assert_eq!(
            keys.permission(WorkspaceId(3), UserId(7)),
            "t1:perm:ws:3:user:7"
        );
    }
}
