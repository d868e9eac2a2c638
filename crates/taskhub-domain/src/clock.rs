//! The current time, as a port so rules about expiry are testable.

use chrono::{DateTime, SubsecRound, Utc};

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Clock: Send + Sync {
    /// Now, in UTC, truncated to whole seconds (the precision we store).
    fn now(&self) -> DateTime<Utc>;
}

/// A `std` duration as a `chrono` one, saturating (a setting can be up to a
/// year, far below the limit, but no input may panic).
pub(crate) fn span(duration: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// The system clock, at the one-second precision the database stores.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(0)
    }
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
