//! The current time, as a port so rules about expiry are testable.

use chrono::{DateTime, Utc};

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Clock: Send + Sync {
    /// Now, in UTC, truncated to whole seconds (the precision we store).
    fn now(&self) -> DateTime<Utc>;
}
