//! The current time, as a port so rules about expiry are testable.

use chrono::{DateTime, Utc};

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Clock: Send + Sync {
    /// Now, in UTC, truncated to whole seconds (the precision we store).
    fn now(&self) -> DateTime<Utc>;
}

/// A clock stuck at 2026-12-03T10:00:00Z, for unit tests.
#[cfg(test)]
pub(crate) fn fixed_clock() -> std::sync::Arc<MockClock> {
    use chrono::TimeZone;
    let mut clock = MockClock::new();
    clock
        .expect_now()
        .returning(|| Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap());
    std::sync::Arc::new(clock)
}
