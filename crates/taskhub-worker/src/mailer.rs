//! The `Mailer` adapters: SMTP (lettre), the log, and memory (for tests).

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use taskhub_domain::PortError;
use taskhub_domain::invite::{Mailer, OutgoingEmail};

/// Connecting, and every SMTP command, give up after this long.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends through an SMTP server (`SMTP_URL`, e.g. `smtp://mailpit:1025`).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// Builds a pooled transport; must run inside the tokio runtime.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self {
            transport,
            from: from.parse()?,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), PortError> {
        let to: Mailbox = email.to.parse().map_err(PortError::unexpected)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(PortError::unexpected)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|err| {
                if err.is_permanent() {
                    PortError::unexpected(err)
                } else {
                    PortError::unavailable(err)
                }
            })
    }
}

/// With no `SMTP_URL`, emails are written to the log (development only:
/// the log then holds the invitation links).
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), PortError> {
        tracing::info!(
            to = %email.to,
            subject = %email.subject,
            body = %email.body,
            "email not sent (SMTP_URL is empty); here it is"
        );
        Ok(())
    }
}

/// Keeps sent emails in memory, for tests.
#[derive(Default)]
pub struct InMemoryMailer {
    sent: Mutex<Vec<OutgoingEmail>>,
}

impl InMemoryMailer {
    pub fn sent(&self) -> Vec<OutgoingEmail> {
        self.sent
            .lock()
            .map(|sent| sent.clone())
            .unwrap_or_default()
    }
}

#[async_trait]
impl Mailer for InMemoryMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), PortError> {
        self.sent
            .lock()
            .map_err(|_| PortError::unexpected("mailer lock poisoned"))?
            .push(email.clone());
        Ok(())
    }
}
