use async_trait::async_trait;
use taskhub_domain::PortError;
use taskhub_domain::health::HealthProbe;

use crate::error::{command_error, pool_error};
use crate::pool::RedisPool;

/// Answers /health with a `PING` through the pool.
pub struct RedisHealthProbe {
    pool: RedisPool,
}

impl RedisHealthProbe {
    pub fn new(pool: RedisPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl HealthProbe for RedisHealthProbe {
    async fn ping(&self) -> Result<(), PortError> {
        let mut conn = self.pool.get().await.map_err(pool_error)?;
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(|_| ())
            .map_err(command_error)
    }
}
