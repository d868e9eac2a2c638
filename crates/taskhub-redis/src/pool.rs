//! The connection pool, with every timeout set so that an unreachable Redis
//! turns into a prompt `Unavailable` (503) instead of a hung request.

use std::time::Duration;

use deadpool_redis::{Manager, Pool, Runtime};
use redis::AsyncConnectionConfig;

pub type RedisPool = Pool;

/// TCP connect to Redis.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// One command's reply. Every command we send is O(1) or O(log n).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);
/// Waiting for a free pooled connection, creating one, and the PING that
/// checks a pooled connection before reuse.
const POOL_TIMEOUT: Duration = Duration::from_secs(1);
const MAX_CONNECTIONS: usize = 32;

/// Builds the pool. No connection is opened until the first command, so a
/// process can start while Redis is down and recovers when it comes back.
pub fn connect(url: &str) -> Result<RedisPool, redis::RedisError> {
    let connection = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_response_timeout(Some(RESPONSE_TIMEOUT));
    let manager = Manager::new_with_config(url, connection)?;
    Pool::builder(manager)
        .max_size(MAX_CONNECTIONS)
        .wait_timeout(Some(POOL_TIMEOUT))
        .create_timeout(Some(POOL_TIMEOUT))
        .recycle_timeout(Some(POOL_TIMEOUT))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|err| {
            redis::RedisError::from((
                redis::ErrorKind::Client,
                "cannot build the Redis pool",
                err.to_string(),
            ))
        })
}
