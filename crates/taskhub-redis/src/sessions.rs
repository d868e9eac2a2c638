//! Login sessions and token revocation in Redis.
//!
//! - A refresh token is valid while its allowlist entry exists. Consuming it
//!   is one Lua script: the entry is deleted and a tombstone with the same
//!   remaining lifetime is written, atomically, so of many concurrent
//!   refreshes exactly one wins and every later attempt is seen as a replay.
//! - Revocation is recorded per session (covers all its tokens) and per
//!   access token (the blacklist); both are checked on every request.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use redis::{AsyncCommands, Script};
use taskhub_domain::PortError;
use taskhub_domain::auth::{RefreshConsumption, SessionId, SessionStore};
use taskhub_domain::ids::UserId;

use crate::error::{command_error, pool_error};
use crate::keys::Keys;
use crate::pool::RedisPool;

/// KEYS[1]: allowlist entry, KEYS[2]: tombstone (one hash tag).
/// ARGV[1]: tombstone lifetime (ms) if the entry had none.
/// Returns 1 consumed, 2 replayed, 0 unknown.
const CONSUME_REFRESH: &str = r"
local ttl = redis.call('PTTL', KEYS[1])
if ttl ~= -2 then
  if ttl < 1 then ttl = tonumber(ARGV[1]) end
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', ttl)
  return 1
end
if redis.call('EXISTS', KEYS[2]) == 1 then return 2 end
return 0
";

/// Fallback tombstone lifetime; never used while every entry has a TTL.
const DEFAULT_TOMBSTONE_MS: u64 = 24 * 3600 * 1000;

pub struct RedisSessionStore {
    pool: RedisPool,
    keys: Keys,
    consume_refresh: Script,
}

impl RedisSessionStore {
    pub fn new(pool: RedisPool, keys: Keys) -> Self {
        Self {
            pool,
            keys,
            consume_refresh: Script::new(CONSUME_REFRESH),
        }
    }

    async fn connection(&self) -> Result<deadpool_redis::Connection, PortError> {
        self.pool.get().await.map_err(pool_error)
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// Redis rejects `EX 0`; anything that must be remembered lives >= 1 s.
fn seconds(ttl: Duration) -> u64 {
    ttl.as_secs().max(1)
}

#[async_trait]
impl SessionStore for RedisSessionStore {
    async fn start_session(&self, user: UserId, ttl: Duration) -> Result<SessionId, PortError> {
        let session = SessionId(uuid::Uuid::new_v4().simple().to_string());
        let key = self.keys.user_sessions(user);
        let now = now_ms();
        let expires_at = now + ttl.as_millis() as u64;
        let mut conn = self.connection().await?;
        // Sessions past their expiry are pruned here, so the set stays small.
        redis::pipe()
            .atomic()
            .zrembyscore(&key, "-inf", now)
            .ignore()
            .zadd(&key, &session.0, expires_at)
            .ignore()
            .expire(&key, seconds(ttl) as i64)
            .ignore()
            .query_async::<()>(&mut conn)
            .await
            .map_err(command_error)?;
        Ok(session)
    }

    async fn allow_refresh(
        &self,
        token_id: &str,
        session: &SessionId,
        user: UserId,
        ttl: Duration,
    ) -> Result<(), PortError> {
        let sessions = self.keys.user_sessions(user);
        let mut conn = self.connection().await?;
        // The session's entry in the user's index moves to this token's
        // expiry, so logout-all finds sessions kept alive by refreshing.
        // (Not MULTI: the two keys live in different cluster slots.)
        redis::pipe()
            .set_ex(self.keys.refresh_token(token_id), &session.0, seconds(ttl))
            .ignore()
            .zadd(&sessions, &session.0, now_ms() + ttl.as_millis() as u64)
            .ignore()
            .expire(&sessions, seconds(ttl) as i64)
            .ignore()
            .query_async::<()>(&mut conn)
            .await
            .map_err(command_error)
    }

    async fn consume_refresh(&self, token_id: &str) -> Result<RefreshConsumption, PortError> {
        let mut conn = self.connection().await?;
        let outcome: i64 = self
            .consume_refresh
            .key(self.keys.refresh_token(token_id))
            .key(self.keys.consumed_refresh_token(token_id))
            .arg(DEFAULT_TOMBSTONE_MS)
            .invoke_async(&mut conn)
            .await
            .map_err(command_error)?;
        Ok(match outcome {
            1 => RefreshConsumption::Consumed,
            2 => RefreshConsumption::Reused,
            _ => RefreshConsumption::Unknown,
        })
    }

    async fn revoke_session(&self, session: &SessionId, ttl: Duration) -> Result<(), PortError> {
        let mut conn = self.connection().await?;
        conn.set_ex::<_, _, ()>(self.keys.revoked_session(session), 1, seconds(ttl))
            .await
            .map_err(command_error)
    }

    async fn revoke_all_sessions(&self, user: UserId, ttl: Duration) -> Result<(), PortError> {
        let key = self.keys.user_sessions(user);
        let mut conn = self.connection().await?;
        let sessions: Vec<String> = conn
            .zrangebyscore(&key, now_ms(), "+inf")
            .await
            .map_err(command_error)?;
        if sessions.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        for session in &sessions {
            pipe.set_ex(
                self.keys.revoked_session(&SessionId(session.clone())),
                1,
                seconds(ttl),
            )
            .ignore();
        }
        // Only the sessions just revoked leave the index: one opened by a
        // concurrent login stays there for the next logout-all to find.
        pipe.zrem(&key, &sessions).ignore();
        pipe.query_async::<()>(&mut conn)
            .await
            .map_err(command_error)
    }

    async fn revoke_access(&self, token_id: &str, ttl: Duration) -> Result<(), PortError> {
        let mut conn = self.connection().await?;
        conn.set_ex::<_, _, ()>(
            self.keys.blacklisted_access_token(token_id),
            1,
            seconds(ttl),
        )
        .await
        .map_err(command_error)
    }

    async fn is_revoked(&self, token_id: &str, session: &SessionId) -> Result<bool, PortError> {
        let mut conn = self.connection().await?;
        // Two single-key commands in one round trip (cluster-safe, unlike a
        // multi-key EXISTS across slots).
        let (token_revoked, session_revoked): (bool, bool) = redis::pipe()
            .exists(self.keys.blacklisted_access_token(token_id))
            .exists(self.keys.revoked_session(session))
            .query_async(&mut conn)
            .await
            .map_err(command_error)?;
        Ok(token_revoked || session_revoked)
    }
}
