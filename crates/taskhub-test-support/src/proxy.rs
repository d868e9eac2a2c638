//! A TCP proxy that a test can cut and restore, to simulate a backing
//! service going down and coming back without touching the real server
//! other tests share.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

pub struct ToggleProxy {
    port: u16,
    up: Arc<AtomicBool>,
    /// Wakes every open connection so that a cut closes it at once.
    cut: Arc<Notify>,
    accept_loop: tokio::task::JoinHandle<()>,
}

impl ToggleProxy {
    /// Listens on a random local port and forwards to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let up = Arc::new(AtomicBool::new(true));
        let cut = Arc::new(Notify::new());
        let upstream = upstream.to_owned();
        let accept_loop = tokio::spawn({
            let up = up.clone();
            let cut = cut.clone();
            async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if !up.load(Ordering::SeqCst) {
                        // Down: the connection is closed straight away.
                        continue;
                    }
                    let upstream = upstream.clone();
                    let cut = cut.clone();
                    tokio::spawn(async move {
                        let Ok(mut server) = TcpStream::connect(&upstream).await else {
                            return;
                        };
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                            () = cut.notified() => {}
                        }
                    });
                }
            }
        });
        Self {
            port,
            up,
            cut,
            accept_loop,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Closes every open connection and refuses new ones.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.notify_waiters();
    }

    /// Accepts and forwards connections again.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for ToggleProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept_loop.abort();
    }
}
