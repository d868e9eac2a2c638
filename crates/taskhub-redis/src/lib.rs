//! Redis adapters (deadpool-redis): the session/token store, and later the
//! caches, rate limiter and job queue.
//!
//! Every key is built by [`Keys`], which applies the configured prefix; see
//! the README's "Redis keys" table for the full layout.

mod error;
mod health;
mod keys;
mod permissions;
mod pool;
mod queue;
mod sessions;

pub use health::RedisHealthProbe;
pub use keys::Keys;
pub use permissions::RedisPermissionCache;
pub use pool::{RedisPool, connect};
pub use queue::RedisInvitationQueue;
pub use sessions::RedisSessionStore;
