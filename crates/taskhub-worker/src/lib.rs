//! `taskhub-worker`: the background process that sends invitation emails.
//!
//! [`Worker::run_until_stopped`] loops until the shutdown future resolves.
//! The job in hand is always finished (or handed back) before it returns.

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use taskhub_config::WorkerSettings;
use taskhub_domain::health::HealthProbe;
use taskhub_mysql::MySqlHealthProbe;
use taskhub_redis::RedisHealthProbe;

/// How long the loop sleeps when there is nothing to do.
const IDLE_POLL: Duration = Duration::from_secs(1);

pub struct Worker {
    mysql: MySqlHealthProbe,
    redis: RedisHealthProbe,
}

impl Worker {
    /// Sets up the MySQL and Redis pools (connections open on first use).
    pub async fn build(settings: &WorkerSettings) -> anyhow::Result<Self> {
        let db = taskhub_mysql::connect(&settings.database.url).await?;
        let redis = taskhub_redis::connect(&settings.redis.url).context("configuring Redis")?;
        Ok(Self {
            mysql: MySqlHealthProbe::new(db),
            redis: RedisHealthProbe::new(redis),
        })
    }

    /// Checks both services once, so a misconfiguration shows at start.
    pub async fn check_dependencies(&self) {
        for (name, result) in [
            ("mysql", self.mysql.ping().await),
            ("redis", self.redis.ping().await),
        ] {
            match result {
                Ok(()) => tracing::info!(dependency = name, "connected"),
                Err(err) => {
                    tracing::warn!(dependency = name, error = %err, "not reachable yet; will keep trying")
                }
            }
        }
    }

    /// Runs until `shutdown` resolves.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()>) {
        self.check_dependencies().await;
        tracing::info!("taskhub-worker waiting for jobs");
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
        tracing::info!("taskhub-worker stopped");
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
