//! Readiness of the backing services, for `GET /health`.

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::future::join;

use crate::PortError;

/// Checks that one backing service answers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HealthProbe: Send + Sync {
    /// One cheap round trip (`SELECT 1`, `PING`).
    ///
    /// # Errors
    /// `Unavailable` when the service does not answer within the adapter's
    /// timeout; never blocks longer than that.
    async fn ping(&self) -> Result<(), PortError>;
}

/// Which backing services answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthReport {
    pub mysql_up: bool,
    pub redis_up: bool,
}

impl HealthReport {
    pub fn is_healthy(&self) -> bool {
        self.mysql_up && self.redis_up
    }
}

pub struct HealthService {
    mysql: Arc<dyn HealthProbe>,
    redis: Arc<dyn HealthProbe>,
}

impl HealthService {
    pub fn new(mysql: Arc<dyn HealthProbe>, redis: Arc<dyn HealthProbe>) -> Self {
        Self { mysql, redis }
    }

    /// Asks both services every time: no cached answer, so a recovered
    /// service shows as up on the very next call.
    pub async fn check(&self) -> HealthReport {
        let (mysql, redis) = join(self.mysql.ping(), self.redis.ping()).await;
        HealthReport {
            mysql_up: mysql.is_ok(),
            redis_up: redis.is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(up: bool) -> Arc<dyn HealthProbe> {
        let mut probe = MockHealthProbe::new();
        probe.expect_ping().returning(move || {
            if up {
                Ok(())
            } else {
                Err(PortError::unavailable("connection refused"))
            }
        });
        Arc::new(probe)
    }

    #[tokio::test]
    async fn reports_each_service_separately() {
        for (mysql, redis) in [(true, true), (true, false), (false, true), (false, false)] {
            let report = HealthService::new(probe(mysql), probe(redis)).check().await;
            assert_eq!(report.mysql_up, mysql);
            assert_eq!(report.redis_up, redis);
            assert_eq!(report.is_healthy(), mysql && redis);
        }
    }
}
