//! The permission cache: `perm:ws:<workspace>:user:<user>` -> role.
//!
//! Best effort by contract: a Redis failure is logged and reported as a
//! miss, and the caller reads MySQL, so an outage slows membership checks
//! down but never fails them.

use std::time::Duration;

use async_trait::async_trait;
use redis::AsyncCommands;
use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::membership::PermissionCache;
use taskhub_domain::rbac::Role;

use crate::keys::Keys;
use crate::pool::RedisPool;

pub struct RedisPermissionCache {
    pool: RedisPool,
    keys: Keys,
    ttl: Duration,
}

impl RedisPermissionCache {
    pub fn new(pool: RedisPool, keys: Keys, ttl: Duration) -> Self {
        Self { pool, keys, ttl }
    }

    async fn run<T>(
        &self,
        operation: &'static str,
        command: impl AsyncFnOnce(&mut deadpool_redis::Connection) -> redis::RedisResult<T>,
    ) -> Option<T> {
        let result = match self.pool.get().await {
            Ok(mut conn) => command(&mut conn).await.map_err(|err| err.to_string()),
            Err(err) => Err(err.to_string()),
        };
        result
            .inspect_err(|error| {
                tracing::warn!(operation, %error, "permission cache unavailable; using MySQL");
            })
            .ok()
    }
}

#[async_trait]
impl PermissionCache for RedisPermissionCache {
    async fn get(&self, workspace: WorkspaceId, user: UserId) -> Option<Role> {
        let key = self.keys.permission(workspace, user);
        let cached: Option<String> = self
            .run("get", async |conn| conn.get(&key).await)
            .await
            .flatten();
        cached.as_deref().and_then(Role::parse)
    }

    async fn put(&self, workspace: WorkspaceId, user: UserId, role: Role) {
        let key = self.keys.permission(workspace, user);
        let ttl = self.ttl.as_secs().max(1);
        self.run("put", async |conn| {
            conn.set_ex::<_, _, ()>(&key, role.as_str(), ttl).await
        })
        .await;
    }

    async fn invalidate(&self, workspace: WorkspaceId, user: UserId) {
        let key = self.keys.permission(workspace, user);
        self.run("invalidate", async |conn| conn.del::<_, ()>(&key).await)
            .await;
    }
}
