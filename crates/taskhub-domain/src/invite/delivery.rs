//! The worker's side of invites: take a job, send the email once, retry
//! with exponential backoff, dead-letter after the last attempt, and sweep
//! the outbox for emails whose job never ran.

use std::sync::Arc;
use std::time::Duration;

use super::model::{ClaimedInvite, InvitationJob, OutgoingEmail};
use super::ports::{InvitationQueue, InviteRepository, Mailer, TokenGenerator};
use crate::PortError;
use crate::clock::{Clock, span};
use crate::error::error_chain;

#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// Links are `{public_base_url}/invites/accept?token=...`.
    pub public_base_url: String,
    /// Attempts before a job is dead-lettered (the first one included).
    pub max_attempts: u32,
    /// Delay before attempt 2; doubles with each further attempt.
    pub base_backoff: Duration,
    /// How long a claim on an invite lasts: a worker that dies mid-send
    /// blocks other workers for at most this long.
    pub claim_lease: Duration,
    /// Extra time the outbox sweep leaves a scheduled retry before it steps in.
    pub sweep_grace: Duration,
}

/// What one call of [`InvitationDelivery::try_execute_next`] did.
#[derive(Debug)]
pub enum DeliveryOutcome {
    /// No job was ready.
    Idle,
    /// The email was handed to the mail server.
    Sent(InvitationJob),
    /// Nothing to send: the invite was revoked, accepted, expired, already
    /// sent, or is being sent by another worker.
    Skipped(InvitationJob),
    /// The send failed; the job runs again after `delay`.
    Retrying {
        job: InvitationJob,
        delay: Duration,
        error: String,
    },
    /// The last attempt failed; the job is in the dead-letter list.
    DeadLettered { job: InvitationJob, error: String },
}

pub struct InvitationDelivery {
    invites: Arc<dyn InviteRepository>,
    queue: Arc<dyn InvitationQueue>,
    mailer: Arc<dyn Mailer>,
    tokens: Arc<dyn TokenGenerator>,
    clock: Arc<dyn Clock>,
    config: DeliveryConfig,
}

impl InvitationDelivery {
    pub fn new(
        invites: Arc<dyn InviteRepository>,
        queue: Arc<dyn InvitationQueue>,
        mailer: Arc<dyn Mailer>,
        tokens: Arc<dyn TokenGenerator>,
        clock: Arc<dyn Clock>,
        config: DeliveryConfig,
    ) -> Self {
        Self {
            invites,
            queue,
            mailer,
            tokens,
            clock,
            config,
        }
    }

    /// Runs at most one job. The worker's loop calls this; tests call it to
    /// drain the queue deterministically.
    ///
    /// # Errors
    /// Queue failures. The job in hand then stays pending and is reclaimed
    /// later, so it is never lost.
    pub async fn try_execute_next(&self) -> Result<DeliveryOutcome, PortError> {
        let Some(job) = self.queue.next().await? else {
            return Ok(DeliveryOutcome::Idle);
        };
        match self.deliver(&job).await {
            Ok(true) => {
                self.queue.complete(&job).await?;
                Ok(DeliveryOutcome::Sent(job))
            }
            Ok(false) => {
                self.queue.complete(&job).await?;
                Ok(DeliveryOutcome::Skipped(job))
            }
            Err(err) => self.handle_failure(job, error_chain(&err)).await,
        }
    }

    /// Queues every email the outbox still owes and is due (e.g. because the
    /// enqueue after the invite's commit failed). Returns how many.
    ///
    /// # Errors
    /// MySQL failures.
    pub async fn sweep_outbox(&self, limit: u64) -> Result<usize, PortError> {
        let now = self.clock.now();
        let next_due = now + span(self.config.claim_lease);
        let due = self.invites.take_due_emails(now, next_due, limit).await?;
        for (workspace, invite) in &due {
            self.queue.enqueue(*workspace, *invite).await;
        }
        Ok(due.len())
    }

    /// Claims the invite, issues its token, sends the email and records it.
    /// `Ok(false)` when there is nothing to send.
    async fn deliver(&self, job: &InvitationJob) -> Result<bool, PortError> {
        let token = self.tokens.generate();
        let now = self.clock.now();
        let claimed = self
            .invites
            .claim_for_delivery(
                job.workspace_id,
                job.invite_id,
                &job.job_id,
                &token.hash,
                now,
                now + span(self.config.claim_lease),
            )
            .await?;
        let Some(claimed) = claimed else {
            return Ok(false);
        };
        let email = compose(&claimed, &token.token, &self.config.public_base_url);
        self.mailer.send(&email).await?;
        self.invites
            .mark_email_sent(
                job.workspace_id,
                job.invite_id,
                &job.job_id,
                self.clock.now(),
            )
            .await?;
        Ok(true)
    }

    async fn handle_failure(
        &self,
        job: InvitationJob,
        error: String,
    ) -> Result<DeliveryOutcome, PortError> {
        let now = self.clock.now();
        if job.attempt >= self.config.max_attempts {
            // Failing to release is harmless: the claim is a lease that ends.
            let _ = self
                .invites
                .release_claim(job.workspace_id, job.invite_id, &job.job_id, None)
                .await;
            self.queue.dead_letter(&job, &error).await?;
            return Ok(DeliveryOutcome::DeadLettered { job, error });
        }
        let delay = self.backoff(job.attempt);
        let sweep_at = now + span(delay + self.config.sweep_grace);
        let _ = self
            .invites
            .release_claim(job.workspace_id, job.invite_id, &job.job_id, Some(sweep_at))
            .await;
        self.queue.retry(&job, delay).await?;
        Ok(DeliveryOutcome::Retrying { job, delay, error })
    }

    /// `base * 2^(attempt - 1)`: 1x after the first failure, 2x, 4x, ...
    fn backoff(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(16);
        self.config.base_backoff.saturating_mul(1 << doublings)
    }
}

/// The invitation email. Plain text; the link is on a line of its own.
pub(crate) fn compose(invite: &ClaimedInvite, token: &str, public_base_url: &str) -> OutgoingEmail {
    let link = format!("{public_base_url}/invites/accept?token={token}");
    OutgoingEmail {
        to: invite.email.as_str().to_owned(),
        subject: format!("You are invited to {} on Taskhub", invite.workspace_name),
        body: format!(
            "Hello,\n\n\
             {inviter} invited you to join the workspace \"{workspace}\" on Taskhub as {role}.\n\n\
             To accept, open this link while logged in as {email}:\n\n\
             {link}\n\n\
             The invitation expires at {expires}. If you did not expect it, ignore this email.\n",
            inviter = invite.inviter_name,
            workspace = invite.workspace_name,
            role = invite.role.as_str(),
            email = invite.email.as_str(),
            expires = invite
                .expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use mockall::predicate::eq;

    use super::*;
    use crate::auth::Email;
    use crate::clock::fixed_clock;
    use crate::ids::{InviteId, WorkspaceId};
    use crate::invite::model::InviteToken;
    use crate::invite::ports::{
        MockInvitationQueue, MockInviteRepository, MockMailer, MockTokenGenerator,
    };
    use crate::rbac::Role;

    fn job(attempt: u32) -> InvitationJob {
        InvitationJob {
            job_id: "job-1".into(),
            workspace_id: WorkspaceId(10),
            invite_id: InviteId(5),
            attempt,
            receipt: "1-0".into(),
        }
    }

    fn claimed() -> ClaimedInvite {
        ClaimedInvite {
            email: Email::parse("new@example.com").unwrap(),
            role: Role::Member,
            workspace_name: "Acme".into(),
            inviter_name: "Ada".into(),
            expires_at: chrono::Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap(),
        }
    }

    struct Mocks {
        invites: MockInviteRepository,
        queue: MockInvitationQueue,
        mailer: MockMailer,
    }

    impl Mocks {
        /// A queue that hands out `job` once; an invite that can be claimed.
        fn with_job(job: InvitationJob, claimable: bool) -> Self {
            let mut queue = MockInvitationQueue::new();
            queue
                .expect_next()
                .times(1)
                .returning(move || Ok(Some(job.clone())));
            let mut invites = MockInviteRepository::new();
            invites
                .expect_claim_for_delivery()
                .withf(|workspace, id, job_id, hash, _, _| {
                    *workspace == WorkspaceId(10)
                        && *id == InviteId(5)
                        && job_id == "job-1"
                        && hash == "hash-of-secret"
                })
                .returning(move |_, _, _, _, _, _| Ok(claimable.then(claimed)));
            Self {
                invites,
                queue,
                mailer: MockMailer::new(),
            }
        }

        fn delivery(self) -> InvitationDelivery {
            let mut tokens = MockTokenGenerator::new();
            tokens.expect_generate().returning(|| InviteToken {
                token: "secret".into(),
                hash: "hash-of-secret".into(),
            });
            InvitationDelivery::new(
                Arc::new(self.invites),
                Arc::new(self.queue),
                Arc::new(self.mailer),
                Arc::new(tokens),
                fixed_clock(),
                DeliveryConfig {
                    public_base_url: "https://taskhub.example".into(),
                    max_attempts: 3,
                    base_backoff: Duration::from_secs(2),
                    claim_lease: Duration::from_secs(300),
                    sweep_grace: Duration::from_secs(60),
                },
            )
        }
    }

    #[tokio::test]
    async fn a_claimed_invite_is_sent_with_its_link_then_marked_and_completed() {
        let mut mocks = Mocks::with_job(job(1), true);
        mocks
            .mailer
            .expect_send()
            .withf(|email| {
                email.to == "new@example.com"
                    && email
                        .body
                        .contains("\nhttps://taskhub.example/invites/accept?token=secret\n")
            })
            .times(1)
            .returning(|_| Ok(()));
        mocks
            .invites
            .expect_mark_email_sent()
            .with(
                eq(WorkspaceId(10)),
                eq(InviteId(5)),
                eq("job-1"),
                mockall::predicate::always(),
            )
            .times(1)
            .returning(|_, _, _, _| Ok(()));
        mocks.queue.expect_complete().times(1).returning(|_| Ok(()));
        let outcome = mocks.delivery().try_execute_next().await.unwrap();
        assert!(matches!(outcome, DeliveryOutcome::Sent(_)), "{outcome:?}");
    }

    #[tokio::test]
    async fn an_invite_that_cannot_be_claimed_is_skipped_without_email() {
        let mut mocks = Mocks::with_job(job(1), false);
        mocks.mailer.expect_send().never();
        mocks.queue.expect_complete().times(1).returning(|_| Ok(()));
        let outcome = mocks.delivery().try_execute_next().await.unwrap();
        assert!(
            matches!(outcome, DeliveryOutcome::Skipped(_)),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn a_failed_send_is_retried_with_exponential_backoff() {
        for (attempt, expected_delay) in [(1, 2), (2, 4)] {
            let mut mocks = Mocks::with_job(job(attempt), true);
            mocks
                .mailer
                .expect_send()
                .returning(|_| Err(PortError::unavailable("connection refused")));
            mocks.invites.expect_mark_email_sent().never();
            mocks
                .invites
                .expect_release_claim()
                .withf(|_, _, job_id, due| job_id == "job-1" && due.is_some())
                .times(1)
                .returning(|_, _, _, _| Ok(()));
            mocks
                .queue
                .expect_retry()
                .with(eq(job(attempt)), eq(Duration::from_secs(expected_delay)))
                .times(1)
                .returning(|_, _| Ok(()));
            mocks.queue.expect_complete().never();
            let outcome = mocks.delivery().try_execute_next().await.unwrap();
            match outcome {
                DeliveryOutcome::Retrying { delay, error, .. } => {
                    assert_eq!(delay, Duration::from_secs(expected_delay));
                    assert!(error.contains("connection refused"), "{error}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn the_last_failed_attempt_goes_to_the_dead_letter_list_with_its_error() {
        let mut mocks = Mocks::with_job(job(3), true);
        mocks
            .mailer
            .expect_send()
            .returning(|_| Err(PortError::unavailable("550 mailbox unavailable")));
        mocks
            .invites
            .expect_release_claim()
            .withf(|_, _, _, due| due.is_none())
            .times(1)
            .returning(|_, _, _, _| Ok(()));
        mocks
            .queue
            .expect_dead_letter()
            .withf(|job, error| job.attempt == 3 && error.contains("550 mailbox unavailable"))
            .times(1)
            .returning(|_, _| Ok(()));
        mocks.queue.expect_retry().never();
        let outcome = mocks.delivery().try_execute_next().await.unwrap();
        assert!(
            matches!(outcome, DeliveryOutcome::DeadLettered { .. }),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn an_empty_queue_is_idle() {
        let mut queue = MockInvitationQueue::new();
        queue.expect_next().returning(|| Ok(None));
        let mocks = Mocks {
            invites: MockInviteRepository::new(),
            queue,
            mailer: MockMailer::new(),
        };
        let outcome = mocks.delivery().try_execute_next().await.unwrap();
        assert!(matches!(outcome, DeliveryOutcome::Idle));
    }

    #[tokio::test]
    async fn the_sweep_enqueues_every_email_still_owed() {
        let mut invites = MockInviteRepository::new();
        invites.expect_take_due_emails().returning(|_, _, _| {
            Ok(vec![
                (WorkspaceId(10), InviteId(1)),
                (WorkspaceId(11), InviteId(2)),
            ])
        });
        let mut queue = MockInvitationQueue::new();
        queue.expect_enqueue().times(2).returning(|_, _| ());
        let mocks = Mocks {
            invites,
            queue,
            mailer: MockMailer::new(),
        };
        assert_eq!(mocks.delivery().sweep_outbox(100).await.unwrap(), 2);
    }
}
