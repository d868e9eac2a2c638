//! Dev-only helpers shared by every integration test:
//!
//! - [`TestDatabase`]: a fresh MariaDB database, dropped at the end;
//! - [`TestRedis`]: a unique key prefix, its keys deleted at the end;
//! - [`spawn_app`]: the real `Application::build` on a random port, and a
//!   client for it.
//!
//! Each test run gets its own database and prefix, so runs never collide and
//! tests run in parallel. Connection targets come from `TEST_MYSQL_URL`
//! (default `mysql://root@127.0.0.1:3306`) and `TEST_REDIS_URL` (default
//! `redis://127.0.0.1:6379/0`).

mod app;
mod database;
mod proxy;
mod redis_prefix;
mod smtp_sink;

pub use app::{TEST_PASSWORD, Team, TestApp, TestResponse, TestUser, spawn_app, spawn_app_with};
pub use database::TestDatabase;
pub use proxy::ToggleProxy;
pub use redis_prefix::{TestRedis, redis_url};
pub use smtp_sink::{ReceivedEmail, SmtpSink, invite_token_in};

/// A unique, short, lower-case name fragment.
pub(crate) fn unique_suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_owned()
}

/// Polls `condition` until it holds or `deadline` passes; no fixed sleeps.
pub async fn wait_until<F, Fut>(deadline: std::time::Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let give_up = tokio::time::Instant::now() + deadline;
    loop {
        if condition().await {
            return true;
        }
        if tokio::time::Instant::now() >= give_up {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
