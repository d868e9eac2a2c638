use chrono::{DateTime, SubsecRound, Utc};
use taskhub_domain::clock::Clock;

/// The system clock, at the one-second precision the database stores.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(0)
    }
}
