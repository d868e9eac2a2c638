//! `taskhub-worker`: the background process that sends invitation emails.
//!
//! The loop takes one job at a time from the Redis queue
//! ([`InvitationDelivery::try_execute_next`]) and, every few seconds, sweeps
//! the MySQL outbox for emails whose job was never queued or got lost. On
//! SIGTERM it finishes the job in hand and exits; a job it never
//! acknowledged is reclaimed by another worker (at-least-once delivery).

mod mailer;
mod tokens;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use taskhub_config::WorkerSettings;
use taskhub_domain::clock::SystemClock;
use taskhub_domain::health::HealthService;
use taskhub_domain::invite::{DeliveryConfig, DeliveryOutcome, InvitationDelivery, Mailer};
use taskhub_mysql::{MySqlHealthProbe, MySqlInviteRepository};
use taskhub_redis::{Keys, RedisHealthProbe, RedisInvitationQueue};

pub use mailer::{InMemoryMailer, LogMailer, SmtpMailer};
pub use tokens::RandomTokenGenerator;

/// Timings of the delivery loop. The defaults suit production; tests
/// shorten them.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    pub max_attempts: u32,
    pub base_backoff: Duration,
    pub claim_lease: Duration,
    pub sweep_grace: Duration,
    /// How often the outbox is swept.
    pub sweep_interval: Duration,
    /// How long a job may stay unacknowledged before another worker takes it.
    pub visibility_timeout: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_backoff: Duration::from_secs(5),
            claim_lease: Duration::from_secs(300),
            sweep_grace: Duration::from_secs(60),
            sweep_interval: Duration::from_secs(10),
            visibility_timeout: Duration::from_secs(60),
        }
    }
}

/// How long to pause after the queue or MySQL failed, before trying again.
const ERROR_PAUSE: Duration = Duration::from_secs(1);
const SWEEP_BATCH: u64 = 100;

pub struct Worker {
    delivery: InvitationDelivery,
    health: HealthService,
    sweep_interval: Duration,
}

impl Worker {
    /// Wires the adapters; connections open on first use.
    pub async fn build(settings: &WorkerSettings, config: WorkerConfig) -> anyhow::Result<Self> {
        let mailer: Arc<dyn Mailer> = match &settings.mail.smtp_url {
            Some(url) => Arc::new(
                SmtpMailer::new(url, &settings.mail.mail_from).context("configuring SMTP")?,
            ),
            None => Arc::new(LogMailer),
        };
        Self::build_with_mailer(settings, config, mailer).await
    }

    /// As [`build`](Self::build), with a given mailer (tests use
    /// [`InMemoryMailer`]).
    pub async fn build_with_mailer(
        settings: &WorkerSettings,
        config: WorkerConfig,
        mailer: Arc<dyn Mailer>,
    ) -> anyhow::Result<Self> {
        let db = taskhub_mysql::connect(&settings.database.url).await?;
        let redis = taskhub_redis::connect(&settings.redis.url).context("configuring Redis")?;
        let keys = Keys::new(settings.redis.key_prefix.clone());
        let delivery = InvitationDelivery::new(
            Arc::new(MySqlInviteRepository::new(db.clone())),
            Arc::new(RedisInvitationQueue::new(
                redis.clone(),
                keys,
                config.visibility_timeout,
            )),
            mailer,
            Arc::new(RandomTokenGenerator),
            Arc::new(SystemClock),
            DeliveryConfig {
                public_base_url: settings.mail.public_base_url.clone(),
                max_attempts: config.max_attempts,
                base_backoff: config.base_backoff,
                claim_lease: config.claim_lease,
                sweep_grace: config.sweep_grace,
            },
        );
        Ok(Self {
            delivery,
            health: HealthService::new(
                Arc::new(MySqlHealthProbe::new(db)),
                Arc::new(RedisHealthProbe::new(redis)),
            ),
            sweep_interval: config.sweep_interval,
        })
    }

    /// Runs at most one job and logs what happened.
    pub async fn try_execute_next(&self) -> anyhow::Result<DeliveryOutcome> {
        let outcome = self.delivery.try_execute_next().await?;
        log_outcome(&outcome);
        Ok(outcome)
    }

    /// Queues every owed email that is due; returns how many.
    pub async fn sweep_outbox(&self) -> anyhow::Result<usize> {
        let queued = self.delivery.sweep_outbox(SWEEP_BATCH).await?;
        if queued > 0 {
            tracing::info!(queued, "outbox sweep queued invitation emails");
        }
        Ok(queued)
    }

    /// Checks both services once, so a misconfiguration shows at start.
    async fn check_dependencies(&self) {
        let report = self.health.check().await;
        for (name, up) in [("mysql", report.mysql_up), ("redis", report.redis_up)] {
            if up {
                tracing::info!(dependency = name, "connected");
            } else {
                tracing::warn!(dependency = name, "not reachable yet; will keep trying");
            }
        }
    }

    /// Runs until `shutdown` resolves. Shutdown is only observed between
    /// steps, so the job in hand always finishes; waiting for a job takes at
    /// most about a second, which bounds how long a stop takes when idle.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()>) {
        self.check_dependencies().await;
        tracing::info!("taskhub-worker waiting for jobs");
        let mut shutdown = std::pin::pin!(shutdown);
        let mut next_sweep = tokio::time::Instant::now();
        loop {
            let stop_requested = tokio::select! {
                biased;
                () = &mut shutdown => true,
                () = std::future::ready(()) => false,
            };
            if stop_requested {
                break;
            }
            if tokio::time::Instant::now() >= next_sweep {
                if let Err(error) = self.sweep_outbox().await {
                    tracing::warn!(error = format!("{error:#}"), "outbox sweep failed");
                }
                next_sweep = tokio::time::Instant::now() + self.sweep_interval;
            }
            if let Err(error) = self.try_execute_next().await {
                tracing::warn!(error = format!("{error:#}"), "queue unavailable; pausing");
                tokio::time::sleep(ERROR_PAUSE).await;
            }
        }
        tracing::info!("taskhub-worker stopped");
    }
}

fn log_outcome(outcome: &DeliveryOutcome) {
    match outcome {
        DeliveryOutcome::Idle => {}
        DeliveryOutcome::Sent(job) => tracing::info!(
            job_id = %job.job_id, invite_id = %job.invite_id, attempt = job.attempt,
            outcome = "sent", "invitation email sent"
        ),
        DeliveryOutcome::Skipped(job) => tracing::info!(
            job_id = %job.job_id, invite_id = %job.invite_id, attempt = job.attempt,
            outcome = "skipped", "invitation no longer needs an email"
        ),
        DeliveryOutcome::Retrying { job, delay, error } => tracing::warn!(
            job_id = %job.job_id, invite_id = %job.invite_id, attempt = job.attempt,
            outcome = "retrying", retry_in_ms = delay.as_millis() as u64, %error,
            "invitation email failed; will retry"
        ),
        DeliveryOutcome::DeadLettered { job, error } => tracing::error!(
            job_id = %job.job_id, invite_id = %job.invite_id, attempt = job.attempt,
            outcome = "dead_lettered", %error,
            "invitation email failed for the last time"
        ),
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
