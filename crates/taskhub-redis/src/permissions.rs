//! The permission cache: `perm:ws:<workspace>:user:<user>` -> role.
//!
//! - Reads and fills are best effort: a Redis failure is logged and reported
//!   as a miss, and the caller reads MySQL, so an outage slows membership
//!   checks down but never fails them.
//! - A fill never overwrites (`SET NX`), and invalidation does not delete
//!   the key but replaces it with a short-lived block marker. A request that
//!   read the old role from MySQL just before a role change therefore cannot
//!   put it back after the change: its fill finds the marker and is dropped.

use std::time::Duration;

use async_trait::async_trait;
use redis::AsyncCommands;
use taskhub_domain::PortError;
use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::membership::PermissionCache;
use taskhub_domain::rbac::Role;

use crate::error::{command_error, pool_error};
use crate::keys::Keys;
use crate::pool::RedisPool;

/// Stored in place of a role while fills are blocked.
const BLOCKED: &str = "-";
/// How long fills stay blocked after an invalidation: longer than any
/// request (MySQL calls time out after 10 s), so every read that could have
/// seen the old role is over before fills resume.
const BLOCK_FOR: Duration = Duration::from_secs(30);

pub struct RedisPermissionCache {
    pool: RedisPool,
    keys: Keys,
    ttl: Duration,
}

impl RedisPermissionCache {
    pub fn new(pool: RedisPool, keys: Keys, ttl: Duration) -> Self {
        Self { pool, keys, ttl }
    }

    async fn connection(&self) -> Result<deadpool_redis::Connection, PortError> {
        self.pool.get().await.map_err(pool_error)
    }

    /// Logs a failed best-effort operation; the caller falls back to MySQL.
    fn warn(operation: &'static str, error: &PortError) {
        tracing::warn!(operation, %error, "permission cache unavailable; using MySQL");
    }
}

#[async_trait]
impl PermissionCache for RedisPermissionCache {
    async fn get(&self, workspace: WorkspaceId, user: UserId) -> Option<Role> {
        let key = self.keys.permission(workspace, user);
        let cached: Result<Option<String>, PortError> = async {
            let mut conn = self.connection().await?;
            conn.get(&key).await.map_err(command_error)
        }
        .await;
        match cached {
            // A block marker is not a role: `Role::parse` rejects it.
            Ok(value) => value.as_deref().and_then(Role::parse),
            Err(error) => {
                Self::warn("get", &error);
                None
            }
        }
    }

    async fn put(&self, workspace: WorkspaceId, user: UserId, role: Role) {
        let key = self.keys.permission(workspace, user);
        let ttl = self.ttl.as_secs().max(1);
        let stored: Result<(), PortError> = async {
            let mut conn = self.connection().await?;
            redis::cmd("SET")
                .arg(&key)
                .arg(role.as_str())
                .arg("EX")
                .arg(ttl)
                .arg("NX")
                .query_async::<Option<String>>(&mut conn)
                .await
                .map(|_| ())
                .map_err(command_error)
        }
        .await;
        if let Err(error) = stored {
            Self::warn("put", &error);
        }
    }

    async fn invalidate(&self, workspace: WorkspaceId, user: UserId) -> Result<(), PortError> {
        let key = self.keys.permission(workspace, user);
        let result = async {
            let mut conn = self.connection().await?;
            conn.set_ex::<_, _, ()>(&key, BLOCKED, BLOCK_FOR.as_secs())
                .await
                .map_err(command_error)
        }
        .await;
        if let Err(error) = &result {
            Self::warn("invalidate", error);
        }
        result
    }
}
