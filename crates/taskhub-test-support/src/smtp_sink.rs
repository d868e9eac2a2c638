//! A tiny in-process SMTP server that keeps what it receives, for tests of
//! the real SMTP mailer. It can be told to refuse the next N messages with a
//! transient error (451), to exercise retries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub struct ReceivedEmail {
    pub from: String,
    pub to: Vec<String>,
    /// The raw message (headers and body) as sent.
    pub data: String,
}

impl ReceivedEmail {
    /// The message with quoted-printable soft line breaks and `=3D` undone,
    /// so links can be searched for whatever encoding the client chose.
    pub fn text(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }

    /// The `token` query parameter of the first accept link in the message.
    pub fn invite_token(&self) -> Option<String> {
        invite_token_in(&self.text())
    }
}

/// The `token` of the first accept link in an email's text.
pub fn invite_token_in(text: &str) -> Option<String> {
    let start = text.find("/invites/accept?token=")? + "/invites/accept?token=".len();
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

pub struct SmtpSink {
    port: u16,
    received: Arc<Mutex<Vec<ReceivedEmail>>>,
    refuse_next: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().expect("sink address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refuse_next = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn({
            let received = received.clone();
            let refuse_next = refuse_next.clone();
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, received.clone(), refuse_next.clone()));
                }
            }
        });
        Self {
            port,
            received,
            refuse_next,
            task,
        }
    }

    /// `smtp://127.0.0.1:<port>`, for `SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Answers the next `count` messages with `451` (try again later).
    pub fn refuse_next(&self, count: usize) {
        self.refuse_next.store(count, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<ReceivedEmail> {
        self.received.lock().expect("sink lock").clone()
    }

    /// Waits until at least `count` messages arrived, up to `deadline`.
    pub async fn wait_for(&self, count: usize, deadline: Duration) -> Vec<ReceivedEmail> {
        crate::wait_until(deadline, || async { self.received().len() >= count }).await;
        self.received()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    stream: TcpStream,
    received: Arc<Mutex<Vec<ReceivedEmail>>>,
    refuse_next: Arc<AtomicUsize>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 taskhub-test-sink ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Some(line) = lines.next_line().await? {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 taskhub-test-sink\r\n"
        } else if command.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_owned();
            to.clear();
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO:") {
            to.push(line[8..].trim().to_owned());
            b"250 OK\r\n"
        } else if command == "DATA" {
            let refused = refuse_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if refused {
                b"451 4.3.0 try again later\r\n"
            } else {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                while let Some(line) = lines.next_line().await? {
                    if line == "." {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push_str("\r\n");
                }
                received.lock().expect("sink lock").push(ReceivedEmail {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
                b"250 OK queued\r\n"
            }
        } else if command == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"250 OK\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(())
}
